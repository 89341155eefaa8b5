"""The Celery app: settings come from Django's, under the CELERY_ namespace.

Every task is a ``GovtrackTask`` (the app's task class), so a new task cannot miss the rules:
acknowledged only when it has finished (a worker killed mid-task leaves the message to be
delivered again), retried with growing waits when the database or another service is away for a
while, and recorded as a failed run when it gives up. A task does its writes in one transaction,
so a run cut short leaves nothing half-written for the next run to trip over.
"""

import logging
import os

from celery import Celery, Task

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "govtrack.settings")

logger = logging.getLogger(__name__)


class GovtrackTask(Task):
    """A govtrack task: late acknowledgement, retries with backoff, and a recorded failure."""

    acks_late = True
    reject_on_worker_lost = True

    @property
    def autoretry_for(self) -> tuple[type[BaseException], ...]:
        # Passing failures: the database gone away or out of connections, mail or another service unreachable.
        from django.db import InterfaceError, OperationalError

        return (OperationalError, InterfaceError, OSError)

    @property
    def max_retries(self) -> int:
        from django.conf import settings

        return settings.TASK_MAX_RETRIES

    @property
    def retry_backoff(self) -> int:
        from django.conf import settings

        return settings.TASK_RETRY_BACKOFF_SECONDS

    @property
    def retry_backoff_max(self) -> int:
        from django.conf import settings

        return settings.TASK_RETRY_BACKOFF_MAX_SECONDS

    @property
    def retry_jitter(self) -> bool:
        from django.conf import settings

        return settings.TASK_RETRY_JITTER

    def on_failure(self, exc, task_id, args, kwargs, einfo) -> None:
        """Record the task's last failure as a failed run, shown on the organisation's checks page."""
        record_failure(self, exc=exc, kwargs=kwargs, attempts=self.request.retries + 1)

    def queue(self, *, request=None, queued_message: str = "", **kwargs) -> None:
        """Send the task once the current transaction commits; never lose it silently.

        When the broker cannot take it, a failed run is recorded and the person (``request``)
        is told that nothing was started; otherwise they see ``queued_message``.
        """
        from django.db import transaction

        def send() -> None:
            from kombu.exceptions import OperationalError as BrokerUnavailable

            try:
                self.apply_async(kwargs=kwargs)
            except (BrokerUnavailable, ConnectionError) as exc:  # say so; never pretend it was queued
                logger.exception("Could not queue %s", self.name)
                record_failure(self, exc=exc, kwargs=kwargs, attempts=0)
                if request is not None:
                    from django.contrib import messages
                    from django.utils.translation import gettext as _

                    messages.error(request, _("This could not be started: the task queue cannot be reached. "
                                              "Try again in a few minutes."))
            else:
                if request is not None and queued_message:
                    from django.contrib import messages

                    messages.success(request, queued_message)

        transaction.on_commit(send)


def record_failure(task: Task, *, exc: BaseException, kwargs: dict, attempts: int) -> None:
    """A failed run of ``task`` with why, for administrators to see; never raises."""
    from django.utils import timezone

    from govtrack.models import CheckRun

    why = f"{type(exc).__name__}: {exc}"[:2000]
    if attempts:
        why = f"{why} (gave up after {attempts} attempts)" if attempts > 1 else why
    else:
        why = f"Not queued: {why}"
    try:
        CheckRun.objects.create(name=task.name.rsplit(".", 1)[-1][:100], organisation_id=kwargs.get("organisation_id"),
                                finished_at=timezone.now(), error=why)
    except Exception:  # the database may be what failed; the log still has it
        logger.exception("Could not record the failure of %s: %s", task.name, why)


app = Celery("govtrack", task_cls=GovtrackTask)
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
