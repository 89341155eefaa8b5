"""Spreadsheet import and export, shared by every register the councils already keep in Excel.

Each app describes its columns once as a django-import-export resource (a subclass of
``GovtrackResource``) and registers it. This module adds what councils need around it:

- reading CSV (UTF-8 with or without a byte-order mark, UTF-16, Windows-1252; anything else is
  refused clearly) and XLSX uploads;
- a column mapping (spreadsheet header → govtrack column), suggested from names and
  aliases, chosen on the preview page and saved per organisation;
- a preview that says what would be created, updated and left unchanged, and every row
  error with its spreadsheet row number and column;
- all or nothing: when any row fails, nothing is written;
- export with the same columns, so export → import round-trips unchanged.

The upload pages, the management commands and the tests all call ``import_file``.
"""

from __future__ import annotations

import copy
import io
import re
from dataclasses import dataclass, field
from typing import Any

import tablib
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import models, transaction
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export import resources, widgets

from govtrack import cells
from govtrack.batch import Batch, lend
from govtrack.models import ColumnMapping, Directorate, Organisation

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
MAX_ROWS = 10_000


class GovtrackResource(resources.ModelResource):
    """A resource bound to one organisation and one person.

    Subclasses set ``kind``, ``aliases`` (column → other header names councils use) and a
    Meta with ``import_id_fields`` and ``skip_unchanged = True``. Every row is validated by
    the model's ``full_clean()``, as forms and the API are.
    """

    kind: str = ""
    aliases: dict[str, list[str]] = {}
    #: Files councils download from elsewhere, recognised by headers they always have:
    #: name → (those headers, header → column). Their generic headers ("id", "url") then map right.
    layouts: dict[str, tuple[frozenset[str], dict[str, str]]] = {}
    #: Query-string parameters the upload and export pages pass on as ``options`` (e.g. a register).
    url_options: tuple[str, ...] = ()

    def __init__(self, *, organisation: Organisation | None = None, user=None, options: dict | None = None, **kwargs):
        super().__init__(**kwargs)
        self.organisation = organisation
        self.user = user
        self.options = options or {}
        #: What the file's rows share when validated (the organisation's members...), read once.
        self.batch = Batch()
        if organisation is not None:
            self.batch.know([organisation])

    def get_import_fields(self):
        # Asked several times for every row: worked out again only when the resource's fields change.
        key = tuple(map(id, self.fields.values()))
        cached = self.__dict__.get("_import_fields")
        if cached is None or cached[0] != key:
            cached = self._import_fields = (key, super().get_import_fields())
        return list(cached[1])

    def import_notes(self) -> list[str]:
        """What the preview should say besides rows and errors (records matched or added); subclasses add."""
        return []

    def import_counts(self) -> list[tuple[int, str]]:
        """Records other than the rows' own the import would create, as (count, plural name)."""
        return []

    @classmethod
    def column_names(cls) -> list[str]:
        """The import/export columns, in export order."""
        return [f.column_name for f in cls().get_import_fields()]

    @classmethod
    def column_labels(cls) -> list[tuple[str, str]]:
        """Each column with the words a person reads for it ("Inherent likelihood", not ``inherent_likelihood``)."""
        resource = cls()
        labels = []
        for fld in resource.get_import_fields():
            model_field = _model_field(resource, fld.attribute)
            label = str(model_field.verbose_name) if model_field is not None else fld.column_name.replace("_", " ")
            labels.append((fld.column_name, label[:1].upper() + label[1:]))
        return labels

    @classmethod
    def generated_columns(cls, options: dict) -> set[str]:
        """Identifying columns this resource makes up when the file has none (with the right option)."""
        return set()

    @classmethod
    def id_columns(cls) -> list[str]:
        resource = cls()
        names = set(resource._meta.import_id_fields)
        return [f.column_name for f in resource.get_import_fields() if f.attribute in names or f.column_name in names]

    def get_queryset(self):
        # Export and matching go through the one permission rule, within one organisation.
        queryset = self._meta.model.objects.all()
        if self.user is not None and hasattr(queryset, "visible_to"):
            queryset = queryset.visible_to(self.user)
        if self.organisation is not None:
            queryset = queryset.filter(organisation=self.organisation)
        return queryset

    def export(self, queryset=None, **kwargs):
        """The records with the import's columns; archived ones only when asked for (``archived=true``).

        Each column's getter is chosen once (its ``dehydrate_`` method, a relation's widget, or the
        plain attribute), rather than per cell as django-import-export does: an export of thousands of
        rows spends its time reading the database, not looking its columns up again.
        """
        if queryset is None:
            queryset = self.get_queryset()
        if hasattr(self._meta.model, "archived_at") and self.options.get("archived") != "true":
            queryset = queryset.filter(archived_at__isnull=True)
        queryset = self.filter_export(queryset, **kwargs)
        fields = self.get_export_fields()
        getters = [self._column_getter(name, field, kwargs) for name, field in self._named(fields)]
        dataset = tablib.Dataset(headers=self.get_export_headers())
        for record in self.iter_queryset(queryset):
            dataset.append([getter(record) for getter in getters])
        return dataset

    def _named(self, fields):
        names = {id(field): name for name, field in self.fields.items()}
        return [(names[id(field)], field) for field in fields]

    def _column_getter(self, name: str, field, kwargs: dict):
        dehydrate = field.get_dehydrate_method(name)
        method = dehydrate if callable(dehydrate) else getattr(self, dehydrate, None)
        if method is not None:
            return method
        attribute = field.attribute or name
        relation = isinstance(field.widget, widgets.ForeignKeyWidget | widgets.ManyToManyWidget)
        plain = "__" not in attribute and not relation
        if plain:
            # Raw values: a spreadsheet keeps numbers and dates typed; empty is an empty cell.
            return lambda record: getattr(record, attribute, None)
        return lambda record: field.export(record, **kwargs)

    #: Rows fetched at a time when exporting (prefetches run once per chunk).
    EXPORT_CHUNK = 2000

    def iter_queryset(self, queryset):
        """Export streams the records in primary-key order, a chunk at a time (no OFFSET pages)."""
        if not isinstance(queryset, models.QuerySet):
            yield from queryset
            return
        yield from queryset.order_by("pk").iterator(chunk_size=self.EXPORT_CHUNK)

    def init_instance(self, row=None):
        instance = super().init_instance(row)
        if self.organisation is not None and hasattr(instance, "organisation_id"):
            instance.organisation = self.organisation
        return instance

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        # One file's rows share what they look up (the organisation's members), instead of a query each.
        lend(instance, self.batch)
        errors = dict(import_validation_errors or {})
        try:
            instance.full_clean(exclude=list(errors), validate_unique=validate_unique)
        except ValidationError as exc:
            for key, messages in exc.message_dict.items():
                errors.setdefault(key, []).extend(messages)
        if errors:
            raise ValidationError(errors)

    def before_save_instance(self, instance, row, **kwargs):
        instance._history_user = self.user
        super().before_save_instance(instance, row, **kwargs)

    def after_init_instance(self, instance, new, row, **kwargs):
        super().after_init_instance(instance, new, row, **kwargs)
        # With ``skip_diff``, skip_row compares the row with a shallow copy of the record as read (a new record
        # with one as init_instance makes it) instead of django-import-export's deep copy of every row, which
        # also drops the record's prefetched many-to-many values, so they would be read again row by row.
        if self._meta.skip_diff:
            self._original = self._blank(row) if new else copy.copy(instance)

    def _blank(self, row):
        """A new record as init_instance makes it, made once: skip_row only reads it."""
        if "_blank_record" not in self.__dict__:
            self._blank_record = self.init_instance(row)
        return self._blank_record

    def skip_row(self, instance, original, row, import_validation_errors=None):
        """Unchanged rows are skipped, as django-import-export does, comparing with ``after_init_instance``'s copy."""
        if not self._meta.skip_diff:
            return super().skip_row(instance, original, row, import_validation_errors)
        if not self._meta.skip_unchanged or import_validation_errors:
            return False
        original = self._original
        for fld in self.get_import_fields():
            if isinstance(fld.widget, widgets.ManyToManyWidget):
                if fld.column_name not in row:
                    continue
                wanted = sorted(value.pk for value in fld.clean(row))
                saved = [] if original.pk is None else sorted(value.pk for value in fld.get_value(original).all())
                if wanted != saved:
                    return False
            elif fld.get_value(instance) != fld.get_value(original):
                return False
        return True


@dataclass(frozen=True)
class Importer:
    resource_class: type[GovtrackResource]
    label: str
    list_url_name: str

    @property
    def kind(self) -> str:
        return self.resource_class.kind


_IMPORTERS: dict[str, Importer] = {}


def register_importer(resource_class: type[GovtrackResource], *, label: str, list_url_name: str) -> None:
    """Make a resource importable from the upload page, the export links and the commands."""
    if not resource_class.kind:
        raise ValueError(f"{resource_class.__name__} needs a kind.")
    _IMPORTERS[resource_class.kind] = Importer(resource_class, label, list_url_name)


def importers() -> dict[str, Importer]:
    autodiscover_modules("imports")
    return dict(_IMPORTERS)


def get_importer(kind: str) -> Importer | None:
    return importers().get(kind)


@dataclass
class RowError:
    row: int  # the row number as the spreadsheet shows it (the header is row 1)
    column: str
    message: str

    def __str__(self) -> str:
        where = _("row %(row)s") % {"row": self.row} if self.row else _("file")
        if self.column:
            where += f", {self.column}"
        return f"{where}: {self.message}"


@dataclass
class RowPreview:
    row: int
    action: str  # new, update, skip, error
    label: str


@dataclass
class ImportOutcome:
    headers: list[str]
    mapping: dict[str, str]
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)
    rows: list[RowPreview] = field(default_factory=list)
    committed: bool = False
    #: What the import matched or added besides its rows ("“Civica UK Limited” → Civica UK Ltd").
    notes: list[str] = field(default_factory=list)
    #: Other records it creates, as (count, plural name): contracts, suppliers.
    also_created: list[tuple[int, str]] = field(default_factory=list)
    #: What the rows are, in the plural ("systems", "risks").
    noun: str = ""
    #: The first value in the file under each header, to show what the mapping reads.
    samples: dict[str, str] = field(default_factory=dict)

    def summary(self, *, dry_run: bool) -> str:
        """"Would create 62 systems, 62 contracts and 14 suppliers; update 0; 3 unchanged": what each count counts."""
        parts = [f"{self.created} {self.noun or _('records')}"] + [f"{n} {what}" for n, what in self.also_created]
        made = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + _(" and ") + parts[-1]
        if dry_run:
            text = _("Would create %(made)s; update %(updated)s; leave %(unchanged)s unchanged.")
        else:
            text = _("Created %(made)s; updated %(updated)s; left %(unchanged)s unchanged.")
        return text % {"made": made, "updated": self.updated, "unchanged": self.unchanged}

    @property
    def ok(self) -> bool:
        return not self.errors


class ImportFileError(ValueError):
    """The file as a whole cannot be read."""


def read_table(content: bytes, filename: str) -> tablib.Dataset:
    """Read a CSV or XLSX file into rows with headers, dropping empty rows."""
    if len(content) > MAX_UPLOAD_BYTES:
        raise ImportFileError(_("The file is larger than %(mb)s MB.") % {"mb": MAX_UPLOAD_BYTES // (1024 * 1024)})
    name = filename.lower()
    try:
        if name.endswith(".xlsx"):
            data = tablib.Dataset().load(io.BytesIO(content), format="xlsx")
        elif name.endswith((".csv", ".txt")):
            try:
                text, _encoding = cells.decode_text(content)
            except cells.CellError as exc:
                raise ImportFileError(str(exc)) from None
            data = tablib.Dataset().load(text, format="csv")
        else:
            raise ImportFileError(_("Upload a .csv or .xlsx file."))
    except ImportFileError:
        raise
    except Exception as exc:  # tablib and openpyxl raise many kinds for a damaged file
        raise ImportFileError(_("The file could not be read: %(error)s") % {"error": exc}) from None
    headers = [str(h).strip() if h is not None else "" for h in (data.headers or [])]
    if not any(headers):
        raise ImportFileError(_("The first row must hold the column headers."))
    rows = [row for row in data if any(str(cell).strip() for cell in row if cell is not None)]
    if len(rows) > MAX_ROWS:
        raise ImportFileError(_("The file has more than %(n)s rows; split it.") % {"n": MAX_ROWS})
    clean = tablib.Dataset(headers=headers)
    for row in rows:
        clean.append(["" if cell is None else cell for cell in row])
    return clean


def _normal(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "", str(text).lower())


def suggest_mapping(headers: list[str], resource_class: type[GovtrackResource], saved: dict | None = None) -> dict:
    """A govtrack column for each header: the saved choice, else a name or alias match, else none."""
    saved = saved or {}
    lookup: dict[str, str] = {}
    resource = resource_class()
    for fld in resource.get_import_fields():
        names = [fld.column_name, fld.attribute or ""]
        model_field = _model_field(resource, fld.attribute)
        if model_field is not None:
            names.append(str(model_field.verbose_name))
        names += resource_class.aliases.get(fld.column_name, [])
        for name in names:
            if name:
                lookup.setdefault(_normal(name), fld.column_name)
    layout = next((columns for signature, columns in resource_class.layouts.values() if signature <= set(headers)), {})
    mapping, used = {}, set()
    for header in headers:
        if header in saved:
            target = saved[header] or ""
        else:
            target = layout.get(header) or lookup.get(_normal(header), "")
            if target in used:
                target = ""
        mapping[header] = target
        if target:
            used.add(target)
    return mapping


def _model_field(resource, attribute: str | None):
    if not attribute or "__" in attribute:
        return None
    try:
        return resource._meta.model._meta.get_field(attribute)
    except Exception:
        return None


def _apply_mapping(
    data: tablib.Dataset, mapping: dict[str, str], resource_class, generated: set[str] = frozenset()
) -> tuple[tablib.Dataset, list[RowError]]:
    """Rename the file's headers to govtrack's columns; report what cannot be mapped."""
    columns = resource_class.column_names()
    errors: list[RowError] = []
    chosen = {h: t for h, t in mapping.items() if t}
    for header, target in chosen.items():
        if target not in columns:
            errors.append(RowError(0, header, _("%(target)s is not a column govtrack knows.") % {"target": target}))
    targets = list(chosen.values())
    for target in sorted({t for t in targets if targets.count(t) > 1}):
        sources = ", ".join(h for h, t in chosen.items() if t == target)
        errors.append(
            RowError(
                0,
                target,
                _("Only one column can feed %(target)s; chosen for: %(sources)s.")
                % {"target": target, "sources": sources},
            )
        )
    for needed in resource_class.id_columns():
        if needed not in targets and needed not in generated:
            errors.append(
                RowError(0, needed, _("No column is mapped to %(col)s, which identifies each row.") % {"col": needed})
            )
    if errors:
        return tablib.Dataset(), errors
    index = {h: i for i, h in enumerate(data.headers)}
    ordered = [(h, t) for h, t in chosen.items() if h in index]
    made_up = [column for column in sorted(generated) if column not in targets]
    mapped = tablib.Dataset(headers=[t for _h, t in ordered] + made_up)
    for row in data:
        mapped.append([row[index[h]] for h, _t in ordered] + [""] * len(made_up))
    return mapped, []


def _samples(data: tablib.Dataset, length: int = 60) -> dict[str, str]:
    """The first non-empty value of each column, shortened, for the preview."""
    samples: dict[str, str] = {}
    for index, header in enumerate(data.headers):
        value = next((str(row[index]).strip() for row in data if str(row[index]).strip()), "")
        samples[header] = value if len(value) <= length else value[: length - 1] + "…"
    return samples


def _duplicate_keys(data: tablib.Dataset, resource_class, source_for: dict[str, str]) -> list[RowError]:
    """Two rows that identify the same record: an error, not a silent overwrite."""
    keys = [c for c in resource_class.id_columns() if c in data.headers]
    seen: dict[tuple, int] = {}
    errors = []
    for number, row in enumerate(data.dict, start=2):
        key = tuple(_normal(row[c]) for c in keys)
        if not any(key):
            continue
        if key in seen:
            column = source_for.get(keys[0], keys[0])
            errors.append(RowError(number, column, _("Duplicates row %(row)s.") % {"row": seen[key]}))
        else:
            seen[key] = number
    return errors


@transaction.atomic
def import_file(
    *,
    resource_class: type[GovtrackResource],
    organisation: Organisation,
    user,
    content: bytes,
    filename: str,
    mapping: dict[str, str] | None = None,
    dry_run: bool = True,
    options: dict | None = None,
) -> ImportOutcome:
    """Preview (``dry_run``) or apply an import; when any row fails nothing is written."""
    try:
        data = read_table(content, filename)
    except ImportFileError as exc:
        return ImportOutcome(headers=[], mapping={}, errors=[RowError(0, "", str(exc))])
    headers = list(data.headers)
    mapping = suggest_mapping(headers, resource_class, saved=mapping)
    outcome = ImportOutcome(headers=headers, mapping=mapping, samples=_samples(data))
    generated = resource_class.generated_columns(options or {})
    mapped, outcome.errors = _apply_mapping(data, mapping, resource_class, generated)
    if outcome.errors:
        return outcome
    source_for = {t: h for h, t in mapping.items() if t}
    outcome.errors = _duplicate_keys(mapped, resource_class, source_for)
    resource = resource_class(organisation=organisation, user=user, options=options)
    savepoint = transaction.savepoint()
    result = resource.import_data(
        mapped, dry_run=False, raise_errors=False, use_transactions=True, rollback_on_validation_errors=True
    )
    # A duplicate row's own consequences (a unique name clash) would only repeat its error.
    duplicates = {e.row for e in outcome.errors}
    outcome.errors += [e for e in _errors_of(result, source_for, resource) if e.row not in duplicates]
    outcome.errors.sort(key=lambda e: (e.row, e.column))
    outcome.notes = resource.import_notes()
    outcome.also_created = resource.import_counts()
    outcome.noun = str(resource_class._meta.model._meta.verbose_name_plural)
    for number, row_result in enumerate(result.rows, start=2):
        action = row_result.import_type
        outcome.rows.append(RowPreview(number, action, row_result.object_repr or ""))
        if action == "new":
            outcome.created += 1
        elif action == "update":
            outcome.updated += 1
        elif action == "skip":
            outcome.unchanged += 1
    if dry_run or outcome.errors:
        transaction.savepoint_rollback(savepoint)
    else:
        transaction.savepoint_commit(savepoint)
        outcome.committed = True
    return outcome


def _errors_of(result, source_for: dict[str, str], resource) -> list[RowError]:
    errors = []
    by_attribute = {f.attribute: f.column_name for f in resource.get_import_fields()}
    for invalid in result.invalid_rows:
        for key, messages in invalid.error_dict.items():
            column = by_attribute.get(key, key)
            column = source_for.get(column, column if key != NON_FIELD_ERRORS else "")
            for message in messages:
                errors.append(RowError(invalid.number + 1, column, str(message)))
    for number, row_errors in result.row_errors():
        for error in row_errors:
            errors.append(RowError(number + 1, "", _describe(error.error)))
    for error in result.base_errors:
        errors.append(RowError(0, "", _describe(error.error)))
    return errors


def _describe(exc: Any) -> str:
    if isinstance(exc, ValidationError):
        return "; ".join(exc.messages)
    return str(exc) or type(exc).__name__


def export_dataset(*, resource_class: type[GovtrackResource], organisation: Organisation, user) -> tablib.Dataset:
    """The organisation's records as the person may see them, with the import's columns."""
    resource = resource_class(organisation=organisation, user=user)
    return resource.export()


def save_mapping(*, organisation: Organisation, kind: str, name: str, columns: dict[str, str], by) -> ColumnMapping:
    """Save (or replace) a named column mapping for the organisation."""
    name = name.strip()
    if not name:
        raise ValidationError({"mapping_name": _("Give the mapping a name.")})
    mapping, _created = ColumnMapping.objects.get_or_create(organisation=organisation, kind=kind, name=name)
    mapping.columns = columns
    mapping._history_user = by
    mapping.save()
    return mapping


class ImportCommand(BaseCommand):
    """Base for ``import_<things> FILE [--organisation SLUG] [--dry-run] [--mapping NAME]``."""

    resource_class: type[GovtrackResource]

    def add_arguments(self, parser):
        parser.add_argument("file", help="A .csv or .xlsx file; the first row holds the headers.")
        parser.add_argument("--organisation", metavar="SLUG", help="The organisation the rows belong to.")
        parser.add_argument("--dry-run", action="store_true", help="Show what would change; write nothing.")
        parser.add_argument("--mapping", metavar="NAME", help="A column mapping saved for the organisation.")
        if self.resource_class.generated_columns({"generate_references": True}):
            parser.add_argument("--generate-references", action="store_true",
                                help="Make up references for rows without one (a register published without IDs).")

    def resource_options(self, options: dict) -> dict:
        """Extra options for the resource (e.g. a register); subclasses override."""
        return {}

    def handle(self, *args, **options):
        organisation = self._organisation(options.get("organisation"))
        mapping = None
        if options.get("mapping"):
            saved = ColumnMapping.objects.filter(
                organisation=organisation, kind=self.resource_class.kind, name=options["mapping"]
            ).first()
            if saved is None:
                raise CommandError(f"{organisation} has no saved mapping called {options['mapping']!r}.")
            mapping = saved.columns
        try:
            with open(options["file"], "rb") as handle:
                content = handle.read()
        except OSError as exc:
            raise CommandError(f"Cannot read {options['file']}: {exc.strerror}") from None
        outcome = import_file(
            resource_class=self.resource_class,
            organisation=organisation,
            user=None,
            content=content,
            filename=options["file"],
            mapping=mapping,
            dry_run=options["dry_run"],
            options={**self.resource_options(options),
                     **({"generate_references": "yes"} if options.get("generate_references") else {})},
        )
        for error in outcome.errors:
            self.stderr.write(str(error))
        if outcome.errors:
            raise CommandError(f"{len(outcome.errors)} problem(s) found; nothing was written.")
        if options.get("verbosity", 1) >= 2:
            self.stdout.write("Columns:")
            for header, target in outcome.mapping.items():
                self.stdout.write(f"  {header} -> {target or '(not imported)'}")
            for note in outcome.notes:
                self.stdout.write(f"  {note}")
        self.stdout.write(outcome.summary(dry_run=options["dry_run"]))

    def _organisation(self, slug: str | None) -> Organisation:
        if slug:
            organisation = Organisation.objects.filter(slug=slug).first()
            if organisation is None:
                raise CommandError(f"No organisation with slug {slug!r}. {self._valid_slugs()}")
            return organisation
        organisations = list(Organisation.objects.active()[:2])
        if len(organisations) != 1:
            raise CommandError(f"Say which organisation with --organisation SLUG. {self._valid_slugs()}")
        return organisations[0]

    @staticmethod
    def _valid_slugs() -> str:
        slugs = list(Organisation.objects.active().order_by("slug").values_list("slug", flat=True)[:50])
        return f"Organisations: {', '.join(slugs)}." if slugs else "There are no organisations yet."


class DirectorateResource(GovtrackResource):
    """An organisation's directorates, so an administrator can load the structure from a list."""

    kind = "directorates"
    aliases = {"name": ["Directorate", "Department"], "slug": ["Code", "Short code"]}

    class Meta:
        model = Directorate
        fields = ["name", "slug"]
        import_id_fields = ["name"]
        skip_unchanged = True
        report_skipped = True

    def before_import_row(self, row, **kwargs):
        if not row.get("slug") and row.get("name"):
            from django.utils.text import slugify

            row["slug"] = slugify(str(row["name"]))[:60]


register_importer(DirectorateResource, label=gettext_lazy("Directorates"), list_url_name="organisation_list")
