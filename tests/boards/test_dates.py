"""Meetings and membership reviews in the dates registry: on the start page, in the calendar and reminded of."""

from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from govtrack.dates import dated
from govtrack.models import Notification
from reporting import reminders
from reporting.calendar import calendar_for
from tests.boards.factories import BoardFactory, BoardMemberFactory, MeetingFactory

TODAY = timezone.localdate()


def _mine(person, **kwargs):
    return [d for d in dated(people=[person.pk], until=TODAY + timedelta(days=60), **kwargs)
            if d.key.startswith("boards:")]


def test_a_meeting_belongs_to_the_boards_members_and_secretary(officer_a, manager_a, viewer_a, digital_board):
    BoardMemberFactory(board=digital_board, person=manager_a)
    BoardMemberFactory(board=digital_board, person=viewer_a, left_on=TODAY + timedelta(days=5),
                       joined_on=TODAY - timedelta(days=400))
    meeting = MeetingFactory(board=digital_board, held_on=TODAY + timedelta(days=10), title="Roadmap")
    for person in (officer_a, manager_a):  # the secretary, and a member sitting that day
        [item] = _mine(person)
        assert (item.key, item.on, item.kind, item.url) == (
            f"boards:meeting:{meeting.pk}", meeting.held_on, "board", meeting.get_absolute_url())
        assert item.title == "Digital Board meets: Roadmap" and item.person_id == person.pk
    assert _mine(viewer_a) == []  # has left by the meeting's day
    everyone = [d.person_id for d in dated(people=None, until=TODAY + timedelta(days=60)) if d.key.startswith("boards")]
    assert sorted(everyone) == sorted([officer_a.pk, manager_a.pk])


def test_cancelled_past_and_archived_meetings_are_no_ones_dates(officer_a, digital_board):
    MeetingFactory(board=digital_board, held_on=TODAY + timedelta(days=3), status="cancelled")
    MeetingFactory(board=digital_board, held_on=TODAY - timedelta(days=3))
    MeetingFactory(board=digital_board, held_on=TODAY + timedelta(days=4)).archive(by=officer_a)
    assert _mine(officer_a, since=TODAY - timedelta(days=30)) == []


def test_a_membership_review_belongs_to_the_secretary_and_shows_overdue(officer_a, manager_a, digital_board):
    BoardMemberFactory(board=digital_board, person=manager_a)
    digital_board.membership_review_due_on = TODAY - timedelta(days=2)
    digital_board.save()
    [item] = _mine(officer_a)
    assert item.key == f"boards:review:{digital_board.pk}" and item.on == TODAY - timedelta(days=2)
    assert "Digital Board" in item.title and item.url.endswith("#review")
    assert _mine(manager_a) == []


def test_the_start_page_and_the_calendar_show_a_members_meeting(login, manager_a, digital_board):
    BoardMemberFactory(board=digital_board, person=manager_a)
    MeetingFactory(board=digital_board, held_on=TODAY + timedelta(days=6), title="Budget")
    page = login(manager_a).get("/").content.decode()
    assert "Digital Board meets: Budget" in page
    feed = calendar_for(manager_a, today=TODAY)
    assert "SUMMARY:Digital Board meets: Budget" in feed
    assert f"DTSTART;VALUE=DATE:{TODAY + timedelta(days=6):%Y%m%d}" in feed


def test_members_are_reminded_of_a_meeting_once(officer_a, manager_a, digital_board):
    BoardMemberFactory(board=digital_board, person=manager_a)
    MeetingFactory(board=digital_board, held_on=TODAY + timedelta(days=7))
    assert reminders.send_reminders(organisation=None, today=TODAY) == 2
    assert reminders.send_reminders(organisation=None, today=TODAY) == 0
    notice = Notification.objects.get(recipient=manager_a)
    assert notice.kind == "board" and "Digital Board meets" in notice.subject


def test_the_board_dates_cost_the_same_queries_however_many_meetings_and_members(officer_a, org_a, digital_board):
    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            for people in (None, [officer_a.pk]):
                items = dated(people=people, until=TODAY + timedelta(days=90))
        return len(captured.captured_queries), len(items)

    def add(n):
        for i in range(n):
            board = BoardFactory(organisation=org_a, secretary=officer_a,
                                 membership_review_due_on=TODAY + timedelta(days=i))
            BoardMemberFactory(board=board, person=officer_a)
            for day in (5, 20):
                MeetingFactory(board=board, held_on=TODAY + timedelta(days=day + i))

    add(1)
    few, found = count()
    add(10)
    many, more = count()
    assert many == few and more > found
    print("queries for both calls:", few)
