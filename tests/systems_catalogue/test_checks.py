"""Contract renewal and annual review checks: owners hear once per threshold, never twice."""

from datetime import date, timedelta

from django.core.management import call_command

from govtrack.checks import registered_checks
from govtrack.models import Notification
from tests.systems_catalogue.factories import ContractFactory, SystemFactory

TODAY = date(2026, 6, 1)


def run(name, org=None, today=TODAY):
    return registered_checks()[name].function(organisation=org, today=today)


def test_checks_are_registered():
    assert {"contract_renewals", "system_reviews"} <= set(registered_checks())


def test_owner_is_told_at_each_threshold_once(org_a, system_a, officer_a):
    end = TODAY + timedelta(days=170)
    ContractFactory(system=system_a, start_on=date(2024, 1, 1), end_on=end, notice_period_days=None)
    assert run("contract_renewals") == 1
    assert run("contract_renewals") == 0  # idempotent
    assert run("contract_renewals", today=TODAY + timedelta(days=30)) == 0  # still in the 180-day band
    assert run("contract_renewals", today=end - timedelta(days=89)) == 1
    assert run("contract_renewals", today=end - timedelta(days=29)) == 1
    notices = Notification.objects.filter(recipient=officer_a)
    assert notices.count() == 3
    assert all("Flo" in n.subject for n in notices)


def test_notice_date_is_alerted_before_the_end(org_a, system_a, officer_a):
    # Ends in 200 days with 90 days' notice: the notice date is 110 days away.
    ContractFactory(
        system=system_a, start_on=date(2024, 1, 1), end_on=TODAY + timedelta(days=200), notice_period_days=90
    )
    assert run("contract_renewals") == 1
    notice = Notification.objects.get(recipient=officer_a)
    assert "Notice" in notice.subject and notice.url.endswith(f"#contract-{system_a.contracts.get().pk}")


def test_a_contract_found_late_yields_one_notice_not_three(org_a, system_a):
    ContractFactory(
        system=system_a, start_on=date(2024, 1, 1), end_on=TODAY + timedelta(days=10), notice_period_days=None
    )
    assert run("contract_renewals") == 1


def test_systems_without_owner_or_retired_or_other_organisation_are_skipped(org_a, org_b, system_a):
    ContractFactory(system=SystemFactory(organisation=org_a), end_on=TODAY + timedelta(days=20))
    system_a.lifecycle = "retired"
    system_a.save()
    ContractFactory(system=system_a, end_on=TODAY + timedelta(days=20))
    assert run("contract_renewals") == 0


def test_overdue_review_notifies_owner_once_per_cycle(org_a, system_a, officer_a):
    system_a.last_reviewed_on = TODAY - timedelta(days=400)
    system_a.save()
    assert run("system_reviews") == 1
    assert run("system_reviews") == 0
    system_a.last_reviewed_on = TODAY - timedelta(days=10)
    system_a.save()
    assert run("system_reviews") == 0
    assert Notification.objects.filter(recipient=officer_a, key__startswith="systems:review").count() == 1


def test_checks_run_from_the_command(org_a, system_a):
    call_command("run_checks", "--check", "system_reviews", "--organisation", org_a.slug)
    assert Notification.objects.count() == 1
