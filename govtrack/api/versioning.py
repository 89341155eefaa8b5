"""/api/v1/ stays compatible: nothing is removed or changes meaning within a version.

Every API answer says ``API-Version: 1``. When an operation is to go, it is listed in
``DEPRECATED`` (by URL name) a release ahead: its answers then carry ``Deprecation`` (RFC 9745:
since when), ``Sunset`` (RFC 8594: when it goes) and a ``Link`` to the changelog entry in the API
documentation; docs/api-changelog.md keeps the same entries with what replaces each.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

from django.conf import settings
from django.utils.http import http_date

VERSION = "1"


@dataclass(frozen=True)
class Deprecation:
    since: date
    sunset: date
    anchor: str  # the changelog entry, in the API documentation


#: URL name → its deprecation. Empty: nothing in v1 is deprecated.
DEPRECATED: dict[str, Deprecation] = {}


def _epoch(day: date) -> int:
    return int(datetime(day.year, day.month, day.day, tzinfo=UTC).timestamp())


class ApiVersionMiddleware:
    """Adds the version header to every API answer, and the deprecation headers where they apply."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.path.startswith("/api/v1/"):
            response["API-Version"] = VERSION
            match = getattr(request, "resolver_match", None)
            deprecation = DEPRECATED.get(match.url_name) if match else None
            if deprecation is not None:
                response["Deprecation"] = f"@{_epoch(deprecation.since)}"
                response["Sunset"] = http_date(_epoch(deprecation.sunset))
                response["Link"] = f'<{settings.SITE_URL}/api/docs/#{deprecation.anchor}>; rel="deprecation"'
        return response
