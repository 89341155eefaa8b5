"""Kernel endpoints: who am I, and the organisations I belong to."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, viewsets
from rest_framework.decorators import api_view
from rest_framework.response import Response

from govtrack import access
from govtrack.models import Organisation


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
