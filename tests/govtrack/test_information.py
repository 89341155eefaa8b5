"""The accessibility statement, privacy notice and help page: public, linked from every page's footer."""

import pytest
from django.test import Client

PAGES = {"/accessibility/": "Accessibility statement for govtrack", "/privacy/": "Privacy notice", "/help/": "Glossary"}


@pytest.mark.parametrize("url,heading", PAGES.items())
def test_the_pages_a_public_service_must_have_are_open_to_everyone(db, url, heading):
    response = Client().get(url)
    assert response.status_code == 200
    assert heading in response.content.decode()


def test_every_page_links_to_them_from_its_footer(db, officer_a, client):
    client.force_login(officer_a)
    page = client.get("/").content.decode()
    footer = page[page.index("govuk-footer"):]
    for url in PAGES:
        assert f'href="{url}"' in footer


def test_the_statement_names_who_runs_the_service_and_how_to_reach_them(db, settings):
    settings.GOVTRACK_OPERATOR = "Monmouthshire County Council"
    settings.GOVTRACK_CONTACT_EMAIL = "digital@example.gov.uk"
    page = Client().get("/accessibility/").content.decode()
    assert "run by Monmouthshire County Council" in page
    assert 'href="mailto:digital@example.gov.uk"' in page
    assert "partially compliant" in page and "Non-accessible content" in page


def test_the_glossary_explains_the_words_boards_read(db):
    page = Client().get("/help/").content.decode()
    for term in ("Appetite", "Inherent score", "Residual (current) score", "Threshold", "Escalation", "Breach", "RAG"):
        assert f">{term}</dt>" in page
