"""The bench's building blocks: what a page or a job is, how each is timed, and the targets.

A ``Page`` is one request a persona makes (built from ``Subjects``: the generated organisation,
its personas and its largest register) and its SQL floor: the minimal queries that fetch the
same rows and columns, timed the same way. A ``Job`` is anything else worth timing (the daily
checks, an import, a board pack). Each app's bench module lists its pages and jobs; later apps
add theirs to ``reporting.bench.MODULES``.
"""

from __future__ import annotations

import math
import os
import re
import resource
import statistics
import sys
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.urls import NoReverseMatch, reverse

#: Pages of these kinds are lists (any list page p95 ≤ 150 ms); API lists also have a p50 target.
LIST_KINDS = frozenset({"list", "api-list"})


class Unavailable(Exception):
    """What the entry measures does not exist in this version (yet): it is skipped, not failed."""


@dataclass(frozen=True)
class Target:
    """A limit the issue sets, checked where it applies (a scale and a database, or everywhere).

    ``check`` reads a page's ``PageResult`` or a job's figures (the dict its ``run`` returns).
    """

    label: str
    check: Callable[[Any], bool]
    scales: tuple[str, ...] = ()
    vendors: tuple[str, ...] = ()

    def applies(self, *, scale: str, vendor: str) -> bool:
        return (not self.scales or scale in self.scales) and (not self.vendors or vendor in self.vendors)


NATIONAL_PG = {"scales": ("national",), "vendors": ("postgresql",)}
LARGE_SQLITE = {"scales": ("large",), "vendors": ("sqlite",)}


@dataclass(frozen=True)
class Page:
    """One request to time: who asks (a persona's role), what URL, and the SQL floor for its data.

    ``floor(subjects, response)`` prepares and returns a function that runs the minimal queries
    for the rows and columns the response shows (it may read the response, say for how many rows
    an API page returned). ``writes`` pages run each request in a transaction rolled back after.
    """

    name: str
    persona: str
    url: Callable[[Subjects], str]
    floor: Callable[[Subjects, Any], Callable[[], Any]] | None
    kind: str = "page"
    method: str = "GET"
    data: Callable[[Subjects], dict] | None = None
    writes: bool = False
    targets: tuple[Target, ...] = ()


@dataclass(frozen=True)
class Job:
    """Something other than a page to time; ``run(subjects, options)`` returns its figures."""

    name: str
    run: Callable[[Subjects, dict], dict[str, Any]]
    targets: tuple[Target, ...] = ()


@dataclass
class Subjects:
    """The records the pages are about, looked up once: later apps add theirs through ``get``."""

    organisation: Any
    personas: dict[str, Any]
    _found: dict[str, Any] = field(default_factory=dict)

    def get(self, key: str, find: Callable[[], Any]) -> Any:
        """A subject looked up on first use and kept for every run."""
        if key not in self._found:
            self._found[key] = find()
        return self._found[key]


@dataclass
class Timing:
    """Milliseconds of each run."""

    runs: list[float]

    @property
    def median(self) -> float:
        return statistics.median(self.runs)

    @property
    def p95(self) -> float:
        """Nearest-rank 95th percentile: with 20 runs, the second slowest."""
        ordered = sorted(self.runs)
        return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


@dataclass
class PageResult:
    name: str
    persona: str
    kind: str
    url: str = ""
    status: int | None = None
    queries: int | None = None
    kb: float | None = None
    timing: Timing | None = None
    floor: Timing | None = None
    floor_queries: int | None = None
    targets: list[tuple[str, bool]] = field(default_factory=list)
    error: str = ""

    @property
    def median(self) -> float | None:
        return self.timing.median if self.timing else None

    @property
    def p95(self) -> float | None:
        return self.timing.p95 if self.timing else None

    @property
    def floor_median(self) -> float | None:
        return self.floor.median if self.floor else None

    @property
    def ratio(self) -> float | None:
        if not (self.timing and self.floor and self.floor.median > 0):
            return None
        return self.timing.median / self.floor.median

    def within_floor(self) -> bool:
        """At most five times the floor, or the floor plus 60 ms when the floor is under 15 ms."""
        if self.ratio is None:
            return False
        if self.floor.median < 15:
            return self.timing.median <= self.floor.median + 60
        return self.ratio <= 5

    def as_dict(self) -> dict[str, Any]:
        return {
            "name": self.name, "persona": self.persona, "kind": self.kind, "url": self.url, "status": self.status,
            "queries": self.queries, "kb": _round(self.kb), "median_ms": _round(self.median),
            "p95_ms": _round(self.p95), "runs_ms": [_round(t) for t in self.timing.runs] if self.timing else [],
            "floor_median_ms": _round(self.floor_median),
            "floor_p95_ms": _round(self.floor.p95 if self.floor else None),
            "floor_queries": self.floor_queries, "ratio": _round(self.ratio),
            "targets": [{"target": label, "met": met} for label, met in self.targets], "error": self.error,
        }


def _round(value: float | None, digits: int = 2) -> float | None:
    return None if value is None else round(value, digits)


#: Targets every page has (the query budget everywhere; the floor ratio on national PostgreSQL).
COMMON_TARGETS = (
    Target("queries ≤ 25", lambda r: r.queries is not None and r.queries <= 25),
    Target("≤ 5× floor (or floor + 60 ms)", lambda r: r.within_floor(), **NATIONAL_PG),
)
KIND_TARGETS = {
    "register": (Target("p95 ≤ 250 ms", lambda r: r.p95 <= 250, **NATIONAL_PG),),
    "dashboard": (Target("p95 ≤ 250 ms", lambda r: r.p95 <= 250, **NATIONAL_PG),),
    "list": (Target("p95 ≤ 150 ms", lambda r: r.p95 <= 150, **NATIONAL_PG),),
    "api-list": (Target("p95 ≤ 150 ms", lambda r: r.p95 <= 150, **NATIONAL_PG),
                 Target("p50 ≤ 80 ms", lambda r: r.median <= 80, **NATIONAL_PG)),
}


def targets_for(page: Page) -> tuple[Target, ...]:
    return COMMON_TARGETS + KIND_TARGETS.get(page.kind, ()) + page.targets


def url(names: Sequence[str], *, organisation: str | None = None, query: str = "", **kwargs: Any) -> str:
    """The first of ``names`` that reverses, with the organisation's slug when its URL takes one.

    Pages move between apps and gain an organisation in their path; looking them up by name,
    with and without the slug, keeps the bench working across those changes.
    """
    extras = [{}] + ([{"org": organisation}, {"organisation": organisation}, {"slug": organisation}]
                     if organisation else [])
    for name in names:
        for extra in extras:
            try:
                return reverse(name, kwargs={**extra, **kwargs} or None) + (f"?{query}" if query else "")
            except NoReverseMatch:
                continue
    raise Unavailable(f"no URL named {' or '.join(names)}")


#: Transaction control is not a query for the budget: SQLite logs its BEGIN and COMMIT, PostgreSQL
#: does not, and a test's transaction turns a request's into savepoints. Counting only the
#: statements that read or write data keeps counts comparable across databases and runs.
TRANSACTION_CONTROL = re.compile(r"^\s*(BEGIN|COMMIT|ROLLBACK|SAVEPOINT|RELEASE)\b", re.IGNORECASE)


def count_queries(captured: Iterable[dict]) -> int:
    """How many of the captured statements read or write data."""
    return sum(1 for query in captured if not TRANSACTION_CONTROL.match(query["sql"]))


class QueryCounter:
    """Counts the queries on the connection without keeping them (the debug log stops at 9,000)."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        if not TRANSACTION_CONTROL.match(sql):
            self.count += 1
        return execute(sql, params, many, context)


@contextmanager
def counting_queries():
    counter = QueryCounter()
    with connection.execute_wrapper(counter):
        yield counter


def timed(function: Callable[[], Any], *, runs: int, warmup: int) -> Timing:
    """Run ``function`` ``warmup`` times untimed, then ``runs`` times timed (milliseconds)."""
    for _ in range(warmup):
        function()
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        function()
        times.append((time.perf_counter() - started) * 1000)
    return Timing(times)


def _rss_bytes() -> int | None:
    """This process's resident set size now (Linux's /proc; None where there is none)."""
    try:
        with open("/proc/self/statm", encoding="ascii") as statm:
            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return None


def _maxrss_bytes() -> int:
    """The highest resident set size this process has had (``ru_maxrss``: kilobytes on Linux, bytes on macOS)."""
    maxrss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return maxrss if sys.platform == "darwin" else maxrss * 1024


class PeakMemory:
    """The resident set size (RSS) of this process before a block and the highest it reached during it.

    Resident memory, not Python's allocations: WeasyPrint's layout and Pango, HarfBuzz and cairo
    allocate outside tracemalloc's sight. The peak is ``ru_maxrss`` when the block raised the
    process's high-water mark (exact), else the highest of samples taken every ``interval`` seconds
    from /proc/self/statm (a spike between two samples can be missed). It is the whole process's
    figure: Django, the bench and what earlier entries left allocated are included.
    """

    def __init__(self, interval: float = 0.01) -> None:
        self.interval = interval
        self.before: int | None = None
        self.peak: int | None = None
        self._stop = threading.Event()
        self._sampled = 0

    def _sample(self) -> None:
        while not self._stop.wait(self.interval):
            self._sampled = max(self._sampled, _rss_bytes() or 0)

    def __enter__(self) -> PeakMemory:
        self.before = _rss_bytes()
        self._high_water = _maxrss_bytes()
        self._sampled = self.before or 0
        self._thread = threading.Thread(target=self._sample, name="bench-peak-memory", daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc_info) -> None:
        self._stop.set()
        self._thread.join()
        self._sampled = max(self._sampled, _rss_bytes() or 0)
        high_water = _maxrss_bytes()
        raised = high_water if high_water > self._high_water else 0
        self.peak = max(self._sampled, raised) or None

    @property
    def peak_mb(self) -> float | None:
        return None if self.peak is None else round(self.peak / 2**20, 1)

    @property
    def before_mb(self) -> float | None:
        return None if self.before is None else round(self.before / 2**20, 1)

    @property
    def growth_mb(self) -> float | None:
        return None if self.peak is None or self.before is None else round((self.peak - self.before) / 2**20, 1)
