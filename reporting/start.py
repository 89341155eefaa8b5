"""The start page's "what needs me": decisions waiting, one's own dates, what boards one sits on.

Each part is a bounded query (the first rows and a count), so the page costs the same whatever
the person owns. Parts for an app's records live here, on top of the apps, so the kernel's pages
stay free of them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db.models import Exists, OuterRef, Q, Subquery
from django.urls import reverse
from django.utils.translation import gettext as _

from boards.models import Board, BoardMember, Meeting
from govtrack import access, deadlines, pages
from govtrack.dates import Dated, dated
from govtrack.roles import MANAGE_ROLES
from proposals.models import Action, Proposal, UpdateRequest
from registers.models import Escalation
from reporting.models import BoardPack
from slas.models import Agreement, ServiceLine

#: Rows shown in each part; the rest are counted, with a link to the full list.
SHOWN = 10
#: How far ahead reviews and actions show; contracts' dates show further ahead, as they need months.
DUE_WITHIN_DAYS = 30
NOTICE_WITHIN_DAYS = 180


@dataclass(frozen=True)
class Waiting:
    """A decision waiting for the person: what, since when, where to decide."""

    title: str
    since: datetime | date
    url: str
    what: str


@dataclass
class Part:
    items: list = field(default_factory=list)
    total: int = 0
    more_url: str = ""


def _escalations(user):
    return (
        Escalation.objects.active().pending().changeable_by(user)
        .select_related("risk", "to_register").order_by("proposed_at", "pk")
    )


def _sla_approvals(user):
    """Agreements under negotiation that the person may approve: a manager of the client, not the author."""
    managed = [org for org, role in access.roles_of(user).items() if role in MANAGE_ROLES]
    agreements = Agreement.objects.active().filter(status=Agreement.Status.NEGOTIATING).filter(
        Exists(ServiceLine.objects.filter(agreement=OuterRef("pk"))))
    if not user.is_superuser:
        agreements = agreements.filter(client_id__in=managed)
    return agreements.exclude(created_by=user).select_related("provider", "client").order_by("updated_at", "pk")


def _sign_offs(user):
    """Completed actions waiting for sign-off by someone who may change their proposal, never their owner."""
    return (
        Action.objects.filter(status=Action.Status.COMPLETED, archived_at__isnull=True,
                              proposal__in=Proposal.objects.changeable_by(user))
        .exclude(owner=user).select_related("proposal").order_by("updated_at", "pk")
    )


def decisions_waiting(user) -> Part:
    """Escalations, SLA approvals and sign-offs the person may decide: each its first rows and total in one query,
    so the queries stay the same whatever the numbers."""
    escalations, escalation_total = pages.first_and_total(_escalations(user), SHOWN)
    approvals, approval_total = pages.first_and_total(_sla_approvals(user), SHOWN)
    sign_offs, sign_off_total = pages.first_and_total(_sign_offs(user), SHOWN)
    items = [
        Waiting(
            title=_("Risk %(ref)s %(title)s proposed for %(register)s")
            % {"ref": e.risk.reference, "title": e.risk.title, "register": e.to_register.name},
            since=e.proposed_at, url=e.get_absolute_url(), what=_("Escalation"),
        )
        for e in escalations
    ] + [
        Waiting(
            title=_("Approve the SLA %(title)s between %(provider)s and %(client)s")
            % {"title": a.title, "provider": a.provider, "client": a.client},
            since=a.updated_at, url=a.get_absolute_url(), what=_("SLA approval"),
        )
        for a in approvals
    ] + [
        Waiting(
            title=_("Sign off %(code)s: %(action)s") % {"code": a.proposal.code, "action": a.description[:120]},
            since=a.updated_at, url=a.get_absolute_url(), what=_("Sign-off"),
        )
        for a in sign_offs
    ]
    items.sort(key=lambda w: w.since)
    total = escalation_total + approval_total + sign_off_total
    return Part(items=items[:SHOWN], total=total, more_url=reverse("registers:escalation_inbox"))


@dataclass(frozen=True)
class Due:
    item: Dated
    days: int  # negative when overdue

    @property
    def overdue(self) -> bool:
        return self.days < 0

    @property
    def days_overdue(self) -> int:
        return max(0, -self.days)


def my_dates(user, *, today: date) -> tuple[Part, Part]:
    """The person's reviews and actions due within 30 days or overdue, and the notice and end dates of
    their systems' contracts within 180 days."""
    items = dated(people=[user.pk], until=today + timedelta(days=NOTICE_WITHIN_DAYS), limit=SHOWN * 3)
    dues, notices = Part(), Part()
    for item in items:
        due = Due(item=item, days=(item.on - today).days)
        if item.kind == "contract":
            if not deadlines.is_overdue(item.on, today):
                notices.items.append(due)
        elif due.days <= DUE_WITHIN_DAYS:
            dues.items.append(due)
    for part in (dues, notices):
        part.total = len(part.items)
        part.items = part.items[:SHOWN]
    return dues, notices


def my_boards(user, *, today: date) -> Part:
    """The boards the person sits on or is secretary of, each with its next meeting and latest issued pack
    (one query, whatever the number of boards, meetings or packs)."""
    seats = BoardMember.objects.current(today).filter(person=user).values("board_id")
    meetings = (Meeting.objects.active().filter(board=OuterRef("pk"), held_on__gte=today)
                .exclude(status=Meeting.Status.CANCELLED).order_by("held_on", "starts_at", "pk"))
    issued = (BoardPack.objects.filter(board=OuterRef("pk"), issued_at__isnull=False)
              .order_by("-meeting_date", "-issued_at", "-pk"))
    boards = (
        Board.objects.active().visible_to(user).filter(Q(pk__in=seats) | Q(secretary=user))
        .annotate(next_meeting_id=Subquery(meetings.values("pk")[:1]),
                  next_meeting_on=Subquery(meetings.values("held_on")[:1]),
                  latest_pack_id=Subquery(issued.values("pk")[:1]),
                  latest_pack_on=Subquery(issued.values("meeting_date")[:1]))
        .order_by("name", "pk")
    )
    items, total = pages.first_and_total(boards, SHOWN)
    for board in items:
        board.next_meeting_url = (reverse("boards:meeting_detail", args=[board.next_meeting_id])
                                  if board.next_meeting_id else "")
        board.latest_pack_url = (reverse("reporting:pack_detail", args=[board.latest_pack_id])
                                 if board.latest_pack_id else "")
    return Part(items=items, total=total, more_url=reverse("boards:board_list"))


def updates_requested(user, *, today: date) -> Part:
    """Updates the person was asked for on their actions before meetings still to come, not yet given."""
    requests = (UpdateRequest.objects.filter(action__owner=user, meeting_on__gte=today).unanswered()
                .select_related("action", "action__proposal").order_by("meeting_on", "pk"))
    items, total = pages.first_and_total(requests, SHOWN)
    return Part(items=items, total=total)
