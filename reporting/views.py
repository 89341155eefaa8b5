"""Pages that span the domain apps. Thin: parse, authorise through govtrack.access, call the rule, respond."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone

from govtrack import pages
from registers.models import RiskMatrix
from reporting import services


@login_required
def governance_gaps(request, org: str):
    """The governance gaps of P5 for one organisation, each linking to what is missing."""
    organisation = pages.organisation_for(request, org)
    today = timezone.localdate()
    section = request.GET.get("section", "")
    if section in services.SECTIONS:
        # One gap in full, a page at a time.
        listing = pages.paginate(request, services.gap_querysets(organisation=organisation, today=today)[section],
                                 per_page=50)
        gaps = services.GovernanceGaps(**{section: list(listing["object_list"])},
                                       totals={section: listing["paginator"].count})
    else:
        listing, section = {}, ""
        gaps = services.governance_gaps(organisation=organisation, today=today)
    matrix = RiskMatrix.for_organisation(organisation)
    for risk in gaps.above_appetite_without_action:
        risk.band = matrix.band_for(risk.current_score)
    return render(request, "reporting/governance_gaps.html", {"organisation": organisation, "gaps": gaps,
                                                              "today": today, "section": section, **listing})
