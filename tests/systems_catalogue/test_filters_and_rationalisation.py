"""The list's filters and sorting, and the rationalisation queries."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from systems_catalogue import services
from systems_catalogue.models import CatalogueSettings, Contract, System
from tests.factories import DirectorateFactory
from tests.systems_catalogue.factories import (
    CapabilityFactory,
    CompleteSystemFactory,
    ContractFactory,
    SupplierFactory,
    SystemFactory,
)

LIST = reverse("systems_catalogue:system_list", args=["org-a"])


def names(client, query: str) -> list[str]:
    response = client.get(f"{LIST}?{query}")
    assert response.status_code == 200
    return [s.name for s in response.context["object_list"]]


@pytest.fixture
def estate(org_a, org_b):
    """A small estate in A, and one system in B that must never show."""
    today = timezone.localdate()
    resources = DirectorateFactory(organisation=org_a, name="Resources", slug="resources")
    social = DirectorateFactory(organisation=org_a, name="Social Care", slug="social-care")
    civica = SupplierFactory(organisation=org_a, name="Civica")
    case = CapabilityFactory(name="Case management", slug="case-management")
    payroll = SystemFactory(
        organisation=org_a,
        name="Payroll",
        directorate=resources,
        supplier=civica,
        hosting="cloud",
        criticality="high",
        lifecycle="live",
    )
    mosaic = SystemFactory(
        organisation=org_a,
        name="Mosaic",
        directorate=social,
        criticality="critical",
        lifecycle="live",
        hosting="on_premises",
        product="Mosaic",
    )
    flo = SystemFactory(
        organisation=org_a,
        name="Flo",
        directorate=social,
        lifecycle="being_replaced",
        criticality="low",
        product="Flo",
        end_of_support_on=today - timedelta(days=30),
    )
    mosaic.capabilities.add(case)
    flo.capabilities.add(case)
    ContractFactory(
        system=mosaic,
        start_on=today - timedelta(days=700),
        end_on=today + timedelta(days=100),
        notice_period_days=60,
        annual_licence_cost=Decimal("40000"),
        annual_support_cost=None,
        total_value=Decimal("120000"),
    )
    ContractFactory(
        system=payroll,
        supplier=civica,
        start_on=today - timedelta(days=100),
        end_on=today + timedelta(days=900),
        notice_period_days=90,
        annual_licence_cost=Decimal("10000"),
        annual_support_cost=Decimal("2000"),
        total_value=Decimal("36000"),
    )
    SystemFactory(organisation=org_b, name="Newport Mosaic", product="mosaic", criticality="critical")
    return {"payroll": payroll, "mosaic": mosaic, "flo": flo, "resources": resources, "civica": civica}


@pytest.mark.parametrize(
    "query, expected",
    [
        ("", ["Flo", "Mosaic", "Payroll"]),
        ("lifecycle=being_replaced", ["Flo"]),
        ("hosting=cloud", ["Payroll"]),
        ("criticality=critical", ["Mosaic"]),
        ("capability=case-management", ["Flo", "Mosaic"]),
        ("contract_ending_within=6", ["Mosaic"]),
        ("contract_ending_within=24", ["Mosaic"]),
        ("q=mosa", ["Mosaic"]),
        ("incomplete=yes", ["Flo", "Mosaic", "Payroll"]),
        ("sort=criticality", ["Mosaic", "Payroll", "Flo"]),
        ("sort=-name", ["Payroll", "Mosaic", "Flo"]),
        ("review_overdue=yes", ["Flo", "Mosaic", "Payroll"]),
    ],
)
def test_list_filters(login, viewer_a, estate, query, expected):
    assert names(login(viewer_a), query) == expected


def test_directorate_and_supplier_filters(login, viewer_a, estate):
    client = login(viewer_a)
    assert names(client, f"directorate={estate['resources'].pk}") == ["Payroll"]
    assert names(client, f"supplier={estate['civica'].pk}") == ["Payroll"]


def test_incomplete_filter_follows_the_organisations_required_fields(login, viewer_a, org_a, estate):
    CatalogueSettings.objects.create(organisation=org_a, required_fields=["directorate", "criticality"])
    client = login(viewer_a)
    assert names(client, "incomplete=yes") == []
    assert names(client, "incomplete=no") == ["Flo", "Mosaic", "Payroll"]


def test_another_partners_directorate_is_not_a_filter_choice(login, viewer_a, org_b, estate):
    other = DirectorateFactory(organisation=org_b)
    response = login(viewer_a).get(f"{LIST}?directorate={other.pk}")
    assert other.pk not in [d.pk for d in response.context["filter"].form.fields["directorate"].queryset]


def test_pagination_keeps_filters(login, viewer_a, org_a):
    for n in range(30):
        SystemFactory(organisation=org_a, name=f"System {n:02d}", criticality="low")
    response = login(viewer_a).get(f"{LIST}?criticality=low")
    assert response.context["page_obj"].paginator.count == 30
    assert "criticality=low&amp;page=2" in response.text


def test_systems_sharing_a_capability(org_a, estate):
    overlaps = services.capability_overlaps(systems=System.objects.filter(organisation=org_a))
    assert [(c.name, sorted(s.name for s in c.overlapping)) for c in overlaps] == [
        ("Case management", ["Flo", "Mosaic"])
    ]


def test_same_product_across_partners_is_found_where_both_are_visible(org_a, org_b, estate):
    found = services.shared_products(systems=System.objects.all())
    assert [(p.product, [o.slug for o in p.organisations]) for p in found] == [("Mosaic", ["org-a", "org-b"])]
    # A partner declared as using the product counts too, even when its own record is not visible.
    estate["flo"].shared_with.add(org_b)
    found = services.shared_products(systems=System.objects.filter(organisation=org_a))
    assert [p.product for p in found] == ["Flo"]


def test_past_end_of_support(org_a, estate):
    assert list(System.objects.past_end_of_support().values_list("name", flat=True)) == ["Flo"]


def test_cost_by_directorate_and_supplier(org_a, estate):
    costs = services.costs(contracts=Contract.objects.filter(system__organisation=org_a), today=timezone.localdate())
    by_directorate = {r["system__directorate__name"]: r for r in costs["directorate"]}
    assert by_directorate["Social Care"]["annual"] == Decimal("40000.00")
    assert by_directorate["Resources"]["annual"] == Decimal("12000.00")
    assert by_directorate["Resources"]["total"] == Decimal("36000.00")
    by_supplier = {r["supplier__name"]: r["annual"] for r in costs["supplier"]}
    assert by_supplier["Civica"] == Decimal("12000.00")


def test_renewals_page_lists_contracts_with_notice_dates(login, viewer_a, estate):
    response = login(viewer_a).get(reverse("systems_catalogue:renewals", args=["org-a"]))
    renewals = response.context["renewals"]
    assert [c.system.name for c in renewals.within_6] == ["Mosaic"]
    contract = renewals.within_6[0]
    assert contract.notice_date == contract.end_on - timedelta(days=60)
    assert renewals.within_12 == [] and renewals.notice_passed == [] and renewals.due_today == []


def test_renewals_show_notice_passed_due_today_and_coming_apart(login, viewer_a, org_a):
    today = timezone.localdate()
    for name, end, notice in [
        ("Passed", today + timedelta(days=30), 60),       # notice date 30 days ago, still running
        ("Notice today", today + timedelta(days=60), 60),
        ("Ends today", today, None),
        ("Coming", today + timedelta(days=120), 30),
        ("Later", today + timedelta(days=300), 30),
        ("Ended", today - timedelta(days=1), None),
    ]:
        ContractFactory(system=SystemFactory(organisation=org_a, name=name), start_on=today - timedelta(days=900),
                        end_on=end, notice_period_days=notice)
    response = login(viewer_a).get(reverse("systems_catalogue:renewals", args=["org-a"]))
    renewals = response.context["renewals"]
    names = {stage: [c.system.name for c in getattr(renewals, stage)]
             for stage in ("notice_passed", "due_today", "within_6", "within_12")}
    assert names == {"notice_passed": ["Passed"], "due_today": ["Ends today", "Notice today"],
                     "within_6": ["Coming"], "within_12": ["Later"]}
    assert "Due today" in response.text and "Notice date passed" in response.text


def test_cost_totals_say_how_many_contracts_they_leave_out(login, viewer_a, org_a):
    today = timezone.localdate()
    srs = SupplierFactory(organisation=org_a, name="SRS")
    for name, annual, total in [("Flo", Decimal("45000"), None), ("Plant", Decimal("36000"), Decimal("48000"))]:
        ContractFactory(system=SystemFactory(organisation=org_a, name=name), supplier=srs,
                        start_on=today - timedelta(days=100), end_on=today + timedelta(days=300),
                        annual_licence_cost=None, annual_support_cost=annual, annual_hosting_cost=None,
                        one_off_cost=None, total_value=total)
    costs = services.costs(contracts=Contract.objects.filter(system__organisation=org_a), today=today)
    assert costs["total"]["annual"] == Decimal("81000.00") and costs["total"]["total"] == Decimal("48000.00")
    assert (costs["total"]["total_unknown"], costs["total"]["annual_unknown"], costs["total"]["contracts"]) == (1, 0, 2)
    page = login(viewer_a).get(reverse("systems_catalogue:rationalisation", args=["org-a"])).text
    assert "£48,000<br><span class=\"govuk-body-s\">leaves out 1 contract with no figure" in page
    assert "Total" in page


def test_rationalisation_estate_missing_and_review_pages_render_scoped(login, viewer_a, estate):
    client = login(viewer_a)
    for name in ["rationalisation", "estate", "missing_list", "review_list", "renewals", "supplier_list"]:
        response = client.get(reverse(f"systems_catalogue:{name}", args=["org-a"]))
        assert response.status_code == 200, name
        assert "Newport" not in response.text, name


def test_overdue_reviews_are_listed(login, viewer_a, org_a):
    SystemFactory(organisation=org_a, name="Reviewed", last_reviewed_on=timezone.localdate() - timedelta(days=20))
    SystemFactory(organisation=org_a, name="Stale", last_reviewed_on=timezone.localdate() - timedelta(days=400))
    SystemFactory(organisation=org_a, name="Retired", lifecycle="retired")
    response = login(viewer_a).get(reverse("systems_catalogue:review_list", args=["org-a"]))
    assert [s.name for s in response.context["object_list"]] == ["Stale"]


def test_review_interval_is_per_organisation(org_a):
    CatalogueSettings.objects.create(organisation=org_a, required_fields=["purpose"], review_interval_days=90)
    SystemFactory(organisation=org_a, name="Quarterly", last_reviewed_on=date.today() - timedelta(days=100))
    assert list(System.objects.review_overdue().values_list("name", flat=True)) == ["Quarterly"]


def test_settings_page_is_for_managers(login, officer_a, manager_a, org_a):
    url = reverse("systems_catalogue:settings", args=["org-a"])
    assert login(officer_a).get(url).status_code == 403
    response = login(manager_a).post(url, {"required_fields": ["purpose", "owner"], "review_interval_days": "180"})
    assert response.status_code == 302
    assert CatalogueSettings.objects.get(organisation=org_a).required_fields == ["purpose", "owner"]
    response = login(manager_a).post(url, {"required_fields": ["nonsense"], "review_interval_days": "0"})
    assert response.status_code == 200 and set(response.context["form"].errors) == {
        "required_fields",
        "review_interval_days",
    }


def test_estate_page_shows_per_directorate_completeness(login, viewer_a, org_a):
    CompleteSystemFactory(organisation=org_a)
    SystemFactory(organisation=org_a)
    response = login(viewer_a).get(reverse("systems_catalogue:estate", args=["org-a"]))
    assert response.context["total"]["systems"] == 2 and response.context["total"]["complete"] == 1
