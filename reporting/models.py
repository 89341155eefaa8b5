"""Reporting's own records: board packs, the PDFs a board reads before its meeting."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from govtrack.models import SharedModel
from govtrack.scoping import Scope


class BoardPack(SharedModel):
    """A PDF pack for a board's meeting: built by a Celery task, stored with its checksum, immutable once issued.

    A pack belongs to an organisation (its board's), or to a partnership for a joint board, and
    only their people see it. Its status goes queued → building → ready, or failed with the error;
    a failed build can be retried. Issuing a ready pack freezes it: later changes to the data do not
    change it, and a new draft is a new pack.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        BUILDING = "building", _("Building")
        READY = "ready", _("Ready")
        FAILED = "failed", _("Failed")

    class Language(models.TextChoices):
        ENGLISH = "en", _("English")
        WELSH = "cy", _("Welsh")

    title = models.CharField(_("title"), max_length=300, blank=True)
    board = models.ForeignKey("boards.Board", verbose_name=_("board"), null=True, blank=True,
                              on_delete=models.PROTECT, related_name="packs",
                              help_text=_("The board the pack is for; its members are told when it is issued."))
    meeting_date = models.DateField(_("meeting date"), help_text=_("The pack shows the position on this date."))
    since = models.DateField(_("changes since"), help_text=_("Usually the date of the board's last meeting."))
    language = models.CharField(_("language"), max_length=2, choices=Language.choices, default=Language.ENGLISH)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.QUEUED)
    error = models.TextField(_("what went wrong"), blank=True)
    attempts = models.PositiveSmallIntegerField(_("builds tried"), default=0)
    file = models.FileField(_("file"), upload_to="board-packs/%Y/%m/", blank=True, max_length=300)
    checksum = models.CharField(_("SHA-256 checksum"), max_length=64, blank=True)
    size = models.PositiveIntegerField(_("size in bytes"), default=0)
    pages = models.PositiveIntegerField(_("pages"), default=0)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("requested by"), null=True,
                                     blank=True, on_delete=models.PROTECT, related_name="+")
    built_at = models.DateTimeField(_("built"), null=True, blank=True)
    issued_at = models.DateTimeField(_("issued"), null=True, blank=True)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("issued by"), null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="+")

    scope = Scope(partnership="partnership", owners=("requested_by",))
    same_organisation = ("requested_by",)

    #: What a build writes; an issued pack's are frozen.
    BUILT_FIELDS = ("file", "checksum", "size", "pages", "built_at", "status", "error")

    class Meta:
        ordering = ["-meeting_date", "-created_at", "-pk"]
        verbose_name = _("board pack")
        verbose_name_plural = _("board packs")
        indexes = [models.Index(fields=["organisation", "meeting_date"], name="pack_org_meeting")]
        constraints = [
            models.CheckConstraint(condition=models.Q(since__lte=models.F("meeting_date")), name="pack_since_first"),
            models.CheckConstraint(condition=models.Q(issued_at__isnull=True) | models.Q(status="ready"),
                                   name="pack_issued_only_when_ready"),
        ]

    def __str__(self) -> str:
        return self.title or str(_("Board pack for %(day)s") % {"day": self.meeting_date})

    def get_absolute_url(self) -> str:
        return reverse("reporting:pack_detail", args=[self.pk])

    def clean(self) -> None:
        if self.since and self.meeting_date and self.since > self.meeting_date:
            raise ValidationError({"since": _("Changes are shown since a date on or before the meeting.")})

    @property
    def is_issued(self) -> bool:
        return self.issued_at is not None

    @property
    def is_ready(self) -> bool:
        return self.status == self.Status.READY and bool(self.file)

    def save(self, *args, **kwargs):
        # An issued pack is a record of what the board was given: what a build wrote never changes again.
        if self.pk and not self._state.adding:
            stored = type(self).objects.filter(pk=self.pk).values(*self.BUILT_FIELDS, "issued_at").first()
            if stored and stored["issued_at"] is not None:
                current = {name: getattr(self, name) for name in self.BUILT_FIELDS} | {"file": self.file.name}
                changed = [name for name in self.BUILT_FIELDS if stored[name] != current[name]]
                if changed:
                    raise ValidationError(_("This pack was issued on %(day)s and cannot change; build a new one.")
                                          % {"day": timezone.localtime(stored["issued_at"]).date()})
        super().save(*args, **kwargs)

    def issue(self, *, by) -> None:
        """Issue a ready pack to the board: from now on it never changes (``packs.issue_pack`` also tells)."""
        if self.status != self.Status.READY:
            raise ValidationError(_("Only a pack that is ready can be issued."))
        if self.is_issued:
            raise ValidationError(_("This pack is already issued."))
        self.issued_at, self.issued_by = timezone.now(), by
        self._history_user = by
        self.save(update_fields=["issued_at", "issued_by", "updated_at"])
