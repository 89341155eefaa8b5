"""Demo SLAs: each SRS partner's agreement with the Shared Resource Service, and two years of monthly figures.

Monmouthshire's SLA is still a draft, as the Wales Audit Office found it in 2016 (P3: "only exist in
draft form, and have not been agreed"); the other partners' are agreed and published. The figures are
plausible, deterministic and miss their targets now and then, so some lines have breaches and one
has a run long enough to escalate. A council joins the partnership soon with no agreed SLA, so the
check has something to find. Idempotent: only missing rows are added.

The trail keeps the story's dates: an agreement and its lines are recorded by SRS when the agreement
came into force, and each month's figures a few days after the month ended.
"""

from __future__ import annotations

import random
from datetime import timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from govtrack.demo import ensure, happened, moment
from govtrack.models import Organisation, Partnership, PartnershipMembership
from registers.models import Register
from slas import periods, services
from slas.models import Agreement, Measurement, ServiceLine

# client slug, annual charge, users, devices, status, owner username, risk register slug
AGREEMENTS = [
    ("torfaen", "4100000", 3200, 4100, Agreement.Status.AGREED, "", ""),
    ("monmouthshire", "2600000", 2400, 3300, Agreement.Status.DRAFT, "digital.manager", "resources"),
    ("gwent-police", "3800000", 2100, 3900, Agreement.Status.AGREED, "", ""),
    ("blaenau-gwent", "1900000", 1900, 2500, Agreement.Status.AGREED, "", ""),
    ("newport", "3200000", 3600, 4600, Agreement.Status.AGREED, "newport.officer", ""),
]

# service, Welsh, metric, Welsh, unit, target, direction, share of the charge, (low, high) of the figures
LINES = [
    ("Network and hosting", "Rhwydwaith a lletya", "Availability of the core network and data centre", "Argaeledd y "
     "rhwydwaith craidd a'r ganolfan ddata", "%", "99.5", ServiceLine.Direction.HIGHER, "0.35", (99.2, 99.99)),
    ("Service desk", "Desg gwasanaeth", "Priority 1 incidents resolved within 4 hours", "Digwyddiadau blaenoriaeth 1 "
     "wedi'u datrys o fewn 4 awr", "%", "95", ServiceLine.Direction.HIGHER, "0.25", (88, 100)),
    ("Service desk", "Desg gwasanaeth", "Calls resolved at first contact", "Galwadau wedi'u datrys y tro cyntaf",
     "%", "70", ServiceLine.Direction.HIGHER, "0.15", (62, 84)),
    ("Changes", "Newidiadau", "Working days to complete a standard change", "Diwrnodau gwaith i gwblhau newid "
     "safonol", "days", "5", ServiceLine.Direction.LOWER, "0.15", (2.5, 6.5)),
    ("Customer satisfaction", "Boddhad cwsmeriaid", "Average satisfaction score (out of 5)", "Sgôr boddhad "
     "cyfartalog (allan o 5)", "score", "4", ServiceLine.Direction.HIGHER, "0.10", (3.7, 4.7)),
]

SUMMARY = ("The Shared Resource Service runs {org}'s network, data centre, service desk and changes. The network "
           "is available at least 99.5% of each month. When something critical stops working, at least 95 in 100 "
           "are fixed within 4 hours. Call the service desk first: most calls are solved there and then. Each "
           "month's figures are published here, and a missed target is reported to the council's client team.")
SUMMARY_CY = ("Mae'r Gwasanaeth Adnoddau a Rennir yn rhedeg rhwydwaith, canolfan ddata, desg gwasanaeth a newidiadau "
              "{org}. Mae'r rhwydwaith ar gael o leiaf 99.5% o bob mis. Pan fydd rhywbeth hanfodol yn peidio â "
              "gweithio, caiff o leiaf 95 o bob 100 eu trwsio o fewn 4 awr. Ffoniwch y ddesg gwasanaeth yn "
              "gyntaf. Cyhoeddir ffigurau pob mis yma.")

#: The council joining the partnership with no agreed SLA (the check's example).
JOINING = ("caerphilly", "Caerphilly County Borough Council", "Caerphilly", "Cyngor Bwrdeistref Sirol Caerffili",
           "Caerffili")
MONTHS = 24


def _figure(rng: random.Random, low: float, high: float) -> Decimal:
    return Decimal(str(round(rng.uniform(low, high), 2 if high > 10 else 1)))


def _agreement(srs, client, row, today, people) -> Agreement:
    slug, charge, users, devices, status, owner, register_slug = row
    start = periods.add_months(periods.month_start(today), -MONTHS)
    agreed = status == Agreement.Status.AGREED
    register = Register.objects.filter(organisation=client, slug=register_slug).first() if register_slug else None
    agreement = Agreement.objects.filter(provider=srs, client=client, reference=f"SRS-{slug.upper()}-SLA").first()
    if agreement is None:
        with happened(start, by=people.get("srs.manager")):
            agreement = Agreement.objects.create(
                title=f"SRS ICT service level agreement: {client.short_name or client.name}",
                reference=f"SRS-{slug.upper()}-SLA", provider=srs, client=client,
                memorandum="SRS Memorandum of Understanding between the partners", effective_from=start,
                effective_to=periods.add_months(start, 60) - timedelta(days=1),
                review_on=periods.add_months(periods.month_start(today), 4 if agreed else -2),
                annual_charge=Decimal(charge), users=users, devices=devices, owner=people.get(owner),
                risk_register=register, summary=SUMMARY.format(org=client.short_name) if agreed else "",
                summary_cy=SUMMARY_CY.format(org=client.short_name_cy or client.short_name) if agreed else "",
                created_by=people.get("srs.manager"),
            )
    for position, (service, service_cy, metric, metric_cy, unit, target, direction, share, _r) in enumerate(LINES):
        ensure(ServiceLine, agreement=agreement, service=service, metric=metric, defaults={
            "service_cy": service_cy, "metric_cy": metric_cy, "unit": unit, "target": Decimal(target),
            "direction": direction, "charge": (Decimal(charge) * Decimal(share)).quantize(Decimal("1")),
            "position": position}, on=start, by=people.get("srs.manager"))
    if agreed and agreement.status == Agreement.Status.DRAFT:
        Agreement.objects.filter(pk=agreement.pk).update(status=status, approved_at=timezone.now(),
                                                         published_at=timezone.now())
    return agreement


def _figures(agreement: Agreement, today, by) -> int:
    """Two years of monthly figures up to last month; only the months not there yet are added."""
    lines = list(agreement.lines.all())
    have = set(Measurement.objects.filter(service_line__in=lines).values_list("service_line_id", "period"))
    last = periods.add_months(periods.month_start(today), -1)
    new = []
    for line, spec in zip(lines, LINES, strict=False):
        low, high = spec[-1]
        for month in periods.periods_between(periods.add_months(last, -(MONTHS - 1)), last, periods.MONTHLY):
            if (line.pk, month) in have or not agreement.covers(month, line.period):
                continue
            rng = random.Random(f"{agreement.reference}:{line.metric}:{month}")
            measurement = Measurement(service_line=line, period=month, actual=_figure(rng, low, high),
                                      submitted_by=by, note="")
            # Submitted a few days after the month ended.
            measurement._history_date = min(moment(periods.add_months(month, 1) + timedelta(days=4)), timezone.now())
            new.append(measurement)
    # A run of misses on Newport's first-contact line, long enough to escalate.
    if agreement.client.slug == "newport":
        line = next(line for line in lines if line.metric.startswith("Calls resolved"))
        for m in new:
            if m.service_line_id == line.pk and m.period >= periods.add_months(last, -3):
                m.actual = Decimal("64.0")
    if new:
        bulk_create_with_history(new, Measurement, default_user=by)
    return len(new)


def load() -> list[str]:
    srs = Organisation.objects.filter(slug="srs").first()
    partnership = Partnership.objects.filter(slug="srs").first()
    if srs is None or partnership is None:
        return []
    today = timezone.localdate()
    people = {u.username: u for u in get_user_model().objects.filter(
        username__in=["digital.manager", "newport.officer", "srs.manager"])}
    agreements, added = [], 0
    for row in AGREEMENTS:
        client = Organisation.objects.filter(slug=row[0]).first()
        if client is None:
            continue
        agreement = _agreement(srs, client, row, today, people)
        agreements.append(agreement)
        added += _figures(agreement, today, people.get("srs.manager"))
    if added:
        services.derive_breaches(lines=list(ServiceLine.objects.filter(agreement__in=agreements)
                                            .values_list("pk", flat=True)))
        services.escalate_repeated_breaches(today=today)
    slug, name, short, name_cy, short_cy = JOINING
    joining = ensure(Organisation, slug=slug, defaults={"name": name, "short_name": short, "name_cy": name_cy,
                                                        "short_name_cy": short_cy,
                                                        "kind": Organisation.Kind.COUNCIL})
    if not PartnershipMembership.objects.filter(partnership=partnership, organisation=joining).exists():
        PartnershipMembership.objects.create(partnership=partnership, organisation=joining,
                                             joined_on=periods.add_months(periods.month_start(today), 2))
    return [f"{len(agreements)} SRS agreements (Monmouthshire's still a draft) with {MONTHS} months of figures; "
            f"{short} joins the partnership with no agreed SLA."]
