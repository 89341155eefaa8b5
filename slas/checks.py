"""Scheduled checks of the SLAs, run by ``python manage.py run_checks``."""

from __future__ import annotations

from datetime import date

from govtrack.checks import register_check
from govtrack.models import Organisation
from slas import services


@register_check("sla_breaches")
def sla_breaches(*, organisation: Organisation | None, today: date) -> int:
    """Derive breaches from measurements that miss their targets and escalate repeated ones to the owner."""
    return services.run_breach_check(organisation=organisation, today=today)


@register_check("sla_unagreed_partners")
def sla_unagreed_partners(*, organisation: Organisation | None, today: date) -> int:
    """Alert the managers of a partner joining the partnership within 90 days with no agreed SLA."""
    return services.run_unagreed_partner_check(organisation=organisation, today=today)


@register_check("sla_reviews")
def sla_reviews(*, organisation: Organisation | None, today: date) -> int:
    """Tell owners of agreed SLAs past their review date; agreements past their end date expire."""
    return services.run_review_check(organisation=organisation, today=today)


@register_check("sla_missing_measurements")
def sla_missing_measurements(*, organisation: Organisation | None, today: date) -> int:
    """Tell SLA owners of closed periods that have no measurement."""
    return services.run_missing_measurement_check(organisation=organisation, today=today)
