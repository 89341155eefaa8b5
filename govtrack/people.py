"""The one query for "people who can own a record in this organisation".

Forms, serializers, imports and ``Model.clean()`` all ask ``members_of``: a person with a
membership of the organisation that is not suspended (a suspension elsewhere does not count),
whose account is active, and who is a person rather than a partner's service account.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef, QuerySet

from govtrack.models import Membership, Organisation


def members_of(
    organisation: Organisation | int | Iterable[int], *, include_service_accounts: bool = False
) -> QuerySet:
    """People with an active role in the organisation (or any of several), ordered by name."""
    if isinstance(organisation, Organisation):
        ids = [organisation.pk]
    elif isinstance(organisation, int):
        ids = [organisation]
    else:
        ids = list(organisation)
    memberships = Membership.objects.filter(
        user=OuterRef("pk"), organisation_id__in=ids, organisation__archived_at__isnull=True
    ).exclude(status=Membership.Status.SUSPENDED)
    people = get_user_model().objects.filter(Exists(memberships), is_active=True)
    if not include_service_accounts:
        people = people.filter(service_account__isnull=True)
    return people.order_by("last_name", "first_name", "username")
