from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from registers.models import Escalation, MatrixBand, Register, Risk, RiskAction, RiskCategory, RiskMatrix, RiskReview


class MatrixBandInline(admin.TabularInline):
    model = MatrixBand
    extra = 0


class RiskCategoryInline(admin.TabularInline):
    model = RiskCategory
    extra = 0


@admin.register(RiskMatrix)
class RiskMatrixAdmin(SimpleHistoryAdmin):
    list_display = ["name", "organisation", "likelihood_levels", "impact_levels"]
    inlines = [MatrixBandInline, RiskCategoryInline]


@admin.register(Register)
class RegisterAdmin(SimpleHistoryAdmin):
    list_display = ["name", "organisation", "level", "parent", "owner", "escalation_threshold", "status"]
    list_filter = ["organisation", "level", "status"]
    search_fields = ["name", "slug"]


class RiskActionInline(admin.TabularInline):
    model = RiskAction
    extra = 0


@admin.register(Risk)
class RiskAdmin(SimpleHistoryAdmin):
    list_display = ["reference", "title", "register", "current_likelihood", "current_impact", "review_date", "status"]
    list_filter = ["organisation", "register", "status"]
    search_fields = ["reference", "title"]
    inlines = [RiskActionInline]


@admin.register(RiskReview)
class RiskReviewAdmin(admin.ModelAdmin):
    list_display = ["risk", "reviewed_on", "current_likelihood", "current_impact", "reviewed_by"]


@admin.register(Escalation)
class EscalationAdmin(SimpleHistoryAdmin):
    list_display = ["risk", "from_register", "to_register", "status", "kind", "proposed_at", "decided_at"]
    list_filter = ["status", "kind"]
