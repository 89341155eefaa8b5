"""Scheduled checks of audit proposals and actions, run by ``python manage.py run_checks``."""

from __future__ import annotations

from datetime import date

from govtrack.checks import register_check
from govtrack.models import Organisation
from proposals import services


@register_check("overdue_actions")
def overdue_actions(*, organisation: Organisation | None, today: date) -> int:
    """Tell owners of overdue proposal actions, and the proposal's owner after a grace period."""
    return services.run_overdue_action_check(organisation=organisation, today=today)
