"""The one permission rule: who may see and who may change what.

Every view, API endpoint, report and task asks these functions; nothing else decides.

- Any active role in an organisation (viewer, officer, manager, auditor, admin) reads its records
  and what its partnerships share.
- Officers change the records they own or are assigned (``record.is_owned_by(user)``) and
  create records in their organisation.
- Managers and admins change all of their organisation's records and take its decisions
  (accept escalations, approve agreements).
- Auditors read everything of the organisation and record follow-up findings.
- Admins manage the organisation's people and service accounts.
- A Django superuser sees and changes everything.
- A suspended membership, an archived organisation or an inactive user grants nothing.
"""

from __future__ import annotations

from typing import Any

import rules
from django.apps import apps
from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.http import Http404
from django.utils import timezone

VIEWER, OFFICER, MANAGER, AUDITOR, ADMIN = "viewer", "officer", "manager", "auditor", "admin"
READ_ROLES = frozenset({VIEWER, OFFICER, MANAGER, AUDITOR, ADMIN})
EDIT_ROLES = frozenset({OFFICER, MANAGER, ADMIN})
MANAGE_ROLES = frozenset({MANAGER, ADMIN})
FINDING_ROLES = frozenset({AUDITOR, MANAGER, ADMIN})
ADMIN_ROLES = frozenset({ADMIN})

_ROLES_CACHE = "_govtrack_roles"
_PARTNERSHIPS_CACHE = "_govtrack_partnerships"


def roles_of(user) -> dict[int, str]:
    """Organisation id → role for this person's memberships that grant access (one query, cached)."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
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


def visible_partnership_ids(user) -> list[int]:
    """Partnerships that one of this person's organisations belongs to today."""
    org_ids = visible_organisation_ids(user)
    if not org_ids:
        return []
    cached = getattr(user, _PARTNERSHIPS_CACHE, None)
    if cached is None:
        membership = apps.get_model("govtrack", "PartnershipMembership")
        cached = sorted(
            set(
                membership.objects.current(timezone.localdate())
                .filter(organisation_id__in=org_ids)
                .values_list("partnership_id", flat=True)
            )
        )
        setattr(user, _PARTNERSHIPS_CACHE, cached)
    return cached


def organisation_id_of(obj: Any) -> int | None:
    if obj is None:
        return None
    if isinstance(obj, int):
        return obj
    return getattr(obj, "organisation_id", None)


def role_in(user, organisation: Any) -> str | None:
    """This person's role in the organisation (or the record's organisation), or None."""
    return roles_of(user).get(organisation_id_of(organisation))


def has_role(user, organisation: Any, allowed: frozenset[str]) -> bool:
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return role_in(user, organisation) in allowed


@rules.predicate
def reads_record(user, obj) -> bool:
    return has_role(user, obj, READ_ROLES) or _shared_with(user, obj)


@rules.predicate
def edits_in_organisation(user, obj) -> bool:
    return has_role(user, obj, EDIT_ROLES)


@rules.predicate
def manages_record(user, obj) -> bool:
    return has_role(user, obj, MANAGE_ROLES)


@rules.predicate
def owns_record(user, obj) -> bool:
    is_owned_by = getattr(obj, "is_owned_by", None)
    return bool(is_owned_by and is_owned_by(user))


@rules.predicate
def administers_organisation(user, obj) -> bool:
    return has_role(user, obj, ADMIN_ROLES)


@rules.predicate
def records_findings(user, obj) -> bool:
    return has_role(user, obj, FINDING_ROLES)


rules.add_perm("govtrack.view_record", reads_record)
rules.add_perm("govtrack.change_record", manages_record | (edits_in_organisation & owns_record))
rules.add_perm("govtrack.create_record", edits_in_organisation)
rules.add_perm("govtrack.manage_organisation", manages_record)
rules.add_perm("govtrack.administer_organisation", administers_organisation)
rules.add_perm("govtrack.record_finding", records_findings)


def _shared_with(user, obj) -> bool:
    partnership_id = getattr(obj, "partnership_id", None)
    return partnership_id is not None and partnership_id in visible_partnership_ids(user)


def can_view(user, obj) -> bool:
    return user.has_perm("govtrack.view_record", obj)


def can_change(user, obj) -> bool:
    """May this person change this record?"""
    if getattr(obj, "is_archived", False) and not getattr(user, "is_superuser", False):
        return False
    return user.has_perm("govtrack.change_record", obj)


def can_create_in(user, organisation) -> bool:
    return user.has_perm("govtrack.create_record", organisation)


def can_manage(user, organisation) -> bool:
    return user.has_perm("govtrack.manage_organisation", organisation)


def can_administer(user, organisation) -> bool:
    return user.has_perm("govtrack.administer_organisation", organisation)


def can_record_findings(user, organisation) -> bool:
    return user.has_perm("govtrack.record_finding", organisation)


def get_object_for(user, queryset: QuerySet | type[Model], *, write: bool = False, **lookup) -> Model:
    """Fetch one record through ``visible_to(user)``.

    Raises 404 for what the person may not see (so a URL reveals nothing of another
    organisation) and 403 for what they may see but not change.
    """
    if isinstance(queryset, type):
        queryset = queryset.objects.all()
    try:
        obj = queryset.visible_to(user).get(**lookup)
    except (queryset.model.DoesNotExist, ValueError, TypeError):
        raise Http404(f"No {queryset.model._meta.verbose_name} found.") from None
    if write and not can_change(user, obj):
        raise PermissionDenied
    return obj


def require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied
