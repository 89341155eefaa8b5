"""The risk registers' dates: risk reviews and risk actions, for their owners."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.utils.translation import gettext as _

from govtrack.dates import Dated, register_dates, within
from govtrack.pages import record_path
from registers.models import Risk, RiskAction


@register_dates("risk_reviews")
def risk_reviews(*, people: list[int] | None, since: date | None, until: date, limit: int | None) -> Iterable[Dated]:
    risks = Risk.objects.open().filter(officer_owner__isnull=False)
    if people is not None:
        risks = risks.filter(officer_owner__in=people)
    rows = within(risks, "review_date", since=since, until=until, limit=limit).values_list(
        "pk", "reference", "title", "review_date", "officer_owner_id", "organisation_id", "register__owner_id"
    )
    label, text, path = _("Risk review"), _("Review risk %(ref)s: %(title)s"), record_path("registers:risk_detail")
    for pk, reference, title, on, owner, organisation, register_owner in rows:
        yield Dated(
            person_id=owner, kind="review", key=f"registers:review:{pk}", on=on, label=label,
            title=text % {"ref": reference, "title": title}, url=path(pk),
            organisation_id=organisation, escalate_to_id=register_owner,
        )


@register_dates("risk_actions")
def risk_actions(*, people: list[int] | None, since: date | None, until: date, limit: int | None) -> Iterable[Dated]:
    actions = RiskAction.objects.filter(
        status__in=[RiskAction.Status.OPEN, RiskAction.Status.IN_PROGRESS],
        owner__isnull=False,
        risk__archived_at__isnull=True,
        risk__status=Risk.Status.OPEN,
    )
    if people is not None:
        actions = actions.filter(owner__in=people)
    rows = within(actions, "due_on", since=since, until=until, limit=limit).values_list(
        "pk", "description", "due_on", "owner_id", "risk_id", "risk__reference", "risk__organisation_id",
        "risk__officer_owner_id",
    )
    label, text, path = _("Risk action"), _("Action on risk %(ref)s: %(action)s"), record_path("registers:risk_detail")
    for pk, description, on, owner, risk_id, reference, organisation, risk_owner in rows:
        yield Dated(
            person_id=owner, kind="action", key=f"registers:action:{pk}", on=on, label=label,
            title=text % {"ref": reference, "action": description[:120]}, url=path(risk_id) + "#actions",
            organisation_id=organisation, escalate_to_id=risk_owner if risk_owner != owner else None,
        )
