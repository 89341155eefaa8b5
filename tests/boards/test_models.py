"""Boards' rules: conflicts of interest against the catalogue's suppliers, membership reviews, members, decisions."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from boards import services
from boards.models import Board, BoardMember, Decision, Meeting
from govtrack import access
from govtrack.models import Membership
from systems_catalogue.models import Contract, Supplier, System
from tests.boards.factories import (
    AgendaItemFactory,
    BoardFactory,
    BoardMemberFactory,
    DeclaredInterestFactory,
    MeetingFactory,
)
from tests.factories import member

TODAY = date(2026, 6, 15)


def _conflicts(board):
    return services.conflicts(boards=Board.objects.filter(pk=board.pk), today=TODAY)


# -- conflicts of interest (P2) ----------------------------------------------------------------------------


def test_an_interest_in_a_supplier_of_the_councils_systems_is_a_conflict(digital_board, cmc2):
    seat = BoardMemberFactory(board=digital_board, name="CMC2 representative", represents_name="CMC2")
    DeclaredInterestFactory(member=seat, supplier=cmc2, company="", declared_on=date(2015, 1, 1))
    [conflict] = _conflicts(digital_board)
    assert conflict.member == seat and conflict.supplier_name == "CMC2 Ltd"
    assert conflict.systems == ["Flo"]


def test_a_declared_company_name_is_matched_to_the_catalogues_supplier(digital_board, cmc2):
    seat = BoardMemberFactory(board=digital_board)
    DeclaredInterestFactory(member=seat, company="CMC2 (Community Interest Company)", declared_on=date(2015, 1, 1))
    [conflict] = _conflicts(digital_board)
    assert conflict.supplier_id == cmc2.pk


def test_a_name_that_is_no_supplier_of_the_organisation_raises_no_conflict(digital_board, cmc2, org_b):
    """Free text alone flags nothing: the name must be a supplier record of the board's organisation."""
    capita_b = Supplier.objects.create(organisation=org_b, name="Capita")
    System.objects.create(organisation=org_b, name="Revenues", supplier=capita_b)
    seat = BoardMemberFactory(board=digital_board)
    DeclaredInterestFactory(member=seat, company="Capita plc", declared_on=date(2015, 1, 1))
    DeclaredInterestFactory(member=seat, company="Gwent Rugby Club", declared_on=date(2015, 1, 1))
    assert _conflicts(digital_board) == []


def test_a_supplier_with_only_retired_systems_and_ended_contracts_raises_no_conflict(digital_board, org_a):
    former = Supplier.objects.create(organisation=org_a, name="Former Ltd")
    old = System.objects.create(organisation=org_a, name="Old ledger", supplier=former,
                                lifecycle=System.Lifecycle.RETIRED)
    Contract.objects.create(system=old, supplier=former, start_on=date(2010, 1, 1), end_on=date(2020, 1, 1))
    DeclaredInterestFactory(member=BoardMemberFactory(board=digital_board), supplier=former,
                            declared_on=date(2015, 1, 1))
    assert _conflicts(digital_board) == []
    Contract.objects.create(system=old, supplier=former, start_on=date(2025, 1, 1), end_on=date(2027, 1, 1))
    assert len(_conflicts(digital_board)) == 1


def test_an_ended_interest_or_a_member_who_left_raises_no_conflict(digital_board, cmc2):
    left = BoardMemberFactory(board=digital_board, joined_on=date(2014, 1, 1), left_on=date(2016, 1, 1))
    DeclaredInterestFactory(member=left, supplier=cmc2, declared_on=date(2015, 1, 1))
    sitting = BoardMemberFactory(board=digital_board)
    DeclaredInterestFactory(member=sitting, supplier=cmc2, declared_on=date(2015, 1, 1), ended_on=date(2016, 1, 1))
    assert _conflicts(digital_board) == []
    DeclaredInterestFactory(member=sitting, supplier=cmc2, declared_on=date(2016, 2, 1))
    assert [c.member for c in _conflicts(digital_board)] == [sitting]


def test_a_partnership_board_checks_every_partners_suppliers(joint_board, org_b):
    supplier_b = Supplier.objects.create(organisation=org_b, name="Northgate")
    System.objects.create(organisation=org_b, name="Housing", supplier=supplier_b)
    DeclaredInterestFactory(member=BoardMemberFactory(board=joint_board), company="Northgate Ltd",
                            declared_on=date(2015, 1, 1))
    [conflict] = _conflicts(joint_board)
    assert conflict.supplier_id == supplier_b.pk and conflict.systems == ["Housing"]


def test_finding_conflicts_takes_the_same_queries_for_one_or_many_boards(org_a, cmc2):
    def count():
        with CaptureQueriesContext(connection) as queries:
            found = services.conflicts(boards=Board.objects.all(), today=TODAY)
        return len(queries), len(found)

    def add_board(n):
        board = BoardFactory(organisation=org_a)
        supplier = Supplier.objects.create(organisation=org_a, name=f"Supplier {n}")
        System.objects.create(organisation=org_a, name=f"System {n}", supplier=supplier)
        seat = BoardMemberFactory(board=board)
        DeclaredInterestFactory(member=seat, supplier=supplier, declared_on=date(2015, 1, 1))
        DeclaredInterestFactory(member=seat, company="CMC2", declared_on=date(2015, 1, 1))

    add_board(0)
    small, found_small = count()
    for n in range(1, 10):
        add_board(n)
    large, found_large = count()
    assert (found_small, found_large) == (2, 20)
    assert small == large <= 5


# -- membership review --------------------------------------------------------------------------------------


def test_a_membership_review_is_overdue_the_day_after_it_was_due(digital_board):
    digital_board.membership_review_due_on = TODAY
    assert not digital_board.is_review_overdue(TODAY)
    assert digital_board.is_review_overdue(TODAY + timedelta(days=1))
    assert digital_board.review_days_overdue(TODAY + timedelta(days=3)) == 3


def test_recording_a_review_sets_the_next_due_date_and_keeps_the_review(digital_board, officer_a):
    digital_board.review_interval_days = 180
    review = digital_board.record_membership_review(by=officer_a, reviewed_on=timezone.localdate(),
                                                    note="No conflicts")
    digital_board.refresh_from_db()
    assert digital_board.membership_review_due_on == timezone.localdate() + timedelta(days=180)
    assert list(digital_board.reviews.all()) == [review]


def test_a_review_in_the_future_is_refused_and_changes_nothing(digital_board, officer_a):
    with pytest.raises(ValidationError) as refused:
        digital_board.record_membership_review(by=officer_a, reviewed_on=timezone.localdate() + timedelta(days=1))
    assert "reviewed_on" in refused.value.message_dict
    digital_board.refresh_from_db()
    assert digital_board.membership_review_due_on is None and not digital_board.reviews.exists()


def test_reviews_due_lists_overdue_soon_and_unscheduled_boards(org_a):
    overdue = BoardFactory(organisation=org_a, membership_review_due_on=TODAY - timedelta(days=1))
    soon = BoardFactory(organisation=org_a, membership_review_due_on=TODAY + timedelta(days=20))
    unscheduled = BoardFactory(organisation=org_a)
    BoardFactory(organisation=org_a, membership_review_due_on=TODAY + timedelta(days=200))
    due = services.membership_reviews_due(boards=Board.objects.all(), within_days=30, today=TODAY)
    assert list(due) == [unscheduled, overdue, soon]
    assert list(Board.objects.membership_review_overdue(TODAY)) == [overdue]


# -- members ------------------------------------------------------------------------------------------------


def test_a_member_is_a_person_or_a_named_outsider(digital_board):
    with pytest.raises(ValidationError) as refused:
        BoardMember(board=digital_board).full_clean()
    assert "name" in refused.value.message_dict


def test_a_person_of_another_organisation_cannot_sit_for_this_one(digital_board, officer_b):
    with pytest.raises(ValidationError) as refused:
        BoardMember(board=digital_board, person=officer_b).full_clean()
    assert "person" in refused.value.message_dict


def test_a_partners_person_may_sit_for_their_partner(digital_board, partnership, officer_b, org_b):
    BoardMember(board=digital_board, person=officer_b, represents=org_b).full_clean()


def test_a_member_cannot_represent_an_organisation_that_is_not_a_partner(digital_board, org_b):
    with pytest.raises(ValidationError) as refused:
        BoardMember(board=digital_board, name="Someone", represents=org_b).full_clean()
    assert "represents" in refused.value.message_dict


def test_an_interest_names_a_supplier_of_the_boards_organisation_only(digital_board, org_b):
    from boards.models import DeclaredInterest

    other = Supplier.objects.create(organisation=org_b, name="B's supplier")
    seat = BoardMemberFactory(board=digital_board)
    with pytest.raises(ValidationError) as refused:
        DeclaredInterest(member=seat, supplier=other).full_clean()
    assert "supplier" in refused.value.message_dict


# -- meetings and decisions ---------------------------------------------------------------------------------


def test_next_meetings_are_the_next_of_each_board_the_person_sits_on(org_a, viewer_a):
    today = timezone.localdate()
    mine, other = BoardFactory(organisation=org_a), BoardFactory(organisation=org_a)
    BoardMemberFactory(board=mine, person=viewer_a)
    MeetingFactory(board=mine, held_on=today - timedelta(days=1))
    MeetingFactory(board=mine, held_on=today + timedelta(days=3), status=Meeting.Status.CANCELLED)
    soonest = MeetingFactory(board=mine, held_on=today + timedelta(days=7))
    MeetingFactory(board=mine, held_on=today + timedelta(days=30))
    MeetingFactory(board=other, held_on=today + timedelta(days=1))
    assert list(services.next_meetings(user=viewer_a)) == [soonest]


def test_a_cancelled_meeting_takes_no_decisions(digital_board):
    meeting = MeetingFactory(board=digital_board, status=Meeting.Status.CANCELLED)
    with pytest.raises(ValidationError) as refused:
        Decision(meeting=meeting, title="Agree the roadmap").full_clean()
    assert "meeting" in refused.value.message_dict


def test_a_decision_names_an_item_of_its_own_meeting(digital_board):
    meeting, other = MeetingFactory(board=digital_board), MeetingFactory(board=digital_board)
    with pytest.raises(ValidationError) as refused:
        Decision(meeting=meeting, agenda_item=AgendaItemFactory(meeting=other), title="x").full_clean()
    assert "agenda_item" in refused.value.message_dict


def test_the_decision_log_search_needs_every_word(digital_board):
    meeting = MeetingFactory(board=digital_board)
    wanted = Decision.objects.create(meeting=meeting, title="Adopt the digital roadmap", text="For 2026 to 2028")
    Decision.objects.create(meeting=meeting, title="Adopt the risk policy")
    assert list(Decision.objects.search("adopt roadmap")) == [wanted]


# -- who sees and changes a board ---------------------------------------------------------------------------


def test_an_organisations_board_is_hidden_from_another_organisation(digital_board, officer_b):
    assert not Board.objects.visible_to(officer_b).exists()
    assert not Decision.objects.visible_to(officer_b).exists()


def test_a_partnership_board_is_read_by_every_partner_and_changed_by_their_managers(joint_board, officer_b,
                                                                                   manager_b, officer_a):
    meeting = MeetingFactory(board=joint_board)
    assert list(Meeting.objects.visible_to(officer_b)) == [meeting]
    assert access.can_change(manager_b, joint_board) and not access.can_change(officer_b, joint_board)
    assert not access.can_change(officer_a, meeting)


def test_the_secretary_keeps_the_boards_meetings(digital_board, officer_a, org_a):
    meeting = MeetingFactory(board=digital_board)
    assert access.can_change(officer_a, meeting)
    assert not access.can_change(member(org_a, Membership.Role.OFFICER), meeting)
