"""Building blocks every app's API uses, so scoping and validation are written once."""

from __future__ import annotations

import copy

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import serializers, viewsets
from rest_framework.exceptions import PermissionDenied

from govtrack import access
from govtrack.models import Organisation


class OrganisationChoiceField(serializers.SlugRelatedField):
    """An organisation given by slug, limited to those the caller may create records in."""

    def __init__(self, **kwargs):
        kwargs.setdefault("slug_field", "slug")
        kwargs.setdefault("queryset", Organisation.objects.active())
        super().__init__(**kwargs)

    def get_queryset(self):
        request = self.context.get("request")
        queryset = super().get_queryset()
        return queryset.visible_to(request.user) if request else queryset.none()


class DefaultOrganisation:
    """The caller's organisation when they belong to exactly one (as a partner's service account does)."""

    requires_context = True

    def __call__(self, serializer_field):
        request = serializer_field.context["request"]
        ids = access.visible_organisation_ids(request.user)
        if len(ids) == 1:
            return Organisation.objects.get(pk=ids[0])
        raise serializers.ValidationError("Say which organisation (by slug): you belong to more than one.")


class CleanModelSerializer(serializers.ModelSerializer):
    """A ModelSerializer that runs the model's own validation (``full_clean``), as forms do."""

    def validate(self, attrs):
        attrs = super().validate(attrs)
        model = self.Meta.model
        instance = copy.copy(self.instance) if self.instance is not None else model()
        many = {f.name for f in model._meta.many_to_many}
        for name, value in attrs.items():
            if name not in many:
                setattr(instance, name, value)
        try:
            instance.full_clean(exclude=self.clean_exclude(instance))
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.message_dict) from None
        return attrs

    def clean_exclude(self, instance) -> list[str]:
        """Fields the API does not set (they are filled in by the service that saves)."""
        return [f.name for f in type(instance)._meta.fields if not f.editable]


class ScopedViewSetMixin:
    """Lists and fetches through ``visible_to``; creates only where the caller may; archives on delete."""

    def get_queryset(self):
        return super().get_queryset().visible_to(self.request.user)

    def perform_create(self, serializer):
        organisation = serializer.validated_data.get("organisation")
        if organisation is None or not access.can_create_in(self.request.user, organisation):
            raise PermissionDenied("You may not create records in this organisation.")
        serializer.save()

    def perform_destroy(self, instance):
        instance.archive(by=self.request.user)


class ScopedModelViewSet(ScopedViewSetMixin, viewsets.ModelViewSet):
    pass
