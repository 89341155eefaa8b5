"""Kernel pages: home, organisations, people, service accounts, notifications, errors."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch, Q
from django.http import HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from govtrack import access, health, pages, services
from govtrack.audit import history_for
from govtrack.checks import latest_runs, next_daily_run, registered_checks
from govtrack.forms import InviteForm, MembershipForm, ServiceAccountTokenForm, TokenForm, add_errors
from govtrack.middleware import SESSION_KEY
from govtrack.models import (
    ApiToken,
    CheckRun,
    Directorate,
    Membership,
    Notification,
    Organisation,
    PartnershipMembership,
    ServiceAccount,
)
from govtrack.notifications import kind_label
from govtrack.tasks import run_checks_task


@login_required
@require_POST
def switch_organisation(request):
    """Choose the organisation to work in; only one the person belongs to."""
    organisation = access.get_object_for(request.user, Organisation, slug=request.POST.get("organisation", ""))
    request.session[SESSION_KEY] = organisation.pk
    messages.success(request, _("You are now working in %(org)s.") % {"org": organisation})
    target = request.POST.get("next") or reverse("dashboard")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = reverse("dashboard")
    return HttpResponseRedirect(target)


@login_required
def organisation_list(request):
    organisations = Organisation.objects.active().visible_to(request.user)
    return render(request, "govtrack/organisation_list.html", {"organisations": organisations})


@login_required
def organisation_detail(request, slug: str):
    organisation = access.get_object_for(request.user, Organisation, slug=slug)
    partnerships = PartnershipMembership.objects.filter(organisation=organisation).select_related("partnership")
    return render(
        request,
        "govtrack/organisation_detail.html",
        {
            "organisation": organisation,
            "directorates": Directorate.objects.active().filter(organisation=organisation),
            "partnerships": partnerships,
            "role": access.role_in(request.user, organisation),
            "can_administer": access.can_administer(request.user, organisation),
            "history": history_for(organisation, user=request.user,
                                   url=reverse("organisation_history", args=[organisation.slug])),
        },
    )


def _administered(request, slug: str) -> Organisation:
    """The organisation, if the person administers it: 404 if they cannot see it, 403 if not an admin."""
    organisation = access.get_object_for(request.user, Organisation, slug=slug)
    access.require(access.can_administer(request.user, organisation))
    return organisation


@login_required
def people(request, slug: str):
    organisation = _administered(request, slug)
    memberships = (
        Membership.objects.filter(organisation=organisation, user__service_account__isnull=True)
        .select_related("user", "invited_by")
        .order_by("user__last_name", "user__first_name", "user__username")
    )
    return render(request, "govtrack/people.html", {"organisation": organisation, "memberships": memberships})


@login_required
def invite(request, slug: str):
    organisation = _administered(request, slug)
    form = InviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            membership = services.invite_person(organisation=organisation, invited_by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(
                request,
                _("%(email)s has been invited as %(role)s.")
                % {"email": membership.user.email, "role": membership.get_role_display()},
            )
            return redirect("people", slug=organisation.slug)
    return render(request, "govtrack/invite.html", {"organisation": organisation, "form": form})


@login_required
def membership_edit(request, slug: str, pk: int):
    organisation = _administered(request, slug)
    membership = get_object_or_404(
        Membership.objects.select_related("user"), pk=pk, organisation=organisation, user__service_account__isnull=True
    )
    form = MembershipForm(request.POST or None, initial={"role": membership.role, "status": membership.status})
    if request.method == "POST" and form.is_valid():
        try:
            services.change_membership(membership=membership, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("%(person)s's membership was updated.") % {"person": membership.user})
            return redirect("people", slug=organisation.slug)
    return render(
        request,
        "govtrack/membership_edit.html",
        {"organisation": organisation, "membership": membership, "form": form,
         "history": history_for(membership, user=request.user)},
    )


def _accounts_page(request, organisation: Organisation, **context):
    """The service accounts page, with each account's tokens; a new key is shown only in this response."""
    accounts = (
        ServiceAccount.objects.filter(organisation=organisation)
        .select_related("user", "created_by")
        .prefetch_related(
            "user__memberships",
            Prefetch("user__api_tokens", queryset=ApiToken.objects.order_by("revoked_at", "-created_at")),
        )
    )
    context.setdefault("form", ServiceAccountTokenForm())
    return render(
        request,
        "govtrack/service_accounts.html",
        {"organisation": organisation, "accounts": accounts, "now": timezone.now(), **context},
    )


@login_required
def service_accounts(request, slug: str):
    organisation = _administered(request, slug)
    form = ServiceAccountTokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            account, key = services.create_service_account(
                organisation=organisation,
                by=request.user,
                name=form.cleaned_data["name"],
                role=form.cleaned_data["role"],
                token_scope=form.cleaned_data["scope"],
                token_expires_at=form.expires_at(),
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("Service account %(name)s created.") % {"name": account.name})
            return _accounts_page(request, organisation, new_token=key, token_for=account)
    return _accounts_page(request, organisation, form=form)


@login_required
def service_account_token_new(request, slug: str, pk: int):
    """Issue another token for a service account, with its own scope and expiry; the key is shown once."""
    organisation = _administered(request, slug)
    account = get_object_or_404(ServiceAccount.objects.select_related("user"), pk=pk, organisation=organisation)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            _token, key = services.create_service_account_token(
                account=account,
                name=form.cleaned_data["name"],
                scope=form.cleaned_data["scope"],
                expires_at=form.expires_at(),
                by=request.user,
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("A new token was issued for %(name)s.") % {"name": account.name})
            return _accounts_page(request, organisation, new_token=key, token_for=account)
    return render(
        request, "govtrack/service_account_token.html", {"organisation": organisation, "account": account, "form": form}
    )


@login_required
@require_POST
def service_account_token_revoke(request, slug: str, pk: int, token_pk: int):
    """Revoke one token of a service account; its other tokens keep working."""
    organisation = _administered(request, slug)
    account = get_object_or_404(ServiceAccount, pk=pk, organisation=organisation)
    token = get_object_or_404(ApiToken, pk=token_pk, user_id=account.user_id)
    services.revoke_token(token=token, by=request.user)
    messages.success(
        request, _("The token %(token)s of %(name)s no longer works.") % {"token": token.name, "name": account.name}
    )
    return redirect("service_accounts", slug=organisation.slug)


@login_required
@require_POST
def service_account_action(request, slug: str, pk: int, action: str):
    organisation = _administered(request, slug)
    account = get_object_or_404(ServiceAccount.objects.select_related("user"), pk=pk, organisation=organisation)
    if action not in ("suspend", "restore"):
        raise PermissionDenied
    services.set_service_account_active(account=account, active=action == "restore", by=request.user)
    messages.success(request, _("%(name)s was updated.") % {"name": account.name})
    return redirect("service_accounts", slug=organisation.slug)


@login_required
def organisation_checks(request, slug: str):
    """The scheduled checks: what they are, when they last ran for this organisation, and a button to run them."""
    organisation = access.get_object_for(request.user, Organisation, slug=slug)
    can_run = access.can_manage(request.user, organisation)
    if request.method == "POST":
        access.require(can_run)
        run_checks_task.queue(
            request=request,
            queued_message=_("The checks are running for %(org)s; their results appear below.") % {"org": organisation},
            organisation_id=organisation.pk,
        )
        return redirect("organisation_checks", slug=organisation.slug)
    runs = CheckRun.objects.filter(Q(organisation=organisation) | Q(organisation__isnull=True))[:30]
    latest = latest_runs(organisation)
    checks = [(check, latest.get(check.name)) for check in registered_checks().values()]
    return render(
        request,
        "govtrack/checks.html",
        {"organisation": organisation, "checks": checks, "runs": runs, "can_run": can_run,
         "next_run": next_daily_run()},
    )


@login_required
def notifications(request):
    notices = Notification.objects.filter(recipient=request.user).select_related("organisation")
    listing = pages.paginate(request, notices, per_page=50)
    for notice in listing["object_list"]:
        notice.kind_label = kind_label(notice.kind)
    return render(request, "govtrack/notifications.html", {"notices": listing["object_list"], **listing})


@login_required
@require_POST
def notifications_read(request):
    Notification.objects.filter(recipient=request.user, read_at__isnull=True).update(read_at=timezone.now())
    messages.success(request, _("All notifications marked as read."))
    return redirect("notifications")


def healthz(request):
    """For load balancers and docker (``HealthCheckMiddleware`` answers it first; this keeps the URL named)."""
    return health.health_response()


def robots(request):
    return HttpResponse("User-agent: *\nDisallow: /\n", content_type="text/plain")


def _api_error(request, status: int, detail: str) -> JsonResponse | None:
    """Under /api/ every error is JSON, even for an address no endpoint matches."""
    if request.path_info.startswith("/api/"):
        return JsonResponse({"detail": detail}, status=status)
    return None


def error_400(request, exception=None):
    return _api_error(request, 400, "Bad request.") or render(request, "400.html", status=400)


def error_403(request, exception=None):
    return _api_error(request, 403, "You do not have permission to do this.") or render(request, "403.html",
                                                                                          status=403)


def error_404(request, exception=None):
    return _api_error(request, 404, "Not found.") or render(request, "404.html", status=404)


def error_500(request):
    return health.server_error(request)

