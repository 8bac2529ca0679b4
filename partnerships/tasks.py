"""Celery tasks for members and funding."""

import logging

from celery import shared_task
from django.utils import timezone

from .models import Invitation

logger = logging.getLogger(__name__)


@shared_task(
    name="partnerships.send_invitation",
    acks_late=True,
    soft_time_limit=30,
    time_limit=60,
)
def send_invitation(invitation_id: int, language: str = "sv", base_url: str | None = None) -> bool:
    """Queue (if not queued yet) and send the invitation mail with the current link.

    The services queue the mail in the outbox in their own transaction (places/outbox.py); this
    task remains for messages enqueued before the outbox and for sending one invitation by
    hand. The outbox key is the invitation and its link, so it never mails a link twice.
    Returns whether a mail went out; does nothing for an invitation that is no longer pending.
    """
    from django.db import transaction

    from places.outbox import outbox_send

    from .services.members import invitation_mail_queue

    with transaction.atomic():
        invitation = (
            # Only the invitation's row: PostgreSQL cannot lock the nullable side of a join.
            Invitation.objects.select_for_update(of=("self",))
            .select_related("place", "invited_by", "organisation")
            .filter(pk=invitation_id)
            .first()
        )
        if invitation is None:
            return False
        key = invitation_mail_queue(invitation, language=language, base_url=base_url)
    if key is None:
        return False
    return outbox_send(kind="invitation", object_key=key) > 0


@shared_task(
    name="partnerships.send_funding_reminders",
    autoretry_for=(OSError,),
    retry_backoff=True,
    max_retries=3,
    soft_time_limit=300,
    time_limit=360,
)
def send_funding_reminders() -> int:
    """Runs weekly (Monday morning, Europe/Stockholm, from CELERY_BEAT_SCHEDULE).

    E-mails every manager the overdue commitments of their places. One FundingReminder row per
    manager and ISO week guarantees one mail per week, whatever reruns or retries happen.
    """
    from .services.funding import funding_reminders_send

    sent = funding_reminders_send(today=timezone.localdate())
    logger.info("Funding reminders sent: %s", sent)
    return sent
