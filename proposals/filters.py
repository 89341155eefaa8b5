"""One FilterSet per list, shared by the tracker page and the API."""

from __future__ import annotations

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from govtrack.filters import GovtrackFilterSet
from proposals import rag
from proposals.models import Action, Proposal, Source


class SourceFilterSet(GovtrackFilterSet):
    organisation = django_filters.CharFilter(field_name="organisation__slug", label=_("Organisation"))
    kind = django_filters.ChoiceFilter(choices=Source.Kind.choices, label=_("Kind"))

    class Meta:
        model = Source
        fields = ["organisation", "kind"]


class ProposalFilterSet(GovtrackFilterSet):
    """The tracker's filters: source, status, owner, overdue, theme, RAG (and words)."""

    q = django_filters.CharFilter(method="filter_words", label=_("Words in the code or text"))
    source = django_filters.NumberFilter(field_name="source", label=_("Source"))
    status = django_filters.ChoiceFilter(choices=Proposal.Status.choices, method="filter_status", label=_("Status"))
    owner = django_filters.NumberFilter(method="filter_owner", label=_("Owner (of the proposal or an action)"))
    overdue = django_filters.BooleanFilter(method="filter_overdue", label=_("Has an overdue action"))
    theme = django_filters.CharFilter(field_name="theme", lookup_expr="iexact", label=_("Theme"))
    rag = django_filters.ChoiceFilter(choices=rag.CHOICES, method="filter_rag", label=_("RAG"))
    organisation = django_filters.CharFilter(field_name="source__organisation__slug", label=_("Organisation"))

    class Meta:
        model = Proposal
        fields = ["q", "source", "status", "owner", "overdue", "theme", "rag", "organisation"]

    def filter_words(self, queryset, name, value):
        return queryset.filter(Q(code__icontains=value) | Q(title__icontains=value) | Q(text__icontains=value))

    def filter_status(self, queryset, name, value):
        return queryset.status_is(value)

    def filter_owner(self, queryset, name, value):
        return queryset.filter(Q(owner=value) | Q(actions__owner=value)).distinct()

    def filter_overdue(self, queryset, name, value):
        late = queryset.overdue()
        return late if value else queryset.exclude(pk__in=late.values("pk"))

    def filter_rag(self, queryset, name, value):
        return queryset.rag_is(value)


class ActionFilterSet(GovtrackFilterSet):
    proposal = django_filters.NumberFilter(field_name="proposal", label=_("Proposal"))
    owner = django_filters.NumberFilter(field_name="owner", label=_("Owner"))
    status = django_filters.ChoiceFilter(choices=Action.Status.choices, label=_("Status"))
    overdue = django_filters.BooleanFilter(method="filter_overdue", label=_("Overdue"))

    class Meta:
        model = Action
        fields = ["proposal", "owner", "status", "overdue"]

    def filter_overdue(self, queryset, name, value):
        late = queryset.overdue()
        return late if value else queryset.exclude(pk__in=late.values("pk"))
