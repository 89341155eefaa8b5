"""The API: same scoping, validation and workflow as the pages."""

from django.urls import reverse

from registers import services
from registers.models import Escalation, Risk
from tests.registers.factories import RiskFactory


def _client(api_client, user):
    api_client.force_authenticate(user)
    return api_client


def test_risk_list_gives_derived_scores_band_and_escalation_flag(api_client, make_risk, viewer_a):
    make_risk(4, 3)
    data = _client(api_client, viewer_a).get(reverse("risk-list")).json()
    row = data["results"][0]
    assert (row["current_score"], row["current_band"], row["should_escalate"]) == (12, "High", True)


def test_risk_list_is_scoped_to_the_callers_organisations(api_client, make_risk, officer_b):
    make_risk()
    assert _client(api_client, officer_b).get(reverse("risk-list")).json()["count"] == 0


def test_risk_list_filters_by_band(api_client, make_risk, viewer_a):
    make_risk(4, 4, title="Very")
    make_risk(1, 1, title="Low")
    data = _client(api_client, viewer_a).get(reverse("risk-list"), {"band": "very high"}).json()
    assert [r["title"] for r in data["results"]] == ["Very"]


def test_creating_a_risk_with_scores_outside_the_matrix_gives_field_errors(api_client, project, project_owner):
    payload = {"organisation": project.organisation.slug, "register": project.pk, "reference": "X1", "title": "X",
               "inherent_likelihood": 3, "inherent_impact": 3, "current_likelihood": 6, "current_impact": 2}
    response = _client(api_client, project_owner).post(reverse("risk-list"), payload, format="json")
    assert response.status_code == 400 and "current_likelihood" in response.json()
    payload["current_likelihood"] = 2
    response = api_client.post(reverse("risk-list"), payload, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["current_score"] == 4


def test_recording_a_review_through_the_api(api_client, make_risk, project_owner):
    risk = make_risk(2, 2)
    response = _client(api_client, project_owner).post(reverse("risk-reviews", args=[risk.pk]),
                                                       {"current_likelihood": 5, "current_impact": 4}, format="json")
    assert response.status_code == 201 and response.json()["current_score"] == 20
    response = api_client.post(reverse("risk-reviews", args=[risk.pk]),
                               {"reviewed_on": "2999-01-01", "current_likelihood": 1, "current_impact": 1},
                               format="json")
    assert response.status_code == 400 and "reviewed_on" in response.json()


def test_escalating_and_accepting_through_the_api(api_client, make_risk, project_owner, officer_a,
                                                  directorate_register):
    risk = make_risk(1, 1)
    response = _client(api_client, project_owner).post(reverse("risk-escalate", args=[risk.pk]),
                                                       {"reason": "CMC2 ceasing trading"}, format="json")
    assert response.status_code == 201
    pk = response.json()["id"]
    assert api_client.post(reverse("escalation-accept", args=[pk]), {}, format="json").status_code == 403
    response = _client(api_client, officer_a).post(reverse("escalation-accept", args=[pk]), {}, format="json")
    assert response.status_code == 200 and response.json()["status"] == "accepted"
    again = api_client.post(reverse("escalation-accept", args=[pk]), {}, format="json")
    assert again.status_code == 400
    assert list(Risk.objects.on_register(directorate_register)) == [risk]


def test_rejecting_through_the_api_needs_a_reason(api_client, make_risk, officer_a):
    escalation = services.propose_escalation(risk=make_risk(4, 4), by=None, reason="x")
    client = _client(api_client, officer_a)
    assert client.post(reverse("escalation-reject", args=[escalation.pk]), {}, format="json").status_code == 400
    response = client.post(reverse("escalation-reject", args=[escalation.pk]), {"reason": "Project level"},
                           format="json")
    assert response.json()["status"] == Escalation.Status.REJECTED


def test_escalations_of_another_organisation_are_not_found(api_client, make_risk, officer_b):
    escalation = services.propose_escalation(risk=make_risk(4, 4), by=None, reason="x")
    response = _client(api_client, officer_b).post(reverse("escalation-accept", args=[escalation.pk]), {},
                                                   format="json")
    assert response.status_code == 404


def test_service_account_reads_its_organisations_risks(token_client, project):
    RiskFactory(register=project)
    assert token_client.get(reverse("risk-list")).json()["count"] == 1


def test_register_with_a_cycle_is_refused_by_the_api(api_client, manager_a, corporate, project):
    response = _client(api_client, manager_a).patch(reverse("register-detail", args=[corporate.pk]),
                                                    {"parent": project.pk}, format="json")
    assert response.status_code == 400 and "parent" in response.json()


def _queries_for(client, url) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from govtrack import access

    access.forget(client.handler._force_user)  # each real request loads the caller's roles afresh
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


def test_api_lists_run_a_constant_number_of_queries(api_client, make_risk, project_owner, viewer_a, corporate,
                                                   project):
    client = _client(api_client, viewer_a)
    urls = [reverse("risk-list"), reverse("register-list"), reverse("escalation-list")]

    def grow(n):
        for _ in range(n):
            risk = make_risk(5, 5)
            risk.actions.create(description="Mitigate")
            services.propose_escalation(risk=risk, by=project_owner, reason="Score 25")

    grow(2)
    few = [_queries_for(client, url) for url in urls]
    grow(20)
    assert [_queries_for(client, url) for url in urls] == few
