"""The base of every FilterSet, shared by pages and the API: number filters hold only numbers a database holds.

A number too large for the database (``?owner=99999999999999999999``) or not a number at all is a
field error (400 in the API, a message beside the filter on a page), never a server error.
"""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from govtrack.bounds import FILTER_INT_RANGE

#: What a choice filter's first option says: a filter left alone matches everything, as people read it.
ANY = _("Any")


class GovtrackFilterSet(django_filters.FilterSet):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        low, high = FILTER_INT_RANGE
        for flt in self.filters.values():
            if isinstance(flt, django_filters.NumberFilter):
                flt.extra.setdefault("min_value", low)
                flt.extra.setdefault("max_value", high)
            elif isinstance(flt, django_filters.ChoiceFilter | django_filters.ModelChoiceFilter):
                flt.extra.setdefault("empty_label", ANY)

