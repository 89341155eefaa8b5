"""One FilterSet per list, shared by the register page and the API."""

from __future__ import annotations

import django_filters
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from govtrack import deadlines
from govtrack.filters import GovtrackFilterSet
from registers import scoring
from registers.models import Escalation, Register, Risk, RiskMatrix


class RegisterFilterSet(GovtrackFilterSet):
    organisation = django_filters.CharFilter(field_name="organisation__slug", label=_("Organisation"))
    level = django_filters.ChoiceFilter(choices=Register.Level.choices, label=_("Level"))
    status = django_filters.ChoiceFilter(choices=Register.Status.choices, label=_("Status"))

    class Meta:
        model = Register
        fields = ["organisation", "level", "status"]


class RiskFilterSet(GovtrackFilterSet):
    """Filters of a risk table: band, category, owner, overdue, escalated in or out, heat-map cell."""

    ESCALATED_CHOICES = [("in", _("Escalated to this register")), ("out", _("Escalated from this register"))]

    q = django_filters.CharFilter(method="filter_words", label=_("Words in the reference or title"))
    band = django_filters.CharFilter(method="filter_band", label=_("Band"))
    category = django_filters.CharFilter(field_name="category__name", label=_("Category"))
    owner = django_filters.NumberFilter(field_name="officer_owner", label=_("Officer owner"))
    overdue = django_filters.BooleanFilter(method="filter_overdue", label=_("Review overdue"))
    escalated = django_filters.ChoiceFilter(choices=ESCALATED_CHOICES, method="filter_escalated",
                                            label=_("Escalated"))
    likelihood = django_filters.NumberFilter(field_name="current_likelihood", label=_("Current likelihood"))
    impact = django_filters.NumberFilter(field_name="current_impact", label=_("Current impact"))
    status = django_filters.ChoiceFilter(choices=Risk.Status.choices, label=_("Status"))
    register = django_filters.CharFilter(method="filter_register", label=_("Register (slug)"))
    organisation = django_filters.CharFilter(field_name="organisation__slug", label=_("Organisation"))

    class Meta:
        model = Risk
        fields = ["q", "band", "category", "owner", "overdue", "escalated", "likelihood", "impact", "status"]

    def __init__(self, *args, register: Register | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.register_context = register

    def filter_words(self, queryset, name, value):
        return queryset.filter(Q(reference__icontains=value) | Q(title__icontains=value))

    def filter_overdue(self, queryset, name, value):
        overdue = deadlines.overdue("review_date")
        return queryset.filter(overdue) if value else queryset.exclude(overdue)

    def filter_band(self, queryset, name, value):
        """Bands belong to each organisation's matrix, so the score range is per organisation."""
        condition = Q(pk__in=[])
        for matrix in RiskMatrix.objects.with_bands().filter(organisation__in=queryset.values("organisation")):
            band = next((b for b in matrix.band_list if b.name.lower() == value.lower()), None)
            if band is not None:
                low, high = scoring.band_range(matrix, band)
                condition |= Q(organisation=matrix.organisation_id, current_score_db__gte=low,
                               current_score_db__lte=high)
        return queryset.with_scores().filter(condition)

    def _register(self):
        if self.register_context is not None:
            return self.register_context
        slug = self.data.get("register")
        return slug or None

    def filter_register(self, queryset, name, value):
        return queryset.filter(Q(register__slug=value) | Exists(Escalation.objects.filter(
            risk=OuterRef("pk"), to_register__slug=value, status=Escalation.Status.ACCEPTED)))

    def filter_escalated(self, queryset, name, value):
        register = self._register()
        if isinstance(register, str):
            target = {"to_register__slug": register} if value == "in" else {"from_register__slug": register}
        elif register is not None:
            target = {"to_register": register} if value == "in" else {"from_register": register}
        else:
            target = {}
        statuses = [Escalation.Status.ACCEPTED] if value == "in" else list(Escalation.OPEN_STATUSES)
        return queryset.filter(Exists(Escalation.objects.filter(risk=OuterRef("pk"), status__in=statuses, **target)))
