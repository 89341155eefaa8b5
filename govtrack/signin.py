"""Signing in: who needs a second factor, TOTP enrolment and recovery codes, session lifetimes.

The sign-in pages, the middleware, the API's token endpoint and the tests all call these.
Two-factor authentication is django-otp's: a TOTP device per person and a static device
holding their recovery codes. Single sign-on sessions rely on the identity provider's own
MFA, so nothing here asks them for a govtrack code.
"""

from __future__ import annotations

import time
from base64 import b32encode

import django_otp
import qrcode
import qrcode.image.svg
from django.conf import settings
from django.db import transaction
from django.http import HttpRequest, JsonResponse
from django.shortcuts import render
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from govtrack import access
from govtrack.roles import Role

#: Session keys: when the person signed in, when they were last seen, and how they signed in.
SIGNED_IN_AT = "govtrack_signed_in_at"
LAST_SEEN_AT = "govtrack_last_seen_at"
METHOD = "govtrack_sign_in_method"
HAS_TOTP = "govtrack_has_totp"  # cached so an ordinary page costs no query for it
PASSWORD, SSO = "password", "sso"

#: How stale the last-seen time may get before it is written again (a session write per minute, not per request).
LAST_SEEN_EVERY = 60
RECOVERY_CODES = 10
TOTP_NAME = "Authenticator app"
RECOVERY_NAME = "Recovery codes"


# --- who needs what --------------------------------------------------------------------------


def is_admin(user) -> bool:
    """Administrators must use a second factor: Django staff and superusers, and any organisation's admins."""
    if user is None or not user.is_authenticated:
        return False
    return user.is_staff or user.is_superuser or Role.ADMIN in access.roles_of(user).values()


def has_second_factor(user) -> bool:
    """Whether the person has set up an authenticator app."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def signed_in_with_sso(request: HttpRequest) -> bool:
    return request.session.get(METHOD) == SSO


def session_has_totp(request: HttpRequest) -> bool:
    """``has_second_factor`` for the signed-in person, remembered in their session."""
    cached = request.session.get(HAS_TOTP)
    if cached is None:
        cached = has_second_factor(request.user)
        request.session[HAS_TOTP] = cached
    return cached


def second_factor_step(request: HttpRequest) -> str | None:
    """What the signed-in person must do before using the site: "verify", "enrol", or None."""
    user = request.user
    if not user.is_authenticated or signed_in_with_sso(request):
        return None
    if session_has_totp(request):
        # Right after auth.login() request.user is the plain user, which no code has verified yet.
        is_verified = getattr(user, "is_verified", None)
        return None if is_verified is not None and is_verified() else "verify"
    return "enrol" if is_admin(user) else None


# --- sessions ---------------------------------------------------------------------------------


def start_session(request: HttpRequest, *, method: str) -> None:
    """Start the clocks of a new sign-in, and note how the person signed in."""
    now = int(time.time())
    request.session[SIGNED_IN_AT] = now
    request.session[LAST_SEEN_AT] = now
    request.session[METHOD] = method
    request.session.pop(HAS_TOTP, None)


def session_expiry(request: HttpRequest, now: float | None = None) -> str | None:
    """Why this session has ended ("idle" or "lifetime"), or None while it may go on; keeps the clocks."""
    session = request.session
    now = int(now if now is not None else time.time())
    signed_in_at = session.get(SIGNED_IN_AT)
    last_seen_at = session.get(LAST_SEEN_AT)
    if signed_in_at is None or last_seen_at is None:
        # A session from before these clocks (or made by a test's force_login): start them now.
        session[SIGNED_IN_AT] = signed_in_at or now
        session[LAST_SEEN_AT] = now
        return None
    if settings.SESSION_MAX_HOURS and now - signed_in_at >= settings.SESSION_MAX_HOURS * 3600:
        return "lifetime"
    if settings.SESSION_IDLE_MINUTES and now - last_seen_at >= settings.SESSION_IDLE_MINUTES * 60:
        return "idle"
    if now - last_seen_at >= LAST_SEEN_EVERY:
        session[LAST_SEEN_AT] = now
    return None


# --- TOTP enrolment and verification ----------------------------------------------------------


def pending_totp_device(user) -> TOTPDevice:
    """The authenticator being set up: the same secret until it is confirmed, so reloading the page is safe."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    return device or TOTPDevice.objects.create(user=user, name=TOTP_NAME, confirmed=False)


def secret_text(device: TOTPDevice) -> str:
    """The secret as people type it into an app: base32 in groups of four."""
    secret = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def qr_code_svg(device: TOTPDevice, *, title: str) -> SafeString:
    """The setup link as an inline SVG QR code, drawn on the server with presentation attributes only."""
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathFillImage, box_size=8, border=2)
    svg = image.to_string(encoding="unicode")
    svg = svg.replace("<svg ", '<svg role="img" aria-labelledby="gt-qr-title" class="gt-qr" ', 1)
    svg = svg.replace(">", f'><title id="gt-qr-title">{escape(title)}</title>', 1)
    return mark_safe(svg)  # made here from our own data; the title is escaped


@transaction.atomic
def confirm_totp(request: HttpRequest, *, device: TOTPDevice, code: str) -> list[str] | None:
    """Confirm an authenticator with a code from it; returns new recovery codes, or None if the code is wrong.

    The session counts as verified from then on.
    """
    device = TOTPDevice.objects.select_for_update().get(pk=device.pk, user=request.user, confirmed=False)
    if not device.verify_token(_digits(code)):
        return None
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=request.user, confirmed=False).delete()
    codes = new_recovery_codes(request.user)
    django_otp.login(request, device)
    request.session[HAS_TOTP] = True
    return codes


@transaction.atomic
def new_recovery_codes(user) -> list[str]:
    """Replace the person's recovery codes with a fresh set; each works once."""
    device, _created = StaticDevice.objects.get_or_create(user=user, name=RECOVERY_NAME, defaults={"confirmed": True})
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _n in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def recovery_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__name=RECOVERY_NAME).count()


def verify_code(user, code: str):
    """The device that accepts this code (an authenticator code or an unused recovery code), or None.

    Each device throttles repeated failures (django-otp doubles the wait after each one).
    """
    code = (code or "").strip().replace(" ", "").lower()
    if not code:
        return None
    with transaction.atomic():
        if code.isdigit() and len(code) == 6:
            devices = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=True)
        else:
            devices = StaticDevice.objects.select_for_update().filter(user=user, confirmed=True)
        for device in devices:
            if device.verify_token(code):
                return device
    return None


def complete_second_factor(request: HttpRequest, code: str):
    """Check the signed-in person's code and mark the session verified; returns the device or None."""
    device = verify_code(request.user, code)
    if device is not None:
        django_otp.login(request, device)
    return device


@transaction.atomic
def turn_off_second_factor(request: HttpRequest) -> None:
    """Remove the person's authenticator and recovery codes (not allowed for administrators)."""
    TOTPDevice.objects.filter(user=request.user).delete()
    StaticDevice.objects.filter(user=request.user).delete()
    request.session.pop(django_otp.DEVICE_ID_SESSION_KEY, None)
    request.session[HAS_TOTP] = False


def _digits(code: str) -> str:
    return "".join(ch for ch in (code or "") if ch.isdigit())


# --- lockout ----------------------------------------------------------------------------------


def lockout_response(request, original_response=None, credentials=None):
    """django-axes' answer to a locked-out attempt: JSON for the API, the sign-in lockout page otherwise."""
    if request.path.startswith("/api/"):
        return JsonResponse(
            {"detail": "Too many failed attempts: this account is locked for an hour.", "code": "locked_out"},
            status=403,
        )
    return render(request, settings.AXES_LOCKOUT_TEMPLATE, status=429)
