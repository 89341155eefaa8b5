"""What many records validated together share, read once instead of once per record.

An import validates thousands of records with the same ``full_clean()`` as a form, and every one
asks the same questions of the database: who the organisation's members are, whether the
directorate a row names exists, which system names are taken. An importer makes one ``Batch`` per
file and lends it to each record (``lend``); ``ScopedModel`` and the models' ``clean()`` ask the
batch when a record carries one and the database otherwise, so the rules and their messages are
the same on every path. Only the answers are kept, never a rule.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.db import models
from django.utils import timezone
from simple_history.utils import bulk_update_with_history

from govtrack.scoping import resolve


class Batch:
    """Answers shared by the records of one import: memoised values, and the records known to exist."""

    def __init__(self) -> None:
        self._values: dict[Any, Any] = {}
        self._known: dict[str, set[Any]] = {}
        self._saved_organisations: dict[tuple[str, Any], tuple] = {}

    def value(self, key: Any, load: Callable[[], Any]) -> Any:
        """The value under ``key``, loaded on first use; a rule may add to it (a name the batch takes)."""
        if key not in self._values:
            self._values[key] = load()
        return self._values[key]

    def know(self, records: Iterable[models.Model]) -> None:
        """Records read from (or just written to) the database in this transaction: they exist."""
        for record in records:
            if record.pk is not None:
                self._known.setdefault(record._meta.label, set()).add(record.pk)

    def knows(self, model: type[models.Model], pk: Any) -> bool:
        return pk is not None and pk in self._known.get(model._meta.label, ())

    def remember_saved(self, records: Iterable[models.Model]) -> None:
        """Records as read from the database, before the import changes them: they exist, and they belong
        where they belong now (what ``ScopedModel`` checks a record does not move from)."""
        records = list(records)
        self.know(records)
        for record in records:
            paths = record.scope.organisation_paths
            self._saved_organisations[(record._meta.label, record.pk)] = tuple(resolve(record, p) for p in paths)

    def saved_organisations(self, record: models.Model) -> tuple | None:
        return self._saved_organisations.get((record._meta.label, record.pk))


def lend(record: models.Model, batch: Batch | None) -> models.Model:
    """Let the record's validation use the batch's answers."""
    record._batch = batch
    return record


def batch_of(record: models.Model) -> Batch | None:
    return getattr(record, "_batch", None)


def bulk_update_saved(records: list[models.Model], model: type[models.Model], fields: Iterable[str], *, by) -> None:
    """Update changed records in a few queries, with what each ``save()`` would do: the version raised by one
    (``ScopedModel``), ``updated_at`` set, and one audit-trail row each by ``by``."""
    if not records:
        return
    now = timezone.now()
    for record in records:
        record.version = (record.version or 0) + 1
        record.updated_at = now
    bulk_update_with_history(records, model, [*dict.fromkeys([*fields, "version", "updated_at"])], default_user=by)
