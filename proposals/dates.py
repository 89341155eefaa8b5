"""Audit proposals' dates: open actions' due dates, for their owners (reminders, calendar, start page)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.utils.translation import gettext as _

from govtrack.dates import Dated, register_dates
from govtrack.pages import record_path
from proposals.models import Action


@register_dates("proposal_actions")
def proposal_actions(*, people: list[int] | None, since: date | None, until: date,
                     limit: int | None) -> Iterable[Dated]:
    actions = Action.objects.open().filter(owner__isnull=False, due_on__isnull=False, due_on__lte=until,
                                           proposal__archived_at__isnull=True)
    if people is not None:
        actions = actions.filter(owner__in=people)
    if since is not None:
        actions = actions.filter(due_on__gte=since)
    actions = actions.order_by("due_on", "pk")
    rows = (actions[:limit] if limit else actions).values_list(
        "pk", "description", "due_on", "owner_id", "proposal__code", "proposal__source__organisation_id",
        "proposal__owner_id",
    )
    label, text, path = _("Audit action"), _("Action on %(code)s: %(action)s"), record_path("proposals:action_detail")
    for pk, description, on, owner, code, organisation, proposal_owner in rows:
        yield Dated(
            person_id=owner, kind="action", key=f"proposals:action:{pk}", on=on, label=label,
            title=text % {"code": code, "action": description[:120]}, url=path(pk),
            organisation_id=organisation, escalate_to_id=proposal_owner if proposal_owner != owner else None,
        )
