from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from slas.models import Agreement, Breach, Measurement, ServiceLine


class ServiceLineInline(admin.TabularInline):
    model = ServiceLine
    extra = 0


@admin.register(Agreement)
class AgreementAdmin(SimpleHistoryAdmin):
    list_display = ["title", "revision", "provider", "client", "status", "effective_from", "review_on"]
    list_filter = ["status", "provider", "client"]
    search_fields = ["title", "reference"]
    inlines = [ServiceLineInline]


@admin.register(Measurement)
class MeasurementAdmin(SimpleHistoryAdmin):
    list_display = ["service_line", "period", "actual", "submitted_by"]
    list_filter = ["period"]


@admin.register(Breach)
class BreachAdmin(SimpleHistoryAdmin):
    list_display = ["service_line", "period", "actual", "target", "consecutive", "escalated_at", "cleared_at"]
