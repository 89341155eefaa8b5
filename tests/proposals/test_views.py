"""Pages of proposals and actions: they render, stay at a constant number of queries, and hide what they must."""

from datetime import date, timedelta

import pytest
from django.urls import reverse

from proposals import rag
from proposals.models import Action, Evidence, Proposal
from tests.conftest import sign_in
from tests.proposals.conftest import pdf
from tests.proposals.factories import ActionFactory, ProposalFactory

pytestmark = pytest.mark.django_db


def _fill(source, owner, n):
    for i in range(n):
        proposal = ProposalFactory(source=source, owner=owner, theme="Governance")
        for j in range(2):
            action = ActionFactory(proposal=proposal, owner=owner, due_on=date.today() + timedelta(days=i * 10 - 5 + j))
            action.record_update(by=owner, progress=10 * j, forecast=rag.Forecast.AT_RISK, note=f"note {i}")


def _count(client, url, django_assert_max_num_queries) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


@pytest.mark.parametrize("name", ["proposals:tracker", "proposals:source_list"])
def test_lists_run_the_same_queries_at_two_sizes(client, source_a, officer_a, name, django_assert_max_num_queries):
    sign_in(client, officer_a)
    _fill(source_a, officer_a, 2)
    url = reverse(name)
    client.get(url)
    small = _count(client, url, django_assert_max_num_queries)
    _fill(source_a, officer_a, 12)
    assert _count(client, url, django_assert_max_num_queries) == small


def test_record_pages_run_the_same_queries_at_two_sizes(client, source_a, officer_a):
    sign_in(client, officer_a)
    _fill(source_a, officer_a, 2)
    proposal = Proposal.objects.order_by("pk").first()
    action = proposal.actions.first()
    urls = [source_a.get_absolute_url(), proposal.get_absolute_url(), action.get_absolute_url()]
    before = [_count(client, url, None) for url in urls]
    for _ in range(6):
        ActionFactory(proposal=proposal, owner=officer_a, due_on=date.today())
        action.record_update(by=officer_a, progress=20, forecast=rag.Forecast.ON_TRACK, note="more")
        Evidence.objects.create(action=action, title="Link", url="https://example.org/x", added_by=officer_a)
        ProposalFactory(source=source_a)
    assert [_count(client, url, None) for url in urls] == before


def test_tracker_filters_by_rag_status_overdue_and_theme(client, source_a, officer_a):
    sign_in(client, officer_a)
    late = ProposalFactory(source=source_a, code="P1", theme="Governance")
    ActionFactory(proposal=late, owner=officer_a, due_on=date.today() - timedelta(days=4))
    calm = ProposalFactory(source=source_a, code="P2", theme="Systems")
    ActionFactory(proposal=calm, owner=officer_a, due_on=date.today() + timedelta(days=200))
    url = reverse("proposals:tracker")
    assert [p.code for p in client.get(url, {"rag": "red"}).context["proposals"]] == ["P1"]
    assert [p.code for p in client.get(url, {"rag": "green"}).context["proposals"]] == ["P2"]
    assert [p.code for p in client.get(url, {"overdue": "true"}).context["proposals"]] == ["P1"]
    assert [p.code for p in client.get(url, {"theme": "systems"}).context["proposals"]] == ["P2"]
    assert [p.code for p in client.get(url, {"status": "open"}).context["proposals"]] == ["P1", "P2"]
    page = client.get(url, {"rag": "purple", "owner": "99999999999999999999"})
    assert page.status_code == 200 and page.context["filter"].errors


def test_evidence_file_is_served_only_to_those_who_see_the_action(client, action_a, officer_a, officer_b):
    evidence = Evidence(action=action_a, title="Minutes", file=pdf(), added_by=officer_a)
    evidence.full_clean()
    evidence.save()
    url = reverse("proposals:evidence_file", args=[evidence.pk])
    sign_in(client, officer_b)
    assert client.get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302  # to sign in
    sign_in(client, officer_a)
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff" and b"".join(response.streaming_content).startswith(b"%PDF")
    assert not evidence.file.url.endswith(url)  # the storage path is not the served address


def test_uploading_disguised_evidence_shows_an_error_and_keeps_nothing(client, action_a, officer_a):
    from django.core.files.uploadedfile import SimpleUploadedFile

    sign_in(client, officer_a)
    bad = SimpleUploadedFile("minutes.pdf", b"\x7fELF\x02\x01 binary", content_type="application/pdf")
    response = client.post(reverse("proposals:evidence_create", args=[action_a.pk]), {"title": "Minutes", "file": bad})
    assert response.status_code == 200 and "whatever its name says" in response.content.decode()
    assert not Evidence.objects.exists()


def test_the_owner_revises_a_date_through_the_page_and_a_blank_reason_is_refused(client, action_a, officer_a):
    sign_in(client, officer_a)
    url = reverse("proposals:action_revise", args=[action_a.pk])
    new = (action_a.due_on + timedelta(days=30)).isoformat()
    response = client.post(url, {"new_due_on": new, "reason": ""})
    assert response.status_code == 200 and Action.objects.get(pk=action_a.pk).due_on == action_a.due_on
    response = client.post(url, {"new_due_on": new, "reason": "Supplier delay"})
    assert response.status_code == 302
    page = client.get(action_a.get_absolute_url()).content.decode()
    assert "Supplier delay" in page and "Originally due" in page


def test_an_owner_cannot_sign_off_their_own_action(client, action_a, officer_a, manager_a):
    action_a.record_update(by=officer_a, progress=100, forecast=rag.Forecast.ON_TRACK)
    Evidence.objects.create(action=action_a, title="Link", url="https://example.org/x", added_by=officer_a)
    sign_in(client, officer_a)
    response = client.post(reverse("proposals:action_sign_off", args=[action_a.pk]), {"on": date.today().isoformat()})
    assert response.status_code in (200, 403)
    assert Action.objects.get(pk=action_a.pk).status == Action.Status.COMPLETED
    sign_in(client, manager_a)
    response = client.post(reverse("proposals:action_sign_off", args=[action_a.pk]), {"on": date.today().isoformat()})
    assert response.status_code == 302 and Action.objects.get(pk=action_a.pk).status == Action.Status.SIGNED_OFF


def test_closing_with_open_actions_shows_why(client, action_a, manager_a):
    sign_in(client, manager_a)
    url = reverse("proposals:proposal_close", args=[action_a.proposal_id])
    response = client.post(url, {"on": date.today().isoformat()})
    assert response.status_code == 200 and "open actions" in response.content.decode()
    assert Proposal.objects.get(pk=action_a.proposal_id).decision == ""


def test_follow_up_links_show_on_both_pages(client, org_a, officer_a):
    from tests.proposals.factories import SourceFactory

    sign_in(client, officer_a)
    old = ProposalFactory(source=SourceFactory(organisation=org_a, title="Review 2015", issued_on=date(2015, 1, 1)),
                          code="R4")
    new = ProposalFactory(source=SourceFactory(organisation=org_a, title="Review 2016", issued_on=date(2016, 1, 1)),
                          code="P2")
    new.follows_up.add(old)
    assert "Review 2015" in client.get(new.get_absolute_url()).content.decode()
    assert "Review 2016" in client.get(old.get_absolute_url()).content.decode()


def test_an_outsider_gets_404_on_every_record_page(client, action_a, officer_b):
    sign_in(client, officer_b)
    proposal = action_a.proposal
    for url in [proposal.source.get_absolute_url(), proposal.get_absolute_url(), action_a.get_absolute_url(),
                reverse("proposals:action_update", args=[action_a.pk]),
                reverse("proposals:source_file", args=[proposal.source_id])]:
        assert client.get(url).status_code == 404, url
    tracker = client.get(reverse("proposals:tracker")).content.decode()
    # The proposal's text and its link, not its two-character code (which a CSRF token can contain).
    assert proposal.text[:40] not in tracker and proposal.get_absolute_url() not in tracker
