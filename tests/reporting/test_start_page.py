"""The start page tells each person what needs them, with dates and links."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from registers.models import Escalation
from registers.services import propose_escalation
from tests.registers.factories import RiskActionFactory
from tests.systems_catalogue.factories import ContractFactory, SystemFactory


@pytest.fixture
def today():
    return timezone.localdate()


def test_a_manager_sees_the_escalations_waiting_for_their_decision(login, manager_a, make_risk, project):
    risk = make_risk(likelihood=4, impact=4, title="Flo supplier collapse")
    # The project register's parent (the directorate register) is owned by officer A; the corporate
    # register is the manager's, and a manager decides any escalation in the organisation.
    propose_escalation(risk=risk, by=None, reason="threshold", kind=Escalation.Kind.AUTOMATIC)
    page = login(manager_a).get("/").content.decode()
    assert "1 decision waiting for you" in page
    assert "Flo supplier collapse" in page and f"/registers/risks/{risk.pk}/" in page
    assert "Nothing is waiting" not in page


def test_an_officer_sees_their_reviews_and_actions_due_or_overdue(login, officer_a, make_risk, today):
    risk = make_risk(officer_owner=officer_a, review_date=today - timedelta(days=3), title="Data centre power")
    RiskActionFactory(risk=risk, owner=officer_a, due_on=today + timedelta(days=5), description="Test the UPS")
    make_risk(officer_owner=officer_a, review_date=today + timedelta(days=90), title="Far away")
    page = login(officer_a).get("/").content.decode()
    assert "Your reviews, actions and meetings due" in page
    assert "Data centre power" in page and "3 days overdue" in page
    assert "Test the UPS" in page and "in 5 days" in page
    assert "Far away" not in page


def test_a_system_owner_sees_notice_dates_coming_on_their_systems(login, officer_a, org_a, today):
    system = SystemFactory(organisation=org_a, owner=officer_a, name="Flo")
    ContractFactory(system=system, start_on=today - timedelta(days=700), end_on=today + timedelta(days=150),
                    notice_period_days=60)
    page = login(officer_a).get("/").content.decode()
    assert "Notice and end dates coming on your systems" in page
    assert "Last day to give notice on Flo" in page and "in 90 days" in page


def test_a_viewer_with_nothing_owned_is_told_so(login, viewer_a):
    page = login(viewer_a).get("/").content.decode()
    assert "Nothing is waiting for your decision" in page


def test_another_organisations_escalations_are_not_shown(login, manager_b, make_risk):
    risk = make_risk(likelihood=4, impact=4, title="Secret A risk")
    propose_escalation(risk=risk, by=None, reason="threshold", kind=Escalation.Kind.AUTOMATIC)
    assert "Secret A risk" not in login(manager_b).get("/").content.decode()


def test_the_start_page_costs_the_same_queries_however_much_is_due(login, officer_a, manager_a, make_risk, today,
                                                                   django_assert_num_queries):
    client = login(manager_a)
    make_risk(officer_owner=manager_a, review_date=today)
    client.get("/")
    with CaptureQueriesContext(connection) as few:
        client.get("/")
    for n in range(15):
        risk = make_risk(officer_owner=manager_a, review_date=today - timedelta(days=n), likelihood=4, impact=4)
        RiskActionFactory(risk=risk, owner=manager_a, due_on=today + timedelta(days=n))
        propose_escalation(risk=risk, by=None, reason="t", kind=Escalation.Kind.AUTOMATIC)
    with django_assert_num_queries(len(few.captured_queries)):
        page = client.get("/").content.decode()
    assert "15 decisions waiting for you" in page and "The first 10 of" in page


def test_calendar_feed_lists_the_persons_dates_for_the_secret_address_only(client, officer_a, make_risk, today):
    from govtrack.models import PersonSettings

    make_risk(officer_owner=officer_a, review_date=today + timedelta(days=10), title="Flo, the supplier; collapse")
    make_risk(review_date=today + timedelta(days=10), title="Someone else's")
    person = PersonSettings.of(officer_a)
    secret = person.new_calendar_secret()
    response = client.get(f"/calendar/{secret}.ics")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    body = response.content.decode()
    assert body.startswith("BEGIN:VCALENDAR\r\n") and body.endswith("END:VCALENDAR\r\n")
    assert "Flo\\, the supplier\\; collapse" in body
    assert f"DTSTART;VALUE=DATE:{(today + timedelta(days=10)):%Y%m%d}" in body
    assert "Someone else" not in body
    assert all(len(line.encode()) <= 75 for line in body.split("\r\n"))
    assert client.get("/calendar/wrong-secret.ics").status_code == 404
    person.revoke_calendar()
    assert client.get(f"/calendar/{secret}.ics").status_code == 404


def test_a_suspended_persons_calendar_is_gone(client, officer_a):
    from govtrack.models import PersonSettings

    secret = PersonSettings.of(officer_a).new_calendar_secret()
    officer_a.is_active = False
    officer_a.save()
    assert client.get(f"/calendar/{secret}.ics").status_code == 404
