"""Bad input gets a clear message and changes nothing: never a server error.

Each test is one of the reproductions found by trying govtrack as a new user would.
"""

import json

import pytest
from django.urls import reverse

from registers.models import Risk
from systems_catalogue.models import Contract, System
from tests.systems_catalogue.factories import SystemFactory


@pytest.fixture
def api(api_client, manager_a):
    api_client.force_authenticate(manager_a)
    return api_client


def test_a_number_too_large_for_the_database_in_a_filter_is_a_field_error(api, login, viewer_a, corporate):
    response = api.get(reverse("risk-list"), {"owner": "99999999999999999999"})
    assert response.status_code == 400 and "owner" in response.json()
    page = login(viewer_a).get(corporate.get_absolute_url(), {"owner": "99999999999999999999"})
    assert page.status_code == 200


def test_a_notice_period_longer_than_any_contract_is_refused(api, org_a):
    system = SystemFactory(organisation=org_a)
    response = api.post(reverse("contract-list"), {"system": system.pk, "end_on": "2027-03-31",
                                                   "notice_period_days": 800000}, format="json")
    assert response.status_code == 400 and "notice_period_days" in response.json()
    assert not Contract.objects.exists()


def test_a_date_outside_a_sane_range_is_refused(api, org_a):
    system = SystemFactory(organisation=org_a)
    response = api.post(reverse("contract-list"), {"system": system.pk, "end_on": "9999-12-31",
                                                   "notice_period_days": 30}, format="json")
    assert response.status_code == 400 and "end_on" in response.json()


def test_json_nested_thousands_deep_is_refused_before_it_is_parsed(api):
    body = "[" * 5000 + "]" * 5000
    response = api.generic("POST", reverse("risk-list"), body, content_type="application/json")
    assert response.status_code == 400
    assert "nested" in response.json()["detail"]


def test_a_json_body_larger_than_the_limit_is_refused(api, settings):
    settings.API_MAX_BODY_BYTES = 1000
    body = json.dumps({"title": "x" * 2000})
    response = api.generic("POST", reverse("risk-list"), body, content_type="application/json")
    assert response.status_code == 400 and "larger" in response.json()["detail"]


@pytest.mark.parametrize("name", ["bell\u0007char", "nul\u0000byte", "escape\u001b[0m"])
def test_a_control_character_in_a_name_is_refused_with_a_clear_message(api, name):
    response = api.post(reverse("system-list"), {"name": name}, format="json")
    assert response.status_code == 400
    message = " ".join(response.json()["name"])
    assert "control character" in message or "Null characters are not allowed" in message
    assert not System.objects.exists()


def test_tabs_and_new_lines_are_kept(api, org_a):
    response = api.post(reverse("system-list"), {"name": "Casebook", "purpose": "Line one\n\tLine two"}, format="json")
    assert response.status_code == 201
    assert System.objects.get().purpose == "Line one\n\tLine two"


def test_a_cause_of_8_mb_is_refused_and_the_list_stays_small(api, project, manager_a):
    payload = {"organisation": project.organisation.slug, "register": project.pk, "reference": "BIG", "title": "Big",
               "cause": "x" * (8 * 1024 * 1024), "inherent_likelihood": 2, "inherent_impact": 2,
               "current_likelihood": 2, "current_impact": 2}
    response = api.generic("POST", reverse("risk-list"), json.dumps(payload), content_type="application/json")
    assert response.status_code == 400
    payload["cause"] = "x" * 20_001
    response = api.post(reverse("risk-list"), payload, format="json")
    assert response.status_code == 400 and "20,000 characters" in response.json()["cause"][0]
    assert not Risk.objects.filter(reference="BIG").exists()


def test_a_form_refuses_a_control_character_too(login, officer_a, make_risk):
    risk = make_risk(officer_owner=officer_a)
    response = login(officer_a).post(reverse("registers:risk_review", args=[risk.pk]), {
        "reviewed_on": "2026-11-30", "current_likelihood": 2, "current_impact": 3, "note": "ok\u0007"})
    assert response.status_code == 200
    assert "note" in response.context["form"].errors
    assert not risk.reviews.exists()


def test_a_record_id_too_large_for_the_database_is_not_found(api):
    assert api.get("/api/v1/risks/99999999999999999999/").status_code == 404
    assert api.patch("/api/v1/risks/99999999999999999999/", {"title": "x"}, format="json").status_code == 404


def test_archived_risks_are_out_of_the_api_list_unless_asked_and_say_so(api, make_risk, manager_a):
    kept, gone = make_risk(title="Kept"), make_risk(title="Gone")
    gone.archive(by=manager_a)
    titles = [r["title"] for r in api.get(reverse("risk-list")).json()["results"]]
    assert titles == ["Kept"]
    everything = api.get(reverse("risk-list"), {"archived": "true"}).json()["results"]
    assert {r["title"]: bool(r["archived_at"]) for r in everything} == {"Kept": False, "Gone": True}
    assert api.get(reverse("risk-detail", args=[gone.pk])).json()["archived_at"]
    assert api.get(reverse("risk-list"), {"archived": "perhaps"}).status_code == 400
    assert kept.archived_at is None


def test_a_manager_restores_an_archived_risk_from_its_page_and_an_officer_cannot(login, make_risk, manager_a,
                                                                                  officer_a):
    risk = make_risk(officer_owner=officer_a)
    risk.archive(by=manager_a)
    url = reverse("registers:risk_restore", args=[risk.pk])
    page = login(officer_a).get(risk.get_absolute_url()).content.decode()
    assert "Archived on" in page and url not in page
    assert login(officer_a).post(url).status_code == 403
    assert url in login(manager_a).get(risk.get_absolute_url()).content.decode()
    assert login(manager_a).post(url).status_code == 302
    risk.refresh_from_db()
    assert risk.archived_at is None
