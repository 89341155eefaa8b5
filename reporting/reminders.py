"""Reminders before things fall due, and when they are overdue, from every app's dates.

30, 7 and 1 days before a review, an action, a notice or a contract's end, and once overdue, the
owner is told; past the grace period, the person above them too. Each reminder's key holds the
record, the date and the stage, so the database's (recipient, key) constraint sends it once: a date
that moves starts afresh, and a run repeated the same day sends nothing.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from functools import lru_cache

from django.utils.formats import date_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from govtrack import deadlines
from govtrack.dates import Dated, dated
from govtrack.models import Organisation
from govtrack.notifications import Notice, already_sent, notify_many

#: Days before the date at which the owner is reminded: the tightest one reached counts, so a date
#: first seen 5 days ahead gives one reminder ("in 7 days"), not three.
STAGES = (30, 7, 1)
#: Days overdue after which the person above the owner is told as well.
GRACE_DAYS = 14
#: How far back the check looks for overdue dates (longer than the grace period, so none is missed
#: by a day or two without a run).
LOOK_BACK_DAYS = 60


def stage_for(on: date, today: date) -> str | None:
    """Which reminder is due for a date today: "30", "7", "1", "overdue" or None (too early)."""
    if deadlines.is_overdue(on, today):
        return "overdue"
    days = (on - today).days
    reached = [stage for stage in STAGES if days <= stage]
    return str(min(reached)) if reached else None


def _late_key(key: str) -> str:
    # "registers:review:12" → "registers:review-late:12", the key the register check uses for the
    # register owner, so the two never tell the same person twice.
    app, _sep, rest = key.partition(":")
    what, _sep, record = rest.partition(":")
    return f"{app}:{what}-late:{record}"


@lru_cache(maxsize=1024)
def _day(on: date, language: str) -> str:
    # A run formats the same few dozen dates for thousands of reminders: once each, per language.
    return date_format(on, "j F Y")


def _subject(item: Dated, stage: str, today: date) -> str:
    day = _day(item.on, get_language())
    if stage == "overdue":
        return _("Overdue since %(day)s: %(title)s") % {"day": day, "title": item.title}
    days = (item.on - today).days
    if days == 0:
        return _("Due today: %(title)s") % {"title": item.title}
    if days == 1:
        return _("Due tomorrow (%(day)s): %(title)s") % {"day": day, "title": item.title}
    return _("Due in %(days)s days (%(day)s): %(title)s") % {"days": days, "day": day, "title": item.title}


def _planned(items: list[Dated], today: date) -> Iterator[tuple[Dated, str, bool, int, str]]:
    # (item, stage, to the person above, recipient, key) for each notice these dates call for today.
    for item in items:
        stage = stage_for(item.on, today)
        if stage is None:
            continue
        yield item, stage, False, item.person_id, f"{item.key}:{item.on.isoformat()}" + (
            "" if stage == "overdue" else f":{stage}")
        if stage == "overdue" and item.escalate_to_id and (today - item.on).days > GRACE_DAYS:
            yield item, stage, True, item.escalate_to_id, f"{_late_key(item.key)}:{item.on.isoformat()}"


def reminders_for(items: list[Dated], *, today: date, sent: frozenset | set = frozenset()) -> Iterator[Notice]:
    """The notices these dates call for today, less the (person, key) pairs in ``sent``.

    ``notify_many`` drops any already stored anyway; leaving out those known to be sent first
    spares writing the subject of every reminder sent on an earlier day.
    """
    for item, stage, above, recipient, key in _planned(items, today):
        if (recipient, key) in sent:
            continue
        if above:
            subject = _("Still overdue after %(days)s days: %(title)s") % {"days": GRACE_DAYS, "title": item.title}
        else:
            subject = _subject(item, stage, today)
        yield Notice(recipient_id=recipient, key=key, subject=subject, kind=item.kind, url=item.url,
                     organisation_id=item.organisation_id)


def send_reminders(*, organisation: Organisation | None, today: date) -> int:
    """Remind every owner of what falls due within 30 days or is overdue; returns how many notices are new."""
    items = dated(people=None, since=today - timedelta(days=LOOK_BACK_DAYS), until=today + timedelta(days=max(STAGES)))
    if organisation is not None:
        items = [item for item in items if item.organisation_id == organisation.pk]
    sent = already_sent((recipient, key) for _i, _s, _a, recipient, key in _planned(items, today))
    return notify_many(reminders_for(items, today=today, sent=sent))
