"""/api/v1/notifications/ (each person's own) and /api/v1/check-runs/ (their organisations' runs)."""

import pytest
from django.urls import reverse

from govtrack.models import ApiToken, CheckRun, Notification, notify


@pytest.fixture
def api(api_client, officer_a):
    api_client.force_authenticate(officer_a)
    return api_client


def test_a_person_reads_only_their_own_notices_and_marks_one_read(api, officer_a, officer_b, org_a):
    notify(recipient=officer_a, key="k1", subject="Review due", organisation=org_a)
    notify(recipient=officer_b, key="k2", subject="Someone else's")
    rows = api.get(reverse("notification-list")).json()["results"]
    assert [r["subject"] for r in rows] == ["Review due"] and rows[0]["organisation"] == org_a.slug
    theirs = Notification.objects.get(recipient=officer_b)
    assert api.get(reverse("notification-detail", args=[theirs.pk])).status_code == 404
    assert api.post(reverse("notification-read", args=[theirs.pk])).status_code == 404
    mine = Notification.objects.get(recipient=officer_a)
    assert api.get(reverse("notification-list"), {"unread": "true"}).json()["count"] == 1
    assert api.post(reverse("notification-read", args=[mine.pk])).json()["read_at"]
    assert api.get(reverse("notification-list"), {"unread": "true"}).json()["count"] == 0
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_a_read_only_token_cannot_mark_a_notice_read(api_client, officer_a, org_a):
    notify(recipient=officer_a, key="k1", subject="Review due", organisation=org_a)
    _token, key = ApiToken.new(user=officer_a, name="ro", permission=ApiToken.Permission.READ,
                               expires_at=None, created_by=officer_a)
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    notice = Notification.objects.get()
    assert api_client.post(reverse("notification-read", args=[notice.pk])).status_code == 403
    notice.refresh_from_db()
    assert notice.read_at is None


def test_check_runs_are_those_of_the_callers_organisations(api, org_a, org_b):
    mine = CheckRun.objects.create(name="escalations", organisation=org_a, created=2)
    theirs = CheckRun.objects.create(name="escalations", organisation=org_b, created=5)
    CheckRun.objects.create(name="escalations", organisation=None, created=7)  # across everyone: not shown
    assert [r["id"] for r in api.get(reverse("checkrun-list")).json()["results"]] == [mine.pk]
    assert api.get(reverse("checkrun-detail", args=[theirs.pk])).status_code == 404
    assert api.get(reverse("checkrun-list"), {"name": ""}).status_code == 400


def _queries(api, url) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        assert api.get(url).status_code == 200
    return len(captured)


def test_both_lists_run_the_same_number_of_queries_however_long(api, officer_a, org_a):
    urls = [reverse("notification-list"), reverse("checkrun-list")]

    def add(first, last):
        for n in range(first, last):
            notify(recipient=officer_a, key=f"k{n}", subject=f"Notice {n}", organisation=org_a)
            CheckRun.objects.create(name=f"check {n}", organisation=org_a)

    add(0, 2)
    for url in urls:  # a first request loads the caller's roles once
        api.get(url)
    small = [_queries(api, url) for url in urls]
    add(2, 40)
    large = [_queries(api, url) for url in urls]
    assert large == small, large
    assert max(small) <= 4  # transaction savepoints included: a count and a page
