"""API pages: 50 records by default, ``?page_size=`` up to 500, in a stable order.

Numbered pages (``?page=``) suit a person; a large list or a sync walks it by cursor instead
(``?cursor=`` empty to start, then each answer's ``next``): records in ascending id, so a page
never skips or repeats a record when others are added meanwhile, and no count is taken.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from rest_framework.exceptions import NotFound
from rest_framework.pagination import CursorPagination, PageNumberPagination


class _Cursor(CursorPagination):
    ordering = ("pk",)
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500


class GovtrackPagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500
    cursor_query_param = "cursor"

    def paginate_queryset(self, queryset, request, view=None):
        self.cursor = None
        if self.cursor_query_param in request.query_params:
            self.cursor = _Cursor()
            try:
                return self.cursor.paginate_queryset(queryset.order_by("pk"), request, view)
            except NotFound:
                raise NotFound(_("That cursor is not one this API gave you: start again with ?cursor= empty.")
                               ) from None
        return super().paginate_queryset(queryset, request, view)

    def get_paginated_response(self, data):
        if self.cursor is not None:
            response = self.cursor.get_paginated_response(data)
            response.data = {"count": None, **response.data}
            return response
        return super().get_paginated_response(data)

    def get_paginated_response_schema(self, schema):
        described = super().get_paginated_response_schema(schema)
        described["properties"]["count"] = {
            "type": "integer", "nullable": True, "example": 123,
            "description": "How many records match; null when walking by cursor."}
        return described

    def get_schema_operation_parameters(self, view):
        return [*super().get_schema_operation_parameters(view), {
            "name": self.cursor_query_param, "required": False, "in": "query",
            "description": "Walk the list by cursor in ascending id: empty to start, then follow `next`. "
                           "For large lists and syncs; no count is taken.",
            "schema": {"type": "string"},
        }]
