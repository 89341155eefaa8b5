"""Bench job of board packs: the largest board's pack built as the worker builds it, beside WeasyPrint alone.

The pack is requested as the packs page requests it and built by calling the Celery task's function
in this process, so everything the worker does is timed: loading the pack, the dashboard's and the
annexes' queries, the template, WeasyPrint, the checksum, storing the file and telling the requester.
WeasyPrint alone then renders the very same HTML string (``HTML(string=..., base_url=...).write_pdf()``),
so the ratio is what the pack adds to the PDF engine. Each run builds the pack and then renders the HTML
alone, so a busy moment on a shared machine falls on both sides alike.

Everything the build writes is undone: the rows in a transaction rolled back, the PDF deleted from storage.
"""

from __future__ import annotations

import statistics
import time
from collections import defaultdict
from typing import Any
from unittest import mock

from django.conf import settings
from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from boards.models import Board
from registers.models import Register, Risk
from reporting import packs
from reporting.bench.core import Job, PeakMemory, Subjects, Target, Unavailable
from reporting.models import BoardPack
from reporting.tasks import build_board_pack_task

#: Builds of the pack (and renderings of WeasyPrint alone) at most, whatever ``--runs`` says: a build of a
#: board's pack takes tens of seconds, a page a few milliseconds.
MAX_RUNS = 3
#: How the memory figures are measured, for whoever reads the JSON.
MEMORY_MEASURE = (
    "resident set size (RSS) of the bench process, in MB: before the build and the highest during it "
    "(ru_maxrss when the build raised the process's high-water mark, else sampled every 10 ms); "
    "it includes Django and the bench itself, as a worker's would"
)


class _Rollback(Exception):
    """Leaves the atomic block so that everything the build wrote is undone."""


def annex_rows_by_organisation() -> dict[int, int]:
    """Risk rows each organisation's pack prints in its annexes (at most ``ANNEX_ROWS`` per current register).

    The pack's length follows these: its dashboard sections print a fixed number of rows each.
    """
    rows: dict[int, int] = defaultdict(int)
    per_register = (Risk.objects.open().filter(register__in=Register.objects.current()).order_by()
                    .values_list("organisation_id", "register_id").annotate(n=Count("pk")))
    for organisation_id, _register_id, n in per_register:
        rows[organisation_id] += min(n, packs.ANNEX_ROWS)
    return rows


def largest_board(subjects: Subjects) -> tuple[Board, int]:
    """The board of an organisation whose pack prints the most rows (ties: the most members), and those rows.

    A partnership's board is left out: its pack is an organisation's pack, that of whichever member asks.
    """
    def find() -> tuple[Board, int]:
        rows = annex_rows_by_organisation()
        boards = list(Board.objects.active().filter(organisation__isnull=False).select_related("organisation",
                                                                                            "secretary")
                      .annotate(seats=Count("members")).order_by("pk"))
        if not boards:
            raise Unavailable("no organisation has a board (generate the data again)")
        board = max(boards, key=lambda b: (rows.get(b.organisation_id, 0), b.seats, -b.pk))
        return board, rows.get(board.organisation_id, 0)
    return subjects.get("largest board", find)


def _warm_up() -> None:
    """Load WeasyPrint, Pango and the fonts once, so that neither side pays for their first use."""
    from weasyprint import HTML

    HTML(string='<p style="font-family: \'DejaVu Sans\'">govtrack</p>').write_pdf()


def _build(board: Board, by) -> dict[str, Any]:
    """Request the board's pack and build it as the worker does; measure it; undo everything it wrote."""
    rendered: list[tuple[str, float]] = []
    original = packs.render_pdf

    def render_pdf(html: str) -> tuple[bytes, int]:
        """The build's own ``render_pdf``, keeping the HTML it was given and the seconds it took."""
        started = time.perf_counter()
        try:
            return original(html)
        finally:
            rendered.append((html, time.perf_counter() - started))

    try:
        with transaction.atomic():
            defaults = packs.board_defaults(board, today=timezone.localdate())
            pack = packs.request_pack(organisation=board.organisation, by=by, meeting_date=defaults["meeting_date"],
                                      since=defaults["since"], title=defaults["title"], board=board)
            # The queued build never runs: the request is rolled back, and on_commit callbacks with it.
            with mock.patch.object(packs, "render_pdf", render_pdf), PeakMemory() as memory:
                started, cpu = time.perf_counter(), time.process_time()
                status = build_board_pack_task(pack.pk)
                seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
            pack.refresh_from_db()
            figures = {"status": status, "error": pack.error, "seconds": seconds, "cpu_seconds": cpu,
                       "pages": pack.pages, "bytes": pack.size, "memory": memory,
                       "html": rendered[-1][0] if rendered else "", "pdf_seconds": sum(t for _, t in rendered)}
            if pack.file:
                pack.file.delete(save=False)
            raise _Rollback
    except _Rollback:
        pass
    return figures


def _weasyprint_alone(html: str) -> dict[str, Any]:
    from weasyprint import HTML

    with PeakMemory() as memory:
        started, cpu = time.perf_counter(), time.process_time()
        pdf = HTML(string=html, base_url=settings.SITE_URL).write_pdf()
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    return {"seconds": seconds, "cpu_seconds": cpu, "bytes": len(pdf), "memory": memory}


def _median(values: list[float], digits: int = 2) -> float:
    return round(statistics.median(values), digits)


def _pack(subjects: Subjects, options: dict) -> dict[str, Any]:
    """The largest board's pack, built ``min(--runs, MAX_RUNS)`` times, each beside WeasyPrint alone."""
    board, annex_rows = largest_board(subjects)
    by = board.secretary or subjects.personas["manager"]
    runs = max(1, min(options.get("runs", 1), MAX_RUNS))
    _warm_up()
    builds, alone = [], []
    for _ in range(runs):
        builds.append(_build(board, by))
        if builds[-1]["status"] != BoardPack.Status.READY:
            break
        alone.append(_weasyprint_alone(builds[-1]["html"]))
    last = builds[-1]  # its pages, bytes and HTML: builds differ only by the time printed on the cover
    figures: dict[str, Any] = {
        "board": board.name, "organisation": board.organisation.slug, "members": board.seats,
        "annex_rows": annex_rows, "runs": len(builds), "status": last["status"], "error": last["error"],
        "pages": last["pages"], "bytes": last["bytes"], "html_kb": round(len(last["html"]) / 1024, 1),
        "seconds": _median([b["seconds"] for b in builds]),
        "seconds_runs": [round(b["seconds"], 2) for b in builds],
        "cpu_seconds": _median([b["cpu_seconds"] for b in builds]),
        "pdf_seconds": _median([b["pdf_seconds"] for b in builds]),
        # The first build is the one that raises the process's high-water mark; later ones start higher,
        # as the memory freed stays with the process.
        "rss_before_mb": builds[0]["memory"].before_mb,
        "peak_rss_mb": max(b["memory"].peak_mb or 0 for b in builds) or None,
        "growth_mb": max(b["memory"].growth_mb or 0 for b in builds),
        "memory_measure": MEMORY_MEASURE,
    }
    if alone:
        figures["weasyprint_alone"] = {
            "seconds": _median([a["seconds"] for a in alone]),
            "seconds_runs": [round(a["seconds"], 2) for a in alone],
            "cpu_seconds": _median([a["cpu_seconds"] for a in alone]),
            "bytes": alone[-1]["bytes"],
            "peak_rss_mb": max(a["memory"].peak_mb or 0 for a in alone) or None,
            "growth_mb": max(a["memory"].growth_mb or 0 for a in alone),
        }
        figures["ratio"] = round(figures["seconds"] / figures["weasyprint_alone"]["seconds"], 2)
        # The same ratio in CPU seconds of this process: on a shared machine, what others run slows the
        # wall-clock figures but hardly these.
        figures["cpu_ratio"] = round(figures["cpu_seconds"] / figures["weasyprint_alone"]["cpu_seconds"], 2)
    else:
        figures["weasyprint_alone"], figures["ratio"], figures["cpu_ratio"] = None, None, None
    figures["summary"] = _summary(figures)
    return figures


def _summary(f: dict[str, Any]) -> str:
    if f["status"] != BoardPack.Status.READY:
        return f"{f['board']} of {f['organisation']}: the build failed: {f['error']}"
    alone = f["weasyprint_alone"]
    return (f"{f['board']} of {f['organisation']} ({f['annex_rows']:,} annex rows): {f['pages']} pages, "
            f"{f['bytes'] / 1024:,.0f} KB, {f['seconds']:.1f} s (PDF {f['pdf_seconds']:.1f} s; "
            f"CPU {f['cpu_seconds']:.1f} s), peak RSS {f['peak_rss_mb']} MB (+{f['growth_mb']} MB); "
            f"WeasyPrint alone on the same HTML {alone['seconds']:.1f} s (CPU {alone['cpu_seconds']:.1f} s), "
            f"peak RSS {alone['peak_rss_mb']} MB (+{alone['growth_mb']} MB); ratio {f['ratio']:.2f}× "
            f"(CPU {f['cpu_ratio']:.2f}×); median of {f['runs']}")


JOBS = [
    Job("board pack (largest board)", _pack, targets=(
        Target("builds", lambda f: f["status"] == BoardPack.Status.READY),
        Target("≤ 1.3× WeasyPrint alone", lambda f: f["ratio"] is not None and f["ratio"] <= 1.3),
        Target("peak ≤ 600 MB", lambda f: f["peak_rss_mb"] is not None and f["peak_rss_mb"] <= 600),
    )),
]
