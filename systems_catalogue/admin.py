"""Reference data for administrators: capabilities (a shared vocabulary) and catalogue settings."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from systems_catalogue.models import Capability, CatalogueSettings, Contract, Supplier, System


@admin.register(Capability)
class CapabilityAdmin(SimpleHistoryAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(CatalogueSettings)
class CatalogueSettingsAdmin(SimpleHistoryAdmin):
    list_display = ["organisation", "review_interval_days"]


@admin.register(Supplier)
class SupplierAdmin(SimpleHistoryAdmin):
    list_display = ["name", "organisation"]
    list_filter = ["organisation"]
    search_fields = ["name"]


class ContractInline(admin.TabularInline):
    model = Contract
    extra = 0
    fields = ["reference", "supplier", "start_on", "end_on", "notice_period_days", "total_value"]


@admin.register(System)
class SystemAdmin(SimpleHistoryAdmin):
    list_display = ["name", "organisation", "directorate", "lifecycle", "criticality", "archived_at"]
    list_filter = ["organisation", "lifecycle", "criticality", "hosting"]
    search_fields = ["name", "product"]
    raw_id_fields = ["owner"]
    inlines = [ContractInline]
