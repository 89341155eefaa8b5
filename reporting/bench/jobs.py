"""Bench jobs that are not pages: the daily checks and the systems import.

Both change data, so each runs in a transaction that is rolled back: the database is the same
after the bench as before, and the next bench finds the same work to do.
"""

from __future__ import annotations

import io
import time
from datetime import timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone
from openpyxl import Workbook

from govtrack.checks import run_checks
from govtrack.imports import import_file
from govtrack.models import Directorate, Membership
from reporting.bench.core import NATIONAL_PG, Job, Subjects, Target, counting_queries
from systems_catalogue.imports import SystemResource
from systems_catalogue.models import Capability, Supplier

IMPORT_COLUMNS = [
    "name", "purpose", "directorate", "service_area", "owner", "supplier", "product", "hosting", "lifecycle",
    "criticality", "personal_data", "capabilities", "last_reviewed_on", "contract_reference", "contract_start",
    "contract_end", "notice_period_days", "annual_licence_cost",
]


class _Rollback(Exception):
    """Leaves the atomic block so that everything the job wrote is undone."""


def _checks(subjects: Subjects, options: dict) -> dict[str, Any]:
    """Every check over every organisation: first with the work generated, then with nothing new."""
    figures: dict[str, Any] = {}
    try:
        with transaction.atomic():
            for label in ("with_work", "nothing_new"):
                with counting_queries() as counter:
                    started = time.perf_counter()
                    runs = run_checks(today=timezone.localdate())
                    seconds = time.perf_counter() - started
                figures[label] = {
                    "seconds": round(seconds, 2), "queries": counter.count,
                    "created": {run.name: run.created for run in runs},
                    "seconds_by_check": {run.name: round((run.finished_at - run.started_at).total_seconds(), 2)
                                         for run in runs},
                    "errors": {run.name: run.error for run in runs if run.error},
                }
            raise _Rollback
    except _Rollback:
        pass
    return figures


def systems_workbook(subjects: Subjects, rows: int) -> bytes:
    """A systems spreadsheet of ``rows`` new systems, valid for the organisation, as councils keep one."""
    organisation = subjects.organisation
    directorates = list(Directorate.objects.filter(organisation=organisation).values_list("name", flat=True))
    owners = list(Membership.objects.filter(organisation=organisation, role=Membership.Role.OFFICER)
                  .values_list("user__username", flat=True))
    suppliers = list(Supplier.objects.filter(organisation=organisation).values_list("name", flat=True)[:20])
    capabilities = list(Capability.objects.values_list("name", flat=True)[:10])
    today = timezone.localdate()
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Systems")
    sheet.append(IMPORT_COLUMNS)
    for n in range(rows):
        start = today - timedelta(days=400 + n % 300)
        sheet.append([
            f"Imported system {n + 1:05d}", "Imported from the council's spreadsheet.",
            directorates[n % len(directorates)],
            "Service", owners[n % len(owners)], suppliers[n % len(suppliers)] if suppliers else "New supplier",
            "Product", "cloud", "live", "medium", "personal", capabilities[n % len(capabilities)],
            (today - timedelta(days=n % 200)).isoformat(), f"IMP-{n + 1:05d}", start.isoformat(),
            (start + timedelta(days=1095)).isoformat(), 90, 1000 + n,
        ])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _import(subjects: Subjects, options: dict) -> dict[str, Any]:
    """Import a generated XLSX of new systems with contracts, timed from upload to commit, then undo it."""
    rows = options.get("import_rows", 5000)
    content = systems_workbook(subjects, rows)
    figures: dict[str, Any] = {"rows": rows, "kb": round(len(content) / 1024, 1)}
    try:
        with transaction.atomic():
            with counting_queries() as counter:
                started = time.perf_counter()
                outcome = import_file(resource_class=SystemResource, organisation=subjects.organisation,
                                      user=subjects.personas["manager"], content=content, filename="systems.xlsx",
                                      dry_run=False)
                seconds = time.perf_counter() - started
            figures.update(seconds=round(seconds, 2), queries=counter.count, created=outcome.created,
                           rows_per_second=round(rows / seconds, 1) if seconds else None,
                           errors=[str(e) for e in outcome.errors[:5]])
            raise _Rollback
    except _Rollback:
        pass
    return figures


JOBS = [
    Job("run_checks", _checks, targets=(
        Target("with work ≤ 30 s", lambda f: f["with_work"]["seconds"] <= 30, **NATIONAL_PG),
        Target("nothing new ≤ 3 s", lambda f: f["nothing_new"]["seconds"] <= 3, **NATIONAL_PG),
        Target("no check fails", lambda f: not f["with_work"]["errors"] and not f["nothing_new"]["errors"]),
    )),
    Job("systems import (XLSX)", _import, targets=(
        Target("imports every row", lambda f: not f["errors"] and f["created"] == f["rows"]),
        Target("≥ 1,000 rows/s", lambda f: (f["rows_per_second"] or 0) >= 1000),
    )),
]
