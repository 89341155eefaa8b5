"""What the boards offer to search: boards, their meetings and the decisions taken."""

from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from boards.models import Board, Decision, Meeting
from govtrack.search import SearchKind, register_search

register_search(SearchKind(
    name="boards", label=_("Boards and committees"),
    queryset=lambda: Board.objects.active().select_related("organisation", "partnership"),
    fields=("name", "purpose"),
    detail=lambda board: board.owner_label,
))
register_search(SearchKind(
    name="meetings", label=_("Board meetings"),
    queryset=lambda: Meeting.objects.active().filter(board__archived_at__isnull=True).select_related("board"),
    fields=("title", "location", "minutes"),
    detail=lambda meeting: meeting.board.name,
))
register_search(SearchKind(
    name="decisions", label=_("Board decisions"),
    queryset=lambda: Decision.objects.active().filter(meeting__board__archived_at__isnull=True)
    .select_related("meeting", "meeting__board"),
    fields=("reference", "title", "text"),
    detail=lambda decision: f"{decision.meeting.board.name}, {date_format(decision.meeting.held_on, 'j M Y')}",
))
