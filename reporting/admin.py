from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from reporting.models import BoardPack


@admin.register(BoardPack)
class BoardPackAdmin(SimpleHistoryAdmin):
    """For reference: packs are built and issued from their pages, and what a build wrote is read-only."""

    list_display = ["__str__", "organisation", "partnership", "meeting_date", "language", "status", "issued_at"]
    list_filter = ["status", "language"]
    readonly_fields = [*BoardPack.BUILT_FIELDS, "attempts", "issued_at", "issued_by"]
