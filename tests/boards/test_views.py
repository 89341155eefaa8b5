"""Board, meeting and decision-log pages: what they show, who may change what, bad input, and query counts."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from boards.models import Board, BoardMember, Decision, DeclaredInterest, Meeting
from tests.boards.factories import (
    AgendaItemFactory,
    BoardFactory,
    BoardMemberFactory,
    DecisionFactory,
    DeclaredInterestFactory,
    MeetingFactory,
)


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured.captured_queries)


def _fill(board, n, cmc2, person=None):
    today = timezone.localdate()
    for i in range(n):
        seat = BoardMemberFactory(board=board, person=person if i == 0 else None)
        DeclaredInterestFactory(member=seat, supplier=cmc2, declared_on=date(2015, 1, 1))
        meeting = MeetingFactory(board=board, held_on=today + timedelta(days=i - n // 2))
        AgendaItemFactory(meeting=meeting)
        DecisionFactory(meeting=meeting, owner=person)


def test_the_board_page_flags_the_conflict_and_the_overdue_review(login, viewer_a, digital_board, cmc2):
    digital_board.membership_review_due_on = timezone.localdate() - timedelta(days=3)
    digital_board.save()
    seat = BoardMemberFactory(board=digital_board, name="Ann Outsider", represents_name="CMC2")
    DeclaredInterestFactory(member=seat, company="CMC2 CIC", declared_on=date(2015, 1, 1))
    page = login(viewer_a).get(digital_board.get_absolute_url()).content.decode()
    assert "Conflict of interest" in page and "Supplier: CMC2 Ltd" in page and "supplies Flo" in page
    assert "Overdue" in page and "3 days overdue" in page
    assert "Edit board" not in page  # a viewer reads only


def test_pages_run_the_same_queries_for_few_or_many_records(login, officer_a, digital_board, cmc2):
    client = login(officer_a)
    _fill(digital_board, 2, cmc2, person=officer_a)
    meeting = digital_board.meetings.first()
    urls = ["/boards/", digital_board.get_absolute_url(), f"/boards/{digital_board.pk}/meetings/",
            meeting.get_absolute_url(), "/boards/decisions/", "/boards/decisions/?q=Decision"]
    small = [_queries(client, url) for url in urls]
    _fill(digital_board, 12, cmc2, person=officer_a)
    for n in range(8):
        BoardFactory(organisation=digital_board.organisation, name=f"Committee {n}")
    for _n in range(6):
        AgendaItemFactory(meeting=meeting)
        DecisionFactory(meeting=meeting)
    large = [_queries(client, url) for url in urls]
    assert small == large, list(zip(urls, small, large, strict=True))
    assert max(large) <= 30
    print(dict(zip(urls, large, strict=True)))


def test_the_decision_log_searches_across_the_partnerships_boards(login, officer_b, joint_board, digital_board):
    joint = DecisionFactory(meeting=MeetingFactory(board=joint_board), title="Adopt the joint roadmap")
    DecisionFactory(meeting=MeetingFactory(board=digital_board), title="Adopt the council roadmap")
    page = login(officer_b).get("/boards/decisions/?q=roadmap").content.decode()
    assert joint.title in page and "council roadmap" not in page


def test_a_bad_filter_says_so_and_is_no_server_error(login, officer_a, digital_board):
    response = login(officer_a).get("/boards/decisions/?decided_from=not-a-date&board=99999999999999999999")
    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()


def test_the_secretary_records_a_meeting_a_decision_and_a_review(login, officer_a, digital_board):
    client = login(officer_a)
    response = client.post(f"/boards/{digital_board.pk}/meetings/new/",
                           {"held_on": "2026-01-14", "status": "held", "title": "January"})
    assert response.status_code == 302
    meeting = Meeting.objects.get()
    response = client.post(f"/boards/meetings/{meeting.pk}/decisions/new/",
                           {"title": "Adopt the roadmap", "status": "agreed", "owner": officer_a.pk})
    assert response.status_code == 302 and Decision.objects.get().owner == officer_a
    response = client.post(f"/boards/{digital_board.pk}/review/", {"reviewed_on": timezone.localdate().isoformat(),
                                                                    "note": "Interests checked"})
    assert response.status_code == 302
    digital_board.refresh_from_db()
    assert digital_board.membership_review_due_on == timezone.localdate() + timedelta(days=365)


def test_a_review_in_the_future_is_a_form_error(login, officer_a, digital_board):
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    response = login(officer_a).post(f"/boards/{digital_board.pk}/review/", {"reviewed_on": tomorrow})
    assert response.status_code == 200 and "in the future" in response.content.decode()
    assert not digital_board.reviews.exists()


def test_an_outsider_of_another_organisation_cannot_be_made_a_member(login, manager_a, digital_board, officer_b):
    response = login(manager_a).post(f"/boards/{digital_board.pk}/members/new/",
                                     {"person": officer_b.pk, "role": "officer"})
    assert response.status_code == 200 and "person" in response.context["form"].errors
    assert not BoardMember.objects.exists()


def test_an_interest_records_the_catalogues_supplier(login, officer_a, digital_board, cmc2):
    seat = BoardMemberFactory(board=digital_board)
    response = login(officer_a).post(f"/boards/members/{seat.pk}/interests/new/",
                                     {"kind": "directorship", "supplier": cmc2.pk, "declared_on": "2015-01-01"})
    assert response.status_code == 302 and DeclaredInterest.objects.get().supplier == cmc2


def test_a_stale_edit_of_a_decision_is_refused_with_what_changed(login, officer_a, digital_board):
    decision = DecisionFactory(meeting=MeetingFactory(board=digital_board), title="First")
    opened = decision.version
    decision.title = "Changed meanwhile"
    decision.save()
    response = login(officer_a).post(f"/boards/decisions/{decision.pk}/edit/",
                                     {"title": "Mine", "status": "agreed", "version": opened})
    assert response.status_code == 200
    decision.refresh_from_db()
    assert decision.title == "Changed meanwhile"


def test_a_manager_creates_a_board_of_the_partnership(login, manager_a, org_a, partnership):
    response = login(manager_a).post(f"/boards/{org_a.slug}/new/", {
        "name": "SRS Strategic Board", "slug": "srs-strategic", "kind": "partnership_board",
        "belongs": f"joint:{partnership.pk}", "review_interval_days": 365})
    assert response.status_code == 302, response.context["form"].errors
    board = Board.objects.get()
    assert board.organisation is None and board.partnership == partnership


@pytest.mark.parametrize("url", ["/boards/{pk}/", "/boards/{pk}/meetings/", "/boards/{pk}/edit/"])
def test_another_organisations_board_is_not_found(login, officer_b, digital_board, url):
    assert login(officer_b).get(url.format(pk=digital_board.pk)).status_code == 404


def test_the_demo_digital_board_shows_the_cmc2_conflict_and_the_overdue_review(client, db):
    from django.core.management import call_command

    from tests.conftest import sign_in

    call_command("load_demo")
    call_command("load_demo")
    board = Board.objects.get(slug="digital-board")
    assert board.members.count() == 6 and Decision.objects.count() == 6
    page = sign_in(client, board.members.get(person__username="board.member").person).get(
        board.get_absolute_url()).content.decode()
    assert "Supplier: CMC2" in page and "supplies Flo, Plant" in page and "Overdue" in page
    p2 = Decision.objects.get(reference="DB-05").proposals.get()
    assert p2.code == "P2" and "DB-05" in sign_in(client, board.secretary).get(p2.get_absolute_url()).content.decode()


def test_the_decision_log_exports_what_its_filters_select_as_csv(login, officer_a, digital_board):
    meeting = MeetingFactory(board=digital_board, held_on=date(2024, 3, 14))
    DecisionFactory(meeting=meeting, reference="DB/24/1", title="=HYPERLINK(\"http://evil\")", text="Adopt it")
    DecisionFactory(meeting=MeetingFactory(board=digital_board, held_on=date(2023, 1, 5)), title="Older decision")
    client = login(officer_a)
    page = client.get("/boards/decisions/?decided_from=2024-01-01").content.decode()
    assert "format=csv" in page and "decided_from=2024-01-01" in page
    response = client.get("/boards/decisions/?decided_from=2024-01-01&format=csv")
    assert response["Content-Type"].startswith("text/csv")
    assert 'filename="decisions.csv"' in response["Content-Disposition"]
    text = response.content.decode("utf-8-sig")
    assert text.splitlines()[0].startswith("Date,Board,Board of,Meeting,Agenda item,Reference,Decision")
    assert "DB/24/1" in text and "'=HYPERLINK" in text  # the formula is neutralised
    assert "Older decision" not in text


def test_the_csv_holds_only_what_the_person_may_read(login, officer_b, digital_board, joint_board):
    DecisionFactory(meeting=MeetingFactory(board=digital_board), title="Council secret")
    DecisionFactory(meeting=MeetingFactory(board=joint_board), title="Joint decision")
    text = login(officer_b).get("/boards/decisions/?format=csv").content.decode("utf-8-sig")
    assert "Joint decision" in text and "Council secret" not in text


def test_the_csv_runs_the_same_queries_for_few_or_many_decisions(login, officer_a, digital_board, cmc2):
    client = login(officer_a)
    _fill(digital_board, 2, cmc2, person=officer_a)
    small = _queries(client, "/boards/decisions/?format=csv")
    _fill(digital_board, 12, cmc2, person=officer_a)
    assert _queries(client, "/boards/decisions/?format=csv") == small


def test_the_decision_log_dates_are_govuk_date_inputs(login, officer_a, digital_board):
    DecisionFactory(meeting=MeetingFactory(board=digital_board, held_on=date(2024, 3, 14)), title="In March")
    DecisionFactory(meeting=MeetingFactory(board=digital_board, held_on=date(2024, 5, 2)), title="In May")
    client = login(officer_a)
    page = client.get("/boards/decisions/").content.decode()
    assert 'name="decided_from_day"' in page and 'type="date"' not in page
    page = client.get("/boards/decisions/", {"decided_from_day": "1", "decided_from_month": "4",
                                             "decided_from_year": "2024"}).content.decode()
    assert "In May" in page and "In March" not in page
    assert 'value="2024"' in page  # what was typed is shown again
    page = client.get("/boards/decisions/", {"decided_to_day": "31", "decided_to_month": "2",
                                             "decided_to_year": "2024"}).content.decode()
    assert "There is a problem" in page and "must be a real date" in page and "#id_decided_to_day" in page
