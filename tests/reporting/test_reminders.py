"""Reminders 30, 7 and 1 days before a date and when overdue: once each, afresh when the date moves."""

from datetime import date, timedelta

import pytest

from govtrack.checks import run_checks
from govtrack.models import Notification
from registers.models import RiskAction
from reporting import reminders
from tests.registers.factories import RiskActionFactory
from tests.systems_catalogue.factories import ContractFactory, SystemFactory

TODAY = date(2026, 6, 1)


def _subjects(person):
    return sorted(Notification.objects.filter(recipient=person).values_list("subject", flat=True))


@pytest.mark.parametrize(
    ("days", "stage"),
    [(45, None), (30, "30"), (20, "30"), (7, "7"), (2, "7"), (1, "1"), (0, "1"), (-1, "overdue")],
)
def test_the_tightest_stage_reached_counts(days, stage):
    assert reminders.stage_for(TODAY + timedelta(days=days), TODAY) == stage


def test_a_risk_review_is_reminded_at_30_7_and_1_days_and_when_overdue_once_each(make_risk, officer_a):
    risk = make_risk(officer_owner=officer_a, review_date=TODAY + timedelta(days=30))
    sent = []
    for day in range(0, 33):
        sent.append(reminders.send_reminders(organisation=None, today=TODAY + timedelta(days=day)))
    assert sum(sent) == 4
    subjects = _subjects(officer_a)
    assert any(s.startswith("Due in 30 days") for s in subjects)
    assert any(s.startswith("Due in 7 days") for s in subjects)
    assert any(s.startswith("Due tomorrow") for s in subjects)
    assert any(s.startswith("Overdue since") for s in subjects)
    assert all(risk.reference in s for s in subjects)
    assert set(Notification.objects.filter(recipient=officer_a).values_list("kind", flat=True)) == {"review"}


def test_running_twice_sends_nothing_new(make_risk, officer_a):
    make_risk(officer_owner=officer_a, review_date=TODAY + timedelta(days=7))
    assert reminders.send_reminders(organisation=None, today=TODAY) == 1
    assert reminders.send_reminders(organisation=None, today=TODAY) == 0


def test_a_moved_date_starts_the_reminders_afresh(make_risk, officer_a):
    risk = make_risk(officer_owner=officer_a, review_date=TODAY + timedelta(days=7))
    assert reminders.send_reminders(organisation=None, today=TODAY) == 1
    risk.review_date = TODAY + timedelta(days=6)
    risk.save()
    assert reminders.send_reminders(organisation=None, today=TODAY) == 1


def test_the_overdue_review_reminder_is_the_register_checks_notice(make_risk, officer_a):
    """The reminders and the risk_reviews check share the key, so the owner hears once."""
    make_risk(officer_owner=officer_a, review_date=TODAY - timedelta(days=3))
    run_checks(names=["risk_reviews", "reminders"], today=TODAY)
    assert Notification.objects.filter(recipient=officer_a).count() == 1


def test_an_action_overdue_past_the_grace_period_reaches_the_risk_owner(make_risk, officer_a, manager_a):
    risk = make_risk(officer_owner=manager_a)
    RiskActionFactory(risk=risk, owner=officer_a, due_on=TODAY - timedelta(days=reminders.GRACE_DAYS + 1))
    RiskActionFactory(risk=risk, owner=officer_a, due_on=TODAY - timedelta(days=30), status=RiskAction.Status.DONE)
    assert reminders.send_reminders(organisation=None, today=TODAY) == 2
    assert [s.split(":")[0] for s in _subjects(officer_a)] == ["Overdue since 17 May 2026"]
    assert _subjects(manager_a)[0].startswith("Still overdue")


def test_a_contracts_notice_date_is_reminded_to_the_system_owner_and_resets_when_dates_change(org_a, officer_a):
    system = SystemFactory(organisation=org_a, owner=officer_a, name="Flo")
    contract = ContractFactory(system=system, end_on=TODAY + timedelta(days=97), notice_period_days=90)
    assert reminders.send_reminders(organisation=None, today=TODAY) == 1  # notice in 7 days
    assert "notice" in _subjects(officer_a)[0]
    contract.end_on = TODAY + timedelta(days=400)
    contract.save()
    assert reminders.send_reminders(organisation=None, today=TODAY) == 0
    contract.end_on = TODAY + timedelta(days=96)
    contract.save()
    assert reminders.send_reminders(organisation=None, today=TODAY) == 1


def test_reminders_for_one_organisation_leave_the_others_alone(make_risk, officer_a, org_b, officer_b):
    from tests.registers.factories import RegisterFactory, RiskFactory

    make_risk(officer_owner=officer_a, review_date=TODAY + timedelta(days=1))
    RiskFactory(register=RegisterFactory(organisation=org_b), officer_owner=officer_b, review_date=TODAY)
    org_a = officer_a.memberships.first().organisation
    assert reminders.send_reminders(organisation=org_a, today=TODAY) == 1
    assert not Notification.objects.filter(recipient=officer_b).exists()


def test_reminders_use_a_constant_number_of_queries(make_risk, officer_a, django_assert_max_num_queries):
    for n in range(30):
        make_risk(officer_owner=officer_a, review_date=TODAY + timedelta(days=n % 40))
    with django_assert_max_num_queries(12):
        reminders.send_reminders(organisation=None, today=TODAY)
