"""Single sign-on with the council's OpenID Connect provider (Microsoft Entra ID or any other).

mozilla-django-oidc runs the authorization-code flow (with PKCE and a nonce); this module
adds what govtrack needs around it:

- the provider's endpoints from its discovery document, so one URL configures it;
- the ID token's issuer and audience checked;
- a person is matched to their existing govtrack account by an email address the provider
  says it has verified, and nobody is ever created here: the refusal says to ask the
  organisation's administrator for an invitation;
- an invited person becomes active on their first sign-in.
"""

from __future__ import annotations

import logging

import requests
from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.core.cache import cache
from django.core.exceptions import SuspiciousOperation
from django.http import Http404
from django.shortcuts import render
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.utils import import_from_settings
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from govtrack import access, services, signin

log = logging.getLogger(__name__)

#: Setting → key of the provider's discovery document that fills it when the setting is empty.
DISCOVERED = {
    "OIDC_OP_AUTHORIZATION_ENDPOINT": "authorization_endpoint",
    "OIDC_OP_TOKEN_ENDPOINT": "token_endpoint",
    "OIDC_OP_USER_ENDPOINT": "userinfo_endpoint",
    "OIDC_OP_JWKS_ENDPOINT": "jwks_uri",
    "OIDC_OP_ISSUER": "issuer",
}
DISCOVERY_CACHE_SECONDS = 3600

#: Why a sign-in was refused, as the refusal page explains it.
NO_ACCOUNT, UNVERIFIED, PROVIDER = "no_account", "unverified", "provider"


class ProviderUnavailable(Exception):
    """The provider's discovery document could not be read."""


def discovery() -> dict:
    """The provider's discovery document (cached for an hour), or {} when every endpoint is configured."""
    url = settings.OIDC_DISCOVERY_URL
    if not url:
        return {}
    key = f"govtrack-oidc-discovery:{url}"
    document = cache.get(key)
    if document is None:
        try:
            response = requests.get(url, timeout=settings.OIDC_TIMEOUT)
            response.raise_for_status()
            document = response.json()
        except (requests.RequestException, ValueError) as exc:
            raise ProviderUnavailable(str(exc)) from exc
        cache.set(key, document, DISCOVERY_CACHE_SECONDS)
    return document


def oidc_setting(attr: str, *default):
    """A mozilla-django-oidc setting, with the endpoints the environment leaves empty taken from discovery."""
    value = import_from_settings(attr, *default)
    if attr in DISCOVERED and not value:
        value = discovery().get(DISCOVERED[attr], "")
    return value


def is_single_sign_on_attempt(request, credentials=None) -> bool:
    """For django-axes: a provider callback (no username) is never counted towards a password lockout."""
    return bool(credentials) and "nonce" in credentials and "username" not in credentials


def email_is_verified(claims: dict) -> bool:
    """Whether the provider vouches for the email address.

    Standard providers send ``email_verified``; Microsoft Entra ID sends the optional claim
    ``xms_edov`` (the email's domain is verified by the tenant) when the app registration asks for it.
    """
    for claim in ("email_verified", "xms_edov"):
        value = claims.get(claim)
        if value is True or (isinstance(value, str) and value.lower() == "true"):
            return True
    return False


class SingleSignOnBackend(OIDCAuthenticationBackend):
    """Finds the govtrack account for a provider's verified email; creates nobody."""

    def __init__(self, *args, **kwargs):
        # Settings are read when used, not here: Django builds every backend for every sign-in,
        # including password sign-ins on a site with single sign-on turned off.
        from django.contrib.auth import get_user_model

        self.UserModel = get_user_model()

    get_settings = staticmethod(oidc_setting)

    def __getattr__(self, name: str):
        if name.startswith("OIDC_"):
            defaults = {"OIDC_OP_JWKS_ENDPOINT": None, "OIDC_RP_SIGN_ALGO": "RS256", "OIDC_RP_IDP_SIGN_KEY": None}
            return oidc_setting(name, *([defaults[name]] if name in defaults else []))
        raise AttributeError(name)

    def authenticate(self, request, **kwargs):
        if not settings.OIDC_ENABLED or request is None or "nonce" not in kwargs:
            return None
        try:
            return super().authenticate(request, **kwargs)
        except (requests.RequestException, SuspiciousOperation, ProviderUnavailable, KeyError, ValueError) as exc:
            log.warning("Single sign-on failed at the provider: %s", exc)
            _refuse(request, PROVIDER)
            return None

    def get_userinfo(self, access_token, id_token, payload):
        """The userinfo claims, completed by the ID token's (where Entra ID puts ``xms_edov``)."""
        userinfo = super().get_userinfo(access_token, id_token, payload)
        return {**payload, **userinfo}

    def get_or_create_user(self, access_token, id_token, payload):
        self._check_issuer_and_audience(payload)
        return super().get_or_create_user(access_token, id_token, payload)

    def _check_issuer_and_audience(self, payload: dict) -> None:
        issuer = oidc_setting("OIDC_OP_ISSUER", "")
        if issuer and payload.get("iss") != issuer:
            raise SuspiciousOperation("The ID token comes from another issuer.")
        audience = payload.get("aud")
        audiences = audience if isinstance(audience, list) else [audience]
        if settings.OIDC_RP_CLIENT_ID not in audiences:
            raise SuspiciousOperation("The ID token is for another client.")

    def verify_claims(self, claims) -> bool:
        if not claims.get("email"):
            _refuse(self.request, UNVERIFIED)
            return False
        if not email_is_verified(claims):
            _refuse(self.request, UNVERIFIED)
            return False
        return True

    def filter_users_by_claims(self, claims):
        """People whose govtrack email is this one, who still have a role somewhere (or are superusers)."""
        users = self.UserModel.objects.filter(
            email__iexact=claims["email"].strip(), is_active=True, service_account__isnull=True
        )
        users = [user for user in users if user.is_superuser or access.roles_of(user)]
        if not users:
            _refuse(self.request, NO_ACCOUNT)
        return users

    def create_user(self, claims):  # pragma: no cover - OIDC_CREATE_USER is off; belt and braces
        _refuse(self.request, NO_ACCOUNT)
        return None

    def update_user(self, user, claims):
        """Fill in a name the invitation left blank; nothing else about the person changes here."""
        changed = []
        for field, claim in (("first_name", "given_name"), ("last_name", "family_name")):
            if not getattr(user, field) and claims.get(claim):
                setattr(user, field, str(claims[claim])[:150])
                changed.append(field)
        if changed:
            user.save(update_fields=changed)
        return user

    def get_user(self, user_id):
        return ModelBackend().get_user(user_id)


def _refuse(request, reason: str) -> None:
    if request is not None and not hasattr(request, "govtrack_sso_refusal"):
        request.govtrack_sso_refusal = reason


def _require_enabled() -> None:
    if not settings.OIDC_ENABLED:
        raise Http404("Single sign-on is not turned on.")


class AuthenticateView(OIDCAuthenticationRequestView):
    """Sends the person to the provider to sign in."""

    get_settings = staticmethod(oidc_setting)

    def __init__(self, *args, **kwargs):
        super(OIDCAuthenticationRequestView, self).__init__(*args, **kwargs)

    def get(self, request):
        _require_enabled()
        try:
            self.OIDC_OP_AUTH_ENDPOINT = oidc_setting("OIDC_OP_AUTHORIZATION_ENDPOINT")
        except ProviderUnavailable as exc:
            log.warning("Single sign-on provider unavailable: %s", exc)
            return render(request, "registration/sso_refused.html", {"reason": PROVIDER}, status=503)
        self.OIDC_RP_CLIENT_ID = settings.OIDC_RP_CLIENT_ID
        return super().get(request)


class CallbackView(OIDCAuthenticationCallbackView):
    """Where the provider sends the person back: signs them in, or says plainly why not."""

    get_settings = staticmethod(oidc_setting)

    def get(self, request):
        _require_enabled()
        return super().get(request)

    def login_success(self):
        response = super().login_success()
        signin.start_session(self.request, method=signin.SSO)
        services.activate_invitation(self.user)
        return response

    def login_failure(self):
        reason = getattr(self.request, "govtrack_sso_refusal", None)
        return render(self.request, "registration/sso_refused.html", {"reason": reason}, status=403)
