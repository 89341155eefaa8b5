"""The proposals API: the same rules as the pages, constant queries, errors as field messages."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from proposals import rag
from proposals.models import Action, Evidence
from tests.proposals.conftest import pdf
from tests.proposals.factories import ActionFactory, ProposalFactory

pytestmark = pytest.mark.django_db


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, response.content[:300]
    return len(captured)


@pytest.mark.parametrize("url", ["/api/v1/proposals/", "/api/v1/actions/", "/api/v1/sources/"])
def test_lists_run_the_same_queries_at_two_sizes(api_client, source_a, officer_a, url):
    api_client.force_authenticate(officer_a)
    for _ in range(2):
        ActionFactory(proposal=ProposalFactory(source=source_a), owner=officer_a, due_on=date.today())
    api_client.get(url)
    small = _queries(api_client, url)
    for _ in range(10):
        proposal = ProposalFactory(source=source_a)
        proposal.follows_up.add(ProposalFactory(source=source_a))
        ActionFactory(proposal=proposal, owner=officer_a, due_on=date.today() - timedelta(days=3))
    assert _queries(api_client, url) == small


def test_proposal_shows_status_rag_and_follow_ups_both_ways(api_client, action_a, officer_a, org_a):
    from tests.proposals.factories import SourceFactory

    later = ProposalFactory(source=SourceFactory(organisation=org_a, issued_on=date(2020, 1, 1)))
    later.follows_up.add(action_a.proposal)
    api_client.force_authenticate(officer_a)
    body = api_client.get(f"/api/v1/proposals/{action_a.proposal_id}/").json()
    assert body["status"] == "open" and body["rag"] == "green" and body["followed_up_by"] == [later.pk]
    assert api_client.get(f"/api/v1/proposals/{later.pk}/").json()["follows_up"] == [action_a.proposal_id]
    assert api_client.get("/api/v1/proposals/", {"rag": "green"}).json()["count"] == 1


def test_the_owner_gives_updates_through_the_api_and_they_are_kept(api_client, action_a, officer_a):
    api_client.force_authenticate(officer_a)
    url = f"/api/v1/actions/{action_a.pk}/updates/"
    first = api_client.post(url, {"progress": 30, "forecast": "at_risk", "note": "Slow"}, format="json")
    assert first.status_code == 201
    assert api_client.post(url, {"progress": 40, "forecast": "on_track"}, format="json").status_code == 201
    listed = api_client.get(url).json()
    assert [u["progress"] for u in listed["results"]] == [40, 30]
    bad = api_client.post(url, {"progress": 140, "forecast": "soon"}, format="json")
    assert bad.status_code == 400 and {"progress", "forecast"} <= set(bad.json())
    action = api_client.get(f"/api/v1/actions/{action_a.pk}/").json()
    assert action["progress"] == 40 and action["forecast"] == "on_track" and action["status"] == "in_progress"


def test_a_revision_without_a_reason_is_a_field_error(api_client, action_a, officer_a):
    api_client.force_authenticate(officer_a)
    url = f"/api/v1/actions/{action_a.pk}/revise/"
    new = (action_a.due_on + timedelta(days=10)).isoformat()
    response = api_client.post(url, {"new_due_on": new, "reason": ""}, format="json")
    assert response.status_code == 400 and "reason" in response.json()
    assert api_client.post(url, {"new_due_on": new, "reason": "Delay"}, format="json").status_code == 201
    body = api_client.get(f"/api/v1/actions/{action_a.pk}/").json()
    assert body["due_on"] == new and body["original_due_on"] == action_a.due_on.isoformat()


def test_the_due_date_cannot_be_patched_past_a_revision(api_client, action_a, manager_a):
    api_client.force_authenticate(manager_a)
    response = api_client.patch(f"/api/v1/actions/{action_a.pk}/", {"due_on": "2030-01-01"}, format="json")
    assert Action.objects.get(pk=action_a.pk).due_on == action_a.due_on
    assert response.status_code in (200, 400)


def test_sign_off_by_the_owner_is_refused(api_client, action_a, officer_a, manager_a):
    action_a.record_update(by=officer_a, progress=100, forecast=rag.Forecast.ON_TRACK)
    Evidence.objects.create(action=action_a, title="Minutes", url="https://example.org/m", added_by=officer_a)
    api_client.force_authenticate(officer_a)
    assert api_client.post(f"/api/v1/actions/{action_a.pk}/sign-off/", {}, format="json").status_code in (400, 403)
    api_client.force_authenticate(manager_a)
    response = api_client.post(f"/api/v1/actions/{action_a.pk}/sign-off/", {}, format="json")
    assert response.status_code == 200 and response.json()["status"] == "signed_off"


def test_closing_with_open_actions_is_refused(api_client, action_a, manager_a):
    api_client.force_authenticate(manager_a)
    response = api_client.post(f"/api/v1/proposals/{action_a.proposal_id}/close/", {}, format="json")
    assert response.status_code == 400


def test_an_action_owner_outside_the_organisation_is_refused(api_client, proposal_a, manager_a, officer_b):
    api_client.force_authenticate(manager_a)
    response = api_client.post("/api/v1/actions/", {"proposal": proposal_a.pk, "description": "x",
                                                    "owner": officer_b.pk}, format="json")
    assert response.status_code == 400 and "owner" in response.json()


def test_evidence_uploads_are_checked_by_content(api_client, action_a, officer_a):
    from django.core.files.uploadedfile import SimpleUploadedFile

    api_client.force_authenticate(officer_a)
    fake = SimpleUploadedFile("x.pdf", b"<script>alert(1)</script>", content_type="application/pdf")
    response = api_client.post("/api/v1/evidence/", {"action": action_a.pk, "title": "X", "file": fake},
                               format="multipart")
    assert response.status_code == 400 and "file" in response.json()
    response = api_client.post("/api/v1/evidence/", {"action": action_a.pk, "title": "Report", "file": pdf()},
                               format="multipart")
    assert response.status_code == 201 and response.json()["content_type"] == "application/pdf"
    evidence = Evidence.objects.get(pk=response.json()["id"])
    assert response.json()["file_url"] == f"/proposals/evidence/{evidence.pk}/file/" and evidence.file_size > 0


def test_an_outsider_sees_nothing(api_client, action_a, officer_b):
    api_client.force_authenticate(officer_b)
    assert api_client.get(f"/api/v1/actions/{action_a.pk}/").status_code == 404
    assert api_client.get("/api/v1/proposals/").json()["count"] == 0
    response = api_client.post(f"/api/v1/actions/{action_a.pk}/updates/", {"progress": 5, "forecast": "on_track"},
                               format="json")
    assert response.status_code == 404


def test_proposal_and_action_lists_take_the_shared_filters_every_list_takes(api_client, officer_a, action_a):
    """modified_since for incremental sync, date ranges, and an empty or unreadable filter answered with 400."""
    from datetime import timedelta

    from django.utils import timezone

    api_client.force_authenticate(officer_a)
    since = (timezone.now() - timedelta(hours=1)).isoformat()
    for url, choice in (("/api/v1/proposals/", "rag"), ("/api/v1/actions/", "status")):
        assert api_client.get(url, {"modified_since": since}).json()["count"] == 1, url
        later = (timezone.now() + timedelta(hours=1)).isoformat()
        assert api_client.get(url, {"modified_since": later}).json()["count"] == 0, url
        empty = api_client.get(f"{url}?{choice}=")
        assert empty.status_code == 400 and choice in empty.json(), url
    assert api_client.get("/api/v1/actions/", {"due_on_before": "not-a-date"}).status_code == 400
