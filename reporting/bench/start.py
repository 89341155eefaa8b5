"""Bench pages of the start page, search and the checks page."""

from __future__ import annotations

from reporting.bench.core import Page, url

PAGES = [
    Page("start page (officer)", "officer", floor=None, kind="dashboard", url=lambda s: url(["dashboard"])),
    Page("start page (manager)", "manager", floor=None, kind="dashboard", url=lambda s: url(["dashboard"])),
    Page("search", "officer", floor=None, kind="list", url=lambda s: url(["search"], query="q=system")),
    Page("checks page", "manager", floor=None, kind="list",
         url=lambda s: url(["organisation_checks"], organisation=s.organisation.slug)),
]
