"""Scheduled checks of the systems catalogue, run by ``python manage.py run_checks``."""

from __future__ import annotations

from datetime import date

from govtrack.checks import register_check
from govtrack.models import Organisation
from systems_catalogue import services


@register_check("contract_renewals")
def contract_renewals(*, organisation: Organisation | None, today: date) -> int:
    """Tell system owners of contracts whose end or notice date is within 180, 90 or 30 days."""
    return services.run_contract_renewal_check(organisation=organisation, today=today)


@register_check("system_reviews")
def system_reviews(*, organisation: Organisation | None, today: date) -> int:
    """Tell system owners whose system's annual review is overdue."""
    return services.run_review_check(organisation=organisation, today=today)
