"""Decisions linked to the audit proposals and actions they concern: scoped like every link, shown both ways."""

from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from boards.models import Decision
from govtrack import access
from tests.boards.factories import DecisionFactory, MeetingFactory
from tests.proposals.factories import ActionFactory, ProposalFactory, SourceFactory


def _api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured.captured_queries)


def test_the_secretary_links_a_decision_to_a_proposal_and_each_page_shows_the_other(login, officer_a, org_a,
                                                                                    digital_board):
    proposal = ProposalFactory(source=SourceFactory(organisation=org_a, title="Follow-up review 2016"), code="P2")
    action = ActionFactory(proposal=proposal, description="Review the Digital Board's membership")
    meeting = MeetingFactory(board=digital_board, held_on=timezone.localdate() - timedelta(days=1), status="held")
    client = login(officer_a)
    form = client.get(f"/boards/meetings/{meeting.pk}/decisions/new/").content.decode()
    assert "Follow-up review 2016: P2" in form and "P2: Review the Digital Board" in form
    response = client.post(f"/boards/meetings/{meeting.pk}/decisions/new/", {
        "title": "Review the membership by March", "status": "agreed",
        "proposals": [proposal.pk], "actions": [action.pk]})
    assert response.status_code == 302, response.content.decode()[:2000]
    decision = Decision.objects.get()
    assert list(decision.proposals.all()) == [proposal] and list(decision.actions.all()) == [action]
    meeting_page = client.get(meeting.get_absolute_url()).content.decode()
    assert proposal.get_absolute_url() in meeting_page and action.get_absolute_url() in meeting_page
    for url in (proposal.get_absolute_url(), action.get_absolute_url()):
        page = client.get(url).content.decode()
        assert "Decisions about it" in page and "Review the membership by March" in page
        assert decision.get_absolute_url() in page
    log = client.get("/boards/decisions/", {"proposal": proposal.pk}).content.decode()
    assert "Review the membership by March" in log and proposal.get_absolute_url() in log
    other = client.get("/boards/decisions/", {"proposal": proposal.pk + 1}).content.decode()
    assert "Review the membership" not in other
    csv = client.get("/boards/decisions/?format=csv").content.decode("utf-8-sig")
    assert "P2 (Follow-up review 2016)" in csv


def test_another_organisations_proposal_cannot_be_linked_by_form_or_api(login, officer_a, org_b, digital_board):
    theirs = ProposalFactory(source=SourceFactory(organisation=org_b), code="B1")
    their_action = ActionFactory(proposal=theirs)
    meeting = MeetingFactory(board=digital_board)
    client = login(officer_a)
    assert "B1" not in client.get(f"/boards/meetings/{meeting.pk}/decisions/new/").content.decode()
    response = client.post(f"/boards/meetings/{meeting.pk}/decisions/new/", {
        "title": "x", "status": "agreed", "proposals": [theirs.pk]})
    assert response.status_code == 200 and "Select a valid choice" in response.content.decode()
    for field, value in (("proposals", theirs.pk), ("actions", their_action.pk)):
        response = _api(officer_a).post("/api/v1/decisions/", {"meeting": meeting.pk, "title": "x",
                                                               field: [value]}, format="json")
        assert response.status_code == 400 and field in response.json()
    assert not Decision.objects.exists()


def test_a_proposal_the_board_may_not_link_is_refused_even_if_the_person_sees_it(officer_a, org_a, org_b,
                                                                                 digital_board):
    from govtrack.models import Membership

    Membership.objects.create(user=officer_a, organisation=org_b, role="officer")
    access.forget(officer_a)
    theirs = ProposalFactory(source=SourceFactory(organisation=org_b), code="B1")
    response = _api(officer_a).post("/api/v1/decisions/", {
        "meeting": MeetingFactory(board=digital_board).pk, "title": "x", "proposals": [theirs.pk]}, format="json")
    assert response.status_code == 400 and "another organisation" in str(response.json()["proposals"])


def test_the_api_links_and_shows_the_proposals_the_caller_may_read(officer_a, officer_b, org_a, joint_board):
    own = ProposalFactory(source=SourceFactory(organisation=org_a), code="A1")
    joint_board.secretary = officer_a
    joint_board.save()
    meeting = MeetingFactory(board=joint_board)
    response = _api(officer_a).post("/api/v1/decisions/", {"meeting": meeting.pk, "title": "Joint decision",
                                                           "proposals": [own.pk]}, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["proposals"] == [own.pk]
    # B reads the joint board's decision, but not A's own proposal behind it.
    [row] = _api(officer_b).get("/api/v1/decisions/").json()["results"]
    assert row["title"] == "Joint decision" and row["proposals"] == []


def test_a_partner_sees_the_decision_but_not_a_proposal_it_may_not_read(login, officer_b, org_a, joint_board):
    own = ProposalFactory(source=SourceFactory(organisation=org_a), code="A-SECRET")
    decision = DecisionFactory(meeting=MeetingFactory(board=joint_board), title="Joint decision")
    decision.proposals.add(own)
    page = login(officer_b).get("/boards/decisions/").content.decode()
    assert "Joint decision" in page and "A-SECRET" not in page and own.get_absolute_url() not in page


def test_linked_pages_and_lists_run_the_same_queries_for_few_or_many_links(login, officer_a, org_a, digital_board):
    source = SourceFactory(organisation=org_a)
    proposal = ProposalFactory(source=source)
    meeting = MeetingFactory(board=digital_board)

    def add(n):
        for _ in range(n):
            other = ProposalFactory(source=source)
            decision = DecisionFactory(meeting=meeting)
            decision.proposals.add(proposal, other)
            decision.actions.add(ActionFactory(proposal=other), ActionFactory(proposal=proposal))

    client = login(officer_a)
    urls = ["/boards/decisions/", meeting.get_absolute_url(), digital_board.get_absolute_url(),
            proposal.get_absolute_url(), "/boards/decisions/?format=csv"]
    add(1)
    small = [_queries(client, url) for url in urls]
    add(12)
    large = [_queries(client, url) for url in urls]
    assert small == large, list(zip(urls, small, large, strict=True))

    def api() -> int:
        access.forget(officer_a)
        with CaptureQueriesContext(connection) as captured:
            assert _api(officer_a).get("/api/v1/decisions/").status_code == 200
        return len(captured.captured_queries)

    few = api()
    add(5)
    assert api() == few
    print(dict(zip(urls, large, strict=True)), "api", few)


def test_a_proposal_page_shows_the_latest_decisions_and_links_to_the_rest(login, officer_a, org_a, digital_board):
    proposal = ProposalFactory(source=SourceFactory(organisation=org_a))
    for n in range(11):
        DecisionFactory(meeting=MeetingFactory(board=digital_board), title=f"Step {n}").proposals.add(proposal)
    page = login(officer_a).get(proposal.get_absolute_url()).content.decode()
    assert page.count("Step ") == 10 and f"/boards/decisions/?proposal={proposal.pk}" in page


def test_the_log_filtered_by_a_proposal_names_it_and_hides_one_the_reader_may_not_see(login, officer_a, officer_b,
                                                                                       org_a, digital_board):
    proposal = ProposalFactory(source=SourceFactory(organisation=org_a), code="P3", text="Agree SLAs with SRS")
    DecisionFactory(meeting=MeetingFactory(board=digital_board), title="SLAs by March").proposals.add(proposal)
    page = login(officer_a).get(f"/boards/decisions/?proposal={proposal.pk}").content.decode()
    assert "Decisions about P3" in page and proposal.get_absolute_url() in page and "show every decision" in page
    outsider = login(officer_b).get(f"/boards/decisions/?proposal={proposal.pk}").content.decode()
    assert "Decisions about" not in outsider and "Agree SLAs" not in outsider
