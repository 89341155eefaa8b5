"""What reporting computes across the domain apps: governance gaps now, dashboards and packs later.

The pieces are the domain apps' own queries; this module only puts them together.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from govtrack.models import Directorate, Organisation
from registers import services as registers
from registers.models import Risk
from systems_catalogue.models import System


@dataclass
class GovernanceGaps:
    """What the auditors would find missing in an organisation's risk management (proposal P5)."""

    directorates_without_register: list[Directorate] = field(default_factory=list)
    overdue_reviews: list[Risk] = field(default_factory=list)
    critical_systems_without_risk: list[System] = field(default_factory=list)
    above_appetite_without_action: list[Risk] = field(default_factory=list)

    @property
    def total(self) -> int:
        return (len(self.directorates_without_register) + len(self.overdue_reviews)
                + len(self.critical_systems_without_risk) + len(self.above_appetite_without_action))


def governance_gaps(*, organisation: Organisation, today: date) -> GovernanceGaps:
    """The four gaps of proposal P5, each in one query."""
    risks = Risk.objects.open().for_organisation(organisation).select_related(
        "register", "register__organisation", "category", "officer_owner"
    )
    return GovernanceGaps(
        directorates_without_register=list(registers.directorates_without_register(organisation=organisation)),
        overdue_reviews=list(risks.review_overdue(today).order_by("review_date")),
        critical_systems_without_risk=list(registers.critical_systems_without_risk(organisation=organisation)),
        above_appetite_without_action=list(risks.above_appetite_without_action().order_by("-current_score_db")),
    )
