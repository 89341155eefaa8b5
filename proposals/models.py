"""Audit proposals and actions: sources, their proposals, the actions that answer them, and their evidence.

A **source** (audit report, scrutiny review, follow-up review, business plan, digital roadmap) belongs
to an organisation or to a partnership, and may be shared with the partnership. Its **proposals**
(P1..P5, "Recommendation 3", "(g)") and their **actions** are reached through it, so one scope
declaration (the source's) decides who sees and changes all of them.

A proposal's status and an action's RAG are derived in the database (``ProposalQuerySet.with_status``,
``ActionQuerySet.with_rag``), so the tracker filters and counts them in SQL and no stored copy can drift.
"""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models, transaction
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from govtrack import deadlines
from govtrack.history import HistoricalRecords
from govtrack.models import ArchivableModel, ScopedModel, ScopedQuerySet, SharedModel, TimeStampedModel
from govtrack.scoping import Scope
from proposals import evidence as evidence_files
from proposals import rag as rag_rule


def _stored_name(instance, folder: str, filename: str) -> str:
    # A random name: nothing about the file (or its record) can be guessed from its storage path.
    extension = evidence_files.extension_for(getattr(instance, "content_type", ""), filename)
    return f"proposals/{folder}/{uuid.uuid4().hex}{extension}"


def upload_source(instance, filename: str) -> str:
    return _stored_name(instance, "sources", filename)


def upload_evidence(instance, filename: str) -> str:
    return _stored_name(instance, "evidence", filename)


class StoredFileMixin(models.Model):
    """A file kept through Django's storage API with the type found in its content, served by a checked view."""

    file = models.FileField(_("file"), upload_to=upload_evidence, blank=True, max_length=200)
    file_name = models.CharField(_("file name"), max_length=200, blank=True, editable=False)
    content_type = models.CharField(_("file type"), max_length=100, blank=True, editable=False)
    file_size = models.PositiveBigIntegerField(_("file size"), null=True, blank=True, editable=False)

    class Meta:
        abstract = True

    def clean_file(self) -> None:
        """Check a newly uploaded file by its content and size, and record what it is."""
        upload = self.file
        if not upload or getattr(upload, "_committed", True):
            return
        try:
            found = evidence_files.inspect(upload, name=upload.name)
        except ValidationError as exc:
            raise ValidationError({"file": exc.messages}) from None
        self.file_name = evidence_files.display_name(upload.name)
        self.content_type, self.file_size = found.content_type, found.size


# -- sources ----------------------------------------------------------------------------------------------


class Source(SharedModel, StoredFileMixin):
    """An audit report, scrutiny review, follow-up review, business plan or digital roadmap."""

    class Kind(models.TextChoices):
        AUDIT_REPORT = "audit_report", _("Audit report")
        SCRUTINY_REVIEW = "scrutiny_review", _("Scrutiny review")
        FOLLOW_UP_REVIEW = "follow_up_review", _("Follow-up review")
        BUSINESS_PLAN = "business_plan", _("Business plan")
        DIGITAL_ROADMAP = "digital_roadmap", _("Digital roadmap")

    #: Kinds whose objectives are the organisation's own plans (P1), with measurable actions.
    PLAN_KINDS = (Kind.BUSINESS_PLAN, Kind.DIGITAL_ROADMAP)

    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices, default=Kind.AUDIT_REPORT)
    issuer = models.CharField(_("issued by"), max_length=200, help_text=_("e.g. Wales Audit Office"))
    reference = models.CharField(_("reference"), max_length=100, blank=True)
    title = models.CharField(_("title"), max_length=300)
    issued_on = models.DateField(_("date issued"))
    summary = models.TextField(_("summary"), blank=True)
    url = models.URLField(_("published at"), blank=True, max_length=500)
    file = models.FileField(_("the report itself"), upload_to=upload_source, blank=True, max_length=200)

    scope = Scope(partnership="partnership")

    class Meta:
        ordering = ["-issued_on", "title"]
        verbose_name = _("source")
        indexes = [models.Index(fields=["organisation", "issued_on"], name="source_org_issued")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("proposals:source_detail", kwargs={"pk": self.pk})

    def clean(self) -> None:
        self.clean_file()

    @property
    def is_plan(self) -> bool:
        return self.kind in self.PLAN_KINDS


# -- proposals --------------------------------------------------------------------------------------------


class ProposalQuerySet(ScopedQuerySet):
    def with_status(self) -> ProposalQuerySet:
        """``status_db``: the status rolled up from the proposal's actions (see ``Proposal.Status``)."""
        live = Action.objects.filter(proposal=OuterRef("pk")).exclude(status=Action.Status.CANCELLED)
        unfinished = live.exclude(status=Action.Status.SIGNED_OFF)
        started = live.filter(Q(progress__gt=0) | ~Q(status=Action.Status.NOT_STARTED))
        S = Proposal.Status
        return self.annotate(status_db=models.Case(
            models.When(decision=Proposal.Decision.CLOSED, then=models.Value(S.CLOSED)),
            models.When(decision=Proposal.Decision.SUPERSEDED, then=models.Value(S.SUPERSEDED)),
            models.When(Exists(live) & ~Exists(unfinished), then=models.Value(S.IMPLEMENTED)),
            models.When(Exists(started), then=models.Value(S.IN_PROGRESS)),
            default=models.Value(S.OPEN),
            output_field=models.CharField(),
        ))

    def with_tracker(self, today: date | None = None) -> ProposalQuerySet:
        """What the tracker shows of each proposal, computed in SQL: status, RAG, % complete, overdue, latest update."""
        today = today or deadlines.today()
        actions = Action.objects.filter(proposal=OuterRef("pk")).exclude(status=Action.Status.CANCELLED)
        worst = actions.open().with_rag(today).order_by("-rag_rank").values("rag_rank")[:1]
        progress = actions.order_by().values("proposal").annotate(p=models.Avg("progress")).values("p")
        count = actions.order_by().values("proposal").annotate(n=models.Count("pk")).values("n")
        earliest_overdue = (actions.open().filter(deadlines.overdue("due_on", today)).order_by("due_on")
                            .values("due_on")[:1])
        latest = ActionUpdate.objects.filter(action__proposal=OuterRef("pk")).order_by("-created_at", "-pk")
        return self.with_status().annotate(
            rag_rank_db=models.Subquery(worst, output_field=models.IntegerField()),
            progress_db=models.Subquery(progress, output_field=models.DecimalField()),
            action_count_db=models.functions.Coalesce(models.Subquery(count, output_field=models.IntegerField()), 0),
            earliest_overdue_db=models.Subquery(earliest_overdue, output_field=models.DateField()),
            latest_update_at=models.Subquery(latest.values("created_at")[:1]),
            latest_update_note=models.Subquery(latest.values("note")[:1]),
            latest_update_forecast=models.Subquery(latest.values("forecast")[:1]),
        )

    def status_is(self, *statuses: str) -> ProposalQuerySet:
        return self.with_status().filter(status_db__in=statuses)

    def rag_is(self, rag: str, today: date | None = None) -> ProposalQuerySet:
        """Proposals whose worst open action has this RAG (those finished count as complete)."""
        queryset = self.with_tracker(today)
        if rag == rag_rule.COMPLETE:
            return queryset.filter(rag_rank_db__isnull=True, status_db__in=Proposal.FINISHED)
        return queryset.filter(rag_rank_db=rag_rule.RANK[rag])

    def overdue(self, today: date | None = None) -> ProposalQuerySet:
        """Proposals with at least one open action past its due date (the kernel's overdue rule)."""
        today = today or deadlines.today()
        late = Action.objects.open().filter(proposal=OuterRef("pk")).filter(deadlines.overdue("due_on", today))
        return self.filter(Exists(late))

    def for_pages(self) -> ProposalQuerySet:
        return self.select_related("source", "source__organisation", "source__partnership", "owner")


class Proposal(ScopedModel, TimeStampedModel, ArchivableModel):
    """A proposal for improvement or recommendation of a source, with the management response."""

    class Priority(models.TextChoices):
        FUNDAMENTAL = "fundamental", _("Fundamental")
        IMPORTANT = "important", _("Important")
        DESIRABLE = "desirable", _("Desirable")
        NOT_GRADED = "", _("Not graded")

    class Response(models.TextChoices):
        AWAITED = "", _("Awaited")
        ACCEPTED = "accepted", _("Accepted")
        PARTLY = "partly", _("Partly accepted")
        NOT_ACCEPTED = "not_accepted", _("Not accepted")

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        IN_PROGRESS = "in_progress", _("In progress")
        IMPLEMENTED = "implemented", _("Implemented")
        SUPERSEDED = "superseded", _("Superseded")
        CLOSED = "closed", _("Closed")

    class Decision(models.TextChoices):
        """What people decide about a proposal; the rest of its status comes from its actions."""

        NONE = "", _("None")
        SUPERSEDED = "superseded", _("Superseded")
        CLOSED = "closed", _("Closed")

    FINISHED = (Status.IMPLEMENTED, Status.SUPERSEDED, Status.CLOSED)

    source = models.ForeignKey(Source, verbose_name=_("source"), on_delete=models.PROTECT, related_name="proposals")
    code = models.CharField(_("code"), max_length=40,
                            help_text=_("As the source numbers it: P1, Recommendation 3, (g)"))
    position = models.PositiveIntegerField(_("order in the source"), default=0)
    title = models.CharField(_("short title"), max_length=300, blank=True)
    text = models.TextField(_("text"))
    priority = models.CharField(_("priority"), max_length=20, choices=Priority.choices, blank=True)
    theme = models.CharField(_("theme"), max_length=100, blank=True)
    response = models.CharField(_("management response"), max_length=20, choices=Response.choices, blank=True)
    response_text = models.TextField(_("response in full"), blank=True)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("owner"), null=True, blank=True,
                              on_delete=models.PROTECT, related_name="owned_proposals")
    follows_up = models.ManyToManyField(
        "self", verbose_name=_("follows up"), symmetrical=False, blank=True, related_name="followed_up_by",
        help_text=_("Proposals of an earlier review that this one follows up."),
    )
    risks = models.ManyToManyField("registers.Risk", verbose_name=_("risks"), blank=True, related_name="proposals")
    systems = models.ManyToManyField("systems_catalogue.System", verbose_name=_("systems"), blank=True,
                                     related_name="proposals")
    agreements = models.ManyToManyField("slas.Agreement", verbose_name=_("SLAs"), blank=True,
                                        related_name="proposals", help_text=_("The SLAs this proposal concerns."))
    decision = models.CharField(_("decision"), max_length=20, choices=Decision.choices, blank=True, editable=False)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("closed by"), null=True, blank=True,
                                   editable=False, on_delete=models.PROTECT, related_name="+")
    decided_on = models.DateField(_("closed on"), null=True, blank=True, editable=False)
    decision_note = models.TextField(_("reason"), blank=True, editable=False)
    history = HistoricalRecords(m2m_fields=["follows_up", "risks", "systems", "agreements"])

    objects = ProposalQuerySet.as_manager()
    scope = Scope(organisation="source__organisation", partnership="source__partnership", parent="source",
                  owners=("owner",))
    same_organisation = ("owner", "follows_up", "risks", "systems", "agreements")

    class Meta:
        ordering = ["source_id", "position", "code"]
        verbose_name = _("proposal")
        constraints = [models.UniqueConstraint(fields=["source", "code"], name="proposal_code_unique")]

    def __str__(self) -> str:
        return f"{self.code} {self.title or self.text[:60]}".strip()

    def get_absolute_url(self) -> str:
        return reverse("proposals:proposal_detail", kwargs={"pk": self.pk})

    def link_errors(self, values: dict | None = None, *, exclude=None, fields=None) -> dict[str, str]:
        errors = super().link_errors(values, exclude=exclude, fields=fields)
        earlier = [p for p in (values or {}).get("follows_up") or [] if p.pk == self.pk or (
            p.source_id == self.source_id or (self.source_id and p.source.issued_on > self.source.issued_on))]
        if earlier and "follows_up" not in errors:
            errors["follows_up"] = _("A proposal follows up one of an earlier source, not %(p)s.") % {"p": earlier[0]}
        return errors

    @property
    def status(self) -> str:
        """The rolled-up status (annotated by ``with_status`` on lists; asked of the database otherwise)."""
        if not hasattr(self, "status_db"):
            self.status_db = Proposal.objects.with_status().filter(pk=self.pk).values_list("status_db", flat=True)[0]
        return self.status_db

    def get_status_display(self) -> str:
        return str(self.Status(self.status).label)

    @property
    def is_finished(self) -> bool:
        return self.status in self.FINISHED

    @transaction.atomic
    def close(self, *, by, on: date, note: str = "", superseded: bool = False) -> None:
        """Close (or mark superseded) with a named person and a date; refused while an action is open."""
        locked = Proposal.objects.select_for_update().get(pk=self.pk)
        if locked.decision:
            raise ValidationError(_("This proposal is already %(d)s.") % {"d": locked.get_decision_display().lower()})
        if by is None or on is None:
            raise ValidationError(_("Closing a proposal needs the person closing it and the date."))
        if on > timezone.localdate():
            raise ValidationError({"on": _("A proposal cannot be closed on a future date.")})
        still_open = list(self.actions.open().values_list("description", flat=True)[:3])
        if still_open and not superseded:
            raise ValidationError(_("Close or cancel its open actions first: %(a)s.") % {
                "a": "; ".join(d[:60] for d in still_open)})
        self.decision = self.Decision.SUPERSEDED if superseded else self.Decision.CLOSED
        self.decided_by, self.decided_on, self.decision_note = by, on, note
        self._history_user = by
        self.save(update_fields=["decision", "decided_by", "decided_on", "decision_note", "updated_at"])
        self.__dict__.pop("status_db", None)

    @transaction.atomic
    def reopen(self, *, by, note: str = "") -> None:
        """Undo a closure: the status is rolled up from the actions again."""
        self.decision, self.decided_by, self.decided_on, self.decision_note = "", None, None, note
        self._history_user = by
        self.save(update_fields=["decision", "decided_by", "decided_on", "decision_note", "updated_at"])
        self.__dict__.pop("status_db", None)


# -- actions ----------------------------------------------------------------------------------------------


class ActionQuerySet(ScopedQuerySet):
    def open(self) -> ActionQuerySet:
        """Actions still to finish: not completed, signed off or cancelled, and not archived."""
        return self.filter(archived_at__isnull=True, status__in=Action.OPEN_STATUSES)

    def overdue(self, today: date | None = None) -> ActionQuerySet:
        """Open actions past their due date, by the kernel's one overdue rule."""
        return self.open().filter(deadlines.overdue("due_on", today))

    def with_rag(self, today: date | None = None) -> ActionQuerySet:
        """``rag_rank`` (see ``proposals.rag``) computed in the database."""
        return self.annotate(rag_rank=rag_rule.rank_expression(today or deadlines.today()))

    def for_pages(self) -> ActionQuerySet:
        return self.select_related("proposal", "proposal__source", "owner", "signed_off_by")


class Action(ScopedModel, TimeStampedModel, ArchivableModel):
    """What will be done about a proposal: owner, due date (revisions kept), progress, evidence, a target."""

    class Status(models.TextChoices):
        NOT_STARTED = "not_started", _("Not started")
        IN_PROGRESS = "in_progress", _("In progress")
        COMPLETED = "completed", _("Completed, awaiting sign-off")
        SIGNED_OFF = "signed_off", _("Signed off")
        CANCELLED = "cancelled", _("Cancelled")

    OPEN_STATUSES = (Status.NOT_STARTED, Status.IN_PROGRESS)

    proposal = models.ForeignKey(Proposal, verbose_name=_("proposal"), on_delete=models.PROTECT,
                                 related_name="actions")
    description = models.TextField(_("what will be done"))
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("owner"), null=True, blank=True,
                              on_delete=models.PROTECT, related_name="owned_proposal_actions")
    original_due_on = models.DateField(_("originally due"), null=True, blank=True, editable=False)
    due_on = models.DateField(_("due"), null=True, blank=True)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0, editable=False,
                                                validators=[MaxValueValidator(100)])
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.NOT_STARTED,
                              editable=False)
    forecast = models.CharField(_("owner's forecast"), max_length=20, choices=rag_rule.Forecast.choices,
                                blank=True, editable=False)
    completed_on = models.DateField(_("completed on"), null=True, blank=True, editable=False)
    signed_off_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("signed off by"), null=True,
                                      blank=True, editable=False, on_delete=models.PROTECT, related_name="+")
    signed_off_on = models.DateField(_("signed off on"), null=True, blank=True, editable=False)
    # A measurable target (P1: "clear and measurable actions"), for business-plan and roadmap actions.
    metric = models.CharField(_("measure"), max_length=200, blank=True)
    unit = models.CharField(_("unit"), max_length=40, blank=True, help_text=_("e.g. %, days, £"))
    baseline = models.DecimalField(_("baseline"), max_digits=14, decimal_places=2, null=True, blank=True)
    target = models.DecimalField(_("target"), max_digits=14, decimal_places=2, null=True, blank=True)
    actual = models.DecimalField(_("actual"), max_digits=14, decimal_places=2, null=True, blank=True)
    history = HistoricalRecords()

    objects = ActionQuerySet.as_manager()
    scope = Scope(organisation="proposal__source__organisation", partnership="proposal__source__partnership",
                  parent="proposal", owners=("owner", "proposal__owner"))
    same_organisation = ("owner",)

    class Meta:
        ordering = ["proposal_id", "due_on", "pk"]
        verbose_name = _("action")
        indexes = [models.Index(fields=["status", "due_on"], name="proposal_action_status_due")]

    def __str__(self) -> str:
        return self.description[:80]

    def get_absolute_url(self) -> str:
        return reverse("proposals:action_detail", kwargs={"pk": self.pk})

    def clean(self) -> None:
        errors = {}
        if self.metric and (self.target is None):
            errors["target"] = _("A measure needs a target.")
        if (self.baseline is not None or self.target is not None or self.actual is not None) and not self.metric:
            errors["metric"] = _("Say what is measured.")
        if self.pk and self._saved_due_on() != self.due_on:
            errors["due_on"] = _("Revise the due date with a reason (the original date stays visible).")
        if errors:
            raise ValidationError(errors)

    def _saved_due_on(self) -> date | None:
        return Action._base_manager.filter(pk=self.pk).values_list("due_on", flat=True).first()

    def save(self, *args, **kwargs):
        # Bookkeeping like ``version``: the first due date is kept beside every revision.
        if self._state.adding and self.original_due_on is None:
            self.original_due_on = self.due_on
        super().save(*args, **kwargs)

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES and not self.is_archived

    def is_overdue(self, today: date | None = None) -> bool:
        return deadlines.is_overdue(self.due_on, today, finished=not self.is_open)

    def days_overdue(self, today: date | None = None) -> int:
        return deadlines.days_overdue(self.due_on, today, finished=not self.is_open)

    @property
    def rag(self) -> str:
        """The committee's RAG (``with_rag`` annotates lists; a single record asks the database)."""
        if self.status not in self.OPEN_STATUSES:
            return rag_rule.COMPLETE if self.status != self.Status.CANCELLED else ""
        if not hasattr(self, "rag_rank"):
            self.rag_rank = Action.objects.with_rag().filter(pk=self.pk).values_list("rag_rank", flat=True)[0]
        return rag_rule.NAME[self.rag_rank]

    @property
    def was_revised(self) -> bool:
        return self.original_due_on != self.due_on

    @property
    def target_progress(self) -> Decimal | None:
        return rag_rule.share_of_target(baseline=self.baseline, target=self.target, actual=self.actual)

    def _locked(self) -> Action:
        return Action.objects.select_for_update().get(pk=self.pk)

    @transaction.atomic
    def revise_due_date(self, *, new_due_on: date, reason: str, by) -> DueDateRevision:
        """Move the due date, saying why; the original and every revision stay visible."""
        locked = self._locked()
        if not (reason or "").strip():
            raise ValidationError({"reason": _("Say why the due date moves.")})
        if new_due_on is None:
            raise ValidationError({"new_due_on": _("Give the new due date.")})
        if new_due_on == locked.due_on:
            raise ValidationError({"new_due_on": _("That is already the due date.")})
        if locked.status not in self.OPEN_STATUSES:
            raise ValidationError(_("Only an open action's due date can be revised."))
        revision = DueDateRevision(action=self, previous_due_on=locked.due_on, new_due_on=new_due_on,
                                   reason=reason.strip(), revised_by=by)
        revision.full_clean(exclude=["action"])
        revision.save()
        self.due_on = new_due_on
        if self.original_due_on is None:
            self.original_due_on = locked.due_on
        self._history_user = by
        self._change_reason = f"Due date revised: {reason.strip()}"[:100]
        self.save(update_fields=["due_on", "original_due_on", "updated_at"])
        return revision

    @transaction.atomic
    def record_update(self, *, by, progress: int, forecast: str, note: str = "", actual: Decimal | None = None,
                      for_meeting_on: date | None = None) -> ActionUpdate:
        """Keep the owner's update (progress, forecast, what was done); never overwrites an earlier one."""
        locked = self._locked()
        if locked.status not in self.OPEN_STATUSES:
            raise ValidationError(_("This action is %(s)s: reopen it to update it.") % {
                "s": locked.get_status_display().lower()})
        update = ActionUpdate(action=self, written_by=by, progress=progress, forecast=forecast, note=note,
                              actual=actual, for_meeting_on=for_meeting_on)
        update.full_clean(exclude=["action"])
        update.save()
        self.progress, self.forecast = progress, forecast
        if actual is not None:
            self.actual = actual
        if progress >= 100:
            self.status, self.completed_on = self.Status.COMPLETED, timezone.localdate()
        elif progress > 0:
            self.status = self.Status.IN_PROGRESS
        self._history_user = by
        self.save(update_fields=["progress", "forecast", "actual", "status", "completed_on", "updated_at"])
        self.__dict__.pop("rag_rank", None)
        return update

    @transaction.atomic
    def sign_off(self, *, by, on: date | None = None) -> None:
        """Confirm a completed action is done: by someone other than its owner, with evidence attached."""
        locked = self._locked()
        on = on or timezone.localdate()
        if locked.status != self.Status.COMPLETED:
            raise ValidationError(_("Only a completed action can be signed off (it is %(s)s).") % {
                "s": locked.get_status_display().lower()})
        if by is None:
            raise ValidationError(_("Signing off needs a named person."))
        if by.pk == locked.owner_id:
            raise ValidationError(_("Nobody signs off their own action: ask someone else to check it."))
        if not self.evidence.active().exists():
            raise ValidationError(_("Attach evidence (a file or a link) before the action is signed off."))
        self.status, self.signed_off_by, self.signed_off_on = self.Status.SIGNED_OFF, by, on
        self._history_user = by
        self.save(update_fields=["status", "signed_off_by", "signed_off_on", "updated_at"])

    @transaction.atomic
    def cancel(self, *, by, reason: str) -> None:
        """Stop an action that is no longer needed, saying why."""
        if not (reason or "").strip():
            raise ValidationError({"reason": _("Say why the action is cancelled.")})
        self._locked()
        self.status = self.Status.CANCELLED
        self._history_user = by
        self._change_reason = f"Cancelled: {reason.strip()}"[:100]
        self.save(update_fields=["status", "updated_at"])

    @transaction.atomic
    def reopen(self, *, by, reason: str) -> None:
        """Send a completed, signed-off or cancelled action back to work."""
        if not (reason or "").strip():
            raise ValidationError({"reason": _("Say why the action is reopened.")})
        locked = self._locked()
        if locked.status in self.OPEN_STATUSES:
            raise ValidationError(_("This action is already open."))
        self.status = self.Status.IN_PROGRESS if locked.progress else self.Status.NOT_STARTED
        if self.progress >= 100:
            self.progress = 90
        self.signed_off_by = self.signed_off_on = self.completed_on = None
        self._history_user = by
        self._change_reason = f"Reopened: {reason.strip()}"[:100]
        self.save(update_fields=["status", "progress", "signed_off_by", "signed_off_on", "completed_on",
                                 "updated_at"])


class DueDateRevision(ScopedModel):
    """One move of an action's due date, with the reason; never edited."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="revisions")
    previous_due_on = models.DateField(_("was due"), null=True, blank=True)
    new_due_on = models.DateField(_("now due"))
    reason = models.TextField(_("reason"))
    revised_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("revised by"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("revised"), auto_now_add=True)

    scope = Scope(organisation="action__proposal__source__organisation",
                  partnership="action__proposal__source__partnership", parent="action")

    class Meta:
        ordering = ["action_id", "created_at", "pk"]
        verbose_name = _("due date revision")

    def __str__(self) -> str:
        return f"{self.previous_due_on} → {self.new_due_on}"


class ActionUpdate(ScopedModel):
    """An owner's update before a meeting: progress, forecast and what was done, kept as said."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="updates")
    written_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("by"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    progress = models.PositiveSmallIntegerField(_("progress (%)"), validators=[MaxValueValidator(100)])
    forecast = models.CharField(_("will it finish on time?"), max_length=20, choices=rag_rule.Forecast.choices)
    note = models.TextField(_("what has been done"), blank=True)
    actual = models.DecimalField(_("actual"), max_digits=14, decimal_places=2, null=True, blank=True)
    for_meeting_on = models.DateField(_("for the meeting on"), null=True, blank=True)
    created_at = models.DateTimeField(_("written"), auto_now_add=True)

    scope = Scope(organisation="action__proposal__source__organisation",
                  partnership="action__proposal__source__partnership", parent="action")

    class Meta:
        ordering = ["action_id", "-created_at", "-pk"]
        verbose_name = _("update")
        indexes = [models.Index(fields=["action", "created_at"], name="action_update_latest")]

    def __str__(self) -> str:
        return f"{self.progress}% ({self.get_forecast_display()})"


class UpdateRequestQuerySet(ScopedQuerySet):
    def unanswered(self) -> UpdateRequestQuerySet:
        """Requests whose action is still open and has no update given for that meeting yet."""
        answered = ActionUpdate.objects.filter(action=models.OuterRef("action"),
                                               for_meeting_on=models.OuterRef("meeting_on"))
        return self.filter(action__archived_at__isnull=True, action__status__in=Action.OPEN_STATUSES).exclude(
            models.Exists(answered))


class UpdateRequest(ScopedModel):
    """An owner asked for an update on their action before a meeting; an update for that meeting answers it."""

    action = models.ForeignKey(Action, verbose_name=_("action"), on_delete=models.CASCADE,
                               related_name="update_requests")
    meeting_on = models.DateField(_("for the meeting on"))
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("asked by"), null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("asked"), auto_now_add=True)

    scope = Scope(organisation="action__proposal__source__organisation",
                  partnership="action__proposal__source__partnership", parent="action")

    objects = UpdateRequestQuerySet.as_manager()

    class Meta:
        ordering = ["meeting_on", "pk"]
        verbose_name = _("update request")
        constraints = [models.UniqueConstraint(fields=["action", "meeting_on"], name="update_request_once")]

    def __str__(self) -> str:
        return f"{self.action} ({self.meeting_on})"


class EvidenceQuerySet(ScopedQuerySet):
    pass


class Evidence(ScopedModel, TimeStampedModel, ArchivableModel, StoredFileMixin):
    """A file or a link that shows an action was done; a file is served only through the checked view."""

    action = models.ForeignKey(Action, verbose_name=_("action"), on_delete=models.PROTECT, related_name="evidence")
    title = models.CharField(_("title"), max_length=200)
    url = models.URLField(_("link"), blank=True, max_length=500)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("added by"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+")
    history = HistoricalRecords()

    objects = EvidenceQuerySet.as_manager()
    scope = Scope(organisation="action__proposal__source__organisation",
                  partnership="action__proposal__source__partnership", parent="action",
                  owners=("action__owner", "action__proposal__owner"))

    class Meta:
        ordering = ["action_id", "created_at", "pk"]
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("proposals:action_detail", kwargs={"pk": self.action_id}) + f"#evidence-{self.pk}"

    def download_url(self) -> str:
        return reverse("proposals:evidence_file", kwargs={"pk": self.pk})

    def clean(self) -> None:
        self.clean_file()
        if not self.file and not self.url:
            raise ValidationError(_("Attach a file or give a link."))
        if self.file and self.url:
            raise ValidationError({"url": _("Give a file or a link, not both: add the other as more evidence.")})


# -- benefits realisation (2012 recommendations 4 and 5) --------------------------------------------------


class BusinessCase(SharedModel):
    """A technology project's business case: what it cost and the benefits it promised."""

    title = models.CharField(_("project"), max_length=300)
    system = models.ForeignKey("systems_catalogue.System", verbose_name=_("system"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="business_cases")
    proposal = models.ForeignKey(Proposal, verbose_name=_("answers proposal"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="business_cases")
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("owner"), null=True, blank=True,
                              on_delete=models.PROTECT, related_name="+")
    approved_on = models.DateField(_("approved on"), null=True, blank=True)
    go_live_on = models.DateField(_("went live"), null=True, blank=True)
    cost = models.DecimalField(_("cost (£)"), max_digits=14, decimal_places=2, null=True, blank=True)
    summary = models.TextField(_("summary"), blank=True)

    scope = Scope(partnership="partnership", owners=("owner",))
    same_organisation = ("system", "proposal", "owner")

    class Meta:
        ordering = ["-approved_on", "title"]
        verbose_name = _("business case")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("proposals:business_case_detail", kwargs={"pk": self.pk})

    def clean(self) -> None:
        if self.approved_on and self.go_live_on and self.go_live_on < self.approved_on:
            raise ValidationError({"go_live_on": _("A project goes live after its business case is approved.")})


class Benefit(ScopedModel, TimeStampedModel):
    """An expected benefit of a business case (a saving or a measure), with its actual after go-live."""

    class Kind(models.TextChoices):
        SAVING = "saving", _("Cash saving (£ a year)")
        MEASURE = "measure", _("Measure")

    business_case = models.ForeignKey(BusinessCase, on_delete=models.CASCADE, related_name="benefits")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.MEASURE)
    description = models.CharField(_("benefit"), max_length=300)
    unit = models.CharField(_("unit"), max_length=40, blank=True)
    baseline = models.DecimalField(_("baseline"), max_digits=14, decimal_places=2, null=True, blank=True)
    target = models.DecimalField(_("promised"), max_digits=14, decimal_places=2)
    actual = models.DecimalField(_("actual"), max_digits=14, decimal_places=2, null=True, blank=True)
    measured_on = models.DateField(_("measured on"), null=True, blank=True)
    history = HistoricalRecords()

    scope = Scope(organisation="business_case__organisation", partnership="business_case__partnership",
                  parent="business_case")

    class Meta:
        ordering = ["business_case_id", "pk"]
        verbose_name = _("benefit")

    def __str__(self) -> str:
        return self.description

    def clean(self) -> None:
        if self.actual is not None and self.measured_on is None:
            raise ValidationError({"measured_on": _("Say when the actual was measured.")})

    @property
    def realised(self) -> Decimal | None:
        """How much of the promised change has been delivered (1 = all of it)."""
        return rag_rule.share_of_target(baseline=self.baseline, target=self.target, actual=self.actual)
