"""Audit proposals and actions: API endpoints, registered on the /api/v1/ router by govtrack.api.urls.

The same rules as the pages: scoping through ``visible_to``, validation in ``Model.clean()``, state
changes (updates, revised dates, sign-off, closing) in the models' methods.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from govtrack import access
from govtrack.api.base import (
    CleanModelSerializer,
    DefaultOrganisation,
    OrganisationChoiceField,
    ScopedModelViewSet,
    StrictModelSerializer,
    StrictSerializer,
)
from govtrack.api.filtering import GovtrackFilterBackend
from govtrack.api.parsers import BoundedJSONParser
from proposals import rag, services
from proposals.filters import ActionFilterSet, ProposalFilterSet, SourceFilterSet
from proposals.models import Action, ActionUpdate, DueDateRevision, Evidence, Proposal, Source

router = SimpleRouter()


class SourceSerializer(CleanModelSerializer):
    organisation = OrganisationChoiceField(default=DefaultOrganisation())
    partnership = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)
    shared = serializers.BooleanField(required=False, write_only=True,
                                      help_text=_("Share with the organisation's partnership (plans and roadmaps)."))
    file_url = serializers.SerializerMethodField()

    class Meta:
        model = Source
        fields = ["id", "organisation", "partnership", "shared", "kind", "title", "issuer", "reference", "issued_on",
                  "summary", "url", "file_url", "file_name", "content_type", "file_size"]
        read_only_fields = ["file_name", "content_type", "file_size"]

    def get_file_url(self, obj) -> str | None:
        return reverse("proposals:source_file", args=[obj.pk]) if obj.file else None

    def validate(self, attrs):
        shared = attrs.pop("shared", None)
        if shared is not None:
            organisation = attrs.get("organisation") or getattr(self.instance, "organisation", None)
            partnership = services.partnership_for(organisation) if shared and organisation else None
            if shared and partnership is None:
                raise serializers.ValidationError({"shared": _("This organisation belongs to no partnership.")})
            attrs["partnership"] = partnership
        return super().validate(attrs)


class ProposalSerializer(CleanModelSerializer):
    status = serializers.CharField(read_only=True)
    rag = serializers.SerializerMethodField()
    followed_up_by = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = Proposal
        fields = ["id", "source", "code", "position", "title", "text", "priority", "theme", "response",
                  "response_text", "owner", "status", "rag", "follows_up", "followed_up_by", "risks", "systems",
                  "agreements", "decided_by", "decided_on", "decision_note"]
        read_only_fields = ["decided_by", "decided_on", "decision_note"]

    def validate_source(self, source):
        # Checked with the field, before uniqueness, which would say what another source holds.
        if self.instance is not None and source.pk != self.instance.source_id:
            raise serializers.ValidationError(_("A proposal stays in the source it came from."))
        return source

    def get_rag(self, obj) -> str:
        rank = getattr(obj, "rag_rank_db", None)
        return rag.NAME.get(rank) or (rag.COMPLETE if obj.status in Proposal.FINISHED else "")


class ActionSerializer(CleanModelSerializer):
    rag = serializers.SerializerMethodField()
    is_overdue = serializers.SerializerMethodField()
    days_overdue = serializers.SerializerMethodField()

    class Meta:
        model = Action
        fields = ["id", "proposal", "description", "owner", "due_on", "original_due_on", "progress", "status",
                  "forecast", "rag", "is_overdue", "days_overdue", "completed_on", "signed_off_by", "signed_off_on",
                  "metric", "unit", "baseline", "target", "actual"]

    def get_fields(self):
        fields = super().get_fields()
        if self.instance is not None and not isinstance(self.instance, list | tuple) and hasattr(self.instance, "pk"):
            # Once set, a due date moves only through /revise/ with a reason.
            fields["due_on"].read_only = True
        return fields

    def get_rag(self, obj) -> str:
        if obj.status in Action.OPEN_STATUSES and hasattr(obj, "rag_rank"):
            return rag.NAME[obj.rag_rank]
        return obj.rag

    def get_is_overdue(self, obj) -> bool:
        return obj.is_overdue()

    def get_days_overdue(self, obj) -> int:
        return obj.days_overdue()


class UpdateSerializer(StrictModelSerializer):
    class Meta:
        model = ActionUpdate
        fields = ["id", "progress", "forecast", "note", "actual", "for_meeting_on", "written_by", "created_at"]
        read_only_fields = ["written_by", "created_at"]
        extra_kwargs = {"progress": {"min_value": 0, "max_value": 100}}


class RevisionSerializer(StrictModelSerializer):
    class Meta:
        model = DueDateRevision
        fields = ["id", "previous_due_on", "new_due_on", "reason", "revised_by", "created_at"]
        read_only_fields = ["previous_due_on", "revised_by", "created_at"]


class SignOffSerializer(StrictSerializer):
    on = serializers.DateField(default=timezone.localdate)


class CloseSerializer(StrictSerializer):
    on = serializers.DateField(default=timezone.localdate)
    note = serializers.CharField(required=False, allow_blank=True, default="")
    superseded = serializers.BooleanField(required=False, default=False)


class ReasonSerializer(StrictSerializer):
    reason = serializers.CharField()


class EvidenceSerializer(CleanModelSerializer):
    file_url = serializers.SerializerMethodField()

    class Meta:
        model = Evidence
        fields = ["id", "action", "title", "url", "file", "file_url", "file_name", "content_type", "file_size",
                  "added_by", "created_at"]
        read_only_fields = ["file_name", "content_type", "file_size", "added_by", "created_at"]
        extra_kwargs = {"file": {"write_only": True, "required": False}}

    def get_file_url(self, obj) -> str | None:
        return obj.download_url() if obj.file else None

    def create(self, validated_data):
        # The file's checked type and size are recorded on the record that is saved, not a copy.
        evidence = Evidence(**validated_data)
        evidence.full_clean()
        evidence.save()
        return evidence


class SourceViewSet(ScopedModelViewSet):
    """Audit reports, reviews, business plans and digital roadmaps."""

    serializer_class = SourceSerializer
    queryset = Source.objects.select_related("organisation", "partnership").order_by("-issued_on", "pk")
    filterset_class = SourceFilterSet


class ProposalViewSet(ScopedModelViewSet):
    """Proposals and recommendations, with their rolled-up status and RAG; filters as on the tracker."""

    serializer_class = ProposalSerializer
    filterset_class = ProposalFilterSet
    filter_backends = [GovtrackFilterBackend]

    def get_queryset(self):
        self.queryset = (Proposal.objects.with_tracker().select_related("source")
                         .prefetch_related("follows_up", "followed_up_by", "risks", "systems", "agreements")
                         .order_by("pk"))
        return super().get_queryset()

    @action(detail=True, methods=["post"], serializer_class=CloseSerializer)
    def close(self, request, pk=None):
        """Close (or mark superseded): refused while an action is open, unless superseded."""
        proposal = access.get_object_for(request.user, Proposal.objects.all(), write=True, pk=pk)
        serializer = CloseSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        proposal.close(by=request.user, **serializer.validated_data)
        return Response(ProposalSerializer(self.get_queryset().get(pk=proposal.pk),
                                           context=self.get_serializer_context()).data)


class ActionViewSet(ScopedModelViewSet):
    """Actions; their owners give updates (progress and forecast) and revise due dates with a reason."""

    serializer_class = ActionSerializer
    filterset_class = ActionFilterSet
    filter_backends = [GovtrackFilterBackend]

    def get_queryset(self):
        self.queryset = Action.objects.with_rag().select_related("proposal").order_by("pk")
        return super().get_queryset()

    def _respond(self, action_obj, code=status.HTTP_200_OK):
        fresh = self.get_queryset().get(pk=action_obj.pk)
        return Response(ActionSerializer(fresh, context=self.get_serializer_context()).data, status=code)

    def _changeable(self, request, pk):
        return access.get_object_for(request.user, Action.objects.all(), write=True, pk=pk)

    @action(detail=True, methods=["get", "post"], serializer_class=UpdateSerializer)
    def updates(self, request, pk=None):
        """GET: every update given, newest first (paged). POST: give an update; earlier ones are kept."""
        if request.method == "GET":
            action_obj = self.get_object()
            page = self.paginate_queryset(action_obj.updates.all())
            return self.get_paginated_response(UpdateSerializer(page, many=True).data)
        action_obj = self._changeable(request, pk)
        serializer = UpdateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        update = action_obj.record_update(by=request.user, **serializer.validated_data)
        return Response(UpdateSerializer(update).data, status=status.HTTP_201_CREATED)

    @action(detail=True, methods=["post"], serializer_class=RevisionSerializer)
    def revise(self, request, pk=None):
        """Move the due date with a reason; the original and every revision stay visible."""
        action_obj = self._changeable(request, pk)
        serializer = RevisionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        revision = action_obj.revise_due_date(by=request.user, **serializer.validated_data)
        return Response(RevisionSerializer(revision).data, status=status.HTTP_201_CREATED)

    @action(detail=True, methods=["post"], url_path="sign-off", serializer_class=SignOffSerializer)
    def sign_off(self, request, pk=None):
        """Sign off a completed action: someone who may change the proposal, never its owner."""
        action_obj = access.get_object_for(request.user, Action.objects.select_related("proposal"), pk=pk)
        access.require(access.can_change(request.user, action_obj.proposal))
        serializer = SignOffSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        action_obj.sign_off(by=request.user, **serializer.validated_data)
        return self._respond(action_obj)


class EvidenceViewSet(mixins.CreateModelMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                      viewsets.GenericViewSet):
    """Evidence of actions: links (JSON) or files (multipart); a file is fetched from its file_url."""

    serializer_class = EvidenceSerializer
    queryset = Evidence.objects.order_by("pk")
    filterset_fields = ["action"]
    parser_classes = [BoundedJSONParser, MultiPartParser, FormParser]

    def get_queryset(self):
        return super().get_queryset().visible_to(self.request.user).active()

    def perform_create(self, serializer):
        from django.db import transaction
        from rest_framework.exceptions import PermissionDenied

        with transaction.atomic():
            instance = serializer.save(added_by=self.request.user)
            if not access.can_create(self.request.user, instance):
                raise PermissionDenied(_("You may not add evidence to this action."))


router.register("sources", SourceViewSet, basename="source")
router.register("proposals", ProposalViewSet, basename="proposal")
router.register("actions", ActionViewSet, basename="action")
router.register("evidence", EvidenceViewSet, basename="evidence")
