"""The catalogue's API: the same scoping, validation and completeness as the pages."""

import pytest

from systems_catalogue.models import Contract, OwnerComment, System
from tests.systems_catalogue.factories import CompleteSystemFactory, ContractFactory, SystemFactory

SYSTEMS = "/api/v1/systems/"


def test_list_is_scoped_and_carries_completeness(api_client, officer_a, system_a, system_b):
    api_client.force_authenticate(officer_a)
    response = api_client.get(SYSTEMS)
    assert response.status_code == 200
    rows = response.json()["results"]
    assert [r["name"] for r in rows] == ["Flo"]
    assert rows[0]["completeness"]["score"] < 100 and "contract" in rows[0]["completeness"]["missing"]


def test_list_uses_the_pages_filters(api_client, viewer_a, org_a, system_a):
    CompleteSystemFactory(organisation=org_a, name="Payroll")
    api_client.force_authenticate(viewer_a)
    names = [r["name"] for r in api_client.get(SYSTEMS + "?incomplete=yes").json()["results"]]
    assert names == ["Flo"]
    names = [r["name"] for r in api_client.get(SYSTEMS + "?criticality=high").json()["results"]]
    assert names == ["Payroll"]


def test_service_account_creates_a_system_in_its_organisation(token_client, org_a):
    response = token_client.post(SYSTEMS, {"name": "Mosaic", "criticality": "critical"}, format="json")
    assert response.status_code == 201, response.json()
    assert System.objects.get(name="Mosaic").organisation == org_a


def test_bad_input_gets_field_messages_not_a_500(api_client, manager_a, org_a, system_a, directorate_a):
    api_client.force_authenticate(manager_a)
    response = api_client.post(
        SYSTEMS,
        {"organisation": org_a.slug, "name": "flo", "url": "nope", "criticality": "extreme"},
        format="json",
    )
    assert response.status_code == 400
    assert set(response.json()) >= {"url", "criticality"} or "name" in str(response.json())


def test_contract_validation_through_the_api(api_client, manager_a, system_a):
    api_client.force_authenticate(manager_a)
    payload = {"system": system_a.pk, "start_on": "2025-04-01", "end_on": "2025-01-01"}
    response = api_client.post("/api/v1/contracts/", payload, format="json")
    assert response.status_code == 400 and "end_on" in response.json()
    response = api_client.post("/api/v1/contracts/", {"system": system_a.pk, "total_value": "-1"}, format="json")
    assert response.status_code == 400 and "total_value" in response.json()
    assert not Contract.objects.exists()


def test_another_partner_cannot_read_or_change(api_client, officer_b, system_a):
    contract = ContractFactory(system=system_a)
    api_client.force_authenticate(officer_b)
    assert api_client.get(f"{SYSTEMS}{system_a.pk}/").status_code == 404
    assert api_client.patch(f"{SYSTEMS}{system_a.pk}/", {"purpose": "x"}, format="json").status_code == 404
    assert api_client.get(f"/api/v1/contracts/{contract.pk}/").status_code == 404
    response = api_client.post("/api/v1/contracts/", {"system": system_a.pk, "reference": "X"}, format="json")
    assert response.status_code == 400  # the system is not one they can see
    response = api_client.post("/api/v1/system-comments/", {"system": system_a.pk, "text": "x"}, format="json")
    assert response.status_code == 400
    assert not OwnerComment.objects.exists()


def test_owner_comments_through_the_api(api_client, officer_a, system_a, org_a):
    api_client.force_authenticate(officer_a)
    response = api_client.post("/api/v1/system-comments/", {"system": system_a.pk, "text": "All fine."}, format="json")
    assert response.status_code == 201, response.json()
    assert OwnerComment.objects.get().author == officer_a
    other = SystemFactory(organisation=org_a, name="Payroll")
    response = api_client.post("/api/v1/system-comments/", {"system": other.pk, "text": "x"}, format="json")
    assert response.status_code == 400
    assert "You may not change Payroll" in response.json()["system"][0]


def test_delete_archives(api_client, manager_a, system_a):
    api_client.force_authenticate(manager_a)
    assert api_client.delete(f"{SYSTEMS}{system_a.pk}/").status_code == 204
    system_a.refresh_from_db()
    assert system_a.is_archived


@pytest.mark.parametrize("rows", [3, 20])
def test_api_list_runs_a_constant_number_of_queries(api_client, viewer_a, org_a, rows, django_assert_num_queries):
    for _ in range(rows):
        ContractFactory(system=CompleteSystemFactory(organisation=org_a))
    api_client.force_authenticate(viewer_a)
    api_client.get(SYSTEMS)
    with django_assert_num_queries(API_QUERIES):
        assert api_client.get(SYSTEMS).status_code == 200


API_QUERIES = 8


def test_cannot_create_in_another_organisation(api_client, officer_a, org_b):
    api_client.force_authenticate(officer_a)
    response = api_client.post(SYSTEMS, {"organisation": org_b.slug, "name": "Intruder"}, format="json")
    assert response.status_code == 400 and "organisation" in response.json()
    assert not System.objects.filter(name="Intruder").exists()


def test_contract_api_shows_notice_date_and_annual_cost(api_client, viewer_a, system_a):
    contract = ContractFactory(system=system_a)
    api_client.force_authenticate(viewer_a)
    data = api_client.get(f"/api/v1/contracts/{contract.pk}/").json()
    assert data["notice_date"] == "2028-12-31" and data["annual_cost"] == "12500.00"
