"""Reference data for administrators; day-to-day work happens in govtrack's own pages."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from govtrack.models import (
    ApiToken,
    CheckRun,
    Directorate,
    Membership,
    Notification,
    Organisation,
    Partnership,
    PartnershipMembership,
    ServiceAccount,
)


class PartnershipMembershipInline(admin.TabularInline):
    model = PartnershipMembership
    extra = 0


class MembershipInline(admin.TabularInline):
    model = Membership
    fk_name = "organisation"
    extra = 0
    raw_id_fields = ["user", "invited_by"]


@admin.register(Organisation)
class OrganisationAdmin(SimpleHistoryAdmin):
    list_display = ["name", "short_name", "slug", "kind", "archived_at"]
    list_filter = ["kind"]
    search_fields = ["name", "short_name"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [MembershipInline]


@admin.register(Partnership)
class PartnershipAdmin(SimpleHistoryAdmin):
    list_display = ["name", "slug", "provider"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [PartnershipMembershipInline]


@admin.register(Directorate)
class DirectorateAdmin(SimpleHistoryAdmin):
    list_display = ["name", "organisation", "head", "archived_at"]
    list_filter = ["organisation"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
    raw_id_fields = ["head"]


@admin.register(Membership)
class MembershipAdmin(SimpleHistoryAdmin):
    list_display = ["user", "organisation", "role", "status"]
    list_filter = ["organisation", "role", "status"]
    search_fields = ["user__username", "user__email", "user__last_name"]
    raw_id_fields = ["user", "invited_by"]


@admin.register(ServiceAccount)
class ServiceAccountAdmin(SimpleHistoryAdmin):
    list_display = ["name", "organisation", "created_at"]
    list_filter = ["organisation"]
    raw_id_fields = ["user", "created_by"]


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["subject", "recipient", "created_at", "read_at", "emailed_at"]
    list_filter = ["organisation"]
    raw_id_fields = ["recipient"]


@admin.register(CheckRun)
class CheckRunAdmin(admin.ModelAdmin):
    list_display = ["name", "organisation", "started_at", "finished_at", "created", "error"]
    list_filter = ["name"]


@admin.register(ApiToken)
class ApiTokenAdmin(SimpleHistoryAdmin):
    """Tokens for reference and revocation; keys are never stored, so none can be shown or made here."""

    list_display = ["name", "user", "prefix", "permission", "expires_at", "revoked_at", "last_used_at"]
    list_filter = ["permission"]
    search_fields = ["name", "prefix", "user__username"]
    fields = [
        "user",
        "name",
        "prefix",
        "permission",
        "expires_at",
        "revoked_at",
        "revoked_by",
        "last_used_at",
        "created_by",
    ]
    readonly_fields = ["user", "prefix", "last_used_at", "created_by"]
    raw_id_fields = ["revoked_by"]

    def has_add_permission(self, request) -> bool:
        return False
