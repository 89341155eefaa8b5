"""Workflows of the risk registers that cross models or notify people.

The pages, the API, the scheduled checks and the commands all call these functions.
"""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.utils.translation import gettext as _

from govtrack import charts
from govtrack.models import Directorate, Organisation, notify
from registers import scoring
from registers.models import Escalation, MatrixBand, Register, Risk, RiskCategory, RiskMatrix, RiskReview
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
    )


def propose_escalation(*, risk: Risk, by, reason: str, kind: str = Escalation.Kind.MANUAL) -> Escalation:
    """Propose a risk for its parent register and tell that register's owner."""
    escalation = risk.escalate(by=by, reason=reason, kind=kind)
    to_register = escalation.to_register
    if to_register.owner_id:
        _notify_escalation(
            escalation,
            recipient=to_register.owner,
            key=f"registers:escalation:{escalation.pk}:proposed",
            subject=_("Risk %(ref)s proposed for escalation to %(register)s")
            % {"ref": risk.reference, "register": to_register},
        )
    return escalation


def _tell_risk_owner(escalation: Escalation, action: str) -> None:
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


def run_escalation_check(*, organisation: Organisation | None, today: date) -> int:
    """Propose every risk that has reached its register's threshold; returns how many were proposed."""
    risks = (
        _risks_for_checks(organisation)
        .with_scores()
        .filter(current_score_db__gte=1)
        .prefetch_related(Prefetch("escalations", queryset=Escalation.objects.select_related("to_register")))
    )
    created = 0
    for risk in risks:
        if not risk.should_escalate():
            continue
        register = risk.top_register
        with transaction.atomic():
            propose_escalation(
                risk=risk, by=None, kind=Escalation.Kind.AUTOMATIC,
                reason=_("Current score %(score)s reached the threshold of %(threshold)s on %(register)s.")
                % {"score": risk.current_score, "threshold": register.escalation_threshold, "register": register},
            )
        created += 1
    return created


def run_review_check(*, organisation: Organisation | None, today: date) -> int:
    """Tell owners of risks past their review date; tell the register owner after the grace period."""
    created = 0
    for risk in _risks_for_checks(organisation).review_overdue(today):
        url = risk.get_absolute_url()
        subject = _("Review of risk %(ref)s was due on %(day)s") % {"ref": risk.reference, "day": risk.review_date}
        created += notify(recipient=risk.officer_owner, key=f"registers:review:{risk.pk}:{risk.review_date}",
                          subject=subject, url=url, organisation=risk.organisation)
        if today - risk.review_date > timedelta(days=REVIEW_GRACE_DAYS):
            created += notify(recipient=risk.register.owner,
                              key=f"registers:review-late:{risk.pk}:{risk.review_date}",
                              subject=subject, url=url, organisation=risk.organisation)
    return created


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


def movement_since(risks: QuerySet[Risk], *, since: date) -> Counter:
    """How many of these risks rose, fell, held or had no score by ``since``: one aggregate query."""
    score = F("current_likelihood") * F("current_impact")
    then = RiskReview.objects.filter(risk=OuterRef("pk"), reviewed_on__lte=since).order_by(
        "-reviewed_on", "-pk").annotate(score=score).values("score")[:1]
    annotated = risks.order_by().annotate(now_score=score, then_score=Subquery(then))
    totals = annotated.aggregate(
        new=Count("pk", filter=Q(then_score__isnull=True)),
        up=Count("pk", filter=Q(now_score__gt=F("then_score"))),
        down=Count("pk", filter=Q(now_score__lt=F("then_score"))),
        steady=Count("pk", filter=Q(now_score=F("then_score"))),
    )
    return Counter({name: n for name, n in totals.items() if n})


def heat_table(*, matrix: RiskMatrix, counts: Counter) -> list[dict]:
    """The heat map's cells with risks, highest score first: its accessible alternative."""
    return [
        {"likelihood": likelihood, "impact": impact, "count": n, "band": matrix.band_for(likelihood * impact)}
        for (likelihood, impact), n in sorted(counts.items(), key=lambda kv: -kv[0][0] * kv[0][1])
    ]


def heat_map(*, matrix: RiskMatrix, counts: Counter, base_url: str, title: str) -> str:
    """The SVG heat map of the open risks, each cell linking to the risks in it."""
    rows = list(range(matrix.likelihood_levels, 0, -1))
    cells = {}
    for r, likelihood in enumerate(rows):
        for c, impact in enumerate(range(1, matrix.impact_levels + 1)):
            band = matrix.band_for(scoring.score(likelihood, impact))
            count = counts.get((likelihood, impact), 0)
            label = _("%(n)s risks with likelihood %(l)s and impact %(i)s (%(band)s)") % {
                "n": count, "l": likelihood, "i": impact, "band": band.name if band else ""}
            cells[(r, c)] = charts.Cell(
                text=str(count) if count else "", fill=band.colour if band else "#f3f2f1",
                text_fill=band.text_colour if band else "#0b0c0c",
                href=f"{base_url}?likelihood={likelihood}&impact={impact}#risks", label=label,
            )
    return charts.heat_map(
        title=title, cells=cells,
        rows=[f"{n} {matrix.descriptor('likelihood', n)}" for n in rows],
        columns=[f"{n} {matrix.descriptor('impact', n)}" for n in range(1, matrix.impact_levels + 1)],
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
    return matrix
