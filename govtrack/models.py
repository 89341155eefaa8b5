"""The kernel: organisations, partnerships, people and their roles, notifications.

Domain apps build on the abstract ``GovernedModel`` below, which gives every record an
owning organisation, timestamps, archiving instead of deletion, an audit trail, and the
``visible_to(user)`` QuerySet that every list, API and report goes through.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import date, datetime, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from govtrack import access, bounds
from govtrack.batch import batch_of
from govtrack.history import HistoricalRecords
from govtrack.i18n import localised
from govtrack.roles import Role
from govtrack.scoping import ORGANISATION_SCOPE, Scope, resolve


class ScopedQuerySet(models.QuerySet):
    """A QuerySet that knows which rows a person may see and change, from its model's ``scope``."""

    def visible_to(self, user, action: str = "view") -> ScopedQuerySet:
        """Rows this person may see (``action="change"``: may change), by the model's one scope declaration."""
        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        if action not in ("view", "change"):
            raise ValueError(f"Unknown action {action!r}: use 'view' or 'change'.")
        if user.is_superuser:
            return self
        scope = access.scope_of(self.model)
        if action == "view":
            return self.filter(scope.visible_q(user))
        changeable = self.filter(scope.changeable_q(user))
        return changeable.filter(archived_at__isnull=True) if hasattr(self.model, "archived_at") else changeable

    def changeable_by(self, user) -> ScopedQuerySet:
        """Rows this person may change: the list form of ``access.can_change``."""
        return self.visible_to(user, action="change")

    def seen_not_changeable_by(self, user) -> ScopedQuerySet:
        """Rows this person may see but not change (someone else's decisions, say)."""
        if user is None or not user.is_authenticated or not user.is_active or user.is_superuser:
            return self.none()
        return self.visible_to(user).exclude(access.scope_of(self.model).changeable_q(user))

    def active(self) -> ScopedQuerySet:
        """Rows that are not archived."""
        return self.filter(archived_at__isnull=True)

    def archived(self) -> ScopedQuerySet:
        return self.filter(archived_at__isnull=False)

    def for_organisation(self, organisation) -> ScopedQuerySet:
        """Rows that belong to the organisation (as either party, for records shared by two)."""
        condition = models.Q(pk__in=[])
        for path in access.scope_of(self.model).organisation_paths:
            condition |= models.Q(**{path: organisation})
        return self.filter(condition)


class ScopedModel(models.Model):
    """A record whose scope is declared once, with the invariants every path (form, API, import) enforces.

    - ``scope``: where its records belong (``govtrack.scoping.Scope``);
    - ``same_organisation``: related fields (foreign keys and many-to-many) whose records must belong
      to this record's organisation; people must be members of it (``govtrack.people.members_of``);
    - a record never moves to another organisation once created.
    ``full_clean()`` checks these, so forms, serializers and imports give the same field-level message.
    """

    #: Raised by one on every save: an edit made from an older version is refused (``govtrack.locking``).
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    scope = Scope()
    same_organisation: tuple[str, ...] = ()
    #: Fields naming organisations, which must be partners of this record's organisation (or itself).
    partner_organisations: tuple[str, ...] = ()
    #: Names of constraints whose rule ``clean()`` also states, with its own message (see ``get_constraints``).
    stated_in_clean: tuple[str, ...] = ()

    objects = ScopedQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        # Bookkeeping like ``updated_at``: the version counts saves, so a stale edit can be recognised.
        if not self._state.adding:
            self.version = (self.version or 0) + 1
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "version"}
        super().save(*args, **kwargs)

    def is_owned_by(self, user) -> bool:
        """Whether an officer may edit this record because it is theirs (the scope's ``owners``)."""
        return bool(user is not None and user.is_authenticated and user.pk in self.scope.owner_ids(self))

    def clean_fields(self, exclude=None) -> None:
        errors: dict = {}
        try:
            # A link to a record the batch read from the database needs no query to prove it exists.
            super().clean_fields(exclude={*(exclude or ()), *self._links_known_to_exist()})
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
        for name, message in bounds.model_value_problems(self, exclude=set(exclude or ()) | set(errors)).items():
            errors.setdefault(name, []).append(message)
        for name, message in self.link_errors(exclude=exclude).items():
            errors.setdefault(name, []).append(message)
        if errors:
            raise ValidationError(errors)

    def _links_known_to_exist(self) -> set[str]:
        """Foreign keys naming a record the lent batch knows exists (``govtrack.batch``)."""
        batch = batch_of(self)
        if batch is None:
            return set()
        return {
            f.name for f in self._meta.concrete_fields
            if f.many_to_one and batch.knows(f.related_model, getattr(self, f.attname))
        }

    def get_constraints(self):
        # In a batch, a constraint whose rule clean() states is left to clean() and the database,
        # instead of a query per record that can only agree with clean().
        constraints = super().get_constraints()
        if batch_of(self) is None or not self.stated_in_clean:
            return constraints
        return [(model, [c for c in found if c.name not in self.stated_in_clean]) for model, found in constraints]

    def link_organisation_ids(self) -> set[int]:
        """The organisations this record's links may point into: its own, or its partnership's members'."""
        org_ids = self.scope.organisation_ids(self)
        if org_ids or not self.scope.partnership_owned:
            return org_ids
        partnership_id = self.scope.partnership_id(self)
        if partnership_id is None:
            return set()
        return set(partnership_organisation_ids(partnership_id))

    def link_errors(self, values: dict | None = None, *, exclude=None, fields=None) -> dict[str, str]:
        """Related records that do not belong to this record's organisation, field by field.

        Foreign keys are read from the record; many-to-many values (not yet saved) are passed in
        ``values`` by the form or serializer, with ``fields`` naming just those to check.
        """
        from govtrack.people import members_of

        exclude = set(exclude or ())
        errors: dict[str, str] = {}
        org_ids = self.link_organisation_ids()
        moved = self._moved_organisation() if fields is None else None
        if moved and moved not in exclude:
            errors[moved] = _("A record stays in the organisation it was created in.")
            return errors
        if not org_ids:
            return errors
        people_model = get_user_model()
        for name in self.partner_organisations:
            if name in exclude or (fields is not None and name not in fields) or values is None or name not in values:
                continue
            partners = partner_organisation_ids(org_ids)
            strangers = [org for org in values[name] or [] if org.pk not in partners]
            if strangers:
                errors[name] = _("%(org)s is not a partner of this organisation.") % {"org": strangers[0]}
        for name in self.same_organisation:
            if name in exclude or (fields is not None and name not in fields):
                continue
            model_field = self._meta.get_field(name)
            if model_field.many_to_many:
                if values is None or name not in values:
                    continue
                targets = list(values[name] or [])
            else:
                if getattr(self, model_field.attname) is None:
                    continue
                targets = [getattr(self, name)]
            for target in targets:
                if isinstance(target, people_model):
                    ok = self._is_member(target.pk, org_ids, members_of)
                    message = _("%(person)s is not an active member of this organisation.")
                else:
                    ok = _belongs(target, org_ids)
                    message = _("%(person)s belongs to another organisation: choose one of this organisation's.")
                if not ok:
                    label = target.get_full_name() if isinstance(target, people_model) else str(target)
                    errors[name] = message % {"person": label or str(target)}
                    break
        return errors

    def _is_member(self, person_id: int, org_ids: set[int], members_of) -> bool:
        """Whether a person may own a record here; asked once per batch (an import file) when one is lent."""
        batch = batch_of(self)
        if batch is None:
            return members_of(org_ids).filter(pk=person_id).exists()
        members = batch.value(("members", tuple(sorted(org_ids))),
                              lambda: set(members_of(org_ids).values_list("pk", flat=True)))
        return person_id in members

    def _moved_organisation(self) -> str | None:
        """The organisation field whose value changed since the record was saved, if any."""
        paths = self.scope.organisation_paths
        if not self.pk or not paths:
            return None
        batch = batch_of(self)
        saved = batch.saved_organisations(self) if batch is not None else None
        if saved is None:
            saved = type(self)._base_manager.filter(pk=self.pk).values_list(*paths).first()
        if saved is None:
            return None
        for path, before in zip(paths, saved, strict=True):
            if before is not None and resolve(self, path) != before:
                return path.split("__")[0]
        return None


def _belongs(target, org_ids: set[int]) -> bool:
    scope = getattr(target, "scope", None)
    if scope is None or scope.public:
        return True
    if scope.organisation_ids(target) & org_ids:
        return True
    partnership_id = scope.partnership_id(target)
    return partnership_id is not None and bool(set(partnership_organisation_ids(partnership_id)) & org_ids)


def partner_organisation_ids(organisation_ids: set[int], day: date | None = None) -> set[int]:
    """The organisations, and every organisation sharing a current partnership with one of them."""
    day = day or timezone.localdate()
    partnerships = set(
        PartnershipMembership.objects.current(day).filter(organisation_id__in=organisation_ids)
        .values_list("partnership_id", flat=True)
    ) | set(Partnership.objects.filter(provider_id__in=organisation_ids).values_list("pk", flat=True))
    found = set(organisation_ids)
    for partnership_id in partnerships:
        found.update(partnership_organisation_ids(partnership_id, day))
    return found


def partnership_organisation_ids(partnership_id: int, day: date | None = None) -> list[int]:
    """The partnership's member organisations today (and its provider)."""
    members = PartnershipMembership.objects.current(day).filter(partnership_id=partnership_id)
    ids = set(members.values_list("organisation_id", flat=True))
    provider = Partnership.objects.filter(pk=partnership_id).values_list("provider_id", flat=True).first()
    if provider:
        ids.add(provider)
    return sorted(ids)


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        abstract = True


class ArchivableModel(models.Model):
    """Nothing governed is hard-deleted from the UI or API: it is archived."""

    archived_at = models.DateTimeField(_("archived"), null=True, blank=True, editable=False)
    archived_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("archived by"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        abstract = True

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None

    def archive(self, *, by) -> None:
        """Archive this record, keeping it and its history."""
        if self.archived_at is None:
            self.archived_at = timezone.now()
            self.archived_by = by
            self._history_user = by
            self.save(update_fields=["archived_at", "archived_by", "updated_at"])

    def restore(self, *, by) -> None:
        """Bring an archived record back."""
        if self.archived_at is not None:
            self.archived_at = None
            self.archived_by = None
            self._history_user = by
            self.save(update_fields=["archived_at", "archived_by", "updated_at"])


class GovernedModel(ScopedModel, TimeStampedModel, ArchivableModel):
    """A record that belongs to one organisation and keeps an audit trail."""

    organisation = models.ForeignKey(
        "govtrack.Organisation", verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="+"
    )
    history = HistoricalRecords(inherit=True)

    class Meta:
        abstract = True


class SharedModel(ScopedModel, TimeStampedModel, ArchivableModel):
    """A record of one organisation or of a partnership: with a partnership set, its members see it.

    With no organisation, the record belongs to the partnership itself (a joint risk, a board
    decision of the partnership's board): its members' roles apply to it as to their own records.
    """

    organisation = models.ForeignKey(
        "govtrack.Organisation", verbose_name=_("organisation"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )
    partnership = models.ForeignKey(
        "govtrack.Partnership", verbose_name=_("shared with partnership"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )
    history = HistoricalRecords(inherit=True)

    scope = Scope(partnership="partnership")

    class Meta:
        abstract = True

    def clean_fields(self, exclude=None) -> None:
        super().clean_fields(exclude=exclude)
        if self.organisation_id is None and self.partnership_id is None:
            raise ValidationError({"organisation": _("Say which organisation or partnership this belongs to.")})


class OrganisationQuerySet(ScopedQuerySet):
    def linkable_by(self, user) -> OrganisationQuerySet:
        """Organisations a record may name (partners using the same product): the person's own and their partners'."""
        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        active = self.filter(archived_at__isnull=True)
        if user.is_superuser:
            return active
        partner_ids = set(access.visible_organisation_ids(user))
        for partnership_id in access.visible_partnership_ids(user):
            partner_ids.update(partnership_organisation_ids(partnership_id))
        return active.filter(pk__in=partner_ids)


class Organisation(TimeStampedModel, ArchivableModel):
    class Kind(models.TextChoices):
        COUNCIL = "council", _("Council")
        POLICE = "police", _("Police force")
        PROVIDER = "provider", _("Shared service provider")
        AUDIT_BODY = "audit_body", _("Audit body")
        SUPPLIER = "supplier", _("Supplier")
        OTHER = "other", _("Other public body")

    name = models.CharField(_("name"), max_length=200, unique=True)
    name_cy = models.CharField(_("name in Welsh"), max_length=200, blank=True,
                               help_text=_("Shown to people reading govtrack in Welsh, e.g. Cyngor Sir Fynwy."))
    short_name = models.CharField(_("short name"), max_length=40, blank=True)
    short_name_cy = models.CharField(_("short name in Welsh"), max_length=40, blank=True)
    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.COUNCIL)
    website = models.URLField(_("website"), blank=True)
    history = HistoricalRecords()

    objects = OrganisationQuerySet.as_manager()
    scope = ORGANISATION_SCOPE

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        return localised(self, "name")

    def get_absolute_url(self) -> str:
        return reverse("organisation_detail", kwargs={"slug": self.slug})

    @property
    def display_name(self) -> str:
        """The short name in the reader's language (the full name when there is none)."""
        return localised(self, "short_name") or localised(self, "name")


class Partnership(TimeStampedModel, ArchivableModel):
    """A group of organisations sharing a service (the SRS), with dated memberships."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    provider = models.ForeignKey(
        Organisation,
        verbose_name=_("provider"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="provided_partnerships",
    )
    description = models.TextField(_("description"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("partnership")
        verbose_name_plural = _("partnerships")

    def __str__(self) -> str:
        return self.name

    def members_on(self, day: date) -> models.QuerySet[Organisation]:
        """Organisations that are partners on the given day."""
        return Organisation.objects.filter(
            partnership_memberships__in=PartnershipMembership.objects.filter(partnership=self).current(day)
        ).distinct()


class PartnershipMembershipQuerySet(models.QuerySet):
    def current(self, day: date | None = None) -> PartnershipMembershipQuerySet:
        """Memberships in force on ``day`` (today by default)."""
        day = day or timezone.localdate()
        return self.filter(joined_on__lte=day).filter(models.Q(left_on__isnull=True) | models.Q(left_on__gt=day))

    def joining_within(self, *, days: int, today: date | None = None) -> PartnershipMembershipQuerySet:
        today = today or timezone.localdate()
        return self.filter(joined_on__gt=today, joined_on__lte=today + timedelta(days=days))


class PartnershipMembership(TimeStampedModel):
    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="memberships")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="partnership_memberships")
    joined_on = models.DateField(_("joined on"))
    left_on = models.DateField(_("left on"), null=True, blank=True)
    history = HistoricalRecords()

    objects = PartnershipMembershipQuerySet.as_manager()

    class Meta:
        ordering = ["partnership_id", "joined_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "organisation", "joined_on"], name="partnership_membership_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(left_on__isnull=True) | models.Q(left_on__gt=models.F("joined_on")),
                name="partnership_membership_leaves_after_joining",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} in {self.partnership} from {self.joined_on}"

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        if self.left_on and self.joined_on and self.left_on <= self.joined_on:
            raise ValidationError({"left_on": _("A partner must leave after the date it joined.")})


class Directorate(GovernedModel):
    """A directorate (or department) of an organisation: registers and systems sit in one."""

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=60)
    head = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("head"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    same_organisation = ("head",)

    class Meta:
        ordering = ["organisation_id", "name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "slug"], name="directorate_slug_unique"),
            models.UniqueConstraint(fields=["organisation", "name"], name="directorate_name_unique"),
        ]

    def __str__(self) -> str:
        return self.name


class Membership(TimeStampedModel):
    """A person's role in one organisation."""

    Role = Role

    class Status(models.TextChoices):
        INVITED = "invited", _("Invited")
        ACTIVE = "active", _("Active")
        SUSPENDED = "suspended", _("Suspended")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="memberships")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.VIEWER)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.ACTIVE)
    job_title = models.CharField(_("job title"), max_length=200, blank=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["organisation_id", "user__last_name", "user__first_name", "user__username"]
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation"], name="membership_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()} at {self.organisation}"

    @property
    def grants_access(self) -> bool:
        # An invited person has access once they have set a password; suspension removes it.
        return self.status != self.Status.SUSPENDED


class ServiceAccount(TimeStampedModel):
    """A partner's API client: a user with no password, one membership and its API tokens."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="service_accounts")
    name = models.CharField(_("name"), max_length=200)
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="service_account")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["organisation_id", "name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="service_account_name_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.organisation})"

    @property
    def is_active(self) -> bool:
        return self.user.is_active

    @property
    def role(self) -> str:
        # Reads the prefetched memberships when a list page has them.
        membership = next((m for m in self.user.memberships.all() if m.organisation_id == self.organisation_id), None)
        return membership.role if membership else ""

    def get_role_display(self) -> str:
        return Membership.Role(self.role).label if self.role else ""

    @staticmethod
    def new_username(organisation: Organisation) -> str:
        return f"svc-{organisation.slug}-{secrets.token_hex(4)}"


class ApiTokenQuerySet(models.QuerySet):
    def usable(self, now: datetime | None = None) -> ApiTokenQuerySet:
        """Tokens that are neither revoked nor expired."""
        now = now or timezone.now()
        return self.filter(revoked_at__isnull=True).filter(
            models.Q(expires_at__isnull=True) | models.Q(expires_at__gt=now)
        )

    def personal(self) -> ApiTokenQuerySet:
        """Tokens people asked for with their password (not a service account's)."""
        return self.filter(user__service_account__isnull=True)


class ApiToken(TimeStampedModel):
    """A key for the API: only its SHA-256 hash is stored, and a short prefix to find it by.

    A service account may have several; a person gets one each time they ask for it with their
    password. The key itself is shown once, when it is made.
    """

    class Permission(models.TextChoices):
        READ = "read", _("Read only")
        READ_WRITE = "read_write", _("Read and write")

    #: Characters of the key kept in clear, to look it up and to tell tokens apart on the page.
    PREFIX_LENGTH = 12
    #: How often the last-used time is written at most, so a busy client costs no write per request.
    TOUCH_EVERY = timedelta(minutes=1)

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(_("prefix"), max_length=PREFIX_LENGTH, unique=True)
    key_hash = models.CharField(max_length=64)
    # "scope" in the API and on the page; the model's own ``scope`` is its visibility declaration.
    permission = models.CharField(_("scope"), max_length=20, choices=Permission.choices, default=Permission.READ)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    history = HistoricalRecords(excluded_fields=["key_hash", "last_used_at"])

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @staticmethod
    def hash_key(key: str) -> str:
        # The keys are long and random, so a fast hash is enough: there is nothing to guess.
        return hashlib.sha256(key.encode()).hexdigest()

    @classmethod
    def new(cls, *, user, name: str, permission: str, expires_at: datetime | None, created_by) -> tuple[ApiToken, str]:
        """Make and save a token; returns it with its key, which is never stored."""
        while True:
            key = f"gt_{secrets.token_urlsafe(32)}"
            if not cls.objects.filter(prefix=key[: cls.PREFIX_LENGTH]).exists():
                break
        token = cls.objects.create(
            user=user,
            name=name,
            prefix=key[: cls.PREFIX_LENGTH],
            key_hash=cls.hash_key(key),
            permission=permission,
            expires_at=expires_at,
            created_by=created_by,
        )
        return token, key

    @classmethod
    def find(cls, key: str) -> ApiToken | None:
        """The token this key belongs to (revoked and expired ones too), or None."""
        if len(key) < cls.PREFIX_LENGTH:
            return None
        token = cls.objects.select_related("user").filter(prefix=key[: cls.PREFIX_LENGTH]).first()
        if token is None or not hmac.compare_digest(token.key_hash, cls.hash_key(key)):
            return None
        return token

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    def is_expired(self, now: datetime | None = None) -> bool:
        return self.expires_at is not None and self.expires_at <= (now or timezone.now())

    @property
    def allows_writing(self) -> bool:
        return self.permission == self.Permission.READ_WRITE

    def touch(self, now: datetime | None = None) -> None:
        """Record that the token was used, at most once a minute."""
        now = now or timezone.now()
        if self.last_used_at is None or now - self.last_used_at >= self.TOUCH_EVERY:
            ApiToken.objects.filter(pk=self.pk).update(last_used_at=now)
            self.last_used_at = now

    def revoke(self, *, by) -> None:
        """Stop the token working at once; it stays listed, marked revoked."""
        if self.revoked_at is None:
            self.revoked_at = timezone.now()
            self.revoked_by = by
            self._history_user = by
            self.save(update_fields=["revoked_at", "revoked_by", "updated_at"])


class Notification(TimeStampedModel):
    """An in-app notice to one person; ``key`` makes repeated checks idempotent."""

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    organisation = models.ForeignKey(Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(
        _("kind"),
        max_length=40,
        default="general",
        help_text=_("What sort of notice this is (see govtrack.notifications.KINDS); people unsubscribe per kind."),
    )
    key = models.CharField(max_length=200, help_text=_("What this notice is about, so a check never repeats it."))
    subject = models.CharField(_("subject"), max_length=300)
    body = models.TextField(_("body"), blank=True)
    url = models.CharField(_("link"), max_length=500, blank=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("emailed"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["recipient", "key"], name="notification_once_per_key")]
        indexes = [
            models.Index(fields=["recipient", "read_at"], name="notification_unread"),
            models.Index(fields=["key"], name="notification_key"),  # which notices a check already sent
            models.Index(fields=["emailed_at", "recipient"], name="notification_to_email"),
        ]

    def __str__(self) -> str:
        return self.subject


class PersonSettings(TimeStampedModel):
    """One person's own settings: their language, their calendar feed, the notices they do not want by email."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="govtrack_settings")
    language = models.CharField(
        _("language"),
        max_length=10,
        blank=True,
        choices=settings.LANGUAGES,
        help_text=_("The language govtrack speaks to this person in; empty follows their browser."),
    )
    calendar_hash = models.CharField(
        max_length=64,
        unique=True,
        null=True,
        blank=True,
        help_text=_("SHA-256 of the calendar feed's secret; the secret itself is shown once and never stored."),
    )
    calendar_created_at = models.DateTimeField(_("calendar feed created"), null=True, blank=True)
    unsubscribed = models.JSONField(
        _("kinds of notice not emailed"),
        default=list,
        blank=True,
        help_text=_("Kinds of notification left out of the daily email; they still show in govtrack."),
    )

    class Meta:
        verbose_name = _("personal settings")
        verbose_name_plural = _("personal settings")

    def __str__(self) -> str:
        return str(self.user)

    @classmethod
    def of(cls, user) -> PersonSettings:
        """The person's settings, created empty on first use."""
        found, _created = cls.objects.get_or_create(user=user)
        return found

    def emails(self, kind: str) -> bool:
        """Whether notices of this kind go into the person's daily email."""
        return kind not in (self.unsubscribed or [])

    def new_calendar_secret(self) -> str:
        """Give the person a new calendar secret (the old address stops working); returns it, once."""
        secret = secrets.token_urlsafe(32)
        self.calendar_hash = ApiToken.hash_key(secret)
        self.calendar_created_at = timezone.now()
        self.save(update_fields=["calendar_hash", "calendar_created_at", "updated_at"])
        return secret

    def revoke_calendar(self) -> None:
        """Stop the calendar feed: its address answers 404 from now on."""
        self.calendar_hash = None
        self.calendar_created_at = None
        self.save(update_fields=["calendar_hash", "calendar_created_at", "updated_at"])

    @classmethod
    def for_calendar_secret(cls, secret: str) -> PersonSettings | None:
        """The settings whose calendar secret this is, for an active person; None for a wrong or revoked one."""
        if not secret or len(secret) > 100:
            return None
        return (
            cls.objects.select_related("user")
            .filter(calendar_hash=ApiToken.hash_key(secret), user__is_active=True)
            .first()
        )


class ColumnMapping(TimeStampedModel):
    """A council's own spreadsheet layout: which of its headers feeds which govtrack column."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="column_mappings")
    kind = models.CharField(_("what it imports"), max_length=40)
    name = models.CharField(_("name"), max_length=100)
    columns = models.JSONField(
        _("columns"),
        default=dict,
        help_text=_("Spreadsheet header → govtrack column; an empty value leaves the column out."),
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["organisation_id", "kind", "name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "kind", "name"], name="column_mapping_unique"),
        ]

    def __str__(self) -> str:
        return self.name


class CheckRun(models.Model):
    """One run of a scheduled check, so administrators can see what ran and what it found."""

    name = models.CharField(max_length=100)
    organisation = models.ForeignKey(Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    started_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    created = models.PositiveIntegerField(default=0, help_text=_("New findings (escalations, breaches, alerts)."))
    error = models.TextField(blank=True)
    details = models.JSONField(
        default=dict,
        blank=True,
        help_text=_("What the run found by kind, what it skipped and why, and the organisations it failed for."),
    )

    class Meta:
        ordering = ["-started_at"]
        indexes = [models.Index(fields=["name", "organisation", "started_at"], name="checkrun_latest")]

    def __str__(self) -> str:
        return f"{self.name} at {self.started_at:%Y-%m-%d %H:%M}"


def notify(
    *, recipient, key: str, subject: str, body: str = "", url: str = "", organisation=None, kind: str = "general"
) -> bool:
    """Notify a person once about ``key``; returns True when the notice is new."""
    if recipient is None or not recipient.is_active:
        return False
    with transaction.atomic():
        _notice, created = Notification.objects.get_or_create(
            recipient=recipient,
            key=key[:200],
            defaults={"subject": subject[:300], "body": body, "url": url, "organisation": organisation, "kind": kind},
        )
    return created
