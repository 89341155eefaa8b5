"""Workflows of the kernel: inviting people, changing roles, service accounts and API tokens.

The people pages, the admin and the management commands all call these.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth import authenticate, get_user_model
from django.contrib.auth.signals import user_login_failed
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from govtrack import access, signin
from govtrack.models import ApiToken, Membership, Organisation, ServiceAccount

User = get_user_model()


def _ensure_an_admin_remains(membership: Membership, *, new_role: str, new_status: str) -> None:
    """An organisation must keep at least one active admin, or nobody could manage its people."""
    was_admin = membership.role == Membership.Role.ADMIN and membership.status != Membership.Status.SUSPENDED
    stays_admin = new_role == Membership.Role.ADMIN and new_status != Membership.Status.SUSPENDED
    if was_admin and not stays_admin:
        others = (
            Membership.objects.filter(organisation=membership.organisation, role=Membership.Role.ADMIN)
            .exclude(status=Membership.Status.SUSPENDED)
            .exclude(pk=membership.pk)
            .exclude(user__service_account__isnull=False)
        )
        if not others.exists():
            raise ValidationError(_("%(org)s must keep at least one administrator.") % {"org": membership.organisation})


@transaction.atomic
def invite_person(
    *,
    organisation: Organisation,
    email: str,
    role: str,
    invited_by,
    job_title: str = "",
    first_name: str = "",
    last_name: str = "",
) -> Membership:
    """Give a person a role in the organisation, creating their account and emailing a link to set a password."""
    email = User.objects.normalize_email(email).strip().lower()
    if role not in Membership.Role.values:
        raise ValidationError({"role": _("Choose a role.")})
    user = User.objects.filter(email__iexact=email).first() or User.objects.filter(username__iexact=email).first()
    if user is not None and hasattr(user, "service_account"):
        raise ValidationError({"email": _("That address belongs to a service account.")})
    if user is not None and Membership.objects.filter(user=user, organisation=organisation).exists():
        raise ValidationError(
            {"email": _("%(email)s is already a member of %(org)s.") % {"email": email, "org": organisation}}
        )
    new_account = user is None
    if new_account:
        user = User(username=email, email=email, first_name=first_name, last_name=last_name)
        user.set_unusable_password()
        user.save()
    membership = Membership.objects.create(
        user=user,
        organisation=organisation,
        role=role,
        job_title=job_title,
        invited_by=invited_by,
        status=Membership.Status.INVITED if new_account else Membership.Status.ACTIVE,
    )
    context = {
        "organisation": organisation,
        "membership": membership,
        "invited_by": invited_by,
        "site_url": settings.SITE_URL,
    }
    if new_account:
        context["set_password_url"] = settings.SITE_URL + reverse(
            "password_reset_confirm",
            kwargs={
                "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
                "token": default_token_generator.make_token(user),
            },
        )
    body = render_to_string("govtrack/email/invitation.txt", context)
    transaction.on_commit(
        lambda: send_mail(
            _("You have been invited to govtrack by %(org)s") % {"org": organisation},
            body,
            settings.DEFAULT_FROM_EMAIL,
            [email],
        )
    )
    return membership


@transaction.atomic
def change_membership(*, membership: Membership, role: str, status: str, by) -> Membership:
    """Change a person's role or suspend / reactivate them, keeping at least one admin."""
    if role not in Membership.Role.values:
        raise ValidationError({"role": _("Choose a role.")})
    if status not in Membership.Status.values:
        raise ValidationError({"status": _("Choose a status.")})
    _ensure_an_admin_remains(membership, new_role=role, new_status=status)
    membership.role = role
    membership.status = status
    membership._history_user = by
    membership.save(update_fields=["role", "status", "updated_at"])
    access.forget(membership.user)
    return membership


def activate_invitation(user) -> None:
    """Mark a person's invitations accepted once they have signed in."""
    Membership.objects.filter(user=user, status=Membership.Status.INVITED).update(status=Membership.Status.ACTIVE)


@transaction.atomic
def create_service_account(
    *,
    organisation: Organisation,
    name: str,
    role: str,
    by,
    token_scope: str | None = None,
    token_expires_at: datetime | None = None,
) -> tuple[ServiceAccount, str]:
    """Create a partner's API client with its first token; returns the account and the key (shown once).

    The first token reads and writes for an officer account and only reads for a viewer, unless
    ``token_scope`` says otherwise.
    """
    if role not in (Membership.Role.VIEWER, Membership.Role.OFFICER):
        raise ValidationError({"role": _("A service account can be a viewer or an officer.")})
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("Give the service account a name.")})
    if ServiceAccount.objects.filter(organisation=organisation, name__iexact=name).exists():
        raise ValidationError(
            {"name": _("%(org)s already has a service account called %(name)s.") % {"org": organisation, "name": name}}
        )
    user = User(username=ServiceAccount.new_username(organisation), first_name=name[:150])
    user.set_unusable_password()
    user.save()
    Membership.objects.create(user=user, organisation=organisation, role=role, invited_by=by)
    account = ServiceAccount.objects.create(organisation=organisation, name=name, user=user, created_by=by)
    if token_scope is None:
        token_scope = ApiToken.Permission.READ_WRITE if role == Membership.Role.OFFICER else ApiToken.Permission.READ
    _token, key = create_service_account_token(
        account=account, name=_("First token"), scope=token_scope, expires_at=token_expires_at, by=by
    )
    return account, key


def _check_token_terms(*, name: str, scope: str, expires_at: datetime | None) -> str:
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("Give the token a name, such as the tool that will use it.")})
    if scope not in ApiToken.Permission.values:
        raise ValidationError({"scope": _("Choose read only, or read and write.")})
    if expires_at is not None and expires_at <= timezone.now():
        raise ValidationError({"expires_at": _("The expiry date must be in the future.")})
    return name


@transaction.atomic
def create_service_account_token(
    *, account: ServiceAccount, name: str, scope: str, expires_at: datetime | None, by
) -> tuple[ApiToken, str]:
    """Issue another token for a service account; returns it and its key (shown once)."""
    name = _check_token_terms(name=str(name), scope=scope, expires_at=expires_at)
    if not account.user.is_active:
        raise ValidationError(_("Restore the service account before issuing it a token."))
    token, key = ApiToken.new(user=account.user, name=name, permission=scope, expires_at=expires_at, created_by=by)
    account._history_user = by
    account.save(update_fields=["updated_at"])
    return token, key


def revoke_token(*, token: ApiToken, by) -> None:
    """Revoke a token: it stops working at once and stays listed as revoked."""
    token.revoke(by=by)


class TokenRefused(Exception):
    """The person may not have a token: wrong password, locked out, a code missing or wrong."""

    def __init__(self, message: str, *, code: str, status: int = 400):
        super().__init__(message)
        self.message, self.code, self.status = message, code, status


def issue_personal_token(
    *, request, username: str, password: str, otp: str = "", name: str = "", scope: str = ApiToken.Permission.READ_WRITE
) -> tuple[ApiToken, str]:
    """Give a person with a password a token of their own, checked as the sign-in page checks them.

    The password goes through ``authenticate`` so django-axes counts failures towards the same
    lockout as the sign-in page; a person with two-factor authentication must give a current code,
    and an administrator must have set it up first. Not atomic on purpose: a refusal must keep
    the failure axes recorded.
    """
    user = authenticate(request=request, username=username, password=password)
    if user is None:
        if getattr(request, "axes_locked_out", False):
            raise TokenRefused(
                _("Too many failed attempts: this account is locked for an hour."), code="locked_out", status=403
            )
        raise TokenRefused(_("The username or password is not right."), code="invalid_credentials", status=401)
    if hasattr(user, "service_account"):
        raise TokenRefused(_("Service accounts use the tokens their admin issues."), code="service_account", status=403)
    if signin.has_second_factor(user):
        if not otp:
            raise TokenRefused(_("Give the code from your authenticator app as otp."), code="otp_required", status=401)
        if signin.verify_code(user, otp) is None:
            user_login_failed.send(sender=__name__, credentials={"username": username}, request=request)
            raise TokenRefused(_("That code is not right, or has been used."), code="otp_invalid", status=401)
    elif signin.is_admin(user):
        raise TokenRefused(
            _("Administrators must set up two-factor authentication before asking for a token."),
            code="otp_setup_required",
            status=403,
        )
    name = _check_token_terms(name=name or _("Personal token"), scope=scope, expires_at=None)
    expires_at = timezone.now() + timedelta(days=settings.API_TOKEN_DAYS) if settings.API_TOKEN_DAYS else None
    return ApiToken.new(user=user, name=name, permission=scope, expires_at=expires_at, created_by=user)


@transaction.atomic
def set_service_account_active(*, account: ServiceAccount, active: bool, by) -> None:
    """Suspend or restore a service account: a suspended account's tokens are refused."""
    user = account.user
    user.is_active = active
    user.save(update_fields=["is_active"])
    account._history_user = by
    account.save(update_fields=["updated_at"])
