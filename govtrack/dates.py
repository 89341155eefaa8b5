"""The registry of dated things a person owns: reviews, actions, notice dates, meetings.

Each app says what dates it has in its own ``dates.py`` with ``@register_dates("name")``: a function
taking ``people`` (user ids, or None for everyone), ``since`` and ``until`` and ``limit``, and
returning :class:`Dated` items. The start page, the personal calendar feed and the reminders all read
this one list, so a date shows, is in the calendar and is reminded of alike.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date

from django.utils.module_loading import autodiscover_modules


@dataclass(frozen=True)
class Dated:
    """One dated thing and the person it belongs to."""

    person_id: int
    kind: str  #: a notification kind (govtrack.notifications.KINDS): "review", "action", "contract", ...
    key: str  #: stable per record and date type, e.g. "registers:review:12"; reminders add the date and stage
    title: str
    on: date
    url: str
    organisation_id: int | None = None
    #: who hears when it is overdue past the grace period (a register's owner, a manager); None for nobody
    escalate_to_id: int | None = None
    #: what it is, for a calendar or a start page ("Risk review", "Contract notice date")
    label: str = ""


DateSource = Callable[..., Iterable[Dated]]
_SOURCES: dict[str, DateSource] = {}


def register_dates(name: str) -> Callable[[DateSource], DateSource]:
    def decorator(function: DateSource) -> DateSource:
        _SOURCES[name] = function
        return function

    return decorator


def sources() -> dict[str, DateSource]:
    autodiscover_modules("dates")
    return dict(sorted(_SOURCES.items()))


def within(queryset, field: str, *, since: date | None, until: date, limit: int | None):
    """A source's records whose ``field`` falls in the window, earliest first, at most ``limit``."""
    queryset = queryset.filter(**{f"{field}__isnull": False, f"{field}__lte": until})
    if since is not None:
        queryset = queryset.filter(**{f"{field}__gte": since})
    queryset = queryset.order_by(field, "pk")
    return queryset[:limit] if limit else queryset


def dated(
    *, people: Iterable[int] | None, until: date, since: date | None = None, limit: int | None = None
) -> list[Dated]:
    """Every registered date from ``since`` (or ever) to ``until``, earliest first; ``limit`` per source."""
    people = None if people is None else sorted(set(people))
    found: list[Dated] = []
    for source in sources().values():
        found.extend(source(people=people, since=since, until=until, limit=limit))
    found.sort(key=lambda d: (d.on, d.title))
    return found[:limit] if limit else found
