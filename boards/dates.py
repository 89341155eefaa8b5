"""The boards' dates: meetings, for the board's members and its secretary, and membership reviews, for the secretary.

They reach the start page, the personal calendar and the reminders through ``govtrack.dates``. A
meeting is dated from today on only: once its day has passed it is nobody's overdue task (the
secretary records it as held), whereas a membership review left undone is overdue and says so.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date

from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from boards.models import Board, BoardMember, Meeting
from govtrack import deadlines
from govtrack.dates import Dated, register_dates, within


@register_dates("board_reviews")
def board_reviews(*, people: list[int] | None, since: date | None, until: date,
                  limit: int | None) -> Iterable[Dated]:
    """A board's next membership review (P2's check for conflicts of interest), for its secretary."""
    boards = Board.objects.active().filter(secretary__isnull=False)
    if people is not None:
        boards = boards.filter(secretary__in=people)
    rows = within(boards, "membership_review_due_on", since=since, until=until, limit=limit).values_list(
        "pk", "name", "membership_review_due_on", "secretary_id", "organisation_id")
    label = _("Board membership review")
    for pk, name, on, secretary, organisation in rows:
        yield Dated(
            person_id=secretary, kind="board", key=f"boards:review:{pk}", on=on, label=label,
            title=_("Review the membership of %(board)s for conflicts of interest") % {"board": name},
            url=reverse("boards:board_detail", kwargs={"pk": pk}) + "#review",
            organisation_id=organisation,
        )


def _seats(board_ids: set[int], people: list[int] | None, first_day: date) -> dict[int, list[tuple]]:
    """Board id → (person, joined, left) of members with an account who sit on or after ``first_day``."""
    seats = (BoardMember.objects.active().filter(board_id__in=board_ids, person__isnull=False)
             .filter(Q(left_on__isnull=True) | Q(left_on__gt=first_day)))
    if people is not None:
        seats = seats.filter(person__in=people)
    found: dict[int, list[tuple]] = defaultdict(list)
    for board_id, person, joined, left in seats.values_list("board_id", "person_id", "joined_on", "left_on"):
        found[board_id].append((person, joined, left))
    return found


@register_dates("board_meetings")
def board_meetings(*, people: list[int] | None, since: date | None, until: date,
                   limit: int | None) -> Iterable[Dated]:
    """Each coming meeting, for every member sitting on its day and for the board's secretary."""
    today = deadlines.today()
    since = max(since, today) if since else today
    meetings = (Meeting.objects.active().exclude(status=Meeting.Status.CANCELLED)
                .filter(board__archived_at__isnull=True))
    if people is not None:
        sits = BoardMember.objects.active().filter(board=OuterRef("board"), person__in=people)
        meetings = meetings.filter(Q(board__secretary__in=people) | Exists(sits))
    rows = list(within(meetings, "held_on", since=since, until=until, limit=limit).values_list(
        "pk", "title", "held_on", "board_id", "board__name", "board__secretary_id", "board__organisation_id"))
    seats = _seats({row[3] for row in rows}, people, since) if rows else {}
    label = _("Board meeting")
    for pk, title, on, board_id, board, secretary, organisation in rows:
        attending = {person for person, joined, left in seats.get(board_id, ())
                     if (joined is None or joined <= on) and (left is None or left > on)}
        if secretary and (people is None or secretary in people):
            attending.add(secretary)
        text = (_("%(board)s meets: %(title)s") % {"board": board, "title": title} if title
                else _("%(board)s meets") % {"board": board})
        url = reverse("boards:meeting_detail", kwargs={"pk": pk})
        for person in sorted(attending):
            yield Dated(person_id=person, kind="board", key=f"boards:meeting:{pk}", on=on, label=label,
                        title=text, url=url, organisation_id=organisation)
