"""Per-request context: the organisation a person works in, session lifetimes, the second factor."""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import Resolver404, resolve, reverse
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _

from govtrack import access, signin
from govtrack.models import Organisation

SESSION_KEY = "govtrack_organisation_id"


def my_organisations(request) -> list[Organisation]:
    """The active organisations this person may see, by name: read once a request, for the header's switcher,
    the organisation chosen in the session and the organisation a page's URL names."""
    cached = getattr(request, "_my_organisations", None)
    if cached is None:
        cached = list(Organisation.objects.active().visible_to(request.user))
        request._my_organisations = cached
    return cached


def current_organisation(request) -> Organisation | None:
    """The organisation chosen in this session, if the person still belongs to it, else their first."""
    cached = getattr(request, "_current_organisation", False)
    if cached is not False:
        return cached
    organisation = None
    user = request.user
    if user.is_authenticated:
        allowed = my_organisations(request)
        chosen = request.session.get(SESSION_KEY)
        if chosen:
            organisation = next((o for o in allowed if str(o.pk) == str(chosen)), None)
        if organisation is None:
            ids = set(access.visible_organisation_ids(user))
            mine = [o for o in allowed if o.pk in ids] if ids else allowed
            organisation = mine[0] if mine else None
    request._current_organisation = organisation
    return organisation


class CurrentOrganisationMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.organisation = SimpleLazyObject(lambda: current_organisation(request))
        return self.get_response(request)


class SessionTimeoutMiddleware:
    """Signs a person out after SESSION_IDLE_MINUTES without a request or SESSION_MAX_HOURS after signing in.

    Django's own session expiry is one number; councils want both an idle and an absolute
    limit, and the last-seen time written at most once a minute rather than on every request.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            reason = signin.session_expiry(request)
            if reason is not None:
                logout(request)
                messages.info(request, _EXPIRED[reason]())
        return self.get_response(request)


_EXPIRED = {
    "idle": lambda: _("You were signed out because you had not used govtrack for a while. Sign in again."),
    "lifetime": lambda: _("Your session has reached its time limit. Sign in again."),
}


class SecondFactorMiddleware:
    """Until a person with an authenticator gives a code, or an administrator sets one up, nothing else opens."""

    #: URL names reachable before the second factor, so the person can finish or leave.
    ALLOWED = ("two_factor_verify", "two_factor_setup", "logout", "set_language", "login", "healthz", "api-auth-token")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        step = signin.second_factor_step(request)
        if step is None or self._allowed(request.path_info):
            return self.get_response(request)
        if request.path_info.startswith("/api/"):
            return JsonResponse(
                {"detail": "Finish signing in with two-factor authentication in the browser first."}, status=403
            )
        target = reverse("two_factor_verify" if step == "verify" else "two_factor_setup")
        return redirect(f"{target}?{urlencode({'next': request.get_full_path()})}")

    def _allowed(self, path: str) -> bool:
        if path.startswith((settings.STATIC_URL, "/oidc/")):
            return True
        try:
            name = resolve(path).url_name
        except Resolver404:
            return False
        return name in self.ALLOWED
