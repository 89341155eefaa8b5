"""API pages: 50 records by default, ``?page_size=`` up to 500, in a stable order."""

from rest_framework.pagination import PageNumberPagination


class GovtrackPagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500
