"""Boards and committees: their members and declared interests, meetings, agenda items, papers and decisions.

The 2016 review (proposal P2) asked Monmouthshire to review the Digital Board's membership "to ensure
no conflicts of interest"; the 2022 SRS review found no single repository of board documents and
decisions. A ``Board`` belongs to an organisation (its Digital Board, a select committee) or to a
partnership (an SRS board); everything under it (members, interests, meetings, agenda items, papers,
decisions) is reached through it, so it is seen and changed by the board's rule.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from govtrack import deadlines
from govtrack.history import HistoricalRecords
from govtrack.models import (
    ArchivableModel,
    ScopedModel,
    ScopedQuerySet,
    SharedModel,
    TimeStampedModel,
    partner_organisation_ids,
)
from govtrack.roles import MANAGE_ROLES
from govtrack.scoping import Scope
from proposals.models import Action, Proposal

#: How often a board's membership is reviewed when the board says nothing else.
DEFAULT_REVIEW_INTERVAL_DAYS = 365


def _not_after_today(value: date | None, field: str, message) -> dict:
    return {field: message} if value and value > timezone.localdate() else {}


class BoardQuerySet(ScopedQuerySet):
    def membership_review_overdue(self, today: date | None = None) -> BoardQuerySet:
        """Boards whose membership review date has passed (the kernel's one overdue rule)."""
        return self.filter(deadlines.overdue("membership_review_due_on", today))

    def membership_review_due(self, *, within_days: int = 0, today: date | None = None) -> BoardQuerySet:
        """Boards whose review is overdue, falls within ``within_days``, or was never scheduled."""
        today = today or deadlines.today()
        return self.filter(Q(membership_review_due_on__isnull=True)
                           | Q(membership_review_due_on__lte=today + timedelta(days=within_days)))

    def for_pages(self) -> BoardQuerySet:
        return self.select_related("organisation", "partnership", "secretary")


class Board(SharedModel):
    """A board or committee of an organisation, or of a partnership when it has no organisation."""

    class Kind(models.TextChoices):
        DIGITAL_BOARD = "digital_board", _("Digital board")
        SELECT_COMMITTEE = "select_committee", _("Select or scrutiny committee")
        PARTNERSHIP_BOARD = "partnership_board", _("Partnership board")
        AUDIT_COMMITTEE = "audit_committee", _("Audit committee")
        OTHER = "other", _("Other board or committee")

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=80)
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices, default=Kind.DIGITAL_BOARD)
    purpose = models.TextField(_("purpose"), blank=True, help_text=_("What the board oversees or decides."))
    secretary = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("secretary"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+", help_text=_("The officer who keeps the board's members, meetings and decisions."),
    )
    review_interval_days = models.PositiveIntegerField(
        _("membership review every (days)"), default=DEFAULT_REVIEW_INTERVAL_DAYS,
        validators=[MinValueValidator(1), MaxValueValidator(3660)],
    )
    membership_reviewed_on = models.DateField(_("membership last reviewed"), null=True, blank=True)
    membership_review_due_on = models.DateField(
        _("membership review due"), null=True, blank=True,
        help_text=_("When the membership is next reviewed for conflicts of interest."),
    )
    moderngov_site = models.URLField(
        _("modern.gov site"), blank=True, max_length=300,
        help_text=_("The council's committee site, e.g. https://democracy.monmouthshire.gov.uk"),
    )
    moderngov_committee_id = models.PositiveIntegerField(
        _("modern.gov committee number"), null=True, blank=True, validators=[MaxValueValidator(2**31 - 1)],
    )

    objects = BoardQuerySet.as_manager()
    scope = Scope(partnership="partnership", owners=("secretary",), create=MANAGE_ROLES)
    same_organisation = ("secretary",)

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("board")
        verbose_name_plural = _("boards")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "slug"], condition=Q(organisation__isnull=False),
                                    name="board_slug_unique_per_organisation"),
            models.UniqueConstraint(fields=["partnership", "slug"], condition=Q(organisation__isnull=True),
                                    name="board_slug_unique_per_partnership"),
        ]
        indexes = [models.Index(fields=["membership_review_due_on"], name="board_review_due")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("boards:board_detail", kwargs={"pk": self.pk})

    @property
    def owner_label(self) -> str:
        """Whose board this is: the organisation's, or the partnership's."""
        return str(self.organisation) if self.organisation_id else str(self.partnership)

    def clean(self) -> None:
        errors = _not_after_today(self.membership_reviewed_on, "membership_reviewed_on",
                                  _("A review cannot be recorded in the future."))
        if self.slug:
            same = Board.objects.filter(slug=self.slug).exclude(pk=self.pk)
            same = (same.filter(organisation_id=self.organisation_id) if self.organisation_id
                    else same.filter(organisation__isnull=True, partnership_id=self.partnership_id))
            if same.exists():
                errors["slug"] = _("Another board here already has this slug.")
        if bool(self.moderngov_site) != bool(self.moderngov_committee_id):
            errors["moderngov_committee_id" if self.moderngov_site else "moderngov_site"] = _(
                "Give both the modern.gov site and the committee number, or neither.")
        if errors:
            raise ValidationError(errors)

    def is_review_overdue(self, today: date | None = None) -> bool:
        return deadlines.is_overdue(self.membership_review_due_on, today)

    def review_days_overdue(self, today: date | None = None) -> int:
        return deadlines.days_overdue(self.membership_review_due_on, today)

    def record_membership_review(self, *, by, reviewed_on: date, note: str = "",
                                 next_due_on: date | None = None) -> MembershipReview:
        """Record that the membership was reviewed for conflicts; the next review falls due after the interval."""
        next_due_on = next_due_on or reviewed_on + timedelta(days=self.review_interval_days)
        review = MembershipReview(board=self, reviewed_on=reviewed_on, reviewed_by=by, note=note,
                                  next_due_on=next_due_on)
        review.full_clean()
        with transaction.atomic():
            review.save()
            self.membership_reviewed_on = reviewed_on
            self.membership_review_due_on = next_due_on
            self._history_user = by
            self.save(update_fields=["membership_reviewed_on", "membership_review_due_on", "updated_at"])
        return review

    @property
    def is_linked_to_moderngov(self) -> bool:
        return bool(self.moderngov_site and self.moderngov_committee_id)


def _under_board(path: str, **kwargs) -> Scope:
    """Records reached through their board: seen and changed by the board's rule, kept by its secretary."""
    prefix = f"{path}__" if path != "board" else ""
    board = f"{prefix}board" if path != "board" else "board"
    return Scope(organisation=f"{board}__organisation", partnership=f"{board}__partnership",
                 owners=(f"{board}__secretary", *kwargs.pop("owners", ())), **kwargs)


class BoardMemberQuerySet(ScopedQuerySet):
    def current(self, today: date | None = None) -> BoardMemberQuerySet:
        """Members sitting on the board today: joined, not left, not archived."""
        today = today or deadlines.today()
        return self.active().filter(Q(joined_on__isnull=True) | Q(joined_on__lte=today)).filter(
            Q(left_on__isnull=True) | Q(left_on__gt=today))


class BoardMember(ScopedModel, TimeStampedModel, ArchivableModel):
    """A seat on a board: a person with an account, or a named outsider, and whom they represent."""

    class Role(models.TextChoices):
        CHAIR = "chair", _("Chair")
        CABINET_MEMBER = "cabinet_member", _("Cabinet member")
        COUNCILLOR = "councillor", _("Councillor")
        OFFICER = "officer", _("Officer")
        REPRESENTATIVE = "representative", _("Representative of a partner or provider")
        ADVISER = "adviser", _("Adviser")
        OBSERVER = "observer", _("Observer")

    board = models.ForeignKey(Board, verbose_name=_("board"), on_delete=models.PROTECT, related_name="members")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("person"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="board_seats", help_text=_("Leave empty for someone without a govtrack account, and name them."),
    )
    name = models.CharField(_("name"), max_length=200, blank=True)
    role = models.CharField(_("role"), max_length=30, choices=Role.choices, default=Role.OFFICER)
    title = models.CharField(_("title"), max_length=200, blank=True,
                             help_text=_("For example: Cabinet member for resources."))
    represents = models.ForeignKey(
        "govtrack.Organisation", verbose_name=_("represents"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+", help_text=_("The organisation the member sits for, when it is in govtrack."),
    )
    represents_name = models.CharField(
        _("represents (name)"), max_length=200, blank=True,
        help_text=_("The body the member sits for when it is not in govtrack, e.g. a community interest company."),
    )
    joined_on = models.DateField(_("joined"), null=True, blank=True)
    left_on = models.DateField(_("left"), null=True, blank=True)
    history = HistoricalRecords()

    objects = BoardMemberQuerySet.as_manager()
    scope = _under_board("board", parent="board")

    class Meta:
        ordering = ["board_id", "role", "name", "pk"]
        verbose_name = _("board member")
        verbose_name_plural = _("board members")
        constraints = [
            models.CheckConstraint(condition=Q(left_on__isnull=True) | Q(joined_on__isnull=True)
                                   | Q(left_on__gt=models.F("joined_on")), name="board_member_leaves_after_joining"),
        ]

    def __str__(self) -> str:
        return self.display_name

    def get_absolute_url(self) -> str:
        return f"{self.board.get_absolute_url()}#member-{self.pk}"

    @property
    def display_name(self) -> str:
        if self.person_id:
            return self.person.get_full_name() or self.person.username
        return self.name

    @property
    def represents_label(self) -> str:
        return str(self.represents) if self.represents_id else self.represents_name

    def is_current(self, today: date | None = None) -> bool:
        today = today or deadlines.today()
        return (self.archived_at is None and (self.joined_on is None or self.joined_on <= today)
                and (self.left_on is None or self.left_on > today))

    def clean(self) -> None:
        errors: dict = {}
        if not self.person_id and not (self.name or "").strip():
            errors["name"] = _("Choose a person or give the member's name.")
        if self.left_on and self.joined_on and self.left_on <= self.joined_on:
            errors["left_on"] = _("A member leaves after the date they joined.")
        if not self.board_id:
            raise ValidationError(errors) if errors else ValidationError({"board": _("Choose the board.")})
        board_orgs = self.board.link_organisation_ids()
        if self.represents_id and self.represents_id not in partner_organisation_ids(board_orgs):
            errors["represents"] = _("%(org)s is not a partner of this board's organisation.") % {
                "org": self.represents}
        elif self.person_id and "represents" not in errors:
            from govtrack.people import members_of

            allowed = board_orgs | ({self.represents_id} if self.represents_id else set())
            if not members_of(allowed).filter(pk=self.person_id).exists():
                errors["person"] = _("%(person)s is not an active member of this board's organisation or of the "
                                     "organisation they represent.") % {"person": self.person.get_full_name()
                                                                        or self.person.username}
        if errors:
            raise ValidationError(errors)


class DeclaredInterestQuerySet(ScopedQuerySet):
    def current(self, today: date | None = None) -> DeclaredInterestQuerySet:
        today = today or deadlines.today()
        return self.active().filter(Q(ended_on__isnull=True) | Q(ended_on__gt=today))


class DeclaredInterest(ScopedModel, TimeStampedModel, ArchivableModel):
    """What a member declared: a job, directorship, shareholding or tie to a company or body."""

    class Kind(models.TextChoices):
        EMPLOYMENT = "employment", _("Employment")
        DIRECTORSHIP = "directorship", _("Directorship or trusteeship")
        SHAREHOLDING = "shareholding", _("Shares or ownership")
        CONTRACT = "contract", _("Contract for services")
        FAMILY = "family", _("Close family member's interest")
        OTHER = "other", _("Other interest")

    member = models.ForeignKey(BoardMember, verbose_name=_("member"), on_delete=models.PROTECT,
                               related_name="interests")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.EMPLOYMENT)
    company = models.CharField(_("company or body"), max_length=200, blank=True,
                               help_text=_("As the member declared it."))
    supplier = models.ForeignKey(
        "systems_catalogue.Supplier", verbose_name=_("supplier in the catalogue"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
        help_text=_("The catalogue's supplier record this interest is in, so conflicts are found."),
    )
    description = models.TextField(_("details"), blank=True)
    declared_on = models.DateField(_("declared"), default=timezone.localdate)
    ended_on = models.DateField(_("ended"), null=True, blank=True)
    history = HistoricalRecords()

    objects = DeclaredInterestQuerySet.as_manager()
    scope = _under_board("member", parent="member", owners=("member__person",))
    same_organisation = ("supplier",)

    class Meta:
        ordering = ["member_id", "-declared_on", "pk"]
        verbose_name = _("declared interest")
        verbose_name_plural = _("declared interests")

    def __str__(self) -> str:
        return self.company or str(self.supplier or "")

    def get_absolute_url(self) -> str:
        return f"{self.member.board.get_absolute_url()}#member-{self.member_id}"

    def clean(self) -> None:
        errors = _not_after_today(self.declared_on, "declared_on", _("An interest cannot be declared in the future."))
        if not self.supplier_id and not (self.company or "").strip():
            errors["company"] = _("Name the company or body, or choose the supplier from the catalogue.")
        if self.ended_on and self.declared_on and self.ended_on < self.declared_on:
            errors["ended_on"] = _("An interest ends after it was declared.")
        if errors:
            raise ValidationError(errors)


class MembershipReview(ScopedModel, TimeStampedModel):
    """A dated review of a board's membership for conflicts of interest; kept, never edited."""

    board = models.ForeignKey(Board, verbose_name=_("board"), on_delete=models.PROTECT, related_name="reviews")
    reviewed_on = models.DateField(_("reviewed on"), default=timezone.localdate)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("reviewed by"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    note = models.TextField(_("what the review found"), blank=True)
    next_due_on = models.DateField(_("next review due"))
    history = HistoricalRecords()

    scope = _under_board("board", parent="board")

    class Meta:
        ordering = ["board_id", "-reviewed_on", "-pk"]
        verbose_name = _("membership review")
        verbose_name_plural = _("membership reviews")

    def __str__(self) -> str:
        return f"{self.board} – {self.reviewed_on}"

    def clean(self) -> None:
        errors = _not_after_today(self.reviewed_on, "reviewed_on", _("A review cannot be recorded in the future."))
        if self.reviewed_on and self.next_due_on and self.next_due_on <= self.reviewed_on:
            errors["next_due_on"] = _("The next review falls after this one.")
        if errors:
            raise ValidationError(errors)


class MeetingQuerySet(ScopedQuerySet):
    def upcoming(self, today: date | None = None) -> MeetingQuerySet:
        """Meetings from today on that are not cancelled, soonest first."""
        today = today or deadlines.today()
        return (self.active().filter(held_on__gte=today).exclude(status=Meeting.Status.CANCELLED)
                .order_by("held_on", "starts_at", "pk"))

    def for_pages(self) -> MeetingQuerySet:
        return self.select_related("board", "board__organisation", "board__partnership")


class Meeting(ScopedModel, TimeStampedModel, ArchivableModel):
    """A meeting of a board: date, place, agenda, papers, minutes and the decisions taken."""

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        HELD = "held", _("Held")
        CANCELLED = "cancelled", _("Cancelled")

    board = models.ForeignKey(Board, verbose_name=_("board"), on_delete=models.PROTECT, related_name="meetings")
    title = models.CharField(_("title"), max_length=200, blank=True)
    held_on = models.DateField(_("date"))
    starts_at = models.TimeField(_("time"), null=True, blank=True)
    location = models.CharField(_("location"), max_length=300, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.SCHEDULED)
    minutes = models.TextField(_("minutes"), blank=True)
    minutes_approved_on = models.DateField(_("minutes approved"), null=True, blank=True)
    papers_url = models.URLField(_("papers online"), blank=True, max_length=500,
                                 help_text=_("The committee system's page of this meeting's papers."))
    moderngov_id = models.PositiveIntegerField(_("modern.gov meeting number"), null=True, blank=True, editable=False)
    history = HistoricalRecords()

    objects = MeetingQuerySet.as_manager()
    scope = _under_board("board", parent="board")

    class Meta:
        ordering = ["board_id", "-held_on", "pk"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        indexes = [models.Index(fields=["held_on"], name="meeting_held_on")]
        constraints = [
            models.UniqueConstraint(fields=["board", "moderngov_id"], condition=Q(moderngov_id__isnull=False),
                                    name="meeting_moderngov_unique_per_board"),
        ]

    def __str__(self) -> str:
        label = self.title or str(self.board)
        return f"{label}, {self.held_on:%d/%m/%Y}" if self.held_on else label

    def get_absolute_url(self) -> str:
        return reverse("boards:meeting_detail", kwargs={"pk": self.pk})

    def clean(self) -> None:
        errors = {}
        if self.minutes_approved_on and self.held_on and self.minutes_approved_on < self.held_on:
            errors["minutes_approved_on"] = _("Minutes are approved after the meeting.")
        if self.status == self.Status.HELD and self.held_on and self.held_on > timezone.localdate():
            errors["status"] = _("A meeting in the future has not been held yet.")
        if errors:
            raise ValidationError(errors)


class AgendaItem(ScopedModel, TimeStampedModel):
    """An item on a meeting's agenda; an exempt (restricted) item shows its title only."""

    meeting = models.ForeignKey(Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE,
                                related_name="agenda_items")
    position = models.PositiveIntegerField(_("order"), default=0, validators=[MaxValueValidator(10000)])
    number = models.CharField(_("number"), max_length=20, blank=True, help_text=_("As printed, e.g. 5."))
    title = models.CharField(_("title"), max_length=500)
    text = models.TextField(_("text"), blank=True)
    is_restricted = models.BooleanField(_("exempt item"), default=False,
                                        help_text=_("Private business: only its title is recorded."))
    is_procedural = models.BooleanField(_("procedural"), default=False,
                                        help_text=_("Apologies, declarations, previous minutes, next meeting."))
    moderngov_id = models.PositiveIntegerField(_("modern.gov item number"), null=True, blank=True, editable=False)
    history = HistoricalRecords()

    objects = ScopedQuerySet.as_manager()
    scope = _under_board("meeting", parent="meeting")

    class Meta:
        ordering = ["meeting_id", "position", "pk"]
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "moderngov_id"], condition=Q(moderngov_id__isnull=False),
                                    name="agenda_item_moderngov_unique_per_meeting"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}".strip()

    def get_absolute_url(self) -> str:
        return f"{self.meeting.get_absolute_url()}#item-{self.pk}"

    def clean(self) -> None:
        if self.is_restricted and (self.text or "").strip():
            raise ValidationError({"text": _("An exempt item keeps its title only: leave the text empty.")})


def _same_meeting(record, field: str = "agenda_item") -> dict:
    item = getattr(record, field, None)
    if item is not None and record.meeting_id and item.meeting_id != record.meeting_id:
        return {field: _("Choose an item on this meeting's agenda.")}
    return {}


class Paper(ScopedModel, TimeStampedModel, ArchivableModel):
    """A paper for a meeting: a report, a presentation, the minutes; linked where it is published."""

    meeting = models.ForeignKey(Meeting, verbose_name=_("meeting"), on_delete=models.PROTECT, related_name="papers")
    agenda_item = models.ForeignKey(AgendaItem, verbose_name=_("agenda item"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="papers")
    title = models.CharField(_("title"), max_length=300)
    url = models.URLField(_("web address"), max_length=500)
    history = HistoricalRecords()

    objects = ScopedQuerySet.as_manager()
    scope = _under_board("meeting", parent="meeting")
    same_organisation = ("agenda_item",)

    class Meta:
        ordering = ["meeting_id", "pk"]
        verbose_name = _("paper")
        verbose_name_plural = _("papers")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return f"{self.meeting.get_absolute_url()}#papers"

    def clean(self) -> None:
        errors = _same_meeting(self)
        if errors:
            raise ValidationError(errors)


class DecisionQuerySet(ScopedQuerySet):
    def search(self, words: str) -> DecisionQuerySet:
        """Decisions whose reference, title or text contains every word given."""
        queryset = self
        for word in (words or "").split()[:10]:
            queryset = queryset.filter(Q(reference__icontains=word) | Q(title__icontains=word)
                                       | Q(text__icontains=word))
        return queryset

    def for_log(self) -> DecisionQuerySet:
        """Everything a row of the decision log shows, in one query."""
        return self.select_related("meeting", "meeting__board", "meeting__board__organisation",
                                   "meeting__board__partnership", "owner", "agenda_item")

    def with_links(self, user) -> DecisionQuerySet:
        """The proposals and actions each decision concerns that ``user`` may read: one query per kind."""
        return self.prefetch_related(
            models.Prefetch("proposals", queryset=Proposal.objects.visible_to(user).select_related("source")
                            .order_by("source_id", "position", "code"), to_attr="linked_proposals"),
            models.Prefetch("actions", queryset=Action.objects.visible_to(user).select_related("proposal")
                            .order_by("proposal_id", "pk"), to_attr="linked_actions"),
        )


class Decision(ScopedModel, TimeStampedModel, ArchivableModel):
    """What a board decided at a meeting; the decision log reads across boards and partners."""

    class Status(models.TextChoices):
        AGREED = "agreed", _("Agreed")
        NOTED = "noted", _("Noted")
        DEFERRED = "deferred", _("Deferred")
        REJECTED = "rejected", _("Rejected")

    meeting = models.ForeignKey(Meeting, verbose_name=_("meeting"), on_delete=models.PROTECT,
                                related_name="decisions")
    agenda_item = models.ForeignKey(AgendaItem, verbose_name=_("agenda item"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="decisions")
    reference = models.CharField(_("reference"), max_length=50, blank=True)
    title = models.CharField(_("decision"), max_length=300)
    text = models.TextField(_("details"), blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.AGREED)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("who carries it out"), null=True, blank=True,
                              on_delete=models.PROTECT, related_name="+")
    # What a select committee asks meeting after meeting: which audit proposals (and their actions)
    # the board decided about. Linked here, so the proposals app needs to know nothing of boards.
    proposals = models.ManyToManyField(
        "proposals.Proposal", verbose_name=_("audit proposals it concerns"), blank=True,
        related_name="board_decisions", help_text=_("The proposals or recommendations this decision is about."),
    )
    actions = models.ManyToManyField(
        "proposals.Action", verbose_name=_("actions it concerns"), blank=True, related_name="board_decisions",
        help_text=_("Actions on those proposals that the decision agrees, changes or closes."),
    )
    history = HistoricalRecords(m2m_fields=["proposals", "actions"])

    objects = DecisionQuerySet.as_manager()
    scope = _under_board("meeting", parent="meeting", owners=("owner",))
    same_organisation = ("owner", "agenda_item", "proposals", "actions")

    class Meta:
        ordering = ["meeting_id", "pk"]
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")

    def __str__(self) -> str:
        return f"{self.reference} {self.title}".strip()

    def get_absolute_url(self) -> str:
        return f"{self.meeting.get_absolute_url()}#decision-{self.pk}"

    @property
    def decided_on(self) -> date:
        return self.meeting.held_on

    def clean(self) -> None:
        errors = _same_meeting(self)
        if self.meeting_id and self.meeting.status == Meeting.Status.CANCELLED:
            errors["meeting"] = _("A cancelled meeting takes no decisions.")
        if errors:
            raise ValidationError(errors)
