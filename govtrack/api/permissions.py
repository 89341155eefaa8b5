"""API permissions: the same rule as the pages, from govtrack.access, within the token's scope."""

from rest_framework.permissions import SAFE_METHODS, BasePermission

from govtrack import access
from govtrack.models import ApiToken


class OrganisationRolePermission(BasePermission):
    """Signed-in people and service accounts read what they may see and change what they may change.

    A read-only token may not write at all, whatever its account's role.
    """

    message = "You do not have permission to change this record."

    def has_permission(self, request, view) -> bool:
        user = request.user
        if not (user and user.is_authenticated and user.is_active):
            return False
        token = request.auth
        if isinstance(token, ApiToken) and request.method not in SAFE_METHODS and not token.allows_writing:
            self.message = "This token is read-only: it cannot create, change or archive records."
            return False
        return True

    def has_object_permission(self, request, view, obj) -> bool:
        if request.method in SAFE_METHODS:
            return access.can_view(request.user, obj)
        return access.can_change(request.user, obj)
