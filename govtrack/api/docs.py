"""The API's reference pages: the OpenAPI schema (cached) and Swagger UI inside govtrack's own page.

Swagger UI is served from the sidecar package (no CDN) and started by a script of its own URL
(``?script``), so the page needs no inline script under the Content-Security-Policy. It sits in
govtrack's header and footer, in the page's language, with a link back and a plain list of what
the API offers for when scripts do not run.
"""

from __future__ import annotations

from django.core.cache import cache
from django.utils import translation
from drf_spectacular.settings import spectacular_settings
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.response import Response

#: The schema only changes when govtrack is deployed; building it takes a second or more.
SCHEMA_CACHE_SECONDS = 600


class CachedSchemaView(SpectacularAPIView):
    """/api/schema/: built once per language and version, so the docs page never waits on it."""

    def _get_schema_response(self, request):
        key = f"api-schema:{spectacular_settings.VERSION}:{translation.get_language()}:{request.GET.get('format')}"
        data = cache.get(key)
        if data is None:
            response = super()._get_schema_response(request)
            cache.set(key, response.data, SCHEMA_CACHE_SECONDS)
            return response
        filename = self._get_filename(request, spectacular_settings.VERSION)
        return Response(data=data, headers={"Content-Disposition": f'inline; filename="{filename}"'})


class DocsView(SpectacularSwaggerSplitView):
    template_name = "govtrack/api_docs.html"
