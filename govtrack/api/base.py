"""Building blocks every app's API uses, so scoping and validation are written once.

- ``CleanModelSerializer``: every writable related field accepts only what the caller may see and
  link (``govtrack.access.linkable``; a parent, such as a contract's system, only if the caller may
  change it: adding to a record is changing it), and the model's own ``full_clean()`` runs,
  same-organisation invariants included.
- ``ScopedModelViewSet``: lists and fetches through ``visible_to``; a record's ``ETag`` is its version,
  and an update naming an older one (``If-Match``: 412; a ``version`` field: 409) changes nothing
  (a service account must name one: 428); after a create or an update,
  inside the transaction, re-checks that the caller may create or still change the saved record,
  and rolls back otherwise; deleting archives.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from rest_framework import serializers, viewsets
from rest_framework.exceptions import NotFound, ParseError, PermissionDenied
from rest_framework.relations import ManyRelatedField, RelatedField

from govtrack import access, locking
from govtrack.api.errors import StaleRecord, VersionRequired
from govtrack.api.filtering import MODIFIED_SINCE
from govtrack.models import Organisation


def _request_user(context: dict):
    request = context.get("request")
    return getattr(request, "user", None)


class OrganisationChoiceField(serializers.SlugRelatedField):
    """An organisation given by slug: on create, one the caller may create this kind of record in."""

    def __init__(self, **kwargs):
        kwargs.setdefault("slug_field", "slug")
        kwargs.setdefault("queryset", Organisation.objects.active())
        super().__init__(**kwargs)

    def get_queryset(self):
        user = _request_user(self.context)
        queryset = super().get_queryset().visible_to(user)
        parent = self.parent
        model = getattr(getattr(parent, "Meta", None), "model", None)
        if model is None or getattr(parent, "instance", None) is not None or getattr(user, "is_superuser", False):
            return queryset  # on update the model refuses a move, with its own message
        allowed = access.scope_of(model).create
        return queryset.filter(pk__in=[pk for pk, role in access.roles_of(user).items() if role in allowed])

    def to_internal_value(self, data):
        organisation = super().to_internal_value(data)
        instance = getattr(self.parent, "instance", None)
        if instance is not None and getattr(instance, "organisation_id", None) not in (None, organisation.pk):
            # Refused before uniqueness is checked, which would say what the other organisation holds.
            raise serializers.ValidationError(_("A record stays in the organisation it was created in."))
        return organisation


class DefaultOrganisation:
    """The caller's organisation when they belong to exactly one (as a partner's service account does)."""

    requires_context = True

    def __call__(self, serializer_field):
        user = _request_user(serializer_field.context)
        ids = access.visible_organisation_ids(user)
        if len(ids) == 1:
            return Organisation.objects.get(pk=ids[0])
        raise serializers.ValidationError(_("Say which organisation (by slug): you belong to more than one."))


def refuse_unknown_fields(to_internal_value):
    """Wrap a serializer's ``to_internal_value`` so a misspelt or invented field is an error, not silently
    dropped (the client would think it saved). Every serializer that takes input goes through it."""

    def checked(self, data):
        if isinstance(data, Mapping):
            unknown = sorted(set(data) - set(self.fields))
            if unknown:
                raise serializers.ValidationError(
                    {name: [_("There is no field %(name)s here.") % {"name": name}] for name in unknown})
        return to_internal_value(self, data)

    return checked


class StrictSerializer(serializers.Serializer):
    """A plain input serializer (an action's body) that refuses fields it does not know."""

    to_internal_value = refuse_unknown_fields(serializers.Serializer.to_internal_value)


class StrictModelSerializer(serializers.ModelSerializer):
    """A model serializer for input outside the kernel's CleanModelSerializer that refuses unknown fields."""

    to_internal_value = refuse_unknown_fields(serializers.ModelSerializer.to_internal_value)


class CleanModelSerializer(serializers.ModelSerializer):
    """A ModelSerializer scoped to the caller that runs the model's own validation, as forms do."""

    def get_fields(self):
        fields = super().get_fields()
        user = _request_user(self.context)
        request = self.context.get("request")
        # A JSON read shows records and links none: no choices to narrow (the browsable API's forms do
        # show choices, so there they are narrowed as for a write).
        renderer = getattr(request, "accepted_renderer", None)
        reading = (request is not None and request.method in ("GET", "HEAD") and renderer is not None
                   and renderer.format == "json")
        for field in [] if reading else fields.values():
            if field.read_only:
                continue
            relation = field.child_relation if isinstance(field, ManyRelatedField) else field
            if not isinstance(relation, RelatedField) or isinstance(relation, OrganisationChoiceField):
                continue
            queryset = relation.queryset
            if queryset is None:
                continue
            relation.queryset = access.linkable(user, queryset) if user is not None else queryset.none()
        if hasattr(self.Meta.model, "archived_at") and "archived_at" not in fields:
            fields["archived_at"] = serializers.DateTimeField(
                read_only=True, allow_null=True, help_text=_("When the record was archived; empty while it is in use."))
        if hasattr(self.Meta.model, "version") and "version" not in fields:
            fields["version"] = serializers.IntegerField(
                required=False, min_value=1, max_value=2**31 - 1,
                help_text=_("The version you read. Send it back when you change the record: if the record has "
                            "changed since, nothing is saved and you get 409 with what changed."),
            )
        return fields

    def build_standard_field(self, field_name, model_field):
        field_class, kwargs = super().build_standard_field(field_name, model_field)
        # DRF drops blank and null for a field the model does not let anyone edit, so the schema would
        # promise a choice where the answer can be empty (an action's forecast before its first update).
        if kwargs.get("read_only") and "choices" in kwargs:
            if model_field.blank:
                kwargs["allow_blank"] = True
            if model_field.null:
                kwargs["allow_null"] = True
        return field_class, kwargs

    to_internal_value = refuse_unknown_fields(serializers.ModelSerializer.to_internal_value)

    def validate(self, attrs):
        attrs = super().validate(attrs)
        self.expected_version = attrs.pop("version", None)
        model = self.Meta.model
        parent = getattr(getattr(model, "scope", None), "parent", None)
        user = _request_user(self.context)
        if parent and attrs.get(parent) is not None and not access.can_change(user, attrs[parent]):
            raise serializers.ValidationError(
                {parent: _("You may not change %(record)s, so you cannot add to it.") % {"record": attrs[parent]}}
            )
        instance = copy.copy(self.instance) if self.instance is not None else model()
        many = {f.name for f in model._meta.many_to_many}
        for name, value in attrs.items():
            if name not in many:
                setattr(instance, name, value)
        try:
            instance.full_clean(exclude=self.clean_exclude(instance))
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.message_dict) from None
        if hasattr(instance, "link_errors"):
            linked = {name: attrs[name] for name in many if name in attrs}
            errors = instance.link_errors(linked, fields=list(linked)) if linked else {}
            if errors:
                raise serializers.ValidationError(errors)
        return attrs

    def clean_exclude(self, instance) -> list[str]:
        """Fields the API does not set (they are filled in by the service that saves)."""
        return [f.name for f in type(instance)._meta.fields if not f.editable]


class ScopedViewSetMixin:
    """Lists and fetches through ``visible_to``; creates and changes only where the caller may; archives on delete."""

    def get_queryset(self):
        queryset = super().get_queryset().visible_to(self.request.user)
        if getattr(self, "action", None) == "list" and hasattr(queryset.model, "archived_at"):
            # Archived records are left out of lists unless asked for; a record's own URL still shows it.
            params = self.request.query_params
            # A sync (modified_since) hears of archived records too, unless it says otherwise.
            default = "true" if MODIFIED_SINCE in params else "false"
            wanted = params.get("archived", default).lower()
            if wanted not in ("true", "false"):
                raise ParseError({"archived": [_("Give true or false.")]})
            if wanted == "false":
                queryset = queryset.filter(archived_at__isnull=True)
        return queryset

    def get_object(self):
        """A record by its address, through ``visible_to``; list filters neither apply nor get built."""
        queryset = self.get_queryset()
        lookup = self.lookup_url_kwarg or self.lookup_field
        try:
            obj = queryset.get(**{self.lookup_field: self.kwargs[lookup]})
        except (queryset.model.DoesNotExist, ValueError, TypeError, OverflowError, DjangoValidationError):
            raise NotFound() from None
        self.check_object_permissions(self.request, obj)
        return obj

    def save_kwargs(self, serializer) -> dict:
        """Values the server sets on a new record (its author, say)."""
        return {}

    def perform_create(self, serializer):
        with transaction.atomic():
            instance = serializer.save(**self.save_kwargs(serializer))
            if not access.can_create(self.request.user, instance):
                raise PermissionDenied(_("You may not create this record here."))

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        self.if_match = None
        if request.method in ("PUT", "PATCH"):
            self.if_match = locking.parse_etag(request.headers.get("If-Match"))
            if self.if_match == -1:
                raise ParseError(_("If-Match must be an ETag this API gave you, such as \"3\"."))

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        # A record's ETag is its version: send it back as If-Match to change the record.
        lookup = self.lookup_url_kwarg or self.lookup_field
        data = getattr(response, "data", None)
        if (lookup in self.kwargs and request.method in ("GET", "PUT", "PATCH") and 200 <= response.status_code < 300
                and isinstance(data, dict) and isinstance(data.get("version"), int)):
            response["ETag"] = f'"{data["version"]}"'
        return response

    def perform_update(self, serializer):
        expected_body = getattr(serializer, "expected_version", None)
        if_match = getattr(self, "if_match", None)
        if if_match is None and expected_body is None and hasattr(self.request.user, "service_account"):
            raise VersionRequired()
        with transaction.atomic():
            if hasattr(serializer.instance, "version"):
                try:
                    locking.check_current(serializer.instance, if_match if isinstance(if_match, int) else None)
                    locking.check_current(serializer.instance, expected_body)
                except locking.StaleEdit as stale:
                    raise StaleRecord(stale, status_code=412 if isinstance(if_match, int) else 409) from None
            instance = serializer.save()
            if not access.can_change(self.request.user, instance):
                raise PermissionDenied(
                    _("After this change you could no longer change the record, so it was not saved.")
                )

    def perform_destroy(self, instance):
        instance.archive(by=self.request.user)


class ScopedModelViewSet(ScopedViewSetMixin, viewsets.ModelViewSet):
    pass
