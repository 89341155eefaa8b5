from django.utils.functional import SimpleLazyObject

from govtrack import signin
from govtrack.middleware import current_organisation, my_organisations
from govtrack.models import Notification


def govtrack(request) -> dict:
    """What the layout needs on every page: the organisation switcher, the unread count, and whether the
    person is still between their password and their second factor (the menus stay hidden then)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "signing_in": SimpleLazyObject(lambda: signin.second_factor_step(request) is not None),
        "current_organisation": SimpleLazyObject(lambda: current_organisation(request)),
        "my_organisations": SimpleLazyObject(lambda: my_organisations(request)),
        "unread_notifications": SimpleLazyObject(
            lambda: Notification.objects.filter(recipient=user, read_at__isnull=True).count()
        ),
    }
