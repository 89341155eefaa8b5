"""Workflows of the risk registers that cross models or notify people.

The pages, the API, the scheduled checks and the commands all call these functions.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import (
    Case,
    CharField,
    Count,
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
    Window,
)
from django.db.models.functions import Coalesce, RowNumber
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from govtrack import charts, events, pages
from govtrack.models import Directorate, Organisation, notify
from govtrack.notifications import Notice, notify_many
from registers import scoring
from registers.models import (
    Escalation,
    MatrixBand,
    MatrixVersion,
    Register,
    Risk,
    RiskCategory,
    RiskMatrix,
    RiskReview,
)
from systems_catalogue.models import System

#: Days after a missed review date before the register's owner is told too.
REVIEW_GRACE_DAYS = 14


def _notify_escalation(escalation: Escalation, *, subject: str, recipient, key: str) -> bool:
    return notify(
        recipient=recipient,
        key=key,
        subject=subject,
        body=escalation.reason or escalation.decision_reason,
        url=escalation.get_absolute_url(),
        organisation=escalation.risk.organisation,
        kind="escalation",
    )


def _announce(escalation: Escalation, event_name: str, *, url: str | None = None) -> None:
    risk = escalation.risk
    events.emit(event_name, escalation, organisation=risk.organisation_id, url=url, data={
        "status": escalation.status, "kind": escalation.kind, "score": escalation.score,
        "risk": {"id": risk.pk, "reference": risk.reference, "title": risk.title},
        "from_register": escalation.from_register_id, "to_register": escalation.to_register_id,
        "reason": escalation.decision_reason or escalation.reason,
    })


def propose_escalation(*, risk: Risk, by, reason: str, kind: str = Escalation.Kind.MANUAL) -> Escalation:
    """Propose a risk for its parent register and tell that register's owner."""
    escalation = risk.escalate(by=by, reason=reason, kind=kind)
    _announce(escalation, events.ESCALATION_PROPOSED)
    to_register = escalation.to_register
    if to_register.owner_id:
        _notify_escalation(
            escalation,
            recipient=to_register.owner,
            key=f"registers:escalation:{escalation.pk}:proposed",
            subject=_proposed_subject(escalation),
        )
    return escalation


def _tell_risk_owner(escalation: Escalation, action: str) -> None:
    _announce(escalation, events.ESCALATION_DECIDED)
    risk = escalation.risk
    if risk.officer_owner_id:
        _notify_escalation(
            escalation,
            recipient=risk.officer_owner,
            key=f"registers:escalation:{escalation.pk}:{action}",
            subject=_("Escalation of risk %(ref)s to %(register)s: %(status)s")
            % {"ref": risk.reference, "register": escalation.to_register,
               "status": escalation.get_status_display().lower()},
        )


def accept_escalation(*, escalation: Escalation, by, reason: str = "") -> Escalation:
    escalation.accept(by=by, reason=reason)
    _tell_risk_owner(escalation, "accepted")
    return escalation


def reject_escalation(*, escalation: Escalation, by, reason: str) -> Escalation:
    escalation.reject(by=by, reason=reason)
    _tell_risk_owner(escalation, "rejected")
    return escalation


def de_escalate(*, escalation: Escalation, by, reason: str) -> Escalation:
    escalation.de_escalate(by=by, reason=reason)
    _tell_risk_owner(escalation, "de_escalated")
    return escalation


def _risks_for_checks(organisation: Organisation | None) -> QuerySet[Risk]:
    risks = Risk.objects.open().select_related("register", "organisation", "officer_owner", "register__owner")
    if organisation is not None:
        risks = risks.for_organisation(organisation)
    return risks


#: Risks proposed per transaction by the daily check: each batch locks, re-decides and writes at once.
ESCALATION_BATCH = 500


def run_escalation_check(*, organisation: Organisation | None, today: date) -> int:
    """Propose every risk that has reached its register's threshold; returns how many were proposed.

    Decided in SQL over every risk at once (``escalations_due``, the rule of ``should_escalate``),
    then written in batches: the batch's risks are locked and decided again,
    so a person escalating one meanwhile is never doubled, and each batch's escalations, their
    history, the owners' notifications and the webhook events are written together.
    """
    pks = [row[0] for row in escalations_due(_risks_for_checks(organisation))]
    created = 0
    for start in range(0, len(pks), ESCALATION_BATCH):
        created += _propose_due(pks[start : start + ESCALATION_BATCH])
    return created


def escalations_due(risks: QuerySet[Risk]) -> list[tuple[int, int, int, int]]:
    """(risk, from register, to register, score) for each of ``risks`` that ``should_escalate``, in SQL:
    two queries, one for the risks on their own register only and one for those accepted higher up."""
    columns = ("escalation_from", "escalation_to", "current_score_db")
    rows = list(risks.escalation_due_from_own_register().order_by().values_list("pk", *columns))
    rows += Escalation.objects.due_onwards(risks).order_by().values_list("risk_id", *columns)
    return sorted(rows)


@transaction.atomic
def _propose_due(pks: list[int]) -> int:
    # Locked, then decided again: a person who escalated one of them meanwhile is never doubled.
    list(Risk.objects.select_for_update().filter(pk__in=pks).values_list("pk", flat=True))
    rows = escalations_due(Risk.objects.filter(pk__in=pks))
    registers = Register.objects.in_bulk({r for row in rows for r in row[1:3]})
    risks = Risk.objects.only("pk", "reference", "title", "organisation_id").in_bulk([row[0] for row in rows])
    escalations = []
    for pk, from_id, to_id, current in rows:
        from_register = registers[from_id]
        escalations.append(Escalation(
            risk=risks[pk], from_register=from_register, to_register=registers[to_id],
            kind=Escalation.Kind.AUTOMATIC, score=current, proposed_by=None,
            reason=_("Current score %(score)s reached the threshold of %(threshold)s on %(register)s.")
            % {"score": current, "threshold": from_register.escalation_threshold, "register": from_register},
        ))
    created = bulk_create_with_history(escalations, Escalation, batch_size=ESCALATION_BATCH)
    risk_path = pages.record_path("registers:risk_detail")
    notices = []
    for escalation in created:
        escalation.risk = risks[escalation.risk_id]
        escalation.to_register = registers[escalation.to_register_id]
        url = f"{risk_path(escalation.risk_id)}#escalation-{escalation.pk}"  # Escalation.get_absolute_url
        _announce(escalation, events.ESCALATION_PROPOSED, url=url)
        notices.append(_escalation_notice(escalation, recipient_id=escalation.to_register.owner_id,
                                          action="proposed", subject=_proposed_subject(escalation), url=url))
    notify_many(notices)
    return len(created)


def _proposed_subject(escalation: Escalation) -> str:
    return _("Risk %(ref)s proposed for escalation to %(register)s") % {
        "ref": escalation.risk.reference, "register": escalation.to_register}


def _escalation_notice(escalation: Escalation, *, recipient_id: int | None, action: str, subject: str,
                       url: str) -> Notice:
    return Notice(
        recipient_id=recipient_id, key=f"registers:escalation:{escalation.pk}:{action}", subject=subject,
        body=escalation.reason or escalation.decision_reason, url=url,
        organisation_id=escalation.risk.organisation_id, kind="escalation",
    )


def run_review_check(*, organisation: Organisation | None, today: date) -> int:
    """Tell owners of risks past their review date; tell the register owner after the grace period."""
    notices = []
    rows = _risks_for_checks(organisation).review_overdue(today).values_list(
        "pk", "reference", "review_date", "officer_owner_id", "register__owner_id", "organisation_id")
    text, path = _("Review of risk %(ref)s was due on %(day)s"), pages.record_path("registers:risk_detail")
    for pk, reference, review_date, owner_id, register_owner_id, organisation_id in rows:
        url = path(pk)
        subject = text % {"ref": reference, "day": review_date}
        notices.append(Notice(recipient_id=owner_id, key=f"registers:review:{pk}:{review_date}", subject=subject,
                              url=url, organisation_id=organisation_id, kind="review"))
        if today - review_date > timedelta(days=REVIEW_GRACE_DAYS):
            notices.append(Notice(recipient_id=register_owner_id, key=f"registers:review-late:{pk}:{review_date}",
                                  subject=subject, url=url, organisation_id=organisation_id, kind="review"))
    return notify_many(notices)


def directorates_without_register(*, organisation: Organisation) -> QuerySet[Directorate]:
    """Directorates with no active directorate register (the Social Care gap of P5)."""
    active_register = Register.objects.current().filter(level=Register.Level.DIRECTORATE, directorate=OuterRef("pk"))
    return Directorate.objects.active().for_organisation(organisation).exclude(Exists(active_register))


def critical_systems_without_risk(*, organisation: Organisation) -> QuerySet[System]:
    """Critical systems in use that no open risk names."""
    linked_risk = Risk.objects.open().filter(systems=OuterRef("pk"))
    return (
        System.objects.active().for_organisation(organisation)
        .filter(criticality=System.Criticality.CRITICAL)
        .exclude(lifecycle=System.Lifecycle.RETIRED)
        .exclude(Exists(linked_risk))
        .order_by("name")
    )


def heat_map_counts(risks: QuerySet[Risk]) -> Counter:
    """(likelihood, impact) → number of open risks, counted in the database."""
    rows = risks.filter(status=Risk.Status.OPEN).order_by().values("current_likelihood", "current_impact")
    return Counter({(r["current_likelihood"], r["current_impact"]): r["n"] for r in rows.annotate(n=Count("pk"))})


#: Risks listed under each kind of movement; the rest are counted (a register of hundreds stays one page).
MOVEMENT_SAMPLE = 25
MOVEMENT_KINDS = ("new", "closed", "up", "down")


def end_of_day(day: date) -> datetime:
    """The first moment after ``day`` in the site's time zone: what happened "by" a date happened before it."""
    return timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min))


@dataclass
class Movement:
    """Which risks moved since a date (a board's last meeting): new, closed, re-scored up or down,
    and the escalation decisions taken. Each list holds its first rows; ``totals`` counts them all."""

    since: date
    new: list[Risk] = field(default_factory=list)
    closed: list[Risk] = field(default_factory=list)
    up: list[Risk] = field(default_factory=list)
    down: list[Risk] = field(default_factory=list)
    decisions: list[Escalation] = field(default_factory=list)
    totals: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.totals.values())

    @property
    def sections(self) -> list[tuple[str, list[Risk], int, str]]:
        """(kind, first risks, how many, heading) for each kind of movement, in the order a board reads them."""
        titles = {"new": _("New risks"), "closed": _("Closed risks"), "up": _("Re-scored up"),
                  "down": _("Re-scored down")}
        return [(kind, getattr(self, kind), self.totals.get(kind, 0), titles[kind]) for kind in MOVEMENT_KINDS]


def _movement_annotated(risks: QuerySet[Risk], *, since: date) -> tuple[QuerySet[Risk], dict[str, Q]]:
    cutoff = end_of_day(since)
    score = F("current_likelihood") * F("current_impact")
    reviewed = RiskReview.objects.filter(risk=OuterRef("pk"), reviewed_on__lte=since).order_by(
        "-reviewed_on", "-pk").annotate(score=score).values("score")[:1]
    history = Risk.history.model.objects.filter(id=OuterRef("pk"), history_date__lt=cutoff).order_by(
        "-history_date", "-history_id")
    recorded = history.annotate(score=score).values("score")[:1]
    annotated = risks.active().annotate(
        now_score=score,
        then_score=Coalesce(Subquery(reviewed), Subquery(recorded)),
        then_status=Coalesce(Subquery(history.values("status")[:1]), Value("")),
    )
    existed_open = Q(created_at__lt=cutoff, status=Risk.Status.OPEN)
    conditions = {
        "new": Q(created_at__gte=cutoff, status=Risk.Status.OPEN),
        "closed": Q(status=Risk.Status.CLOSED) & ~Q(then_status=Risk.Status.CLOSED),
        "up": existed_open & Q(now_score__gt=F("then_score")),
        "down": existed_open & Q(now_score__lt=F("then_score")),
    }
    return annotated, conditions


#: Each kind of movement lists the highest current scores first.
MOVEMENT_ORDER = ("-now_score", "reference", "pk")


def movement_querysets(risks: QuerySet[Risk], *, since: date) -> dict[str, QuerySet[Risk]]:
    """Each kind of movement as a query over ``risks``, annotated with ``then_score`` and ``now_score``.

    The score then is the one recorded by the latest review on or before ``since`` (the register as
    the board saw it), else the score the risk's audit trail held at that moment. A risk is new when
    it was created after ``since`` and is open; closed when it is closed now and was not then. The
    kinds do not overlap, so each risk is listed once.
    """
    annotated, conditions = _movement_annotated(risks, since=since)
    annotated = annotated.select_related("register", "register__organisation", "officer_owner", "organisation")
    return {kind: annotated.filter(conditions[kind]).order_by(*MOVEMENT_ORDER) for kind in MOVEMENT_KINDS}


def escalation_decisions(escalations: QuerySet[Escalation], *, since: date) -> QuerySet[Escalation]:
    """Escalations accepted, rejected or de-escalated after ``since``, latest first."""
    cutoff = end_of_day(since)
    return (
        escalations.active()
        .filter(Q(decided_at__gte=cutoff) | Q(de_escalated_at__gte=cutoff))
        .annotate(decided_on=Coalesce("de_escalated_at", "decided_at"))
        .select_related("risk", "from_register", "to_register", "to_register__organisation", "decided_by",
                        "de_escalated_by")
        .order_by("-decided_on", "-pk")
    )


def _first_of_each_kind(annotated: QuerySet[Risk], conditions: dict[str, Q], limit: int) -> dict[str, list[Risk]]:
    """The first ``limit`` risks of each kind with each kind's total, in one query (window functions)."""
    kind = Case(*(When(conditions[name], then=Value(name)) for name in MOVEMENT_KINDS), default=Value(""),
                output_field=CharField())
    partition = {"partition_by": [F("kind")]}
    ranked = (
        annotated.annotate(kind=kind).exclude(kind="")
        .annotate(rank=Window(RowNumber(), order_by=[F(name[1:]).desc() if name.startswith("-") else F(name).asc()
                                                    for name in MOVEMENT_ORDER],
                              **partition),
                  kind_total=Window(Count("pk"), **partition))
        .filter(rank__lte=limit)
        .select_related("register", "register__organisation", "officer_owner", "organisation")
        .order_by("kind", "rank")
    )
    rows: dict[str, list[Risk]] = {name: [] for name in MOVEMENT_KINDS}
    for risk in ranked:
        rows[risk.kind].append(risk)
    return rows


def movement(risks: QuerySet[Risk], *, since: date, escalations: QuerySet[Escalation] | None = None,
             limit: int = MOVEMENT_SAMPLE) -> Movement:
    """Which of these risks moved since ``since`` (the highest scores first), and the escalation decisions.

    ``escalations`` defaults to those of the risks given. Two queries however many risks there are:
    the first ``limit`` of each kind with their totals, and the first decisions with theirs.
    """
    annotated, conditions = _movement_annotated(risks, since=since)
    rows = _first_of_each_kind(annotated, conditions, limit)
    totals = {name: found[0].kind_total if found else 0 for name, found in rows.items()}
    decided = escalation_decisions(
        escalations if escalations is not None else Escalation.objects.filter(risk__in=risks.values("pk")),
        since=since).annotate(decisions_total=Window(Count("pk")))
    decisions = list(decided[:limit])
    totals["decisions"] = decisions[0].decisions_total if decisions else 0
    return Movement(since=since, totals=totals, decisions=decisions, **rows)


def heat_table(*, matrix: RiskMatrix, counts: Counter) -> list[dict]:
    """The heat map's cells with risks, highest score first: its accessible alternative."""
    return [
        {"likelihood": likelihood, "impact": impact, "count": n, "band": matrix.band_for(likelihood * impact),
         "likelihood_name": matrix.descriptor("likelihood", likelihood),
         "impact_name": matrix.descriptor("impact", impact)}
        for (likelihood, impact), n in sorted(counts.items(), key=lambda kv: (-kv[0][0] * kv[0][1], -kv[0][0]))
    ]


def heat_map(*, matrix: RiskMatrix, counts: Counter, title: str, link: str = "#heat-table") -> str:
    """The SVG heat map of the open risks: one link, to its data table (``heat_table``), whose numbers link on."""
    rows = list(range(matrix.likelihood_levels, 0, -1))
    cells = {}
    for r, likelihood in enumerate(rows):
        for c, impact in enumerate(range(1, matrix.impact_levels + 1)):
            band = matrix.band_for(scoring.score(likelihood, impact))
            count = counts.get((likelihood, impact), 0)
            cells[(r, c)] = charts.Cell(
                text=str(count) if count else "", fill=band.colour if band else "#f3f2f1",
                text_fill=band.text_colour if band else "#0b0c0c",
            )
    total = sum(counts.values())
    description = _("%(n)s open risks by current likelihood (rows, highest at the top) and impact (columns). "
                    "The table that follows gives each cell's number and links to its risks.") % {"n": total}
    return charts.heat_map(
        title=title, cells=cells, description=description, link=link,
        rows=[str(n) for n in rows], columns=[str(n) for n in range(1, matrix.impact_levels + 1)],
        row_axis=_("Likelihood"), column_axis=_("Impact"),
    )


@transaction.atomic
def update_matrix(*, matrix: RiskMatrix, bands: list[dict], categories: list[dict], by) -> RiskMatrix:
    """Save a manager's changes to the matrix, its bands and its categories' appetite, all or none.

    Bands must cover every score once (:func:`scoring.band_problems`); a band left out is removed
    and its removal kept in the audit trail. Categories are added or changed, never removed here
    (risks name them)."""
    problems = scoring.band_problems([b["min_score"] for b in bands], matrix.max_score)
    names = [b["name"].strip().lower() for b in bands]
    if len(set(names)) != len(names):
        problems.append(_("Two bands have the same name."))
    if problems:
        raise ValidationError({"bands": problems})
    MatrixVersion.current(matrix)  # a matrix never versioned keeps how it stood before this change as version 1
    matrix._history_user = by
    matrix.full_clean()
    matrix.save()
    existing = {band.pk: band for band in MatrixBand.objects.filter(matrix=matrix)}
    kept = {b["pk"] for b in bands if b.get("pk")}
    for band in existing.values():
        if band.pk not in kept:
            band._history_user = by
            band.delete()
    # Out of the way first, so bands can swap their starting scores without meeting in between.
    MatrixBand.objects.filter(pk__in=kept).update(min_score=F("min_score") + 10_000)
    for values in sorted(bands, key=lambda b: b["min_score"]):
        band = existing.get(values.get("pk")) or MatrixBand(matrix=matrix)
        for name in ("name", "name_cy", "min_score", "colour", "text_colour", "review_days"):
            if name in values:
                setattr(band, name, values[name])
        band._history_user = by
        band.full_clean(exclude=["matrix"], validate_unique=False)
        band.save()
    for values in categories:
        category = RiskCategory.objects.filter(matrix=matrix, pk=values.get("pk")).first() or RiskCategory(
            matrix=matrix)
        for name in ("name", "name_cy", "appetite"):
            if name in values:
                setattr(category, name, values[name])
        category._history_user = by
        category.full_clean(exclude=["matrix"])
        category.save()
    MatrixVersion.record(matrix, by=by)
    return matrix
