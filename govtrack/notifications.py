"""Notifications: the kinds people can unsubscribe from, notifying many people at once, the daily digest.

A notice is stored once per person and ``key`` (a database constraint), so a check that runs twice
notifies nobody twice. The digest emails each person, in their own language, the notices they have
not yet been emailed, grouped by kind, leaving out the kinds they unsubscribed from.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import connection, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from govtrack.models import Notification, PersonSettings

#: The kinds of notice, in the order people see them; apps add theirs with ``register_kind``.
KINDS: dict[str, Promise] = {
    "escalation": gettext_lazy("Escalations and decisions waiting for you"),
    "review": gettext_lazy("Risk reviews due and overdue"),
    "action": gettext_lazy("Actions due and overdue"),
    "contract": gettext_lazy("Contract notice and end dates"),
    "system": gettext_lazy("System reviews"),
    "sla": gettext_lazy("SLAs: breaches, reviews and partners without one"),
    "board": gettext_lazy("Boards: meetings, packs and membership reviews"),
    "general": gettext_lazy("Other notices"),
}


def register_kind(name: str, label: Promise) -> None:
    """Let an app add a kind of notice people can unsubscribe from."""
    KINDS.setdefault(name, label)


def kind_label(name: str) -> str:
    return str(KINDS.get(name, KINDS["general"]))


@dataclass(frozen=True)
class Notice:
    """One notice to send: ``notify_many`` stores those not already stored for the same person and key."""

    recipient_id: int
    key: str
    subject: str
    kind: str = "general"
    body: str = ""
    url: str = ""
    organisation_id: int | None = None


def already_sent(pairs: Iterable[tuple[int, str]]) -> set[tuple[int, str]]:
    """Which of these (person, key) pairs are stored already: looked up by key, a bounded batch at a time."""
    wanted = {(recipient, key[:200]) for recipient, key in pairs}
    keys = sorted({key for _recipient, key in wanted})
    found: set[tuple[int, str]] = set()
    for start in range(0, len(keys), 500):  # bounded IN lists on every database
        rows = Notification.objects.filter(key__in=keys[start : start + 500]).values_list("recipient_id", "key")
        found.update(row for row in rows if row in wanted)
    return found


def notify_many(notices: Iterable[Notice]) -> int:
    """Store every notice not already stored for its person and key, in bulk; returns how many are new.

    The unique constraint on (recipient, key) is what makes this safe to run twice, or twice at once.
    """
    wanted: dict[tuple[int, str], Notice] = {}
    for notice in notices:
        if notice.recipient_id:
            wanted.setdefault((notice.recipient_id, notice.key[:200]), notice)
    if not wanted:
        return 0
    active = set(
        get_user_model().objects.filter(pk__in={r for r, _k in wanted}, is_active=True).values_list("pk", flat=True)
    )
    wanted = {rk: n for rk, n in wanted.items() if rk[0] in active}
    existing = already_sent(wanted)
    new = [(recipient_id, key, n) for (recipient_id, key), n in wanted.items() if (recipient_id, key) not in existing]
    _insert(new)
    return len(new)


_COLUMNS = ("recipient_id", "organisation_id", "kind", "key", "subject", "body", "url", "created_at", "updated_at")


def _insert(new: list[tuple[int, str, Notice]]) -> None:
    """Store new notices in bulk, leaving any a concurrent run stored first (the constraint decides).

    Written as one multi-row INSERT … ON CONFLICT DO NOTHING per 500 notices rather than through
    ``bulk_create``, whose per-field preparation was most of a first national run's 93,000 reminders.
    """
    if not new:
        return
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    rows = [
        (recipient_id, n.organisation_id, str(n.kind), key, str(n.subject)[:300], str(n.body), str(n.url)[:500])
        for recipient_id, key, n in new
    ]
    table = connection.ops.quote_name(Notification._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(c) for c in _COLUMNS)
    placeholder = "(" + ", ".join(["%s"] * len(_COLUMNS)) + ")"
    size = min(500, connection.ops.bulk_batch_size(_COLUMNS, rows))  # within the database's parameter limit
    with connection.cursor() as cursor:
        for start in range(0, len(rows), size):
            batch = rows[start : start + size]
            sql = (f"INSERT INTO {table} ({columns}) VALUES {', '.join([placeholder] * len(batch))} "
                   "ON CONFLICT DO NOTHING")
            cursor.execute(sql, [value for row in batch for value in (*row, now, now)])


def _group(notices: list[Notification]) -> list[tuple[str, str, list[Notification]]]:
    order = list(KINDS)
    kinds = sorted({n.kind for n in notices}, key=lambda k: order.index(k) if k in order else len(order))
    return [(kind, kind_label(kind), [n for n in notices if n.kind == kind]) for kind in kinds]


def _claim(user_id: int) -> list[Notification]:
    """Lock and return the person's notices not yet emailed; a concurrent digest skips them."""
    return list(
        Notification.objects.select_for_update(skip_locked=True)
        .filter(recipient_id=user_id, emailed_at__isnull=True)
        .order_by("created_at", "pk")
    )


def send_digests() -> int:
    """Email each person one digest of the notices not yet emailed; returns how many digests went.

    Safe to run twice, even at once: each person's notices are claimed under a row lock and marked
    in the same transaction as the email is sent, so a second run finds nothing left to send; a
    failed send rolls the marking back, and the retry sends it.
    """
    people = list(
        Notification.objects.filter(emailed_at__isnull=True, recipient__is_active=True)
        .exclude(recipient__email="")
        .order_by("recipient_id")
        .values_list("recipient_id", flat=True)
        .distinct()
    )
    users = get_user_model().objects.in_bulk(people)
    own = {s.user_id: s for s in PersonSettings.objects.filter(user_id__in=people)}
    settings_url = reverse("personal_settings")
    sent = 0
    for user_id in people:
        user, person = users[user_id], own.get(user_id) or PersonSettings(user_id=user_id)
        with transaction.atomic(), translation.override(person.language or settings.LANGUAGE_CODE):
            notices = _claim(user_id)
            wanted = [n for n in notices if person.emails(n.kind)]
            if wanted:
                body = render_to_string(
                    "govtrack/email/digest.txt",
                    {"user": user, "groups": _group(wanted), "site_url": settings.SITE_URL,
                     "settings_url": settings_url},
                )
                send_mail(
                    _("govtrack: %(count)s new notices") % {"count": len(wanted)},
                    body,
                    settings.DEFAULT_FROM_EMAIL,
                    [user.email],
                )
                sent += 1
            # Unsubscribed kinds are settled too, so they never arrive later in a bundle.
            Notification.objects.filter(pk__in=[n.pk for n in notices]).update(emailed_at=timezone.now())
    return sent
