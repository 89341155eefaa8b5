"""Webhook workflows: queue a delivery per listening endpoint, attempt it, retry it, give up on an endpoint.

The event listener, the Celery tasks, the pages and the tests all call these functions.
"""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from govtrack import events
from govtrack.models import Membership, Organisation, notify
from govtrack.roles import ADMIN_ROLES
from webhooks import signing, urlsafety
from webhooks.models import DISABLE_AFTER_FAILURES, Delivery, Endpoint

#: Seconds govtrack waits for a receiver to answer.
TIMEOUT_SECONDS = 10
#: A claimed delivery that was never finished (a worker died mid-attempt) is tried again after this long.
CLAIM_SECONDS = 120
USER_AGENT = "govtrack-webhooks/1"


def register_endpoint(*, organisation: Organisation, by, name: str, url: str, events_wanted: list[str]) -> Endpoint:
    """A new endpoint of the organisation, with a fresh secret (the caller shows it once)."""
    endpoint = Endpoint(organisation=organisation, name=name, url=url, events=list(events_wanted), created_by=by)
    endpoint.full_clean()
    endpoint._history_user = by
    endpoint.save()
    return endpoint


def queue_deliveries(sender=None, *, event: events.Event, **kwargs) -> list[Delivery]:
    """Listener of ``govtrack.events``: one delivery per endpoint that wants this event, sent from Celery."""
    from webhooks.tasks import deliver_task

    endpoints = Endpoint.objects.listening_for(event.name, event.organisation_ids)
    deliveries = []
    now = timezone.now()
    for endpoint in endpoints:
        delivery = Delivery.objects.create(endpoint=endpoint, event=event.name, payload={}, next_attempt_at=now)
        # The delivery's id goes in the body, so a receiver can tell a retry from a new event.
        delivery.payload = {"id": delivery.pk, **event.payload()}
        delivery.save(update_fields=["payload", "version"])
        deliveries.append(delivery)
    for delivery in deliveries:
        transaction.on_commit(lambda pk=delivery.pk: deliver_task.delay(pk))
    return deliveries


def _claim(delivery_id: int, now) -> Delivery | None:
    """Take a due delivery for one attempt, so two workers never send it at once."""
    claimed = Delivery.objects.filter(pk=delivery_id).due(now).update(
        next_attempt_at=now + timedelta(seconds=CLAIM_SECONDS))
    if not claimed:
        return None
    return Delivery.objects.select_related("endpoint").get(pk=delivery_id)


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    # A redirect could lead anywhere, a private address included: the receiver's answer is final.
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


_opener = urllib.request.build_opener(_NoRedirects)


def _post(endpoint: Endpoint, delivery: Delivery) -> tuple[int | None, str]:
    """POST the signed body once; (HTTP status or None, what went wrong)."""
    try:
        urlsafety.check_url(endpoint.url)
    except ValidationError as exc:
        return None, " ".join(exc.messages)
    body = json.dumps(delivery.payload, separators=(",", ":"), sort_keys=True).encode()
    request = urllib.request.Request(endpoint.url, data=body, method="POST", headers={
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        "Govtrack-Event": delivery.event,
        "Govtrack-Delivery": str(delivery.pk),
        signing.HEADER: signing.header(endpoint.secret, body, timestamp=int(time.time())),
    })
    try:
        with _opener.open(request, timeout=TIMEOUT_SECONDS) as response:
            code = response.status
    except urllib.error.HTTPError as exc:
        return exc.code, _("The receiver answered %(code)s.") % {"code": exc.code}
    except (urllib.error.URLError, OSError, ValueError) as exc:
        reason = getattr(exc, "reason", exc)
        return None, _("Could not reach the receiver: %(reason)s") % {"reason": reason}
    if 200 <= code < 300:
        return code, ""
    return code, _("The receiver answered %(code)s.") % {"code": code}


def attempt_delivery(*, delivery_id: int, now=None) -> Delivery | None:
    """Send one due delivery once and record what came back; None when it is not due (or another worker has it)."""
    now = now or timezone.now()
    delivery = _claim(delivery_id, now)
    if delivery is None:
        return None
    endpoint = delivery.endpoint
    if not endpoint.enabled or endpoint.archived_at is not None:
        delivery.status, delivery.next_attempt_at = Delivery.Status.FAILED, None
        delivery.error = _("The endpoint was disabled.")
        delivery.save(update_fields=["status", "next_attempt_at", "error", "version"])
        return delivery
    code, error = _post(endpoint, delivery)
    with transaction.atomic():
        delivery.record_attempt(code=code, error=error, now=timezone.now())
        _count_on_endpoint(endpoint, succeeded=delivery.status == Delivery.Status.DELIVERED)
    return delivery


def _count_on_endpoint(endpoint: Endpoint, *, succeeded: bool) -> None:
    locked = Endpoint.objects.select_for_update().get(pk=endpoint.pk)
    if succeeded:
        if locked.consecutive_failures:
            Endpoint.objects.filter(pk=endpoint.pk).update(consecutive_failures=0)
        return
    failures = locked.consecutive_failures + 1
    Endpoint.objects.filter(pk=endpoint.pk).update(consecutive_failures=failures)
    if failures >= DISABLE_AFTER_FAILURES and locked.enabled:
        disable_failing(endpoint=locked, failures=failures)


def disable_failing(*, endpoint: Endpoint, failures: int) -> None:
    """Stop sending to an endpoint that keeps failing, and tell its organisation's admins."""
    reason = _("Disabled after %(n)s failed attempts in a row.") % {"n": failures}
    endpoint.disable(by=None, reason=reason)
    admins = Membership.objects.filter(
        organisation_id=endpoint.organisation_id, role__in=ADMIN_ROLES, status=Membership.Status.ACTIVE,
    ).select_related("user")
    recipients = {m.user for m in admins}
    if endpoint.created_by_id:
        recipients.add(endpoint.created_by)
    for person in recipients:
        notify(recipient=person, key=f"webhooks:disabled:{endpoint.pk}:{endpoint.disabled_at:%Y%m%d%H%M%S}",
               subject=_("Webhook %(name)s was disabled: its deliveries kept failing") % {"name": endpoint.name},
               body=reason, url=settings.SITE_URL + endpoint.get_absolute_url(), organisation=endpoint.organisation)


def due_delivery_ids(*, now=None, limit: int = 500) -> list[int]:
    """Deliveries whose next attempt is due, oldest first."""
    return list(Delivery.objects.due(now).order_by("next_attempt_at", "pk").values_list("pk", flat=True)[:limit])


def redeliver(*, delivery: Delivery, by) -> Delivery:
    """Send a failed delivery again, as a new delivery with the same body (its record stays as it was)."""
    if delivery.status != Delivery.Status.FAILED:
        raise ValidationError(_("Only a failed delivery can be sent again."))
    if not delivery.endpoint.enabled:
        raise ValidationError(_("Enable the endpoint before sending anything to it again."))
    from webhooks.tasks import deliver_task

    again = Delivery.objects.create(endpoint=delivery.endpoint, event=delivery.event, payload={},
                                    next_attempt_at=timezone.now())
    again.payload = {**delivery.payload, "id": again.pk}
    again.save(update_fields=["payload", "version"])
    transaction.on_commit(lambda: deliver_task.delay(again.pk))
    return again


def send_test(*, endpoint: Endpoint, by) -> Delivery:
    """A ``ping`` delivery, so an admin can see the receiver check a signature before any real event."""
    from webhooks.tasks import deliver_task

    delivery = Delivery.objects.create(endpoint=endpoint, event="ping", payload={}, next_attempt_at=timezone.now())
    delivery.payload = {"id": delivery.pk, "event": "ping", "occurred_at": timezone.now().isoformat(),
                        "object": {"type": "webhooks.endpoint", "id": endpoint.pk}}
    delivery.save(update_fields=["payload", "version"])
    transaction.on_commit(lambda: deliver_task.delay(delivery.pk))
    return delivery
