from celery import shared_task

from .tokens import idempotency_keys_sweep


@shared_task(name="accounts.sweep_idempotency_keys", soft_time_limit=60, time_limit=90)
def sweep_idempotency_keys() -> int:
    """Runs hourly (beat): deletes the API's stored `Idempotency-Key` answers older than a day.
    Idempotent: a second run finds nothing more to delete."""
    return idempotency_keys_sweep()
