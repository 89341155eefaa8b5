"""Domain events: how an app announces that something happened without knowing who listens.

A domain app calls ``emit(BREACH_RECORDED, breach, organisation=agreement.client)`` in the service
function that made it happen; listeners (the webhooks app, for one) connect to ``event_emitted``.
The signal is sent once the transaction commits, so a rolled-back change announces nothing, and a
listener that fails never undoes the change that was announced.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import transaction
from django.dispatch import Signal
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger(__name__)

BREACH_RECORDED = "breach.recorded"
ESCALATION_PROPOSED = "escalation.proposed"
ESCALATION_DECIDED = "escalation.decided"
ACTION_OVERDUE = "action.overdue"
BOARD_PACK_ISSUED = "board_pack.issued"

#: Every event an app may emit, with what a person choosing webhook events reads.
EVENTS: dict[str, Any] = {
    BREACH_RECORDED: _("An SLA measurement missed its target (breach)"),
    ESCALATION_PROPOSED: _("A risk was proposed for escalation"),
    ESCALATION_DECIDED: _("An escalation was accepted, rejected or de-escalated"),
    ACTION_OVERDUE: _("An action passed its due date"),
    BOARD_PACK_ISSUED: _("A board pack was issued"),
}

#: Sent after commit with ``event`` (an Event) for every emitted event.
event_emitted = Signal()


@dataclass(frozen=True)
class Event:
    """What happened (``name``), to which record, for which organisations, with the data to send."""

    name: str
    model: str
    object_id: int | str
    organisation_ids: tuple[int, ...]
    data: dict[str, Any] = field(default_factory=dict)
    occurred_at: datetime = field(default_factory=timezone.now)

    def payload(self) -> dict[str, Any]:
        """The JSON body listeners send: the event, the record it is about, and its data."""
        return {
            "event": self.name,
            "occurred_at": self.occurred_at.isoformat(),
            "object": {"type": self.model, "id": self.object_id, **self.data},
        }


def _organisation_ids(organisation) -> tuple[int, ...]:
    if organisation is None:
        return ()
    if isinstance(organisation, Iterable):
        return tuple(dict.fromkeys(getattr(o, "pk", o) for o in organisation if o is not None))
    return (getattr(organisation, "pk", organisation),)


def emit(event_name: str, instance, *, organisation, data: dict[str, Any] | None = None,
         url: str | None = None) -> Event:
    """Announce ``event_name`` about ``instance`` to the listeners of ``organisation`` (one or several
    organisations, or their ids).

    ``data`` is what the announcement carries besides the record's type and id; keep it to what
    every organisation named may read. Listeners hear it once the current transaction commits.
    """
    if event_name not in EVENTS:
        raise ValueError(f"Unknown event {event_name!r}; add it to govtrack.events.EVENTS")
    if url is None and hasattr(instance, "get_absolute_url"):
        url = instance.get_absolute_url()
    event = Event(
        name=event_name,
        model=instance._meta.label_lower,
        object_id=instance.pk,
        organisation_ids=_organisation_ids(organisation),
        data={**({"url": settings.SITE_URL.rstrip("/") + url} if url else {}), **(data or {})},
    )
    transaction.on_commit(lambda: _send(event))
    return event


def _send(event: Event) -> None:
    # A listener's failure is logged, not raised: the change it announces has already been committed.
    for receiver, result in event_emitted.send_robust(sender=Event, event=event):
        if isinstance(result, Exception):
            logger.error("Listener %r failed on %s", receiver, event.name, exc_info=result)
