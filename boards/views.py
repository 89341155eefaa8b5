"""Pages of boards, meetings and the decision log. Thin: parse, authorise through govtrack.access, call the rule."""

from __future__ import annotations

import tablib
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, OuterRef, Prefetch, Q, Subquery
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from boards import moderngov, services
from boards.filters import DecisionFilterSet
from boards.forms import (
    AgendaItemForm,
    BoardForm,
    DecisionForm,
    InterestForm,
    MeetingForm,
    MemberForm,
    PaperForm,
    ReviewForm,
)
from boards.models import Board, BoardMember, Decision, DeclaredInterest, Meeting
from govtrack import access, deadlines, pages, spreadsheets
from govtrack.audit import Related, history_for
from govtrack.middleware import current_organisation
from govtrack.models import Organisation
from proposals.models import Action, Proposal

BOARDS_PER_PAGE = 50
MEETINGS_PER_PAGE = 25
DECISIONS_PER_PAGE = 50
#: A board page shows this many meetings either side of today; the meetings page has them all.
MEETINGS_SHOWN = 5
PACKS_SHOWN = 5


def _board(user, pk: int, *, write: bool = False) -> Board:
    return access.get_object_for(user, Board.objects.for_pages(), write=write, pk=pk)


def _meeting(user, pk: int, *, write: bool = False) -> Meeting:
    return access.get_object_for(user, Meeting.objects.for_pages(), write=write, pk=pk)


@login_required
def board_list(request):
    """Every board the person may see, with its next meeting, its review date and its conflicts."""
    today = deadlines.today()
    boards = (Board.objects.visible_to(request.user).active().for_pages()
              .annotate(current_members=Count("members", filter=Q(members__archived_at__isnull=True)
                                              & (Q(members__left_on__isnull=True) | Q(members__left_on__gt=today)))))
    listing = pages.paginate(request, boards.order_by("name", "pk"), per_page=BOARDS_PER_PAGE)
    page = list(listing["object_list"])
    ids = [b.pk for b in page]
    found = services.conflicts(boards=Board.objects.filter(pk__in=ids), today=today)
    upcoming = {m.board_id: m for m in Meeting.objects.filter(pk__in=_next_meeting_ids(ids, today))}
    for board in page:
        board.conflict_count = sum(1 for c in found if c.board.pk == board.pk)
        board.next_meeting = upcoming.get(board.pk)
        board.review_overdue = board.is_review_overdue(today)
    creatable = [org for org in Organisation.objects.active().visible_to(request.user).order_by("name")
                 if access.can_create_in(request.user, org, Board)]
    return render(request, "boards/board_list.html", {**listing, "boards": page, "creatable": creatable,
                                                       "today": today})


def _next_meeting_ids(board_ids: list[int], today):
    soonest = Meeting.objects.upcoming(today).filter(board=OuterRef("pk")).values("pk")[:1]
    return Board.objects.filter(pk__in=board_ids).annotate(next_id=Subquery(soonest)).values("next_id")


@login_required
def board_create(request, org: str):
    organisation = pages.organisation_for(request, org)
    access.require(access.can_create_in(request.user, organisation, Board))
    form = BoardForm(pages.posted(request), user=request.user, organisation=organisation)
    return pages.form_page(request, form, template="boards/board_form.html", context={"organisation": organisation},
                           message=lambda b: _("Board %(name)s was created.") % {"name": b})


@login_required
def board_edit(request, pk: int):
    board = _board(request.user, pk, write=True)
    form = BoardForm(pages.posted(request), instance=board, user=request.user, organisation=board.organisation)
    return pages.form_page(request, form, template="boards/board_form.html",
                           context={"organisation": board.organisation, "board": board},
                           message=lambda b: _("Board %(name)s was saved.") % {"name": b})


@login_required
def board_detail(request, pk: int):
    """Members with their interests (conflicts flagged), the membership review, meetings and recent decisions."""
    board = _board(request.user, pk)
    today = deadlines.today()
    members = list(board.members.active().select_related("person", "represents").prefetch_related(
        Prefetch("interests", queryset=DeclaredInterest.objects.active().select_related("supplier"))))
    flagged = services.conflicts_by_interest(services.conflicts(boards=Board.objects.filter(pk=board.pk),
                                                                today=today))
    for seat in members:
        seat.current = seat.is_current(today)
        seat.interest_list = list(seat.interests.all())
        for interest in seat.interest_list:
            interest.conflicts = flagged.get(interest.pk, []) if seat.current else []
        seat.conflicted = any(i.conflicts for i in seat.interest_list)
    meetings = board.meetings.active()
    upcoming = list(meetings.upcoming(today)[:MEETINGS_SHOWN])
    past = list(meetings.filter(held_on__lt=today).order_by("-held_on", "-pk")[:MEETINGS_SHOWN])
    decisions = list(Decision.objects.active().filter(meeting__board=board).for_log().with_links(request.user)
                     .order_by("-meeting__held_on", "-pk")[:10])
    can_change = access.can_change(request.user, board)
    current = [m for m in members if m.current]
    # Board packs are reporting's records (it sits above the apps): reached through the reverse relation.
    packs = board.packs
    pack_organisation = board.organisation or current_organisation(request)
    return render(request, "boards/board_detail.html", {
        "packs": list(packs.visible_to(request.user).order_by("-meeting_date", "-pk")[:PACKS_SHOWN]),
        "pack_organisation": pack_organisation,
        "can_build_pack": pack_organisation is not None
        and access.can_create_in(request.user, pack_organisation, packs.model),
        "board": board, "current_members": current, "former_members": [m for m in members if not m.current],
        "conflict_count": sum(len(i.conflicts) for m in current for i in m.interest_list),
        "upcoming": upcoming, "past": past, "decisions": decisions, "today": today,
        "reviews": list(board.reviews.select_related("reviewed_by")[:5]),
        "review_overdue": board.is_review_overdue(today), "review_days_overdue": board.review_days_overdue(today),
        "can_change": can_change, "can_import": can_change and board.is_linked_to_moderngov,
        "history": history_for(board, user=request.user, url=reverse("boards:board_history", args=[board.pk])),
    })


@login_required
def board_review(request, pk: int):
    """Record a review of the board's membership for conflicts of interest (P2)."""
    board = _board(request.user, pk, write=True)
    form = ReviewForm(pages.posted(request), user=request.user)
    return pages.form_page(
        request, form, template="boards/review_form.html", context={"board": board},
        save=lambda f: board.record_membership_review(by=request.user, **f.cleaned_data),
        message=lambda r: _("The review was recorded; the next is due by %(day)s.") % {
            "day": r.next_due_on.strftime("%d/%m/%Y")},
        success_url=board.get_absolute_url(),
    )


@login_required
@require_POST
def board_import(request, pk: int):
    """Import the board's meetings and agenda items from the council's modern.gov service now."""
    board = _board(request.user, pk, write=True)
    try:
        result = moderngov.import_meetings(board=board, by=request.user)
    except moderngov.ModernGovError as problem:
        messages.error(request, _("Nothing was imported: %(problem)s") % {"problem": problem})
    else:
        messages.success(request, result.summary())
    return HttpResponseRedirect(board.get_absolute_url() + "#meetings")


@login_required
def member_create(request, pk: int):
    board = _board(request.user, pk, write=True)
    form = MemberForm(pages.posted(request), user=request.user, board=board)
    return pages.form_page(request, form, template="boards/member_form.html", context={"board": board},
                           message=lambda m: _("%(name)s was added to the board.") % {"name": m})


@login_required
def member_edit(request, pk: int):
    seat = access.get_object_for(request.user, BoardMember.objects.select_related("board"), write=True, pk=pk)
    form = MemberForm(pages.posted(request), instance=seat, user=request.user, board=seat.board)
    return pages.form_page(request, form, template="boards/member_form.html",
                           context={"board": seat.board, "member": seat},
                           message=lambda m: _("%(name)s was saved.") % {"name": m})


@login_required
def interest_create(request, pk: int):
    seat = access.get_object_for(request.user, BoardMember.objects.select_related("board"), write=True, pk=pk)
    form = InterestForm(pages.posted(request), user=request.user, member=seat)
    return pages.form_page(request, form, template="boards/interest_form.html",
                           context={"board": seat.board, "member": seat},
                           message=_("The interest was recorded."))


@login_required
def interest_edit(request, pk: int):
    interest = access.get_object_for(request.user, DeclaredInterest.objects.select_related("member__board"),
                                     write=True, pk=pk)
    form = InterestForm(pages.posted(request), instance=interest, user=request.user, member=interest.member)
    return pages.form_page(request, form, template="boards/interest_form.html",
                           context={"board": interest.member.board, "member": interest.member,
                                    "interest": interest},
                           message=_("The interest was saved."))


@login_required
def meeting_list(request, pk: int):
    board = _board(request.user, pk)
    listing = pages.paginate(request, board.meetings.active().annotate(decision_count=Count("decisions"))
                             .order_by("-held_on", "-pk"), per_page=MEETINGS_PER_PAGE)
    return render(request, "boards/meeting_list.html", {"board": board, **listing,
                                                         "can_change": access.can_change(request.user, board)})


@login_required
def meeting_create(request, pk: int):
    board = _board(request.user, pk, write=True)
    form = MeetingForm(pages.posted(request), user=request.user, board=board)
    return pages.form_page(request, form, template="boards/meeting_form.html", context={"board": board},
                           message=lambda m: _("The meeting of %(day)s was added.") % {
                               "day": m.held_on.strftime("%d/%m/%Y")})


@login_required
def meeting_edit(request, pk: int):
    meeting = _meeting(request.user, pk, write=True)
    form = MeetingForm(pages.posted(request), instance=meeting, user=request.user, board=meeting.board)
    return pages.form_page(request, form, template="boards/meeting_form.html",
                           context={"board": meeting.board, "meeting": meeting},
                           message=_("The meeting was saved."))


def meeting_trail(meeting: Meeting) -> tuple[Related, ...]:
    """What a meeting's trail includes besides the meeting: its decisions (and the proposals they name)."""
    return (Related(Decision.history.filter(meeting_id=meeting.pk), _("Decision"), "reference"),)


@login_required
def meeting_detail(request, pk: int):
    """A meeting: its agenda, papers, minutes and the decisions taken."""
    meeting = _meeting(request.user, pk)
    return render(request, "boards/meeting_detail.html", {
        "meeting": meeting, "board": meeting.board, "today": deadlines.today(),
        "items": list(meeting.agenda_items.all()),
        "papers": list(meeting.papers.active().select_related("agenda_item")),
        "decisions": list(meeting.decisions.active().select_related("owner", "agenda_item")
                          .with_links(request.user)),
        "can_change": access.can_change(request.user, meeting),
        "history": history_for(meeting, related=meeting_trail(meeting), user=request.user,
                               url=reverse("boards:meeting_history", args=[meeting.pk])),
    })


def _meeting_child(request, pk: int, form_class, template: str, message: str, anchor: str):
    meeting = _meeting(request.user, pk, write=True)
    form = form_class(pages.posted(request), user=request.user, meeting=meeting)
    return pages.form_page(request, form, template=template, context={"meeting": meeting, "board": meeting.board},
                           message=message, success_url=meeting.get_absolute_url() + anchor)


@login_required
def agenda_item_create(request, pk: int):
    return _meeting_child(request, pk, AgendaItemForm, "boards/agenda_item_form.html",
                          _("The agenda item was added."), "#agenda")


@login_required
def paper_create(request, pk: int):
    return _meeting_child(request, pk, PaperForm, "boards/paper_form.html", _("The paper was added."), "#papers")


@login_required
def decision_create(request, pk: int):
    return _meeting_child(request, pk, DecisionForm, "boards/decision_form.html", _("The decision was recorded."),
                          "#decisions")


@login_required
def decision_edit(request, pk: int):
    decision = access.get_object_for(request.user, Decision.objects.select_related("meeting__board"), write=True,
                                     pk=pk)
    meeting = decision.meeting
    form = DecisionForm(pages.posted(request), instance=decision, user=request.user, meeting=meeting)
    return pages.form_page(request, form, template="boards/decision_form.html",
                           context={"meeting": meeting, "board": meeting.board, "decision": decision},
                           message=_("The decision was saved."), success_url=decision.get_absolute_url())


#: The decision log's CSV: what a committee clerk files, one row per decision, as the page filters them.
DECISION_COLUMNS = [
    (gettext_lazy("Date"), lambda d: d.meeting.held_on),
    (gettext_lazy("Board"), lambda d: d.meeting.board.name),
    (gettext_lazy("Board of"), lambda d: d.meeting.board.owner_label),
    (gettext_lazy("Meeting"), lambda d: d.meeting.title),
    (gettext_lazy("Agenda item"), lambda d: str(d.agenda_item or "")),
    (gettext_lazy("Reference"), lambda d: d.reference),
    (gettext_lazy("Decision"), lambda d: d.title),
    (gettext_lazy("Details"), lambda d: d.text),
    (gettext_lazy("Status"), lambda d: d.get_status_display()),
    (gettext_lazy("Who carries it out"),
     lambda d: (d.owner.get_full_name() or d.owner.username) if d.owner_id else ""),
    (gettext_lazy("Proposals it concerns"),
     lambda d: "; ".join(f"{p.code} ({p.source.title})" for p in d.linked_proposals)),
]


def _decisions_csv(rows) -> HttpResponse:
    """Every decision the log's filters select, through the one neutralising writer."""
    dataset = tablib.Dataset(headers=[str(label) for label, _get in DECISION_COLUMNS])
    for decision in rows.iterator(chunk_size=500):
        dataset.append([get(decision) for _label, get in DECISION_COLUMNS])
    response = HttpResponse(spreadsheets.csv_bytes(dataset), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="decisions.csv"'
    return response


@login_required
def decision_log(request):
    """Every decision the person may read, across boards and partners, searchable and filtered (``?format=csv``)."""
    decisions = Decision.objects.visible_to(request.user).active()
    query = request.GET.copy()
    as_csv = query.pop("format", None) == ["csv"]
    filterset = DecisionFilterSet(query or None, queryset=decisions)
    valid = not filterset.is_bound or filterset.is_valid()
    rows = (filterset.qs if valid else decisions.none()).for_log().order_by("-meeting__held_on", "-pk")
    if as_csv and valid:  # a filter in error shows the page, which says what is wrong
        return _decisions_csv(rows.with_links(request.user))
    listing = pages.paginate(request, rows.with_links(request.user), per_page=DECISIONS_PER_PAGE)
    boards = Board.objects.visible_to(request.user).active().select_related("organisation", "partnership")
    return render(request, "boards/decision_log.html", {
        **listing, "filter": filterset, "about": _about(request, filterset),
        "boards": boards.order_by("name", "pk")[:200]})


def _about(request, filterset) -> object | None:
    """The proposal or action the log is filtered by, as the reader may see it, to name it above the list."""
    if not filterset.is_bound or not filterset.is_valid():
        return None
    data = filterset.form.cleaned_data
    if data.get("proposal"):
        return Proposal.objects.visible_to(request.user).filter(pk=data["proposal"]).first()
    if data.get("action"):
        return Action.objects.visible_to(request.user).select_related("proposal").filter(pk=data["action"]).first()
    return None
