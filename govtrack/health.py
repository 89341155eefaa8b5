"""Failing cleanly: the health check, and the error pages that must work when nothing else does.

- ``/healthz`` answers JSON with the database's and the broker's state, 503 when the database is
  down. It is answered by middleware placed before sessions and authentication, so it never needs
  the database to reach the view.
- The 500 page is rendered from a template alone: no session, no user, no database.
- A database that cannot be reached gives 503 (a page, or JSON for the API), not a traceback.
"""

from __future__ import annotations

import logging
import sys

from django.conf import settings
from django.db import DatabaseError, InterfaceError, OperationalError, connection
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string

logger = logging.getLogger(__name__)

#: Errors that mean the database is unreachable (refused, gone away, out of connections), not a bug.
UNREACHABLE = (OperationalError, InterfaceError)


def database_state() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        return "unreachable"
    return "ok"


def broker_state() -> str:
    url = settings.CELERY_BROKER_URL
    if not url:
        return "in-process"
    try:
        import redis

        redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1).ping()
    except Exception:  # any failure to reach the broker is its state, not an error of this check
        return "unreachable"
    return "ok"


def health_response() -> JsonResponse:
    database, broker = database_state(), broker_state()
    status = "ok" if database == "ok" and broker != "unreachable" else (
        "unavailable" if database != "ok" else "degraded")
    return JsonResponse({"status": status, "database": database, "broker": broker},
                        status=503 if database != "ok" else 200)


class HealthCheckMiddleware:
    """Answers ``/healthz`` before sessions and authentication, which would need the database."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info == "/healthz":
            return health_response()
        return self.get_response(request)


def unavailable_response(request) -> HttpResponse:
    """503: the database cannot be reached. JSON for the API, a plain page otherwise."""
    if request.path_info.startswith("/api/"):
        response = JsonResponse({"detail": "govtrack cannot reach its database just now. Try again in a minute."},
                                status=503)
    else:
        response = HttpResponse(render_to_string("503.html"), status=503)
    response["Retry-After"] = "60"
    return response


def server_error(request) -> HttpResponse:
    """The 500 handler: 503 when the database is down, else the plain 500 page (JSON for the API)."""
    error = sys.exc_info()[1]
    if isinstance(error, UNREACHABLE):
        logger.warning("Database unreachable: %s", error)
        return unavailable_response(request)
    if request.path_info.startswith("/api/"):
        return JsonResponse({"detail": "Something went wrong on our side; nothing was saved. Try again later."},
                            status=500)
    return HttpResponse(render_to_string("500.html"), status=500)
