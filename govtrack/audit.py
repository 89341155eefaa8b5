"""The audit trail as people read it: who changed which field, from what, to what, and when.

django-simple-history records every save of a governed model, and the links of the fields a model
declares (``govtrack.history``); this module turns those records into rows for a record's page
and for the API: "Owner: Sian Howells → Rhys Morgan", "Added capability: Case management".
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.core.paginator import Page, Paginator
from django.db import models
from django.db.models import OuterRef, Q, Subquery, Value
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

# Fields that change on every save and say nothing to a reader.
_IGNORED = {"updated_at", "created_at", "id", "version"}


@dataclass
class Change:
    field: str
    label: str
    old: str
    new: str
    linked: bool = False  # records linked or unlinked ("Added capability: Case management"), not a value replaced


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


def _related_labels(model: type[models.Model], pairs: list[tuple[str, Any]], *,
                    user=None) -> dict[tuple[str, Any], str]:
    """Names for the related records mentioned in a trail: one query per related model.

    Linked records (many-to-many) are named only if the reader may see them, as the record's page
    lists only those: a partnership's proposal may name another council's risks.
    """
    wanted: dict[str, set] = {}
    for name, value in pairs:
        if value not in (None, ""):
            wanted.setdefault(name, set()).add(value)
    labels: dict[tuple[str, Any], str] = {}
    for name, values in wanted.items():
        model_field = model._meta.get_field(name)
        related = model_field.related_model
        found = related._default_manager.filter(pk__in=values)
        if user is not None and model_field.many_to_many and _named_only_if_visible(related):
            found = found.visible_to(user)
        for obj in found:
            # People are named as readers know them, not by their sign-in name.
            full_name = obj.get_full_name() if hasattr(obj, "get_full_name") else ""
            labels[(name, obj.pk)] = full_name or str(obj)
    return labels


def _named_only_if_visible(related: type[models.Model]) -> bool:
    # Organisations' names are public on every page (the partners using a product); the rest follow the rule.
    scope = getattr(related, "scope", None)
    return (scope is not None and not scope.public and hasattr(related._default_manager, "visible_to")
            and related._meta.label != "govtrack.Organisation")


@dataclass(frozen=True)
class Related:
    """Records whose changes belong on another record's trail (a system's contracts and comments)."""

    history: models.QuerySet  # e.g. Contract.history.filter(system_id=...)
    noun: str  # e.g. "Contract"
    label_field: str = ""  # a field of the record that names it, e.g. "reference"


class Trail(list):
    """A record's latest entries (a list, newest first), how many changes its whole history holds, and where."""

    def __init__(self, entries: list[Entry], *, total: int, url: str = ""):
        super().__init__(entries)
        self.total = total
        self.url = url  # the page with the whole history, when there is one


def history_for(obj: models.Model, *, related: tuple[Related, ...] = (), limit: int = 100, user=None,
                url: str = "") -> Trail:
    """The record's audit trail, newest first, with field-by-field changes (and its related records').

    ``user`` is the reader (linked records they may not see are not named); ``url`` the page of the
    whole history, linked from the folded trail.
    """
    parts = [(obj.history.all(), type(obj), None)] + [(p.history, p.history.model.instance_type, p) for p in related]
    entries, total = [], 0
    for history, model, part in parts:
        records = list(history.select_related("history_user").order_by("-history_date", "-history_id")[: limit + 1])
        # Fewer rows than asked for are the whole history; only a long one is counted.
        total += len(records) if len(records) <= limit else history.count()
        entries += _entries_of(records, records[:limit], model, part=part, user=user)
    entries.sort(key=lambda e: e.when, reverse=True)
    return Trail(entries[:limit], total=total, url=url)


def history_page(obj: models.Model, *, related: tuple[Related, ...] = (), number: Any = None, per_page: int = 50,
                 user=None) -> tuple[Page, list[Entry]]:
    """One page of the record's whole history (and its related records'), newest first.

    The rows of every part are ordered and counted together in SQL (one UNION), then each part's
    rows of the page are read with the row before each of them, so a page costs the same number
    of queries whatever the history's length.
    """
    parts = [(obj.history.all(), type(obj), None)] + [(p.history, p.history.model.instance_type, p) for p in related]
    combined = None
    for index, (history, _model, _part) in enumerate(parts):
        rows = history.order_by().annotate(gt_part=Value(index, output_field=models.IntegerField())).values_list(
            "history_date", "history_id", "gt_part")
        combined = rows if combined is None else combined.union(rows, all=True)
    page = Paginator(combined.order_by("-history_date", "-history_id", "-gt_part"), per_page).get_page(number)
    wanted = [(part, history_id) for _when, history_id, part in page.object_list]
    found: dict[tuple[int, Any], Entry] = {}
    for index, (history, model, part) in enumerate(parts):
        ids = [history_id for wanted_part, history_id in wanted if wanted_part == index]
        if not ids:
            continue
        shown, records = _with_previous_rows(history, ids)
        for record, entry in zip(shown, _entries_of(records, shown, model, part=part, user=user), strict=True):
            found[(index, record.history_id)] = entry
    return page, [found[key] for key in wanted if key in found]


def _with_previous_rows(history: models.QuerySet, ids: list) -> tuple[list, list]:
    """The rows of ``ids`` (newest first), and those rows with the row before each, which they are compared with."""
    rows = history.model._default_manager
    before = rows.filter(id=OuterRef("id")).filter(
        Q(history_date__lt=OuterRef("history_date"))
        | Q(history_date=OuterRef("history_date"), history_id__lt=OuterRef("history_id"))
    ).order_by("-history_date", "-history_id").values("history_id")[:1]
    shown = list(history.filter(history_id__in=ids).select_related("history_user")
                 .annotate(gt_previous=Subquery(before)).order_by("-history_date", "-history_id"))
    previous_ids = {r.gt_previous for r in shown if r.gt_previous is not None} - set(ids)
    previous = list(rows.filter(history_id__in=previous_ids)) if previous_ids else []
    records = sorted(shown + previous, key=lambda r: (r.history_date, r.history_id), reverse=True)
    return shown, records


def _entries_of(records: list, shown: list, model: type[models.Model], *, part: Related | None = None,
                user=None) -> list[Entry]:
    """Entries for the ``shown`` rows; ``records`` (newest first) also holds the rows they are compared with."""
    tracked = [f for f in model._meta.concrete_fields if f.name not in _IGNORED]
    older: dict[Any, Any] = {}
    previous_of = {}
    for record in reversed(records):  # oldest first: remember each record's previous row
        previous_of[record.history_id] = older.get(record.id)
        older[record.id] = record
    links = _links(type(records[0]), [r.history_id for r in records]) if records else {}
    raw: list[tuple[Any, list[tuple[models.Field, Any, Any]], list[tuple[models.Field, set, set]]]] = []
    for record in shown:
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
        raw.append((record, diffs, _link_diffs(record, previous, links)))
    labels = _related_labels(
        model,
        [(f.name, v) for _r, diffs, _l in raw for f, old, new in diffs if f.is_relation for v in (old, new)]
        + [(f.name, v) for _r, _d, linked in raw for f, added, removed in linked for v in added | removed],
        user=user,
    )
    actions = {"+": _("Created"), "~": _("Changed"), "-": _("Deleted")}
    entries = []
    for record, diffs, linked in raw:
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
                        label=str(capfirst(f.verbose_name)),
                        old=_display(f, old, labels) if record.history_type != "+" else "",
                        new=_display(f, new, labels),
                    )
                    for f, old, new in diffs
                ] + _link_changes(linked, labels, created=record.history_type == "+"),
            )
        )
    return entries


def _links(history_model, history_ids: list) -> dict[str, dict[Any, set]]:
    """Field name → history row → the ids it was linked to: one query per many-to-many field the trail follows."""
    found: dict[str, dict[Any, set]] = {}
    # simple-history keeps the fields in a set: read them in the model's order, as its form shows them.
    followed = sorted(getattr(history_model, "_history_m2m_fields", None) or (), key=lambda f: f.creation_counter)
    for link_field in followed:
        copy = getattr(history_model, link_field.name).model
        target = copy._meta.get_field(link_field.m2m_reverse_field_name()).attname
        rows: dict[Any, set] = {}
        for history_id, linked in (copy._default_manager.filter(history_id__in=history_ids)
                                   .values_list("history_id", target)):
            rows.setdefault(history_id, set()).add(linked)
        found[link_field.name] = {"field": link_field, "rows": rows}
    return found


def _link_diffs(record, previous, links) -> list[tuple[models.Field, set, set]]:
    """(field, ids added, ids removed) between a history row and the record's previous one."""
    if record.history_type == "-" or (previous is None and record.history_type != "+"):
        return []  # a deletion unlinks everything; a row without its previous one cannot say what changed
    diffs = []
    for link in links.values():
        now = link["rows"].get(record.history_id, set())
        before = link["rows"].get(previous.history_id, set()) if previous is not None else set()
        if now - before or before - now:
            diffs.append((link["field"], now - before, before - now))
    return diffs


def _link_changes(linked, labels, *, created: bool) -> list[Change]:
    def names(link_field, ids) -> str:
        named = sorted((labels[(link_field.name, pk)] for pk in ids if (link_field.name, pk) in labels),
                       key=str.casefold)
        hidden = len(ids) - len(named)
        if hidden:  # not visible to the reader (or no longer kept): counted, not named
            named.append(ngettext("%(count)d that you may not see", "%(count)d that you may not see",
                                  hidden) % {"count": hidden})
        return ", ".join(named)

    changes = []
    for link_field, added, removed in linked:
        if created:  # a new record lists its links as it lists its other fields
            changes.append(Change(field=link_field.name, label=str(capfirst(link_field.verbose_name)), old="",
                                  new=names(link_field, added), linked=True))
            continue
        for ids, adding in ((added, True), (removed, False)):
            if not ids:
                continue
            meta = link_field.related_model._meta
            if str(link_field.verbose_name) == str(meta.verbose_name_plural):
                # A field named after what it links: "Added capability: Case management".
                noun = meta.verbose_name if len(ids) == 1 else meta.verbose_name_plural
                label = (_("Added %(things)s") if adding else _("Removed %(things)s")) % {"things": noun}
                text = names(link_field, ids)
            else:
                # A field with a name of its own: "Partners using the same product: added Newport".
                label = str(capfirst(link_field.verbose_name))
                text = (_("added %(names)s") if adding else _("removed %(names)s")) % {
                    "names": names(link_field, ids)}
            changes.append(Change(field=link_field.name, label=label, old="", new=text, linked=True))
    return changes


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
    linked = _link_diffs(latest, then, _links(type(latest), [then.history_id, latest.history_id]))
    labels = _related_labels(model, [(f.name, v) for f, old, new in diffs if f.is_relation for v in (old, new)]
                             + [(f.name, v) for f, added, removed in linked for v in added | removed])
    changes = [Change(field=f.name, label=str(capfirst(f.verbose_name)), old=_display(f, old, labels),
                      new=_display(f, new, labels)) for f, old, new in diffs]
    changes += _link_changes(linked, labels, created=False)
    person = latest.history_user
    name = (person.get_full_name() or person.get_username()) if person is not None else _("Someone")
    return changes, name
