"""/api/v1/integrations/ and /api/v1/risk-reviews/: a partner's developer maps the data flows between systems
and reads every risk review for trends, scoped like every other list, in a fixed number of queries."""

from datetime import date

from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from registers.models import RiskReview
from tests.registers.factories import RiskFactory
from tests.systems_catalogue.factories import SystemFactory


def _client(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_an_officer_records_a_flow_between_two_of_their_systems_and_nobody_else_sees_it(org_a, org_b, officer_a,
                                                                                          officer_b):
    source, target = SystemFactory(organisation=org_a, owner=officer_a), SystemFactory(organisation=org_a)
    client = _client(officer_a)
    created = client.post("/api/v1/integrations/", {"source": source.pk, "target": target.pk,
                                                    "description": "nightly payments file"}, format="json")
    assert created.status_code == 201, created.json()
    again = client.post("/api/v1/integrations/", {"source": source.pk, "target": target.pk}, format="json")
    assert again.status_code == 400
    itself = client.post("/api/v1/integrations/", {"source": target.pk, "target": target.pk}, format="json")
    assert itself.status_code == 400
    assert client.get("/api/v1/integrations/", {"source": source.pk}).json()["count"] == 1
    assert _client(officer_b).get("/api/v1/integrations/").json()["count"] == 0
    assert _client(officer_b).get(f"/api/v1/integrations/{created.json()['id']}/").status_code == 404


def test_risk_reviews_list_every_visible_review_in_the_same_queries_however_many(project, officer_a, officer_b):
    risk = RiskFactory(register=project)
    client = _client(officer_a)

    def review(n):
        RiskReview.objects.create(risk=risk, reviewed_on=date(2026, 1, n), reviewed_by=officer_a,
                                  inherent_likelihood=3, inherent_impact=3, current_likelihood=3,
                                  current_impact=n % 5 + 1, next_review_on=date(2026, 4, n))

    review(5)
    asked = {"risk": risk.pk, "reviewed_on_after": "2026-01-05"}
    client.get("/api/v1/risk-reviews/", asked)
    with CaptureQueriesContext(connection) as few:
        assert client.get("/api/v1/risk-reviews/", asked).json()["count"] == 1
    for n in (*range(1, 5), *range(6, 12)):
        review(n)
    with CaptureQueriesContext(connection) as many:
        body = client.get("/api/v1/risk-reviews/", asked).json()
    assert body["count"] == 7 and body["results"][0]["reviewed_by"] == officer_a.username
    assert len(many.captured_queries) == len(few.captured_queries)
    assert _client(officer_b).get("/api/v1/risk-reviews/").json()["count"] == 0
