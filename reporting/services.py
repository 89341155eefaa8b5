"""What reporting computes across the domain apps: governance gaps now, dashboards and packs later.

The pieces are the domain apps' own queries; this module only puts them together.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db.models import QuerySet

from govtrack import pages
from govtrack.models import Directorate, Organisation
from registers import services as registers
from registers.models import Risk
from systems_catalogue.models import System

#: Rows of each gap shown on the page; the rest are counted and a section can be paged through.
GAP_SAMPLE = 25


@dataclass
class GovernanceGaps:
    """What the auditors would find missing in an organisation's risk management (proposal P5).

    Each list holds the first rows of its gap; ``totals`` counts them all.
    """

    directorates_without_register: list[Directorate] = field(default_factory=list)
    overdue_reviews: list[Risk] = field(default_factory=list)
    critical_systems_without_risk: list[System] = field(default_factory=list)
    above_appetite_without_action: list[Risk] = field(default_factory=list)
    totals: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.totals.values())


SECTIONS = ("directorates_without_register", "overdue_reviews", "critical_systems_without_risk",
            "above_appetite_without_action")


def gap_querysets(*, organisation: Organisation, today: date) -> dict[str, QuerySet]:
    """Each of the four gaps of proposal P5 as a query, in the order the page lists them."""
    risks = Risk.objects.open().for_organisation(organisation).select_related(
        "register", "register__organisation", "category", "officer_owner"
    )
    return {
        "directorates_without_register": registers.directorates_without_register(organisation=organisation),
        "overdue_reviews": risks.review_overdue(today).order_by("review_date", "pk"),
        "critical_systems_without_risk": registers.critical_systems_without_risk(organisation=organisation),
        "above_appetite_without_action": risks.above_appetite_without_action().order_by("-current_score_db", "pk"),
    }


def governance_gaps(*, organisation: Organisation, today: date, limit: int | None = GAP_SAMPLE,
                    known: dict[str, tuple[list, int]] | None = None) -> GovernanceGaps:
    """The four gaps: the first ``limit`` rows of each, and how many there are in all.

    ``known`` holds gaps the caller has already found, as (first rows, total), which are not asked again: the
    dashboard's own overdue reviews are the same rows in the same order, and it counts the risks above appetite
    with its heat map (it shows that gap as a number, so it passes no rows for it).
    """
    queries = gap_querysets(organisation=organisation, today=today)
    if limit is None:
        rows = {name: list(query) for name, query in queries.items()}
        return GovernanceGaps(**rows, totals={name: len(found) for name, found in rows.items()})
    # Each gap's first rows and its total in one query, so the page costs the same however many there are.
    known = known or {}
    sampled = {name: known[name] if name in known else pages.first_and_total(query, limit)
               for name, query in queries.items()}
    return GovernanceGaps(**{name: found for name, (found, _total) in sampled.items()},
                          totals={name: total for name, (_found, total) in sampled.items()})
