"""Systems catalogue: API endpoints, registered on the /api/v1/ router by govtrack.api.urls.

The same rules as the pages: scoping through ``visible_to``, validation in ``Model.clean()``,
completeness from ``systems_catalogue.completeness``, the list filtered by ``SystemFilterSet``.
"""

from __future__ import annotations

from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema_field
from rest_framework import mixins, serializers, viewsets
from rest_framework.routers import SimpleRouter

from govtrack.api.base import (
    CleanModelSerializer,
    DefaultOrganisation,
    OrganisationChoiceField,
    ScopedModelViewSet,
    ScopedViewSetMixin,
)
from govtrack.api.filtering import GovtrackFilterBackend
from govtrack.models import Organisation
from systems_catalogue.filters import SystemFilterSet
from systems_catalogue.models import Capability, Contract, Integration, OwnerComment, Supplier, System

router = SimpleRouter()


class ContractSerializer(CleanModelSerializer):
    notice_date = serializers.DateField(read_only=True, allow_null=True)
    annual_cost = serializers.DecimalField(max_digits=16, decimal_places=2, read_only=True, allow_null=True)

    class Meta:
        model = Contract
        fields = [
            "id",
            "system",
            "reference",
            "title",
            "supplier",
            "awarded_on",
            "start_on",
            "end_on",
            "notice_period_days",
            "notice_date",
            "renewal_terms",
            "annual_licence_cost",
            "annual_support_cost",
            "annual_hosting_cost",
            "annual_cost",
            "one_off_cost",
            "total_value",
            "procurement_route",
            "notice_url",
            "archived_at",
        ]
        read_only_fields = ["archived_at"]



class ContractSummarySerializer(ContractSerializer):
    """A system's contracts inside the system (nested read-only, so blank values stay documented)."""

    class Meta(ContractSerializer.Meta):
        fields = [f for f in ContractSerializer.Meta.fields if f != "system"]


@extend_schema_field(
    {
        "type": "object",
        "properties": {
            "score": {"type": "integer", "description": "Percentage of required fields filled in."},
            "missing": {"type": "array", "items": {"type": "string"}},
        },
    }
)
class CompletenessField(serializers.Field):
    def __init__(self, **kwargs):
        kwargs["source"] = "*"
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def to_representation(self, system):
        result = system.completeness
        return {"score": result.score, "missing": result.missing}


class SystemSerializer(CleanModelSerializer):
    organisation = OrganisationChoiceField(default=DefaultOrganisation())
    capabilities = serializers.SlugRelatedField(
        slug_field="slug", many=True, required=False, queryset=Capability.objects.all()
    )
    shared_with = serializers.SlugRelatedField(
        slug_field="slug", many=True, required=False, queryset=Organisation.objects.active()
    )
    completeness = CompletenessField()
    contracts = ContractSummarySerializer(source="current_contracts", many=True, read_only=True)

    class Meta:
        model = System
        fields = [
            "id",
            "organisation",
            "name",
            "purpose",
            "directorate",
            "service_area",
            "owner",
            "sourcing",
            "supplier",
            "developer",
            "product",
            "hosting",
            "lifecycle",
            "criticality",
            "personal_data",
            "capabilities",
            "shared_with",
            "url",
            "end_of_support_on",
            "last_reviewed_on",
            "completeness",
            "contracts",
            "archived_at",
        ]
        read_only_fields = ["archived_at"]



class SystemViewSet(ScopedModelViewSet):
    """The catalogue: filter as on the page (``?directorate=``, ``?incomplete=yes``, ``?sort=-completeness``...)."""

    serializer_class = SystemSerializer
    queryset = System.objects.active()
    filter_backends = [GovtrackFilterBackend]
    filterset_class = SystemFilterSet

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .for_list()
            .prefetch_related(
                "shared_with",
                Prefetch(
                    "contracts",
                    queryset=Contract.objects.active().with_notice_on().select_related("supplier"),
                    to_attr="live_contracts",
                ),
            )
        )


class ContractViewSet(ScopedModelViewSet):
    """Contracts of the systems the caller may see; created and changed by whoever may change the system."""

    serializer_class = ContractSerializer
    queryset = Contract.objects.active().with_notice_on().select_related("system", "system__organisation", "supplier")


class OwnerCommentSerializer(CleanModelSerializer):
    author = serializers.StringRelatedField(read_only=True)

    class Meta:
        model = OwnerComment
        fields = ["id", "system", "author", "written_on", "text", "created_at"]
        read_only_fields = ["author", "created_at"]

    def clean_exclude(self, instance) -> list[str]:
        return [*super().clean_exclude(instance), "author"]


class OwnerCommentViewSet(
    ScopedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Owners' comments: kept as history, so they can be added and read, never changed.

    Only those who may change the system (its owner, a manager) may comment on it.
    """

    serializer_class = OwnerCommentSerializer
    queryset = OwnerComment.objects.select_related("author", "system")
    filterset_fields = ["system"]

    def save_kwargs(self, serializer) -> dict:
        return {"author": self.request.user}


class CapabilitySerializer(serializers.ModelSerializer):
    class Meta:
        model = Capability
        fields = ["slug", "name", "description"]


class CapabilityViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """The shared vocabulary of capabilities (curated by administrators)."""

    serializer_class = CapabilitySerializer
    queryset = Capability.objects.all()
    lookup_field = "slug"


class SupplierSerializer(CleanModelSerializer):
    organisation = OrganisationChoiceField(default=DefaultOrganisation())

    class Meta:
        model = Supplier
        fields = ["id", "organisation", "name", "website", "notes"]


class SupplierViewSet(ScopedModelViewSet):
    serializer_class = SupplierSerializer
    queryset = Supplier.objects.active()


class IntegrationSerializer(CleanModelSerializer):
    class Meta:
        model = Integration
        fields = ["id", "source", "target", "description", "created_at", "updated_at"]
        read_only_fields = ["created_at", "updated_at"]


class IntegrationViewSet(
    ScopedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Data flowing from one system to another; added and changed by whoever may change the source system,
    between two systems of the same organisation."""

    serializer_class = IntegrationSerializer
    queryset = Integration.objects.select_related("source", "target").order_by("pk")
    filterset_fields = ["source", "target"]


router.register("systems", SystemViewSet, basename="system")
router.register("integrations", IntegrationViewSet, basename="integration")
router.register("contracts", ContractViewSet, basename="contract")
router.register("system-comments", OwnerCommentViewSet, basename="system-comment")
router.register("capabilities", CapabilityViewSet, basename="capability")
router.register("suppliers", SupplierViewSet, basename="supplier")
