from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from boards.models import AgendaItem, Board, BoardMember, Decision, DeclaredInterest, Meeting, MembershipReview, Paper


class BoardMemberInline(admin.TabularInline):
    model = BoardMember
    extra = 0


@admin.register(Board)
class BoardAdmin(SimpleHistoryAdmin):
    list_display = ["name", "organisation", "partnership", "kind", "membership_review_due_on"]
    list_filter = ["kind", "organisation", "partnership"]
    search_fields = ["name", "slug"]
    inlines = [BoardMemberInline]


@admin.register(Meeting)
class MeetingAdmin(SimpleHistoryAdmin):
    list_display = ["board", "held_on", "status", "moderngov_id"]
    list_filter = ["status", "board"]


@admin.register(Decision)
class DecisionAdmin(SimpleHistoryAdmin):
    list_display = ["title", "meeting", "status", "owner"]
    search_fields = ["title", "reference", "text"]


for model in (DeclaredInterest, MembershipReview, AgendaItem, Paper):
    admin.site.register(model, SimpleHistoryAdmin)
