"""Measurement periods: a month or a quarter, named by the date it starts. Pure functions, no database."""

from __future__ import annotations

from datetime import date

MONTHLY = "monthly"
QUARTERLY = "quarterly"
MONTHS_IN = {MONTHLY: 1, QUARTERLY: 3}


def add_months(day: date, months: int) -> date:
    """The first day of the month ``months`` after (or before) the month of ``day``."""
    index = day.year * 12 + (day.month - 1) + months
    return date(index // 12, index % 12 + 1, 1)


def month_start(day: date) -> date:
    return day.replace(day=1)


def is_period_start(day: date, period: str) -> bool:
    """Whether ``day`` starts a period: the 1st of a month, and for quarters of January, April, July or October."""
    return day.day == 1 and (period != QUARTERLY or day.month % 3 == 1)


def period_start(day: date, period: str) -> date:
    """The start of the period ``day`` falls in."""
    start = month_start(day)
    if period == QUARTERLY:
        start = start.replace(month=start.month - (start.month - 1) % 3)
    return start


def next_period(start: date, period: str) -> date:
    return add_months(start, MONTHS_IN.get(period, 1))


def previous_period(start: date, period: str) -> date:
    return add_months(start, -MONTHS_IN.get(period, 1))


def period_end(start: date, period: str) -> date:
    """The last day of the period starting on ``start``."""
    return date.fromordinal(next_period(start, period).toordinal() - 1)


def periods_between(first: date, last: date, period: str) -> list[date]:
    """Starts of every period from the one holding ``first`` to the one holding ``last``."""
    found, current = [], period_start(first, period)
    while current <= last:
        found.append(current)
        current = next_period(current, period)
    return found


def is_closed(start: date, period: str, today: date) -> bool:
    """A period is closed once its last day has passed."""
    return period_end(start, period) < today


def label(start: date, period: str) -> str:
    """``2024-05`` for a month, ``2024 Q2`` for a calendar quarter."""
    if period == QUARTERLY:
        return f"{start.year} Q{(start.month - 1) // 3 + 1}"
    return f"{start:%Y-%m}"


def parse_month(text: str) -> date | None:
    """``2024-05`` (or ``2024-05-01``) as the first day of that month; None when it is not one."""
    text = (text or "").strip()
    try:
        if len(text) == 7:
            return date(int(text[:4]), int(text[5:7]), 1)
        parsed = date.fromisoformat(text)
    except (ValueError, TypeError):
        return None
    return parsed if parsed.day == 1 else None
