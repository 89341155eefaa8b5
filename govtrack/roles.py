"""The roles a person can hold in an organisation, and which of them may do what.

``Membership.Role`` is this class; the permission rule (``govtrack.access``) and every
scope declaration (``govtrack.scoping``) name roles through it, never as bare strings.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    VIEWER = "viewer", _("Viewer")
    OFFICER = "officer", _("Officer")
    MANAGER = "manager", _("Manager")
    AUDITOR = "auditor", _("Auditor")
    ADMIN = "admin", _("Administrator")


#: Every role reads its organisation's records and what its partnerships share.
READ_ROLES = frozenset(Role)
#: Officers change what they own; managers and admins change everything of the organisation.
EDIT_ROLES = frozenset({Role.OFFICER, Role.MANAGER, Role.ADMIN})
MANAGE_ROLES = frozenset({Role.MANAGER, Role.ADMIN})
FINDING_ROLES = frozenset({Role.AUDITOR, Role.MANAGER, Role.ADMIN})
ADMIN_ROLES = frozenset({Role.ADMIN})
