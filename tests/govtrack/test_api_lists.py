"""What every API list offers: filters that never ignore a value, date ranges, incremental sync, cursors,
and bodies whose unknown fields are refused."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from registers.models import Risk


@pytest.fixture
def api(api_client, manager_a):
    api_client.force_authenticate(manager_a)
    return api_client


@pytest.mark.parametrize(("url", "param"), [
    ("register-list", "level"), ("risk-list", "status"), ("escalation-list", "kind"), ("system-list", "lifecycle"),
])
def test_an_empty_filter_is_a_400_naming_it(api, corporate, url, param):
    response = api.get(reverse(url), {param: ""})
    assert response.status_code == 400 and param in response.json()


def test_a_value_a_filter_cannot_take_is_a_400_naming_it(api, corporate):
    response = api.get(reverse("register-list"), {"level": "galactic"})
    assert response.status_code == 400 and "level" in response.json()
    assert api.get(reverse("risk-list"), {"review_date_after": "yesterday"}).json().keys() == {"review_date_after"}
    assert api.get(reverse("risk-list"), {"modified_since": "2026-13-01"}).status_code == 400


def test_date_fields_filter_by_range(api, make_risk):
    early = make_risk(title="Early", review_date=timezone.localdate() - timedelta(days=30))
    make_risk(title="Late", review_date=timezone.localdate() + timedelta(days=30))
    day = timezone.localdate().isoformat()
    titles = [r["title"] for r in api.get(reverse("risk-list"), {"review_date_before": day}).json()["results"]]
    assert titles == [early.title]
    titles = [r["title"] for r in api.get(reverse("risk-list"), {"review_date_after": day}).json()["results"]]
    assert titles == ["Late"]


def test_modified_since_lists_what_changed_archived_records_included(api, make_risk, manager_a):
    now = timezone.now()
    with time_machine.travel(now - timedelta(days=3), tick=False):
        make_risk(title="Untouched")
        archived = make_risk(title="Archived since")
        edited = make_risk(title="Edited since")
    with time_machine.travel(now, tick=False):
        archived.archive(by=manager_a)
        edited.title = "Edited since, renamed"
        edited.save()
    since = (now - timedelta(days=1)).isoformat()
    rows = api.get(reverse("risk-list"), {"modified_since": since}).json()["results"]
    assert {r["title"]: bool(r["archived_at"]) for r in rows} == {"Archived since": True,
                                                                  "Edited since, renamed": False}
    # Without modified_since a list still leaves archived records out.
    assert "Archived since" not in [r["title"] for r in api.get(reverse("risk-list")).json()["results"]]


def test_a_cursor_walks_a_list_in_id_order_without_skipping_or_repeating(api, make_risk):
    risks = [make_risk(title=f"Risk {n:02d}") for n in range(7)]
    seen, url, params = [], reverse("risk-list"), {"cursor": "", "page_size": 3}
    while url:
        body = api.get(url, params).json()
        assert body["count"] is None
        seen += [r["id"] for r in body["results"]]
        if len(seen) == 3:
            make_risk(title="Added while walking")  # a higher id: it comes at the end, nothing shifts
        url, params = body["next"], None
    assert seen[:7] == [r.pk for r in risks] and len(seen) == 8
    assert api.get(reverse("risk-list"), {"cursor": "not-a-cursor"}).status_code == 404


def test_numbered_pages_still_count(api, make_risk):
    make_risk()
    assert api.get(reverse("risk-list")).json()["count"] == 1


@pytest.mark.parametrize("size", [3, 30])
def test_a_cursor_page_runs_a_constant_number_of_queries(api, make_risk, size, django_assert_num_queries):
    for _ in range(size):
        make_risk()
    api.get(reverse("risk-list"), {"cursor": ""})  # warm the cached matrix
    with django_assert_num_queries(5):
        assert api.get(reverse("risk-list"), {"cursor": "", "page_size": 500}).status_code == 200


def test_an_unknown_field_in_a_body_is_refused_and_nothing_is_saved(api, make_risk):
    risk = make_risk(title="As it was")
    response = api.patch(reverse("risk-detail", args=[risk.pk]), {"title": "New", "titel": "typo"}, format="json")
    assert response.status_code == 400 and "titel" in response.json() and "title" not in response.json()
    risk.refresh_from_db()
    assert risk.title == "As it was"
    body = api.get(reverse("risk-detail", args=[risk.pk])).json()
    body["title"] = "Sent back whole"  # what a client read (read-only fields included) is not unknown
    response = api.put(reverse("risk-detail", args=[risk.pk]), body, format="json")
    assert response.status_code == 200, response.json()
    assert Risk.objects.get(pk=risk.pk).title == "Sent back whole"


def test_every_api_answer_names_its_version_and_a_deprecated_operation_says_when_it_goes(api, monkeypatch):
    from datetime import date

    from govtrack.api import versioning

    response = api.get(reverse("register-list"))
    assert response["API-Version"] == "1" and "Deprecation" not in response
    monkeypatch.setitem(versioning.DEPRECATED, "register-list",
                        versioning.Deprecation(since=date(2027, 1, 1), sunset=date(2027, 7, 1), anchor="registers"))
    response = api.get(reverse("register-list"))
    assert response["Deprecation"] == "@1798761600"
    assert response["Sunset"] == "Thu, 01 Jul 2027 00:00:00 GMT"
    assert response["Link"].endswith('/api/docs/#registers>; rel="deprecation"')


def test_a_list_comes_as_csv_with_the_same_filters_and_formulas_neutralised(api, make_risk):
    import csv
    import io

    make_risk(title="=HYPERLINK(\"http://evil.example\")", status=Risk.Status.OPEN)
    make_risk(title="Closed one", status=Risk.Status.CLOSED)
    response = api.get(reverse("risk-list"), {"format": "csv", "status": "open"})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"] == 'attachment; filename="risk.csv"'
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [r["title"] for r in rows] == ["'=HYPERLINK(\"http://evil.example\")"]
    assert "register" in rows[0] and "version" in rows[0]
    assert api.get(reverse("risk-list"), {"format": "csv", "status": ""}).status_code == 400
