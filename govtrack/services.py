"""Workflows of the kernel: inviting people, changing roles, service accounts.

The people pages, the admin and the management commands all call these.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _
from rest_framework.authtoken.models import Token

from govtrack import access
from govtrack.models import Membership, Organisation, ServiceAccount

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
def create_service_account(*, organisation: Organisation, name: str, role: str, by) -> tuple[ServiceAccount, str]:
    """Create a partner's API client and return it with its token (shown once)."""
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
    token = Token.objects.create(user=user)
    return account, token.key


@transaction.atomic
def rotate_service_account_token(*, account: ServiceAccount, by) -> str:
    """Replace the account's token; the old one stops working at once."""
    Token.objects.filter(user=account.user).delete()
    account._history_user = by
    account.save(update_fields=["updated_at"])
    return Token.objects.create(user=account.user).key


@transaction.atomic
def set_service_account_active(*, account: ServiceAccount, active: bool, by) -> None:
    """Suspend or restore a service account: a suspended account's token is refused."""
    user = account.user
    user.is_active = active
    user.save(update_fields=["is_active"])
    account._history_user = by
    account.save(update_fields=["updated_at"])
