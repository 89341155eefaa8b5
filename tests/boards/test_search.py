"""Boards, meetings and decisions in site search, found only by those who may read the board."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.boards.factories import BoardFactory, DecisionFactory, MeetingFactory


def test_search_finds_boards_meetings_and_decisions_of_the_persons_organisation(login, officer_a, officer_b,
                                                                               digital_board):
    digital_board.purpose = "Oversees the digital roadmap"
    digital_board.save()
    meeting = MeetingFactory(board=digital_board, title="Roadmap workshop")
    decision = DecisionFactory(meeting=meeting, reference="DB/7", title="Adopt the roadmap")
    page = login(officer_a).get("/search/", {"q": "roadmap"}).content.decode()
    assert "Boards and committees (1)" in page and digital_board.get_absolute_url() in page
    assert "Board meetings (1)" in page and meeting.get_absolute_url() in page
    assert "Board decisions (1)" in page and decision.get_absolute_url() in page
    assert "DB/7" in login(officer_a).get("/search/", {"q": "DB/7"}).content.decode()
    other = login(officer_b).get("/search/", {"q": "roadmap"}).content.decode()
    assert "Adopt the roadmap" not in other and "Roadmap workshop" not in other
    assert digital_board.get_absolute_url() not in other


def test_a_partnerships_board_is_found_by_its_partners(login, officer_b, joint_board, digital_board):
    DecisionFactory(meeting=MeetingFactory(board=joint_board), title="Share the service desk")
    DecisionFactory(meeting=MeetingFactory(board=digital_board), title="Share nothing secret")
    page = login(officer_b).get("/search/", {"q": "share"}).content.decode()
    assert "Share the service desk" in page and "secret" not in page


def test_an_archived_board_and_its_decisions_are_not_found(login, officer_a, digital_board):
    DecisionFactory(meeting=MeetingFactory(board=digital_board), title="Old committee decision")
    digital_board.archive(by=officer_a)
    page = login(officer_a).get("/search/", {"q": "committee decision"}).content.decode()
    assert "Old committee decision" not in page


def test_search_costs_the_same_queries_however_many_boards_match(login, officer_a, org_a, digital_board,
                                                                  django_assert_num_queries):
    board = BoardFactory(organisation=org_a, name="Cyber board")
    DecisionFactory(meeting=MeetingFactory(board=board, title="Cyber review"), title="Cyber plan")
    client = login(officer_a)
    client.get("/search/", {"q": "cyber"})
    with CaptureQueriesContext(connection) as few:
        client.get("/search/", {"q": "cyber"})
    for n in range(15):
        other = BoardFactory(organisation=org_a, name=f"Cyber board {n}")
        DecisionFactory(meeting=MeetingFactory(board=other, title=f"Cyber review {n}"), title=f"Cyber plan {n}")
    with django_assert_num_queries(len(few.captured_queries)):
        page = client.get("/search/", {"q": "cyber"}).content.decode()
    assert "Board decisions (16)" in page
