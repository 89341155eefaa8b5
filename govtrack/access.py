"""The one permission rule: who may see, change, create and link what.

Every view, API endpoint, report, import and task asks these functions; nothing else decides.
Each model declares its scope once (``govtrack.scoping.Scope``); lists filter with
``Model.objects.visible_to(user)`` and single records are checked with ``can_view`` and
``can_change``, both derived from that declaration.

- Any active role in an organisation (viewer, officer, manager, auditor, admin) reads its records
  and what its partnerships share.
- Officers change the records they own or are assigned (the scope's ``owners``) and create
  records in their organisation (the scope's ``create`` roles say who may create what).
- Managers and admins change all of their organisation's records and take its decisions.
- Auditors read everything of the organisation and record follow-up findings.
- Admins manage the organisation's people and service accounts.
- A Django superuser sees and changes everything.
- A suspended membership, an archived organisation or an inactive user grants nothing.
- A related record can be linked only if the person may see it (``linkable``); that it belongs to
  the same organisation is the model's own invariant (``ScopedModel.same_organisation``).
"""

from __future__ import annotations

from typing import Any

import rules
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.db.models import Model, QuerySet
from django.http import Http404
from django.utils import timezone

from govtrack.roles import ADMIN_ROLES, FINDING_ROLES, MANAGE_ROLES, READ_ROLES, Role

_ROLES_CACHE = "_govtrack_roles"
_PARTNERSHIPS_CACHE = "_govtrack_partnership_roles"


def _active(user) -> bool:
    return user is not None and getattr(user, "is_authenticated", False) and user.is_active


def roles_of(user) -> dict[int, str]:
    """Organisation id → role for this person's memberships that grant access (one query, cached)."""
    if not _active(user):
        return {}
    cached = getattr(user, _ROLES_CACHE, None)
    if cached is None:
        membership = apps.get_model("govtrack", "Membership")
        rows = (
            membership.objects.filter(user=user, organisation__archived_at__isnull=True)
            .exclude(status=membership.Status.SUSPENDED)
            .values_list("organisation_id", "role")
        )
        cached = dict(rows)
        setattr(user, _ROLES_CACHE, cached)
    return cached


def forget(user) -> None:
    """Drop the cached roles after a membership of this person changed."""
    for name in (_ROLES_CACHE, _PARTNERSHIPS_CACHE):
        if hasattr(user, name):
            delattr(user, name)


def visible_organisation_ids(user) -> list[int]:
    return sorted(roles_of(user))


def partnership_roles(user) -> dict[int, set[str]]:
    """Partnership id → the roles this person holds in organisations that are its members today (or its provider)."""
    roles = roles_of(user)
    if not roles:
        return {}
    cached = getattr(user, _PARTNERSHIPS_CACHE, None)
    if cached is None:
        membership = apps.get_model("govtrack", "PartnershipMembership")
        partnership = apps.get_model("govtrack", "Partnership")
        # The partnerships its organisations belong to and those they provide, in one query (UNION ALL).
        member_of = (
            membership.objects.current(timezone.localdate())
            .filter(organisation_id__in=roles, partnership__archived_at__isnull=True)
            .order_by().values_list("partnership_id", "organisation_id")
        )
        provider_of = (partnership.objects.filter(provider_id__in=roles, archived_at__isnull=True)
                       .order_by().values_list("pk", "provider_id"))
        pairs = list(member_of.union(provider_of, all=True))
        cached = {}
        for partnership_id, organisation_id in pairs:
            cached.setdefault(partnership_id, set()).add(roles[organisation_id])
        setattr(user, _PARTNERSHIPS_CACHE, cached)
    return cached


def visible_partnership_ids(user) -> list[int]:
    """Partnerships that one of this person's organisations belongs to (or provides) today."""
    return sorted(partnership_roles(user))


def organisation_id_of(obj: Any) -> int | None:
    if obj is None:
        return None
    if isinstance(obj, int):
        return obj
    if isinstance(obj, apps.get_model("govtrack", "Organisation")):
        return obj.pk
    return getattr(obj, "organisation_id", None)


def role_in(user, organisation: Any) -> str | None:
    """This person's role in the organisation, or None."""
    return roles_of(user).get(organisation_id_of(organisation))


def has_role(user, organisation: Any, allowed: frozenset[str]) -> bool:
    if not _active(user):
        return False
    if user.is_superuser:
        return True
    return role_in(user, organisation) in allowed


def scope_of(obj_or_model) -> Any:
    """The model's scope declaration; a model without one cannot be checked, so it is a configuration error."""
    scope = getattr(obj_or_model, "scope", None)
    if scope is None:
        name = getattr(obj_or_model, "__name__", type(obj_or_model).__name__)
        raise ImproperlyConfigured(f"{name} declares no scope (govtrack.scoping.Scope).")
    return scope


# -- one record -------------------------------------------------------------------------------------------


def can_view(user, obj) -> bool:
    if not _active(user):
        return False
    if user.is_superuser:
        return True
    return scope_of(obj).can_view(user, obj)


def can_change(user, obj) -> bool:
    """May this person change this record?"""
    if not _active(user):
        return False
    if user.is_superuser:
        return True
    if getattr(obj, "is_archived", False):
        return False
    return scope_of(obj).can_change(user, obj)


def can_restore(user, obj) -> bool:
    """May this person bring an archived record back? Its organisation's (or partnership's) managers may."""
    if not _active(user) or not getattr(obj, "is_archived", False):
        return False
    if user.is_superuser:
        return True
    return bool(scope_of(obj).roles_over(user, obj) & MANAGE_ROLES)


def can_create(user, obj) -> bool:
    """May this person create this (new, or just saved) record: in its organisation, or under its parent?"""
    if not _active(user):
        return False
    if user.is_superuser:
        return True
    scope = scope_of(obj)
    if scope.parent:
        parent = scope.parent_of(obj)
        return parent is not None and can_change(user, parent)
    return bool(scope.roles_over(user, obj) & scope.create)


def can_create_in(user, organisation, model: type[Model] | None = None) -> bool:
    """May this person create a record of ``model`` in the organisation (before it exists)?

    Without a model, whether they may create records there at all (an officer's right).
    """
    allowed = scope_of(model).create if model is not None else frozenset({Role.OFFICER, Role.MANAGER, Role.ADMIN})
    return has_role(user, organisation, allowed)


def can_manage(user, organisation) -> bool:
    return has_role(user, organisation, MANAGE_ROLES)


def can_administer(user, organisation) -> bool:
    return has_role(user, organisation, ADMIN_ROLES)


def can_record_findings(user, organisation) -> bool:
    return has_role(user, organisation, FINDING_ROLES)


def can_read_organisation(user, organisation) -> bool:
    return has_role(user, organisation, READ_ROLES)


# -- linking ----------------------------------------------------------------------------------------------


def colleagues_of(user) -> QuerySet:
    """People who share an organisation with this person: the people they may name in a record."""
    user_model = get_user_model()
    if not _active(user):
        return user_model.objects.none()
    membership = apps.get_model("govtrack", "Membership")
    people = user_model.objects.filter(is_active=True)
    if user.is_superuser:
        return people
    memberships = membership.objects.filter(organisation_id__in=visible_organisation_ids(user)).exclude(
        status=membership.Status.SUSPENDED
    )
    return people.filter(pk__in=memberships.values("user_id"))


def linkable(user, queryset: QuerySet) -> QuerySet:
    """The records of ``queryset`` this person may link a record to: those they may see (and not archived).

    A QuerySet can narrow or widen this with ``linkable_by(user)`` (organisations can link to their
    partners). Every related field a form, serializer or import accepts goes through here.
    """
    model = queryset.model
    if model is get_user_model():
        return queryset.filter(pk__in=colleagues_of(user).values("pk"))
    if hasattr(queryset, "linkable_by"):
        return queryset.linkable_by(user)
    if hasattr(queryset, "visible_to"):
        queryset = queryset.visible_to(user)
        return queryset.filter(archived_at__isnull=True) if hasattr(model, "archived_at") else queryset
    raise ImproperlyConfigured(
        f"{model.__name__} can be linked from a form or the API but declares no scope: give it a "
        "govtrack.scoping.Scope (and a ScopedQuerySet), so the permission rule knows who may link it."
    )


# -- fetching ---------------------------------------------------------------------------------------------


def get_object_for(user, queryset: QuerySet | type[Model], *, write: bool = False, **lookup) -> Model:
    """Fetch one record through ``visible_to(user)``.

    Raises 404 for what the person may not see (so a URL reveals nothing of another
    organisation) and 403 for what they may see but not change.
    """
    if isinstance(queryset, type):
        queryset = queryset.objects.all()
    try:
        obj = queryset.visible_to(user).get(**lookup)
    except (queryset.model.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404(f"No {queryset.model._meta.verbose_name} found.") from None
    if write and not can_change(user, obj):
        raise PermissionDenied
    return obj


def require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


# Templates ask the same rule through django-rules: {% has_perm "govtrack.change_record" user obj as can %}.
rules.add_perm("govtrack.view_record", rules.predicate(lambda user, obj: can_view(user, obj)))
rules.add_perm("govtrack.change_record", rules.predicate(lambda user, obj: can_change(user, obj)))
rules.add_perm("govtrack.manage_organisation", rules.predicate(lambda user, obj: can_manage(user, obj)))
rules.add_perm("govtrack.administer_organisation", rules.predicate(lambda user, obj: can_administer(user, obj)))
rules.add_perm("govtrack.record_finding", rules.predicate(lambda user, obj: can_record_findings(user, obj)))
