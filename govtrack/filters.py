"""The base of every FilterSet, shared by pages and the API: number filters hold only numbers a database holds.

A number too large for the database (``?owner=99999999999999999999``) or not a number at all is a
field error (400 in the API, a message beside the filter on a page), never a server error.
"""

from __future__ import annotations

import django_filters

from govtrack.bounds import FILTER_INT_RANGE


class GovtrackFilterSet(django_filters.FilterSet):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        low, high = FILTER_INT_RANGE
        for flt in self.filters.values():
            if isinstance(flt, django_filters.NumberFilter):
                flt.extra.setdefault("min_value", low)
                flt.extra.setdefault("max_value", high)
