"""The one rule for when something is overdue, and by how much.

A review, an action, a membership review or an SLA review is overdue when it has a due date, is
not finished, and the date is before today (a date due today is "due today", not overdue). Models
ask :func:`is_overdue` for one record and :func:`overdue` for a queryset filter, so every page,
check, export and API field agrees.
"""

from __future__ import annotations

from datetime import date

from django.db.models import Q
from django.utils import timezone


def today() -> date:
    return timezone.localdate()


def is_overdue(due: date | None, on: date | None = None, *, finished: bool = False) -> bool:
    return due is not None and not finished and due < (on or today())


def is_due_today(due: date | None, on: date | None = None, *, finished: bool = False) -> bool:
    return due is not None and not finished and due == (on or today())


def days_overdue(due: date | None, on: date | None = None, *, finished: bool = False) -> int:
    """Whole days past the due date (0 when not overdue)."""
    return ((on or today()) - due).days if is_overdue(due, on, finished=finished) else 0


def overdue(field: str, on: date | None = None) -> Q:
    """The database filter for :func:`is_overdue` on a date field (callers exclude finished records)."""
    return Q(**{f"{field}__lt": on or today()})
