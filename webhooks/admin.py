from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from webhooks.models import Delivery, Endpoint


@admin.register(Endpoint)
class EndpointAdmin(SimpleHistoryAdmin):
    list_display = ["name", "organisation", "url", "enabled", "consecutive_failures"]
    list_filter = ["enabled", "organisation"]
    exclude = ["secret"]
    readonly_fields = ["enabled", "disabled_at", "disabled_reason", "consecutive_failures", "created_by"]


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = ["pk", "endpoint", "event", "status", "attempts", "response_code", "created_at"]
    list_filter = ["status", "event"]
    readonly_fields = [f.name for f in Delivery._meta.fields]
