"""The bench: every page and job of ``MODULES`` timed on whatever database is configured.

Pages are requested in-process through Django's test client, signed in (``force_login``) as
the generated organisation's officer, manager or viewer, with production behaviour (DEBUG off).
Each page is warmed up, then timed over ``runs`` requests (median and p95 in ms); its query count
comes from the last warm-up request, and its SQL floor is timed the same way. Jobs (the checks, the
import, the largest board's pack) run in transactions that are rolled back, so the database is unchanged
afterwards.
"""

from __future__ import annotations

import cProfile
import importlib
import logging
import os
import platform
import pstats
import sqlite3
import subprocess
import warnings
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import django
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext

from reporting.bench.core import Job, Page, PageResult, Subjects, Unavailable, count_queries, targets_for, timed
from reporting.scale import SCALES, generated_organisations
from reporting.scale.kernel import PERSONAS, persona_username

#: Modules whose ``PAGES`` and ``JOBS`` the bench runs, in this order. Add a later app's here.
MODULES: list[str] = [
    "reporting.bench.registers",
    "reporting.bench.catalogue",
    "reporting.bench.start",
    "reporting.bench.dashboard",
    "reporting.bench.slas",
    "reporting.bench.proposals",
    "reporting.bench.boards",
    "reporting.bench.jobs",
    "reporting.bench.packs",
]


class BenchError(Exception):
    """The bench cannot run here (no generated data, say)."""


def all_pages() -> list[Page]:
    return [page for name in MODULES for page in getattr(importlib.import_module(name), "PAGES", [])]


def all_jobs() -> list[Job]:
    return [job for name in MODULES for job in getattr(importlib.import_module(name), "JOBS", [])]


def find_subjects() -> Subjects:
    """The first generated organisation (the largest one) and its personas."""
    organisation = generated_organisations().order_by("pk").first()
    if organisation is None:
        raise BenchError("This database holds no generated data: run `manage.py generate_scale` first.")
    users = get_user_model().objects.filter(username__in=[persona_username(organisation.slug, r) for r in PERSONAS])
    by_name = {u.username: u for u in users}
    personas = {str(role): by_name[persona_username(organisation.slug, role)] for role in PERSONAS}
    return Subjects(organisation=organisation, personas=personas)


def detect_scale() -> str:
    """The generated scale whose number of organisations this database holds, else "custom"."""
    n = generated_organisations().count()
    return next((name for name, scale in SCALES.items() if scale.organisations == n), "custom")


@dataclass
class BenchReport:
    meta: dict[str, Any]
    pages: list[PageResult] = field(default_factory=list)
    jobs: list[dict[str, Any]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {"meta": self.meta, "pages": [p.as_dict() for p in self.pages], "jobs": self.jobs}


def _request(client: Client, page: Page, address: str, subjects: Subjects):
    """One request, its body read to the end (exports stream); a page that writes is rolled back."""
    if page.writes:
        with transaction.atomic():
            response, body = _send(client, page, address, subjects)
            transaction.set_rollback(True)
        return response, body
    return _send(client, page, address, subjects)


def _send(client: Client, page: Page, address: str, subjects: Subjects):
    if page.method == "GET":
        response = client.get(address, secure=True)
    else:
        response = client.post(address, data=page.data(subjects) if page.data else {}, secure=True)
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return response, body


def measure_page(page: Page, subjects: Subjects, client: Client, *, runs: int, warmup: int,
                 scale: str, vendor: str) -> PageResult:
    """Time one page and its floor; a page that fails or is missing is reported, not raised."""
    result = PageResult(name=page.name, persona=page.persona, kind=page.kind)
    try:
        result.url = page.url(subjects)
        response, body = _request(client, page, result.url, subjects)
        if response.status_code == 200:
            # Queries are counted on a warm request, after whatever a first one loads and caches.
            for _ in range(max(0, warmup - 1)):
                _request(client, page, result.url, subjects)
            with CaptureQueriesContext(connection) as captured:
                response, body = _request(client, page, result.url, subjects)
            result.queries = count_queries(captured.captured_queries)
    except Unavailable as exc:
        result.error = f"not available: {exc}"
        return result
    except Exception as exc:  # a broken page must not stop the bench; it is reported
        result.error = f"{type(exc).__name__}: {exc}"
        return result
    result.status, result.kb = response.status_code, len(body) / 1024
    if response.status_code != 200:
        result.error = f"HTTP {response.status_code}"
        return result
    result.timing = timed(lambda: _request(client, page, result.url, subjects), runs=runs, warmup=0)
    if page.floor is not None:
        floor = page.floor(subjects, response)
        with CaptureQueriesContext(connection) as captured:
            floor()
        result.floor_queries = count_queries(captured.captured_queries)
        result.floor = timed(floor, runs=runs, warmup=max(0, warmup - 1))
    result.targets = [(t.label, bool(t.check(result))) for t in targets_for(page)
                      if t.applies(scale=scale, vendor=vendor)]
    return result


def profile_page(page: Page, subjects: Subjects, client: Client, *, runs: int, path: Path) -> str:
    """cProfile ``runs`` requests of a page; save the stats and return the top of them as text."""
    address = page.url(subjects)
    _request(client, page, address, subjects)
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(runs):
        _request(client, page, address, subjects)
    profiler.disable()
    profiler.dump_stats(path)
    out = _Text()
    stats = pstats.Stats(profiler, stream=out)
    stats.sort_stats("cumulative").print_stats(r"govtrack|registers|systems_catalogue|reporting|slas|proposals", 40)
    stats.sort_stats("tottime").print_stats(25)
    return out.text


class _Text:
    def __init__(self) -> None:
        self.text = ""

    def write(self, chunk: str) -> None:
        self.text += chunk


@contextmanager
def _quiet():
    """Keep sign-in notices (django-axes logs every force_login), WeasyPrint's progress (a line per page
    laid out) and static-files warnings off the output."""
    loggers = [logging.getLogger(name) for name in ("axes", "weasyprint.progress")]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.WARNING)
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="No directory at")
        try:
            yield
        finally:
            for logger, level in zip(loggers, levels, strict=True):
                logger.setLevel(level)


def _meta(*, scale: str, runs: int, warmup: int) -> dict[str, Any]:
    from boards.models import Decision
    from proposals.models import Proposal
    from registers.models import Escalation, Register, Risk, RiskAction, RiskReview
    from slas.models import Measurement
    from systems_catalogue.models import System

    vendor = connection.vendor
    version = (f"PostgreSQL {connection.pg_version // 10000}.{connection.pg_version % 10000}"
               if vendor == "postgresql" else f"SQLite {sqlite3.sqlite_version}")
    try:
        commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True,
                                cwd=settings.BASE_DIR, check=False).stdout.strip()
    except OSError:
        commit = ""
    return {
        "scale": scale, "database": version, "vendor": vendor, "runs": runs, "warmup": warmup,
        "when": datetime.now().isoformat(timespec="seconds"), "commit": commit,
        "python": platform.python_version(), "django": django.get_version(), "cpus": os.cpu_count(),
        "rows": {"systems": System.objects.count(), "registers": Register.objects.count(),
                 "risks": Risk.objects.count(), "reviews": RiskReview.objects.count(),
                 "actions": RiskAction.objects.count(), "escalations": Escalation.objects.count(),
                 "SLA figures": Measurement.objects.count(), "proposals": Proposal.objects.count(),
                 "board decisions": Decision.objects.count()},
    }


def run_bench(*, scale: str | None = None, runs: int = 20, warmup: int = 3, only: list[str] | None = None,
              with_jobs: bool = True, options: dict | None = None, profile: list[str] | None = None,
              profile_dir: Path | None = None, log: Callable[[str], None] = print) -> BenchReport:
    """Time every page (and job) of ``MODULES``; ``only`` keeps the entries whose name contains a word."""
    subjects = find_subjects()
    scale = scale or detect_scale()
    vendor = connection.vendor
    report = BenchReport(meta=_meta(scale=scale, runs=runs, warmup=warmup))

    def chosen(name: str) -> bool:
        return not only or any(word.lower() in name.lower() for word in only)

    hosts = [*settings.ALLOWED_HOSTS, "testserver"]
    with override_settings(DEBUG=False, ALLOWED_HOSTS=hosts), _quiet():
        clients = {}
        for role, user in subjects.personas.items():
            clients[role] = Client()
            clients[role].force_login(user)
        for page in all_pages():
            if not chosen(page.name):
                continue
            log(f"{page.name}…")
            result = measure_page(page, subjects, clients[page.persona], runs=runs, warmup=warmup,
                                  scale=scale, vendor=vendor)
            report.pages.append(result)
            if profile and any(word.lower() in page.name.lower() for word in profile) and not result.error:
                directory = profile_dir or Path(".")
                path = directory / f"profile-{''.join(c if c.isalnum() else '-' for c in page.name.lower())}.prof"
                log(profile_page(page, subjects, clients[page.persona], runs=runs, path=path))
                log(f"(profile saved to {path})")
        for client in clients.values():
            client.logout()
        if with_jobs:
            for job in all_jobs():
                if not chosen(job.name):
                    continue
                log(f"{job.name}…")
                try:
                    figures = job.run(subjects, {"runs": runs, **(options or {})})
                    figures["targets"] = [{"target": t.label, "met": bool(t.check(figures))} for t in job.targets
                                          if t.applies(scale=scale, vendor=vendor)]
                except Exception as exc:  # reported with the others
                    figures = {"error": f"{type(exc).__name__}: {exc}", "targets": []}
                report.jobs.append({"name": job.name, **figures})
    return report
