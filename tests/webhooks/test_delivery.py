"""Deliveries to a real receiver on 127.0.0.1: signed, recorded, retried with backoff, and given up on."""

import json
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from govtrack import events
from govtrack.models import Notification
from registers import services as register_services
from tests.factories import OrganisationFactory
from webhooks import services, signing
from webhooks.models import DISABLE_AFTER_FAILURES, RETRY_SECONDS, Delivery, Endpoint
from webhooks.tasks import deliver_due_task


def _emit(org, name=events.BREACH_RECORDED, capture=None):
    with capture(execute=True):
        events.emit(name, org, organisation=org, data={"title": "P1 incidents within 4 hours"})


def test_an_event_reaches_the_receiver_signed_with_the_endpoints_secret(
        endpoint, receiver, org_a, django_capture_on_commit_callbacks):
    _emit(org_a, capture=django_capture_on_commit_callbacks)
    [(headers, body)] = receiver.received
    assert signing.verify(endpoint.secret, headers["govtrack-signature"], body)
    assert not signing.verify("whsec_another", headers["govtrack-signature"], body)
    assert not signing.verify(endpoint.secret, headers["govtrack-signature"], body + b" ")
    payload = json.loads(body)
    delivery = Delivery.objects.get()
    assert payload["id"] == delivery.pk and headers["govtrack-delivery"] == str(delivery.pk)
    assert payload["event"] == headers["govtrack-event"] == "breach.recorded"
    assert payload["object"]["title"] == "P1 incidents within 4 hours"
    assert (delivery.status, delivery.response_code, delivery.attempts) == (Delivery.Status.DELIVERED, 200, 1)
    assert delivery.attempt_log[0]["code"] == 200


def test_a_real_escalation_is_delivered(endpoint, receiver, make_risk, django_capture_on_commit_callbacks):
    risk = make_risk(4, 4)
    with django_capture_on_commit_callbacks(execute=True):
        register_services.propose_escalation(risk=risk, by=None, reason="Threshold")
    [(_headers, body)] = receiver.received
    assert json.loads(body)["object"]["risk"]["reference"] == risk.reference


def test_only_endpoints_of_the_organisation_that_asked_for_the_event_hear_it(
        endpoint, receiver, org_a, admin_a, django_capture_on_commit_callbacks):
    other = OrganisationFactory()
    Endpoint.objects.create(organisation=other, name="Theirs", url=receiver.url, events=[events.BREACH_RECORDED])
    _emit(org_a, name=events.ACTION_OVERDUE, capture=django_capture_on_commit_callbacks)  # not asked for
    endpoint.disable(by=admin_a, reason="test")
    _emit(org_a, capture=django_capture_on_commit_callbacks)  # disabled
    assert receiver.received == [] and Delivery.objects.count() == 0
    _emit(other, capture=django_capture_on_commit_callbacks)
    assert len(receiver.received) == 1
    assert Delivery.objects.get().endpoint.organisation == other


def test_a_failed_attempt_is_retried_with_backoff_until_it_succeeds(
        endpoint, receiver, org_a, django_capture_on_commit_callbacks):
    receiver.answers = [500, 503, 200]
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        _emit(org_a, capture=django_capture_on_commit_callbacks)
        delivery = Delivery.objects.get()
        assert (delivery.status, delivery.attempts, delivery.response_code) == ("pending", 1, 500)
        assert delivery.next_attempt_at == start + timedelta(seconds=RETRY_SECONDS[0])
        assert deliver_due_task() == 0  # not due yet: nothing is sent
    with time_machine.travel(start + timedelta(seconds=RETRY_SECONDS[0]), tick=False):
        assert deliver_due_task() == 1
        delivery.refresh_from_db()
        assert (delivery.attempts, delivery.response_code) == (2, 503)
        assert delivery.next_attempt_at == timezone.now() + timedelta(seconds=RETRY_SECONDS[1])
    with time_machine.travel(start + timedelta(seconds=RETRY_SECONDS[0] + RETRY_SECONDS[1]), tick=False):
        deliver_due_task()
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.response_code) == ("delivered", 3, 200)
    assert [a["code"] for a in delivery.attempt_log] == [500, 503, 200]
    assert len(receiver.received) == 3
    bodies = {body for _headers, body in receiver.received}
    assert len(bodies) == 1  # a retry sends the same body (same delivery id), freshly signed
    endpoint.refresh_from_db()
    assert endpoint.consecutive_failures == 0


def test_a_delivery_is_given_up_after_its_last_retry(endpoint, receiver, org_a, django_capture_on_commit_callbacks):
    receiver.answers = [500]
    now = timezone.now()
    with time_machine.travel(now, tick=False):
        _emit(org_a, capture=django_capture_on_commit_callbacks)
    for wait in RETRY_SECONDS:
        now += timedelta(seconds=wait)
        with time_machine.travel(now, tick=False):
            deliver_due_task()
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.next_attempt_at) == ("failed", len(RETRY_SECONDS) + 1, None)
    with time_machine.travel(now + timedelta(days=1), tick=False):
        assert deliver_due_task() == 0


def test_an_endpoint_that_keeps_failing_is_disabled_and_its_admins_told(
        endpoint, receiver, org_a, admin_a, django_capture_on_commit_callbacks):
    receiver.answers = [500]
    for _ in range(DISABLE_AFTER_FAILURES - 1):
        _emit(org_a, capture=django_capture_on_commit_callbacks)
    endpoint.refresh_from_db()
    assert endpoint.enabled and endpoint.consecutive_failures == DISABLE_AFTER_FAILURES - 1
    assert not Notification.objects.filter(key__startswith="webhooks:disabled").exists()
    _emit(org_a, capture=django_capture_on_commit_callbacks)
    endpoint.refresh_from_db()
    assert not endpoint.enabled and "10 failed attempts" in endpoint.disabled_reason
    assert not Delivery.objects.filter(status=Delivery.Status.PENDING).exists()
    [notice] = Notification.objects.filter(key__startswith="webhooks:disabled")
    assert notice.recipient == admin_a and notice.url.endswith(endpoint.get_absolute_url())
    sent = len(receiver.received)
    _emit(org_a, capture=django_capture_on_commit_callbacks)
    assert len(receiver.received) == sent  # nothing more goes to it
    endpoint.enable(by=admin_a)
    receiver.answers = [200]
    _emit(org_a, capture=django_capture_on_commit_callbacks)
    assert len(receiver.received) == sent + 1


def test_a_redirect_is_not_followed(endpoint, receiver, org_a, django_capture_on_commit_callbacks):
    receiver.answers = [302]
    receiver.extra_headers = {"Location": "http://10.0.0.1/internal"}
    _emit(org_a, capture=django_capture_on_commit_callbacks)
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.response_code) == ("pending", 302)
    assert len(receiver.received) == 1


def test_an_unreachable_receiver_is_recorded_as_a_failure(org_a, local_receivers, django_capture_on_commit_callbacks):
    Endpoint.objects.create(organisation=org_a, name="Gone", url="http://127.0.0.1:9/hook",
                            events=[events.BREACH_RECORDED])
    _emit(org_a, capture=django_capture_on_commit_callbacks)
    delivery = Delivery.objects.get()
    assert delivery.response_code is None and "Could not reach" in delivery.error and delivery.status == "pending"


def test_in_production_a_private_address_is_refused_at_delivery_time_too(
        endpoint, receiver, org_a, settings, django_capture_on_commit_callbacks):
    settings.WEBHOOK_ALLOW_PRIVATE_URLS = False  # the name was changed after the endpoint was saved
    _emit(org_a, capture=django_capture_on_commit_callbacks)
    assert receiver.received == []
    assert "https://" in Delivery.objects.get().error


def test_a_failed_delivery_can_be_sent_again(endpoint, receiver, org_a, admin_a, django_capture_on_commit_callbacks):
    receiver.answers = [500]
    _emit(org_a, capture=django_capture_on_commit_callbacks)
    first = Delivery.objects.get()
    with pytest.raises(Exception, match="Only a failed delivery"):
        services.redeliver(delivery=first, by=admin_a)
    Delivery.objects.filter(pk=first.pk).update(status=Delivery.Status.FAILED, next_attempt_at=None)
    first.refresh_from_db()
    receiver.answers = [200]
    with django_capture_on_commit_callbacks(execute=True):
        again = services.redeliver(delivery=first, by=admin_a)
    again.refresh_from_db()
    assert again.status == "delivered" and again.payload["id"] == again.pk
    assert again.payload["object"] == first.payload["object"]


def test_two_workers_never_send_one_attempt_twice(endpoint, receiver, org_a):
    delivery = Delivery.objects.create(endpoint=endpoint, event="ping", payload={"id": 1},
                                       next_attempt_at=timezone.now())
    assert services._claim(delivery.pk, timezone.now()) is not None
    assert services._claim(delivery.pk, timezone.now()) is None
