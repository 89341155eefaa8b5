"""The API's kernel: token and session authentication, scoping, schema and docs."""

import pytest


def test_service_account_sees_only_its_organisation(token_client, org_a, org_b):
    response = token_client.get("/api/v1/organisations/")
    assert response.status_code == 200
    assert [o["slug"] for o in response.json()["results"]] == ["org-a"]
    assert token_client.get(f"/api/v1/organisations/{org_b.slug}/").status_code == 404


def test_me_names_the_caller_and_their_role(token_client):
    body = token_client.get("/api/v1/me/").json()
    assert body["is_service_account"] is True
    assert body["organisations"] == [
        {
            "slug": "org-a",
            "name": "Monmouthshire County Council",
            "short_name": "Monmouthshire",
            "kind": "council",
            "website": "",
            "role": "officer",
        }
    ]


def test_anonymous_api_calls_are_refused_with_json(api_client, org_a):
    response = api_client.get("/api/v1/organisations/")
    assert response.status_code in (401, 403)
    assert "detail" in response.json()


def test_bad_token_is_refused(api_client, org_a):
    api_client.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")
    assert api_client.get("/api/v1/me/").status_code == 401


def test_browser_session_works_for_the_api(client, officer_b, org_a, org_b):
    client.force_login(officer_b)
    slugs = [o["slug"] for o in client.get("/api/v1/organisations/").json()["results"]]
    assert slugs == ["org-b"]


def test_schema_and_docs_are_served_without_a_cdn(client, officer_a):
    schema = client.get("/api/schema/")
    assert schema.status_code == 200 and b"openapi: 3" in schema.content
    docs = client.get("/api/docs/")
    assert docs.status_code == 200
    html = docs.content.decode()
    assert "cdn." not in html and "unpkg" not in html and "/static/drf_spectacular_sidecar/" in html


@pytest.mark.parametrize("count", [2, 12])
def test_organisation_list_runs_a_constant_number_of_queries(count, django_assert_num_queries, client, superuser):
    from tests.conftest import sign_in
    from tests.factories import OrganisationFactory

    OrganisationFactory.create_batch(count)
    sign_in(client, superuser)
    # savepoint and release (atomic requests), session, user, the second factor's device, count, page,
    # the caller's roles
    with django_assert_num_queries(8):
        assert client.get("/api/v1/organisations/").status_code == 200
