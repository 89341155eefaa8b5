"""Workflows of the SLAs: the lifecycle, submitting measurements, deriving and escalating breaches, the checks,
and the set-based figures dashboards and board packs read.

The pages, the API, the scheduled checks and the commands all call these functions; each rule is here once.
Figures for dashboards (``performance_by_partner_month``, ``breaches_in_period``, ``value_for_money``,
``charge_by_service``) take a queryset of agreements the caller may read and run a fixed number of queries.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, F, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from govtrack import access
from govtrack.models import Organisation, Partnership, PartnershipMembership, notify
from govtrack.people import members_of
from govtrack.roles import MANAGE_ROLES
from registers.models import Risk
from slas import periods
from slas.models import Agreement, Breach, Measurement, ServiceLine

#: Days ahead the check looks for partners joining with no agreed SLA.
JOINING_WITHIN_DAYS = 90
#: How many closed periods back the missing-measurement check looks.
MISSING_LOOKBACK_PERIODS = 12


# -- the lifecycle ----------------------------------------------------------------------------------------------


def _locked(agreement: Agreement) -> Agreement:
    return Agreement.objects.select_for_update().get(pk=agreement.pk)


def _save(agreement: Agreement, *, by, reason: str, fields: list[str]) -> None:
    agreement._history_user = by
    agreement._change_reason = reason
    agreement.save(update_fields=[*fields, "updated_at"])


@transaction.atomic
def start_negotiation(*, agreement: Agreement, by) -> Agreement:
    """A draft goes to the other party for negotiation."""
    access.require(access.can_change(by, agreement))
    if _locked(agreement).status != Agreement.Status.DRAFT:
        raise ValidationError(_("Only a draft can go to negotiation."))
    agreement.status = Agreement.Status.NEGOTIATING
    _save(agreement, by=by, reason="Negotiation started", fields=["status"])
    return agreement


@transaction.atomic
def approve_agreement(*, agreement: Agreement, by) -> Agreement:
    """A manager of the client side, not the author, agrees the SLA; the version it replaces is superseded."""
    locked = _locked(agreement)
    problem = locked.approval_problem(by)
    if problem:
        raise ValidationError(problem)
    if agreement.supersedes_id:
        previous = Agreement.objects.select_for_update().get(pk=agreement.supersedes_id)
        previous.status = Agreement.Status.SUPERSEDED
        _save(previous, by=by, reason=f"Superseded by version {agreement.revision}", fields=["status"])
    agreement.status = Agreement.Status.AGREED
    agreement.approved_by, agreement.approved_at = by, timezone.now()
    _save(agreement, by=by, reason="Approved", fields=["status", "approved_by", "approved_at"])
    return agreement


@transaction.atomic
def publish_agreement(*, agreement: Agreement, by) -> Agreement:
    """Publish an agreed SLA in plain language, in English and Welsh, to every member of both parties."""
    access.require(access.can_change(by, agreement))
    locked = _locked(agreement)
    if locked.status != Agreement.Status.AGREED:
        raise ValidationError(_("Only an agreed SLA can be published."))
    missing = [label for name, label in (("summary", _("in plain English")), ("summary_cy", _("in Welsh")))
               if not (getattr(locked, name) or "").strip()]
    if missing:
        raise ValidationError(_("Say what service to expect %(missing)s before publishing.")
                              % {"missing": _(" and ").join(missing)})
    agreement.published_at = timezone.now()
    _save(agreement, by=by, reason="Published", fields=["published_at"])
    return agreement


@transaction.atomic
def new_version(*, agreement: Agreement, by) -> Agreement:
    """Start the next version of an agreed (or expired) SLA as a draft, with a copy of its service lines."""
    access.require(access.can_change(by, agreement) or access.role_in(by, agreement.client_id) in MANAGE_ROLES)
    locked = _locked(agreement)
    if locked.status not in (Agreement.Status.AGREED, Agreement.Status.EXPIRED):
        raise ValidationError(_("A new version starts from an agreed or expired SLA; change this one directly."))
    if Agreement.objects.filter(supersedes=locked).exists():
        raise ValidationError(_("A newer version of this agreement is already being made."))
    copy = Agreement(
        title=locked.title, reference=locked.reference, revision=locked.revision + 1, supersedes=locked,
        provider=locked.provider, client=locked.client, memorandum=locked.memorandum,
        shared_with=locked.shared_with, effective_from=None, effective_to=locked.effective_to,
        review_on=locked.review_on, annual_charge=locked.annual_charge, users=locked.users,
        devices=locked.devices, owner=locked.owner, escalate_after=locked.escalate_after,
        risk_register=locked.risk_register, summary=locked.summary, summary_cy=locked.summary_cy, created_by=by,
    )
    copy._history_user = by
    copy.save()
    copy.risks.set(locked.risks.all())
    lines = [ServiceLine(agreement=copy, service=line.service, service_cy=line.service_cy, metric=line.metric,
                         metric_cy=line.metric_cy, reference=line.reference, unit=line.unit, target=line.target,
                         direction=line.direction, period=line.period, charge=line.charge, position=line.position)
             for line in locked.lines.all()]
    bulk_create_with_history(lines, ServiceLine, default_user=by)
    return copy


def partnership_of(agreement: Agreement) -> Partnership | None:
    """The partnership the agreement sits under: the provider's, with the client a current member."""
    members = PartnershipMembership.objects.current().filter(organisation_id=agreement.client_id)
    return (Partnership.objects.filter(provider_id=agreement.provider_id, archived_at__isnull=True,
                                       pk__in=members.values("partnership_id")).order_by("pk").first())


@transaction.atomic
def share_with_partnership(*, agreement: Agreement, by) -> Agreement:
    """Let every current member of the agreement's partnership read its details (both parties may decide)."""
    access.require(access.can_change(by, agreement))
    partnership = partnership_of(agreement)
    if partnership is None:
        raise ValidationError(_("This agreement's parties share no partnership to share it with."))
    agreement.shared_with = partnership
    _save(agreement, by=by, reason="Shared with the partnership", fields=["shared_with"])
    return agreement


@transaction.atomic
def stop_sharing(*, agreement: Agreement, by) -> Agreement:
    """Only the two parties read the agreement again."""
    access.require(access.can_change(by, agreement))
    agreement.shared_with = None
    _save(agreement, by=by, reason="No longer shared", fields=["shared_with"])
    return agreement


def expire_agreements(*, today: date, organisation: Organisation | None = None) -> int:
    """Agreed SLAs whose end date has passed become expired."""
    ended = _for(Agreement.objects.agreed().filter(effective_to__lt=today), organisation)
    count = 0
    for agreement in ended:
        agreement.status = Agreement.Status.EXPIRED
        _save(agreement, by=None, reason="Expired", fields=["status"])
        count += 1
    return count


# -- measurements -----------------------------------------------------------------------------------------------


def can_submit(user, service_line: ServiceLine) -> bool:
    """Officers, managers and service accounts of either party submit figures for an agreement's lines."""
    return access.can_view(user, service_line) and access.can_create(user, Measurement(service_line=service_line))


def submit_measurement(*, service_line: ServiceLine, period: date, actual: Decimal, by, note: str = "",
                       derive: bool = True) -> tuple[Measurement, bool]:
    """Record the figure for a line and period: a second submission updates it (the history keeps the first).

    Returns the measurement and whether it is new. Refused (ValidationError) for a period outside the
    agreement or a superseded version; PermissionDenied for someone who may not submit for it.
    """
    if not can_submit(by, service_line):
        raise PermissionDenied(_("You may not submit measurements for this agreement."))
    with transaction.atomic():
        measurement = (Measurement.objects.select_for_update()
                       .filter(service_line=service_line, period=period).first())
        created = measurement is None
        if created:
            measurement = Measurement(service_line=service_line, period=period)
        measurement.service_line = service_line
        measurement.actual, measurement.note, measurement.submitted_by = actual, note, by
        measurement.full_clean(validate_unique=False)
        measurement._history_user = by
        measurement._change_reason = "Submitted" if created else "Resubmitted"
        measurement.save()
        if derive:
            derive_breaches(lines=[service_line.pk])
    return measurement, created


@dataclass
class MonthSubmission:
    """The result of a month's measurements for one agreement: what was saved, or every row's errors."""

    saved: list[Measurement] = field(default_factory=list)
    created: int = 0
    errors: dict[int, dict[str, list[str]]] = field(default_factory=dict)


def submit_month(*, agreement: Agreement, period: date, rows: list[dict], by) -> MonthSubmission:
    """A month (or quarter) of figures for one agreement in one transaction: all saved, or none and each row's errors.

    Each row has ``service_line`` (an id of one of this agreement's lines), ``actual`` and optionally ``note``;
    a row whose ``actual`` is None is left out (nothing entered for that line).
    """
    lines = {line.pk: line for line in agreement.lines.select_related("agreement", "agreement__client",
                                                                       "agreement__provider")}
    result = MonthSubmission()
    try:
        with transaction.atomic():
            for index, row in enumerate(rows):
                line = lines.get(row.get("service_line"))
                if line is None:
                    result.errors[index] = {"service_line": [_("This line is not one of this agreement's.")]}
                    continue
                if row.get("actual") is None:
                    continue
                try:
                    measurement, created = submit_measurement(service_line=line, period=period,
                                                              actual=row["actual"], note=row.get("note", ""),
                                                              by=by, derive=False)
                except ValidationError as exc:
                    result.errors[index] = exc.message_dict if hasattr(exc, "error_dict") else {
                        "non_field_errors": exc.messages}
                    continue
                except PermissionDenied as exc:
                    result.errors[index] = {"service_line": [str(exc)]}
                    continue
                result.saved.append(measurement)
                result.created += created
            if result.errors:
                raise _RollBack
            derive_breaches(lines=list(lines))
    except _RollBack:
        result.saved, result.created = [], 0
    return result


class _RollBack(Exception):
    """Raised inside the month's transaction to undo every row when one fails."""


# -- breaches ---------------------------------------------------------------------------------------------------


def _breach_created(breach: Breach) -> None:
    """The one place a new breach is announced: the kernel's event hook (webhooks listen there), when present."""
    try:
        from govtrack import events
    except ImportError:  # a kernel without the event hook: nothing listens
        return
    agreement = breach.service_line.agreement
    events.emit(events.BREACH_RECORDED, breach, organisation=[agreement.client, agreement.provider], data={
        "agreement": agreement.pk, "service_line": breach.service_line_id, "period": breach.period.isoformat(),
        "actual": str(breach.actual), "target": str(breach.target), "consecutive": breach.consecutive})


def derive_breaches(*, lines: list[int] | None = None, organisation: Organisation | None = None) -> int:
    """Make the breaches the measurements imply, set-based: a miss gets one, a corrected figure clears it.

    Idempotent: a second run finds nothing new. Returns how many breaches were created or reopened.
    """
    measurements = Measurement.objects.all()
    if lines is not None:
        measurements = measurements.filter(service_line_id__in=lines)
    if organisation is not None:
        measurements = measurements.filter(Q(service_line__agreement__client=organisation)
                                           | Q(service_line__agreement__provider=organisation))
    missing = measurements.missing_target()
    now = timezone.now()
    new = [Breach(measurement=m, service_line_id=m.service_line_id, period=m.period, actual=m.actual,
                  target=m.service_line.target)
           for m in missing.filter(breach__isnull=True).select_related("service_line")]
    if new:
        bulk_create_with_history(new, Breach)
    breaches = Breach.objects.filter(measurement__in=measurements).select_related("measurement",
                                                                                  "measurement__service_line")
    changed = []
    reopened = 0
    for breach in breaches.filter(Q(cleared_at__isnull=True, measurement__in=measurements.meeting_target())
                                  | Q(cleared_at__isnull=False, measurement__in=missing)
                                  | (Q(cleared_at__isnull=True, measurement__in=missing)
                                     & ~Q(actual=F("measurement__actual")))):
        misses = breach.measurement.is_breach()
        if not misses and breach.cleared_at is None:
            breach.cleared_at = now
        elif misses and breach.cleared_at is not None:
            breach.cleared_at = None
            reopened += 1
        elif breach.actual == breach.measurement.actual:
            continue
        breach.actual = breach.measurement.actual
        changed.append(breach)
    if changed:
        bulk_update_with_history(changed, Breach, ["cleared_at", "actual"])
    affected = set(measurements.values_list("service_line_id", flat=True).distinct()) if lines is None else set(lines)
    _count_runs(affected)
    for breach in Breach.objects.filter(pk__in=[b.pk for b in new]).select_related(
            "service_line__agreement__client", "service_line__agreement__provider"):
        _breach_created(breach)
    return len(new) + reopened


def _count_runs(line_ids: set[int]) -> None:
    """Number each open breach by how many periods in a row its line has missed, up to and including it."""
    if not line_ids:
        return
    rows = Breach.objects.open().filter(service_line_id__in=line_ids).select_related("service_line").order_by(
        "service_line_id", "period")
    changed = []
    previous: dict[int, Breach] = {}
    for breach in rows:
        before = previous.get(breach.service_line_id)
        run = 1
        if before is not None and periods.next_period(before.period, breach.service_line.period) == breach.period:
            run = before.consecutive + 1
        if breach.consecutive != run:
            breach.consecutive = run
            changed.append(breach)
        previous[breach.service_line_id] = breach
    if changed:
        bulk_update_with_history(changed, Breach, ["consecutive"])


def escalate_repeated_breaches(*, organisation: Organisation | None = None, today: date | None = None) -> int:
    """Escalate each run of consecutive breaches that reaches its agreement's count to the owner, once per run.

    Where the agreement names a register, a risk linked to the agreement is raised there once for the line
    (while that risk is open, later runs link to it rather than raising another).
    """
    candidates = _for_line(Breach.objects.open().filter(
        escalated_at__isnull=True, consecutive__gte=F("service_line__agreement__escalate_after")),
        organisation).select_related("service_line", "service_line__agreement",
                                      "service_line__agreement__owner", "service_line__agreement__risk_register",
                                      "service_line__agreement__client")
    candidates = list(candidates.order_by("service_line_id", "period"))
    if not candidates:
        return 0
    escalated = set(Breach.objects.open().filter(service_line_id__in={b.service_line_id for b in candidates},
                                                 escalated_at__isnull=False)
                    .values_list("service_line_id", "period"))
    count = 0
    for breach in candidates:
        line = breach.service_line
        run = [periods.add_months(breach.period, -periods.MONTHS_IN[line.period] * back)
               for back in range(1, breach.consecutive)]
        if any((line.pk, day) in escalated for day in run):
            continue  # this run was escalated already
        _escalate(breach)
        escalated.add((line.pk, breach.period))
        count += 1
    return count


@transaction.atomic
def _escalate(breach: Breach) -> None:
    line = breach.service_line
    agreement = line.agreement
    breach.escalated_at = timezone.now()
    breach.escalated_to = agreement.owner
    if agreement.risk_register_id:
        breach.risk = _raise_risk(agreement, line, breach)
    breach.save(update_fields=["escalated_at", "escalated_to", "risk", "updated_at"])
    if agreement.owner_id:
        notify(recipient=agreement.owner, key=f"slas:breach:{breach.pk}:escalated",
               subject=_("%(line)s has missed its target %(n)s periods in a row")
               % {"line": line, "n": breach.consecutive},
               body=_("Agreement: %(agreement)s. Target %(target)s %(unit)s, actual %(actual)s %(unit)s.")
               % {"agreement": agreement, "target": line.target, "unit": line.unit, "actual": breach.actual},
               url=agreement.get_absolute_url(), organisation=agreement.client, kind="sla")


def _raise_risk(agreement: Agreement, line: ServiceLine, breach: Breach) -> Risk:
    """The risk for a line's repeated breaches, on the agreement's register: raised once, reused while open."""
    register = agreement.risk_register
    reference = f"SLA-{line.pk}"
    risk = Risk.objects.filter(register=register, reference=reference).first()
    if risk is None:
        owner = agreement.owner if agreement.owner_id and members_of(register.organisation_id).filter(
            pk=agreement.owner_id).exists() else None
        risk = Risk(organisation_id=register.organisation_id, register=register, reference=reference,
                    title=_("Repeated SLA breaches: %(line)s") % {"line": line}, officer_owner=owner,
                    cause=_("%(agreement)s: %(line)s missed its target %(n)s periods in a row.")
                    % {"agreement": agreement, "line": line, "n": breach.consecutive},
                    effect=_("The service the partner pays for is not delivered."),
                    inherent_likelihood=4, inherent_impact=3, current_likelihood=4, current_impact=3)
        risk.full_clean()
        risk.save()
    agreement.risks.add(risk)
    return risk


# -- the checks -------------------------------------------------------------------------------------------------


def _for(agreements: QuerySet, organisation: Organisation | None) -> QuerySet:
    return agreements if organisation is None else agreements.for_organisation(organisation)


def _for_line(queryset: QuerySet, organisation: Organisation | None) -> QuerySet:
    if organisation is None:
        return queryset
    return queryset.filter(Q(service_line__agreement__client=organisation)
                           | Q(service_line__agreement__provider=organisation))


def run_breach_check(*, organisation: Organisation | None, today: date) -> int:
    """Derive breaches from every measurement and escalate repeated ones; returns new breaches and escalations."""
    return derive_breaches(organisation=organisation) + escalate_repeated_breaches(organisation=organisation,
                                                                                     today=today)


def _managers(organisation_ids) -> dict[int, list]:
    from govtrack.models import Membership

    found: dict[int, list] = defaultdict(list)
    memberships = (Membership.objects.filter(organisation_id__in=organisation_ids, role__in=MANAGE_ROLES,
                                             user__is_active=True).exclude(status=Membership.Status.SUSPENDED)
                   .select_related("user"))
    for membership in memberships:
        found[membership.organisation_id].append(membership.user)
    return found


def run_unagreed_partner_check(*, organisation: Organisation | None, today: date,
                               days: int = JOINING_WITHIN_DAYS) -> int:
    """Alert the client side's managers of a partner joining within ``days`` with no agreed SLA with the provider."""
    joining = PartnershipMembership.objects.joining_within(days=days, today=today).select_related(
        "partnership", "organisation")
    if organisation is not None:
        joining = joining.filter(organisation=organisation)
    joining = list(joining)
    agreed = set(Agreement.objects.agreed().active().filter(client__in=[m.organisation_id for m in joining])
                 .values_list("client_id", "provider_id"))
    without = [m for m in joining if (m.organisation_id, m.partnership.provider_id) not in agreed]
    managers = _managers({m.organisation_id for m in without})
    created = 0
    for membership in without:
        for manager in managers.get(membership.organisation_id, []):
            created += notify(
                recipient=manager, key=f"slas:no-agreed-sla:{membership.pk}",
                subject=_("%(org)s joins %(partnership)s on %(date)s with no agreed SLA")
                % {"org": membership.organisation, "partnership": membership.partnership,
                   "date": membership.joined_on},
                url=f"/slas/{membership.organisation.slug}/", organisation=membership.organisation, kind="sla")
    return created


def run_review_check(*, organisation: Organisation | None, today: date) -> int:
    """Tell the owner (or the client's managers) of each agreed SLA past its review date; expire ended ones."""
    expire_agreements(today=today, organisation=organisation)
    overdue = list(_for(Agreement.objects.review_overdue(today), organisation).select_related("owner", "client"))
    managers = _managers({a.client_id for a in overdue if not a.owner_id})
    created = 0
    for agreement in overdue:
        for person in [agreement.owner] if agreement.owner_id else managers.get(agreement.client_id, []):
            created += notify(recipient=person, key=f"slas:review:{agreement.pk}:{agreement.review_on}",
                              subject=_("The SLA %(agreement)s was due for review on %(date)s")
                              % {"agreement": agreement, "date": agreement.review_on},
                              url=agreement.get_absolute_url(), organisation=agreement.client, kind="sla")
    return created


def missing_measurements(*, agreements: QuerySet, today: date,
                         lookback: int = MISSING_LOOKBACK_PERIODS) -> dict[Agreement, list[tuple[ServiceLine, date]]]:
    """Closed periods (up to ``lookback`` back) with no figure, per agreed agreement and line, in two queries."""
    lines = list(ServiceLine.objects.filter(agreement__in=agreements.agreed().active())
                 .select_related("agreement", "agreement__owner", "agreement__client"))
    if not lines:
        return {}
    earliest = periods.add_months(periods.month_start(today), -3 * lookback)
    have = set(Measurement.objects.filter(service_line__in=lines, period__gte=earliest)
               .values_list("service_line_id", "period"))
    found: dict[Agreement, list[tuple[ServiceLine, date]]] = defaultdict(list)
    for line in lines:
        agreement = line.agreement
        closed = [start for start in periods.periods_between(
            max(agreement.effective_from or earliest, earliest), today, line.period)
            if periods.is_closed(start, line.period, today) and agreement.covers(start, line.period)]
        for start in closed[-lookback:]:
            if (line.pk, start) not in have:
                found[agreement].append((line, start))
    return found


def run_missing_measurement_check(*, organisation: Organisation | None, today: date) -> int:
    """Tell each agreed SLA's owner about closed periods with no measurement, once per period."""
    created = 0
    for agreement, gaps in missing_measurements(agreements=_for(Agreement.objects.all(), organisation),
                                                today=today).items():
        if not agreement.owner_id:
            continue
        for start in sorted({start for _line, start in gaps}):
            count = sum(1 for _line, day in gaps if day == start)
            created += notify(recipient=agreement.owner, key=f"slas:missing:{agreement.pk}:{start}",
                              subject=_("%(n)s figure(s) missing for %(agreement)s, %(period)s")
                              % {"n": count, "agreement": agreement, "period": f"{start:%Y-%m}"},
                              url=agreement.get_absolute_url(), organisation=agreement.client, kind="sla")
    return created


# -- figures for dashboards and board packs ---------------------------------------------------------------------


@dataclass
class MonthFigure:
    client_id: int
    period: date
    measured: int
    met: int

    @property
    def met_percent(self) -> float | None:
        return round(100 * self.met / self.measured, 1) if self.measured else None


def performance_by_partner_month(*, agreements: QuerySet, start: date, end: date) -> list[MonthFigure]:
    """Per client organisation and period: figures submitted and targets met, in one query."""
    rows = (Measurement.objects.filter(service_line__agreement__in=agreements).in_period(start, end)
            .values("service_line__agreement__client", "period")
            .annotate(measured=Count("pk"), met=Count("pk", filter=~ServiceLine.objects.missing()))
            .order_by("service_line__agreement__client", "period"))
    return [MonthFigure(client_id=r["service_line__agreement__client"], period=r["period"], measured=r["measured"],
                        met=r["met"]) for r in rows]


def breaches_in_period(*, agreements: QuerySet, start: date, end: date) -> QuerySet:
    """Open breaches of these agreements in the period, with what a table shows, newest first."""
    return Breach.objects.open().filter(service_line__agreement__in=agreements).in_period(start, end).for_pages()


@dataclass
class ValueForMoney:
    """What a partner pays and what it gets, for one year, with the year before for the trend."""

    client: Organisation
    charge: Decimal | None
    users: int | None
    devices: int | None
    measured: int
    met: int
    measured_before: int
    met_before: int
    breaches: int

    @staticmethod
    def _percent(met: int, measured: int) -> float | None:
        return round(100 * met / measured, 1) if measured else None

    @property
    def met_percent(self) -> float | None:
        return self._percent(self.met, self.measured)

    @property
    def met_percent_before(self) -> float | None:
        return self._percent(self.met_before, self.measured_before)

    @property
    def trend(self) -> float | None:
        """Points of targets met gained (or lost) since the year before."""
        now, before = self.met_percent, self.met_percent_before
        return None if now is None or before is None else round(now - before, 1)

    @property
    def cost_per_user(self) -> Decimal | None:
        return (self.charge / self.users).quantize(Decimal("0.01")) if self.charge and self.users else None

    @property
    def cost_per_device(self) -> Decimal | None:
        return (self.charge / self.devices).quantize(Decimal("0.01")) if self.charge and self.devices else None

    @property
    def charge_per_target_met(self) -> Decimal | None:
        """The year's charge divided by the targets met in it: what each met target cost."""
        return (self.charge / self.met).quantize(Decimal("0.01")) if self.charge and self.met else None


def value_for_money(*, agreements: QuerySet, year_start: date) -> list[ValueForMoney]:
    """Charge against service delivered per client, for the year from ``year_start`` and the year before.

    The charge, users and devices come from the agreed (or latest expired) agreements; three queries.
    """
    year_end = periods.add_months(year_start, 12)
    before = periods.add_months(year_start, -12)
    in_force = agreements.filter(status__in=[Agreement.Status.AGREED, Agreement.Status.EXPIRED])
    money_rows = {r["client"]: r for r in in_force.order_by().values("client").annotate(
        charge=Sum("annual_charge"), users=Sum("users"), devices=Sum("devices"))}
    counts = (Measurement.objects.filter(service_line__agreement__in=agreements, period__gte=before,
                                         period__lt=year_end).order_by()
              .values("service_line__agreement__client")
              .annotate(measured=Count("pk", filter=Q(period__gte=year_start)),
                        met=Count("pk", filter=Q(period__gte=year_start) & ~ServiceLine.objects.missing()),
                        measured_before=Count("pk", filter=Q(period__lt=year_start)),
                        met_before=Count("pk", filter=Q(period__lt=year_start) & ~ServiceLine.objects.missing()),
                        breaches=Count("pk", filter=Q(period__gte=year_start) & ServiceLine.objects.missing())))
    count_rows = {r["service_line__agreement__client"]: r for r in counts}
    clients = Organisation.objects.filter(pk__in=set(money_rows) | set(count_rows)).order_by("name")
    figures = []
    for client in clients:
        m, c = money_rows.get(client.pk, {}), count_rows.get(client.pk, {})
        figures.append(ValueForMoney(client=client, charge=m.get("charge"), users=m.get("users"),
                                     devices=m.get("devices"), measured=c.get("measured", 0), met=c.get("met", 0),
                                     measured_before=c.get("measured_before", 0),
                                     met_before=c.get("met_before", 0), breaches=c.get("breaches", 0)))
    return figures


def charge_by_service(*, agreements: QuerySet) -> list[dict]:
    """The annual charge of each service across these agreements (agreed ones), per client, in one query."""
    return list(ServiceLine.objects.filter(agreement__in=agreements.agreed()).order_by()
                .values("agreement__client", "agreement__client__name", "service")
                .annotate(charge=Sum("charge")).order_by("agreement__client__name", "service"))


def partnership_agreements(partnership: Partnership) -> QuerySet:
    """Every current agreement between the partnership's provider and its members: the partnership-wide figures.

    Members read these figures (status, performance, charges) for every partner; an agreement's own page
    stays with its two parties unless it is shared.
    """
    members = PartnershipMembership.objects.current().filter(partnership=partnership).values("organisation_id")
    return Agreement.objects.active().filter(provider_id=partnership.provider_id, client_id__in=members)
