"""The committee's RAG for an open action, written once as a database expression.

- **red**: overdue (the kernel's rule, ``govtrack.deadlines``); or under half done with less than a
  month left; or the owner forecasts it will not finish on time;
- **amber**: less than a month left; or the owner forecasts it is at risk; or it has no due date;
- **green**: otherwise.

A finished action is **complete**; a proposal shows the worst RAG of its open actions. Lists and the
tracker filter and sort on the expression, so a page, the API and a board pack cannot disagree.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from govtrack import deadlines

#: "Less than a month left": fewer than this many days until the due date.
MONTH_DAYS = 30
#: "Under half done": progress below this percentage.
HALF_DONE = 50

RED, AMBER, GREEN, COMPLETE = "red", "amber", "green", "complete"
RANK = {GREEN: 1, AMBER: 2, RED: 3}
NAME = {rank: name for name, rank in RANK.items()}
LABELS = {RED: _("Red"), AMBER: _("Amber"), GREEN: _("Green"), COMPLETE: _("Complete")}
CHOICES = [(RED, LABELS[RED]), (AMBER, LABELS[AMBER]), (GREEN, LABELS[GREEN]), (COMPLETE, LABELS[COMPLETE])]


class Forecast(models.TextChoices):
    """The owner's answer to "will it finish on time?", asked before each meeting."""

    ON_TRACK = "on_track", _("On track")
    AT_RISK = "at_risk", _("At risk")
    LATE = "late", _("Will not finish on time")


def rank_expression(today: date) -> models.Case:
    """The RAG rank of an open action (3 red, 2 amber, 1 green) as a database expression."""
    month_left = today + timedelta(days=MONTH_DAYS)
    red = (deadlines.overdue("due_on", today) | Q(due_on__lt=month_left, progress__lt=HALF_DONE)
           | Q(forecast=Forecast.LATE))
    amber = Q(due_on__isnull=True) | Q(due_on__lt=month_left) | Q(forecast=Forecast.AT_RISK)
    return models.Case(
        models.When(red, then=models.Value(RANK[RED])),
        models.When(amber, then=models.Value(RANK[AMBER])),
        default=models.Value(RANK[GREEN]),
        output_field=models.IntegerField(),
    )


def share_of_target(*, baseline: Decimal | None, target: Decimal | None, actual: Decimal | None) -> Decimal | None:
    """How far the actual has moved from the baseline towards the target (1 = reached), for either direction."""
    if target is None or actual is None:
        return None
    start = baseline if baseline is not None else Decimal(0)
    if target == start:
        return Decimal(1) if actual == target else Decimal(0)
    return round((actual - start) / (target - start), 2)
