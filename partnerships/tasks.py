"""Celery tasks for members and funding."""

import logging

from celery import shared_task
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from places.links import absolute_url

from .models import Invitation

logger = logging.getLogger(__name__)


@shared_task(
    name="partnerships.send_invitation",
    autoretry_for=(OSError,),
    retry_backoff=True,
    max_retries=5,
    soft_time_limit=30,
    time_limit=60,
)
def send_invitation(invitation_id: int, language: str = "sv", base_url: str | None = None) -> bool:
    """Runs on commit after a manager invites someone or resends an invitation.

    Mails the invitation link to the invited address; the link starts with `base_url` (the
    scheme and host the manager used) or, without one, SITE_URL. The send is claimed with a
    conditional UPDATE of `sent_at`, so a duplicate or retried task never mails twice; a failed
    send releases the claim for the retry. Does nothing for an invitation that is no longer
    pending.
    """
    now = timezone.now()
    claimed = Invitation.objects.filter(
        pk=invitation_id,
        sent_at__isnull=True,
        accepted_at__isnull=True,
        revoked_at__isnull=True,
        expires_at__gt=now,
    ).update(sent_at=now)
    if not claimed:
        return False
    invitation = Invitation.objects.select_related("place", "invited_by", "organisation").get(
        pk=invitation_id
    )
    with translation.override(language if language in ("sv", "en") else "sv"):
        context = {
            "invitation": invitation,
            "role": invitation.get_role_display(),
            "url": absolute_url(
                reverse("invitations:accept", kwargs={"token": invitation.token}),
                base_url=base_url,
            ),
            "expires_at": timezone.localtime(invitation.expires_at),
        }
        subject = render_to_string("partnerships/members/email/invitation_subject.txt", context)
        body = render_to_string("partnerships/members/email/invitation_body.txt", context)
    try:
        send_mail(" ".join(subject.split()), body, None, [invitation.email])
    except Exception:
        Invitation.objects.filter(pk=invitation_id, sent_at=now).update(sent_at=None)
        raise
    return True


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
