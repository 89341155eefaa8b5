"""The catalogue's pages, through the HTTP client."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from systems_catalogue.models import Contract, OwnerComment, System
from tests.factories import OrganisationFactory
from tests.systems_catalogue.factories import (
    CapabilityFactory,
    CompleteSystemFactory,
    ContractFactory,
    OwnerCommentFactory,
    SystemFactory,
)

LIST = reverse("systems_catalogue:system_list", args=["org-a"])


def detail(system):
    return reverse("systems_catalogue:system_detail", kwargs={"pk": system.pk})


def test_list_shows_own_organisation_systems_only(login, viewer_a, system_a, system_b):
    response = login(viewer_a).get(LIST)
    assert response.status_code == 200
    assert "Flo" in response.text and "Newport payroll" not in response.text


def test_anonymous_is_sent_to_sign_in(client, system_a):
    assert client.get(LIST).status_code == 302
    assert client.get(detail(system_a)).status_code == 302


def test_system_page_shows_contracts_comments_completeness_and_audit_trail(login, viewer_a, system_a):
    ContractFactory(system=system_a, reference="MCC-FLO-1", end_on=date(2027, 3, 31), notice_period_days=90)
    OwnerCommentFactory(system=system_a, text="Supplier in administration; replacement planned.")
    response = login(viewer_a).get(detail(system_a))
    assert response.status_code == 200
    text = response.text
    assert "MCC-FLO-1" in text and "31 Dec 2026" in text  # notice date: end less 90 days
    assert "Supplier in administration" in text
    assert "Audit trail" in text and "Missing:" in text


def test_officer_of_another_partner_cannot_see_or_edit(login, officer_b, system_a):
    client = login(officer_b)
    assert client.get(detail(system_a)).status_code == 404
    assert client.get(reverse("systems_catalogue:system_update", kwargs={"pk": system_a.pk})).status_code == 404
    response = client.post(
        reverse("systems_catalogue:comment_create", kwargs={"system_pk": system_a.pk}), {"text": "x"}
    )
    assert response.status_code == 404
    assert not OwnerComment.objects.exists()


def test_viewer_cannot_edit(login, viewer_a, system_a):
    assert (
        login(viewer_a).get(reverse("systems_catalogue:system_update", kwargs={"pk": system_a.pk})).status_code == 403
    )


def test_officer_edits_the_system_they_own_but_not_others(login, officer_a, org_a, system_a):
    other = SystemFactory(organisation=org_a, name="Payroll")
    client = login(officer_a)
    assert client.get(reverse("systems_catalogue:system_update", kwargs={"pk": system_a.pk})).status_code == 200
    assert client.get(reverse("systems_catalogue:system_update", kwargs={"pk": other.pk})).status_code == 403


def test_manager_creates_a_system(login, manager_a, org_a, directorate_a):
    response = login(manager_a).post(
        reverse("systems_catalogue:system_create", args=["org-a"]),
        {
            "organisation": org_a.pk,
            "name": "Mosaic",
            "directorate": directorate_a.pk,
            "lifecycle": "live",
            "criticality": "critical",
            "url": "",
        },
    )
    assert response.status_code == 302, response.content
    system = System.objects.get(name="Mosaic")
    assert system.organisation == org_a and system.criticality == System.Criticality.CRITICAL
    assert system.history.first().history_user == manager_a


def test_bad_input_shows_messages_beside_fields(login, manager_a, org_a, system_a):
    response = login(manager_a).post(
        reverse("systems_catalogue:system_create", args=["org-a"]),
        {
            "organisation": org_a.pk,
            "name": "flo",
            "lifecycle": "live",
            "url": "not a url",
            "last_reviewed_on": "2999-01-01",
        },
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert set(form.errors) >= {"name", "url", "last_reviewed_on"}
    assert "govuk-error-message" in response.text


def test_contract_validation_dates_notice_and_costs(login, manager_a, system_a):
    url = reverse("systems_catalogue:contract_create", kwargs={"system_pk": system_a.pk})
    response = login(manager_a).post(
        url,
        {"start_on": "2025-04-01", "end_on": "2025-03-01", "annual_licence_cost": "-5", "notice_url": "nope"},
    )
    assert response.status_code == 200
    assert set(response.context["form"].errors) >= {"end_on", "annual_licence_cost", "notice_url"}
    response = login(manager_a).post(
        url, {"start_on": "2025-04-01", "end_on": "2025-06-30", "notice_period_days": "120"}
    )
    assert "notice_period_days" in response.context["form"].errors
    assert not Contract.objects.exists()


def test_owner_adds_a_contract_and_a_comment(login, officer_a, system_a):
    client = login(officer_a)
    response = client.post(
        reverse("systems_catalogue:contract_create", kwargs={"system_pk": system_a.pk}),
        {
            "reference": "FLO-2",
            "start_on": "2024-04-01",
            "end_on": "2027-03-31",
            "notice_period_days": "90",
            "annual_licence_cost": "12000",
            "total_value": "36000",
        },
    )
    assert response.status_code == 302
    response = client.post(
        reverse("systems_catalogue:comment_create", kwargs={"system_pk": system_a.pk}),
        {"written_on": "2026-01-10", "text": "Renewal under review."},
    )
    assert response.status_code == 302
    comment = OwnerComment.objects.get()
    assert comment.author == officer_a and comment.system == system_a


def test_archiving_hides_a_system_from_the_list(login, manager_a, system_a):
    client = login(manager_a)
    assert client.post(reverse("systems_catalogue:system_archive", kwargs={"pk": system_a.pk})).status_code == 302
    system_a.refresh_from_db()
    assert system_a.is_archived
    assert list(client.get(LIST).context["object_list"]) == []


@pytest.mark.parametrize("rows", [3, 30])
def test_list_runs_a_constant_number_of_queries(login, viewer_a, org_a, rows, django_assert_num_queries):
    capability = CapabilityFactory()
    for _ in range(rows):
        system = CompleteSystemFactory(organisation=org_a)
        system.capabilities.add(capability)
    client = login(viewer_a)
    client.get(LIST)  # warm caches of the session and the person's roles
    with django_assert_num_queries(LIST_QUERIES):
        assert client.get(LIST + "?sort=-completeness").status_code == 200


@pytest.mark.parametrize("rows", [1, 10])
def test_system_page_runs_a_constant_number_of_queries(login, viewer_a, org_a, rows, django_assert_num_queries):
    system = CompleteSystemFactory(organisation=org_a)
    for _ in range(rows):
        ContractFactory(system=system)
        OwnerCommentFactory(system=system)
        system.capabilities.add(CapabilityFactory())
        system.outgoing_integrations.create(target=SystemFactory(organisation=org_a))
    client = login(viewer_a)
    client.get(detail(system))
    with django_assert_num_queries(DETAIL_QUERIES):
        assert client.get(detail(system)).status_code == 200


LIST_QUERIES = 16
# Linked risks, the trail of contracts, comments and integrations, and the links each row kept
# (capabilities and partners: one query each, and one naming the capabilities).
DETAIL_QUERIES = 33


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


def test_system_page_queries_do_not_grow_with_the_links_changed(login, viewer_a, org_a):
    system = CompleteSystemFactory(organisation=org_a)
    client = login(viewer_a)

    def change_links(times):
        for _ in range(times):  # a record read afresh each time: every change is a row of its own
            System.objects.get(pk=system.pk).capabilities.add(CapabilityFactory())
            System.objects.get(pk=system.pk).shared_with.add(OrganisationFactory())

    change_links(1)
    client.get(detail(system))
    few = _queries(client, detail(system))
    change_links(10)
    assert system.history.count() == 1 + 2 * 11
    assert _queries(client, detail(system)) == few
    assert "Added capability" in client.get(detail(system)).content.decode()


def test_manager_edits_and_archives_a_contract(login, manager_a, system_a):
    contract = ContractFactory(system=system_a, reference="OLD")
    client = login(manager_a)
    url = reverse("systems_catalogue:contract_update", kwargs={"system_pk": system_a.pk, "pk": contract.pk})
    response = client.post(url, {"reference": "NEW", "start_on": "2024-04-01", "end_on": "2027-03-31"})
    assert response.status_code == 302
    contract.refresh_from_db()
    assert contract.reference == "NEW" and contract.history.count() == 2
    response = client.post(reverse("systems_catalogue:contract_archive", kwargs={"pk": contract.pk}))
    assert response.status_code == 302
    contract.refresh_from_db()
    assert contract.is_archived
    assert list(client.get(detail(system_a)).context["object"].live_contracts) == []


def test_viewer_and_other_officers_cannot_add_contracts_or_comments(login, viewer_a, org_a, officer_a):
    other = SystemFactory(organisation=org_a, name="Payroll")
    for user in (viewer_a, officer_a):
        client = login(user)
        assert (
            client.get(reverse("systems_catalogue:contract_create", kwargs={"system_pk": other.pk})).status_code == 403
        )
        assert (
            client.get(reverse("systems_catalogue:comment_create", kwargs={"system_pk": other.pk})).status_code == 403
        )


def test_auditor_reads_everything_but_changes_nothing(login, auditor_a, system_a):
    client = login(auditor_a)
    assert client.get(detail(system_a)).status_code == 200
    assert client.get(reverse("systems_catalogue:system_update", kwargs={"pk": system_a.pk})).status_code == 403
    assert client.get(reverse("systems_catalogue:system_create", args=["org-a"])).status_code == 403


def test_superuser_sees_every_organisations_catalogue(login, superuser, system_a, system_b):
    client = login(superuser)
    assert [s.name for s in client.get(LIST).context["object_list"]] == ["Flo"]
    other = client.get(reverse("systems_catalogue:system_list", args=[system_b.organisation.slug]))
    assert [s.name for s in other.context["object_list"]] == ["Newport payroll"]


def test_owner_records_an_integration_within_their_organisation(login, officer_a, org_a, org_b, system_a):
    payroll = SystemFactory(organisation=org_a, name="Payroll")
    elsewhere = SystemFactory(organisation=org_b, name="Elsewhere")
    client = login(officer_a)
    url = reverse("systems_catalogue:integration_create", kwargs={"system_pk": system_a.pk})
    assert client.post(url, {"target": elsewhere.pk}).status_code == 200  # not a choice
    assert client.post(url, {"target": payroll.pk, "description": "Payments"}).status_code == 302
    response = client.post(url, {"target": payroll.pk})
    assert "already recorded" in response.text
    assert "Payroll" in client.get(detail(system_a)).text


def test_officer_adds_a_supplier_and_duplicates_are_refused(login, officer_a, supplier_a):
    client = login(officer_a)
    url = reverse("systems_catalogue:supplier_create", args=["org-a"])
    assert client.post(url, {"name": "Civica"}).status_code == 302
    response = client.post(url, {"name": "cmc2"})
    assert response.status_code == 200 and "already has this supplier: CMC2" in response.text


def test_an_owner_from_another_organisation_is_refused(login, manager_a, officer_b, system_a):
    url = reverse("systems_catalogue:system_update", kwargs={"pk": system_a.pk})
    response = login(manager_a).post(url, {"name": "Flo", "lifecycle": "live", "owner": officer_b.pk})
    assert response.status_code == 200 and "owner" in response.context["form"].errors


def test_system_trail_includes_contract_and_comment_changes(login, manager_a, org_a):
    from systems_catalogue.models import Contract, OwnerComment
    from tests.systems_catalogue.factories import ContractFactory, OwnerCommentFactory

    system = SystemFactory(organisation=org_a, name="Flo")
    contract = ContractFactory(system=system, reference="MCC-ICT-001", annual_support_cost=38000)
    contract.annual_support_cost = 45000
    contract._history_user = manager_a
    contract.save()
    OwnerCommentFactory(system=system, text="CMC2 ceased trading")
    page = login(manager_a).get(reverse("systems_catalogue:system_detail", args=[system.pk])).content.decode()
    assert "Contract MCC-ICT-001" in page
    assert "£38,000" in page and "£45,000" in page
    assert "CMC2 ceased trading" in page
    assert Contract.history.count() == 2 and OwnerComment.history.count() == 1
