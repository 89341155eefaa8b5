"""Import and export of the catalogue as one spreadsheet row per system, with its main contract.

Columns are the export's headers; ``aliases`` lets the shared import layer recognise the
names councils use ("Application", "Vendor", "Contract End"...). A row's contract is matched
by its reference (or, without one, the system's contract without a reference), so exporting
and importing the same file changes nothing.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Prefetch
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from import_export import fields, widgets
from import_export.instance_loaders import CachedInstanceLoader
from simple_history.utils import bulk_create_with_history

from govtrack.batch import bulk_update_saved, lend
from govtrack.history import record_links_made_in_bulk
from govtrack.imports import GovtrackResource, register_importer
from govtrack.models import Directorate
from govtrack.people import members_of
from systems_catalogue.models import Capability, Contract, Supplier, System, supplier_key

ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y", "%d/%m/%y", "%d-%m-%Y", "%d %B %Y", "%d %b %Y", "%Y-%m-%d %H:%M:%S"]


def parse_date(value) -> date | None:
    """A date from a spreadsheet cell: a real date, ISO, or the British day/month/year."""
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip()
    if ISO_DATE.fullmatch(text):  # what the first format reads, read faster
        try:
            return date.fromisoformat(text)
        except ValueError:
            pass
    for fmt in DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(_("“%(value)s” is not a date; write it as 31/03/2027 or 2027-03-31.") % {"value": text})


def parse_money(value) -> Decimal | None:
    """Pounds from a cell: allows £, commas and spaces."""
    if value in (None, ""):
        return None
    text = re.sub(r"[£,\s]", "", str(value))
    if not text:
        return None
    try:
        return Decimal(text).quantize(Decimal("0.01"))
    except InvalidOperation:
        raise ValueError(_("“%(value)s” is not an amount in pounds.") % {"value": value}) from None


def parse_days(value) -> int | None:
    if value in (None, ""):
        return None
    text = str(value).strip().lower()
    match = re.fullmatch(r"(\d+)(?:\.0+)?\s*(days?|months?|weeks?)?", text)
    if not match:
        raise ValueError(_("“%(value)s” is not a number of days (or “3 months”).") % {"value": value})
    number, unit = int(match.group(1)), match.group(2) or "days"
    return number * {"d": 1, "w": 7, "m": 30}[unit[0]]


class DateWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        return parse_date(value)

    def render(self, value, obj=None, **kwargs):
        return value.isoformat() if value else ""


class ChoiceWidget(widgets.Widget):
    """A choice by its stored value or its label, in any case; exported as the label."""

    def __init__(self, choices, **kwargs):
        self.choices = choices
        self._by_text: dict[str, dict[str, str]] = {}
        super().__init__(**kwargs)

    def _stored_by_text(self) -> dict[str, str]:
        """Each choice's stored value under its value and its label, lower-cased: made once per language."""
        language = get_language() or ""
        if language not in self._by_text:
            found: dict[str, str] = {}
            for stored, label in self.choices:
                found.setdefault(stored.lower(), stored)
                found.setdefault(str(label).lower(), stored)
            self._by_text[language] = found
        return self._by_text[language]

    def clean(self, value, row=None, **kwargs):
        if value in (None, ""):
            return ""
        text = str(value).strip().lower()
        found = self._stored_by_text()
        if text in found:
            return found[text]
        allowed = ", ".join(str(label) for _stored, label in self.choices)
        raise ValueError(_("“%(value)s” is not one of: %(allowed)s.") % {"value": value, "allowed": allowed})

    def render(self, value, obj=None, **kwargs):
        return str(dict(self.choices).get(value, value or ""))


class OrganisationRecordWidget(widgets.ForeignKeyWidget):
    """A directorate or supplier of the importing organisation, by name (a directorate also by its short code).

    The organisation's records are read once per file, not once per row. Suppliers match on
    :func:`supplier_key`, so "Civica UK Limited" finds "Civica UK Ltd"; with ``create`` a supplier not
    yet known is added once, and later rows naming it the same way find it. Each name in the file and
    what it matched are kept for the preview.
    """

    def __init__(self, model, *, resource, create: bool = False, **kwargs):
        self.resource = resource
        self.create = create
        self._records: dict[str, object] | None = None
        self._added: set[int] = set()
        #: Each name as the file writes it → (the record it matched, whether the import adds it).
        self.matches: dict[str, tuple[object, bool]] = {}
        super().__init__(model, field="name", **kwargs)

    def get_queryset(self, value, row, *args, **kwargs):
        queryset = self.model.objects.filter(organisation=self.resource.organisation)
        return queryset.filter(archived_at__isnull=True) if hasattr(self.model, "archived_at") else queryset

    def _key(self, text: str) -> str:
        return supplier_key(text) if self.model is Supplier else text.strip().lower()

    def _keys_of(self, record) -> list[str]:
        return [self._key(record.name), *([record.slug.lower()] if hasattr(record, "slug") else [])]

    def _known(self) -> dict[str, object]:
        if self._records is None:
            self._records = {}
            records = list(self.get_queryset(None, None).order_by("pk"))
            self.resource.batch.know(records)
            for record in records:
                for key in self._keys_of(record):
                    self._records.setdefault(key, record)
        return self._records

    def clean(self, value, row=None, **kwargs):
        name = str(value or "").strip()
        if not name:
            return None
        match = self._known().get(self._key(name))
        if match is not None:
            self.matches.setdefault(name, (match, match.pk in self._added))
            return match
        if self.create and self.resource.organisation is not None:
            record = lend(self.model(organisation=self.resource.organisation, name=name), self.resource.batch)
            record._history_user = self.resource.user
            record.full_clean()
            record.save()
            self.resource.batch.know([record])
            for key in self._keys_of(record):
                self._records[key] = record
            self._added.add(record.pk)
            self.matches[name] = (record, True)
            return record
        raise ValueError(
            _("%(org)s has no %(what)s called “%(name)s”.")
            % {"org": self.resource.organisation, "what": self.model._meta.verbose_name, "name": name}
        )

    def notes(self) -> list[str]:
        """What each name in the file matched, for the preview: "“CIVICA UK LIMITED” → Civica UK Ltd (new)"."""
        what = self.model._meta.verbose_name
        lines = []
        for name, (record, added) in sorted(self.matches.items(), key=lambda item: (item[1][0].name, item[0])):
            if added and name == record.name:
                lines.append(_("“%(name)s”: a new %(what)s") % {"name": name, "what": what})
            elif added:
                lines.append(_("“%(name)s” → %(record)s (the new %(what)s above)")
                             % {"name": name, "record": record.name, "what": what})
            elif name != record.name:
                lines.append(_("“%(name)s” → %(record)s (already known)") % {"name": name, "record": record.name})
        return lines

    def added(self) -> int:
        return len(self._added)

    def render(self, value, obj=None, **kwargs):
        return value.name if value else ""


class PersonWidget(widgets.ForeignKeyWidget):
    """A member of the importing organisation, by username or email address."""

    def __init__(self, *, resource, **kwargs):
        self.resource = resource
        self._people: dict[str, object] | None = None
        super().__init__(get_user_model(), field="username", **kwargs)

    def _members(self) -> dict[str, object]:
        """The organisation's members by lower-cased username and email (the first in name order), read once."""
        if self._people is None:
            people = list(members_of(self.resource.organisation))
            self.resource.batch.know(people)
            self._people = {}
            for person in people:
                for key in (person.username.lower(), (person.email or "").lower()):
                    if key:
                        self._people.setdefault(key, person)
        return self._people

    def clean(self, value, row=None, **kwargs):
        text = str(value or "").strip()
        if not text:
            return None
        match = self._members().get(text.lower())
        if match is None:
            raise ValueError(
                _("No one in %(org)s has the username or email “%(value)s”.")
                % {"org": self.resource.organisation, "value": text}
            )
        return match

    def render(self, value, obj=None, **kwargs):
        return value.email or value.username if value else ""


class CapabilitiesWidget(widgets.ManyToManyWidget):
    """Capabilities by name, separated by semicolons."""

    def __init__(self, **kwargs):
        super().__init__(Capability, separator=";", field="name", **kwargs)
        self._found: dict[str, Capability] | None = None

    def clean(self, value, row=None, **kwargs):
        names = [n.strip() for n in str(value or "").split(";") if n.strip()]
        # The shared vocabulary is short: read once per file, matched without regard to case.
        if self._found is None:
            self._found = {c.name.lower(): c for c in Capability.objects.all()}
        unknown = [n for n in names if n.lower() not in self._found]
        if unknown:
            raise ValueError(_("Unknown capabilities: %(names)s.") % {"names": "; ".join(unknown)})
        return list({self._found[n.lower()].pk: self._found[n.lower()] for n in names}.values())

    def render(self, value, obj=None, **kwargs):
        return "; ".join(c.name for c in value.all()) if value is not None else ""


#: Contract columns: (column, Contract attribute, parser).
CONTRACT_COLUMNS = [
    ("contract_reference", "reference", lambda v: str(v or "").strip()),
    ("contract_title", "title", lambda v: str(v or "").strip()),
    ("awarded_on", "awarded_on", parse_date),
    ("contract_start", "start_on", parse_date),
    ("contract_end", "end_on", parse_date),
    ("notice_period_days", "notice_period_days", parse_days),
    ("annual_licence_cost", "annual_licence_cost", parse_money),
    ("annual_support_cost", "annual_support_cost", parse_money),
    ("annual_hosting_cost", "annual_hosting_cost", parse_money),
    ("one_off_cost", "one_off_cost", parse_money),
    ("total_contract_value", "total_value", parse_money),
    ("procurement_route", "procurement_route", ChoiceWidget(Contract.ProcurementRoute.choices).clean),
    ("contract_notice_url", "notice_url", lambda v: str(v or "").strip()),
]


class SystemResource(GovtrackResource):
    kind = "systems"
    aliases = {
        "name": ["Application", "Application name", "System", "System name", "Title"],
        "purpose": ["Description", "What it does"],
        "directorate": ["Department", "Directorate name"],
        "owner": ["System owner", "Business owner", "Owner email"],
        "supplier": ["Vendor", "Supplier name", "Awarded supplier"],
        "capabilities": ["Capability", "Functions"],
        "last_reviewed_on": ["Last reviewed", "Review date"],
        "end_of_support_on": ["End of support", "Support ends"],
        "url": ["Web address", "Link"],
        "contract_reference": ["Contract reference", "Contract ID", "Contract number"],
        "awarded_on": ["Award date", "Awarded", "Awarded date"],
        "contract_start": ["Contract Start", "Start date"],
        "contract_end": ["Contract End", "End date", "Contract end date", "Expiry date"],
        "notice_period_days": ["Notice period", "Notice"],
        "annual_licence_cost": ["Licence cost", "Annual licence"],
        "annual_support_cost": ["Support cost", "Maintenance cost"],
        "annual_hosting_cost": ["Hosting cost"],
        "one_off_cost": ["One-off cost", "Implementation cost"],
        "total_contract_value": ["Contract value", "Total value", "Awarded value"],
        "contract_notice_url": ["Notice URL", "Contracts Finder link"],
    }

    layouts = {
        # Contracts Finder's notice export (www.contractsfinder.service.gov.uk): one row per notice.
        "Contracts Finder": (
            frozenset({"id", "url", "awarded_supplier", "cpv_codes"}),
            {"id": "contract_reference", "url": "contract_notice_url", "title": "name", "description": "purpose",
             "awarded_supplier": "supplier", "awarded_value": "total_contract_value", "awarded_date": "awarded_on"},
        ),
    }

    name = fields.Field(attribute="name", column_name="name")
    purpose = fields.Field(attribute="purpose", column_name="purpose")
    service_area = fields.Field(attribute="service_area", column_name="service_area")
    product = fields.Field(attribute="product", column_name="product")
    hosting = fields.Field(attribute="hosting", column_name="hosting", widget=ChoiceWidget(System.Hosting.choices))
    lifecycle = fields.Field(
        attribute="lifecycle", column_name="lifecycle", widget=ChoiceWidget(System.Lifecycle.choices)
    )
    criticality = fields.Field(
        attribute="criticality", column_name="criticality", widget=ChoiceWidget(System.Criticality.choices)
    )
    personal_data = fields.Field(
        attribute="personal_data", column_name="personal_data", widget=ChoiceWidget(System.PersonalData.choices)
    )
    capabilities = fields.Field(attribute="capabilities", column_name="capabilities", widget=CapabilitiesWidget())
    url = fields.Field(attribute="url", column_name="url")
    end_of_support_on = fields.Field(
        attribute="end_of_support_on", column_name="end_of_support_on", widget=DateWidget()
    )
    last_reviewed_on = fields.Field(attribute="last_reviewed_on", column_name="last_reviewed_on", widget=DateWidget())

    class Meta:
        model = System
        import_id_fields = ["name"]
        skip_unchanged = True
        report_skipped = True
        # The file's existing systems are read in one query, with their contracts and capabilities.
        instance_loader_class = CachedInstanceLoader
        # Rows are validated one by one and written together (see bulk_create); the preview shows no diff,
        # and a row is compared with a shallow copy of its system (GovtrackResource.skip_row).
        use_bulk = True
        skip_diff = True
        fields = [
            "name",
            "purpose",
            "directorate",
            "service_area",
            "owner",
            "supplier",
            "product",
            "hosting",
            "lifecycle",
            "criticality",
            "personal_data",
            "capabilities",
            "url",
            "end_of_support_on",
            "last_reviewed_on",
            *[column for column, _attr, _parse in CONTRACT_COLUMNS],
        ]

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        # Widgets that look records up need the organisation, so they are bound per resource.
        self.fields["directorate"] = fields.Field(
            attribute="directorate",
            column_name="directorate",
            widget=OrganisationRecordWidget(Directorate, resource=self),
        )
        self.fields["supplier"] = fields.Field(
            attribute="supplier",
            column_name="supplier",
            widget=OrganisationRecordWidget(Supplier, resource=self, create=True),
        )
        self.fields["owner"] = fields.Field(attribute="owner", column_name="owner", widget=PersonWidget(resource=self))
        # Bound per resource, so each file reads the capability list once.
        self.fields["capabilities"] = fields.Field(attribute="capabilities", column_name="capabilities",
                                                   widget=CapabilitiesWidget())
        for column, _attr, _parse in CONTRACT_COLUMNS:
            self.fields[column] = fields.Field(column_name=column, attribute=None, dehydrate_method=f"_export_{column}")
            setattr(self, f"_export_{column}", self._exporter(column))
        self._row: dict = {}
        self._contract: Contract | None = None
        self._contract_found: tuple[Contract | None, dict, dict] | None = None
        self._contracts_created = 0

    # --- export ---------------------------------------------------------------------------

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related("directorate", "owner", "supplier")
            .prefetch_related(
                "capabilities",
                Prefetch("contracts", to_attr="live",
                         queryset=Contract.objects.active().select_related("supplier").order_by("-end_on", "pk")),
            )
            .order_by("name")
        )

    def _exporter(self, column: str):
        attr = next(a for c, a, _p in CONTRACT_COLUMNS if c == column)

        def export(system: System):
            contract = system.live[0] if getattr(system, "live", None) else None
            value = getattr(contract, attr, None) if contract else None
            if isinstance(value, date):
                return value.isoformat()
            if attr == "procurement_route":
                return str(dict(Contract.ProcurementRoute.choices).get(value, value or ""))
            return "" if value is None else value

        return export

    # --- import ---------------------------------------------------------------------------

    def before_import_row(self, row, **kwargs):
        self._row = row
        self._contract = None
        self._contract_found = None
        if "lifecycle" in row and not str(row.get("lifecycle") or "").strip():
            row["lifecycle"] = System.Lifecycle.LIVE

    def after_init_instance(self, instance, new, row, **kwargs):
        super().after_init_instance(instance, new, row, **kwargs)
        if not new:
            self.batch.remember_saved([instance, *self._live_contracts(instance)])

    def _contract_values(self) -> tuple[dict, dict]:
        """The row's contract values by Contract attribute, and parse errors by column."""
        values, errors = {}, {}
        for column, attr, parse in CONTRACT_COLUMNS:
            if column not in self._row:
                continue
            try:
                values[attr] = parse(self._row[column])
            except ValueError as exc:
                errors[column] = [str(exc)]
        return values, errors

    @staticmethod
    def _live_contracts(system: System) -> list[Contract]:
        """The system's contracts not archived, latest end first: as loaded with it, else from the database."""
        if system.pk is None:
            return []
        live = getattr(system, "live", None)
        return live if live is not None else list(Contract.objects.active().filter(system=system))

    def _existing_contract(self, system: System, reference: str) -> Contract | None:
        return next((c for c in self._live_contracts(system) if c.reference == reference), None)

    def _contract_changes(self, system: System) -> tuple[Contract | None, dict, dict]:
        """The row's contract (found or new), the values it changes and parse errors: worked out once a row,
        by skip_row, before validate_instance applies them."""
        if self._contract_found is None:
            values, errors = self._contract_values()
            if not any(v not in (None, "") for v in values.values()):
                self._contract_found = None, {}, errors
            else:
                contract = self._existing_contract(system, values.get("reference", "")) or Contract(system=system)
                changes = {attr: value for attr, value in values.items() if getattr(contract, attr) != value}
                self._contract_found = contract, changes, errors
        return self._contract_found

    def skip_row(self, instance, original, row, import_validation_errors=None):
        contract, changes, errors = self._contract_changes(instance)
        if errors or changes or (contract is not None and contract.pk is None):
            return False
        return super().skip_row(instance, original, row, import_validation_errors)

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        errors = dict(import_validation_errors or {})
        contract, changes, contract_errors = self._contract_changes(instance)
        errors.update(contract_errors)
        if contract is not None and not contract_errors:
            for attr, value in changes.items():
                setattr(contract, attr, value)
            if contract.supplier_id is None and instance.supplier_id:
                contract.supplier = changes["supplier"] = instance.supplier
            column_of = {attr: column for column, attr, _p in CONTRACT_COLUMNS}
            column_of["supplier"] = "supplier"
            try:
                lend(contract, self.batch).full_clean(exclude=["system"])
            except ValidationError as exc:
                for key, messages in exc.message_dict.items():
                    errors.setdefault(column_of.get(key, key), []).extend(messages)
            # A contract the row leaves as it was is not written again, nor given an audit-trail row.
            self._contract = contract if contract.pk is None or changes else None
        super().validate_instance(instance, errors, validate_unique=validate_unique)

    def before_save_instance(self, instance, row, **kwargs):
        super().before_save_instance(instance, row, **kwargs)
        # What bulk_create writes with the system: its capabilities (when the file has them) and its contract.
        capabilities = self.fields["capabilities"]
        instance._import_capabilities = capabilities.clean(row) if capabilities.column_name in row else None
        instance._import_contract = self._contract
        instance.take_name()

    def bulk_create(self, using_transactions, dry_run, raise_errors, batch_size=None, result=None):
        """The new systems, then their contracts and capabilities: a few INSERTs, one audit-trail row per record."""
        self._write(self.create_instances, created=True, batch_size=batch_size, result=result,
                    raise_errors=raise_errors)

    def bulk_update(self, using_transactions, dry_run, raise_errors, batch_size=None, result=None):
        """The changed systems, their new or changed contracts and capabilities, each change in the audit trail."""
        self._write(self.update_instances, created=False, batch_size=batch_size, result=result,
                    raise_errors=raise_errors)

    def _write(self, systems: list[System], *, created: bool, batch_size, result, raise_errors) -> None:
        if not systems:
            return
        try:
            with transaction.atomic():
                if created:
                    bulk_create_with_history(systems, System, batch_size=batch_size, default_user=self.user)
                else:
                    bulk_update_saved(systems, System, self._system_columns(), by=self.user)
                self._write_contracts(systems, batch_size=batch_size)
                self._write_capabilities(systems, replace=not created)
                # Each system's new audit-trail row keeps its links as the import leaves them.
                through = System.capabilities.through
                record_links_made_in_bulk(through, through.objects.filter(system_id__in=[s.pk for s in systems]))
        except Exception as exc:
            self.handle_import_error(result, exc, raise_errors)
        finally:
            systems.clear()

    def _system_columns(self) -> list[str]:
        """The System fields the import sets (besides its name, which identifies the row)."""
        model_fields = {f.name for f in System._meta.concrete_fields}
        return [f.attribute for f in self.get_import_fields()
                if f.attribute in model_fields and f.attribute not in self._meta.import_id_fields]

    def _write_contracts(self, systems: list[System], *, batch_size) -> None:
        new, changed = [], []
        for system in systems:
            contract = system._import_contract
            if contract is None:
                continue
            contract.system = system
            contract._history_user = self.user
            (new if contract.pk is None else changed).append(contract)
        bulk_create_with_history(new, Contract, batch_size=batch_size, default_user=self.user)
        bulk_update_saved(changed, Contract, [attr for _c, attr, _p in CONTRACT_COLUMNS] + ["supplier"], by=self.user)
        self._contracts_created += len(new)

    def _write_capabilities(self, systems: list[System], *, replace: bool) -> None:
        """Each system's capabilities as the file lists them (an updated system's others are removed)."""
        through = System.capabilities.through
        listed = [s for s in systems if s._import_capabilities is not None]
        wanted = {s.pk: {c.pk for c in s._import_capabilities} for s in listed}
        if replace:  # the systems were loaded with their capabilities: only those that differ are rewritten
            wanted = {s.pk: wanted[s.pk] for s in listed if wanted[s.pk] != {c.pk for c in s.capabilities.all()}}
            through.objects.filter(system_id__in=wanted).delete()
        through.objects.bulk_create([through(system_id=pk, capability_id=cap) for pk, caps in wanted.items()
                                     for cap in sorted(caps)])

    def import_counts(self) -> list[tuple[int, str]]:
        suppliers = self.fields["supplier"].widget.added()
        return [(self._contracts_created, str(Contract._meta.verbose_name_plural)),
                (suppliers, str(Supplier._meta.verbose_name_plural))]

    def import_notes(self) -> list[str]:
        return self.fields["supplier"].widget.notes()


#: What each column holds, for the page that documents the spreadsheet layout.
COLUMN_HELP = {
    "name": gettext_lazy("The system's name; identifies the row, so it must be unique in the file."),
    "purpose": gettext_lazy("What the system is for."),
    "directorate": gettext_lazy("A directorate of the organisation, by name or short code."),
    "service_area": gettext_lazy("The service within the directorate."),
    "owner": gettext_lazy("The system owner's username or email address; they must belong to the organisation."),
    "supplier": gettext_lazy("The supplier's name; a supplier not yet known is added."),
    "product": gettext_lazy("The product's name, as its supplier sells it."),
    "hosting": gettext_lazy("On premises, Provider's data centre or Cloud / SaaS."),
    "lifecycle": gettext_lazy("Planned, Live, Being replaced or Retired (Live when empty)."),
    "criticality": gettext_lazy("Critical, High, Medium or Low."),
    "personal_data": gettext_lazy("No personal data, Personal data, or Special category or sensitive data."),
    "capabilities": gettext_lazy("Capability names separated by semicolons, from the shared list."),
    "url": gettext_lazy("A web address starting with https://."),
    "end_of_support_on": gettext_lazy("The date supplier support ends."),
    "last_reviewed_on": gettext_lazy("The date of the last annual review; not in the future."),
    "contract_reference": gettext_lazy("The contract's reference; identifies the contract on re-import."),
    "contract_title": gettext_lazy("The contract's title."),
    "awarded_on": gettext_lazy("The date the contract was awarded."),
    "contract_start": gettext_lazy("The date the contract starts."),
    "contract_end": gettext_lazy("The date the contract ends; after it starts."),
    "notice_period_days": gettext_lazy("Notice in days, or “3 months”; shorter than the contract."),
    "annual_licence_cost": gettext_lazy("Pounds a year for licences; not negative (£ and commas allowed)."),
    "annual_support_cost": gettext_lazy("Pounds a year for support and maintenance; not negative."),
    "annual_hosting_cost": gettext_lazy("Pounds a year for hosting; not negative."),
    "one_off_cost": gettext_lazy("One-off pounds (implementation, migration); not negative."),
    "total_contract_value": gettext_lazy("The contract's total value in pounds; not negative."),
    "procurement_route": gettext_lazy("Open tender, Framework call-off, G-Cloud, Direct award..."),
    "contract_notice_url": gettext_lazy("A link to the published contract notice."),
}


def column_documentation() -> list[dict]:
    """Every import/export column with its meaning and the other headers recognised for it."""
    return [
        {"name": name, "help": COLUMN_HELP.get(name, ""), "aliases": SystemResource.aliases.get(name, [])}
        for name in SystemResource.column_names()
    ]


register_importer(SystemResource, label=gettext_lazy("Systems"), list_url_name="systems_catalogue:system_list")
