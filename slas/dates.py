"""The SLAs' dates: each agreed agreement's review date, for its owner."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.urls import reverse
from django.utils.translation import gettext as _

from govtrack.dates import Dated, register_dates
from slas.models import Agreement


@register_dates("sla_reviews")
def sla_reviews(*, people: list[int] | None, since: date | None, until: date, limit: int | None) -> Iterable[Dated]:
    agreements = Agreement.objects.active().agreed().filter(owner__isnull=False, review_on__isnull=False,
                                                            review_on__lte=until)
    if people is not None:
        agreements = agreements.filter(owner__in=people)
    if since is not None:
        agreements = agreements.filter(review_on__gte=since)
    agreements = agreements.order_by("review_on", "pk")
    rows = (agreements[:limit] if limit else agreements).values_list("pk", "title", "review_on", "owner_id",
                                                                       "client_id")
    label = _("SLA review")
    for pk, title, on, owner, client in rows:
        yield Dated(person_id=owner, kind="sla", key=f"slas:review:{pk}", on=on, label=label,
                    title=_("Review the SLA %(title)s") % {"title": title},
                    url=reverse("slas:agreement_detail", kwargs={"pk": pk}), organisation_id=client)
