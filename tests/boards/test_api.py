"""The boards API: conflicts and reviews through the same rules as the pages, scoped lists in constant queries."""

from datetime import date, timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from boards.models import Decision
from govtrack import access
from tests.boards.factories import BoardMemberFactory, DecisionFactory, DeclaredInterestFactory, MeetingFactory


def _client(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_the_conflicts_endpoint_lists_what_the_board_page_flags(officer_a, digital_board, cmc2):
    seat = BoardMemberFactory(board=digital_board, name="CMC2 representative")
    DeclaredInterestFactory(member=seat, supplier=cmc2, declared_on=date(2015, 1, 1))
    [conflict] = _client(officer_a).get(f"/api/v1/boards/{digital_board.pk}/conflicts/").json()
    assert conflict["member_name"] == "CMC2 representative" and conflict["systems"] == ["Flo"]


def test_a_review_through_the_api_sets_the_next_due_date(officer_a, viewer_a, digital_board):
    today = timezone.localdate().isoformat()
    assert _client(viewer_a).post(f"/api/v1/boards/{digital_board.pk}/review/",
                                  {"reviewed_on": today}).status_code == 403
    response = _client(officer_a).post(f"/api/v1/boards/{digital_board.pk}/review/", {"reviewed_on": today})
    assert response.status_code == 201
    assert response.json()["membership_review_due_on"] == (timezone.localdate() + timedelta(days=365)).isoformat()
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    refused = _client(officer_a).post(f"/api/v1/boards/{digital_board.pk}/review/", {"reviewed_on": tomorrow})
    assert refused.status_code == 400 and "reviewed_on" in refused.json()


def test_a_decision_on_a_cancelled_meeting_is_refused_with_its_field(officer_a, digital_board):
    meeting = MeetingFactory(board=digital_board, status="cancelled")
    response = _client(officer_a).post("/api/v1/decisions/", {"meeting": meeting.pk, "title": "x"}, format="json")
    assert response.status_code == 400 and "meeting" in response.json()
    assert not Decision.objects.exists()


def test_the_decision_log_filters_are_the_pages(officer_b, joint_board, digital_board):
    DecisionFactory(meeting=MeetingFactory(board=joint_board), title="Adopt the joint roadmap")
    DecisionFactory(meeting=MeetingFactory(board=digital_board), title="Adopt the council roadmap")
    rows = _client(officer_b).get("/api/v1/decisions/?q=roadmap").json()["results"]
    assert [r["title"] for r in rows] == ["Adopt the joint roadmap"]
    assert _client(officer_b).get("/api/v1/decisions/?decided_from=yesterday").status_code == 400


def test_lists_run_the_same_queries_for_few_or_many(officer_a, digital_board):
    def counts():
        found = {}
        for url in ("/api/v1/boards/", "/api/v1/board-members/", "/api/v1/meetings/", "/api/v1/decisions/"):
            access.forget(officer_a)  # each request loads the person's roles afresh, as a real one does
            with CaptureQueriesContext(connection) as captured:
                assert _client(officer_a).get(url).status_code == 200
            found[url] = len(captured.captured_queries)
        return found

    def add(n):
        for _ in range(n):
            seat = BoardMemberFactory(board=digital_board)
            DeclaredInterestFactory(member=seat)
            DecisionFactory(meeting=MeetingFactory(board=digital_board))

    add(1)
    small = counts()
    add(10)
    assert counts() == small
    assert max(small.values()) <= 10
    print(small)
