"""Tasks that fail or stall on demand, for the fault tests; built like every govtrack task (``GovtrackTask``)."""

import time
from pathlib import Path

from celery import shared_task
from django.db import OperationalError, transaction

from tests.scopetest.models import JointNote


@shared_task
def flaky_task(*, attempts_file: str, failures: int, organisation_id: int | None = None) -> int:
    """Fail as a lost database connection would, ``failures`` times, then succeed; each attempt's time is logged."""
    log = Path(attempts_file)
    with log.open("a") as out:
        out.write(f"{time.time()}\n")
    attempt = len(log.read_text().splitlines())
    if attempt <= failures:
        raise OperationalError("server closed the connection unexpectedly")
    return attempt


@shared_task
def write_notes_task(*, title: str, count: int, pause_file: str) -> int:
    """Write ``count`` notes in one transaction; the first run stops halfway for a long time (to be killed there)."""
    pause = Path(pause_file)
    with transaction.atomic():
        for number in range(count):
            JointNote.objects.create(title=f"{title} {number}")
            if number == count // 2 and not pause.exists():
                pause.write_text("halfway")
                time.sleep(300)
    return count
