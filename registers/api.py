"""Risk registers: API endpoints, registered on the /api/v1/ router by govtrack.api.urls.

The same rules as the pages: scoping through ``visible_to``, validation in ``Model.clean()``,
the escalation workflow in the models' methods and ``registers.services``.
"""

from __future__ import annotations

from django.utils import timezone
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from govtrack import access
from govtrack.api.base import (
    CleanModelSerializer,
    DefaultOrganisation,
    OrganisationChoiceField,
    ScopedModelViewSet,
    ScopedViewSetMixin,
    StrictSerializer,
)
from govtrack.api.filtering import GovtrackFilterBackend
from registers import services
from registers.filters import RegisterFilterSet, RiskFilterSet
from registers.models import Escalation, Register, Risk, RiskMatrix, RiskReview

router = SimpleRouter()


def _matrix(context: dict, organisation) -> RiskMatrix:
    """One matrix per organisation per response, however many risks are listed."""
    cache = context.setdefault("_matrices", {})
    if organisation.pk not in cache:
        cache[organisation.pk] = RiskMatrix.for_organisation(organisation)
    return cache[organisation.pk]


class RegisterSerializer(CleanModelSerializer):
    organisation = OrganisationChoiceField(default=DefaultOrganisation())

    class Meta:
        model = Register
        fields = ["id", "organisation", "name", "slug", "level", "directorate", "owner", "parent",
                  "escalation_threshold", "status", "description"]


class EscalationSummarySerializer(serializers.ModelSerializer):
    from_register = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    to_register = serializers.SlugRelatedField(slug_field="slug", read_only=True)

    class Meta:
        model = Escalation
        fields = ["id", "from_register", "to_register", "status", "kind", "score", "reason", "proposed_at",
                  "decided_at", "decision_reason", "de_escalated_at", "de_escalation_reason"]


class RiskSerializer(CleanModelSerializer):
    organisation = OrganisationChoiceField(default=DefaultOrganisation())
    inherent_score = serializers.IntegerField(read_only=True)
    current_score = serializers.IntegerField(read_only=True)
    target_score = serializers.IntegerField(read_only=True, allow_null=True)
    current_band = serializers.SerializerMethodField()
    trend = serializers.CharField(read_only=True)
    should_escalate = serializers.SerializerMethodField()
    escalations = EscalationSummarySerializer(many=True, read_only=True)

    class Meta:
        model = Risk
        fields = ["id", "organisation", "register", "reference", "title", "cause", "event", "effect", "category",
                  "officer_owner", "owner_name", "member_owner", "inherent_likelihood", "inherent_impact",
                  "current_likelihood", "current_impact", "target_likelihood", "target_impact", "inherent_score",
                  "current_score", "target_score", "current_band", "trend", "existing_controls", "progress",
                  "review_date", "status", "systems", "should_escalate", "escalations"]

    def get_current_band(self, obj) -> str | None:
        band = _matrix(self.context, obj.organisation).band_for(obj.current_score)
        return band.name if band else None

    def get_should_escalate(self, obj) -> bool:
        return obj.should_escalate()


class ReviewSerializer(StrictSerializer):
    reviewed_on = serializers.DateField(default=timezone.localdate)
    current_likelihood = serializers.IntegerField()
    current_impact = serializers.IntegerField()
    target_likelihood = serializers.IntegerField(required=False, allow_null=True)
    target_impact = serializers.IntegerField(required=False, allow_null=True)
    note = serializers.CharField(required=False, allow_blank=True, default="")


class ReasonSerializer(StrictSerializer):
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class RegisterViewSet(ScopedModelViewSet):
    """Risk registers at corporate, directorate and project level."""

    serializer_class = RegisterSerializer
    queryset = Register.objects.select_related("organisation")
    filterset_class = RegisterFilterSet
    ordering_fields = ["name", "level"]


class RiskViewSet(ScopedModelViewSet):
    """Risks, with derived scores, band, trend and whether they should escalate."""

    serializer_class = RiskSerializer
    queryset = Risk.objects.for_api().order_by("pk")
    filterset_class = RiskFilterSet
    filter_backends = [GovtrackFilterBackend]

    @action(detail=True, methods=["post"], serializer_class=ReviewSerializer)
    def reviews(self, request, pk=None):
        """Record a review: the scores on that date, and the next review date from the band."""
        risk = self.get_object()
        serializer = ReviewSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        risk.record_review(by=request.user, **serializer.validated_data)
        return Response(RiskSerializer(risk, context=self.get_serializer_context()).data,
                        status=status.HTTP_201_CREATED)

    @action(detail=True, methods=["post"], serializer_class=ReasonSerializer)
    def escalate(self, request, pk=None):
        """Propose the risk for the parent of the highest register it sits on."""
        risk = self.get_object()
        serializer = ReasonSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        escalation = services.propose_escalation(risk=risk, by=request.user, reason=serializer.validated_data["reason"])
        return Response(EscalationSerializer(escalation).data, status=status.HTTP_201_CREATED)


class RiskReviewSerializer(serializers.ModelSerializer):
    reviewed_by = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)
    matrix_version = serializers.IntegerField(source="matrix_version.number", read_only=True, allow_null=True,
                                              help_text="The version of the organisation's matrix the scores were "
                                                        "read against.")

    class Meta:
        model = RiskReview
        fields = ["id", "risk", "reviewed_on", "reviewed_by", "inherent_likelihood", "inherent_impact",
                  "current_likelihood", "current_impact", "target_likelihood", "target_impact", "note",
                  "next_review_on", "band_name", "matrix_version", "created_at"]
        read_only_fields = fields


class RiskReviewViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """Every review of the risks the caller may see, oldest first: the scores on each date, for trends.
    A review is recorded with POST /api/v1/risks/{id}/reviews/."""

    serializer_class = RiskReviewSerializer
    queryset = RiskReview.objects.select_related("reviewed_by", "matrix_version").order_by("pk")
    filterset_fields = ["risk"]


class EscalationSerializer(EscalationSummarySerializer):
    risk = serializers.PrimaryKeyRelatedField(read_only=True)

    class Meta(EscalationSummarySerializer.Meta):
        fields = ["id", "risk", *EscalationSummarySerializer.Meta.fields[1:]]


class EscalationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Escalations; the parent register's owner (or a manager) accepts, rejects or de-escalates."""

    serializer_class = EscalationSerializer
    queryset = Escalation.objects.select_related("risk", "from_register", "to_register")
    filterset_fields = ["status", "kind"]

    def get_queryset(self):
        return super().get_queryset().visible_to(self.request.user)

    def _decide(self, request, pk, function):
        escalation = access.get_object_for(request.user, self.get_queryset(), pk=pk, write=True)
        serializer = ReasonSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        function(escalation=escalation, by=request.user, reason=serializer.validated_data["reason"])
        return Response(EscalationSerializer(escalation).data)

    @action(detail=True, methods=["post"], serializer_class=ReasonSerializer)
    def accept(self, request, pk=None):
        return self._decide(request, pk, services.accept_escalation)

    @action(detail=True, methods=["post"], serializer_class=ReasonSerializer)
    def reject(self, request, pk=None):
        return self._decide(request, pk, services.reject_escalation)

    @action(detail=True, methods=["post"], url_path="de-escalate", serializer_class=ReasonSerializer)
    def de_escalate(self, request, pk=None):
        return self._decide(request, pk, services.de_escalate)


router.register("registers", RegisterViewSet, basename="register")
router.register("risks", RiskViewSet, basename="risk")
router.register("escalations", EscalationViewSet, basename="escalation")
router.register("risk-reviews", RiskReviewViewSet, basename="risk-review")
