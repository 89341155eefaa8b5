"""Search finds records by their words, only among what the person may see, grouped by kind."""

import pytest

from govtrack.search import MAX_WORDS, words
from tests.registers.factories import RegisterFactory, RiskActionFactory, RiskFactory
from tests.systems_catalogue.factories import SystemFactory


@pytest.fixture
def records(org_a, org_b):
    register_a = RegisterFactory(organisation=org_a)
    risk = RiskFactory(register=register_a, title="Flo supplier collapse",
                       cause="The supplier went into administration")
    RiskActionFactory(risk=risk, description="Find another supplier for Flo")
    SystemFactory(organisation=org_a, name="Flo", purpose="Social care case management")
    RiskFactory(register=RegisterFactory(organisation=org_b), title="Flo at Newport: secret")
    SystemFactory(organisation=org_b, name="Flo Newport secret system")
    return risk


def test_search_groups_hits_by_kind_and_links_to_each(login, officer_a, records):
    page = login(officer_a).get("/search/", {"q": "flo"}).content.decode()
    assert "Risks (1)" in page and "Systems (1)" in page and "Risk actions (1)" in page
    assert f"/registers/risks/{records.pk}/" in page
    assert "secret" not in page


def test_every_word_must_match(login, officer_a, records):
    page = login(officer_a).get("/search/", {"q": "supplier administration"}).content.decode()
    assert "Flo supplier collapse" in page
    assert "Nothing you can see matches" in login(officer_a).get("/search/", {"q": "flo unicorn"}).content.decode()


def test_another_organisation_finds_none_of_it(login, officer_b, records):
    page = login(officer_b).get("/search/", {"q": "supplier"}).content.decode()
    assert "Flo supplier collapse" not in page


def test_one_kind_in_full_pages_through(login, officer_a, org_a):
    register = RegisterFactory(organisation=org_a)
    for n in range(12):
        RiskFactory(register=register, title=f"Cyber attack {n}")
    client = login(officer_a)
    page = client.get("/search/", {"q": "cyber"}).content.decode()
    assert "Risks (12)" in page and "kind=risks" in page
    page = client.get("/search/", {"q": "cyber", "kind": "risks"}).content.decode()
    assert page.count("Cyber attack") >= 12


def test_bad_input_is_a_message_not_an_error(login, officer_a):
    client = login(officer_a)
    assert client.get("/search/").status_code == 200
    response = client.get("/search/", {"q": "x" * 5000, "kind": "nonsense"})
    assert response.status_code == 200 and "at most 200 characters" in response.content.decode()
    assert client.get("/search/", {"q": "\x00 %%% ' OR 1=1 --"}).status_code == 200
    assert len(words(" ".join(["w"] * 50))) == MAX_WORDS


def test_search_costs_the_same_queries_however_many_hits(login, officer_a, org_a, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    register = RegisterFactory(organisation=org_a)
    RiskFactory(register=register, title="Cyber attack")
    SystemFactory(organisation=org_a, name="Cyber defence")
    client = login(officer_a)
    client.get("/search/", {"q": "cyber"})
    with CaptureQueriesContext(connection) as few:
        client.get("/search/", {"q": "cyber"})
    for n in range(25):
        RiskFactory(register=register, title=f"Cyber attack {n}")
        SystemFactory(organisation=org_a, name=f"Cyber defence {n}")
    with django_assert_num_queries(len(few.captured_queries)):
        client.get("/search/", {"q": "cyber"})


def test_the_search_box_is_on_every_page(login, officer_a):
    assert 'role="search"' in login(officer_a).get("/notifications/").content.decode()
