"""Celery tasks of the webhooks: thin wrappers that call the one function."""

from celery import shared_task

from webhooks import services


@shared_task
def deliver_task(delivery_id: int) -> str | None:
    delivery = services.attempt_delivery(delivery_id=delivery_id)
    return delivery.status if delivery else None


@shared_task
def deliver_due_task() -> int:
    """Every minute (beat): retry each delivery whose backoff has passed."""
    ids = services.due_delivery_ids()
    for delivery_id in ids:
        services.attempt_delivery(delivery_id=delivery_id)
    return len(ids)
