"""Sessions end after a spell of inactivity and at an absolute limit, both configurable."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone


@pytest.fixture
def clock():
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        yield traveller


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def sign_in(client):
    response = client.post(reverse("login"), {"username": "officer-a", "password": "correct-horse-battery"})
    assert response.status_code == 302


def test_an_idle_session_ends_after_the_configured_minutes(client, officer_a, settings, clock):
    settings.SESSION_IDLE_MINUTES = 30
    sign_in(client)
    clock.shift(timedelta(minutes=29))
    assert client.get("/").status_code == 200
    clock.shift(timedelta(minutes=30, seconds=1))
    response = client.get("/", follow=True)
    assert response.redirect_chain[0][0].startswith(reverse("login"))
    assert "had not used govtrack for a while" in response.content.decode()
    assert not signed_in(client)


def test_using_the_site_keeps_the_session_alive(client, officer_a, settings, clock):
    settings.SESSION_IDLE_MINUTES = 30
    sign_in(client)
    for _step in range(5):
        clock.shift(timedelta(minutes=20))
        assert client.get("/").status_code == 200
    assert signed_in(client)


def test_a_session_ends_at_its_absolute_limit_however_busy(client, officer_a, settings, clock):
    settings.SESSION_IDLE_MINUTES = 30
    settings.SESSION_MAX_HOURS = 2
    sign_in(client)
    for _step in range(5):
        clock.shift(timedelta(minutes=20))
        assert client.get("/").status_code == 200
    clock.shift(timedelta(minutes=21))  # 2 hours and a minute after signing in
    response = client.get("/", follow=True)
    assert "reached its time limit" in response.content.decode()
    assert not signed_in(client)


def test_an_api_call_in_an_expired_browser_session_is_refused_with_json(client, officer_a, settings, clock):
    settings.SESSION_IDLE_MINUTES = 30
    sign_in(client)
    clock.shift(timedelta(minutes=31))
    response = client.get("/api/v1/me/")
    assert response.status_code in (401, 403) and "detail" in response.json()


def test_zero_turns_the_idle_limit_off(client, officer_a, settings, clock):
    settings.SESSION_IDLE_MINUTES = 0
    sign_in(client)
    clock.shift(timedelta(hours=5))
    assert client.get("/").status_code == 200


def _session_writes(client, path: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        client.get(path)
    return sum("UPDATE" in q["sql"] and "django_session" in q["sql"] for q in queries.captured_queries)


def test_the_last_seen_time_is_saved_at_most_once_a_minute(login, officer_a, clock):
    client = login(officer_a)
    client.get("/")
    clock.shift(20)
    assert _session_writes(client, "/notifications/") == 0
    clock.shift(50)
    assert _session_writes(client, "/notifications/") == 1
