"""Webhook endpoints an organisation's admin registers, and every delivery govtrack sends them."""

from __future__ import annotations

import secrets
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from govtrack import events
from govtrack.history import HistoricalRecords
from govtrack.models import ArchivableModel, ScopedModel, ScopedQuerySet, TimeStampedModel
from govtrack.roles import ADMIN_ROLES
from govtrack.scoping import Scope
from webhooks import urlsafety

#: Seconds to wait before each retry of a failed delivery: 1 minute, 5 minutes, 30 minutes, 2 and 6 hours.
RETRY_SECONDS = (60, 300, 1800, 7200, 21600)
#: Failed attempts in a row, with no success between them, after which an endpoint is disabled.
DISABLE_AFTER_FAILURES = 10


def new_secret() -> str:
    return "whsec_" + secrets.token_urlsafe(32)


class EndpointQuerySet(ScopedQuerySet):
    def listening_for(self, event_name: str, organisation_ids) -> list[Endpoint]:
        """Enabled, unarchived endpoints of these organisations that asked for this event.

        An organisation has a handful of endpoints, and SQLite has no JSON containment lookup, so
        the event is matched here rather than in SQL.
        """
        if not organisation_ids:
            return []
        candidates = self.filter(organisation_id__in=organisation_ids, enabled=True, archived_at__isnull=True)
        return [endpoint for endpoint in candidates if event_name in endpoint.events]


class Endpoint(ScopedModel, TimeStampedModel, ArchivableModel):
    """An HTTPS address of a partner's system that hears the events it chose, signed with its own secret.

    Governed like any record (owned by one organisation, archived not deleted, with an audit
    trail), except that its secret and its failure count stay out of the trail.
    """

    organisation = models.ForeignKey(
        "govtrack.Organisation", verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("name"), max_length=100, help_text=_("So you can tell your endpoints apart."))
    url = models.URLField(_("address"), max_length=500, help_text=_("An https:// address on the public internet."))
    events = models.JSONField(_("events"), default=list)
    secret = models.CharField(_("signing secret"), max_length=100, default=new_secret, editable=False)
    enabled = models.BooleanField(_("enabled"), default=True, editable=False)
    disabled_at = models.DateTimeField(_("disabled"), null=True, blank=True, editable=False)
    disabled_reason = models.CharField(_("why it was disabled"), max_length=300, blank=True, editable=False)
    consecutive_failures = models.PositiveIntegerField(_("failed attempts in a row"), default=0, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, editable=False,
                                   on_delete=models.PROTECT, related_name="+")
    history = HistoricalRecords(excluded_fields=["secret", "consecutive_failures"])

    objects = EndpointQuerySet.as_manager()
    scope = Scope(create=ADMIN_ROLES)

    class Meta:
        ordering = ["organisation_id", "name", "pk"]
        verbose_name = _("webhook endpoint")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("webhooks:endpoint_detail", kwargs={"pk": self.pk})

    @property
    def secret_hint(self) -> str:
        return self.secret[:10] + "…"

    def clean(self) -> None:
        errors = {}
        if self.url:
            try:
                urlsafety.check_url(self.url)
            except ValidationError as exc:
                errors["url"] = exc.messages
        unknown = [e for e in (self.events or []) if e not in events.EVENTS] if isinstance(self.events, list) else [1]
        if unknown or not self.events:
            errors["events"] = _("Choose at least one of the events govtrack sends.")
        if errors:
            raise ValidationError(errors)

    def rotate_secret(self, *, by) -> str:
        """A new signing secret; the old one stops signing at once. Returns the new one, to show once."""
        self.secret = new_secret()
        self._history_user = by
        self.save(update_fields=["secret", "updated_at"])
        return self.secret

    def enable(self, *, by) -> None:
        """Start delivering again after the endpoint was disabled."""
        self.enabled, self.disabled_at, self.disabled_reason, self.consecutive_failures = True, None, "", 0
        self._history_user = by
        self.save(update_fields=["enabled", "disabled_at", "disabled_reason", "consecutive_failures", "updated_at"])

    def disable(self, *, by, reason: str) -> None:
        """Stop delivering; what was waiting is given up."""
        self.enabled, self.disabled_at, self.disabled_reason = False, timezone.now(), reason[:300]
        self._history_user = by
        self.save(update_fields=["enabled", "disabled_at", "disabled_reason", "updated_at"])
        self.deliveries.filter(status=Delivery.Status.PENDING).update(
            status=Delivery.Status.FAILED, next_attempt_at=None, error=_("The endpoint was disabled."))


class DeliveryQuerySet(ScopedQuerySet):
    def due(self, now=None) -> DeliveryQuerySet:
        """Deliveries waiting for an attempt whose time has come."""
        return self.filter(status=Delivery.Status.PENDING, next_attempt_at__lte=now or timezone.now())


class Delivery(ScopedModel):
    """One event sent to one endpoint: its body, and what each attempt got back."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting to be sent")
        DELIVERED = "delivered", _("Delivered")
        FAILED = "failed", _("Failed")

    endpoint = models.ForeignKey(Endpoint, on_delete=models.CASCADE, related_name="deliveries")
    event = models.CharField(_("event"), max_length=50)
    payload = models.JSONField(_("body"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    #: Each attempt: when, the HTTP status (or none) and what went wrong.
    attempt_log = models.JSONField(default=list)
    response_code = models.PositiveSmallIntegerField(_("last response"), null=True, blank=True)
    error = models.CharField(_("last error"), max_length=300, blank=True)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    delivered_at = models.DateTimeField(_("delivered"), null=True, blank=True)

    objects = DeliveryQuerySet.as_manager()
    scope = Scope(organisation="endpoint__organisation", parent="endpoint")

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="delivery_due"),
                   models.Index(fields=["endpoint", "-created_at"], name="delivery_endpoint_recent")]

    def __str__(self) -> str:
        return f"{self.event} #{self.pk}"

    def record_attempt(self, *, code: int | None, error: str, now=None) -> None:
        """Note one attempt; schedule the next one with backoff, or give up after the last."""
        now = now or timezone.now()
        self.attempts += 1
        self.response_code, self.error = code, error[:300]
        self.attempt_log = [*self.attempt_log, {"at": now.isoformat(), "code": code, "error": error[:300]}]
        if code is not None and 200 <= code < 300:
            self.status, self.delivered_at, self.next_attempt_at = self.Status.DELIVERED, now, None
        elif self.attempts > len(RETRY_SECONDS):
            self.status, self.next_attempt_at = self.Status.FAILED, None
        else:
            self.next_attempt_at = now + timedelta(seconds=RETRY_SECONDS[self.attempts - 1])
        self.save()
