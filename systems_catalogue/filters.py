"""The catalogue's one FilterSet, shared by the list page and the API."""

from __future__ import annotations

import django_filters
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from govtrack import access
from govtrack.filters import GovtrackFilterSet
from govtrack.forms import GovukForm
from govtrack.models import Directorate, Organisation
from systems_catalogue.models import Capability, Contract, Supplier, System
from systems_catalogue.services import months_ahead

ENDING_CHOICES = [("3", _("3 months")), ("6", _("6 months")), ("12", _("12 months")), ("24", _("24 months"))]
YES_NO = [("yes", _("Yes")), ("no", _("No"))]


def _user(request):
    return getattr(request, "user", None)


class OrderingWithNames(django_filters.OrderingFilter):
    """Sorting with the system's name as the tie-break, so equal rows keep a stable order across pages."""

    def filter(self, qs, value):
        qs = super().filter(qs, value)
        return qs.order_by(*qs.query.order_by, "name", "pk") if value else qs


class SystemFilterSet(GovtrackFilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    organisation = django_filters.ModelChoiceFilter(
        label=_("Organisation"), queryset=Organisation.objects.active(), to_field_name="slug"
    )
    directorate = django_filters.ModelChoiceFilter(label=_("Directorate"), queryset=Directorate.objects.active())
    supplier = django_filters.ModelChoiceFilter(label=_("Supplier"), queryset=Supplier.objects.active())
    lifecycle = django_filters.ChoiceFilter(label=_("Lifecycle"), choices=System.Lifecycle.choices)
    hosting = django_filters.ChoiceFilter(label=_("Hosting"), choices=System.Hosting.choices)
    criticality = django_filters.ChoiceFilter(label=_("Criticality"), choices=System.Criticality.choices)
    capability = django_filters.ModelChoiceFilter(
        label=_("Capability"), field_name="capabilities", queryset=Capability.objects.all(), to_field_name="slug"
    )
    contract_ending_within = django_filters.ChoiceFilter(
        label=_("Contract ending within"), choices=ENDING_CHOICES, method="filter_ending"
    )
    incomplete = django_filters.ChoiceFilter(label=_("Incomplete"), choices=YES_NO, method="filter_incomplete")
    review_overdue = django_filters.ChoiceFilter(
        label=_("Review overdue"), choices=YES_NO, method="filter_review_overdue"
    )
    sort = OrderingWithNames(
        label=_("Sort by"),
        fields=(
            ("name", "name"),
            ("directorate__name", "directorate"),
            ("supplier__name", "supplier"),
            ("criticality_rank", "criticality"),
            ("completeness_score", "completeness"),
            ("last_reviewed_on", "reviewed"),
        ),
        field_labels={
            "name": _("Name"),
            "directorate__name": _("Directorate"),
            "supplier__name": _("Supplier"),
            "criticality_rank": _("Criticality"),
            "completeness_score": _("Completeness"),
            "last_reviewed_on": _("Last reviewed"),
        },
    )

    class Meta:
        model = System
        fields: list[str] = []
        form = GovukForm

    def __init__(self, *args, organisation: Organisation | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        user = _user(self.request)
        if organisation is not None:
            del self.filters["organisation"]  # the page's URL names it
            for name in ("directorate", "supplier"):
                self.filters[name].queryset = self.filters[name].queryset.for_organisation(organisation)
        elif user is not None and not user.is_superuser and len(access.visible_organisation_ids(user)) < 2:
            del self.filters["organisation"]  # one organisation: nothing to choose between
        # Choices are what the person may see: the page's organisation's, or every visible one's (the API).
        for name in ("organisation", "directorate", "supplier"):
            if name in self.filters:
                self.filters[name].queryset = access.linkable(user, self.filters[name].queryset)

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(name__icontains=value) | Q(purpose__icontains=value) | Q(product__icontains=value))

    def filter_ending(self, queryset, name, value):
        if not value:
            return queryset
        today = timezone.localdate()
        days = (months_ahead(today, int(value)) - today).days
        ending = Contract.objects.active().ending_within(days=days, today=today).filter(system=OuterRef("pk"))
        return queryset.filter(Exists(ending))

    def filter_incomplete(self, queryset, name, value):
        if value == "yes":
            return queryset.filter(cmp_missing__gt=0)
        if value == "no":
            return queryset.filter(cmp_missing=0)
        return queryset

    def filter_review_overdue(self, queryset, name, value):
        if value not in ("yes", "no"):
            return queryset
        overdue = System.objects.review_overdue().values("pk")
        return queryset.filter(pk__in=overdue) if value == "yes" else queryset.exclude(pk__in=overdue)
