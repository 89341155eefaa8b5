"""The systems catalogue: every system of an organisation, its contracts, costs and owners' comments.

The auditors (proposal P4) found that contract details, costs and owners' comments were spread
across spreadsheets. A ``System`` holds what a council needs to manage its estate strategically;
``Contract`` rows hold the money; ``OwnerComment`` keeps what owners said, dated, as history.
How complete each record is comes from one place: ``SystemQuerySet.with_completeness()``.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from govtrack import deadlines
from govtrack.batch import batch_of
from govtrack.history import HistoricalRecords
from govtrack.models import ArchivableModel, GovernedModel, ScopedModel, ScopedQuerySet, TimeStampedModel
from govtrack.roles import MANAGE_ROLES
from govtrack.scoping import Scope

NOT_NEGATIVE = [MinValueValidator(Decimal("0"), message=_("A cost cannot be negative."))]


def money(verbose_name, **kwargs) -> models.DecimalField:
    """A sum in pounds; never negative."""
    kwargs.setdefault("max_digits", 14)
    return models.DecimalField(
        verbose_name, decimal_places=2, null=True, blank=True, validators=NOT_NEGATIVE, **kwargs
    )


#: Words in a company's name that do not tell one supplier from another.
LEGAL_FORM_WORDS = frozenset({"ltd", "limited", "plc", "uk", "llp", "inc", "the", "co"})


def supplier_key(name: str) -> str:
    """A supplier's name reduced to what identifies it: case, punctuation and legal form ignored, so
    "Civica", "Civica UK Ltd" and "CIVICA UK LIMITED" are one supplier."""
    text = unicodedata.normalize("NFKD", str(name or "")).encode("ascii", "ignore").decode().lower()
    words = re.findall(r"[a-z0-9]+", text.replace("&", " and "))
    return " ".join(word for word in words if word not in LEGAL_FORM_WORDS) or " ".join(words)


class SupplierQuerySet(ScopedQuerySet):
    def matching(self, name: str) -> Supplier | None:
        """The supplier whose name means the same as ``name`` (see :func:`supplier_key`), if any."""
        key = supplier_key(name)
        return next((s for s in self.order_by("pk") if supplier_key(s.name) == key), None) if key else None


class Supplier(GovernedModel):
    """A company that supplies, develops or supports systems; one list per organisation."""

    name = models.CharField(_("name"), max_length=200)
    website = models.URLField(_("website"), blank=True)
    notes = models.TextField(_("notes"), blank=True)

    objects = SupplierQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("supplier")
        verbose_name_plural = _("suppliers")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="supplier_name_unique_per_organisation"),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.name and self.organisation_id:
            others = Supplier.objects.filter(organisation_id=self.organisation_id).exclude(pk=self.pk)
            same = others.matching(self.name)
            if same is not None:
                raise ValidationError({"name": _("This organisation already has this supplier: %(name)s.")
                                       % {"name": same.name}})


class Capability(TimeStampedModel):
    """What a system does for the business (case management, customer database, workflow...).

    Capabilities are one vocabulary shared by every organisation, not a list per organisation:
    the point of recording them is to find overlap, within one council's estate and across the
    partners of a shared service, and that only works when "case management" means the same row
    for everyone. A capability name holds nothing private. Administrators curate the list.
    """

    name = models.CharField(_("name"), max_length=120, unique=True)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    description = models.TextField(_("description"), blank=True)
    history = HistoricalRecords()

    scope = Scope(organisation=None, public=True)
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("capability")
        verbose_name_plural = _("capabilities")

    def __str__(self) -> str:
        return self.name


def default_not_required() -> dict[str, list[str]]:
    """What does not apply unless a council says otherwise: a planned system has no contract or review yet;
    a service the shared service provider runs in house, or a national service, has no supplier contract."""
    contract = ["contract", "contract_end", "annual_cost"]
    return {
        "lifecycle:planned": [*contract, "last_reviewed_on", "end_of_support_on"],
        "sourcing:shared_service": list(contract),
        "sourcing:national": list(contract),
        "sourcing:in_house": list(contract),
    }


class CatalogueSettings(ScopedModel, TimeStampedModel):
    """An organisation's choices for its catalogue: which fields a complete record must have."""

    organisation = models.OneToOneField(
        "govtrack.Organisation", on_delete=models.PROTECT, related_name="catalogue_settings"
    )
    required_fields = models.JSONField(
        _("required fields"),
        default=list,
        blank=True,
        help_text=_("Fields every system must have filled in to count as complete."),
    )
    review_interval_days = models.PositiveIntegerField(
        _("review interval (days)"), default=365, validators=[MinValueValidator(1)]
    )
    not_required = models.JSONField(
        _("fields that do not apply"),
        default=default_not_required,
        blank=True,
        help_text=_("For each lifecycle, hosting or sourcing (\"lifecycle:planned\"), the required fields that do not "
                    "apply to such systems."),
    )
    history = HistoricalRecords()

    scope = Scope(create=MANAGE_ROLES)

    class Meta:
        verbose_name = _("catalogue settings")
        verbose_name_plural = _("catalogue settings")

    def __str__(self) -> str:
        return str(self.organisation)

    def clean(self) -> None:
        unknown = sorted(set(self.required_fields or []) - set(REQUIRED_FIELD_LABELS))
        if unknown:
            raise ValidationError({"required_fields": _("Unknown fields: %(names)s.") % {"names": ", ".join(unknown)}})
        if not self.required_fields:
            raise ValidationError({"required_fields": _("Choose at least one required field.")})
        conditions = dict(applicability_conditions())
        for condition, names in (self.not_required or {}).items():
            if condition not in conditions or not isinstance(names, list):
                raise ValidationError({"not_required": _("Unknown condition: %(name)s.") % {"name": condition}})
            unknown = sorted(set(names) - set(REQUIRED_FIELD_LABELS))
            if unknown:
                raise ValidationError(
                    {"not_required": _("Unknown fields: %(names)s.") % {"names": ", ".join(unknown)}}
                )

    def fields_not_required(self, condition: str) -> list[str]:
        """The required fields that do not apply to systems matching ``condition`` ("hosting:cloud")."""
        return list((self.not_required or {}).get(condition, []))


def applicability_conditions() -> list[tuple[str, str]]:
    """Every condition a council may exempt fields for, with its label: lifecycles, hostings and sourcings."""
    return [
        *[(f"lifecycle:{v}", _("%(value)s systems") % {"value": label}) for v, label in System.Lifecycle.choices],
        *[(f"hosting:{v}", _("Hosted: %(value)s") % {"value": label}) for v, label in System.Hosting.choices],
        *[(f"sourcing:{v}", _("Sourced: %(value)s") % {"value": label}) for v, label in System.Sourcing.choices],
    ]


class SystemQuerySet(ScopedQuerySet):
    def live(self) -> SystemQuerySet:
        """Systems in use or being replaced (not planned, not retired)."""
        return self.filter(lifecycle__in=[System.Lifecycle.LIVE, System.Lifecycle.BEING_REPLACED])

    def past_end_of_support(self, today: date | None = None) -> SystemQuerySet:
        """Systems still in use whose support has ended (the rule of :meth:`System.support_status`)."""
        return self.exclude(lifecycle=System.Lifecycle.RETIRED).filter(deadlines.overdue("end_of_support_on", today))

    def review_overdue(self, today: date | None = None) -> SystemQuerySet:
        """Systems in use whose annual review is overdue (or that were never reviewed)."""
        today = today or timezone.localdate()
        interval = models.Subquery(
            CatalogueSettings.objects.filter(organisation=models.OuterRef("organisation")).values(
                "review_interval_days"
            )[:1]
        )
        qs = self.exclude(lifecycle=System.Lifecycle.RETIRED).annotate(
            _review_interval=models.functions.Coalesce(interval, models.Value(DEFAULT_REVIEW_INTERVAL_DAYS))
        )
        # Per-organisation intervals are few: compare against each distinct one in the database.
        conditions = models.Q(last_reviewed_on__isnull=True)
        for days in _known_review_intervals():
            conditions |= models.Q(_review_interval=days, last_reviewed_on__lt=today - timedelta(days=days))
        return qs.filter(conditions)

    def sharing_capability(self) -> SystemQuerySet:
        """Systems with a capability that another system visible in this set also provides."""
        return self.filter(capabilities__in=Capability.objects.filter(systems__in=self).annotate(
            n=models.Count("systems", filter=models.Q(systems__in=self), distinct=True)
        ).filter(n__gt=1)).distinct()

    def with_completeness(self, *, select_totals: bool = True) -> SystemQuerySet:
        """Annotate each system with what its organisation requires and what is missing."""
        from systems_catalogue import completeness

        return completeness.annotate(self, select_totals=select_totals)

    def for_list(self) -> SystemQuerySet:
        """Everything a list row shows, in a constant number of queries."""
        rank = models.Case(
            *[models.When(criticality=v, then=models.Value(i)) for i, v in enumerate(System.Criticality.values)],
            default=models.Value(len(System.Criticality.values)),
            output_field=models.IntegerField(),
        )
        return (
            self.select_related("organisation", "directorate", "owner", "supplier")
            .prefetch_related("capabilities")
            .annotate(criticality_rank=rank)
            .with_completeness(select_totals=False)  # rows read their score from System.completeness
        )


DEFAULT_REVIEW_INTERVAL_DAYS = 365


def _known_review_intervals() -> list[int]:
    return sorted(
        set(CatalogueSettings.objects.values_list("review_interval_days", flat=True)) | {DEFAULT_REVIEW_INTERVAL_DAYS}
    )


class System(GovernedModel):
    """An application or service the organisation relies on."""

    class Hosting(models.TextChoices):
        ON_PREMISES = "on_premises", _("On premises")
        PROVIDER_DATA_CENTRE = "provider_data_centre", _("Provider's data centre")
        CLOUD = "cloud", _("Cloud / SaaS")

    class Lifecycle(models.TextChoices):
        PLANNED = "planned", _("Planned")
        LIVE = "live", _("Live")
        BEING_REPLACED = "being_replaced", _("Being replaced")
        RETIRED = "retired", _("Retired")

    class Criticality(models.TextChoices):
        CRITICAL = "critical", _("Critical")
        HIGH = "high", _("High")
        MEDIUM = "medium", _("Medium")
        LOW = "low", _("Low")

    class Sourcing(models.TextChoices):
        SUPPLIER = "supplier", _("From a supplier, under contract")
        SHARED_SERVICE = "shared_service", _("Run in house by the shared service")
        IN_HOUSE = "in_house", _("Built and run by the organisation")
        NATIONAL = "national", _("A national service")

    class SupportStatus(models.TextChoices):
        SUPPORTED = "supported", _("Supported")
        ENDS_TODAY = "ends_today", _("Support ends today")
        PAST_END = "past_end", _("Past end of support")
        RETIRED = "retired", _("Retired")

    class PersonalData(models.TextChoices):
        NONE = "none", _("No personal data")
        PERSONAL = "personal", _("Personal data")
        SPECIAL = "special", _("Special category or sensitive data")

    # Long enough for the titles of published contract notices, which councils import as names.
    name = models.CharField(_("name"), max_length=255)
    purpose = models.TextField(_("purpose"), blank=True)
    directorate = models.ForeignKey(
        "govtrack.Directorate",
        verbose_name=_("directorate"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="systems",
    )
    service_area = models.CharField(_("service area"), max_length=200, blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("system owner"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="owned_systems",
    )
    supplier = models.ForeignKey(
        Supplier, verbose_name=_("supplier"), null=True, blank=True, on_delete=models.PROTECT, related_name="systems",
        help_text=_("Who supports the system now."),
    )
    developer = models.ForeignKey(
        Supplier, verbose_name=_("developed by"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="developed_systems",
        help_text=_("Who developed the system, when that is not who supports it now."),
    )
    sourcing = models.CharField(
        _("sourcing"), max_length=20, choices=Sourcing.choices, default=Sourcing.SUPPLIER,
        help_text=_("How the organisation gets the system: what decides whether it needs a supplier contract."),
    )
    product = models.CharField(
        _("product"), max_length=200, blank=True, help_text=_("The product's name, as its supplier sells it.")
    )
    hosting = models.CharField(_("hosting"), max_length=30, choices=Hosting.choices, blank=True)
    lifecycle = models.CharField(_("lifecycle"), max_length=20, choices=Lifecycle.choices, default=Lifecycle.LIVE)
    criticality = models.CharField(_("criticality"), max_length=20, choices=Criticality.choices, blank=True)
    personal_data = models.CharField(
        _("personal data held"), max_length=20, choices=PersonalData.choices, blank=True
    )
    capabilities = models.ManyToManyField(
        Capability, verbose_name=_("capabilities"), blank=True, related_name="systems"
    )
    shared_with = models.ManyToManyField(
        "govtrack.Organisation",
        verbose_name=_("partners using the same product"),
        blank=True,
        related_name="+",
    )
    url = models.URLField(_("web address"), blank=True)
    end_of_support_on = models.DateField(_("end of supplier support"), null=True, blank=True)
    last_reviewed_on = models.DateField(_("last reviewed"), null=True, blank=True)

    objects = SystemQuerySet.as_manager()
    _history_m2m_fields = ["capabilities", "shared_with"]  # the trail says which were added or removed
    scope = Scope(owners=("owner",))
    same_organisation = ("directorate", "owner", "supplier", "developer")
    partner_organisations = ("shared_with",)
    # clean() refuses a name another system of the organisation has in any case.
    stated_in_clean = ("system_name_unique_per_organisation",)

    class Meta:
        ordering = ["name"]
        verbose_name = _("system")
        verbose_name_plural = _("systems")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="system_name_unique_per_organisation"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("systems_catalogue:system_detail", kwargs={"pk": self.pk})

    def clean(self) -> None:
        errors = {}
        if self.last_reviewed_on and self.last_reviewed_on > timezone.localdate():
            errors["last_reviewed_on"] = _("The last review cannot be in the future.")
        if self.name and self.organisation_id and self._name_taken():
            errors["name"] = _("This organisation already has a system with this name.")
        if errors:
            raise ValidationError(errors)

    def _name_taken(self) -> bool:
        """Whether another system of the organisation has this name in any case (asked of the lent batch, if any)."""
        names = self._names_in_batch()
        if names is None:
            same = System.objects.filter(organisation_id=self.organisation_id, name__iexact=self.name.strip())
            return same.exclude(pk=self.pk).exists()
        return any(pk != self.pk for pk in names.get(self.name.strip().upper(), ()))

    def _names_in_batch(self) -> dict[str, set[int]] | None:
        """The organisation's system names, upper-cased as ``iexact`` compares them, read once per batch."""
        batch = batch_of(self)
        if batch is None:
            return None

        def load() -> dict[str, set[int]]:
            names: dict[str, set[int]] = {}
            for pk, name in System.objects.filter(organisation_id=self.organisation_id).values_list("pk", "name"):
                names.setdefault(name.upper(), set()).add(pk)
            return names

        return batch.value(("system names", self.organisation_id), load)

    def take_name(self) -> None:
        """Count this system's name as taken for the rest of its batch: it is about to be saved with the others."""
        names = self._names_in_batch()
        if names is not None:
            names.setdefault(self.name.upper(), set()).add(self.pk or 0)

    def support_status(self, today: date | None = None) -> str:
        """Whether the system is still supported: the one rule the pages, the list and the checks ask."""
        if self.lifecycle == System.Lifecycle.RETIRED:
            return System.SupportStatus.RETIRED
        if deadlines.is_overdue(self.end_of_support_on, today):
            return System.SupportStatus.PAST_END
        if deadlines.is_due_today(self.end_of_support_on, today):
            return System.SupportStatus.ENDS_TODAY
        return System.SupportStatus.SUPPORTED

    @property
    def is_past_end_of_support(self) -> bool:
        return self.support_status() == System.SupportStatus.PAST_END

    @property
    def current_contracts(self) -> list[Contract]:
        """Contracts not archived (prefetched as ``live_contracts`` by the list and detail queries)."""
        prefetched = getattr(self, "live_contracts", None)
        return prefetched if prefetched is not None else list(self.contracts.filter(archived_at__isnull=True))

    @property
    def contracts_in_force(self) -> list[Contract]:
        """Current contracts: not archived and not ended."""
        return [c for c in self.current_contracts if not c.has_ended()]

    @property
    def ended_contracts(self) -> list[Contract]:
        """Contracts that have ended, kept as the system's history (who developed it, who supported it)."""
        return [c for c in self.current_contracts if c.has_ended()]

    @property
    def completeness(self) -> Completeness:
        """Score and missing fields (from ``with_completeness()`` annotations when present)."""
        from systems_catalogue import completeness

        return completeness.of(self)


@dataclass(frozen=True)
class Completeness:
    required_count: int
    missing: list[str]

    @property
    def score(self) -> int:
        """Percentage of required fields filled in, rounded down (100 only when nothing is missing)."""
        if not self.required_count:
            return 100
        return (self.required_count - len(self.missing)) * 100 // self.required_count

    @property
    def filled_count(self) -> int:
        return self.required_count - len(self.missing)

    @property
    def is_complete(self) -> bool:
        return not self.missing

    @property
    def missing_labels(self) -> list[str]:
        return [str(REQUIRED_FIELD_LABELS[name]) for name in self.missing]


#: Fields an organisation may require, with the label shown in "what is missing".
REQUIRED_FIELD_LABELS = {
    "purpose": _("Purpose"),
    "directorate": _("Directorate"),
    "service_area": _("Service area"),
    "owner": _("System owner"),
    "supplier": _("Supplier"),
    "product": _("Product"),
    "hosting": _("Hosting"),
    "criticality": _("Criticality"),
    "personal_data": _("Personal data held"),
    "capabilities": _("Capabilities"),
    "end_of_support_on": _("End of supplier support"),
    "last_reviewed_on": _("Last reviewed"),
    "contract": _("A contract"),
    "contract_end": _("Contract end date"),
    "annual_cost": _("Annual cost"),
    "owner_comment": _("An owner's comment"),
}

#: What a complete record has, when an organisation has not chosen otherwise.
DEFAULT_REQUIRED_FIELDS = [
    "purpose",
    "directorate",
    "owner",
    "supplier",
    "hosting",
    "criticality",
    "personal_data",
    "capabilities",
    "last_reviewed_on",
    "contract",
    "contract_end",
    "annual_cost",
]


class ContractQuerySet(ScopedQuerySet):
    def with_notice_on(self) -> ContractQuerySet:
        """Annotate ``notice_on``: the last day to give notice (end date less the notice period)."""
        from systems_catalogue.dbfunctions import DateMinusDays

        return self.annotate(
            notice_on=models.Case(
                models.When(notice_period_days__isnull=True, then=models.F("end_on")),
                default=DateMinusDays(models.F("end_on"), models.F("notice_period_days")),
                output_field=models.DateField(),
            )
        )

    @staticmethod
    def _cost_sums() -> dict:
        """Annual, one-off and total value summed, and for each the number of contracts it leaves out."""
        zero = models.Value(Decimal("0"))
        annual = (
            models.functions.Coalesce("annual_licence_cost", zero)
            + models.functions.Coalesce("annual_support_cost", zero)
            + models.functions.Coalesce("annual_hosting_cost", zero)
        )
        no_annual = models.Q(
            annual_licence_cost__isnull=True, annual_support_cost__isnull=True, annual_hosting_cost__isnull=True
        )
        return {
            "contracts": models.Count("pk"),
            "systems": models.Count("system", distinct=True),
            "annual": models.Sum(annual, output_field=models.DecimalField(max_digits=16, decimal_places=2)),
            "one_off": models.Sum("one_off_cost"),
            "total": models.Sum("total_value"),
            "annual_unknown": models.Count("pk", filter=no_annual),
            "one_off_unknown": models.Count("pk", filter=models.Q(one_off_cost__isnull=True)),
            "total_unknown": models.Count("pk", filter=models.Q(total_value__isnull=True)),
        }

    def cost_by(self, field: str) -> models.QuerySet:
        """The cost sums per ``field`` (e.g. ``system__directorate__name``), dearest first."""
        return (
            self.order_by()
            .values(field)
            .annotate(**self._cost_sums())
            .order_by(models.F("annual").desc(nulls_last=True), field)
        )

    def cost_total(self) -> dict:
        """The cost sums over every contract here: a table's total row."""
        return self.order_by().aggregate(**self._cost_sums())

    def current(self, today: date | None = None) -> ContractQuerySet:
        """Contracts not yet ended (or with no end date recorded)."""
        today = today or timezone.localdate()
        return self.filter(models.Q(end_on__isnull=True) | models.Q(end_on__gte=today))

    @staticmethod
    def ending_within_q(*, days: int, today: date | None = None) -> models.Q:
        """The condition of :meth:`ending_within`, on contracts ``with_notice_on``."""
        today = today or timezone.localdate()
        horizon = today + timedelta(days=days)
        return models.Q(end_on__gte=today, end_on__lte=horizon) | models.Q(notice_on__gte=today, notice_on__lte=horizon)

    def ending_within(self, *, days: int, today: date | None = None) -> ContractQuerySet:
        """Contracts whose end date, or notice date, falls from today to ``days`` ahead."""
        return self.with_notice_on().filter(self.ending_within_q(days=days, today=today))


class Contract(ScopedModel, TimeStampedModel, ArchivableModel):
    """A contract for a system: dates, notice, costs and how it was bought. A system may have several."""

    class RenewalStage(models.TextChoices):
        NOTICE_PASSED = "notice_passed", _("Notice date passed")
        DUE_TODAY = "due_today", _("Due today")
        COMING = "coming", _("Coming")
        ENDED = "ended", _("Ended")

    class ProcurementRoute(models.TextChoices):
        OPEN_TENDER = "open_tender", _("Open tender")
        RESTRICTED = "restricted", _("Restricted procedure")
        FRAMEWORK = "framework", _("Framework call-off")
        G_CLOUD = "g_cloud", _("G-Cloud")
        QUOTATION = "quotation", _("Request for quotation")
        DIRECT_AWARD = "direct_award", _("Direct award")
        COLLABORATIVE = "collaborative", _("Collaborative (with partners)")
        OTHER = "other", _("Other")

    system = models.ForeignKey(System, verbose_name=_("system"), on_delete=models.PROTECT, related_name="contracts")
    reference = models.CharField(_("reference"), max_length=100, blank=True)
    title = models.CharField(_("title"), max_length=300, blank=True)
    supplier = models.ForeignKey(
        Supplier, verbose_name=_("supplier"), null=True, blank=True, on_delete=models.PROTECT, related_name="contracts"
    )
    awarded_on = models.DateField(_("awarded"), null=True, blank=True)
    start_on = models.DateField(_("start"), null=True, blank=True)
    end_on = models.DateField(_("end"), null=True, blank=True)
    notice_period_days = models.PositiveIntegerField(
        _("notice period (days)"), null=True, blank=True,
        validators=[MaxValueValidator(3660, message=_("A notice period is at most ten years (3,660 days)."))],
    )
    renewal_terms = models.TextField(_("renewal terms"), blank=True)
    annual_licence_cost = money(_("annual licence cost (£)"))
    annual_support_cost = money(_("annual support cost (£)"))
    annual_hosting_cost = money(_("annual hosting cost (£)"))
    one_off_cost = money(_("one-off cost (£)"))
    total_value = money(_("total contract value (£)"))
    procurement_route = models.CharField(
        _("procurement route"), max_length=30, choices=ProcurementRoute.choices, blank=True
    )
    notice_url = models.URLField(_("published notice"), blank=True, max_length=500)
    history = HistoricalRecords()

    objects = ContractQuerySet.as_manager()
    scope = Scope(organisation="system__organisation", owners=("system__owner",), parent="system")
    same_organisation = ("supplier",)
    stated_in_clean = ("contract_ends_after_it_starts",)

    class Meta:
        ordering = ["system_id", "-end_on", "pk"]
        indexes = [models.Index(fields=["end_on"], name="contract_end")]  # renewals and notice alerts
        verbose_name = _("contract")
        verbose_name_plural = _("contracts")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_on__isnull=True)
                | models.Q(start_on__isnull=True)
                | models.Q(end_on__gte=models.F("start_on")),
                name="contract_ends_after_it_starts",
            ),
        ]

    def __str__(self) -> str:
        return self.title or self.reference or _("Contract for %(system)s") % {"system": self.system}

    def get_absolute_url(self) -> str:
        return f"{self.system.get_absolute_url()}#contract-{self.pk}"

    @property
    def organisation(self):
        return self.system.organisation

    @property
    def annual_cost(self) -> Decimal | None:
        parts = [self.annual_licence_cost, self.annual_support_cost, self.annual_hosting_cost]
        if all(part is None for part in parts):
            return None
        return sum((part or Decimal("0") for part in parts), Decimal("0"))

    def renewal_stage(self, today: date | None = None) -> str:
        """Where the contract is in its renewal: notice passed, notice or end due today, coming, or ended."""
        notice, end = self.notice_date, self.end_on
        if deadlines.is_due_today(notice, today) or deadlines.is_due_today(end, today):
            return Contract.RenewalStage.DUE_TODAY
        if self.has_ended(today):
            return Contract.RenewalStage.ENDED
        if deadlines.is_overdue(notice, today):
            return Contract.RenewalStage.NOTICE_PASSED
        return Contract.RenewalStage.COMING

    def has_ended(self, today: date | None = None) -> bool:
        """Ended: its end date is before today (a contract ending today is still in force)."""
        return deadlines.is_overdue(self.end_on, today)

    @property
    def notice_date(self) -> date | None:
        """The last day to give notice, from the end date and notice period."""
        annotated = getattr(self, "notice_on", None)
        if annotated is not None:
            return annotated if isinstance(annotated, date) else date.fromisoformat(str(annotated)[:10])
        if self.end_on is None:
            return None
        return self.end_on - timedelta(days=self.notice_period_days or 0)

    def clean(self) -> None:
        errors = {}
        if self.start_on and self.end_on and self.end_on < self.start_on:
            errors["end_on"] = _("The contract must end after it starts.")
        if self.awarded_on and self.start_on and self.awarded_on > self.start_on + timedelta(days=366):
            errors["awarded_on"] = _("A contract is awarded before, or soon after, it starts.")
        if self.notice_period_days and self.start_on and self.end_on and self.end_on >= self.start_on:
            if self.notice_period_days >= (self.end_on - self.start_on).days:
                errors["notice_period_days"] = _("The notice period must be shorter than the contract.")
        if errors:
            raise ValidationError(errors)


class OwnerComment(ScopedModel, TimeStampedModel):
    """What a system's owner said about it on a date; comments are kept, never edited."""

    system = models.ForeignKey(System, verbose_name=_("system"), on_delete=models.PROTECT, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("author"), on_delete=models.PROTECT, related_name="+"
    )
    written_on = models.DateField(_("date"), default=timezone.localdate)
    text = models.TextField(_("comment"))
    history = HistoricalRecords()

    scope = Scope(organisation="system__organisation", parent="system")

    class Meta:
        ordering = ["-written_on", "-created_at"]
        verbose_name = _("owner's comment")
        verbose_name_plural = _("owners' comments")

    def __str__(self) -> str:
        return f"{self.system} – {self.written_on}"

    def clean(self) -> None:
        if self.written_on and self.written_on > timezone.localdate():
            raise ValidationError({"written_on": _("A comment cannot be dated in the future.")})
        if not (self.text or "").strip():
            raise ValidationError({"text": _("Write the comment.")})


class Integration(ScopedModel, TimeStampedModel):
    """Data flowing from one system to another (an interface, a file transfer, an API)."""

    source = models.ForeignKey(
        System, verbose_name=_("from system"), on_delete=models.PROTECT, related_name="outgoing_integrations"
    )
    target = models.ForeignKey(
        System, verbose_name=_("to system"), on_delete=models.PROTECT, related_name="incoming_integrations"
    )
    description = models.CharField(_("what flows"), max_length=300, blank=True)
    history = HistoricalRecords()

    scope = Scope(organisation="source__organisation", parent="source")
    same_organisation = ("target",)

    class Meta:
        ordering = ["source_id", "target_id"]
        verbose_name = _("integration")
        verbose_name_plural = _("integrations")
        constraints = [
            models.UniqueConstraint(fields=["source", "target"], name="integration_unique"),
            models.CheckConstraint(condition=~models.Q(source=models.F("target")), name="integration_not_to_itself"),
        ]

    def __str__(self) -> str:
        return f"{self.source} → {self.target}"

    def clean(self) -> None:
        if self.source_id and self.target_id and self.source_id == self.target_id:
            raise ValidationError({"target": _("A system cannot integrate with itself.")})
