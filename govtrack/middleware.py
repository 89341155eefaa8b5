"""The organisation a person is working in, chosen with the header's switcher."""

from __future__ import annotations

from django.utils.functional import SimpleLazyObject

from govtrack import access
from govtrack.models import Organisation

SESSION_KEY = "govtrack_organisation_id"


def current_organisation(request) -> Organisation | None:
    """The organisation chosen in this session, if the person still belongs to it, else their first."""
    cached = getattr(request, "_current_organisation", False)
    if cached is not False:
        return cached
    organisation = None
    user = request.user
    if user.is_authenticated:
        allowed = Organisation.objects.active().visible_to(user)
        chosen = request.session.get(SESSION_KEY)
        if chosen:
            organisation = allowed.filter(pk=chosen).first()
        if organisation is None:
            ids = access.visible_organisation_ids(user)
            organisation = allowed.filter(pk__in=ids).first() if ids else allowed.first()
    request._current_organisation = organisation
    return organisation


class CurrentOrganisationMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.organisation = SimpleLazyObject(lambda: current_organisation(request))
        return self.get_response(request)
