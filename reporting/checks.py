"""Cross-app scheduled checks, and the users' words for every check on the checks page."""

from __future__ import annotations

from datetime import date

from django.utils.translation import gettext_lazy as _

from govtrack.checks import CheckResult, describe_check, register_check
from govtrack.models import Organisation
from reporting import reminders, services


@register_check("reminders")
def reminders_check(*, organisation: Organisation | None, today: date) -> CheckResult:
    """Remind owners 30, 7 and 1 days before their review, action, notice and end dates, and when overdue."""
    created = reminders.send_reminders(organisation=organisation, today=today)
    return CheckResult(created=created, found={"reminders": created})


@register_check("governance_gaps")
def governance_gaps_check(*, organisation: Organisation | None, today: date) -> CheckResult:
    """Count each organisation's governance gaps, which its dashboard and gaps page list."""
    organisations = [organisation] if organisation else Organisation.objects.active().order_by("pk")
    result = CheckResult()
    for org in organisations:
        gaps = services.governance_gaps(organisation=org, today=today, limit=0)
        for name, n in gaps.totals.items():
            result.found[name] = result.found.get(name, 0) + n
    return result


describe_check(
    "escalations",
    title=_("Risks that reached their register's threshold"),
    sentence=_("A risk whose current score reaches its register's escalation threshold, with no escalation open, "
               "is proposed for the parent register; that register's owner is asked to accept or reject it."),
)
describe_check(
    "risk_reviews",
    title=_("Risk reviews overdue"),
    sentence=_("The owner of a risk past its review date is told; after two weeks, the register's owner too."),
)
describe_check(
    "contract_renewals",
    title=_("Contracts ending or reaching their notice date"),
    sentence=_("A system's owner is told 180, 90 and 30 days before a contract's notice date and end date, "
               "so there is time to renew, re-procure or retire it."),
)
describe_check(
    "system_reviews",
    title=_("Systems due for their annual review"),
    sentence=_("A system's owner is told when its annual review is overdue or it was never reviewed."),
)
describe_check(
    "reminders",
    title=_("Reminders before things fall due"),
    sentence=_("Owners are reminded 30, 7 and 1 days before a risk review, an action, a contract's notice date "
               "or its end, and once it is overdue; the person above them hears after two weeks overdue. "
               "A changed date starts the reminders afresh; none is ever sent twice."),
)
describe_check(
    "governance_gaps",
    title=_("Governance gaps"),
    sentence=_("Directorates without a risk register, overdue reviews, critical systems that no risk names and "
               "risks above appetite without an action are counted and listed on the governance gaps page."),
)
describe_check(
    "sla_breaches",
    title=_("SLA figures that missed their target"),
    sentence=_("A monthly figure that misses its target is recorded as a breach; a service line that misses it "
               "several periods in a row is escalated to the agreement's owner and may raise a risk."),
)
describe_check(
    "sla_unagreed_partners",
    title=_("Partners joining without an agreed SLA"),
    sentence=_("The managers of a partner joining the partnership within 90 days are told when it has no agreed "
               "SLA with the provider."),
)
describe_check(
    "sla_reviews",
    title=_("SLA reviews overdue"),
    sentence=_("The owner of an agreed SLA past its review date is told; an agreement past its end date expires."),
)
describe_check(
    "sla_missing_measurements",
    title=_("SLA figures not submitted"),
    sentence=_("The owner of an SLA is told of a finished month or quarter with no figure for a service line."),
)
describe_check(
    "overdue_actions",
    title=_("Actions on audit proposals overdue"),
    sentence=_("The owner of an action past its due date is told; after a grace period, the proposal's owner too."),
)
