"""Background jobs of the place workspace: the outbox (places/outbox.py) and its sweeper."""

from celery import shared_task

from .outbox import outbox_send, outbox_sweep


@shared_task(name="places.send_outbox", acks_late=True, soft_time_limit=240, time_limit=300)
def send_outbox(kind: str | None = None, object_key: str | None = None) -> int:
    """Send the due outbox messages (of one kind and object, or all of them).

    Enqueued when a transaction that queued messages commits, and by the sweeper. Changes each
    row it sends: pending → sending → sent (or back to pending with a delay, or failed).
    Idempotent: rows are claimed one by one with a conditional UPDATE. Returns the number sent.
    """
    return outbox_send(kind=kind, object_key=object_key)


@shared_task(name="places.sweep_outbox", acks_late=True, soft_time_limit=60, time_limit=90)
def sweep_outbox() -> dict:
    """Runs every two minutes (beat): puts messages stuck in "sending" by a dead worker back,
    enqueues `send_outbox` when anything is due, deletes finished rows after 30 days."""
    return outbox_sweep()


@shared_task(
    name="places.notify_action_items_assigned",
    acks_late=True,
    soft_time_limit=60,
    time_limit=90,
)
def notify_action_items_assigned(
    action_item_ids: list[int], organisation_id: int, base_url: str | None = None
) -> int:
    """Queue and send the mail telling an organisation's people at the place that these action
    items were assigned to it (links on `base_url`, else SITE_URL). Returns e-mails sent.

    The services queue this mail in their own transaction; the task remains for messages
    enqueued before the outbox existed, and queues through the same outbox key, so an
    assignment is announced once however often it runs.
    """
    from django.db import transaction

    from .services import action_items_assigned_queue

    with transaction.atomic():
        key = action_items_assigned_queue(
            action_item_ids=action_item_ids,
            organisation_id=organisation_id,
            base_url=base_url,
            send=False,
        )
    return outbox_send(kind="action_items_assigned", object_key=key) if key else 0


@shared_task(name="places.deliver_webhooks", acks_late=True, soft_time_limit=240, time_limit=300)
def deliver_webhooks(event_key: str | None = None) -> int:
    """POST the due webhook deliveries (of one event, or all), signed (places/services/webhooks.py).
    Enqueued on commit by `webhook_emit` and by the sweeper; rows are claimed one by one, so a
    second run sends nothing twice."""
    from .services.webhooks import deliver

    return deliver(event_key=event_key)


@shared_task(name="places.sweep_webhooks", acks_late=True, soft_time_limit=60, time_limit=90)
def sweep_webhooks() -> dict:
    """Every two minutes (beat): retries that are due, rows a dead worker left, old rows."""
    from .services.webhooks import sweep

    return sweep()
