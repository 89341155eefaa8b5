"""Sign-in pages: password sign-in, the second factor, and the person's "Sign-in and security" page."""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.signals import user_login_failed
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from govtrack import services, signin
from govtrack.forms import CodeForm, SetupCodeForm
from govtrack.models import ApiToken


class LoginView(auth_views.LoginView):
    """Django's sign-in page (django-axes counts its failures), with the single sign-on button when it is on."""

    def form_valid(self, form):
        response = super().form_valid(form)
        services.activate_invitation(form.get_user())
        signin.start_session(self.request, method=signin.PASSWORD)
        step = signin.second_factor_step(self.request)
        if step is not None:
            target = reverse("two_factor_verify" if step == "verify" else "two_factor_setup")
            return HttpResponseRedirect(f"{target}?{urlencode({'next': response.url})}")
        return response

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["sso_enabled"] = settings.OIDC_ENABLED
        context["sso_provider"] = settings.OIDC_PROVIDER_NAME
        return context


def _next_url(request, default: str = "dashboard") -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse(default)


@login_required
def two_factor_verify(request):
    """The second step of signing in for a person with an authenticator app."""
    if signin.second_factor_step(request) != "verify":
        return redirect(_next_url(request))
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if signin.complete_second_factor(request, form.cleaned_data["code"]) is not None:
            return redirect(_next_url(request))
        # Wrong codes count towards the same lockout as wrong passwords.
        user_login_failed.send(
            sender=__name__, credentials={"username": request.user.get_username()}, request=request
        )
        if getattr(request, "axes_locked_out", False):
            logout(request)
            return render(request, settings.AXES_LOCKOUT_TEMPLATE, status=429)
        form.add_error("code", _("That code is not right, or has been used. Wait for a new code and try again."))
    return render(request, "registration/two_factor_verify.html", {"form": form, "next": _next_url(request)})


@login_required
def two_factor_setup(request):
    """Walks a person through adding govtrack to an authenticator app; administrators must."""
    if signin.signed_in_with_sso(request):
        messages.info(request, _("You signed in with single sign-on, which uses your organisation's own checks."))
        return redirect("account_security")
    if signin.session_has_totp(request):
        return redirect("account_security")
    device = signin.pending_totp_device(request.user)
    form = SetupCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        codes = signin.confirm_totp(request, device=device, code=form.cleaned_data["code"])
        if codes is not None:
            messages.success(request, _("Two-factor authentication is set up."))
            return render(request, "registration/recovery_codes.html", {"codes": codes, "next": _next_url(request)})
        form.add_error(
            "code", _("That code is not right. Check the time on your phone is set automatically and try again.")
        )
    return render(
        request,
        "registration/two_factor_setup.html",
        {
            "form": form,
            "secret": signin.secret_text(device),
            "qr_code": signin.qr_code_svg(device, title=_("QR code to add govtrack to an authenticator app")),
            "required": signin.is_admin(request.user),
            "next": _next_url(request),
        },
    )


@login_required
def account_security(request):
    """Sign-in and security: two-factor authentication, recovery codes, personal API tokens, session limits."""
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "recovery_codes" and signin.session_has_totp(request):
            codes = signin.new_recovery_codes(request.user)
            return render(request, "registration/recovery_codes.html", {"codes": codes, "next": reverse("dashboard")})
        if action == "turn_off" and signin.session_has_totp(request) and not signin.is_admin(request.user):
            signin.turn_off_second_factor(request)
            messages.success(request, _("Two-factor authentication is turned off."))
        return redirect("account_security")
    tokens = ApiToken.objects.filter(user=request.user).order_by("-created_at")[:50]
    return render(
        request,
        "registration/security.html",
        {
            "sso": signin.signed_in_with_sso(request),
            "has_totp": signin.session_has_totp(request),
            "is_admin": signin.is_admin(request.user),
            "recovery_codes_left": signin.recovery_codes_left(request.user),
            "has_password": request.user.has_usable_password(),
            "tokens": tokens,
            "idle_minutes": settings.SESSION_IDLE_MINUTES,
            "max_hours": settings.SESSION_MAX_HOURS,
            "token_days": settings.API_TOKEN_DAYS,
            "now": timezone.now(),
        },
    )


@login_required
@require_POST
def personal_token_revoke(request, pk: int):
    """Revoke one of the person's own API tokens."""
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)
    services.revoke_token(token=token, by=request.user)
    messages.success(request, _("The token %(name)s no longer works.") % {"name": token.name})
    return redirect("account_security")
