"""A person's dates as an iCalendar feed (RFC 5545), for Outlook and other calendars.

The feed holds only all-day events with a summary, a link and a stable UID, so a small writer is
enough: escaping, line folding and CRLF endings are the whole of what RFC 5545 asks of it here, and
a dependency for that would be larger than the code.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from django.conf import settings

from govtrack.dates import Dated, dated

#: What the feed covers: recent past (so a missed date still shows) and the year ahead.
PAST_DAYS = 90
AHEAD_DAYS = 400
#: At most this many events per kind of date: a calendar is not an export.
LIMIT = 500


def _escape(text: str) -> str:
    return (
        text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\r\n", "\\n").replace("\n", "\\n")
    )


def _fold(line: str) -> str:
    """Lines of at most 75 octets, continued with a space (RFC 5545 3.1)."""
    encoded = line.encode()
    if len(encoded) <= 75:
        return line
    parts, start = [], 0
    while start < len(encoded):
        end = min(start + (75 if not parts else 74), len(encoded))
        while end < len(encoded) and (encoded[end] & 0xC0) == 0x80:  # never split a UTF-8 character
            end -= 1
        parts.append(encoded[start:end].decode())
        start = end
    return "\r\n ".join(parts)


def _event(item: Dated, stamp: str, site: str) -> list[str]:
    day = item.on.strftime("%Y%m%d")
    return [
        "BEGIN:VEVENT",
        f"UID:{item.key}:{item.on.isoformat()}@govtrack",
        f"DTSTAMP:{stamp}",
        f"DTSTART;VALUE=DATE:{day}",
        f"DTEND;VALUE=DATE:{(item.on + timedelta(days=1)).strftime('%Y%m%d')}",
        f"SUMMARY:{_escape(item.title)}",
        f"DESCRIPTION:{_escape(item.label)}",
        f"URL:{site}{item.url}",
        "TRANSP:TRANSPARENT",
        "END:VEVENT",
    ]


def calendar_for(user, *, today: date, now: datetime | None = None) -> str:
    """The person's review, action, notice and meeting dates as an iCalendar document."""
    items = dated(people=[user.pk], since=today - timedelta(days=PAST_DAYS), until=today + timedelta(days=AHEAD_DAYS),
                  limit=LIMIT)
    stamp = (now or datetime.now(UTC)).astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//govtrack//personal dates//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{_escape('govtrack: ' + (user.get_full_name() or user.username))}",
        "X-PUBLISHED-TTL:PT6H",
    ]
    for item in items:
        lines.extend(_event(item, stamp, settings.SITE_URL.rstrip("/")))
    lines.append("END:VCALENDAR")
    return "\r\n".join(_fold(line) for line in lines) + "\r\n"
