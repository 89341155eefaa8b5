"""One FilterSet per list, shared by the SLA pages and the API."""

from __future__ import annotations

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from govtrack import deadlines
from govtrack.filters import GovtrackFilterSet
from slas.models import Agreement, Breach, Measurement, ServiceLine


class AgreementFilterSet(GovtrackFilterSet):
    q = django_filters.CharFilter(method="filter_words", label=_("Words in the title or reference"))
    status = django_filters.ChoiceFilter(choices=Agreement.Status.choices, label=_("Status"))
    provider = django_filters.CharFilter(field_name="provider__slug", label=_("Provider"))
    client = django_filters.CharFilter(field_name="client__slug", label=_("Client"))
    review_overdue = django_filters.BooleanFilter(method="filter_review_overdue", label=_("Review overdue"))

    class Meta:
        model = Agreement
        fields = ["q", "status", "provider", "client", "review_overdue"]

    def filter_words(self, queryset, name, value):
        return queryset.filter(Q(title__icontains=value) | Q(reference__icontains=value))

    def filter_review_overdue(self, queryset, name, value):
        overdue = Q(status=Agreement.Status.AGREED) & deadlines.overdue("review_on")
        return queryset.filter(overdue) if value else queryset.exclude(overdue)


class ServiceLineFilterSet(GovtrackFilterSet):
    agreement = django_filters.NumberFilter(field_name="agreement", label=_("Agreement"))

    class Meta:
        model = ServiceLine
        fields = ["agreement"]


class MeasurementFilterSet(GovtrackFilterSet):
    agreement = django_filters.NumberFilter(field_name="service_line__agreement", label=_("Agreement"))
    service_line = django_filters.NumberFilter(field_name="service_line", label=_("Service line"))
    period_from = django_filters.DateFilter(field_name="period", lookup_expr="gte", label=_("From period"))
    period_to = django_filters.DateFilter(field_name="period", lookup_expr="lte", label=_("To period"))

    class Meta:
        model = Measurement
        fields = ["agreement", "service_line", "period_from", "period_to"]


class BreachFilterSet(GovtrackFilterSet):
    agreement = django_filters.NumberFilter(field_name="service_line__agreement", label=_("Agreement"))
    open = django_filters.BooleanFilter(field_name="cleared_at", lookup_expr="isnull", label=_("Still open"))
    escalated = django_filters.BooleanFilter(field_name="escalated_at", lookup_expr="isnull", exclude=True,
                                             label=_("Escalated"))
    period_from = django_filters.DateFilter(field_name="period", lookup_expr="gte", label=_("From period"))
    period_to = django_filters.DateFilter(field_name="period", lookup_expr="lte", label=_("To period"))

    class Meta:
        model = Breach
        fields = ["agreement", "open", "escalated", "period_from", "period_to"]
