"""Review reminders, the run_checks command and the demo data."""

from datetime import timedelta

from django.core.management import call_command
from django.utils import timezone

from govtrack.models import Notification
from registers import services
from registers.models import Escalation, Register, Risk

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
    # The demo is left as the morning's checks leave it: risks at their threshold already proposed.
    assert Escalation.objects.filter(kind=Escalation.Kind.AUTOMATIC, status=Escalation.Status.PROPOSED).exists()
    assert not any(r.should_escalate() for r in Risk.objects.for_pages())
    assert Risk.objects.filter(review_date__lt=TODAY).exists()
