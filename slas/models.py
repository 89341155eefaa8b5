"""Service level agreements: agreements between two parties, their service lines, monthly measurements, breaches.

The auditors (proposal P3) found the SLAs with the shared service only in draft, unknown to staff,
and no partner able to show value for money. An ``Agreement`` is shared by its two parties (the
provider and the client); it moves draft → negotiating → agreed → expired / superseded, a manager
of the client side who did not write it approves it, and once agreed it can be published in plain
language. Each ``ServiceLine`` has a target and a direction; a ``Measurement`` is one figure per
line and period (a resubmission updates it, its history keeps the earlier value); a ``Breach`` is
derived from a measurement that misses its target. Workflows live in ``slas/services.py``.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from govtrack import deadlines
from govtrack.history import HistoricalRecords
from govtrack.i18n import localised
from govtrack.models import ArchivableModel, ScopedModel, ScopedQuerySet, TimeStampedModel
from govtrack.scoping import Scope
from slas import periods

NOT_NEGATIVE = [MinValueValidator(Decimal("0"), message=_("A charge cannot be negative."))]

#: The two parties of an agreement, as query paths from each model; the client comes first (its records).
AGREEMENT_PARTIES = ("client", "provider")


def _parties(prefix: str) -> tuple[str, ...]:
    return tuple(f"{prefix}{party}" for party in AGREEMENT_PARTIES)


def money(verbose_name, **kwargs) -> models.DecimalField:
    """A sum in pounds a year; never negative."""
    return models.DecimalField(verbose_name, max_digits=14, decimal_places=2, null=True, blank=True,
                               validators=NOT_NEGATIVE, **kwargs)


class AgreementQuerySet(ScopedQuerySet):
    def current(self) -> AgreementQuerySet:
        """Agreements not superseded, expired or archived: the ones in force or being made."""
        return self.active().exclude(status__in=[Agreement.Status.SUPERSEDED, Agreement.Status.EXPIRED])

    def agreed(self) -> AgreementQuerySet:
        return self.filter(status=Agreement.Status.AGREED)

    def published(self) -> AgreementQuerySet:
        return self.agreed().filter(published_at__isnull=False)

    def review_overdue(self, today: date) -> AgreementQuerySet:
        """Agreed SLAs past their review date (the kernel's one overdue rule)."""
        return self.active().agreed().filter(deadlines.overdue("review_on", today))

    def for_pages(self) -> AgreementQuerySet:
        return self.select_related("client", "provider", "owner", "created_by", "approved_by")


class Agreement(ScopedModel, TimeStampedModel, ArchivableModel):
    """An SLA between a provider and a client (a partner of the shared service, or a council and a supplier)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        NEGOTIATING = "negotiating", _("Negotiating")
        AGREED = "agreed", _("Agreed")
        EXPIRED = "expired", _("Expired")
        SUPERSEDED = "superseded", _("Superseded")

    #: Statuses in which the terms (and the service lines) may still change.
    EDITABLE = (Status.DRAFT, Status.NEGOTIATING)
    #: Fields that are the agreement's terms: fixed once it is agreed.
    TERMS = ("title", "reference", "provider", "client", "effective_from", "effective_to", "annual_charge",
             "memorandum", "users", "devices", "escalate_after")

    title = models.CharField(_("title"), max_length=200)
    reference = models.CharField(_("reference"), max_length=60,
                                 help_text=_("The same for every version of the agreement, e.g. SRS-MCC-SLA."))
    revision = models.PositiveIntegerField(_("version number"), default=1, editable=False)
    supersedes = models.OneToOneField("self", verbose_name=_("supersedes"), null=True, blank=True, editable=False,
                                      on_delete=models.PROTECT, related_name="superseded_by")
    provider = models.ForeignKey("govtrack.Organisation", verbose_name=_("provider"), on_delete=models.PROTECT,
                                 related_name="provided_agreements")
    client = models.ForeignKey("govtrack.Organisation", verbose_name=_("client"), on_delete=models.PROTECT,
                               related_name="client_agreements",
                               help_text=_("The partner (or council) that receives the service."))
    memorandum = models.CharField(_("memorandum of understanding"), max_length=300, blank=True,
                                  help_text=_("The partnership agreement or memorandum this SLA sits under."))
    shared_with = models.ForeignKey("govtrack.Partnership", verbose_name=_("details shared with"), null=True,
                                    blank=True, editable=False, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT,
                              editable=False)
    effective_from = models.DateField(_("in force from"), null=True, blank=True)
    effective_to = models.DateField(_("in force until"), null=True, blank=True)
    review_on = models.DateField(_("review date"), null=True, blank=True)
    annual_charge = money(_("annual charge (£)"))
    users = models.PositiveIntegerField(_("users served"), null=True, blank=True,
                                        help_text=_("For the cost per user, where known."))
    devices = models.PositiveIntegerField(_("devices supported"), null=True, blank=True,
                                          help_text=_("For the cost per device, where known."))
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("owner"), null=True, blank=True,
                              on_delete=models.PROTECT, related_name="owned_agreements",
                              help_text=_("Repeated breaches are escalated to this person."))
    escalate_after = models.PositiveSmallIntegerField(
        _("escalate after (consecutive breaches)"), default=3, validators=[MinValueValidator(1),
                                                                           MaxValueValidator(24)],
        help_text=_("A service line missing its target this many periods in a row is escalated to the owner."))
    risk_register = models.ForeignKey(
        "registers.Register", verbose_name=_("raise risks on"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+", help_text=_("When repeated breaches escalate, a risk linked to this agreement is raised "
                                      "on this register (once)."))
    risks = models.ManyToManyField("registers.Risk", verbose_name=_("risks"), blank=True, related_name="agreements",
                                   help_text=_("Risks about this agreement."))
    summary = models.TextField(_("what service to expect (plain English)"), blank=True)
    summary_cy = models.TextField(_("what service to expect (Welsh)"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("author"), null=True, blank=True,
                                   editable=False, on_delete=models.PROTECT, related_name="+")
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("approved by"), null=True, blank=True,
                                    editable=False, on_delete=models.PROTECT, related_name="+")
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True, editable=False)
    published_at = models.DateTimeField(_("published"), null=True, blank=True, editable=False)
    history = HistoricalRecords(m2m_fields=["risks"])

    objects = AgreementQuerySet.as_manager()
    scope = Scope(organisation=AGREEMENT_PARTIES, partnership="shared_with", owners=("owner", "created_by"))
    same_organisation = ("owner", "risk_register", "risks")

    class Meta:
        ordering = ["client_id", "reference", "-revision"]
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")
        indexes = [models.Index(fields=["status", "review_on"], name="agreement_status_review")]
        constraints = [
            models.UniqueConstraint(fields=["provider", "client", "reference", "revision"],
                                    name="agreement_reference_revision_unique"),
            models.CheckConstraint(condition=~Q(provider=F("client")), name="agreement_two_parties"),
            models.CheckConstraint(condition=Q(effective_to__isnull=True) | Q(effective_from__isnull=True)
                                   | Q(effective_to__gte=F("effective_from")), name="agreement_ends_after_start"),
        ]

    def __str__(self) -> str:
        return f"{self.title} (v{self.revision})"

    def get_absolute_url(self) -> str:
        return reverse("slas:agreement_detail", kwargs={"pk": self.pk})

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.provider_id and self.provider_id == self.client_id:
            errors["client"] = _("An agreement is between two organisations: choose a client other than the "
                                 "provider.")
        elif self.provider_id and self.client_id and not self._parties_are_partners():
            message = _("%(provider)s and %(client)s share no partnership: an SLA is between partners, or with a "
                        "supplier.") % {"provider": self.provider, "client": self.client}
            errors["provider"] = errors["client"] = message
        if self.effective_from and self.effective_to and self.effective_to < self.effective_from:
            errors["effective_to"] = _("An agreement must end on or after the date it comes into force.")
        if self.pk:
            saved = Agreement._base_manager.filter(pk=self.pk).values(*self._term_columns(), "status").first()
            if saved and saved["status"] not in self.EDITABLE:
                changed = [name for name in self.TERMS
                           if saved[self._column(name)] != getattr(self, self._column(name))]
                if changed:
                    errors[changed[0]] = self.locked_message(saved["status"])
        if errors:
            raise ValidationError(errors)

    def _parties_are_partners(self) -> bool:
        from govtrack.models import Organisation, partner_organisation_ids

        if self.provider.kind == Organisation.Kind.SUPPLIER:
            return True
        return self.provider_id in partner_organisation_ids({self.client_id})

    def _column(self, name: str) -> str:
        return self._meta.get_field(name).attname

    def _term_columns(self) -> list[str]:
        return [self._column(name) for name in self.TERMS]

    @classmethod
    def locked_message(cls, status: str) -> str:
        if status == cls.Status.SUPERSEDED:
            return _("This version is superseded: it stays as it was. Change the current version instead.")
        if status == cls.Status.EXPIRED:
            return _("This agreement has expired: it stays as it was.")
        return _("An agreed SLA's terms change only in a new version: start one from the agreement's page.")

    @property
    def is_editable(self) -> bool:
        return self.status in self.EDITABLE and not self.is_archived

    @property
    def is_published(self) -> bool:
        return self.published_at is not None and self.status == self.Status.AGREED

    @property
    def localised_summary(self) -> str:
        return localised(self, "summary")

    def is_review_overdue(self, today: date | None = None) -> bool:
        return self.status == self.Status.AGREED and deadlines.is_overdue(self.review_on, today)

    def covers(self, period_start: date, period: str) -> bool:
        """Whether a measurement period falls within the dates the agreement is in force."""
        if self.effective_from and periods.period_end(period_start, period) < self.effective_from:
            return False
        return not (self.effective_to and period_start > self.effective_to)

    def approval_problem(self, user) -> str | None:
        """Why this person may not approve the agreement now, or None when they may."""
        from govtrack import access
        from govtrack.roles import MANAGE_ROLES

        if self.status not in self.EDITABLE:
            return _("Only a draft or an agreement under negotiation can be approved; this one is %(status)s.") % {
                "status": self.get_status_display().lower()}
        if not (user.is_superuser or access.role_in(user, self.client_id) in MANAGE_ROLES):
            return _("A manager of the client (%(client)s) approves an agreement.") % {"client": self.client}
        if self.created_by_id and self.created_by_id == user.pk:
            return _("The author of an agreement cannot approve it: ask another manager of the client.")
        if not self.lines.exists():
            return _("An agreement with no service lines cannot be approved: add what the service will deliver.")
        return None


class ServiceLineQuerySet(ScopedQuerySet):
    def missing(self) -> Q:
        """The condition for a measurement (``actual``) missing its line's target; on the target is met."""
        return (Q(service_line__direction=ServiceLine.Direction.HIGHER, actual__lt=F("service_line__target"))
                | Q(service_line__direction=ServiceLine.Direction.LOWER, actual__gt=F("service_line__target")))


class ServiceLine(ScopedModel, TimeStampedModel):
    """One thing the agreement promises: a service, a metric with its unit, a target and which way is better."""

    class Direction(models.TextChoices):
        HIGHER = "higher", _("Higher is better")
        LOWER = "lower", _("Lower is better")

    class Period(models.TextChoices):
        MONTHLY = periods.MONTHLY, _("Monthly")
        QUARTERLY = periods.QUARTERLY, _("Quarterly")

    agreement = models.ForeignKey(Agreement, verbose_name=_("agreement"), on_delete=models.CASCADE,
                                  related_name="lines")
    service = models.CharField(_("service"), max_length=200)
    service_cy = models.CharField(_("service in Welsh"), max_length=200, blank=True)
    metric = models.CharField(_("metric"), max_length=300,
                              help_text=_("What is measured, e.g. P1 incidents resolved within 4 hours."))
    metric_cy = models.CharField(_("metric in Welsh"), max_length=300, blank=True)
    reference = models.CharField(_("reference"), max_length=40, blank=True, help_text=_("e.g. KPI 3 or IT01."))
    unit = models.CharField(_("unit"), max_length=30, default="%", help_text=_("%, hours, days, score..."))
    target = models.DecimalField(_("target"), max_digits=12, decimal_places=3)
    direction = models.CharField(_("direction"), max_length=10, choices=Direction.choices, blank=True)
    period = models.CharField(_("measured"), max_length=10, choices=Period.choices, default=Period.MONTHLY)
    charge = money(_("annual charge (£)"))
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    history = HistoricalRecords()

    objects = ServiceLineQuerySet.as_manager()
    scope = Scope(organisation=_parties("agreement__"), partnership="agreement__shared_with", parent="agreement")

    class Meta:
        ordering = ["agreement_id", "position", "pk"]
        verbose_name = _("service line")
        verbose_name_plural = _("service lines")

    def __str__(self) -> str:
        return f"{self.service}: {self.metric}"

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if not self.direction:
            errors["direction"] = _("Say whether a higher or a lower figure is better, so a miss can be told from "
                                    "a hit.")
        if self.agreement_id and not self.agreement.is_editable:
            errors["agreement"] = Agreement.locked_message(self.agreement.status)
        if errors:
            raise ValidationError(errors)

    def meets(self, actual: Decimal | None) -> bool | None:
        """Whether a figure meets the target (exactly on the target meets it); None without a figure."""
        if actual is None or self.target is None:
            return None
        if self.direction == self.Direction.LOWER:
            return actual <= self.target
        return actual >= self.target

    @property
    def localised_service(self) -> str:
        return localised(self, "service")

    @property
    def localised_metric(self) -> str:
        return localised(self, "metric")


class MeasurementQuerySet(ScopedQuerySet):
    def missing_target(self) -> MeasurementQuerySet:
        return self.filter(ServiceLine.objects.missing())

    def meeting_target(self) -> MeasurementQuerySet:
        return self.exclude(ServiceLine.objects.missing())

    def in_period(self, start: date, end: date) -> MeasurementQuerySet:
        return self.filter(period__gte=start, period__lte=end)


class Measurement(ScopedModel, TimeStampedModel):
    """The figure for one service line and period; a resubmission updates it and the history keeps the old one."""

    service_line = models.ForeignKey(ServiceLine, verbose_name=_("service line"), on_delete=models.PROTECT,
                                     related_name="measurements")
    period = models.DateField(_("period"), help_text=_("The first day of the month (or quarter) measured."))
    actual = models.DecimalField(_("actual"), max_digits=12, decimal_places=3)
    note = models.TextField(_("note"), blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("submitted by"), null=True,
                                     blank=True, editable=False, on_delete=models.PROTECT, related_name="+")
    history = HistoricalRecords()

    objects = MeasurementQuerySet.as_manager()
    # Either party's officers (and service accounts) submit figures: ``slas.services.submit_measurement``.
    scope = Scope(organisation=_parties("service_line__agreement__"),
                  partnership="service_line__agreement__shared_with", owners=("submitted_by",))

    class Meta:
        ordering = ["service_line_id", "period"]
        verbose_name = _("measurement")
        verbose_name_plural = _("measurements")
        constraints = [models.UniqueConstraint(fields=["service_line", "period"],
                                               name="measurement_one_per_line_and_period")]

    def __str__(self) -> str:
        return f"{self.service_line} {self.period_label}"

    def clean(self) -> None:
        if not self.service_line_id or not self.period:
            return
        line = self.service_line
        agreement = line.agreement
        errors: dict[str, str] = {}
        if not periods.is_period_start(self.period, line.period):
            errors["period"] = (_("Give the first day of a quarter (January, April, July or October).")
                                if line.period == ServiceLine.Period.QUARTERLY
                                else _("Give the month as its first day, e.g. 2024-05-01."))
        elif not agreement.covers(self.period, line.period):
            errors["period"] = _("%(period)s is outside the agreement (in force %(start)s to %(end)s).") % {
                "period": periods.label(self.period, line.period), "start": agreement.effective_from or "…",
                "end": agreement.effective_to or "…"}
        elif self.period > timezone.localdate():
            errors["period"] = _("A period that has not started cannot be measured yet.")
        if agreement.status == Agreement.Status.SUPERSEDED:
            errors["service_line"] = _("This line belongs to a superseded version of the agreement: submit to the "
                                       "current version.")
        elif agreement.is_archived:
            errors["service_line"] = _("This agreement is archived.")
        if errors:
            raise ValidationError(errors)

    @property
    def period_label(self) -> str:
        return periods.label(self.period, self.service_line.period)

    def is_breach(self) -> bool:
        """Whether the figure misses its line's target."""
        return self.service_line.meets(self.actual) is False


class BreachQuerySet(ScopedQuerySet):
    def open(self) -> BreachQuerySet:
        """Breaches whose figure still misses the target (not cleared by a corrected figure)."""
        return self.filter(cleared_at__isnull=True)

    def in_period(self, start: date, end: date) -> BreachQuerySet:
        return self.filter(period__gte=start, period__lte=end)

    def for_pages(self) -> BreachQuerySet:
        return self.select_related("service_line", "service_line__agreement", "service_line__agreement__client",
                                   "service_line__agreement__provider", "risk")


class Breach(ScopedModel, TimeStampedModel):
    """A measurement that missed its target; repeated ones escalate to the agreement's owner."""

    measurement = models.OneToOneField(Measurement, verbose_name=_("measurement"), on_delete=models.PROTECT,
                                       related_name="breach")
    service_line = models.ForeignKey(ServiceLine, verbose_name=_("service line"), on_delete=models.PROTECT,
                                     related_name="breaches")
    period = models.DateField(_("period"))
    actual = models.DecimalField(_("actual"), max_digits=12, decimal_places=3)
    target = models.DecimalField(_("target"), max_digits=12, decimal_places=3)
    consecutive = models.PositiveSmallIntegerField(_("breaches in a row"), default=1)
    escalated_at = models.DateTimeField(_("escalated"), null=True, blank=True)
    escalated_to = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("escalated to"), null=True,
                                     blank=True, on_delete=models.PROTECT, related_name="+")
    risk = models.ForeignKey("registers.Risk", verbose_name=_("risk raised"), null=True, blank=True,
                             on_delete=models.PROTECT, related_name="+")
    cleared_at = models.DateTimeField(_("cleared"), null=True, blank=True,
                                      help_text=_("When a corrected figure met the target."))
    history = HistoricalRecords()

    objects = BreachQuerySet.as_manager()
    # Derived by govtrack, never written by a person.
    scope = Scope(organisation=_parties("service_line__agreement__"),
                  partnership="service_line__agreement__shared_with", create=frozenset())

    class Meta:
        ordering = ["-period", "service_line_id"]
        verbose_name = _("breach")
        verbose_name_plural = _("breaches")
        indexes = [models.Index(fields=["service_line", "period"], name="breach_line_period")]

    def __str__(self) -> str:
        return f"{self.service_line} missed in {periods.label(self.period, self.service_line.period)}"

    @property
    def is_open(self) -> bool:
        return self.cleared_at is None
