"""Nothing lost: an edit made from an older version of a record is refused, saying what changed."""

import re

import pytest
from django.urls import reverse

from registers.models import Risk


@pytest.fixture
def risk(make_risk, officer_a):
    return make_risk(officer_owner=officer_a, progress="Supplier contacted.")


def _edit_data(page: str, **changes) -> dict:
    """What the edit page would submit: its inputs, selected options and text areas."""
    page = page[page.index("<main"):page.index("</main>")]
    data = {}
    for name, value in re.findall(r'<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"', page):
        data[name] = value
    for attributes, body in re.findall(r'<select([^>]*)>(.*?)</select>', page, re.S):
        name = re.search(r'name="([^"]+)"', attributes).group(1)
        chosen = re.findall(r'<option value="([^"]*)"[^>]*selected', body)
        data[name] = chosen if "multiple" in attributes else (chosen[0] if chosen else "")
    for name, text in re.findall(r'<textarea[^>]*name="([^"]+)"[^>]*>\n?(.*?)</textarea>', page, re.S):
        data[name] = text
    data.pop("csrfmiddlewaretoken", None)
    return data | changes


def test_the_second_of_two_editors_is_told_what_changed_and_keeps_what_they_typed(client, risk, officer_a, manager_a):
    from django.test import Client

    url = reverse("registers:risk_edit", args=[risk.pk])
    first, second = Client(), Client()
    first.force_login(officer_a)
    second.force_login(manager_a)
    first_form = _edit_data(first.get(url).content.decode(), progress="Exit plan agreed with CMC2.")
    second_form = _edit_data(second.get(url).content.decode(), progress="Board asked for a costed option.")
    assert first.post(url, first_form).status_code == 302

    refused = second.post(url, second_form)
    page = refused.content.decode()
    assert refused.status_code == 200
    assert "changed this record after you opened it" in page and "Progress comments" in page
    assert "Board asked for a costed option." in page  # what they typed is still there
    risk.refresh_from_db()
    assert risk.progress == "Exit plan agreed with CMC2."

    again = _edit_data(page)  # the page now carries the current version: saving again is deliberate
    assert second.post(url, again).status_code == 302
    risk.refresh_from_db()
    assert risk.progress == "Board asked for a costed option."


def test_a_record_counts_its_saves(risk):
    assert risk.version == 1
    risk.title = "Renamed"
    risk.save()
    risk.archive(by=None)
    assert Risk.objects.get(pk=risk.pk).version == 3


def _detail(risk):
    return reverse("risk-detail", args=[risk.pk])


def test_the_api_gives_the_version_as_etag_and_refuses_a_stale_if_match(api_client, risk, officer_a):
    api_client.force_authenticate(officer_a)
    etag = api_client.get(_detail(risk))["ETag"]
    assert etag == '"1"'
    changed = api_client.patch(_detail(risk), {"progress": "First"}, format="json", HTTP_IF_MATCH=etag)
    assert changed.status_code == 200 and changed["ETag"] == '"2"'
    stale = api_client.patch(_detail(risk), {"progress": "Second"}, format="json", HTTP_IF_MATCH=etag)
    assert stale.status_code == 412
    body = stale.json()
    assert body["current_version"] == 2 and [c["field"] for c in body["changed"]] == ["progress"]
    assert Risk.objects.get(pk=risk.pk).progress == "First"


def test_an_unreadable_if_match_is_refused_not_ignored(api_client, risk, officer_a):
    api_client.force_authenticate(officer_a)
    response = api_client.put(_detail(risk), {"title": "x"}, format="json", HTTP_IF_MATCH='"stale"')
    assert response.status_code == 400
    assert Risk.objects.get(pk=risk.pk).title == risk.title


def test_a_stale_version_field_gives_409(api_client, risk, officer_a):
    api_client.force_authenticate(officer_a)
    assert api_client.patch(_detail(risk), {"progress": "First", "version": 1}, format="json").status_code == 200
    stale = api_client.patch(_detail(risk), {"progress": "Second", "version": 1}, format="json")
    assert stale.status_code == 409 and stale.json()["current_version"] == 2
    assert api_client.get(_detail(risk)).json()["version"] == 2


def test_a_service_account_must_say_which_version_it_changes(token_client, make_risk, service_account_a):
    from govtrack.models import Membership

    account, _token = service_account_a
    Membership.objects.filter(user=account.user).update(role=Membership.Role.MANAGER)
    risk = make_risk()
    response = token_client.patch(_detail(risk), {"progress": "From the feed"}, format="json")
    assert response.status_code == 428
    assert token_client.patch(_detail(risk), {"progress": "From the feed"}, format="json",
                              HTTP_IF_MATCH="*").status_code == 200
