"""The bench's figures as a table for people and as JSON for tools."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from reporting.bench import BenchReport


def _ms(value: float | None) -> str:
    return "—" if value is None else (f"{value:,.0f}" if value >= 100 else f"{value:.1f}")


def _targets(targets: list[tuple[str, bool]]) -> str:
    return "; ".join(f"{label} {'met' if met else 'MISSED'}" for label, met in targets)


def table(report: BenchReport) -> str:
    meta = report.meta
    lines = [
        f"govtrack bench: {meta['scale']} scale on {meta['database']}, {meta['runs']} runs after "
        f"{meta['warmup']} warm-up, {meta['cpus']} CPUs, commit {meta['commit'] or '?'}",
        "rows: " + ", ".join(f"{v:,} {k}" for k, v in meta["rows"].items()),
        "",
        f"{'page':<42} {'persona':<8} {'queries':>7} {'median':>8} {'p95':>8} {'KB':>7} {'floor':>7} "
        f"{'ratio':>6}  targets",
    ]
    for page in report.pages:
        if page.error:
            lines.append(f"{page.name:<42} {page.persona:<8} {page.queries if page.queries is not None else '—':>7}"
                         f"  {page.error}")
            continue
        ratio = f"{page.ratio:.1f}×" if page.ratio is not None else "—"
        lines.append(
            f"{page.name:<42} {page.persona:<8} {page.queries:>7} {_ms(page.median):>8} {_ms(page.p95):>8} "
            f"{page.kb:>7.1f} {_ms(page.floor_median):>7} {ratio:>6}  {_targets(page.targets)}"
        )
    if report.jobs:
        lines += ["", "jobs (ms are milliseconds, s seconds):"]
        for job in report.jobs:
            figures = {k: v for k, v in job.items() if k not in ("name", "targets", "summary")}
            targets = _targets([(t["target"], t["met"]) for t in job.get("targets", [])])
            if job.get("summary"):
                lines.append(f"  {job['name']}: {job['summary']}")
            lines.append(f"  {job['name']}: {json.dumps(figures, default=str)}")
            if targets:
                lines.append(f"    {targets}")
    return "\n".join(lines)


def write_json(report: BenchReport, path: Path) -> None:
    data: dict[str, Any] = report.as_dict()
    path.write_text(json.dumps(data, indent=2, default=str) + "\n", encoding="utf-8")
