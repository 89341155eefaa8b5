"""Demo data: the Shared Resource Service partnership and the council of the audit reports.

``load_all`` loads the kernel's part, then each installed app's ``demo.load()`` (found by
name, so the kernel imports no domain app). Every step is idempotent: a second run changes
nothing, because ``ensure`` saves only what differs.

The audit trail tells the demo's story on the story's dates, not on the day of loading: a record
the demo creates is recorded as created on the date it says the thing happened (``ensure(...,
on=, by=)``), and a step it takes (a review, an update) on that step's date (``happened``).
"""

from __future__ import annotations

import importlib.util
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date, datetime, time
from typing import Any

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import models
from django.utils import timezone
from django.utils.text import slugify
from simple_history.signals import pre_create_historical_record

from govtrack.models import Directorate, Membership, Organisation, Partnership, PartnershipMembership

DEMO_PASSWORD = "govtrack-demo"  # documented in the README; demo data only

#: Welsh names, as the councils and bodies publish them.
WELSH_NAMES = {
    "monmouthshire": ("Cyngor Sir Fynwy", "Sir Fynwy"),
    "blaenau-gwent": ("Cyngor Bwrdeistref Sirol Blaenau Gwent", "Blaenau Gwent"),
    "newport": ("Cyngor Dinas Casnewydd", "Casnewydd"),
    "torfaen": ("Cyngor Bwrdeistref Sirol Torfaen", "Torfaen"),
    "gwent-police": ("Heddlu Gwent", "Heddlu Gwent"),
    "srs": ("Gwasanaeth Adnoddau a Rennir", "SRS"),
    "audit-wales": ("Archwilio Cymru", "Archwilio Cymru"),
}

ORGANISATIONS = [
    # slug, name, short name, kind, website
    (
        "monmouthshire",
        "Monmouthshire County Council",
        "Monmouthshire",
        Organisation.Kind.COUNCIL,
        "https://www.monmouthshire.gov.uk",
    ),
    (
        "blaenau-gwent",
        "Blaenau Gwent County Borough Council",
        "Blaenau Gwent",
        Organisation.Kind.COUNCIL,
        "https://www.blaenau-gwent.gov.uk",
    ),
    ("newport", "Newport City Council", "Newport", Organisation.Kind.COUNCIL, "https://www.newport.gov.uk"),
    ("torfaen", "Torfaen County Borough Council", "Torfaen", Organisation.Kind.COUNCIL, "https://www.torfaen.gov.uk"),
    ("gwent-police", "Gwent Police", "Gwent Police", Organisation.Kind.POLICE, "https://www.gwent.police.uk"),
    ("srs", "Shared Resource Service", "SRS", Organisation.Kind.PROVIDER, "https://www.srswales.com"),
    ("audit-wales", "Audit Wales", "Audit Wales", Organisation.Kind.AUDIT_BODY, "https://www.audit.wales"),
]

# The SRS began in 2011 with Torfaen, Monmouthshire and Gwent Police; Blaenau Gwent and
# Newport joined later, doubling the number of council partners (Audit Wales, 2022).
PARTNERS = [
    ("torfaen", date(2011, 4, 1)),
    ("monmouthshire", date(2011, 4, 1)),
    ("gwent-police", date(2011, 4, 1)),
    ("blaenau-gwent", date(2017, 4, 1)),
    ("newport", date(2017, 4, 1)),
]

DIRECTORATES = {
    "monmouthshire": [
        "Chief Executive's Unit",
        "Children and Young People",
        "Enterprise",
        "Operations",
        "Resources",
        "Social Care and Health",
    ],
    "newport": ["People", "Place", "Corporate"],
    "torfaen": ["Adult Services", "Children and Family Services", "Resources"],
    "blaenau-gwent": ["Social Services", "Education", "Corporate Services"],
    "gwent-police": ["Corporate Services", "Operations"],
    "srs": ["Service Delivery", "Infrastructure"],
}

# username, first name, last name, organisation, role, job title
PEOPLE = [
    ("board.member", "Gareth", "Pritchard", "monmouthshire", Membership.Role.VIEWER, "Cabinet member, Digital Board"),
    (
        "risk.officer",
        "Sian",
        "Howells",
        "monmouthshire",
        Membership.Role.OFFICER,
        "Service manager, Social Care and Health",
    ),
    ("digital.manager", "Rhys", "Morgan", "monmouthshire", Membership.Role.MANAGER, "Head of Digital and Technology"),
    ("auditor", "Ceri", "Lloyd", "monmouthshire", Membership.Role.AUDITOR, "Performance audit lead, Audit Wales"),
    ("org.admin", "Megan", "Davies", "monmouthshire", Membership.Role.ADMIN, "Digital programme officer"),
    ("newport.officer", "Owain", "Jenkins", "newport", Membership.Role.OFFICER, "ICT client officer"),
    ("srs.manager", "Bethan", "Rees", "srs", Membership.Role.MANAGER, "Service delivery manager, SRS"),
]


#: When the story begins: the SRS partnership was formed by Torfaen, Monmouthshire and Gwent Police.
STORY_START = date(2011, 4, 1)

_HAPPENED: ContextVar[tuple[datetime, Any] | None] = ContextVar("govtrack_demo_happened", default=None)


def moment(day: date | datetime) -> datetime:
    """A date of the story as the time its history records: 9 in the morning, local time."""
    if isinstance(day, datetime):
        return day if timezone.is_aware(day) else timezone.make_aware(day)
    return timezone.make_aware(datetime.combine(day, time(9, 0)))


@contextmanager
def happened(day: date | datetime | None, *, by=None) -> Iterator[None]:
    """History written inside is dated ``day`` (and, where nobody is named, done by ``by``)."""
    if day is None:
        yield
        return
    token = _HAPPENED.set((moment(day), by))
    try:
        yield
    finally:
        _HAPPENED.reset(token)


def _date_history(sender, history_instance, **kwargs) -> None:
    current = _HAPPENED.get()
    if current is None:
        return
    when, by = current
    history_instance.history_date = when
    if by is not None and history_instance.history_user_id is None:
        history_instance.history_user = by


# Only the demo dates history this way, and only inside ``happened``: everywhere else it is the time of saving.
pre_create_historical_record.connect(_date_history, dispatch_uid="govtrack.demo.happened")


def ensure(model: type[models.Model], *, defaults: dict[str, Any] | None = None, on: date | datetime | None = None,
           by=None, **lookup) -> models.Model:
    """Get or create a row and update only the fields that differ, so re-running writes nothing.

    A row created is recorded as created ``on`` the story's date, ``by`` the person it names; a
    later run that changes it is recorded when it runs.
    """
    with happened(on, by=by):
        obj, created = model.objects.get_or_create(**lookup, defaults=defaults or {})
    if not created and defaults:
        changed = [name for name, value in defaults.items() if getattr(obj, name) != value]
        if changed:
            for name in changed:
                setattr(obj, name, defaults[name])
            obj.save()
    return obj


def first_recorded(record: models.Model) -> datetime | None:
    """When the record's history begins."""
    return record.history.order_by("history_date", "history_id").values_list("history_date", flat=True).first()


def link(record: models.Model, field: str, others, *, by=None) -> None:
    """Set a record's links as a change of its own, dated when the story could first have made it.

    That is once the record and every record it names were there (a 2016 proposal naming a risk
    first assessed this year is linked this year), and never before the record's latest change:
    each history row keeps the links of its time, so a row dated earlier would contradict the next.
    """
    others = list(others)
    if set(getattr(record, field).values_list("pk", flat=True)) == {o.pk for o in others}:
        return
    latest = record.history.order_by("-history_date", "-history_id").values_list("history_date", flat=True).first()
    days = [day for day in (latest, *(first_recorded(o) for o in others)) if day is not None]
    fresh = type(record)._default_manager.get(pk=record.pk)  # not joined to the row of an earlier save
    with happened(max(days) if days else None, by=by):
        getattr(fresh, field).set(others)


def _ensure_user(username: str, first: str, last: str, *, superuser: bool = False):
    user_model = get_user_model()
    user, created = user_model.objects.get_or_create(
        username=username,
        defaults={
            "first_name": first,
            "last_name": last,
            "email": f"{username}@example.gov.uk",
            "is_superuser": superuser,
            "is_staff": superuser,
        },
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    return user


def load_kernel() -> list[str]:
    # The administrator who set govtrack up records the partnership, its organisations and people.
    admin = _ensure_user("superuser", "govtrack", "Administrator", superuser=True)
    orgs = {}
    for slug, name, short, kind, website in ORGANISATIONS:
        name_cy, short_cy = WELSH_NAMES.get(slug, ("", ""))
        orgs[slug] = ensure(
            Organisation,
            slug=slug,
            defaults={"name": name, "short_name": short, "kind": kind, "website": website, "name_cy": name_cy,
                      "short_name_cy": short_cy},
            on=STORY_START, by=admin,
        )
    srs = ensure(
        Partnership,
        slug="srs",
        defaults={
            "name": "Shared Resource Service partnership",
            "provider": orgs["srs"],
            "description": "The IT service shared by Blaenau Gwent, Monmouthshire, Newport and Torfaen councils "
            "and Gwent Police, provided by the Shared Resource Service.",
        },
        on=STORY_START, by=admin,
    )
    for slug, joined in PARTNERS:
        ensure(PartnershipMembership, partnership=srs, organisation=orgs[slug], joined_on=joined, on=joined, by=admin)
    for slug, names in DIRECTORATES.items():
        for name in names:
            ensure(Directorate, organisation=orgs[slug], slug=slugify(name), defaults={"name": name},
                   on=STORY_START, by=admin)
    for username, first, last, org_slug, role, title in PEOPLE:
        user = _ensure_user(username, first, last)
        ensure(Membership, user=user, organisation=orgs[org_slug], defaults={"role": role, "job_title": title},
               on=STORY_START, by=admin)
    return [
        f"{len(orgs)} organisations, {len(PARTNERS)} partners, {len(PEOPLE) + 1} demo people "
        f"(password {DEMO_PASSWORD!r})."
    ]


def load_all(stdout=None) -> list[str]:
    """Load the kernel's demo data and then every app's, in INSTALLED_APPS order."""
    summary = load_kernel()
    for config in apps.get_app_configs():
        module_name = f"{config.name}.demo"
        if config.name == "govtrack" or importlib.util.find_spec(config.name) is None:
            continue
        if importlib.util.find_spec(module_name) is None:
            continue
        module = importlib.import_module(module_name)
        summary.extend(module.load() or [])
    return summary


def demo_logins() -> list[tuple[str, str, str]]:
    """(username, organisation, role) of each demo person, for the README and the start script."""
    return [(u, org, str(role)) for u, _f, _l, org, role, _t in PEOPLE] + [("superuser", "all", "superuser")]
