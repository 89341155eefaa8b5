"""A system's page lists the risks that name it, as the reader may see them."""

import pytest
from django.urls import reverse

from tests.registers.factories import RegisterFactory, RiskFactory
from tests.systems_catalogue.factories import SystemFactory


@pytest.fixture
def flo(org_a):
    return SystemFactory(organisation=org_a, name="Flo", criticality="critical")


def test_system_page_lists_its_linked_risks(login, viewer_a, org_a, flo):
    register = RegisterFactory(organisation=org_a, name="Flo project register", slug="flo")
    risk = RiskFactory(register=register, reference="FLO-03", title="Developer ceases trading")
    risk.systems.add(flo)
    page = login(viewer_a).get(reverse("systems_catalogue:system_detail", args=[flo.pk])).content.decode()
    assert "FLO-03 Developer ceases trading" in page and "Flo project register" in page
    assert risk.get_absolute_url() in page


def test_critical_system_without_a_risk_shows_the_gap(login, viewer_a, flo):
    page = login(viewer_a).get(reverse("systems_catalogue:system_detail", args=[flo.pk])).content.decode()
    assert "This critical system is on no risk register." in page


def test_archived_risks_are_not_listed(login, viewer_a, manager_a, org_a, flo):
    risk = RiskFactory(register=RegisterFactory(organisation=org_a), title="Old worry")
    risk.systems.add(flo)
    risk.archive(by=manager_a)
    page = login(viewer_a).get(reverse("systems_catalogue:system_detail", args=[flo.pk])).content.decode()
    assert "Old worry" not in page


def test_system_page_queries_do_not_grow_with_linked_risks(login, viewer_a, org_a, flo, django_assert_num_queries):
    register = RegisterFactory(organisation=org_a)
    client = login(viewer_a)
    url = reverse("systems_catalogue:system_detail", args=[flo.pk])
    RiskFactory(register=register).systems.add(flo)
    client.get(url)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for _ in range(12):
        RiskFactory(register=register).systems.add(flo)
    with django_assert_num_queries(len(few.captured_queries)):
        client.get(url)


def test_linked_risks_say_when_their_review_is_overdue_or_due_today(login, viewer_a, org_a, flo):
    from datetime import timedelta

    from django.utils import timezone

    today = timezone.localdate()
    register = RegisterFactory(organisation=org_a)
    for reference, offset, status in (("R-1", -1, "open"), ("R-2", 0, "open"), ("R-3", -30, "closed")):
        RiskFactory(register=register, reference=reference, review_date=today + timedelta(days=offset),
                    status=status).systems.add(flo)
    page = login(viewer_a).get(reverse("systems_catalogue:system_detail", args=[flo.pk])).content.decode()
    rows = {ref: page.split(ref, 1)[1].split("</tr>", 1)[0] for ref in ("R-1", "R-2", "R-3")}
    assert "Overdue" in rows["R-1"] and "Due today" in rows["R-2"]
    assert "Overdue" not in rows["R-3"]  # a closed risk is never overdue
