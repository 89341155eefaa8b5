"""What production throws at the task queue: a task that keeps failing, a worker killed mid-task.

A real worker process (``celery worker``, solo pool) on a queue of its own, Redis as the broker
and PostgreSQL as the database, as in production; the worker retries with short waits
(``TASK_RETRY_BACKOFF_SECONDS=1``, no jitter) and Redis hands a message back after 8 seconds
unacknowledged, so the test sees in seconds what takes minutes in production.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from celery.backends.redis import RedisBackend
from django.db import connection
from django.test import Client

from govtrack.celery import app as celery_app
from govtrack.models import CheckRun, Membership
from tests.conftest import sign_in
from tests.factories import OrganisationFactory, member
from tests.scopetest.models import JointNote
from tests.scopetest.tasks import flaky_task, write_notes_task

pytestmark = [pytest.mark.slow, pytest.mark.postgres]

ROOT = Path(__file__).resolve().parents[2]
BROKER = os.environ.get("CELERY_TEST_BROKER_URL", "redis://127.0.0.1:6379/15")


def _drop_connection_pools() -> None:
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


class Workers:
    """Starts, kills and stops real worker processes on one queue, pointed at the test database."""

    def __init__(self, log_dir: Path):
        db = connection.settings_dict
        self.env = {
            **os.environ,
            "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}",
            "CELERY_BROKER_URL": BROKER,
            "DJANGO_SETTINGS_MODULE": "tests.settings",
            "TASK_MAX_RETRIES": "3",
            "TASK_RETRY_BACKOFF_SECONDS": "1",
            "TASK_RETRY_JITTER": "false",
            "CELERY_VISIBILITY_TIMEOUT": "8",
        }
        self.queue = f"govtrack-faults-{uuid.uuid4().hex[:8]}"
        self.log_dir = log_dir
        self.processes: list[subprocess.Popen] = []
        self.backend = RedisBackend(app=celery_app, url=BROKER)

    def start(self) -> subprocess.Popen:
        log = open(self.log_dir / f"worker-{len(self.processes)}.log", "wb")  # noqa: SIM115 (closed with the process)
        process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "govtrack", "worker", "--pool=solo", "-Q", self.queue,
             "--without-gossip", "--without-mingle", "--without-heartbeat", "-l", "info"],
            cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT,
        )
        self.processes.append(process)
        return process

    def send(self, task, **kwargs):
        return celery_app.AsyncResult(task.apply_async(kwargs=kwargs, queue=self.queue).id, backend=self.backend)

    def stop(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                process.terminate()
                try:
                    process.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    process.kill()
        for log in sorted(self.log_dir.glob("worker-*.log")):
            print(f"--- {log.name}\n{log.read_text(errors='replace')[-3000:]}")


@pytest.fixture
def workers(transactional_db, tmp_path):
    saved = {k: celery_app.conf[k] for k in ("task_always_eager", "broker_url", "result_backend")}
    celery_app.conf.update(task_always_eager=False, broker_url=BROKER, result_backend=BROKER)
    _drop_connection_pools()
    pool = Workers(tmp_path)
    try:
        yield pool
    finally:
        celery_app.conf.update(saved)
        _drop_connection_pools()
        pool.stop()


def _wait_for(condition, *, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"gave up waiting for {what}")
        time.sleep(0.2)


def test_a_task_that_keeps_failing_is_retried_with_growing_waits_then_recorded_as_a_failed_run(workers, tmp_path):
    organisation = OrganisationFactory(slug="org-a")
    attempts = tmp_path / "attempts"
    workers.start()

    result = workers.send(flaky_task, attempts_file=str(attempts), failures=99, organisation_id=organisation.pk)
    result.get(timeout=120, propagate=False)

    assert result.state == "FAILURE"
    times = [float(line) for line in attempts.read_text().splitlines()]
    assert len(times) == 4  # the first try and three retries
    waits = [later - earlier for earlier, later in zip(times, times[1:], strict=False)]
    assert waits[0] >= 0.9 and waits[1] >= 1.9 and waits[2] >= 3.9, waits  # 1 s, 2 s, 4 s
    # The result is stored before the failure handler runs: wait for its record.
    _wait_for(CheckRun.objects.filter(name="flaky_task").exists, timeout=30, what="the failed run's record")
    run = CheckRun.objects.get(name="flaky_task")
    assert run.organisation == organisation and run.finished_at is not None
    assert run.error == "OperationalError: server closed the connection unexpectedly (gave up after 4 attempts)"

    # Administrators see it with the organisation's scheduled checks.
    page = sign_in(Client(), member(organisation, Membership.Role.MANAGER, "boss"))
    text = page.get(f"/organisations/{organisation.slug}/checks/").content.decode()
    assert "flaky_task" in text and "Failed" in text and "gave up after 4 attempts" in text


def test_a_task_that_fails_twice_succeeds_on_its_third_attempt_and_records_no_failure(workers, tmp_path):
    attempts = tmp_path / "attempts"
    workers.start()

    assert workers.send(flaky_task, attempts_file=str(attempts), failures=2).get(timeout=120) == 3
    assert not CheckRun.objects.filter(name="flaky_task").exists()


def test_a_worker_killed_mid_task_leaves_nothing_half_written_and_the_task_runs_again(workers, tmp_path):
    pause = tmp_path / "paused"
    first = workers.start()
    result = workers.send(write_notes_task, title="Board minutes", count=10, pause_file=str(pause))
    _wait_for(pause.exists, timeout=90, what="the task to reach its halfway point")
    time.sleep(0.5)
    notes = JointNote.objects.filter(title__startswith="Board minutes")
    assert notes.count() == 0  # five are written, inside the task's open transaction

    os.kill(first.pid, signal.SIGKILL)
    first.wait(timeout=10)
    assert first.returncode == -signal.SIGKILL
    assert notes.count() == 0  # PostgreSQL rolled the half-done transaction back with the connection

    workers.start()  # Redis hands the unacknowledged message to the new worker
    assert result.get(timeout=120) == 10
    assert notes.count() == 10  # run once, whole: not fifteen
