"""Risk registers: the scoring matrix, registers at three levels, risks, reviews, actions, escalations."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models, transaction
from django.db.models import Exists, F, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from govtrack import deadlines
from govtrack.history import HistoricalRecords
from govtrack.i18n import localised, reading_welsh
from govtrack.models import GovernedModel, ScopedModel, ScopedQuerySet
from govtrack.roles import MANAGE_ROLES
from govtrack.scoping import Scope
from registers import scoring

#: Seconds a matrix stays cached at most (changes clear it at once; this bounds a process without Redis).
MATRIX_CACHE_SECONDS = 300

hex_colour = RegexValidator(r"^#[0-9a-fA-F]{6}$", _("Give a colour as #rrggbb."))


class RiskMatrixQuerySet(ScopedQuerySet):
    def with_bands(self) -> RiskMatrixQuerySet:
        return self.prefetch_related("bands", "categories")


class RiskMatrix(GovernedModel):
    """An organisation's scoring scales, bands and appetite: every score and colour comes from here."""

    name = models.CharField(_("name"), max_length=200, default="Corporate risk matrix")
    likelihood_levels = models.PositiveSmallIntegerField(
        _("likelihood levels"), default=5, validators=[MinValueValidator(2)]
    )
    impact_levels = models.PositiveSmallIntegerField(_("impact levels"), default=5, validators=[MinValueValidator(2)])
    likelihood_descriptors = models.JSONField(_("likelihood descriptors"), default=list, blank=True)
    impact_descriptors = models.JSONField(_("impact descriptors"), default=list, blank=True)
    likelihood_descriptors_cy = models.JSONField(_("likelihood descriptors in Welsh"), default=list, blank=True)
    impact_descriptors_cy = models.JSONField(_("impact descriptors in Welsh"), default=list, blank=True)

    objects = RiskMatrixQuerySet.as_manager()
    scope = Scope(create=MANAGE_ROLES)

    class Meta:
        verbose_name = _("risk matrix")
        verbose_name_plural = _("risk matrices")
        constraints = [models.UniqueConstraint(fields=["organisation"], name="risk_matrix_one_per_organisation")]

    def __str__(self) -> str:
        return f"{self.name} ({self.organisation})"

    def clean(self) -> None:
        for name, levels in (("likelihood_descriptors", self.likelihood_levels),
                             ("impact_descriptors", self.impact_levels),
                             ("likelihood_descriptors_cy", self.likelihood_levels),
                             ("impact_descriptors_cy", self.impact_levels)):
            descriptors = getattr(self, name) or []
            if descriptors and len(descriptors) != levels:
                raise ValidationError({name: _("Give one descriptor per level (%(n)s).") % {"n": levels}})

    @classmethod
    def for_organisation(cls, organisation) -> RiskMatrix:
        """The organisation's matrix (from the cache when it is there), made with the default 5x5 on first use.

        Nearly every page and check reads it and it rarely changes, so it is cached; saving or
        deleting the matrix, a band or a category clears the entry (``registers.signals``).
        """
        key = cls.cache_key(organisation.pk)
        matrix = cache.get(key)
        if matrix is None:
            matrix = cls._load(organisation)
            matrix.band_list  # noqa: B018 - fill the cached sorted bands before storing
            list(matrix.categories.all())
            cache.set(key, matrix, MATRIX_CACHE_SECONDS)
        return matrix

    @staticmethod
    def cache_key(organisation_id: int) -> str:
        return f"govtrack:risk-matrix:{organisation_id}"

    @classmethod
    def _load(cls, organisation) -> RiskMatrix:
        matrix = cls.objects.with_bands().filter(organisation=organisation).first()
        if matrix is None:
            with transaction.atomic():
                matrix, created = cls.objects.get_or_create(
                    organisation=organisation,
                    defaults={"likelihood_descriptors": list(scoring.DEFAULT_LIKELIHOOD),
                              "impact_descriptors": list(scoring.DEFAULT_IMPACT),
                              "likelihood_descriptors_cy": list(scoring.DEFAULT_LIKELIHOOD_CY),
                              "impact_descriptors_cy": list(scoring.DEFAULT_IMPACT_CY)},
                )
                if created:
                    MatrixBand.objects.bulk_create(
                        MatrixBand(matrix=matrix, name=b.name, name_cy=scoring.DEFAULT_BAND_NAMES_CY.get(b.name, ""),
                                   min_score=b.min_score, colour=b.colour,
                                   text_colour=b.text_colour, review_days=b.review_days)
                        for b in scoring.DEFAULT_BANDS
                    )
            matrix = cls.objects.with_bands().get(pk=matrix.pk)
        return matrix

    @property
    def max_score(self) -> int:
        return self.likelihood_levels * self.impact_levels

    @cached_property
    def band_list(self) -> list[MatrixBand]:
        return scoring.sorted_bands(self.bands.all())

    def band_for(self, value: int | None) -> MatrixBand | None:
        return scoring.band_for(self, value)

    def descriptor(self, axis: str, level: int) -> str:
        """A level's descriptor in the reader's language (Welsh when given), else its number."""
        english = self.likelihood_descriptors if axis == "likelihood" else self.impact_descriptors
        welsh = self.likelihood_descriptors_cy if axis == "likelihood" else self.impact_descriptors_cy
        names = welsh if welsh and reading_welsh() else english
        return names[level - 1] if names and 0 < level <= len(names) else str(level)

    def appetite_for(self, category_id: int | None) -> int | None:
        for category in self.categories.all():
            if category.pk == category_id:
                return category.appetite
        return None


class MatrixVersion(ScopedModel):
    """The matrix as it stood from a date: its scales, bands and appetites, kept whole each time a manager
    saves it, so a review is always read against the matrix that applied when it was recorded."""

    matrix = models.ForeignKey(RiskMatrix, verbose_name=_("matrix"), on_delete=models.CASCADE,
                               related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    valid_from = models.DateTimeField(_("in force from"), default=timezone.now)
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("changed by"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    snapshot = models.JSONField(_("the matrix"), default=dict)

    scope = Scope(organisation="matrix__organisation", parent="matrix")

    class Meta:
        ordering = ["matrix_id", "-number"]
        verbose_name = _("matrix version")
        constraints = [models.UniqueConstraint(fields=["matrix", "number"], name="matrix_version_unique")]

    def __str__(self) -> str:
        return str(_("Version %(n)s") % {"n": self.number})

    @classmethod
    def record(cls, matrix: RiskMatrix, *, by=None) -> MatrixVersion:
        """Keep the matrix as it is now as its next version (the first, for a matrix never versioned)."""
        matrix = RiskMatrix.objects.get(pk=matrix.pk)  # as stored: a form's unsaved changes are not a version
        bands = MatrixBand.objects.filter(matrix_id=matrix.pk).order_by("min_score")
        categories = RiskCategory.objects.filter(matrix_id=matrix.pk).order_by("name")
        snapshot = {
            "likelihood_levels": matrix.likelihood_levels, "impact_levels": matrix.impact_levels,
            "likelihood_descriptors": matrix.likelihood_descriptors, "impact_descriptors": matrix.impact_descriptors,
            "bands": [{"name": b.name, "name_cy": b.name_cy, "min_score": b.min_score, "colour": b.colour,
                       "review_days": b.review_days} for b in bands],
            "categories": [{"name": c.name, "appetite": c.appetite} for c in categories],
        }
        last = cls.objects.filter(matrix_id=matrix.pk).order_by("-number").values_list("number", flat=True).first()
        return cls.objects.create(matrix_id=matrix.pk, number=(last or 0) + 1, changed_by=by, snapshot=snapshot)

    @classmethod
    def current(cls, matrix: RiskMatrix) -> MatrixVersion:
        """The version in force: the latest, or the first one recorded now for a matrix saved before versions."""
        found = cls.objects.filter(matrix_id=matrix.pk).order_by("-number").first()
        return found or cls.record(matrix)


class MatrixBand(ScopedModel):
    """A score band: its name, lowest score, colours and how often its risks are reviewed."""

    matrix = models.ForeignKey(RiskMatrix, on_delete=models.CASCADE, related_name="bands")
    name = models.CharField(_("name"), max_length=60)
    name_cy = models.CharField(_("name in Welsh"), max_length=60, blank=True)
    min_score = models.PositiveSmallIntegerField(_("lowest score"), validators=[MinValueValidator(1)])
    colour = models.CharField(_("colour"), max_length=7, validators=[hex_colour])
    text_colour = models.CharField(_("text colour"), max_length=7, default="#0b0c0c", validators=[hex_colour])
    review_days = models.PositiveSmallIntegerField(
        _("review every (days)"), default=90, validators=[MinValueValidator(1)]
    )
    history = HistoricalRecords()

    scope = Scope(organisation="matrix__organisation", parent="matrix")

    class Meta:
        ordering = ["matrix_id", "min_score"]
        verbose_name = _("score band")
        constraints = [
            models.UniqueConstraint(fields=["matrix", "min_score"], name="matrix_band_min_unique"),
            models.UniqueConstraint(fields=["matrix", "name"], name="matrix_band_name_unique"),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        """The name in the reader's language (Welsh when given)."""
        return localised(self, "name")

    def clean(self) -> None:
        if self.matrix_id and self.min_score and self.min_score > self.matrix.max_score:
            raise ValidationError({"min_score": _("A band must start within the matrix (up to %(max)s).")
                                   % {"max": self.matrix.max_score}})


class RiskCategory(ScopedModel):
    """A category of risk (financial, reputational, technology...) with the organisation's appetite."""

    matrix = models.ForeignKey(RiskMatrix, on_delete=models.CASCADE, related_name="categories")
    name = models.CharField(_("name"), max_length=100)
    name_cy = models.CharField(_("name in Welsh"), max_length=100, blank=True)
    appetite = models.PositiveSmallIntegerField(
        _("appetite (highest acceptable current score)"), validators=[MinValueValidator(1)]
    )
    history = HistoricalRecords()

    scope = Scope(organisation="matrix__organisation", parent="matrix")

    class Meta:
        ordering = ["matrix_id", "name"]
        verbose_name = _("risk category")
        verbose_name_plural = _("risk categories")
        constraints = [models.UniqueConstraint(fields=["matrix", "name"], name="risk_category_name_unique")]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        """The name in the reader's language (Welsh when given)."""
        return localised(self, "name")

    def clean(self) -> None:
        if self.matrix_id and self.appetite and self.appetite > self.matrix.max_score:
            raise ValidationError({"appetite": _("Appetite must be within the matrix (up to %(max)s).")
                                   % {"max": self.matrix.max_score}})


class RegisterQuerySet(ScopedQuerySet):
    def current(self) -> RegisterQuerySet:
        """Active registers that are not archived."""
        return self.active().filter(status=Register.Status.ACTIVE)

    def owned_by(self, user) -> RegisterQuerySet:
        return self.filter(owner=user)


class Register(GovernedModel):
    """A corporate, directorate or project risk register; project → directorate → corporate."""

    class Level(models.TextChoices):
        CORPORATE = "corporate", _("Corporate")
        DIRECTORATE = "directorate", _("Directorate")
        PROJECT = "project", _("Project")

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        DRAFT = "draft", _("In development")
        CLOSED = "closed", _("Closed")

    #: The level a register's parent must have.
    PARENT_LEVEL = {Level.PROJECT: Level.DIRECTORATE, Level.DIRECTORATE: Level.CORPORATE}

    name = models.CharField(_("name"), max_length=200)
    name_cy = models.CharField(_("name in Welsh"), max_length=200, blank=True,
                               help_text=_("Shown to people reading govtrack in Welsh."))
    slug = models.SlugField(_("slug"), max_length=80)
    level = models.CharField(_("level"), max_length=20, choices=Level.choices)
    directorate = models.ForeignKey(
        "govtrack.Directorate", verbose_name=_("directorate"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="registers",
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("owner"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="owned_registers",
    )
    parent = models.ForeignKey(
        "self", verbose_name=_("parent register"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="children",
    )
    escalation_threshold = models.PositiveSmallIntegerField(
        _("escalation threshold"), null=True, blank=True,
        help_text=_("A risk whose current score reaches this is proposed for the parent register."),
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.ACTIVE)
    description = models.TextField(_("description"), blank=True)

    objects = RegisterQuerySet.as_manager()
    scope = Scope(owners=("owner",), create=MANAGE_ROLES)
    same_organisation = ("directorate", "owner", "parent")

    class Meta:
        ordering = ["organisation_id", "level", "name"]
        verbose_name = _("register")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "slug"], name="register_slug_unique"),
            models.CheckConstraint(condition=~Q(parent=F("pk")), name="register_not_own_parent"),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        """The name in the reader's language (Welsh when given)."""
        return localised(self, "name")

    def get_absolute_url(self) -> str:
        return reverse("registers:register_detail", kwargs={"org": self.organisation.slug, "slug": self.slug})

    def clean(self) -> None:
        errors: dict[str, str] = {}
        wanted = self.PARENT_LEVEL.get(self.level)
        if self.parent_id:
            parent = self.parent
            if self.level == self.Level.CORPORATE:
                errors["parent"] = _("A corporate register has no parent.")
            elif parent.level != wanted:
                errors["parent"] = _("The parent of a %(level)s register must be a %(wanted)s register.") % {
                    "level": self.get_level_display().lower(), "wanted": self.Level(wanted).label.lower()}
            elif self._would_cycle(parent):
                errors["parent"] = _("That parent would make a cycle: it sits below this register.")
        if self.level == self.Level.DIRECTORATE and not self.directorate_id:
            errors["directorate"] = _("Say which directorate this register belongs to.")
        if self.level == self.Level.CORPORATE and self.organisation_id and self.archived_at is None:
            other = (Register.objects.filter(organisation_id=self.organisation_id, level=self.Level.CORPORATE,
                                             archived_at__isnull=True).exclude(pk=self.pk).first())
            if other is not None:
                errors["level"] = _("%(org)s already has a corporate register, %(name)s: the top of the "
                                    "hierarchy is one register (archive it first to replace it).") % {
                    "org": self.organisation, "name": other.label}
        if self.escalation_threshold and self.organisation_id:
            matrix = RiskMatrix.for_organisation(self.organisation)
            if self.escalation_threshold > matrix.max_score:
                errors["escalation_threshold"] = _("The threshold must be within the matrix (1 to %(max)s).") % {
                    "max": matrix.max_score}
        if errors:
            raise ValidationError(errors)

    def _would_cycle(self, parent: Register) -> bool:
        seen = set()
        node = parent
        while node is not None and node.pk not in seen:
            if self.pk and node.pk == self.pk:
                return True
            seen.add(node.pk)
            node = node.parent
        return False

    def risks_on(self) -> RiskQuerySet:
        """The risks this register shows: its own, and those escalated to it and accepted."""
        return Risk.objects.on_register(self)


class RiskQuerySet(ScopedQuerySet):
    def open(self) -> RiskQuerySet:
        return self.active().filter(status=Risk.Status.OPEN)

    def on_register(self, register: Register) -> RiskQuerySet:
        """Risks owned by the register or escalated to it (accepted): one risk, never a copy.

        Written as ``id IN (own UNION ALL escalated in)`` rather than ``register = … OR EXISTS(…)``:
        each half reads its own index, where the OR made the database visit every risk.
        """
        own = Risk.objects.filter(register=register).order_by().values("pk")
        escalated_in = (Escalation.objects.filter(to_register=register, status=Escalation.Status.ACCEPTED)
                        .order_by().values("risk_id"))
        return self.filter(pk__in=own.union(escalated_in, all=True))

    def with_scores(self) -> RiskQuerySet:
        """Current, inherent and target scores computed in the database, for filtering and ordering."""
        return self.annotate(
            current_score_db=F("current_likelihood") * F("current_impact"),
            inherent_score_db=F("inherent_likelihood") * F("inherent_impact"),
        )

    # The rule of :func:`registers.scoring.should_escalate` in SQL, for the daily check over every
    # risk at once, in two halves: risks still on their own register only (here) and risks accepted
    # higher up (``EscalationQuerySet.due_onwards``). ``registers.services.escalations_due`` joins
    # them; a test holds them equal to the Python rule over generated cases.

    def _accepted_from_own_register(self) -> Exists:
        return Exists(Escalation.objects.filter(risk=OuterRef("pk"), from_register_id=OuterRef("register_id"),
                                                status=Escalation.Status.ACCEPTED))

    def escalation_due_from_own_register(self) -> RiskQuerySet:
        """Risks still on their own register only (nearly all) that are due: decided with joins."""
        risks = self.open().with_scores().exclude(self._accepted_from_own_register()).annotate(
            escalation_from=F("register_id"), escalation_to=F("register__parent_id"),
            escalation_threshold=F("register__escalation_threshold"))
        return _escalation_unblocked(risks, risk="pk")


    def review_overdue(self, today: date | None = None) -> RiskQuerySet:
        """Open risks past their review date: the rule of :meth:`Risk.is_overdue` as a filter."""
        return self.filter(deadlines.overdue("review_date", today)).exclude(status=Risk.Status.CLOSED)

    @staticmethod
    def above_appetite_without_action_q() -> Q:
        """The condition of :meth:`above_appetite_without_action`, on risks ``with_scores`` (to count with others)."""
        open_action = RiskAction.objects.filter(
            risk=OuterRef("pk"), status__in=[RiskAction.Status.OPEN, RiskAction.Status.IN_PROGRESS]
        )
        return Q(category__isnull=False, current_score_db__gt=F("category__appetite")) & ~Exists(open_action)

    def above_appetite_without_action(self) -> RiskQuerySet:
        """Risks whose current score exceeds their category's appetite and that have no open action."""
        return self.with_scores().filter(self.above_appetite_without_action_q())

    def with_trend(self) -> RiskQuerySet:
        """The scores of the latest two reviews, computed in the database (for the trend, without every review)."""
        reviews = RiskReview.objects.filter(risk=OuterRef("pk")).order_by("-reviewed_on", "-pk").annotate(
            score=F("current_likelihood") * F("current_impact")).values("score")
        return self.annotate(latest_review_score=models.Subquery(reviews[:1]),
                             previous_review_score=models.Subquery(reviews[1:2]))

    def for_api(self) -> RiskQuerySet:
        """What the API shows of each risk, in a fixed number of queries and nothing it does not show."""
        from systems_catalogue.models import System

        return self.select_related("register", "organisation").with_trend().prefetch_related(
            models.Prefetch("escalations", queryset=Escalation.objects.select_related("from_register", "to_register")),
            models.Prefetch("systems", queryset=System.objects.only("pk")),
        )

    def for_pages(self) -> RiskQuerySet:
        """Everything a risk table shows, in a fixed number of queries."""
        return self.select_related(
            "register", "register__organisation", "category", "officer_owner", "organisation"
        ).prefetch_related(
            models.Prefetch("escalations", queryset=Escalation.objects.select_related(
                "from_register", "to_register", "proposed_by", "decided_by", "de_escalated_by")),
            models.Prefetch("reviews", queryset=RiskReview.objects.select_related("reviewed_by", "matrix_version")
                            .order_by("reviewed_on", "pk")),
            models.Prefetch("actions", queryset=RiskAction.objects.select_related("owner")),
        )


class Risk(GovernedModel):
    """A risk on a register, scored on its organisation's matrix."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    register = models.ForeignKey(Register, verbose_name=_("register"), on_delete=models.PROTECT, related_name="risks")
    reference = models.CharField(_("reference"), max_length=40)
    title = models.CharField(_("title"), max_length=300)
    cause = models.TextField(_("cause"), blank=True)
    event = models.TextField(_("event"), blank=True)
    effect = models.TextField(_("effect"), blank=True)
    category = models.ForeignKey(
        RiskCategory, verbose_name=_("category"), null=True, blank=True, on_delete=models.PROTECT, related_name="risks"
    )
    officer_owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("officer owner"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="owned_risks",
    )
    owner_name = models.CharField(
        _("owner (name)"), max_length=200, blank=True,
        help_text=_("The owner's name as the register gives it, when they are not a govtrack user."),
    )
    member_owner = models.CharField(_("member owner"), max_length=200, blank=True,
                                    help_text=_("The councillor (cabinet member) who owns the risk."))
    inherent_likelihood = models.PositiveSmallIntegerField(_("inherent likelihood"))
    inherent_impact = models.PositiveSmallIntegerField(_("inherent impact"))
    current_likelihood = models.PositiveSmallIntegerField(_("current likelihood"))
    current_impact = models.PositiveSmallIntegerField(_("current impact"))
    target_likelihood = models.PositiveSmallIntegerField(_("target likelihood"), null=True, blank=True)
    target_impact = models.PositiveSmallIntegerField(_("target impact"), null=True, blank=True)
    existing_controls = models.TextField(_("existing controls"), blank=True)
    progress = models.TextField(_("progress comments"), blank=True)
    review_date = models.DateField(_("next review"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.OPEN)
    systems = models.ManyToManyField(
        "systems_catalogue.System", verbose_name=_("systems"), related_name="risks", blank=True,
        help_text=_("The systems this risk is about."),
    )

    objects = RiskQuerySet.as_manager()
    _history_m2m_fields = ["systems"]  # the trail says which were added or removed
    scope = Scope(owners=("officer_owner", "register__owner"))
    same_organisation = ("register", "category", "officer_owner", "systems")

    class Meta:
        ordering = ["register_id", "reference"]
        verbose_name = _("risk")
        indexes = [
            # Overdue reviews and open risks of an organisation: the checks, the gaps page, the dashboard.
            models.Index(fields=["organisation", "status", "review_date"], name="risk_org_status_review"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["register", "reference"], name="risk_reference_unique"),
            models.CheckConstraint(
                condition=Q(inherent_likelihood__gte=1, inherent_impact__gte=1,
                            current_likelihood__gte=1, current_impact__gte=1),
                name="risk_scores_positive",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("registers:risk_detail", kwargs={"pk": self.pk})

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.organisation_id:
            matrix = RiskMatrix.for_organisation(self.organisation)
            for prefix in ("inherent", "current", "target"):
                for axis, levels, message in (
                    ("likelihood", matrix.likelihood_levels, _("Give a likelihood from 1 to %(n)s.")),
                    ("impact", matrix.impact_levels, _("Give an impact from 1 to %(n)s.")),
                ):
                    name = f"{prefix}_{axis}"
                    if not scoring.within_scale(getattr(self, name), levels):
                        errors[name] = message % {"n": levels}
            if (self.target_likelihood is None) != (self.target_impact is None):
                errors.setdefault("target_impact", _("Give both the target likelihood and impact, or neither."))
        if errors:
            raise ValidationError(errors)

    # Scores are derived, never stored: one rule (likelihood x impact) wherever they are shown.
    @property
    def inherent_score(self) -> int | None:
        return scoring.score(self.inherent_likelihood, self.inherent_impact)

    @property
    def current_score(self) -> int | None:
        return scoring.score(self.current_likelihood, self.current_impact)

    @property
    def target_score(self) -> int | None:
        return scoring.score(self.target_likelihood, self.target_impact)

    @property
    def escalation_list(self) -> list[Escalation]:
        return list(self.escalations.all())

    @property
    def review_list(self) -> list[RiskReview]:
        return list(self.reviews.all())

    @property
    def top_register(self) -> Register:
        """The highest register this risk sits on, following accepted escalations upwards."""
        register = self.register
        accepted = {e.from_register_id: e for e in self.escalation_list if e.status == Escalation.Status.ACCEPTED}
        seen = set()
        while register.pk in accepted and register.pk not in seen:
            seen.add(register.pk)
            register = accepted[register.pk].to_register
        return register

    def should_escalate(self) -> bool:
        return scoring.should_escalate(self)

    def escalated_to(self, register: Register) -> Escalation | None:
        return next((e for e in self.escalation_list
                     if e.to_register_id == register.pk and e.status == Escalation.Status.ACCEPTED), None)

    def pending_escalation(self) -> Escalation | None:
        return next((e for e in self.escalation_list if e.status == Escalation.Status.PROPOSED), None)

    @property
    def is_closed(self) -> bool:
        return self.status == Risk.Status.CLOSED

    def is_overdue(self, today: date | None = None) -> bool:
        """A review is overdue the day after its date, unless the risk is closed (govtrack.deadlines)."""
        return deadlines.is_overdue(self.review_date, today, finished=self.is_closed)

    def previous_score(self) -> int | None:
        """The current score recorded by the review before the latest, for the trend."""
        if hasattr(self, "previous_review_score"):  # annotated by RiskQuerySet.with_trend()
            return self.previous_review_score
        reviews = self.review_list
        return reviews[-2].current_score if len(reviews) >= 2 else None

    @property
    def trend(self) -> str:
        if hasattr(self, "latest_review_score"):
            latest = self.latest_review_score
        else:
            reviews = self.review_list
            latest = reviews[-1].current_score if reviews else None
        return scoring.trend(self.previous_score(), latest if latest is not None else self.current_score)

    def score_history(self) -> list[tuple[date, int]]:
        return [(r.reviewed_on, r.current_score) for r in self.review_list]

    def score_on(self, day: date) -> int | None:
        return scoring.score_on(self.score_history(), day)

    def open_actions(self) -> list[RiskAction]:
        return [a for a in self.actions.all() if a.is_open]

    @transaction.atomic
    def record_review(self, *, by, reviewed_on: date, current_likelihood: int, current_impact: int,
                      target_likelihood: int | None = None, target_impact: int | None = None,
                      note: str = "", matrix: RiskMatrix | None = None) -> RiskReview:
        """Record a review: keep the scores on that date and set the next review date from the band."""
        matrix = matrix or RiskMatrix.for_organisation(self.organisation)
        review = RiskReview(
            risk=self, reviewed_on=reviewed_on, reviewed_by=by,
            inherent_likelihood=self.inherent_likelihood, inherent_impact=self.inherent_impact,
            current_likelihood=current_likelihood, current_impact=current_impact,
            target_likelihood=target_likelihood, target_impact=target_impact, note=note,
        )
        review.next_review_on = scoring.next_review_date(matrix, review.current_score, reviewed_on)
        band = matrix.band_for(review.current_score)
        review.matrix_version, review.band_name = MatrixVersion.current(matrix), band.name if band else ""
        before = (self.current_likelihood, self.current_impact, self.target_likelihood, self.target_impact)
        self.current_likelihood, self.current_impact = current_likelihood, current_impact
        self.target_likelihood, self.target_impact = target_likelihood, target_impact
        try:
            self.full_clean()
            review.full_clean(exclude=["risk"])
        except ValidationError:
            # Refused: the risk keeps the scores it had, in memory as in the database.
            self.current_likelihood, self.current_impact, self.target_likelihood, self.target_impact = before
            raise
        review.save()
        self.review_date = review.next_review_on
        self._history_user = by
        self._change_reason = "Reviewed"
        self.save()
        return review

    @transaction.atomic
    def escalate(self, *, by, reason: str, kind: str = "manual") -> Escalation:
        """Propose this risk for the parent of the highest register it sits on."""
        locked = Risk.objects.select_for_update().get(pk=self.pk)
        register = self.top_register
        if register.parent_id is None:
            raise ValidationError(_("%(register)s has no parent register to escalate to.") % {"register": register})
        if Escalation.objects.filter(risk=locked, status__in=Escalation.OPEN_STATUSES,
                                     to_register_id=register.parent_id).exists():
            raise ValidationError(_("This risk is already escalated, or waiting for a decision, there."))
        escalation = Escalation(
            risk=self, from_register=register, to_register=register.parent, kind=kind,
            score=self.current_score, reason=reason, proposed_by=by,
        )
        escalation.full_clean()
        escalation.save()
        return escalation


class RiskReview(ScopedModel):
    """One review of a risk: the scores on that date, who reviewed it, and the next review date."""

    risk = models.ForeignKey(Risk, on_delete=models.CASCADE, related_name="reviews")
    reviewed_on = models.DateField(_("reviewed on"))
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("reviewed by"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )
    inherent_likelihood = models.PositiveSmallIntegerField()
    inherent_impact = models.PositiveSmallIntegerField()
    current_likelihood = models.PositiveSmallIntegerField(_("current likelihood"))
    current_impact = models.PositiveSmallIntegerField(_("current impact"))
    target_likelihood = models.PositiveSmallIntegerField(null=True, blank=True)
    target_impact = models.PositiveSmallIntegerField(null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    next_review_on = models.DateField(_("next review"))
    matrix_version = models.ForeignKey(MatrixVersion, verbose_name=_("matrix version"), null=True, blank=True,
                                       on_delete=models.PROTECT, related_name="+",
                                       help_text=_("The matrix the scores were read against."))
    band_name = models.CharField(_("band then"), max_length=100, blank=True,
                                 help_text=_("The band the current score fell in, by the matrix of the day."))
    created_at = models.DateTimeField(auto_now_add=True)

    scope = Scope(organisation="risk__organisation", parent="risk")
    same_organisation = ("reviewed_by",)

    class Meta:
        ordering = ["risk_id", "reviewed_on", "pk"]
        verbose_name = _("review")
        indexes = [models.Index(fields=["risk", "reviewed_on"], name="review_risk_date")]  # scores on a date

    def __str__(self) -> str:
        return f"{self.risk.reference} reviewed {self.reviewed_on}"

    def clean(self) -> None:
        if self.reviewed_on and self.reviewed_on > timezone.localdate():
            raise ValidationError({"reviewed_on": _("A review cannot be dated in the future.")})

    @property
    def current_score(self) -> int | None:
        return scoring.score(self.current_likelihood, self.current_impact)

    @property
    def inherent_score(self) -> int | None:
        return scoring.score(self.inherent_likelihood, self.inherent_impact)


class RiskAction(ScopedModel):
    """A future action to bring a risk down: owner, due date and status."""

    class Status(models.TextChoices):
        OPEN = "open", _("Not started")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")
        CANCELLED = "cancelled", _("Cancelled")

    risk = models.ForeignKey(Risk, on_delete=models.CASCADE, related_name="actions")
    description = models.TextField(_("action"))
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("owner"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )
    owner_name = models.CharField(_("owner (name)"), max_length=200, blank=True)
    due_on = models.DateField(_("due"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.OPEN)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    scope = Scope(organisation="risk__organisation", parent="risk",
                  owners=("owner", "risk__officer_owner", "risk__register__owner"))
    same_organisation = ("owner",)

    class Meta:
        ordering = ["risk_id", "due_on", "pk"]
        verbose_name = _("action")

    def __str__(self) -> str:
        return self.description[:80]

    @property
    def is_open(self) -> bool:
        return self.status in (self.Status.OPEN, self.Status.IN_PROGRESS)

    @property
    def is_finished(self) -> bool:
        return not self.is_open

    def is_overdue(self, today: date | None = None) -> bool:
        return deadlines.is_overdue(self.due_on, today, finished=self.is_finished)

    @property
    def owner_display(self) -> str:
        return (self.owner.get_full_name() or self.owner.username) if self.owner_id else self.owner_name



def _escalation_unblocked(rows: models.QuerySet, *, risk: str) -> models.QuerySet:
    """Rows (risks, or the escalations that carried them highest) annotated with ``escalation_to``,
    ``escalation_threshold`` and ``current_score_db`` whose risk is due: the register has a parent
    and a threshold the score reaches, and nothing blocks it there (waiting, accepted, or turned
    down or sent back at this score or higher)."""
    blocking = Escalation.objects.filter(risk_id=OuterRef(risk), to_register_id=OuterRef("escalation_to")).filter(
        Q(status__in=Escalation.OPEN_STATUSES)
        | Q(status__in=[Escalation.Status.REJECTED, Escalation.Status.DE_ESCALATED],
            score__gte=OuterRef("current_score_db"))
    )
    return rows.filter(escalation_to__isnull=False, escalation_threshold__gt=0,
                       current_score_db__gte=F("escalation_threshold")).exclude(Exists(blocking))


class EscalationQuerySet(ScopedQuerySet):

    def active(self) -> EscalationQuerySet:
        return self.filter(risk__archived_at__isnull=True)

    def pending(self) -> EscalationQuerySet:
        return self.filter(status=Escalation.Status.PROPOSED)

    def due_onwards(self, risks: models.QuerySet) -> EscalationQuerySet:
        """The other half of the escalation rule in SQL: of ``risks``, those accepted higher up that
        are due from the highest register they reached.

        Each row is an accepted escalation reached from the risk's own register, directly or through
        one accepted escalation before it (a chain has at most two hops: project, directorate,
        corporate), read from the register it reached. Only the chain's last one can be due: an
        earlier one is blocked by the accepted escalation after it. Annotated like
        ``RiskQuerySet.escalation_due_from_own_register``.
        """
        accepted = Escalation.objects.filter(risk_id=OuterRef("risk_id"), status=Escalation.Status.ACCEPTED)
        from_own = Q(from_register_id=F("risk__register_id")) | Exists(accepted.filter(
            from_register_id=OuterRef("risk__register_id"), to_register_id=OuterRef("from_register_id")))
        ends = (
            self.filter(status=Escalation.Status.ACCEPTED, risk__in=risks.open().order_by().values("pk"))
            .filter(from_own)
            .annotate(escalation_from=F("to_register_id"), escalation_to=F("to_register__parent_id"),
                      escalation_threshold=F("to_register__escalation_threshold"),
                      current_score_db=F("risk__current_likelihood") * F("risk__current_impact"))
        )
        return _escalation_unblocked(ends, risk="risk_id")


class Escalation(ScopedModel):
    """A risk proposed for, accepted on, rejected by or sent back from a parent register."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        ACCEPTED = "accepted", _("Accepted")
        REJECTED = "rejected", _("Rejected")
        DE_ESCALATED = "de_escalated", _("De-escalated")

    class Kind(models.TextChoices):
        AUTOMATIC = "automatic", _("Threshold reached")
        MANUAL = "manual", _("Manual")

    OPEN_STATUSES = (Status.PROPOSED, Status.ACCEPTED)

    risk = models.ForeignKey(Risk, on_delete=models.CASCADE, related_name="escalations")
    from_register = models.ForeignKey(Register, on_delete=models.PROTECT, related_name="escalations_out")
    to_register = models.ForeignKey(Register, on_delete=models.PROTECT, related_name="escalations_in")
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PROPOSED)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.MANUAL)
    score = models.PositiveSmallIntegerField(_("score when proposed"), null=True, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    proposed_at = models.DateTimeField(_("proposed"), default=timezone.now)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decision_reason = models.TextField(_("reason for the decision"), blank=True)
    de_escalated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                        on_delete=models.PROTECT, related_name="+")
    de_escalated_at = models.DateTimeField(_("de-escalated"), null=True, blank=True)
    de_escalation_reason = models.TextField(_("reason for de-escalation"), blank=True)
    history = HistoricalRecords()

    objects = EscalationQuerySet.as_manager()
    # Deciding is changing: the parent register's owner (as an officer) or a manager decides.
    scope = Scope(organisation="risk__organisation", owners=("to_register__owner",))

    class Meta:
        ordering = ["-proposed_at", "-pk"]
        verbose_name = _("escalation")
        indexes = [models.Index(fields=["to_register", "status"], name="escalation_register_status")]
        constraints = [
            models.UniqueConstraint(
                fields=["risk", "to_register"], condition=Q(status__in=["proposed", "accepted"]),
                name="escalation_one_open_per_register",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.risk.reference}: {self.from_register} → {self.to_register} ({self.get_status_display()})"

    def get_absolute_url(self) -> str:
        return reverse("registers:risk_detail", kwargs={"pk": self.risk_id}) + f"#escalation-{self.pk}"

    def clean(self) -> None:
        if self.from_register_id and self.to_register_id and self.from_register.parent_id != self.to_register_id:
            raise ValidationError({"to_register": _("A risk escalates to the parent of its register.")})

    def _locked(self, expected: str) -> Escalation:
        locked = Escalation.objects.select_for_update().get(pk=self.pk)
        if locked.status != expected:
            raise ValidationError(_("This escalation is already %(status)s; nothing was changed.")
                                  % {"status": locked.get_status_display().lower()})
        return locked

    @transaction.atomic
    def accept(self, *, by, reason: str = "") -> None:
        """The parent register takes the risk: it shows there too, marked as escalated from its register."""
        locked = self._locked(self.Status.PROPOSED)
        self.status, self.decided_by, self.decided_at = self.Status.ACCEPTED, by, timezone.now()
        self.decision_reason = reason
        self.score = locked.score
        self._history_user = by
        self.save()

    @transaction.atomic
    def reject(self, *, by, reason: str) -> None:
        """The parent register declines the risk, saying why."""
        if not reason.strip():
            raise ValidationError({"reason": _("Say why the escalation is rejected.")})
        self._locked(self.Status.PROPOSED)
        self.status, self.decided_by, self.decided_at = self.Status.REJECTED, by, timezone.now()
        self.decision_reason = reason
        self.score = self.risk.current_score
        self._history_user = by
        self.save()

    @transaction.atomic
    def de_escalate(self, *, by, reason: str) -> None:
        """Send an accepted risk back down: it leaves the parent register, its history stays."""
        if not reason.strip():
            raise ValidationError({"reason": _("Say why the risk is de-escalated.")})
        self._locked(self.Status.ACCEPTED)
        # Anything escalated further up from the parent goes back down with it.
        for above in Escalation.objects.filter(risk=self.risk, from_register=self.to_register,
                                               status__in=self.OPEN_STATUSES):
            above.status, above.de_escalated_by, above.de_escalated_at = self.Status.DE_ESCALATED, by, timezone.now()
            above.de_escalation_reason = reason
            above._history_user = by
            above.save()
        self.status, self.de_escalated_by, self.de_escalated_at = self.Status.DE_ESCALATED, by, timezone.now()
        self.de_escalation_reason = reason
        self.score = self.risk.current_score
        self._history_user = by
        self.save()
