"""The governance gaps of proposal P5: each gap, and the page that lists them."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from registers.models import Register, Risk, RiskCategory
from reporting import services
from systems_catalogue.models import System
from tests.factories import DirectorateFactory
from tests.registers.factories import RiskActionFactory

TODAY = timezone.localdate()


def test_gaps_directorate_without_active_register(org_a, directorate_register):
    DirectorateFactory(organisation=org_a, name="Enterprise", slug="enterprise")
    gaps = services.governance_gaps(organisation=org_a, today=TODAY)
    assert [d.name for d in gaps.directorates_without_register] == ["Enterprise"]
    directorate_register.status = Register.Status.DRAFT
    directorate_register.save()
    gaps = services.governance_gaps(organisation=org_a, today=TODAY)
    assert {d.name for d in gaps.directorates_without_register} == {"Enterprise", "Social Care and Health"}


def test_gaps_overdue_reviews(org_a, make_risk):
    late = make_risk(review_date=TODAY - timedelta(days=1))
    make_risk(review_date=TODAY)
    make_risk(review_date=TODAY - timedelta(days=9), status=Risk.Status.CLOSED)
    assert services.governance_gaps(organisation=org_a, today=TODAY).overdue_reviews == [late]


def test_gaps_critical_systems_with_no_linked_risk(org_a, make_risk):
    flo = System.objects.create(organisation=org_a, name="Flo", criticality=System.Criticality.CRITICAL)
    plant = System.objects.create(organisation=org_a, name="Plant", criticality=System.Criticality.CRITICAL)
    System.objects.create(organisation=org_a, name="Intranet", criticality=System.Criticality.LOW)
    make_risk().systems.add(flo)
    gaps = services.governance_gaps(organisation=org_a, today=TODAY)
    assert gaps.critical_systems_without_risk == [plant]


def test_gaps_risks_above_appetite_with_no_open_action(org_a, make_risk, matrix_a):
    technology = RiskCategory.objects.create(matrix=matrix_a, name="Technology", appetite=8)
    exposed = make_risk(3, 4, category=technology)
    acted = make_risk(3, 4, category=technology)
    RiskActionFactory(risk=acted)
    done = make_risk(4, 4, category=technology)
    RiskActionFactory(risk=done, status="done")
    make_risk(2, 4, category=technology)  # at appetite
    gaps = services.governance_gaps(organisation=org_a, today=TODAY)
    assert gaps.above_appetite_without_action == [done, exposed]


def test_gaps_page_lists_each_gap(login, org_a, viewer_a, make_risk, officer_b):
    DirectorateFactory(organisation=org_a, name="Enterprise", slug="enterprise")
    make_risk(title="Late review", review_date=TODAY - timedelta(days=2))
    url = reverse("reporting:governance_gaps", args=[org_a.slug])
    page = login(viewer_a).get(url).content.decode()
    assert "Enterprise" in page and "Late review" in page
    assert login(officer_b).get(url).status_code == 404


def test_the_old_gaps_address_still_leads_to_the_page(login, org_a, viewer_a):
    response = login(viewer_a).get(f"/registers/{org_a.slug}/governance-gaps/")
    assert response.status_code == 301
    assert response.url == reverse("reporting:governance_gaps", args=[org_a.slug])


def test_a_long_gap_shows_its_first_rows_with_the_total_and_pages_in_full(login, org_a, viewer_a, make_risk):
    for n in range(30):
        make_risk(reference=f"L-{n:02d}", review_date=TODAY - timedelta(days=30 - n))
    client = login(viewer_a)
    url = reverse("reporting:governance_gaps", args=[org_a.slug])
    summary = client.get(url)
    assert len(summary.context["gaps"].overdue_reviews) == services.GAP_SAMPLE
    assert summary.context["gaps"].totals["overdue_reviews"] == 30 and "See all 30" in summary.content.decode()
    full = client.get(url, {"section": "overdue_reviews", "page": 1})
    assert len(full.context["gaps"].overdue_reviews) == 30
    assert "Directorates without" not in full.content.decode()
