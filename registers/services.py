"""Workflows of the risk registers that cross models or notify people.

The pages, the API, the scheduled checks and the commands all call these functions.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db import transaction
from django.db.models import Exists, F, OuterRef, Prefetch, QuerySet
from django.utils.translation import gettext as _

from govtrack.models import Directorate, Organisation, notify
from registers.models import Escalation, Register, Risk, RiskAction
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


@dataclass
class GovernanceGaps:
    """What the auditors would find missing in an organisation's risk management."""

    directorates_without_register: list[Directorate] = field(default_factory=list)
    overdue_reviews: list[Risk] = field(default_factory=list)
    critical_systems_without_risk: list[System] = field(default_factory=list)
    above_appetite_without_action: list[Risk] = field(default_factory=list)

    @property
    def total(self) -> int:
        return (len(self.directorates_without_register) + len(self.overdue_reviews)
                + len(self.critical_systems_without_risk) + len(self.above_appetite_without_action))


def governance_gaps(*, organisation: Organisation, today: date) -> GovernanceGaps:
    """The four gaps of proposal P5, each in one query."""
    active_register = Register.objects.current().filter(
        level=Register.Level.DIRECTORATE, directorate=OuterRef("pk")
    )
    risks = Risk.objects.open().for_organisation(organisation).select_related(
        "register", "register__organisation", "category", "officer_owner"
    )
    open_action = RiskAction.objects.filter(
        risk=OuterRef("pk"), status__in=[RiskAction.Status.OPEN, RiskAction.Status.IN_PROGRESS]
    )
    linked_risk = Risk.objects.open().filter(systems=OuterRef("pk"))
    return GovernanceGaps(
        directorates_without_register=list(
            Directorate.objects.active().for_organisation(organisation).exclude(Exists(active_register))
        ),
        overdue_reviews=list(risks.review_overdue(today).order_by("review_date")),
        critical_systems_without_risk=list(
            System.objects.active().for_organisation(organisation)
            .filter(criticality=System.Criticality.CRITICAL)
            .exclude(lifecycle=System.Lifecycle.RETIRED)
            .exclude(Exists(linked_risk))
            .order_by("name")
        ),
        above_appetite_without_action=list(
            risks.with_scores()
            .filter(category__isnull=False, current_score_db__gt=F("category__appetite"))
            .exclude(Exists(open_action))
            .order_by("-current_score_db")
        ),
    )
