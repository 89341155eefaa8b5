"""Importing an agreement's measurements from a KPI spreadsheet in "long" form: one row per KPI and period.

Councils publish their outsourced IT service's KPIs this way (Hart District Council's: ``kpi_ref``,
``description``, ``service``, ``unit``, ``period`` such as ``2014/15 Q1``, ``value``, ``target``). Each KPI
becomes a service line of the agreement (while it is a draft, lines missing from it are added) and
each row with a period becomes its measurement, through ``slas.services.submit_measurement``, so the
same rules hold as on the grid and in the API. All or nothing: any row error and nothing is written.
The page and ``python manage.py import_sla_measurements`` both call ``import_measurements``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from govtrack.imports import ImportFileError, RowError, read_table
from slas import periods, services
from slas.models import Agreement, ServiceLine

#: govtrack column → header names councils use for it (compared without case, spaces or punctuation).
COLUMNS: dict[str, list[str]] = {
    "reference": ["kpi_ref", "kpi", "ref", "reference", "indicator"],
    "metric": ["description", "metric", "measure", "kpi description"],
    "service": ["service", "service area"],
    "unit": ["unit", "units"],
    "period": ["period", "quarter", "month"],
    "actual": ["value", "actual", "result", "outturn"],
    "target": ["target"],
    "direction": ["direction", "polarity", "better"],
}
REQUIRED = ("reference", "period", "actual")

FINANCIAL_QUARTER = re.compile(r"^(\d{4})\s*/\s*(\d{2,4})\s*Q([1-4])$", re.I)
CALENDAR_QUARTER = re.compile(r"^(\d{4})\s*Q([1-4])$", re.I)


def _normal(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "", str(text).lower())


def suggest_mapping(headers: list[str]) -> dict[str, str]:
    """govtrack column → the file's header that looks like it, where one does."""
    found = {}
    normal = {_normal(h): h for h in headers}
    for column, names in COLUMNS.items():
        for name in [column, *names]:
            if _normal(name) in normal:
                found[column] = normal[_normal(name)]
                break
    return found


def parse_period(text: str) -> tuple[date, str] | None:
    """``2014/15 Q1`` (a financial year: Q1 is April to June), ``2014 Q2``, ``2014-05``: its start and kind."""
    text = str(text or "").strip()
    match = FINANCIAL_QUARTER.match(text)
    if match:
        year, quarter = int(match.group(1)), int(match.group(3))
        return (date(year, 3 * quarter + 1, 1) if quarter < 4 else date(year + 1, 1, 1)), periods.QUARTERLY
    match = CALENDAR_QUARTER.match(text)
    if match:
        return date(int(match.group(1)), 3 * int(match.group(2)) - 2, 1), periods.QUARTERLY
    month = periods.parse_month(text)
    return (month, periods.MONTHLY) if month else None


def _number(value) -> Decimal | None:
    text = str(value if value is not None else "").strip().replace(",", "").rstrip("%")
    if not text:
        return None
    try:
        return Decimal(text)
    except InvalidOperation:
        raise ValueError(text) from None


@dataclass
class ImportResult:
    headers: list[str] = field(default_factory=list)
    mapping: dict[str, str] = field(default_factory=dict)
    lines_created: list[str] = field(default_factory=list)
    created: int = 0
    updated: int = 0
    skipped: list[str] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    committed: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors


class _Undo(Exception):
    """Raised inside the import's transaction to write nothing (a preview, or a row failed)."""


def import_measurements(*, agreement: Agreement, content: bytes, filename: str, by, dry_run: bool,
                        mapping: dict[str, str] | None = None, zero_is_gap: bool = True) -> ImportResult:
    """Read the file and import its rows as the agreement's measurements; a preview (``dry_run``) writes nothing."""
    result = ImportResult()
    try:
        data = read_table(content, filename)
    except ImportFileError as exc:
        result.errors.append(RowError(row=0, column="", message=str(exc)))
        return result
    result.headers = list(data.headers)
    result.mapping = {k: v for k, v in (mapping or suggest_mapping(result.headers)).items() if v in data.headers}
    missing = [column for column in REQUIRED if column not in result.mapping]
    if missing:
        result.errors.append(RowError(row=0, column="", message=_("Say which column holds: %(columns)s.")
                                      % {"columns": ", ".join(missing)}))
        return result
    try:
        with transaction.atomic():
            _import_rows(agreement, data, result, by=by, zero_is_gap=zero_is_gap)
            if result.errors or dry_run:
                raise _Undo
    except _Undo:
        return result
    result.committed = True
    return result


def _cell(row: dict, result: ImportResult, column: str) -> str:
    header = result.mapping.get(column)
    return str(row.get(header, "") if header else "").strip()


def _import_rows(agreement: Agreement, data, result: ImportResult, *, by, zero_is_gap: bool) -> None:
    lines = {line.reference: line for line in agreement.lines.all() if line.reference}
    touched: set[int] = set()
    for number, values in enumerate(data.dict, start=2):
        reference = _cell(values, result, "reference")
        period_text = _cell(values, result, "period")
        parsed = parse_period(period_text)
        if parsed is None:
            result.skipped.append(_("row %(row)s: %(period)s is not a month or a quarter") % {
                "row": number, "period": period_text or "—"})
            continue
        start, kind = parsed
        try:
            actual = _number(_cell(values, result, "actual"))
            target = _number(_cell(values, result, "target"))
        except ValueError as exc:
            result.errors.append(RowError(row=number, column=result.mapping.get("actual", ""),
                                          message=_("%(value)s is not a number.") % {"value": exc}))
            continue
        if actual is None or (zero_is_gap and actual == 0):
            result.skipped.append(_("row %(row)s: no figure for %(ref)s in %(period)s") % {
                "row": number, "ref": reference, "period": period_text})
            continue
        line = lines.get(reference)
        if line is None:
            line = _new_line(agreement, values, result, number, reference=reference, target=target, kind=kind)
            if line is None:
                continue
            lines[reference] = line
        try:
            _measurement, created = services.submit_measurement(service_line=line, period=start, actual=actual,
                                                                by=by, derive=False)
        except ValidationError as exc:
            for name, messages in (exc.message_dict if hasattr(exc, "error_dict") else {"": exc.messages}).items():
                column = result.mapping.get("period" if name == "period" else "reference", "")
                result.errors += [RowError(row=number, column=column, message=m) for m in messages]
            continue
        except PermissionDenied as exc:
            result.errors.append(RowError(row=number, column="", message=str(exc)))
            return
        touched.add(line.pk)
        result.created += created
        result.updated += not created
    if touched and not result.errors:
        services.derive_breaches(lines=sorted(touched))


def _new_line(agreement, values, result, number, *, reference, target, kind) -> ServiceLine | None:
    """Add the KPI to a draft agreement as a service line; a row-level error when it cannot be."""
    if not reference:
        result.errors.append(RowError(row=number, column=result.mapping["reference"],
                                      message=_("Give the KPI's reference.")))
        return None
    if not agreement.is_editable:
        result.errors.append(RowError(row=number, column=result.mapping["reference"], message=_(
            "%(ref)s is not a line of this agreement, and an agreed SLA's lines change only in a new version.")
            % {"ref": reference}))
        return None
    if target is None:
        result.errors.append(RowError(row=number, column=result.mapping.get("target", ""), message=_(
            "%(ref)s is new here and this row gives no target for it.") % {"ref": reference}))
        return None
    direction = _cell(values, result, "direction").lower()
    line = ServiceLine(agreement=agreement, reference=reference[:40], target=target, period=kind,
                       service=(_cell(values, result, "service") or _("Service"))[:200],
                       metric=(_cell(values, result, "metric") or reference)[:300],
                       unit=(_cell(values, result, "unit") or "%")[:30],
                       direction=ServiceLine.Direction.LOWER if direction.startswith(("low", "-"))
                       else ServiceLine.Direction.HIGHER,
                       position=agreement.lines.count())
    try:
        line.full_clean()
    except ValidationError as exc:
        result.errors += [RowError(row=number, column="", message=m) for m in exc.messages]
        return None
    line.save()
    result.lines_created.append(str(line))
    return line
