"""The audit trail as people read it: who changed which field, from what, to what, and when.

django-simple-history records every save of a governed model; this module turns those
records into rows for a record's page and for the API.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db import models
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

# Fields that change on every save and say nothing to a reader.
_IGNORED = {"updated_at", "created_at", "id", "version"}


@dataclass
class Change:
    field: str
    label: str
    old: str
    new: str


@dataclass
class Entry:
    when: datetime
    who: Any
    action: str
    reason: str
    record: str = ""  # which related record changed, when the trail includes related records
    changes: list[Change] = field(default_factory=list)


def _display(model_field: models.Field | None, value: Any, labels: dict[tuple[str, Any], str]) -> str:
    if value is None or value == "":
        return "—"
    if model_field is not None and model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if model_field is not None and model_field.is_relation:
        return labels.get((model_field.name, value), f"#{value}")
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    # Dates and money as the rest of the page writes them (1 Dec 2026, £45,000), not as stored.
    if isinstance(value, datetime):
        return date_format(timezone.localtime(value) if timezone.is_aware(value) else value, "j M Y H:i")
    if isinstance(value, date):
        return date_format(value, "j M Y")
    if isinstance(value, Decimal | int | float) and not isinstance(value, bool):
        if model_field is not None and "£" in str(model_field.verbose_name):
            amount = Decimal(value)
            return f"£{amount:,.0f}" if amount == amount.to_integral_value() else f"£{amount:,.2f}"
        if isinstance(value, Decimal):
            return format(value.normalize(), "f")  # 99.500 reads 99.5
    return str(value)


def _related_labels(model: type[models.Model], pairs: list[tuple[str, Any]]) -> dict[tuple[str, Any], str]:
    """Names for the related records mentioned in a trail: one query per related model."""
    wanted: dict[str, set] = {}
    for name, value in pairs:
        if value not in (None, ""):
            wanted.setdefault(name, set()).add(value)
    labels: dict[tuple[str, Any], str] = {}
    for name, values in wanted.items():
        related = model._meta.get_field(name).related_model
        for obj in related._default_manager.filter(pk__in=values):
            # People are named as readers know them, not by their sign-in name.
            full_name = obj.get_full_name() if hasattr(obj, "get_full_name") else ""
            labels[(name, obj.pk)] = full_name or str(obj)
    return labels


@dataclass(frozen=True)
class Related:
    """Records whose changes belong on another record's trail (a system's contracts and comments)."""

    history: models.QuerySet  # e.g. Contract.history.filter(system_id=...)
    noun: str  # e.g. "Contract"
    label_field: str = ""  # a field of the record that names it, e.g. "reference"


def history_for(obj: models.Model, *, related: tuple[Related, ...] = (), limit: int = 100) -> list[Entry]:
    """The record's audit trail, newest first, with field-by-field changes (and its related records')."""
    entries = _entries(obj.history.all(), type(obj), limit=limit)
    for part in related:
        entries += _entries(part.history, part.history.model.instance_type, limit=limit, part=part)
    entries.sort(key=lambda e: e.when, reverse=True)
    return entries[:limit]


def _entries(history: models.QuerySet, model: type[models.Model], *, limit: int, part: Related | None = None):
    """Entries for one model's history rows, each compared with the previous row of the same record."""
    records = list(history.select_related("history_user").order_by("-history_date", "-history_id")[: limit + 1])
    tracked = [f for f in model._meta.concrete_fields if f.name not in _IGNORED]
    older: dict[Any, Any] = {}
    previous_of = {}
    for record in reversed(records):  # oldest first: remember each record's previous row
        previous_of[record.history_id] = older.get(record.id)
        older[record.id] = record
    raw: list[tuple[Any, list[tuple[models.Field, Any, Any]]]] = []
    for record in records[:limit]:
        previous = previous_of.get(record.history_id)
        diffs = []
        for model_field in tracked:
            new = getattr(record, model_field.attname, None)
            old = getattr(previous, model_field.attname, None) if previous is not None else None
            if previous is None and record.history_type == "+":
                if new in (None, "", False):
                    continue
            elif previous is None or new == old:
                continue
            diffs.append((model_field, old, new))
        raw.append((record, diffs))
    labels = _related_labels(
        model,
        [(f.name, v) for _r, diffs in raw for f, old, new in diffs if f.is_relation for v in (old, new)],
    )
    actions = {"+": _("Created"), "~": _("Changed"), "-": _("Deleted")}
    entries = []
    for record, diffs in raw:
        name = ""
        if part is not None:
            name = part.noun
            if part.label_field and getattr(record, part.label_field, ""):
                name = f"{part.noun} {getattr(record, part.label_field)}"
        entries.append(
            Entry(
                when=record.history_date,
                who=record.history_user,
                action=actions.get(record.history_type, record.history_type),
                reason=record.history_change_reason or "",
                record=name,
                changes=[
                    Change(
                        field=f.name,
                        label=str(f.verbose_name).capitalize(),
                        old=_display(f, old, labels) if record.history_type != "+" else "",
                        new=_display(f, new, labels),
                    )
                    for f, old, new in diffs
                ],
            )
        )
    return entries


def describe_changes(obj: models.Model, *, since_version: int) -> tuple[list[Change], str]:
    """What changed in a record since it was at ``since_version``, and who saved the latest change."""
    history = getattr(obj, "history", None)
    if history is None:
        return [], ""
    rows = list(history.filter(version__gte=since_version).select_related("history_user")
                .order_by("history_date", "history_id"))
    then = next((r for r in rows if r.version == since_version), None)
    if then is None or len(rows) < 2:
        return [], ""
    latest = rows[-1]
    model = type(obj)
    tracked = [f for f in model._meta.concrete_fields if f.name not in _IGNORED | {"version"}]
    diffs = [(f, getattr(then, f.attname, None), getattr(latest, f.attname, None)) for f in tracked]
    diffs = [(f, old, new) for f, old, new in diffs if old != new]
    labels = _related_labels(model, [(f.name, v) for f, old, new in diffs if f.is_relation for v in (old, new)])
    changes = [Change(field=f.name, label=str(f.verbose_name).capitalize(), old=_display(f, old, labels),
                      new=_display(f, new, labels)) for f, old, new in diffs]
    person = latest.history_user
    name = (person.get_full_name() or person.get_username()) if person is not None else _("Someone")
    return changes, name
