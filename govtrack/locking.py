"""Optimistic locking: an edit made from an older version of a record is refused, saying what changed.

Every editable record carries ``version`` (``ScopedModel``), raised by one on each save. A form
carries the version it was opened at; the API sends it as the ``ETag`` of a record and takes it
back as ``If-Match`` (or a ``version`` field). ``check_current`` compares it with the saved record
inside the saving transaction, holding the row, so two editors cannot both win: the second is told
who changed which fields since they opened it, and what they typed is kept for them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import models
from django.utils.translation import gettext as _

from govtrack.audit import Change, describe_changes


@dataclass
class StaleEdit(Exception):
    """The record changed after the editor opened it."""

    current_version: int
    changes: list[Change] = field(default_factory=list)
    by: str = ""

    def message(self) -> str:
        fields = ", ".join(c.label for c in self.changes)
        if self.by and fields:
            return _("%(person)s changed this record after you opened it (%(fields)s). Nothing of yours was "
                     "saved: your changes are still below. Check them against the current values and save "
                     "again.") % {"person": self.by, "fields": fields}
        return _("Someone changed this record after you opened it. Nothing of yours was saved: your changes "
                 "are still below. Check them and save again.")


def parse_etag(header: str | None) -> int | None | str:
    """The version an ``If-Match`` header names; ``"*"`` for any; None when absent; -1 when unreadable."""
    if header is None:
        return None
    value = header.strip()
    if value == "*":
        return "*"
    value = value.removeprefix("W/").strip('"')
    return int(value) if value.isdigit() and len(value) < 10 else -1


def etag(instance: models.Model) -> str:
    return f'"{instance.version}"'


def check_current(instance: models.Model, expected: int | None) -> None:
    """Refuse (``StaleEdit``) when the saved record is no longer at the version the editor started from.

    Call it inside the transaction that saves: the row stays locked until the save commits.
    """
    if expected is None or instance.pk is None:
        return
    current = (
        type(instance)._base_manager.select_for_update().filter(pk=instance.pk).values_list("version", flat=True)
        .first()
    )
    if current is None or current == expected:
        return
    changes, by = describe_changes(instance, since_version=expected)
    raise StaleEdit(current_version=current, changes=changes, by=by)
