"""Bench pages of boards: a board's page and the decision log, each with its SQL floor.

Scoped as the persona's session is: boards of the persona's organisation, or of a partnership it
belongs to today. The board page's conflicts of interest come from ``boards.services.conflicts``,
four queries whatever the board's size (interests, the organisations concerned, their suppliers,
what those supply); the floor asks them itself.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.utils import timezone

from boards.models import Board, BoardMember, Decision, DeclaredInterest, Meeting, MembershipReview
from boards.services import conflicts
from boards.views import DECISIONS_PER_PAGE, MEETINGS_SHOWN, PACKS_SHOWN
from proposals.models import Action, Proposal
from reporting.bench.core import Page, Subjects, Unavailable, url
from reporting.bench.proposals import readable
from reporting.models import BoardPack

DECISION_COLUMNS = (
    "id", "reference", "title", "text", "status", "meeting_id", "meeting__held_on", "meeting__title",
    "meeting__board_id", "meeting__board__name", "meeting__board__organisation__name",
    "meeting__board__partnership__name", "owner__first_name", "owner__last_name", "agenda_item__number",
    "agenda_item__title",
)
MEETING_COLUMNS = ("id", "title", "held_on", "starts_at", "location", "status")


def sample_board(subjects: Subjects) -> Board:
    """The organisation's digital board, with members, meetings, decisions and packs."""
    def find() -> Board:
        found = (Board.objects.filter(organisation=subjects.organisation, archived_at__isnull=True)
                 .order_by("pk").first())
        if found is None:
            raise Unavailable("the organisation has no board (generate the data again)")
        return found
    return subjects.get("board", find)


def _links(decision_ids: list[int], scope_proposals, scope_actions) -> None:
    """The proposals and actions the decisions concern that the persona may read."""
    list(Proposal.objects.filter(scope_proposals, board_decisions__in=decision_ids)
         .order_by("source_id", "position", "code").values_list("board_decisions", "id", "code", "title",
                                                                 "source__title"))
    list(Action.objects.filter(scope_actions, board_decisions__in=decision_ids).order_by("proposal_id", "pk")
         .values_list("board_decisions", "id", "description", "proposal__code"))


def board_floor(subjects: Subjects, response) -> Callable[[], Any]:
    board = sample_board(subjects)
    pk = board.pk
    proposals, actions = readable(subjects), readable(subjects, prefix="proposal__source__")
    history = Board.history.model

    def floor() -> None:
        today = timezone.localdate()
        list(Board.objects.filter(pk=pk).values_list(
            "name", "kind", "purpose", "review_interval_days", "membership_reviewed_on", "membership_review_due_on",
            "moderngov_site", "organisation__name", "partnership__name", "secretary__first_name",
            "secretary__last_name"))
        seats = list(BoardMember.objects.filter(board_id=pk, archived_at__isnull=True).values_list(
            "id", "name", "role", "title", "joined_on", "left_on", "person__first_name", "person__last_name",
            "represents__name", "represents_name"))
        list(DeclaredInterest.objects.filter(member_id__in=[s[0] for s in seats], archived_at__isnull=True)
             .values_list("id", "member_id", "kind", "company", "description", "declared_on", "ended_on",
                          "supplier__name"))
        conflicts(boards=Board.objects.filter(pk=pk), today=today)
        meetings = Meeting.objects.filter(board_id=pk, archived_at__isnull=True)
        list(meetings.filter(held_on__gte=today).exclude(status=Meeting.Status.CANCELLED)
             .order_by("held_on", "starts_at", "pk").values_list(*MEETING_COLUMNS)[:MEETINGS_SHOWN])
        list(meetings.filter(held_on__lt=today).order_by("-held_on", "-pk").values_list(*MEETING_COLUMNS)
             [:MEETINGS_SHOWN])
        decided = list(Decision.objects.filter(meeting__board_id=pk, archived_at__isnull=True)
                       .order_by("-meeting__held_on", "-pk").values_list(*DECISION_COLUMNS)[:10])
        _links([d[0] for d in decided], proposals, actions)
        list(BoardPack.objects.filter(board_id=pk).order_by("-meeting_date", "-pk")
             .values_list("id", "title", "meeting_date", "status", "issued_at")[:PACKS_SHOWN])
        list(MembershipReview.objects.filter(board_id=pk).order_by("-reviewed_on", "-pk")
             .values_list("reviewed_on", "note", "next_due_on", "reviewed_by__first_name", "reviewed_by__last_name")
             [:5])
        list(history.objects.filter(id=pk).order_by("-history_date", "-history_id")[:101].values_list(
            "history_id", "history_date", "history_type", "history_change_reason", "history_user__first_name",
            "history_user__last_name", "name", "membership_review_due_on", "secretary_id"))
    return floor


def decision_log_floor(subjects: Subjects, response) -> Callable[[], Any]:
    scope = readable(subjects, prefix="meeting__board__")
    boards = readable(subjects, prefix="")
    proposals, actions = readable(subjects), readable(subjects, prefix="proposal__source__")

    def floor() -> None:
        visible = Decision.objects.filter(scope, archived_at__isnull=True)
        visible.count()
        rows = list(visible.order_by("-meeting__held_on", "-pk").values_list(*DECISION_COLUMNS)[:DECISIONS_PER_PAGE])
        _links([row[0] for row in rows], proposals, actions)
        list(Board.objects.filter(boards, archived_at__isnull=True).order_by("name", "pk")
             .values_list("id", "name", "organisation__name", "partnership__name")[:200])
    return floor


PAGES = [
    Page("Board page (digital board)", "manager", kind="detail", floor=board_floor,
         url=lambda s: url(["boards:board_detail"], pk=sample_board(s).pk)),
    Page("Decision log", "viewer", kind="list", floor=decision_log_floor, url=lambda s: url(["boards:decision_log"])),
]
