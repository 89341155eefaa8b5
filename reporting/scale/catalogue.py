"""Generated catalogue: suppliers, systems with capabilities, contracts, owners' comments, integrations.

About three systems in four have a contract and about one in five is incomplete in some
required field, so completeness, renewals and the contract checks have something to find.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.utils.text import slugify

from govtrack.demo import ensure
from govtrack.models import Membership
from reporting.scale import GeneratedOrganisation, Run, insert
from systems_catalogue.demo import CAPABILITIES
from systems_catalogue.models import (
    DEFAULT_REQUIRED_FIELDS,
    Capability,
    CatalogueSettings,
    Contract,
    Integration,
    OwnerComment,
    Supplier,
    System,
)

SUPPLIERS = [
    "Civica", "Capita", "Idox", "Northgate Public Services", "Microsoft", "Unit4", "MHR", "Granicus", "Jadu",
    "Esri UK", "Careworks", "Tunstall", "Bartec Municipal Technologies", "Yotta", "Trapeze", "Iken", "Mitel",
    "Proactis", "Axiell", "Gladstone", "ParentPay", "Abritas", "Jigsaw", "Ideagen", "Xpress Software Solutions",
]
PRODUCT_WORDS = ["Case manager", "Portal", "Records", "Scheduler", "Ledger", "Gateway", "Register", "Tracker",
                 "Hub", "Workflow", "Bookings", "Payments", "Mapping", "Archive", "Monitor"]
AREAS = ["Adult social care", "Children's services", "Revenues", "Benefits", "Planning", "Licensing", "Waste",
         "Highways", "Libraries", "Leisure", "Housing", "Payroll", "Procurement", "Elections", "Schools",
         "Customer contact", "Estates", "Fleet", "Legal", "Public health"]
COMMENTS = ["Works well; the supplier responds quickly.", "Users ask for better reports.",
            "Renewal under discussion with partners.", "Upgrade planned with the next release.",
            "Data quality needs attention after the migration.", "Considering a shared product with partners."]


def _capabilities() -> list[int]:
    """The shared vocabulary (the demo's list), created when missing."""
    return [ensure(Capability, slug=slugify(name), defaults={"name": name}).pk for name in CAPABILITIES]


def _system(rng, generated: GeneratedOrganisation, position: int, suppliers: list[Supplier], run: Run) -> System:
    owners = generated.members(Membership.Role.OFFICER, Membership.Role.MANAGER)
    complete = rng.random() > 0.2
    area = rng.choice(AREAS)
    supplier = rng.choice(suppliers)
    lifecycle = rng.choices(list(System.Lifecycle.values), weights=[5, 80, 10, 5])[0]
    reviewed = run.today - timedelta(days=rng.randint(0, 500)) if complete or rng.random() > 0.5 else None
    return System(
        organisation=generated.organisation,
        name=f"{area} {rng.choice(PRODUCT_WORDS).lower()} {position + 1:05d}",
        purpose=f"Supports {area.lower()} for {generated.organisation.short_name}." if complete else "",
        directorate=rng.choice(generated.directorates) if complete or rng.random() > 0.3 else None,
        service_area=area,
        owner_id=rng.choice(owners) if complete or rng.random() > 0.4 else None,
        supplier=supplier,
        product=f"{supplier.name.split()[0]} {rng.choice(PRODUCT_WORDS)}",
        hosting=rng.choice(list(System.Hosting.values)),
        lifecycle=lifecycle,
        criticality=rng.choices(list(System.Criticality.values), weights=[15, 30, 35, 20])[0],
        personal_data=rng.choice(list(System.PersonalData.values)) if complete else "",
        end_of_support_on=run.today + timedelta(days=rng.randint(-400, 2000)) if rng.random() > 0.5 else None,
        last_reviewed_on=reviewed,
    )


def _contract(rng, system: System, run: Run) -> Contract:
    start = run.today - timedelta(days=rng.randint(30, 2500))
    end = start + timedelta(days=365 * rng.randint(1, 7) + rng.randint(0, 200))
    licence = Decimal(rng.randint(10, 2500) * 100)
    return Contract(
        system=system, supplier=system.supplier, reference=f"C-{system.pk:07d}", title=f"{system.name} contract",
        awarded_on=start - timedelta(days=rng.randint(10, 90)), start_on=start, end_on=end,
        notice_period_days=rng.choice([30, 60, 90, 180]), annual_licence_cost=licence,
        annual_support_cost=(licence / 5).quantize(Decimal("1")) if rng.random() > 0.4 else None,
        total_value=licence * ((end - start).days // 365 + 1),
        procurement_route=rng.choice(list(Contract.ProcurementRoute.values)),
    )


def _organisation(run: Run, generated: GeneratedOrganisation, capabilities: list[int]) -> None:
    rng = run.random(f"catalogue.{generated.index}")
    organisation = generated.organisation
    insert(CatalogueSettings, [CatalogueSettings(organisation=organisation,
                                                 required_fields=list(DEFAULT_REQUIRED_FIELDS))])
    n_systems = run.scale.split(run.scale.systems)[generated.index]
    n_suppliers = min(len(SUPPLIERS) * 4, max(5, n_systems // 6))
    suppliers = insert(Supplier, [
        Supplier(organisation=organisation,
                 name=SUPPLIERS[i % len(SUPPLIERS)] + ("" if i < len(SUPPLIERS) else f" {i // len(SUPPLIERS) + 1}"),
                 website="https://supplier.example.com")
        for i in range(n_suppliers)
    ])
    systems = insert(System, [_system(rng, generated, i, suppliers, run) for i in range(n_systems)])
    links = []
    for system in systems:
        if rng.random() < 0.85:
            for capability in rng.sample(capabilities, rng.randint(1, 3)):
                links.append(System.capabilities.through(system_id=system.pk, capability_id=capability))
    insert(System.capabilities.through, links)
    contracts = insert(Contract, [_contract(rng, s, run) for s in systems if rng.random() < 0.75])
    authors = generated.members(Membership.Role.OFFICER, Membership.Role.MANAGER)
    comments = insert(OwnerComment, [
        OwnerComment(system=s, author_id=s.owner_id or rng.choice(authors), text=rng.choice(COMMENTS),
                     written_on=run.today - timedelta(days=rng.randint(0, 700)))
        for s in systems if rng.random() < 0.2
    ])
    pairs = {(a.pk, b.pk) for a, b in (rng.sample(systems, 2) for _ in range(len(systems) // 4)) if a.pk != b.pk}
    integrations = insert(Integration, [Integration(source_id=a, target_id=b, description="Daily data feed")
                                        for a, b in sorted(pairs)])
    generated.extra["systems"] = [(s.pk, s.criticality, s.lifecycle) for s in systems]
    run.count("suppliers", len(suppliers))
    run.count("systems", len(systems))
    run.count("system capabilities", len(links))
    run.count("contracts", len(contracts))
    run.count("owners' comments", len(comments))
    run.count("integrations", len(integrations))


def _shared_products(run: Run) -> None:
    """Partners using the same product: a few systems name the next organisation as a partner."""
    rng = run.random("catalogue.shared")
    if len(run.organisations) < 2:
        return
    rows = []
    for generated in run.organisations:
        partner = run.organisations[(generated.index + 1) % len(run.organisations)]
        systems = generated.extra["systems"]
        for pk, _criticality, _lifecycle in rng.sample(systems, max(1, len(systems) // 20)):
            rows.append(System.shared_with.through(system_id=pk, organisation_id=partner.pk))
    insert(System.shared_with.through, rows)
    run.count("shared products", len(rows))


def generate(run: Run) -> None:
    with run.step("catalogue"):
        capabilities = _capabilities()
        for generated in run.organisations:
            _organisation(run, generated, capabilities)
        _shared_products(run)
