"""Celery tasks of the kernel: thin wrappers that call the one function.

Each retries on transient errors (the database or the mail server briefly away) with exponential
backoff and jitter, and has a time limit, so a hung run is stopped rather than holding a worker.
Both are safe to run twice: the checks are idempotent by their constraints, and the digest claims
each person's notices before sending them.
"""

from smtplib import SMTPException

from celery import shared_task
from django.db import InterfaceError, OperationalError

from govtrack.checks import run_checks
from govtrack.models import Organisation
from govtrack.notifications import send_digests

#: Errors worth another try: the database or mail server away for a moment.
TRANSIENT = (OperationalError, InterfaceError, SMTPException, ConnectionError, TimeoutError)
RETRY = {
    "autoretry_for": TRANSIENT,
    "retry_backoff": 30,
    "retry_backoff_max": 1800,
    "retry_jitter": True,
    "max_retries": 5,
}


@shared_task(**RETRY, soft_time_limit=1800, time_limit=2100)
def run_checks_task(names: list[str] | None = None, organisation_id: int | None = None) -> list[dict]:
    organisation = Organisation.objects.get(pk=organisation_id) if organisation_id else None
    runs = run_checks(names=names, organisation=organisation)
    return [{"name": run.name, "created": run.created, "error": run.error} for run in runs]


@shared_task(**RETRY, soft_time_limit=1800, time_limit=2100)
def send_digests_task() -> int:
    return send_digests()
