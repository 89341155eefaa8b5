"""A real Celery worker consumes govtrack's tasks from Redis and writes to PostgreSQL."""

import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from celery.backends.redis import RedisBackend
from django.db import connection
from django.utils import timezone

from govtrack.celery import app as celery_app
from govtrack.models import CheckRun, Notification
from govtrack.tasks import run_checks_task, send_digests_task
from tests.factories import UserFactory

pytestmark = [pytest.mark.slow, pytest.mark.postgres]

ROOT = Path(__file__).resolve().parents[2]


def _drop_connection_pools() -> None:
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


@pytest.fixture
def worker(transactional_db, tmp_path):
    """A worker process on its own queue, pointed at the test database; call it with a task to send it there."""
    broker = os.environ.get("CELERY_TEST_BROKER_URL", "redis://127.0.0.1:6379/15")
    db = connection.settings_dict
    database_url = f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    queue = f"govtrack-test-{uuid.uuid4().hex[:8]}"
    log = tmp_path / "worker.log"
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "CELERY_BROKER_URL": broker,
        "DJANGO_SETTINGS_MODULE": "tests.settings",
    }
    with open(log, "wb") as out:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "govtrack",
                "worker",
                "--pool=solo",
                "-Q",
                queue,
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                "-l",
                "info",
            ],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    saved = {k: celery_app.conf[k] for k in ("task_always_eager", "broker_url", "result_backend")}
    celery_app.conf.update(task_always_eager=False, broker_url=broker, result_backend=broker)
    # Tasks that ran in-process in earlier tests leave a connection pool to the default broker and
    # a "no result backend": drop the pools, and read results through a backend of our own.
    _drop_connection_pools()
    backend = RedisBackend(app=celery_app, url=broker)
    try:
        yield lambda task: celery_app.AsyncResult(task.apply_async(queue=queue).id, backend=backend)
    finally:
        celery_app.conf.update(saved)
        _drop_connection_pools()
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
        print(log.read_text(errors="replace")[-3000:])


def test_worker_sends_the_daily_digest_and_marks_notices_emailed(worker):
    person = UserFactory(username="digest-reader", email="reader@example.gov.uk")
    Notification.objects.create(recipient=person, key="k1", subject="Risk review overdue")
    Notification.objects.create(recipient=person, key="k2", subject="Contract ends in 90 days")

    sent = worker(send_digests_task).get(timeout=90)

    assert sent == 1
    assert not Notification.objects.filter(recipient=person, emailed_at__isnull=True).exists()
    assert Notification.objects.filter(emailed_at__lte=timezone.now()).count() == 2


def test_worker_runs_the_checks_and_records_the_run(worker):
    results = worker(run_checks_task).get(timeout=90)
    assert all(not r["error"] for r in results)
    assert CheckRun.objects.count() == len(results)
