"""Boards, members, meetings and decisions: API endpoints, registered on the /api/v1/ router by govtrack.api.urls.

The same rules as the pages: scoping through ``visible_to``, validation in ``Model.clean()``, the
conflict check and the membership review in ``boards.services`` and the models' methods.
"""

from __future__ import annotations

from django.db.models import Prefetch
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field, extend_schema_serializer
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from boards import services
from boards.filters import BoardFilterSet, DecisionFilterSet, MeetingFilterSet
from boards.models import AgendaItem, Board, BoardMember, Decision, DeclaredInterest, Meeting
from govtrack import access
from govtrack.api.base import (
    CleanModelSerializer,
    DefaultOrganisation,
    OrganisationChoiceField,
    ScopedModelViewSet,
    StrictSerializer,
)
from govtrack.models import Partnership
from proposals.models import Action, Proposal

router = SimpleRouter()


@extend_schema_field(OpenApiTypes.STR)
class PartnershipSlugField(serializers.Field):
    """A partnership by slug: one of the caller's organisations belongs to it (or provides it) today."""

    def to_representation(self, value) -> str:
        return value.slug

    def to_internal_value(self, data):
        request = self.context.get("request")
        visible = access.visible_partnership_ids(getattr(request, "user", None))
        if getattr(getattr(request, "user", None), "is_superuser", False):
            found = Partnership.objects.filter(archived_at__isnull=True, slug=str(data)).first()
        else:
            found = Partnership.objects.filter(archived_at__isnull=True, slug=str(data), pk__in=visible).first()
        if found is None:
            raise serializers.ValidationError(_("No partnership of yours has the slug %(slug)s.") % {
                "slug": str(data)[:60]})
        return found


class BoardSerializer(CleanModelSerializer):
    organisation = OrganisationChoiceField(default=DefaultOrganisation(), allow_null=True, help_text=_(
        "The organisation whose board it is; null for a board of the partnership."))
    partnership = PartnershipSlugField(required=False, allow_null=True, help_text=_(
        "The partnership that shares the board (or owns it, when organisation is null)."))
    membership_review_overdue = serializers.SerializerMethodField()

    class Meta:
        model = Board
        fields = ["id", "organisation", "partnership", "name", "slug", "kind", "purpose", "secretary",
                  "review_interval_days", "membership_reviewed_on", "membership_review_due_on",
                  "membership_review_overdue", "moderngov_site", "moderngov_committee_id"]
        read_only_fields = ["membership_reviewed_on"]
        # A slug is unique per organisation or per partnership: the model's own check says so, field by field.
        validators: list = []

    def get_membership_review_overdue(self, obj) -> bool:
        return obj.is_review_overdue()


class InterestSerializer(serializers.ModelSerializer):
    class Meta:
        model = DeclaredInterest
        fields = ["id", "kind", "company", "supplier", "description", "declared_on", "ended_on"]


class BoardMemberSerializer(CleanModelSerializer):
    interests = InterestSerializer(many=True, read_only=True)

    class Meta:
        model = BoardMember
        fields = ["id", "board", "person", "name", "role", "title", "represents", "represents_name", "joined_on",
                  "left_on", "interests"]


class AgendaItemSerializer(serializers.ModelSerializer):
    class Meta:
        model = AgendaItem
        fields = ["id", "position", "number", "title", "text", "is_restricted", "is_procedural", "moderngov_id"]


class MeetingSerializer(CleanModelSerializer):
    agenda_items = AgendaItemSerializer(many=True, read_only=True)

    class Meta:
        model = Meeting
        fields = ["id", "board", "title", "held_on", "starts_at", "location", "status", "minutes",
                  "minutes_approved_on", "papers_url", "moderngov_id", "agenda_items"]
        read_only_fields = ["moderngov_id"]


class DecisionSerializer(CleanModelSerializer):
    board = serializers.IntegerField(source="meeting.board_id", read_only=True)
    decided_on = serializers.DateField(read_only=True)

    class Meta:
        model = Decision
        fields = ["id", "meeting", "board", "decided_on", "agenda_item", "reference", "title", "text", "status",
                  "owner", "proposals", "actions"]


@extend_schema_serializer(component_name="MembershipReview")
class ReviewSerializer(StrictSerializer):
    reviewed_on = serializers.DateField()
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=10000)
    next_due_on = serializers.DateField(required=False, allow_null=True, default=None)


class ConflictSerializer(serializers.Serializer):
    member = serializers.IntegerField(source="member.pk")
    member_name = serializers.CharField(source="member.display_name")
    interest = serializers.IntegerField(source="interest.pk")
    supplier = serializers.IntegerField(source="supplier_id")
    supplier_name = serializers.CharField()
    systems = serializers.ListField(child=serializers.CharField())
    contracts = serializers.IntegerField()


class BoardViewSet(ScopedModelViewSet):
    """Boards and committees of an organisation or of a partnership."""

    serializer_class = BoardSerializer
    queryset = Board.objects.select_related("organisation", "partnership").order_by("name", "pk")
    filterset_class = BoardFilterSet

    @action(detail=True, methods=["get"], serializer_class=ConflictSerializer)
    def conflicts(self, request, pk=None):
        """Current members' declared interests in suppliers of the board's organisation(s) (P2)."""
        board = self.get_object()
        found = services.conflicts(boards=Board.objects.filter(pk=board.pk))
        return Response(ConflictSerializer(found, many=True).data)

    @action(detail=True, methods=["post"], serializer_class=ReviewSerializer)
    def review(self, request, pk=None):
        """Record a review of the membership; the next review falls due after the board's interval."""
        board = access.get_object_for(request.user, self.get_queryset(), write=True, pk=pk)
        serializer = ReviewSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        board.record_membership_review(by=request.user, **serializer.validated_data)
        return Response(BoardSerializer(board, context=self.get_serializer_context()).data,
                        status=status.HTTP_201_CREATED)


class BoardMemberViewSet(ScopedModelViewSet):
    """Members of boards, with their declared interests."""

    serializer_class = BoardMemberSerializer
    queryset = (BoardMember.objects.select_related("board")
                .prefetch_related(Prefetch("interests", queryset=DeclaredInterest.objects.active()))
                .order_by("board_id", "pk"))
    filterset_fields = ["board", "role"]


class MeetingViewSet(ScopedModelViewSet):
    """Meetings with their agenda items."""

    serializer_class = MeetingSerializer
    queryset = Meeting.objects.select_related("board").prefetch_related("agenda_items").order_by("-held_on", "pk")
    filterset_class = MeetingFilterSet


class DecisionViewSet(ScopedModelViewSet):
    """The decision log across boards and partners: the same filters as the page."""

    serializer_class = DecisionSerializer
    queryset = Decision.objects.select_related("meeting").order_by("-meeting__held_on", "-pk")
    filterset_class = DecisionFilterSet

    def get_queryset(self):
        # The proposals and actions a decision concerns, as far as the caller may read them.
        user = self.request.user
        return super().get_queryset().prefetch_related(
            Prefetch("proposals", queryset=Proposal.objects.visible_to(user)),
            Prefetch("actions", queryset=Action.objects.visible_to(user)))


router.register("boards", BoardViewSet, basename="board")
router.register("board-members", BoardMemberViewSet, basename="board-member")
router.register("meetings", MeetingViewSet, basename="meeting")
router.register("decisions", DecisionViewSet, basename="decision")
