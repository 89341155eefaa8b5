"""API tokens: hashed, scoped, expiring and revocable; personal tokens for a password, behind the sign-in lockout."""

import importlib
from datetime import timedelta

import pytest
import time_machine
from django.core.cache import cache
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from govtrack import services
from govtrack.models import ApiToken

TOKEN_URL = "/api/v1/auth/token/"


@pytest.fixture(autouse=True)
def _fresh_throttles():
    # The throttles count in the cache, which outlives a test.
    cache.clear()
    yield
    cache.clear()


def _token_of(account) -> ApiToken:
    return account.user.api_tokens.get()


def test_only_a_hash_and_a_short_prefix_of_the_key_are_stored(service_account_a):
    account, key = service_account_a
    token = _token_of(account)
    stored = [str(value) for value in ApiToken.objects.filter(pk=token.pk).values().get().values()]
    assert key not in stored
    assert token.prefix == key[: ApiToken.PREFIX_LENGTH] and len(key) > 40
    assert token.key_hash == ApiToken.hash_key(key)


@pytest.mark.parametrize("keyword", ["Token", "Bearer", "token"])
def test_the_token_and_bearer_headers_both_work(api_client, service_account_a, keyword):
    api_client.credentials(HTTP_AUTHORIZATION=f"{keyword} {service_account_a[1]}")
    assert api_client.get("/api/v1/me/").status_code == 200


def test_a_key_with_the_right_prefix_but_wrong_rest_is_refused(api_client, service_account_a):
    key = service_account_a[1]
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {key[:-4]}AAAA")
    response = api_client.get("/api/v1/me/")
    assert response.status_code == 401
    assert response.json() == {"detail": "That token is not valid."}


def test_a_read_only_token_cannot_write_and_nothing_is_written(api_client, org_a, admin_a):
    from systems_catalogue.models import System

    _account, key = services.create_service_account(
        organisation=org_a, name="Reader", role="officer", by=admin_a, token_scope=ApiToken.Permission.READ
    )
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert api_client.get("/api/v1/systems/").status_code == 200
    response = api_client.post("/api/v1/systems/", {"name": "Mosaic", "criticality": "critical"}, format="json")
    assert response.status_code == 403
    assert "read-only" in response.json()["detail"]
    assert not System.objects.filter(name="Mosaic").exists()


def test_an_expired_token_is_refused_with_a_json_401(api_client, service_account_a):
    account, key = service_account_a
    ApiToken.objects.filter(user=account.user).update(expires_at=timezone.now() - timedelta(minutes=1))
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    response = api_client.get("/api/v1/me/")
    assert response.status_code == 401
    assert response.json() == {"detail": "This token has expired."}


def test_a_revoked_token_cannot_write_either(api_client, service_account_a, admin_a):
    from systems_catalogue.models import System

    account, key = service_account_a
    services.revoke_token(token=_token_of(account), by=admin_a)
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    response = api_client.post("/api/v1/systems/", {"name": "Mosaic", "criticality": "critical"}, format="json")
    assert response.status_code == 401
    assert response.json() == {"detail": "This token has been revoked."}
    assert not System.objects.exists()


def test_last_used_time_is_written_at_most_once_a_minute(api_client, service_account_a):
    account, key = service_account_a
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        api_client.get("/api/v1/me/")
        first = _token_of(account).last_used_at
        assert first is not None
        traveller.shift(30)
        api_client.get("/api/v1/me/")
        assert _token_of(account).last_used_at == first
        traveller.shift(31)
        api_client.get("/api/v1/me/")
        assert _token_of(account).last_used_at > first


def test_admin_issues_a_second_token_with_its_scope_and_expiry_and_the_first_keeps_working(
    login, admin_a, org_a, service_account_a, api_client
):
    account, first_key = service_account_a
    response = login(admin_a).post(
        reverse("service_account_token_new", args=[org_a.slug, account.pk]),
        {"name": "Dashboard reader", "scope": "read", "expires_on": (timezone.localdate() + timedelta(days=90))},
    )
    assert response.status_code == 200
    second_key = response.context["new_token"]
    assert second_key in response.content.decode()
    second = ApiToken.objects.get(prefix=second_key[: ApiToken.PREFIX_LENGTH])
    assert (second.name, second.permission, second.created_by) == ("Dashboard reader", "read", admin_a)
    assert second.expires_at.date() == timezone.localdate() + timedelta(days=90)
    for key in (first_key, second_key):
        api_client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
        assert api_client.get("/api/v1/me/").status_code == 200


def test_a_token_cannot_be_issued_to_expire_in_the_past(login, admin_a, org_a, service_account_a):
    account, _key = service_account_a
    response = login(admin_a).post(
        reverse("service_account_token_new", args=[org_a.slug, account.pk]),
        {"name": "Old", "scope": "read", "expires_on": timezone.localdate() - timedelta(days=1)},
    )
    assert response.status_code == 200
    assert "must be in the future" in response.content.decode()
    assert account.user.api_tokens.count() == 1


def test_service_accounts_page_lists_each_token_with_scope_expiry_and_last_use(
    login, admin_a, org_a, service_account_a, token_client
):
    token_client.get("/api/v1/me/")
    page = login(admin_a).get(reverse("service_accounts", args=[org_a.slug])).content.decode()
    token = _token_of(service_account_a[0])
    assert token.prefix in page and service_account_a[1] not in page
    assert "Read and write" in page and "Never" in page
    assert timezone.localtime(token.last_used_at).strftime("%H:%M") in page


def test_service_accounts_page_runs_a_constant_number_of_queries(
    login, admin_a, org_a, django_assert_max_num_queries
):
    client = login(admin_a)
    for n in range(2):
        services.create_service_account(organisation=org_a, name=f"Feed {n}", role="viewer", by=admin_a)
    with django_assert_max_num_queries(30) as few:
        client.get(reverse("service_accounts", args=[org_a.slug]))
    for n in range(2, 8):
        account, _key = services.create_service_account(organisation=org_a, name=f"Feed {n}", role="viewer", by=admin_a)
        services.create_service_account_token(account=account, name="More", scope="read", expires_at=None, by=admin_a)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("service_accounts", args=[org_a.slug]))


def test_an_admin_of_b_cannot_revoke_a_token_of_a(login, org_b, service_account_a):
    from tests.factories import member

    admin_b = member(org_b, "admin", "admin-b")
    account, _key = service_account_a
    url = reverse("service_account_token_revoke", args=[org_b.slug, account.pk, _token_of(account).pk])
    assert login(admin_b).post(url).status_code == 404
    assert _token_of(account).revoked_at is None


@pytest.mark.parametrize("persona", ["manager_a", "officer_a"])
def test_only_admins_issue_or_revoke_tokens(request, login, persona, org_a, service_account_a):
    account, _key = service_account_a
    client = login(request.getfixturevalue(persona))
    assert client.post(reverse("service_account_token_new", args=[org_a.slug, account.pk])).status_code == 403
    url = reverse("service_account_token_revoke", args=[org_a.slug, account.pk, _token_of(account).pk])
    assert client.post(url).status_code == 403


# --- personal tokens --------------------------------------------------------------------------


def test_a_person_gets_a_personal_token_with_their_password(api_client, officer_a, settings):
    settings.API_TOKEN_DAYS = 30
    response = api_client.post(TOKEN_URL, {"username": "officer-a", "password": "correct-horse-battery"})
    assert response.status_code == 201
    body = response.json()
    token = ApiToken.objects.get(prefix=body["token"][: ApiToken.PREFIX_LENGTH])
    assert token.user == officer_a and token.permission == "read_write"
    assert abs(token.expires_at - (timezone.now() + timedelta(days=30))) < timedelta(minutes=1)
    api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {body['token']}")
    assert api_client.get("/api/v1/me/").json()["username"] == "officer-a"


def test_a_wrong_password_is_a_json_401_and_no_token(api_client, officer_a):
    response = api_client.post(TOKEN_URL, {"username": "officer-a", "password": "wrong"})
    assert response.status_code == 401
    assert response.json()["code"] == "invalid_credentials"
    assert not ApiToken.objects.exists()


def test_missing_fields_are_a_json_400_with_field_messages(api_client, db):
    response = api_client.post(TOKEN_URL, {"username": "officer-a"})
    assert response.status_code == 400
    assert "password" in response.json()


def test_failed_token_requests_count_towards_the_sign_in_pages_lockout(api_client, client, officer_a, settings):
    settings.AXES_FAILURE_LIMIT = 3
    for _attempt in range(3):
        api_client.post(TOKEN_URL, {"username": "officer-a", "password": "wrong"})
    locked = api_client.post(TOKEN_URL, {"username": "officer-a", "password": "correct-horse-battery"})
    assert locked.status_code == 403
    assert locked.json()["code"] == "locked_out"
    page = client.post(reverse("login"), {"username": "officer-a", "password": "correct-horse-battery"})
    assert page.status_code == 429
    assert "_auth_user_id" not in client.session


def test_a_person_with_two_factor_must_give_a_current_code(api_client, officer_a):
    device = TOTPDevice.objects.create(user=officer_a, name="Phone", confirmed=True)
    credentials = {"username": "officer-a", "password": "correct-horse-battery"}
    assert api_client.post(TOKEN_URL, credentials).json()["code"] == "otp_required"
    assert api_client.post(TOKEN_URL, {**credentials, "otp": "000000"}).json()["code"] == "otp_invalid"
    with time_machine.travel(timezone.now() + timedelta(seconds=60), tick=False):  # past the wait after a failure
        response = api_client.post(TOKEN_URL, {**credentials, "otp": f"{totp(device.bin_key):06d}"})
    assert response.status_code == 201


def test_wrong_codes_for_a_token_count_towards_the_lockout(api_client, officer_a, settings):
    settings.AXES_FAILURE_LIMIT = 2
    device = TOTPDevice.objects.create(user=officer_a, name="Phone", confirmed=True)
    credentials = {"username": "officer-a", "password": "correct-horse-battery"}
    with time_machine.travel(timezone.now(), tick=False) as clock:
        for _attempt in range(2):
            clock.shift(10)
            api_client.post(TOKEN_URL, {**credentials, "otp": "000000"})
        clock.shift(10)
        response = api_client.post(TOKEN_URL, {**credentials, "otp": f"{totp(device.bin_key):06d}"})
    assert response.status_code == 403 and response.json()["code"] == "locked_out"


def test_an_admin_without_two_factor_gets_no_token(api_client, admin_a):
    response = api_client.post(TOKEN_URL, {"username": "admin-a", "password": "correct-horse-battery"})
    assert response.status_code == 403
    assert response.json()["code"] == "otp_setup_required"


def test_a_service_account_cannot_use_the_token_endpoint(api_client, service_account_a):
    account, _key = service_account_a
    response = api_client.post(TOKEN_URL, {"username": account.user.username, "password": ""})
    assert response.status_code == 400  # no password to give
    response = api_client.post(TOKEN_URL, {"username": account.user.username, "password": "anything"})
    assert response.status_code == 401
    assert account.user.api_tokens.count() == 1


def test_the_token_endpoint_is_throttled(api_client, officer_a, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "auth_token": "2/minute"},
    }
    from rest_framework.throttling import ScopedRateThrottle

    ScopedRateThrottle.THROTTLE_RATES = settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]
    try:
        statuses = [api_client.post(TOKEN_URL, {"username": "x", "password": "y"}).status_code for _n in range(3)]
    finally:
        from rest_framework.settings import api_settings

        ScopedRateThrottle.THROTTLE_RATES = api_settings.DEFAULT_THROTTLE_RATES
    assert statuses == [401, 401, 429]


def test_a_person_sees_and_revokes_their_own_tokens_on_the_security_page(login, api_client, officer_a):
    key = api_client.post(TOKEN_URL, {"username": "officer-a", "password": "correct-horse-battery"}).json()["token"]
    token = ApiToken.objects.get(user=officer_a)
    client = login(officer_a)
    assert token.prefix in client.get(reverse("account_security")).content.decode()
    client.post(reverse("personal_token_revoke", args=[token.pk]))
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert api_client.get("/api/v1/me/").status_code == 401


def test_nobody_revokes_another_persons_token(login, api_client, officer_a, manager_a):
    api_client.post(TOKEN_URL, {"username": "officer-a", "password": "correct-horse-battery"})
    token = ApiToken.objects.get(user=officer_a)
    assert login(manager_a).post(reverse("personal_token_revoke", args=[token.pk])).status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


# --- tokens from before -----------------------------------------------------------------------


def test_existing_rest_framework_tokens_are_hashed_and_keep_working(api_client, officer_a):
    migration = importlib.import_module("govtrack.migrations.0004_hash_drf_tokens")
    legacy_key = "9944b09199c62bcf9418ad846dd0e4bbdfc6ee4b"
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE authtoken_token (key varchar(40) PRIMARY KEY, created timestamp, user_id integer)"
        )
        cursor.execute(
            "INSERT INTO authtoken_token (key, created, user_id) VALUES (%s, %s, %s)",
            [legacy_key, timezone.now() - timedelta(days=400), officer_a.pk],
        )
    from types import SimpleNamespace

    from django.apps import apps

    migration.hash_drf_tokens(apps, SimpleNamespace(connection=connection))
    assert "authtoken_token" not in connection.introspection.table_names()
    token = ApiToken.objects.get(user=officer_a)
    assert token.key_hash != legacy_key and token.permission == "read_write"
    assert timezone.now() - token.created_at > timedelta(days=399)
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {legacy_key}")
    assert api_client.get("/api/v1/me/").status_code == 200


def test_the_admin_site_lists_tokens_without_their_hashes(login, superuser, service_account_a):
    token = _token_of(service_account_a[0])
    client = login(superuser)
    page = client.get(reverse("admin:govtrack_apitoken_changelist")).content.decode()
    assert token.prefix in page
    detail = client.get(reverse("admin:govtrack_apitoken_change", args=[token.pk])).content.decode()
    assert token.key_hash not in detail
