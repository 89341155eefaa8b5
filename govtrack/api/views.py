"""Kernel endpoints: who am I, my organisations, my notices, the checks run for us, and a personal token."""

import django_filters
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action, api_view, authentication_classes, permission_classes, throttle_classes
from rest_framework.permissions import SAFE_METHODS, AllowAny
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle

from govtrack import access, services
from govtrack.api.base import StrictSerializer
from govtrack.api.permissions import OrganisationRolePermission
from govtrack.filters import GovtrackFilterSet
from govtrack.models import ApiToken, CheckRun, Notification, Organisation


class OrganisationSerializer(serializers.ModelSerializer):
    role = serializers.SerializerMethodField()

    class Meta:
        model = Organisation
        fields = ["slug", "name", "short_name", "kind", "website", "role"]

    def get_role(self, obj) -> str | None:
        return access.role_in(self.context["request"].user, obj)


class OrganisationViewSet(viewsets.ReadOnlyModelViewSet):
    """The organisations the caller belongs to."""

    serializer_class = OrganisationSerializer
    lookup_field = "slug"
    filterset_fields = ["kind"]
    ordering_fields = ["name"]

    def get_queryset(self):
        return Organisation.objects.active().visible_to(self.request.user)


class MeSerializer(serializers.Serializer):
    username = serializers.CharField()
    name = serializers.CharField()
    is_service_account = serializers.BooleanField()
    organisations = OrganisationSerializer(many=True)


@extend_schema(responses=MeSerializer)
@api_view(["GET"])
def me(request):
    """Who the caller is and their role in each organisation."""
    user = request.user
    organisations = Organisation.objects.active().visible_to(user)
    data = {
        "username": user.get_username(),
        "name": user.get_full_name(),
        "is_service_account": hasattr(user, "service_account"),
        "organisations": organisations,
    }
    return Response(MeSerializer(data, context={"request": request}).data)


class TokenRequestSerializer(StrictSerializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=4096, trim_whitespace=False, style={"input_type": "password"})
    otp = serializers.CharField(
        max_length=20, required=False, allow_blank=True, help_text="Your authenticator app's code, if you use one."
    )
    name = serializers.CharField(max_length=100, required=False, allow_blank=True)
    scope = serializers.ChoiceField(choices=ApiToken.Permission.choices, default=ApiToken.Permission.READ_WRITE)


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField(help_text="Shown only this once: send it as Authorization: Token <token>.")
    name = serializers.CharField()
    scope = serializers.CharField()
    expires_at = serializers.DateTimeField(allow_null=True)


@extend_schema(request=TokenRequestSerializer, responses={201: TokenSerializer})
@api_view(["POST"])
@authentication_classes([])
@permission_classes([AllowAny])
@throttle_classes([ScopedRateThrottle])
def auth_token(request):
    """A personal token for a person with a password (and their two-factor code, if they use one).

    Failed passwords count towards the same lockout as the sign-in page. Service accounts
    cannot use this: their admin issues their tokens.
    """
    serializer = TokenRequestSerializer(data=request.data)
    serializer.is_valid(raise_exception=True)
    data = serializer.validated_data
    try:
        token, key = services.issue_personal_token(
            request=request._request,
            username=data["username"],
            password=data["password"],
            otp=data.get("otp", ""),
            name=data.get("name", ""),
            scope=data["scope"],
        )
    except services.TokenRefused as refusal:
        return Response({"detail": refusal.message, "code": refusal.code}, status=refusal.status)
    body = {"token": key, "name": token.name, "scope": token.permission, "expires_at": token.expires_at}
    return Response(TokenSerializer(body).data, status=status.HTTP_201_CREATED)


auth_token.cls.throttle_scope = "auth_token"  # API_THROTTLE_AUTH, per address


class NotificationSerializer(serializers.ModelSerializer):
    organisation = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)

    class Meta:
        model = Notification
        fields = ["id", "kind", "subject", "body", "url", "organisation", "created_at", "read_at"]


class OwnNotices(OrganisationRolePermission):
    """A person reads and marks only their own notices."""

    def has_object_permission(self, request, view, obj) -> bool:
        return obj.recipient_id == request.user.pk


class NotificationFilterSet(GovtrackFilterSet):
    unread = django_filters.BooleanFilter(field_name="read_at", lookup_expr="isnull", label="Not yet read")

    class Meta:
        model = Notification
        fields = ["kind", "unread"]


class NotificationViewSet(viewsets.ReadOnlyModelViewSet):
    """The caller's own notices (escalations proposed to them, reviews due, webhooks disabled...)."""

    serializer_class = NotificationSerializer
    queryset = Notification.objects.none()  # for the schema; get_queryset gives the caller's own
    permission_classes = [OwnNotices]
    filterset_class = NotificationFilterSet
    ordering_fields = ["created_at"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Notification.objects.none()
        return Notification.objects.filter(recipient=self.request.user).select_related("organisation").order_by(
            "-created_at", "-pk")

    @extend_schema(request=None, responses=NotificationSerializer)
    @action(detail=True, methods=["post"])
    def read(self, request, pk=None):
        """Mark one notice as read (again is harmless)."""
        notice = self.get_object()
        if notice.read_at is None:
            notice.read_at = timezone.now()
            notice.save(update_fields=["read_at", "updated_at"])
        return Response(NotificationSerializer(notice).data)


class CheckRunSerializer(serializers.ModelSerializer):
    organisation = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)

    class Meta:
        model = CheckRun
        fields = ["id", "name", "organisation", "started_at", "finished_at", "created", "error"]


class OwnOrganisationsRuns(OrganisationRolePermission):
    def has_object_permission(self, request, view, obj) -> bool:
        return request.method in SAFE_METHODS


class CheckRunViewSet(viewsets.ReadOnlyModelViewSet):
    """Runs of the scheduled checks for the caller's organisations: what ran, when, and what it found."""

    serializer_class = CheckRunSerializer
    queryset = CheckRun.objects.none()  # for the schema; get_queryset gives the caller's organisations' runs
    filterset_fields = ["name"]
    # Found only among the caller's organisations' runs, so reading one needs no other check.
    permission_classes = [OwnOrganisationsRuns]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return CheckRun.objects.none()
        ids = access.visible_organisation_ids(self.request.user)
        return CheckRun.objects.filter(organisation_id__in=ids).select_related("organisation").order_by(
            "-started_at", "-pk")
