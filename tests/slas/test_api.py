"""The SLA API: both parties read, an outsider sees nothing, PUT /measurements/ is idempotent with history,
a month in bulk is all or nothing with row errors, and lists keep their query count."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from slas import services
from slas.models import Agreement, Breach, Measurement


def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def agreed(agreement, availability, fix_time, second_manager_a):
    services.approve_agreement(agreement=agreement, by=second_manager_a)
    return agreement


def test_put_creates_then_updates_the_same_figure_and_keeps_history(agreed, availability, provider_officer,
                                                                    token_client):
    client = api(provider_officer)
    body = {"service_line": availability.pk, "period": "2024-05-01", "actual": "98.0"}
    first = client.put("/api/v1/measurements/", body, format="json")
    assert first.status_code == 201, first.json()
    assert first.json()["breach"] is True and first.json()["submitted_by"] == "srs-officer"
    second = token_client.put("/api/v1/measurements/", body | {"actual": "99.7"}, format="json")
    assert second.status_code == 200, second.json()
    assert second.json()["id"] == first.json()["id"] and second.json()["breach"] is False
    measurement = Measurement.objects.get()
    assert [h.actual for h in measurement.history.order_by("history_date")] == [Decimal("98"), Decimal("99.7")]
    assert measurement.history.latest().history_user.service_account is not None
    assert Measurement.objects.count() == 1 and Breach.objects.open().count() == 0


def test_bad_measurements_get_field_errors_and_change_nothing(agreed, availability, agreement_b, provider_officer,
                                                              officer_b, viewer_a):
    client = api(provider_officer)
    outside = client.put("/api/v1/measurements/", {"service_line": availability.pk, "period": "2022-01-01",
                                                   "actual": "99"}, format="json")
    assert outside.status_code == 400 and "outside" in str(outside.json()["period"])
    not_a_month = client.put("/api/v1/measurements/", {"service_line": availability.pk, "period": "2024-05-02",
                                                       "actual": "99"}, format="json")
    assert not_a_month.status_code == 400 and "period" in not_a_month.json()
    other = api(officer_b).put("/api/v1/measurements/", {"service_line": availability.pk, "period": "2024-05-01",
                                                         "actual": "99"}, format="json")
    assert other.status_code == 400 and "service_line" in other.json()  # another partner's line: not found
    viewer = api(viewer_a).put("/api/v1/measurements/", {"service_line": availability.pk, "period": "2024-05-01",
                                                         "actual": "99"}, format="json")
    assert viewer.status_code == 403
    assert not Measurement.objects.exists()


def test_a_misspelt_field_in_a_submission_is_refused_not_dropped(agreed, availability, provider_officer):
    """A partner's script sending ``comment`` for ``note`` (or ``actuals``) learns at once; nothing is saved."""
    client = api(provider_officer)
    one = client.put("/api/v1/measurements/", {"service_line": availability.pk, "period": "2024-05-01",
                                               "actual": "98.0", "comment": "outage"}, format="json")
    assert one.status_code == 400 and "comment" in one.json()
    month = client.post("/api/v1/measurements/bulk/", {"agreement": agreed.pk, "period": "2024-06-01",
                                                       "measurements": [{"service_line": availability.pk,
                                                                         "actuals": "99.9"}]}, format="json")
    assert month.status_code == 400 and "actuals" in str(month.json()["measurements"])
    outer = client.post("/api/v1/measurements/bulk/", {"agreement": agreed.pk, "period": "2024-06-01", "month": 6,
                                                       "measurements": [{"service_line": availability.pk,
                                                                         "actual": "99.9"}]}, format="json")
    assert outer.status_code == 400 and "month" in outer.json()
    assert not Measurement.objects.exists()


def test_a_month_in_bulk_is_all_or_nothing(agreed, availability, fix_time, agreement_b, provider_officer):
    client = api(provider_officer)
    other_line = agreement_b.lines.get()
    bad = client.post("/api/v1/measurements/bulk/", {"agreement": agreed.pk, "period": "2024-06-01", "measurements": [
        {"service_line": availability.pk, "actual": "99.9"}, {"service_line": other_line.pk, "actual": "1"}]},
        format="json")
    assert bad.status_code == 400
    rows = bad.json()["measurements"]
    assert rows[0] == {} and "service_line" in rows[1]
    assert not Measurement.objects.exists()
    good = client.post("/api/v1/measurements/bulk/", {"agreement": agreed.pk, "period": "2024-06-01",
                                                      "measurements": [{"service_line": availability.pk,
                                                                        "actual": "99.9"},
                                                                       {"service_line": fix_time.pk, "actual": "5"}]},
                       format="json")
    assert good.status_code == 200 and len(good.json()) == 2
    assert Breach.objects.get().service_line == fix_time


def test_partner_a_cannot_read_partner_bs_agreement_and_both_parties_can(agreed, agreement_b, officer_a,
                                                                         provider_officer, officer_b):
    def ids(user, url):
        return {row["id"] for row in api(user).get(url).json()["results"]}

    assert ids(officer_a, "/api/v1/agreements/") == {agreed.pk}
    assert ids(officer_b, "/api/v1/agreements/") == {agreement_b.pk}
    assert ids(provider_officer, "/api/v1/agreements/") == {agreed.pk, agreement_b.pk}
    assert api(officer_b).get(f"/api/v1/agreements/{agreed.pk}/").status_code == 404
    services.submit_measurement(service_line=agreed.lines.first(), period=date(2024, 5, 1), actual=1,
                                by=provider_officer)
    assert ids(officer_b, "/api/v1/measurements/") == set() and ids(officer_b, "/api/v1/breaches/") == set()
    assert len(ids(officer_a, "/api/v1/measurements/")) == 1 and len(ids(officer_a, "/api/v1/breaches/")) == 1


def test_approve_through_the_api(agreement, availability, manager_a, second_manager_a):
    refused = api(manager_a).post(f"/api/v1/agreements/{agreement.pk}/approve/")
    assert refused.status_code == 400 and "author" in str(refused.json())
    agreed = api(second_manager_a).post(f"/api/v1/agreements/{agreement.pk}/approve/")
    assert agreed.status_code == 200 and agreed.json()["status"] == "agreed"
    edit = api(second_manager_a).patch(f"/api/v1/agreements/{agreement.pk}/", {"annual_charge": "1"},
                                       format="json")
    assert edit.status_code == 400 and "new version" in str(edit.json())
    assert Agreement.objects.get(pk=agreement.pk).annual_charge != 1


def test_lists_run_a_fixed_number_of_queries(agreed, availability, fix_time, provider_officer, partnership,
                                             provider, org_a):
    client = api(provider_officer)

    def count(url):
        client.get(url)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    urls = ["/api/v1/agreements/", "/api/v1/service-lines/", "/api/v1/measurements/", "/api/v1/breaches/"]
    services.submit_measurement(service_line=availability, period=date(2024, 5, 1), actual=1, by=provider_officer)
    small = [count(url) for url in urls]
    for n in range(6):
        extra = Agreement.objects.create(title=f"Extra {n}", reference=f"X{n}", provider=provider, client=org_a)
        extra.lines.create(service="S", metric="M", target=1, direction="higher")
    for month in range(2, 12):
        services.submit_measurement(service_line=availability, period=date(2024, month, 1), actual=1,
                                    by=provider_officer)
    assert [count(url) for url in urls] == small
