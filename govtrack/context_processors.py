from django.utils.functional import SimpleLazyObject

from govtrack.middleware import current_organisation
from govtrack.models import Notification, Organisation


def govtrack(request) -> dict:
    """What the layout needs on every page: the organisation switcher and the unread count."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "current_organisation": SimpleLazyObject(lambda: current_organisation(request)),
        "my_organisations": SimpleLazyObject(lambda: list(Organisation.objects.active().visible_to(user))),
        "unread_notifications": SimpleLazyObject(
            lambda: Notification.objects.filter(recipient=user, read_at__isnull=True).count()
        ),
    }
