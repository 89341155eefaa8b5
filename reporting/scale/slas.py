"""Generated SLAs: each organisation's agreement with its partnership's provider, its service lines,
months of figures up to last month, and the breaches those figures imply.

The agreement is agreed, published and shared with the partnership (as ``share_with_partnership``
leaves it). Each line's figures are drawn from a range around its target, so most months meet it
and some miss; one line per agreement has a run of misses long enough to escalate to the owner.
Breaches are derived here as ``slas.services.derive_breaches`` would (a miss makes one; runs are
numbered), in bulk rather than through the service's per-breach events.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from govtrack.models import Membership, PartnershipMembership
from reporting.scale import GeneratedOrganisation, Run, insert
from slas import periods
from slas.models import Agreement, Breach, Measurement, ServiceLine

HIGHER, LOWER = ServiceLine.Direction.HIGHER, ServiceLine.Direction.LOWER

# service, metric, unit, target, direction, share of the charge, (low, high) of the figures: about one
# figure in eight misses its target
LINES = [
    ("Network and hosting", "Availability of the core network and data centre", "%", "99.5", HIGHER, "0.20",
     (99.43, 99.99)),
    ("Service desk", "Priority 1 incidents resolved within 4 hours", "%", "95", HIGHER, "0.15", (94.2, 100)),
    ("Service desk", "Priority 2 incidents resolved within 8 hours", "%", "90", HIGHER, "0.10", (89, 99)),
    ("Service desk", "Calls resolved at first contact", "%", "70", HIGHER, "0.10", (68, 86)),
    ("Service desk", "Calls answered within 60 seconds", "%", "85", HIGHER, "0.05", (83, 98)),
    ("Changes", "Working days to complete a standard change", "days", "5", LOWER, "0.10", (2.5, 5.4)),
    ("Security", "Critical patches applied within 14 days", "%", "98", HIGHER, "0.10", (97.7, 100)),
    ("Hosting", "Backups completed and verified", "%", "99", HIGHER, "0.05", (98.85, 100)),
    ("Projects", "Project milestones met on time", "%", "80", HIGHER, "0.10", (77, 98)),
    ("Customer satisfaction", "Average satisfaction score (out of 5)", "score", "4", HIGHER, "0.05", (3.9, 4.7)),
]


def _figure(rng, low: float, high: float) -> Decimal:
    return Decimal(str(round(rng.uniform(low, high), 2 if high > 10 else 1)))


def _misses(direction: str, target: Decimal, actual: Decimal) -> bool:
    return actual < target if direction == HIGHER else actual > target


def _partners() -> dict[int, tuple[int, int]]:
    """Organisation id → (its current partnership, that partnership's provider), for the generated partnerships."""
    rows = (PartnershipMembership.objects.current().filter(partnership__provider__isnull=False)
            .order_by("partnership_id", "joined_on").values_list("organisation_id", "partnership_id",
                                                                  "partnership__provider_id"))
    return {organisation: (partnership, provider) for organisation, partnership, provider in rows}


def _agreement(run: Run, generated: GeneratedOrganisation, rng, partnership: int, provider: int) -> Agreement:
    organisation = generated.organisation
    first = periods.add_months(periods.month_start(run.today), -run.scale.months_of_figures)
    managers = generated.members(Membership.Role.MANAGER)
    charge = Decimal(rng.randint(8, 45) * 100_000)
    approved = timezone.now() - timedelta(days=rng.randint(400, 700))
    return Agreement(
        title=f"ICT service level agreement: {organisation.short_name}",
        reference=f"SLA-{organisation.slug.upper()}"[:60], provider_id=provider, client=organisation,
        memorandum="Memorandum of understanding between the partners", shared_with_id=partnership,
        status=Agreement.Status.AGREED, effective_from=first,
        effective_to=periods.add_months(first, 60) - timedelta(days=1),
        # About one in five agreements is past its review date.
        review_on=run.today + timedelta(days=rng.randint(-60, 240)), annual_charge=charge,
        users=rng.randint(800, 4000), devices=rng.randint(1000, 5000), owner_id=managers[0],
        summary=f"The shared service runs {organisation.short_name}'s network, data centre and service desk.",
        created_by_id=generated.members(Membership.Role.OFFICER)[0],
        approved_by_id=managers[1] if len(managers) > 1 else None, approved_at=approved,
        published_at=approved + timedelta(days=7),
    )


def _lines(run: Run, agreement: Agreement) -> list[ServiceLine]:
    chosen = [LINES[i % len(LINES)] for i in range(run.scale.lines_per_agreement)]
    return [
        ServiceLine(agreement=agreement, service=service, metric=metric, reference=f"KPI {n + 1}", unit=unit,
                    target=Decimal(target), direction=direction, position=n,
                    charge=(agreement.annual_charge * Decimal(share)).quantize(Decimal("1")))
        for n, (service, metric, unit, target, direction, share, _range) in enumerate(chosen)
    ]


def _measurements(run: Run, rng, lines: list[ServiceLine], by: int) -> list[Measurement]:
    last = periods.add_months(periods.month_start(run.today), -1)
    months = periods.periods_between(periods.add_months(last, -(run.scale.months_of_figures - 1)), last,
                                     periods.MONTHLY)
    ranges = [LINES[i % len(LINES)][-1] for i in range(len(lines))]
    # One line misses its last three months: a run long enough to escalate.
    running = rng.randrange(len(lines)) if lines else -1
    made = []
    for index, (line, (low, high)) in enumerate(zip(lines, ranges, strict=True)):
        for position, month in enumerate(months):
            actual = _figure(rng, low, high)
            if index == running and position >= len(months) - 3:
                actual = Decimal(str(low)) if line.direction == HIGHER else Decimal(str(high))
            made.append(Measurement(service_line=line, period=month, actual=actual, submitted_by_id=by))
    return made


def _breaches(measurements: list[Measurement], agreements: dict[int, Agreement]) -> list[Breach]:
    """A breach per miss, numbered by its run; the miss that reaches the agreement's count is escalated."""
    lines = {m.service_line.pk: m.service_line for m in measurements}
    breaches, run_length, previous = [], {}, {}
    now = timezone.now()
    for measurement in sorted(measurements, key=lambda m: (m.service_line.pk, m.period)):
        line = lines[measurement.service_line.pk]
        if not _misses(line.direction, line.target, measurement.actual):
            continue
        before = previous.get(line.pk)
        run = run_length[line.pk] + 1 if before and periods.next_period(before, line.period) == measurement.period \
            else 1
        run_length[line.pk], previous[line.pk] = run, measurement.period
        agreement = agreements[line.agreement_id]
        escalated = run == agreement.escalate_after
        breaches.append(Breach(
            measurement=measurement, service_line=line, period=measurement.period, actual=measurement.actual,
            target=line.target, consecutive=run, escalated_at=now if escalated else None,
            escalated_to_id=agreement.owner_id if escalated else None,
        ))
    return breaches


def generate(run: Run) -> None:
    with run.step("SLAs"):
        partners = _partners()
        chosen = [g for g in run.organisations if g.pk in partners]
        agreements = insert(Agreement, [
            _agreement(run, g, run.random(f"slas.agreement.{g.index}"), *partners[g.pk]) for g in chosen])
        for generated, agreement in zip(chosen, agreements, strict=True):
            risks = generated.extra.get("risks", [])[:2]
            generated.extra["agreement"] = agreement.pk
            if risks:
                insert(Agreement.risks.through, [Agreement.risks.through(agreement_id=agreement.pk, risk_id=r)
                                                 for r in risks])
        lines = insert(ServiceLine, [line for agreement in agreements for line in _lines(run, agreement)])
        by_agreement: dict[int, list[ServiceLine]] = {}
        for line in lines:
            by_agreement.setdefault(line.agreement_id, []).append(line)
        measurements = []
        for generated, agreement in zip(chosen, agreements, strict=True):
            measurements += _measurements(run, run.random(f"slas.figures.{generated.index}"),
                                          by_agreement.get(agreement.pk, []),
                                          generated.members(Membership.Role.OFFICER)[0])
        measurements = insert(Measurement, measurements)
        breaches = insert(Breach, _breaches(measurements, {a.pk: a for a in agreements}))
        run.count("agreements", len(agreements))
        run.count("service lines", len(lines))
        run.count("measurements", len(measurements))
        run.count("breaches", len(breaches))
