"""Each model's scope, declared once: who may see its records, who may change them, who may create one.

A model says where its records belong and ``ScopedQuerySet.visible_to(user)`` (lists),
``govtrack.access.can_view`` / ``can_change`` / ``can_create`` (one record) are both derived
from that one declaration, so a list and a record page cannot disagree::

    class Risk(GovernedModel):
        scope = Scope(owners=("officer_owner", "register__owner"))

    class Contract(ScopedModel):
        scope = Scope(organisation="system__organisation", owners=("system__owner",), parent="system")

    class Agreement(ScopedModel):            # shared between two parties
        scope = Scope(organisation=("provider", "client"), partnership="partnership")

A record belongs to the organisation(s) its ``organisation`` path(s) lead to. When the model
also names a ``partnership`` path, a record with that partnership set is shared with the
partnership's current members (and its provider) to read; a record whose organisation is
empty belongs to the partnership itself, and its members' roles apply to it as they would to
their own organisation's records.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q

from govtrack import access
from govtrack.roles import EDIT_ROLES, MANAGE_ROLES, READ_ROLES

NOTHING = Q(pk__in=[])


def resolve(obj: Any, path: str) -> Any:
    """Follow a query path (``system__organisation``) on an instance; a foreign key's last hop reads its id."""
    parts = path.split("__")
    for name in parts[:-1]:
        obj = getattr(obj, name, None)
        if obj is None:
            return None
    last = parts[-1]
    if last == "pk":
        return obj.pk
    try:
        model_field = obj._meta.get_field(last)
    except Exception:  # a property or an attribute that is not a model field
        return getattr(obj, last, None)
    return getattr(obj, model_field.attname) if model_field.many_to_one or model_field.one_to_one else getattr(
        obj, last, None
    )


@dataclass(frozen=True)
class Scope:
    """Where a model's records belong; see the module docstring."""

    #: Path (or paths, for records shared by two parties) to the owning Organisation.
    organisation: str | tuple[str, ...] = "organisation"
    #: Path to a Partnership that shares the record (or owns it, when no organisation is set).
    partnership: str | None = None
    #: Paths to the people who may change the record with an officer's role (its owner, its register's owner).
    owners: tuple[str, ...] = ()
    #: The record is created under this parent: creating one needs the right to change the parent.
    parent: str | None = None
    #: Roles that may create a record of this model in their organisation (when it has no parent).
    create: frozenset[str] = field(default=EDIT_ROLES)
    #: A shared vocabulary (capabilities): every signed-in person reads it; only a superuser changes it.
    public: bool = False

    @property
    def organisation_paths(self) -> tuple[str, ...]:
        if self.organisation is None:
            return ()
        return (self.organisation,) if isinstance(self.organisation, str) else tuple(self.organisation)

    @property
    def partnership_owned(self) -> bool:
        """Whether a record may belong to a partnership alone (a single, nullable organisation path)."""
        return bool(self.partnership) and len(self.organisation_paths) == 1

    # -- a set of records -------------------------------------------------------------------------------
    def owned_q(self, user) -> Q:
        condition = NOTHING
        for path in self.owners:
            condition |= Q(**{path: user.pk})
        return condition

    def visible_q(self, user) -> Q:
        """Records this person may see (the user is signed in, active and no superuser)."""
        if self.public:
            return Q()
        org_ids = access.visible_organisation_ids(user)
        condition = NOTHING
        for path in self.organisation_paths:
            condition |= Q(**{f"{path}__in": org_ids})
        if self.partnership:
            condition |= Q(**{f"{self.partnership}__in": access.visible_partnership_ids(user)})
        return condition

    def changeable_q(self, user) -> Q:
        """Records this person may change: the same rule as ``access.can_change``, as a query."""
        if self.public:
            return NOTHING
        roles = access.roles_of(user)
        manage = [org for org, role in roles.items() if role in MANAGE_ROLES]
        edit = [org for org, role in roles.items() if role in EDIT_ROLES]
        owned = self.owned_q(user)
        condition = NOTHING
        for path in self.organisation_paths:
            condition |= Q(**{f"{path}__in": manage}) | (Q(**{f"{path}__in": edit}) & owned)
        if self.partnership_owned:
            by_partnership = access.partnership_roles(user)
            manage_p = [p for p, held in by_partnership.items() if held & MANAGE_ROLES]
            edit_p = [p for p, held in by_partnership.items() if held & EDIT_ROLES]
            alone = Q(**{f"{self.organisation_paths[0]}__isnull": True})
            condition |= alone & (
                Q(**{f"{self.partnership}__in": manage_p}) | (Q(**{f"{self.partnership}__in": edit_p}) & owned)
            )
        return condition

    # -- one record -------------------------------------------------------------------------------------
    def organisation_ids(self, obj) -> set[int]:
        return {value for path in self.organisation_paths if (value := resolve(obj, path)) is not None}

    def partnership_id(self, obj) -> int | None:
        return resolve(obj, self.partnership) if self.partnership else None

    def owner_ids(self, obj) -> set[int]:
        return {value for path in self.owners if (value := resolve(obj, path)) is not None}

    def parent_of(self, obj):
        return getattr(obj, self.parent, None) if self.parent else None

    def roles_over(self, user, obj) -> set[str]:
        """The roles this person holds over the record: in its organisations, or its partnership's when it has none."""
        org_ids = self.organisation_ids(obj)
        roles = access.roles_of(user)
        held = {roles[org] for org in org_ids if org in roles}
        if not org_ids and self.partnership_owned:
            held |= access.partnership_roles(user).get(self.partnership_id(obj), set())
        return held

    def shared_with(self, user, obj) -> bool:
        """Whether the record's partnership shares it with one of this person's organisations."""
        partnership_id = self.partnership_id(obj)
        return partnership_id is not None and partnership_id in access.visible_partnership_ids(user)

    def can_view(self, user, obj) -> bool:
        if self.public:
            return True
        return bool(self.roles_over(user, obj) & READ_ROLES) or self.shared_with(user, obj)

    def can_change(self, user, obj) -> bool:
        if self.public:
            return False
        held = self.roles_over(user, obj)
        if held & MANAGE_ROLES:
            return True
        return bool(held & EDIT_ROLES) and user.pk in self.owner_ids(obj)


#: Organisations are their own scope: a person sees the organisations they belong to.
ORGANISATION_SCOPE = Scope(organisation="pk", create=frozenset())
