"""Service level agreements: API endpoints, registered on the /api/v1/ router by govtrack.api.urls.

Both parties read an agreement, its lines, measurements and breaches. Measurements are submitted
idempotently: ``PUT /api/v1/measurements/`` with a service line and a period creates the figure or
updates it (the history keeps the earlier value); ``POST /api/v1/measurements/bulk/`` takes a month
of figures for one agreement, all saved or none. The rules are ``slas.services``'.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Exists, OuterRef, Prefetch
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from govtrack import access
from govtrack.api.base import CleanModelSerializer, ScopedModelViewSet, StrictSerializer
from govtrack.models import Organisation
from registers.models import Risk
from slas import services
from slas.filters import AgreementFilterSet, BreachFilterSet, MeasurementFilterSet, ServiceLineFilterSet
from slas.models import Agreement, Breach, Measurement, ServiceLine

router = SimpleRouter()

READ_ONLY_AGREEMENT = ["revision", "supersedes", "shared_with", "status", "approved_by", "approved_at", "published_at"]


class AgreementSerializer(CleanModelSerializer):
    provider = serializers.SlugRelatedField(slug_field="slug", queryset=Organisation.objects.active())
    client = serializers.SlugRelatedField(slug_field="slug", queryset=Organisation.objects.active())
    approved_by = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)

    class Meta:
        model = Agreement
        fields = ["id", "title", "reference", "revision", "supersedes", "provider", "client", "memorandum", "status",
                  "shared_with",
                  "effective_from", "effective_to", "review_on", "annual_charge", "users", "devices", "owner",
                  "escalate_after", "risk_register", "risks", "summary", "summary_cy", "approved_by", "approved_at",
                  "published_at"]
        read_only_fields = READ_ONLY_AGREEMENT


class ServiceLineSerializer(CleanModelSerializer):
    class Meta:
        model = ServiceLine
        fields = ["id", "agreement", "service", "service_cy", "metric", "metric_cy", "reference", "unit", "target",
                  "direction", "period", "charge", "position"]


class MeasurementSerializer(serializers.ModelSerializer):
    submitted_by = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)
    breach = serializers.BooleanField(read_only=True, source="has_open_breach",
                                      help_text=_("Whether the figure misses its target (an open breach)."))

    class Meta:
        model = Measurement
        fields = ["id", "service_line", "period", "actual", "note", "submitted_by", "updated_at", "breach",
                  "version"]
        read_only_fields = fields


class MeasurementSubmissionSerializer(StrictSerializer):
    """One figure: the line and period say which; a second submission for them updates the figure."""

    service_line = serializers.PrimaryKeyRelatedField(queryset=ServiceLine.objects.all())
    period = serializers.DateField(help_text=_("The first day of the month (or quarter) measured."))
    actual = serializers.DecimalField(max_digits=12, decimal_places=3)
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)

    def get_fields(self):
        fields = super().get_fields()
        request = self.context.get("request")
        fields["service_line"].queryset = access.linkable(getattr(request, "user", None),
                                                          ServiceLine.objects.all())
        return fields


class MonthRowSerializer(StrictSerializer):
    service_line = serializers.IntegerField(min_value=1, max_value=2**31 - 1)
    actual = serializers.DecimalField(max_digits=12, decimal_places=3)
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)


class MonthSerializer(StrictSerializer):
    """A month (or quarter) of figures for one agreement: every row saved, or none with each row's errors."""

    agreement = serializers.PrimaryKeyRelatedField(queryset=Agreement.objects.all())
    period = serializers.DateField()
    measurements = MonthRowSerializer(many=True, allow_empty=False, max_length=500)

    def get_fields(self):
        fields = super().get_fields()
        request = self.context.get("request")
        fields["agreement"].queryset = access.linkable(getattr(request, "user", None), Agreement.objects.all())
        return fields


class BreachSerializer(serializers.ModelSerializer):
    agreement = serializers.IntegerField(source="service_line.agreement_id", read_only=True)

    class Meta:
        model = Breach
        fields = ["id", "agreement", "service_line", "measurement", "period", "actual", "target", "consecutive",
                  "escalated_at", "risk", "cleared_at"]
        read_only_fields = fields


class AgreementViewSet(ScopedModelViewSet):
    """Service level agreements between a provider and a client; both parties read them."""

    serializer_class = AgreementSerializer
    queryset = Agreement.objects.select_related("provider", "client", "approved_by").prefetch_related(
        Prefetch("risks", queryset=Risk.objects.only("pk"))).order_by("pk")
    filterset_class = AgreementFilterSet

    def save_kwargs(self, serializer) -> dict:
        return {"created_by": self.request.user}

    def _lifecycle(self, request, function):
        agreement = self.get_object()
        try:
            result = function(agreement=agreement, by=request.user)
        except DjangoValidationError as exc:
            raise ValidationError({"status": exc.messages}) from None
        except DjangoPermissionDenied:
            raise PermissionDenied() from None
        return Response(AgreementSerializer(result, context=self.get_serializer_context()).data)

    @extend_schema(request=None, responses=AgreementSerializer)
    @action(detail=True, methods=["post"])
    def negotiate(self, request, pk=None):
        """Send a draft for negotiation."""
        return self._lifecycle(request, services.start_negotiation)

    @extend_schema(request=None, responses=AgreementSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        """Agree the SLA: a manager of the client who did not write it."""
        return self._lifecycle(request, services.approve_agreement)

    @extend_schema(request=None, responses=AgreementSerializer)
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        """Publish an agreed SLA's plain-language content (English and Welsh)."""
        return self._lifecycle(request, services.publish_agreement)

    @extend_schema(request=None, responses=AgreementSerializer)
    @action(detail=True, methods=["post"])
    def share(self, request, pk=None):
        """Let every member of the agreement's partnership read it."""
        return self._lifecycle(request, services.share_with_partnership)

    @extend_schema(request=None, responses=AgreementSerializer)
    @action(detail=True, methods=["post"])
    def unshare(self, request, pk=None):
        """Only the two parties read it again."""
        return self._lifecycle(request, services.stop_sharing)

    @extend_schema(request=None, responses={201: AgreementSerializer})
    @action(detail=True, methods=["post"], url_path="new-version")
    def new_version(self, request, pk=None):
        """Start the next version as a draft; it supersedes this one once agreed."""
        response = self._lifecycle(request, services.new_version)
        response.status_code = status.HTTP_201_CREATED
        return response


class ServiceLineViewSet(ScopedModelViewSet):
    """What each agreement promises: a metric, a target and which way is better."""

    serializer_class = ServiceLineSerializer
    queryset = ServiceLine.objects.select_related("agreement").order_by("pk")
    filterset_class = ServiceLineFilterSet


def _validation_detail(exc: DjangoValidationError) -> dict:
    return exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}


class MeasurementViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Monthly (or quarterly) figures. ``PUT`` on the list creates or updates the figure for a line and period."""

    serializer_class = MeasurementSerializer
    queryset = Measurement.objects.select_related("submitted_by").order_by("pk")
    filterset_class = MeasurementFilterSet

    @classmethod
    def as_view(cls, actions=None, **initkwargs):
        # The list address also takes PUT: one figure per line and period, created or updated.
        if actions and actions.get("get") == "list":
            actions = {**actions, "put": "submit"}
        return super().as_view(actions, **initkwargs)

    def get_queryset(self):
        open_breach = Breach.objects.filter(measurement=OuterRef("pk"), cleared_at__isnull=True)
        return super().get_queryset().visible_to(self.request.user).annotate(has_open_breach=Exists(open_breach))

    def _read(self, measurement: Measurement) -> dict:
        return MeasurementSerializer(self.get_queryset().get(pk=measurement.pk),
                                     context=self.get_serializer_context()).data

    @extend_schema(request=MeasurementSubmissionSerializer, responses={200: MeasurementSerializer,
                                                                       201: MeasurementSerializer})
    def submit(self, request, *args, **kwargs):
        """Create or update the figure for a service line and period (201 when new, 200 when updated)."""
        serializer = MeasurementSubmissionSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        try:
            measurement, created = services.submit_measurement(by=request.user, **serializer.validated_data)
        except DjangoValidationError as exc:
            raise ValidationError(_validation_detail(exc)) from None
        except DjangoPermissionDenied as exc:
            raise PermissionDenied(str(exc) or None) from None
        return Response(self._read(measurement), status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)

    @extend_schema(request=MonthSerializer, responses={200: MeasurementSerializer(many=True)})
    @action(detail=False, methods=["post"], serializer_class=MonthSerializer)
    def bulk(self, request):
        """A month of figures for one agreement in one request: all saved, or none with each row's errors."""
        serializer = MonthSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        result = services.submit_month(agreement=data["agreement"], period=data["period"],
                                       rows=data["measurements"], by=request.user)
        if result.errors:
            rows = [result.errors.get(index, {}) for index in range(len(data["measurements"]))]
            raise ValidationError({"measurements": rows})
        saved = self.get_queryset().filter(pk__in=[m.pk for m in result.saved])
        return Response(MeasurementSerializer(saved, many=True, context=self.get_serializer_context()).data)


class BreachViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Breaches derived from measurements that missed their targets."""

    serializer_class = BreachSerializer
    queryset = Breach.objects.select_related("service_line").order_by("-period", "pk")
    filterset_class = BreachFilterSet

    def get_queryset(self):
        return super().get_queryset().visible_to(self.request.user)


router.register("agreements", AgreementViewSet, basename="agreement")
router.register("service-lines", ServiceLineViewSet, basename="serviceline")
router.register("measurements", MeasurementViewSet, basename="measurement")
router.register("breaches", BreachViewSet, basename="breach")
