"""Scheduled checks of the risk registers, run by ``python manage.py run_checks``."""

from __future__ import annotations

from datetime import date

from govtrack.checks import register_check
from govtrack.models import Organisation
from registers import services


@register_check("escalations")
def escalations(*, organisation: Organisation | None, today: date) -> int:
    """Propose risks at or above their register's threshold for the parent register."""
    return services.run_escalation_check(organisation=organisation, today=today)


@register_check("risk_reviews")
def risk_reviews(*, organisation: Organisation | None, today: date) -> int:
    """Tell owners of risks past their review date, and the register owner after a grace period."""
    return services.run_review_check(organisation=organisation, today=today)
