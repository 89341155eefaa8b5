"""Updates asked for before a meeting: a manager asks from the tracker or a meeting's page, each owner is
told once and sees the request on their start page until they give an update for that meeting; actions
waiting for sign-off reach the start page of whoever may sign them off."""

from datetime import date, timedelta

from django.urls import reverse

from govtrack.models import Notification
from proposals.models import Action, Evidence, UpdateRequest
from tests.proposals.factories import ActionFactory, ProposalFactory, SourceFactory

MEETING = date.today() + timedelta(days=14)


def _fields(day):
    return {"meeting_on_day": day.day, "meeting_on_month": day.month, "meeting_on_year": day.year}


def test_a_manager_asks_owners_once_and_the_request_stays_on_their_start_page_until_answered(
        client, login, org_a, action_a, officer_a, manager_a):
    login(manager_a)
    url = reverse("proposals:request_updates", args=[org_a.slug])
    page = client.get(f"{url}?meeting_on={MEETING:%Y-%m-%d}")
    assert page.status_code == 200 and page.context["form"].initial["meeting_on"] == MEETING
    assert client.post(url, _fields(MEETING)).status_code == 302
    assert client.post(url, _fields(MEETING)).status_code == 302  # asked again: nobody is told twice
    request = UpdateRequest.objects.get()
    assert request.action == action_a and request.requested_by == manager_a
    assert Notification.objects.filter(recipient=officer_a, kind="action").count() == 1

    login(officer_a)
    start = client.get(reverse("dashboard")).content.decode()
    assert "1 update asked of you before a meeting" in start
    assert reverse("proposals:action_update", args=[action_a.pk]) in start
    update_form = client.get(reverse("proposals:action_update", args=[action_a.pk])).context["form"]
    assert update_form.initial["for_meeting_on"] == MEETING
    action_a.record_update(by=officer_a, progress=40, forecast="on_track", for_meeting_on=MEETING)
    assert "asked of you" not in client.get(reverse("dashboard")).content.decode()


def test_a_date_in_the_past_is_refused_and_nobody_is_asked(client, login, org_a, action_a, manager_a):
    login(manager_a)
    response = client.post(reverse("proposals:request_updates", args=[org_a.slug]),
                           _fields(date.today() - timedelta(days=1)))
    assert response.status_code == 200 and "still to come" in response.content.decode()
    assert not UpdateRequest.objects.exists() and not Notification.objects.exists()


def test_only_the_organisations_managers_ask_and_only_for_its_own_actions(client, login, org_a, org_b, action_a,
                                                                        officer_a, manager_b):
    login(officer_a)
    assert client.post(reverse("proposals:request_updates", args=[org_a.slug]), _fields(MEETING)).status_code == 403
    login(manager_b)
    assert client.post(reverse("proposals:request_updates", args=[org_a.slug]), _fields(MEETING)).status_code == 404
    client.post(reverse("proposals:request_updates", args=[org_b.slug]), _fields(MEETING))
    assert not UpdateRequest.objects.filter(action=action_a).exists()


def test_an_action_waiting_for_sign_off_is_a_decision_for_the_proposals_manager_not_its_owner(
        client, login, org_a, manager_a, officer_a):
    proposal = ProposalFactory(source=SourceFactory(organisation=org_a), owner=manager_a)
    action = ActionFactory(proposal=proposal, owner=officer_a, status=Action.Status.COMPLETED)
    Evidence.objects.create(action=action, title="Minutes", url="https://example.org/minutes", added_by=officer_a)
    login(manager_a)
    page = client.get(reverse("dashboard")).content.decode()
    assert "Sign off" in page and action.get_absolute_url() in page
    login(officer_a)
    assert action.get_absolute_url() not in client.get(reverse("dashboard")).content.decode()
