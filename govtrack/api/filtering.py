"""List filters of the API: each list's own FilterSet (shared with its page), plus what every list offers.

Every list of a model with dates also takes ``<date field>_after`` / ``<date field>_before``
(inclusive), and every list of a model with ``updated_at`` takes ``modified_since``: the records
changed at or after that moment, archived ones included (so a partner's copy learns of archiving).
A filter given with no value (``?level=``) or a value it cannot read answers 400 naming it,
rather than being ignored.
"""

from __future__ import annotations

import django_filters
from django.db import models
from django.utils.translation import gettext as _
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework.exceptions import ValidationError

from govtrack.filters import GovtrackFilterSet

MODIFIED_SINCE = "modified_since"

_classes: dict[tuple, type] = {}


def _date_filters(model) -> dict[str, django_filters.Filter]:
    extra: dict[str, django_filters.Filter] = {}
    for field in model._meta.concrete_fields:
        if isinstance(field, models.DateTimeField):
            kind = django_filters.IsoDateTimeFilter
        elif isinstance(field, models.DateField):
            kind = django_filters.DateFilter
        else:
            continue
        label = str(field.verbose_name)
        extra[f"{field.name}_after"] = kind(field_name=field.name, lookup_expr="gte", label=_(
            "%(field)s on or after (ISO 8601)") % {"field": label})
        extra[f"{field.name}_before"] = kind(field_name=field.name, lookup_expr="lte", label=_(
            "%(field)s on or before (ISO 8601)") % {"field": label})
    if any(f.name == "updated_at" for f in model._meta.concrete_fields):
        extra[MODIFIED_SINCE] = django_filters.IsoDateTimeFilter(
            field_name="updated_at", lookup_expr="gte",
            label=_("Changed at or after this moment (ISO 8601), archived records included: for incremental sync"))
    return extra


def api_filterset_class(base: type | None, model, *, key=None) -> type:
    """The view's FilterSet (or an empty one) with the date ranges and ``modified_since`` added."""
    key = key or (base, model)
    if key not in _classes:
        parent = base or GovtrackFilterSet
        extra = {name: flt for name, flt in _date_filters(model).items() if name not in parent.base_filters}
        meta = type("Meta", (getattr(parent, "Meta", object),), {"model": model,
                                                                  "fields": getattr(getattr(parent, "Meta", None),
                                                                                    "fields", [])})
        _classes[key] = type(f"Api{parent.__name__}", (parent,), {**extra, "Meta": meta})
    return _classes[key]


class GovtrackFilterBackend(DjangoFilterBackend):
    """django-filter with the additions above, and no silently ignored filter."""

    def get_filterset_class(self, view, queryset=None):
        base = super().get_filterset_class(view, queryset)
        model = getattr(queryset, "model", None)
        if model is None:
            return base
        # Keyed by the view: django-filter builds a new class per request from ``filterset_fields``.
        return api_filterset_class(base, model, key=(type(view), model))

    def get_filterset(self, request, queryset, view):
        filterset = super().get_filterset(request, queryset, view)
        if filterset is not None:
            empty = {name: [_("Give a value, or leave this filter out.")] for name in filterset.filters
                     if name in request.query_params and not request.query_params.get(name, "").strip()}
            if empty:
                raise ValidationError(empty)
        return filterset
