"""Workflows of audit proposals and actions that cross records or tell people, and the sets a dashboard reads.

Pages, the API, the scheduled checks, dashboards and board packs call these; each takes querysets
already limited to what the reader may see (``visible_to``), so none of them decides permissions.
"""

from __future__ import annotations

import importlib.util
from datetime import date, timedelta

from django.db.models import Count, QuerySet
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from govtrack import deadlines
from govtrack.models import Organisation, Partnership, PartnershipMembership
from govtrack.notifications import Notice, already_sent, notify_many
from govtrack.pages import record_path
from proposals.models import Action, Proposal

#: Days past an action's due date before the proposal's owner (or the organisation's managers) are told too.
OVERDUE_GRACE_DAYS = 14


def proposals_by_status(proposals: QuerySet[Proposal]) -> dict[str, int]:
    """How many proposals have each rolled-up status (every status present, zero where none), in one query."""
    counts = dict(proposals.with_status().order_by().values_list("status_db").annotate(n=Count("pk")))
    return {status: counts.get(status, 0) for status in Proposal.Status.values}


def overdue_actions(actions: QuerySet[Action], *, today: date | None = None) -> QuerySet[Action]:
    """Open actions past their due date, with owner, proposal and source, the longest overdue first."""
    return actions.overdue(today).for_pages().order_by("due_on", "pk")


def actions_for_checks(organisation: Organisation | None) -> QuerySet[Action]:
    actions = Action.objects.filter(proposal__archived_at__isnull=True).select_related(
        "owner", "proposal", "proposal__owner", "proposal__source", "proposal__source__organisation")
    if organisation is not None:
        actions = actions.filter(proposal__source__organisation=organisation)
    return actions


def _emit(name: str, instance, payload: dict, *, organisation, url: str | None = None) -> None:
    """Tell subscribed partners' tools (webhooks), when the kernel's event hook is installed."""
    if importlib.util.find_spec("govtrack.events") is None:
        return
    from govtrack import events

    events.emit(name, instance, organisation=organisation, data=payload, url=url)


def run_overdue_action_check(*, organisation: Organisation | None, today: date) -> int:
    """Tell owners of overdue actions; after the grace period tell the proposal's owner too. Idempotent.

    Set-based: the notices already sent are found in one pass, the new ones stored in bulk, and an
    ``action.overdue`` event goes out for each owner newly told.
    """
    text, path = _("Action on %(code)s was due on %(day)s"), record_path("proposals:action_detail")
    planned = []
    for action in actions_for_checks(organisation).overdue(today):
        proposal, source = action.proposal, action.proposal.source
        # The reminders' keys (govtrack.dates, reporting.reminders), so nobody is told twice.
        common = {"subject": text % {"code": proposal.code, "day": action.due_on}, "url": path(action.pk),
                  "body": action.description[:500], "organisation_id": source.organisation_id, "kind": "action"}
        if action.owner_id and action.owner.is_active:
            planned.append((action, Notice(recipient_id=action.owner_id,
                                           key=f"proposals:action:{action.pk}:{action.due_on.isoformat()}", **common)))
        if today - action.due_on > timedelta(days=OVERDUE_GRACE_DAYS) and proposal.owner_id != action.owner_id:
            planned.append((None, Notice(recipient_id=proposal.owner_id,
                                         key=f"proposals:action-late:{action.pk}:{action.due_on.isoformat()}",
                                         **common)))
    sent = already_sent((n.recipient_id, n.key) for _a, n in planned if n.recipient_id)
    new = [(action, notice) for action, notice in planned if (notice.recipient_id, notice.key) not in sent]
    created = notify_many(notice for _a, notice in new)
    for action, notice in new:
        if action is not None:
            _emit("action.overdue", action, {"proposal": action.proposal_id, "due_on": action.due_on.isoformat(),
                                             "owner": action.owner_id}, organisation=notice.organisation_id,
                  url=notice.url)
    return created


def request_updates(*, actions: QuerySet[Action], meeting_on: date, by=None) -> int:
    """Ask each open action's owner for an update (progress and forecast) before a meeting; once per meeting.

    Each request is kept (the owner's start page lists it until an update for that meeting is given) and
    the owner is notified. Returns how many owners were newly asked.
    """
    from proposals.models import UpdateRequest

    open_actions = list(actions.open().select_related("owner", "proposal", "proposal__source"))
    asked = set(UpdateRequest.objects.filter(action__in=[a.pk for a in open_actions], meeting_on=meeting_on)
                .values_list("action_id", flat=True))
    new = [a for a in open_actions if a.pk not in asked]
    UpdateRequest.objects.bulk_create([UpdateRequest(action=a, meeting_on=meeting_on, requested_by=by) for a in new],
                                      ignore_conflicts=True)
    notify_many(Notice(
        recipient_id=action.owner_id, key=f"proposals:update-request:{action.pk}:{meeting_on}", kind="action",
        subject=_("Update needed on %(code)s before the meeting on %(day)s") % {
            "code": action.proposal.code, "day": date_format(meeting_on)},
        body=action.description[:500], url=action.get_absolute_url() + "#update",
        organisation_id=action.proposal.source.organisation_id,
    ) for action in new if action.owner_id)
    return len(new)


def days_overdue(proposal: Proposal, today: date | None = None) -> int:
    """Days the proposal's longest-overdue open action is late (annotated by ``with_tracker``)."""
    return deadlines.days_overdue(getattr(proposal, "earliest_overdue_db", None), today)


def partnership_for(organisation: Organisation) -> Partnership | None:
    """The partnership a source of this organisation is shared with: the one it belongs to (or provides) today."""
    current = PartnershipMembership.objects.current().filter(organisation=organisation).order_by("partnership__name")
    membership = current.select_related("partnership").first()
    if membership is not None:
        return membership.partnership
    return Partnership.objects.filter(provider=organisation, archived_at__isnull=True).order_by("name").first()
