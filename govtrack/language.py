"""Each person's language, remembered: chosen once with the header's switch, used on every device.

The switch posts to :func:`set_language`, which does what Django's view does (the cookie) and also
keeps the choice in the person's settings. When they sign in anywhere, their language is put in the
session, and :class:`PersonLanguageMiddleware` speaks it (and sets the cookie, so pages seen after
signing out stay in it) without a query per request. Emails use the same setting.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.utils import translation
from django.views.i18n import set_language as django_set_language

SESSION_KEY = "govtrack_language"


def _known(language: str | None) -> bool:
    return bool(language) and language in dict(settings.LANGUAGES)


def set_language(request):
    response = django_set_language(request)
    language = request.POST.get("language")
    if request.method == "POST" and _known(language) and request.user.is_authenticated:
        from govtrack.models import PersonSettings

        PersonSettings.objects.update_or_create(user=request.user, defaults={"language": language})
        request.session[SESSION_KEY] = language
    return response


@receiver(user_logged_in, dispatch_uid="govtrack-person-language")
def use_their_language(sender, request, user, **kwargs):
    from govtrack.models import PersonSettings

    language = PersonSettings.objects.filter(user=user).values_list("language", flat=True).first()
    if request is not None and hasattr(request, "session") and _known(language):
        request.session[SESSION_KEY] = language


class PersonLanguageMiddleware:
    """After authentication: the signed-in person's own language wins over the browser's."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = getattr(request, "session", None)
        language = session.get(SESSION_KEY) if session is not None else None
        if _known(language) and language != getattr(request, "LANGUAGE_CODE", None):
            translation.activate(language)
            request.LANGUAGE_CODE = language
        response = self.get_response(request)
        if _known(language) and request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME) != language:
            response.set_cookie(
                settings.LANGUAGE_COOKIE_NAME, language, max_age=settings.LANGUAGE_COOKIE_AGE,
                path=settings.LANGUAGE_COOKIE_PATH, domain=settings.LANGUAGE_COOKIE_DOMAIN,
                secure=settings.LANGUAGE_COOKIE_SECURE, httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
                samesite=settings.LANGUAGE_COOKIE_SAMESITE,
            )
        return response
