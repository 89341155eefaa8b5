"""Generated kernel records: organisations, partnerships with dated memberships, directorates, people.

Each partnership has a shared-service provider: the body of that kind among the organisations for
the first one (the Shared Resource Service nationally), else one generated for it
(``PROVIDER_SLUG_PREFIX``), with no people or records of its own: the other party of the SLAs.

Every organisation has a member in each role; three of them are the bench's personas,
``<slug>.officer``, ``<slug>.manager`` and ``<slug>.viewer``, who may sign in with the demo
password. The other people have no usable password.
"""

from __future__ import annotations

from datetime import date

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.utils.text import slugify

from govtrack.demo import DEMO_PASSWORD
from govtrack.models import Directorate, Membership, Organisation, Partnership, PartnershipMembership
from reporting.scale import PROVIDER_SLUG_PREFIX, SLUG_PREFIX, GeneratedOrganisation, Run, insert

#: The bench signs in as these members of an organisation.
PERSONAS = (Membership.Role.OFFICER, Membership.Role.MANAGER, Membership.Role.VIEWER)

# Every Welsh public body a national deployment would serve, the SRS partners first.
BODIES = [
    ("Monmouthshire", Organisation.Kind.COUNCIL), ("Blaenau Gwent", Organisation.Kind.COUNCIL),
    ("Newport", Organisation.Kind.COUNCIL), ("Torfaen", Organisation.Kind.COUNCIL),
    ("Gwent Police", Organisation.Kind.POLICE), ("Shared Resource Service", Organisation.Kind.PROVIDER),
    ("Bridgend", Organisation.Kind.COUNCIL), ("Caerphilly", Organisation.Kind.COUNCIL),
    ("Cardiff", Organisation.Kind.COUNCIL), ("Carmarthenshire", Organisation.Kind.COUNCIL),
    ("Ceredigion", Organisation.Kind.COUNCIL), ("Conwy", Organisation.Kind.COUNCIL),
    ("Denbighshire", Organisation.Kind.COUNCIL), ("Flintshire", Organisation.Kind.COUNCIL),
    ("Gwynedd", Organisation.Kind.COUNCIL), ("Isle of Anglesey", Organisation.Kind.COUNCIL),
    ("Merthyr Tydfil", Organisation.Kind.COUNCIL), ("Neath Port Talbot", Organisation.Kind.COUNCIL),
    ("Pembrokeshire", Organisation.Kind.COUNCIL), ("Powys", Organisation.Kind.COUNCIL),
    ("Rhondda Cynon Taf", Organisation.Kind.COUNCIL), ("Swansea", Organisation.Kind.COUNCIL),
    ("Vale of Glamorgan", Organisation.Kind.COUNCIL), ("Wrexham", Organisation.Kind.COUNCIL),
    ("Dyfed-Powys Police", Organisation.Kind.POLICE), ("North Wales Police", Organisation.Kind.POLICE),
    ("South Wales Police", Organisation.Kind.POLICE),
    ("Aneurin Bevan University Health Board", Organisation.Kind.OTHER),
    ("Betsi Cadwaladr University Health Board", Organisation.Kind.OTHER),
    ("Cardiff and Vale University Health Board", Organisation.Kind.OTHER),
    ("Cwm Taf Morgannwg University Health Board", Organisation.Kind.OTHER),
    ("Hywel Dda University Health Board", Organisation.Kind.OTHER),
    ("Powys Teaching Health Board", Organisation.Kind.OTHER),
    ("Swansea Bay University Health Board", Organisation.Kind.OTHER),
    ("Mid and West Wales Fire and Rescue Service", Organisation.Kind.OTHER),
    ("North Wales Fire and Rescue Service", Organisation.Kind.OTHER),
    ("South Wales Fire and Rescue Service", Organisation.Kind.OTHER),
    ("Bannau Brycheiniog National Park Authority", Organisation.Kind.OTHER),
    ("Pembrokeshire Coast National Park Authority", Organisation.Kind.OTHER),
    ("Eryri National Park Authority", Organisation.Kind.OTHER),
]

DIRECTORATE_NAMES = [
    "Chief Executive's Unit", "Children and Young People", "Social Care and Health", "Resources", "Enterprise",
    "Operations", "Housing", "Education", "Environment", "Highways and Transport", "Legal and Democratic Services",
    "Finance", "People Services", "Digital and Technology", "Regeneration", "Public Protection",
]
FIRST_NAMES = [
    "Aled", "Bethan", "Carys", "Dafydd", "Eleri", "Ffion", "Gareth", "Huw", "Ieuan", "Lowri", "Megan", "Nia",
    "Owain", "Rhian", "Rhys", "Sian", "Tomos", "Alex", "Sam", "Jo", "Priya", "Amir", "Grace", "Daniel",
]
LAST_NAMES = [
    "Jones", "Davies", "Williams", "Evans", "Thomas", "Roberts", "Hughes", "Lewis", "Morgan", "Griffiths",
    "Price", "Rees", "Jenkins", "Howells", "Pritchard", "Lloyd", "Powell", "Edwards", "Khan", "Patel",
]
#: Organisations per partnership in a national deployment (the SRS has five partners).
PARTNERSHIP_SIZE = 5


def persona_username(organisation_slug: str, role: str) -> str:
    """The username of the bench's persona in that role for a generated organisation."""
    return f"{organisation_slug}.{role}"


def people_count(run: Run, index: int) -> int:
    """Enough people to own a share of registers and systems, and one in each role at least."""
    registers = run.scale.split(run.scale.registers)[index]
    systems = run.scale.split(run.scale.systems)[index]
    return max(15, min(200, registers * 2 + systems // 25 + 10))


def _roles(n: int) -> list[str]:
    """Roles of an organisation's ``n`` people: the personas first, then mostly officers."""
    roles = [*PERSONAS, Membership.Role.ADMIN, Membership.Role.AUDITOR]
    for position in range(len(roles), n):
        roles.append(Membership.Role.MANAGER if position % 7 == 0 else
                     Membership.Role.VIEWER if position % 5 == 0 else Membership.Role.OFFICER)
    return roles


def _organisations(run: Run) -> None:
    with run.step("organisations"):
        rows = BODIES[: run.scale.organisations]
        if len(rows) < run.scale.organisations:  # a larger scale than Wales: numbered bodies
            rows += [(f"Public body {n}", Organisation.Kind.OTHER) for n in range(len(rows) + 1,
                                                                                   run.scale.organisations + 1)]
        objects = [
            Organisation(name=f"{name} (generated)", short_name=name[:40], slug=f"{SLUG_PREFIX}{slugify(name)}"[:60],
                         kind=kind, website=f"https://{slugify(name)}.example.gov.uk")
            for name, kind in rows
        ]
        created = insert(Organisation, objects)
        run.organisations = [GeneratedOrganisation(index=i, organisation=o) for i, o in enumerate(created)]
        run.count("organisations", len(created))


def _partnerships(run: Run) -> None:
    rng = run.random("kernel.partnerships")
    with run.step("partnerships"):
        orgs = [g.organisation for g in run.organisations]
        providers = [o for o in orgs if o.kind == Organisation.Kind.PROVIDER]
        groups = [orgs[i:i + PARTNERSHIP_SIZE] for i in range(0, len(orgs), PARTNERSHIP_SIZE)]
        # Every partnership has a provider (its SLAs are with it): a generated one where no body is one.
        made = insert(Organisation, [
            Organisation(name=f"Shared service {n + 1} (generated)", short_name=f"Shared service {n + 1}",
                         slug=f"{PROVIDER_SLUG_PREFIX}{n + 1}", kind=Organisation.Kind.PROVIDER,
                         website=f"https://shared-service-{n + 1}.example.gov.uk")
            for n in range(len(groups)) if not (n == 0 and providers)
        ])
        made_providers = iter(made)
        partnerships = insert(Partnership, [
            Partnership(name=f"Generated partnership {n + 1}", slug=f"{SLUG_PREFIX}partnership-{n + 1}",
                        provider=providers[0] if n == 0 and providers else next(made_providers),
                        description="A shared IT service of generated organisations.")
            for n in range(len(groups))
        ])
        memberships = []
        for partnership, group in zip(partnerships, groups, strict=True):
            for position, organisation in enumerate(group):
                if organisation.kind == Organisation.Kind.PROVIDER:
                    continue
                joined = date(2011 + min(position, 6) + rng.randint(0, 1), 4, 1)
                if position == len(group) - 1 and len(group) > 2:
                    # One partner in each partnership left once and rejoined: dated memberships matter.
                    left = date(joined.year + 2, 3, 31)
                    memberships.append(PartnershipMembership(partnership=partnership, organisation=organisation,
                                                             joined_on=joined, left_on=left))
                    joined = date(left.year + 2, 4, 1)
                memberships.append(PartnershipMembership(partnership=partnership, organisation=organisation,
                                                         joined_on=joined))
        insert(PartnershipMembership, memberships)
        run.count("partnerships", len(partnerships))
        run.count("shared-service providers", len(made))
        run.count("partnership memberships", len(memberships))


def _people(run: Run) -> None:
    rng = run.random("kernel.people")
    user_model = get_user_model()
    # One hash for every persona: hashing is deliberately slow, and these are throwaway accounts.
    persona_password = make_password(DEMO_PASSWORD)
    with run.step("people and memberships"):
        users, roles = [], []
        for generated in run.organisations:
            slug = generated.organisation.slug
            for position, role in enumerate(_roles(people_count(run, generated.index))):
                first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
                persona = position < len(PERSONAS)
                username = persona_username(slug, role) if persona else f"{slug}.p{position:03d}"
                users.append(user_model(
                    username=username, first_name=first, last_name=last, email=f"{username}@example.gov.uk",
                    password=persona_password if persona else make_password(None),
                ))
                roles.append((generated, role))
        created = user_model.objects.bulk_create(users, batch_size=2000)
        memberships = []
        for user, (generated, role) in zip(created, roles, strict=True):
            generated.people.setdefault(role, []).append(user.pk)
            memberships.append(Membership(user=user, organisation=generated.organisation, role=role,
                                          job_title=f"{Membership.Role(role).label} (generated)"))
        insert(Membership, memberships)
        run.count("people", len(created))


def _directorates(run: Run) -> None:
    with run.step("directorates"):
        objects = []
        for generated in run.organisations:
            registers = run.scale.split(run.scale.registers)[generated.index]
            n = max(3, min(len(DIRECTORATE_NAMES), registers // 2 + 2))
            heads = generated.members(Membership.Role.MANAGER)
            for position, name in enumerate(DIRECTORATE_NAMES[:n]):
                objects.append(Directorate(organisation=generated.organisation, name=name, slug=slugify(name),
                                           head_id=heads[position % len(heads)]))
        for directorate in insert(Directorate, objects):
            run.organisations[_index(run, directorate.organisation_id)].directorates.append(directorate)
        run.count("directorates", len(objects))


def _index(run: Run, organisation_id: int) -> int:
    for generated in run.organisations:
        if generated.pk == organisation_id:
            return generated.index
    raise KeyError(organisation_id)


def generate(run: Run) -> None:
    _organisations(run)
    _partnerships(run)
    _people(run)
    _directorates(run)
