"""One FilterSet per list, shared by the pages and the API."""

from __future__ import annotations

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from boards.models import Board, Decision, Meeting
from govtrack.filters import GovtrackFilterSet
from govtrack.forms import GovukForm


def _of_organisation(queryset, board_path: str, slug: str):
    """Records of the organisation's boards, and of the partnerships' boards it may read (by organisation slug)."""
    return queryset.filter(Q(**{f"{board_path}organisation__slug": slug})
                           | Q(**{f"{board_path}organisation__isnull": True,
                                  f"{board_path}partnership__memberships__organisation__slug": slug})).distinct()


class BoardFilterSet(GovtrackFilterSet):
    organisation = django_filters.CharFilter(method="filter_organisation", label=_("Organisation"))
    kind = django_filters.ChoiceFilter(choices=Board.Kind.choices, label=_("Kind"))
    review_overdue = django_filters.BooleanFilter(method="filter_review_overdue", label=_("Membership review overdue"))

    class Meta:
        model = Board
        fields = ["organisation", "kind", "review_overdue"]

    def filter_organisation(self, queryset, name, value):
        return _of_organisation(queryset, "", value)

    def filter_review_overdue(self, queryset, name, value):
        overdue = queryset.membership_review_overdue()
        return overdue if value else queryset.exclude(pk__in=overdue.values("pk"))


class MeetingFilterSet(GovtrackFilterSet):
    board = django_filters.NumberFilter(field_name="board", label=_("Board"))
    status = django_filters.ChoiceFilter(choices=Meeting.Status.choices, label=_("Status"))
    held_from = django_filters.DateFilter(field_name="held_on", lookup_expr="gte", label=_("From"))
    held_to = django_filters.DateFilter(field_name="held_on", lookup_expr="lte", label=_("To"))

    class Meta:
        model = Meeting
        fields = ["board", "status", "held_from", "held_to"]


class DecisionFilterSet(GovtrackFilterSet):
    """The decision log's filters: words, board, organisation, status and dates."""

    q = django_filters.CharFilter(method="filter_words", label=_("Words in the decision"), max_length=200)
    board = django_filters.NumberFilter(field_name="meeting__board", label=_("Board"))
    organisation = django_filters.CharFilter(method="filter_organisation", label=_("Organisation"))
    status = django_filters.ChoiceFilter(choices=Decision.Status.choices, label=_("Status"))
    proposal = django_filters.NumberFilter(field_name="proposals", label=_("About the proposal"))
    action = django_filters.NumberFilter(field_name="actions", label=_("About the action"))
    decided_from = django_filters.DateFilter(field_name="meeting__held_on", lookup_expr="gte",
                                             label=_("Decided on or after"))
    decided_to = django_filters.DateFilter(field_name="meeting__held_on", lookup_expr="lte",
                                           label=_("Decided on or before"))

    class Meta:
        model = Decision
        fields = ["q", "board", "organisation", "status", "proposal", "action", "decided_from", "decided_to"]
        # The page's dates are GOV.UK day, month and year boxes; scripts and the API still send ISO dates.
        form = GovukForm

    def filter_words(self, queryset, name, value):
        return queryset.search(value)

    def filter_organisation(self, queryset, name, value):
        return _of_organisation(queryset, "meeting__board__", value)
