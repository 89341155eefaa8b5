"""Review reminders, governance gaps, the run_checks command and the demo data."""

from datetime import timedelta

from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from govtrack.models import Notification
from registers import services
from registers.models import Escalation, Register, Risk, RiskCategory
from systems_catalogue.models import System
from tests.factories import DirectorateFactory
from tests.registers.factories import RiskActionFactory

TODAY = timezone.localdate()


def test_overdue_review_tells_the_owner_then_the_register_owner_after_the_grace_period(make_risk, officer_a,
                                                                                      project_owner):
    make_risk(officer_owner=officer_a, review_date=TODAY - timedelta(days=3))
    assert services.run_review_check(organisation=None, today=TODAY) == 1
    assert services.run_review_check(organisation=None, today=TODAY) == 0
    assert Notification.objects.filter(recipient=officer_a).count() == 1
    later = TODAY + timedelta(days=services.REVIEW_GRACE_DAYS)
    assert services.run_review_check(organisation=None, today=later) == 1
    assert Notification.objects.filter(recipient=project_owner).count() == 1


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
    url = reverse("registers:governance_gaps", args=[org_a.slug])
    page = login(viewer_a).get(url).content.decode()
    assert "Enterprise" in page and "Late review" in page
    assert login(officer_b).get(url).status_code == 404


def test_run_checks_command_twice_proposes_once(make_risk, org_a, capsys):
    make_risk(4, 4)
    call_command("run_checks", "--check", "escalations", "--organisation", org_a.slug)
    call_command("run_checks", "--check", "escalations", "--organisation", org_a.slug)
    assert "escalations: 1 new" in capsys.readouterr().out
    assert Escalation.objects.count() == 1


def test_demo_loads_the_audited_registers_and_a_second_run_changes_nothing(db):
    from govtrack.demo import load_all

    load_all()
    counts = (Register.objects.count(), Risk.objects.count(), Escalation.objects.count())
    history = Risk.history.count()
    load_all()
    assert (Register.objects.count(), Risk.objects.count(), Escalation.objects.count()) == counts
    assert Risk.history.count() == history
    titles = " ".join(Risk.objects.values_list("title", flat=True))
    for named in ("Confidentiality of information", "no track record", "CMC2 ceasing to trade",
                  "Ongoing support for Flo", "duplicate records", "Report formats"):
        assert named in titles
    flo = Register.objects.get(slug="flo")
    assert flo.parent.slug == "social-care-and-health" and flo.parent.parent.slug == "corporate"
    assert any(r.should_escalate() for r in Risk.objects.for_pages())
    assert Risk.objects.filter(review_date__lt=TODAY).exists()
