"""The webhook pages: only an organisation's admin registers and manages its endpoints."""

import pytest
from django.urls import reverse

from govtrack import events
from tests.factories import member
from webhooks.models import Delivery, Endpoint


@pytest.fixture
def admin_b(org_b):
    from govtrack.models import Membership

    return member(org_b, Membership.Role.ADMIN, "admin-b")


def _register(client, org, **data):
    return client.post(reverse("webhooks:endpoint_list", kwargs={"org": org.slug}),
                       {"name": "Service desk", "url": "https://93.184.215.14/hook",
                        "events": [events.BREACH_RECORDED], **data})


def test_an_admin_registers_an_endpoint_and_sees_its_secret_once(login, admin_a, org_a, settings):
    settings.WEBHOOK_ALLOW_PRIVATE_URLS = False
    client = login(admin_a)
    response = _register(client, org_a)
    endpoint = Endpoint.objects.get()
    assert response.status_code == 200 and endpoint.secret in response.content.decode()
    assert endpoint.events == [events.BREACH_RECORDED] and endpoint.created_by == admin_a
    page = client.get(endpoint.get_absolute_url()).content.decode()
    assert endpoint.secret not in page and endpoint.secret_hint in page
    assert endpoint.secret not in client.get(reverse("webhooks:endpoint_list", kwargs={"org": org_a.slug})
                                             ).content.decode()


@pytest.mark.parametrize(("data", "field_message"), [
    ({"url": "http://93.184.215.14/hook"}, "https://"),
    ({"url": "https://10.0.0.8/hook"}, "private network"),
    ({"events": ["risk.exploded"]}, "not one of the available choices"),
    ({"events": []}, "This field is required"),
])
def test_a_bad_address_or_event_is_refused_on_the_form(login, admin_a, org_a, settings, data, field_message):
    settings.WEBHOOK_ALLOW_PRIVATE_URLS = False
    response = _register(login(admin_a), org_a, **data)
    assert response.status_code == 200 and field_message in response.content.decode()
    assert not Endpoint.objects.exists()


@pytest.mark.parametrize("persona", ["viewer_a", "officer_a", "manager_a", "auditor_a"])
def test_only_an_admin_may_see_or_register_webhooks(request, login, org_a, persona, admin_a):
    endpoint = Endpoint.objects.create(organisation=org_a, name="Desk", url="https://93.184.215.14/",
                                       events=[events.BREACH_RECORDED])
    client = login(request.getfixturevalue(persona))
    assert client.get(reverse("webhooks:endpoint_list", kwargs={"org": org_a.slug})).status_code == 403
    assert _register(client, org_a).status_code == 403
    assert client.get(endpoint.get_absolute_url()).status_code == 403
    assert client.post(reverse("webhooks:endpoint_action", args=[endpoint.pk, "rotate"])).status_code == 403
    assert Endpoint.objects.count() == 1


def test_another_organisations_admin_finds_nothing(login, org_a, admin_b):
    endpoint = Endpoint.objects.create(organisation=org_a, name="Desk", url="https://93.184.215.14/",
                                       events=[events.BREACH_RECORDED])
    delivery = Delivery.objects.create(endpoint=endpoint, event="ping", payload={}, status="failed")
    client = login(admin_b)
    assert client.get(reverse("webhooks:endpoint_list", kwargs={"org": org_a.slug})).status_code == 404
    for name in ("endpoint_detail", "endpoint_update"):
        assert client.get(reverse(f"webhooks:{name}", args=[endpoint.pk])).status_code == 404
    assert client.post(reverse("webhooks:endpoint_action", args=[endpoint.pk, "disable"])).status_code == 404
    assert client.post(reverse("webhooks:redeliver", args=[delivery.pk])).status_code == 404
    endpoint.refresh_from_db()
    assert endpoint.enabled


def test_rotating_the_secret_shows_the_new_one_once_and_the_old_stops(login, admin_a, org_a):
    endpoint = Endpoint.objects.create(organisation=org_a, name="Desk", url="https://93.184.215.14/",
                                       events=[events.BREACH_RECORDED])
    old = endpoint.secret
    response = login(admin_a).post(reverse("webhooks:endpoint_action", args=[endpoint.pk, "rotate"]))
    endpoint.refresh_from_db()
    assert endpoint.secret != old and endpoint.secret in response.content.decode()
    history_fields = {f.name for f in endpoint.history.model._meta.fields}
    assert "secret" not in history_fields and "url" in history_fields  # no secret is kept in the trail


def test_disabling_enabling_and_archiving(login, admin_a, org_a):
    endpoint = Endpoint.objects.create(organisation=org_a, name="Desk", url="https://93.184.215.14/",
                                       events=[events.BREACH_RECORDED])
    client = login(admin_a)
    client.post(reverse("webhooks:endpoint_action", args=[endpoint.pk, "disable"]))
    endpoint.refresh_from_db()
    assert not endpoint.enabled and endpoint.disabled_reason
    client.post(reverse("webhooks:endpoint_action", args=[endpoint.pk, "enable"]))
    endpoint.refresh_from_db()
    assert endpoint.enabled and endpoint.consecutive_failures == 0
    assert client.post(reverse("webhooks:endpoint_action", args=[endpoint.pk, "explode"])).status_code == 404
    client.post(reverse("webhooks:endpoint_action", args=[endpoint.pk, "archive"]))
    endpoint.refresh_from_db()
    assert endpoint.is_archived and not endpoint.enabled


def test_a_stale_edit_is_refused(login, admin_a, org_a):
    endpoint = Endpoint.objects.create(organisation=org_a, name="Desk", url="https://93.184.215.14/",
                                       events=[events.BREACH_RECORDED])
    opened = endpoint.version
    Endpoint.objects.get(pk=endpoint.pk).save()  # someone else saved it meanwhile
    response = login(admin_a).post(reverse("webhooks:endpoint_update", args=[endpoint.pk]), {
        "name": "Renamed", "url": endpoint.url, "events": [events.ACTION_OVERDUE], "version": opened})
    assert response.status_code == 200 and "changed this record" in response.content.decode()
    endpoint.refresh_from_db()
    assert endpoint.name == "Desk"


def _queries(client, url) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_pages_run_the_same_number_of_queries_however_many_endpoints_and_deliveries(login, admin_a, org_a):
    endpoint = Endpoint.objects.create(organisation=org_a, name="Desk", url="https://93.184.215.14/",
                                       events=[events.BREACH_RECORDED])
    Delivery.objects.create(endpoint=endpoint, event="ping", payload={}, status="failed")
    client = login(admin_a)
    pages = [endpoint.get_absolute_url(), reverse("webhooks:endpoint_list", kwargs={"org": org_a.slug})]
    client.get(pages[0])  # a first request loads what every page needs once
    small = [_queries(client, url) for url in pages]
    Endpoint.objects.bulk_create([Endpoint(organisation=org_a, name=f"Desk {n}", url="https://93.184.215.14/",
                                           events=[events.BREACH_RECORDED]) for n in range(60)])
    Delivery.objects.bulk_create([Delivery(endpoint=endpoint, event="ping", payload={"id": n}, status="failed")
                                  for n in range(60)])
    assert [_queries(client, url) for url in pages] == small
    assert max(small) <= 20
