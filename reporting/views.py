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
    gaps = services.governance_gaps(organisation=organisation, today=today)
    matrix = RiskMatrix.for_organisation(organisation)
    for risk in gaps.above_appetite_without_action:
        risk.band = matrix.band_for(risk.current_score)
    return render(request, "reporting/governance_gaps.html", {"organisation": organisation, "gaps": gaps,
                                                              "today": today})
