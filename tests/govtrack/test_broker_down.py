"""Redis unavailable: pages still load, and work that cannot be queued is reported as failed, never lost silently.

Nothing listens on port 1, so the broker refuses at once, as a stopped Redis does.
"""

import time

import pytest

from govtrack.celery import app as celery_app
from govtrack.models import CheckRun

DOWN = "redis://127.0.0.1:1/0"


def _drop_connection_pools() -> None:
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


@pytest.fixture
def broker_down(settings):
    settings.CELERY_BROKER_URL = DOWN
    saved = {k: celery_app.conf[k] for k in ("task_always_eager", "broker_url", "result_backend")}
    celery_app.conf.update(task_always_eager=False, broker_url=DOWN, result_backend=None)
    _drop_connection_pools()
    yield
    celery_app.conf.update(saved)
    _drop_connection_pools()


def test_with_redis_down_pages_load_and_the_health_check_says_degraded(broker_down, client, login, manager_a,
                                                                       corporate):
    login(manager_a)
    for url in ("/", "/systems/org-a/", "/registers/", "/registers/org-a/corporate/", "/organisations/org-a/checks/"):
        assert client.get(url).status_code == 200, url
    assert client.get("/healthz").json() == {"status": "degraded", "database": "ok", "broker": "unreachable"}


# Real commits, so the task is sent when the request's transaction commits, as in production.
@pytest.mark.django_db(transaction=True)
def test_with_redis_down_running_the_checks_says_so_and_records_a_failed_run(broker_down, client, login, manager_a,
                                                                             org_a):
    login(manager_a)
    started = time.monotonic()
    response = client.post("/organisations/org-a/checks/", follow=True)

    assert time.monotonic() - started < 10  # the page does not hang on the broker
    assert response.status_code == 200
    text = response.content.decode()
    assert "could not be started: the task queue cannot be reached" in text
    assert "The checks are running" not in text
    run = CheckRun.objects.get(organisation=org_a)
    assert run.error.startswith("Not queued: ") and run.finished_at is not None
    assert "Failed" in text and "Not queued" in text  # the checks page lists it with the other runs
