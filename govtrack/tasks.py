"""Celery tasks of the kernel: thin wrappers that call the one function."""

from celery import shared_task

from govtrack.checks import run_checks
from govtrack.models import Organisation
from govtrack.notifications import send_digests


@shared_task
def run_checks_task(names: list[str] | None = None, organisation_id: int | None = None) -> list[dict]:
    organisation = Organisation.objects.get(pk=organisation_id) if organisation_id else None
    runs = run_checks(names=names, organisation=organisation)
    return [{"name": run.name, "created": run.created, "error": run.error} for run in runs]


@shared_task
def send_digests_task() -> int:
    return send_digests()
