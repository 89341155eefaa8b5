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


# -- writes are scoped as reads are: the reproductions of a partner linking another organisation's records --------


def _risk_payload(project, **extra):
    return {"organisation": project.organisation.slug, "register": project.pk, "reference": "NP-1",
            "title": "Linked", "inherent_likelihood": 3, "inherent_impact": 3, "current_likelihood": 2,
            "current_impact": 2, **extra}


def test_a_risk_cannot_link_another_organisations_systems(api_client, project, project_owner, org_b):
    from tests.systems_catalogue.factories import SystemFactory

    theirs = [SystemFactory(organisation=org_b, name=f"Newport {n}").pk for n in range(3)]
    response = _client(api_client, project_owner).post(reverse("risk-list"), _risk_payload(project, systems=theirs),
                                                       format="json")
    assert response.status_code == 400
    assert "systems" in response.json()
    assert "Newport" not in response.content.decode()
    assert not Risk.objects.filter(reference="NP-1").exists()


def test_a_risk_cannot_be_owned_by_someone_of_another_organisation(api_client, project, project_owner, officer_b):
    response = _client(api_client, project_owner).post(
        reverse("risk-list"), _risk_payload(project, officer_owner=officer_b.pk), format="json")
    assert response.status_code == 400 and "officer_owner" in response.json()


def test_a_manager_who_is_a_viewer_elsewhere_cannot_move_a_risk_there(api_client, make_risk, manager_a, org_b):
    from govtrack.models import Membership
    from tests.registers.factories import RegisterFactory

    Membership.objects.create(user=manager_a, organisation=org_b, role=Membership.Role.VIEWER)
    theirs = RegisterFactory(organisation=org_b, slug="corporate")
    risk = make_risk()
    response = _client(api_client, manager_a).patch(
        reverse("risk-detail", args=[risk.pk]), {"organisation": org_b.slug, "register": theirs.pk}, format="json")
    assert response.status_code == 400
    assert response.json()["organisation"] == ["A record stays in the organisation it was created in."]
    risk.refresh_from_db()
    assert (risk.organisation_id, risk.register_id) != (org_b.pk, theirs.pk)


def test_an_officer_cannot_create_a_register_through_the_api_as_on_the_page(api_client, officer_a, org_a):
    payload = {"organisation": org_a.slug, "name": "Shadow", "slug": "shadow", "level": "corporate"}
    response = _client(api_client, officer_a).post(reverse("register-list"), payload, format="json")
    assert response.status_code == 400 and "organisation" in response.json()  # not an organisation they create in
    api_client.force_login(officer_a)
    assert api_client.get(reverse("registers:register_create", args=[org_a.slug])).status_code == 403


def test_a_registers_owner_parent_and_directorate_must_be_of_its_organisation(api_client, manager_a, org_a, org_b,
                                                                            officer_b):
    from tests.factories import DirectorateFactory
    from tests.registers.factories import RegisterFactory

    their_parent = RegisterFactory(organisation=org_b, slug="their-corporate")
    their_directorate = DirectorateFactory(organisation=org_b)
    base = {"organisation": org_a.slug, "name": "Resources", "slug": "resources", "level": "directorate"}
    client = _client(api_client, manager_a)
    for field, value in (("owner", officer_b.pk), ("parent", their_parent.pk), ("directorate", their_directorate.pk)):
        response = client.post(reverse("register-list"), base | {field: value}, format="json")
        assert response.status_code == 400 and field in response.json(), field
