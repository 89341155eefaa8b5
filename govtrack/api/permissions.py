"""API permissions: the same rule as the pages, from govtrack.access."""

from rest_framework.permissions import SAFE_METHODS, BasePermission

from govtrack import access


class OrganisationRolePermission(BasePermission):
    """Signed-in people and service accounts read what they may see and change what they may change."""

    message = "You do not have permission to change this record."

    def has_permission(self, request, view) -> bool:
        user = request.user
        return bool(user and user.is_authenticated and user.is_active)

    def has_object_permission(self, request, view, obj) -> bool:
        if request.method in SAFE_METHODS:
            return access.can_view(request.user, obj)
        return access.can_change(request.user, obj)
