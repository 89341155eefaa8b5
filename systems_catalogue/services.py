"""Rationalisation: the questions a council asks of its whole estate, each answered in a few queries.

Every function takes the systems (or contracts) the person may see, so the permission rule
has already been applied by the caller through ``visible_to``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Prefetch, Q, QuerySet
from django.db.models.functions import Lower
from django.utils.translation import gettext as _

from govtrack.models import Organisation
from govtrack.notifications import Notice, notify_many
from govtrack.pages import record_path
from systems_catalogue.models import Capability, Contract, Supplier, System


def months_ahead(today: date, months: int) -> date:
    """The same day ``months`` later (the end of the month when it has no such day)."""
    return today + relativedelta(months=months)


@dataclass
class SharedProduct:
    product: str
    systems: list[System] = field(default_factory=list)

    @property
    def organisations(self) -> list:
        """Every organisation using the product: those with a system, and partners declared on them."""
        seen = {}
        for system in self.systems:
            seen.setdefault(system.organisation_id, system.organisation)
            for partner in system.shared_with.all():
                seen.setdefault(partner.pk, partner)
        return sorted(seen.values(), key=lambda o: o.name)


def capability_overlaps(*, systems: QuerySet) -> list[Capability]:
    """Capabilities provided by more than one of these systems, each with its ``overlapping`` systems."""
    systems = systems.active().exclude(lifecycle=System.Lifecycle.RETIRED)
    ids = list(systems.values_list("pk", flat=True))
    return list(
        Capability.objects.annotate(n=Count("systems", filter=Q(systems__in=ids), distinct=True))
        .filter(n__gt=1)
        .order_by("-n", "name")
        .prefetch_related(
            Prefetch(
                "systems",
                queryset=System.objects.filter(pk__in=ids).select_related("organisation", "directorate", "supplier"),
                to_attr="overlapping",
            )
        )
    )


def shared_products(*, systems: QuerySet) -> list[SharedProduct]:
    """Products used by more than one organisation: seen across partners, or declared as shared."""
    systems = systems.active().exclude(lifecycle=System.Lifecycle.RETIRED).exclude(product="")
    products = (
        systems.annotate(key=Lower("product"))
        .order_by()
        .values("key")
        .annotate(orgs=Count("organisation", distinct=True), partners=Count("shared_with", distinct=True))
        .filter(Q(orgs__gt=1) | Q(partners__gt=0))
        .values_list("key", flat=True)
    )
    keys = set(products)
    grouped: dict[str, SharedProduct] = {}
    rows = (
        systems.annotate(key=Lower("product"))
        .filter(key__in=keys)
        .select_related("organisation", "supplier")
        .prefetch_related("shared_with")
        .order_by("product", "organisation__name")
    )
    for system in rows:
        grouped.setdefault(system.key, SharedProduct(product=system.product)).systems.append(system)
    return sorted(grouped.values(), key=lambda p: (-len(p.organisations), p.product.lower()))


def renewals(*, contracts: QuerySet, today: date, days: int) -> list[Contract]:
    """Live contracts whose end or notice date falls within ``days``, soonest notice first."""
    return list(
        contracts.active()
        .filter(system__archived_at__isnull=True)
        .ending_within(days=days, today=today)
        .select_related("system", "system__organisation", "system__owner", "supplier")
        .order_by("notice_on", "end_on")
    )


@dataclass
class Renewals:
    """Contracts by renewal stage: notice passed (still running), due today, and coming within 6 and 12 months."""

    notice_passed: list[Contract] = field(default_factory=list)
    due_today: list[Contract] = field(default_factory=list)
    within_6: list[Contract] = field(default_factory=list)
    within_12: list[Contract] = field(default_factory=list)


def renewals_by_stage(*, contracts: QuerySet, today: date) -> Renewals:
    """Every contract needing a decision in the next 12 months, each in one stage (one query)."""
    six = months_ahead(today, 6)
    horizon = (months_ahead(today, 12) - today).days
    running = (
        contracts.active()
        .filter(system__archived_at__isnull=True, end_on__gte=today, end_on__isnull=False)
        .with_notice_on()
        .filter(Q(end_on__lte=today + timedelta(days=horizon)) | Q(notice_on__lte=today + timedelta(days=horizon)))
        .select_related("system", "system__organisation", "system__owner", "supplier")
        .order_by("notice_on", "end_on", "pk")
    )
    result = Renewals()
    for contract in running:
        stage = contract.renewal_stage(today)
        if stage == Contract.RenewalStage.NOTICE_PASSED:
            result.notice_passed.append(contract)
        elif stage == Contract.RenewalStage.DUE_TODAY:
            result.due_today.append(contract)
        else:
            notice = contract.notice_date
            next_date = notice if notice and notice > today else contract.end_on
            (result.within_6 if next_date <= six else result.within_12).append(contract)
    return result


def costs(*, contracts: QuerySet, today: date) -> dict:
    """Current contracts' costs by directorate and by supplier, with their total; every sum says how many
    contracts it leaves out for want of a figure."""
    current = contracts.active().filter(system__archived_at__isnull=True).current(today)
    return {
        "directorate": list(current.cost_by("system__directorate__name")),
        "supplier": list(current.cost_by("supplier__name")),
        "total": current.cost_total(),
    }


@transaction.atomic
def merge_suppliers(*, source: Supplier, into: Supplier, by) -> int:
    """Make ``source`` and ``into`` one supplier: every record naming ``source`` names ``into`` instead (each
    change in its audit trail), and ``source`` is archived. Returns how many records moved."""
    if source.pk == into.pk or source.organisation_id != into.organisation_id or into.archived_at is not None:
        raise ValidationError(_("Choose another current supplier of the same organisation to merge into."))
    reason = _("Supplier %(source)s merged into %(into)s") % {"source": source.name, "into": into.name}
    moved = 0
    # Every foreign key to Supplier, including those other apps add; the audit trail's own copies are hidden.
    for relation in Supplier._meta.related_objects:
        if relation.hidden or not relation.one_to_many:
            continue
        for record in relation.related_model._default_manager.filter(**{relation.field.name: source}):
            setattr(record, relation.field.name, into)
            record._history_user = by
            record._change_reason = reason
            record.save()
            moved += 1
    source._change_reason = reason
    source.archive(by=by)
    return moved


#: Days before a contract's end or notice date at which its system owner is told.
RENEWAL_THRESHOLDS = (180, 90, 30)


def run_contract_renewal_check(*, organisation: Organisation | None, today: date) -> int:
    """Tell system owners of contracts whose end or notice date is within 180, 90 or 30 days.

    Each owner hears once per threshold and date: the tightest threshold reached, so a contract
    found 20 days from its end yields one notice, not three. A new end date starts afresh.
    """
    contracts = (
        Contract.objects.active()
        .filter(system__archived_at__isnull=True, system__owner__isnull=False)
        .exclude(system__lifecycle=System.Lifecycle.RETIRED)
        .ending_within(days=max(RENEWAL_THRESHOLDS), today=today)
        .select_related("system", "system__owner", "system__organisation", "supplier")
    )
    if organisation is not None:
        contracts = contracts.filter(system__organisation=organisation)
    notices = []
    for contract in contracts:
        for what, when in (("notice", contract.notice_date), ("end", contract.end_on)):
            if when is None or when < today or (what == "notice" and when == contract.end_on):
                continue
            days = (when - today).days
            reached = [t for t in RENEWAL_THRESHOLDS if days <= t]
            if not reached:
                continue
            notices.append(_renewal_notice(contract, what=what, when=when, days=days, threshold=min(reached)))
    return notify_many(notices)


def _renewal_notice(contract: Contract, *, what: str, when: date, days: int, threshold: int) -> Notice:
    system = contract.system
    if what == "notice":
        subject = _("Notice for %(system)s's contract must be given by %(date)s") % {
            "system": system.name,
            "date": when.strftime("%d %B %Y"),
        }
    else:
        subject = _("%(system)s's contract ends on %(date)s") % {
            "system": system.name,
            "date": when.strftime("%d %B %Y"),
        }
    body = _("%(days)s days left. Contract: %(contract)s. Decide whether to renew, re-procure or retire.") % {
        "days": days,
        "contract": contract,
    }
    return Notice(
        recipient_id=system.owner_id,
        key=f"systems:contract:{contract.pk}:{what}:{when.isoformat()}:{threshold}",
        subject=subject,
        body=body,
        url=contract.get_absolute_url(),
        organisation_id=system.organisation_id,
        kind="contract",
    )


def _reviewed(system: System) -> str:
    return system.last_reviewed_on.isoformat() if system.last_reviewed_on else "never"


def run_review_check(*, organisation: Organisation | None, today: date) -> int:
    """Tell system owners whose system's annual review is overdue; once per review cycle."""
    systems = System.objects.active().review_overdue(today).filter(owner__isnull=False)
    if organisation is not None:
        systems = systems.filter(organisation=organisation)
    body = _("Check its details, contracts and costs, add a comment, and record the review date.")
    text, path = _("The annual review of %(system)s is overdue"), record_path("systems_catalogue:system_detail")
    notices = [
        Notice(
            recipient_id=system.owner_id,
            key=f"systems:review:{system.pk}:{_reviewed(system)}",
            subject=text % {"system": system.name},
            body=body,
            url=path(system.pk),
            organisation_id=system.organisation_id,
            kind="system",
        )
        for system in systems.only("pk", "name", "owner_id", "organisation_id", "last_reviewed_on")
    ]
    return notify_many(notices)
