"""The outbox: every message that must reach someone, written with the change that causes it.

Report notices, invitations, action-item assignments, application events and funding reminders
are not sent from the request or the task that makes the change. Instead the change writes one
`OutboxMessage` per recipient in its own transaction (`outbox_add`), and `outbox_send` – a task
enqueued when that transaction commits, and again by the sweeper – delivers them:

- **Nothing lost when the broker is down at commit time**: the rows are already in the
  database; the sweeper (`outbox_sweep`, on beat every two minutes) enqueues whatever is due.
- **Once per recipient**: a row is claimed with a conditional UPDATE (pending → sending), sent,
  and marked sent right after the mail server accepts it. A second task, a redelivered message
  or a double dispatch finds nothing left to claim; the unique key (kind, object, recipient,
  channel) means a duplicated dispatch does not even write a second row.
- **No duplicates after a partial SMTP failure**: each row is marked on its own, so a retry
  sends only to those not yet accepted.
- **A worker killed mid-send**: rows not yet claimed stay pending and are sent by the next run;
  the one row being sent stays "sending" until `CLAIM_TIMEOUT` has passed, then the sweeper
  puts it back. If the mail server had accepted that message just before the worker died, its
  recipient gets it twice. That window – between the server's "250 OK" and our UPDATE, a few
  milliseconds per message – is the one place where we chose at-least-once over at-most-once:
  a second copy of a notice is better than an invitation that never arrives.

Transient errors (the server is away) put the row back with a growing delay, up to
`MAX_ATTEMPTS`; a permanent refusal (a rejected address) fails the row at once. Rows sent,
failed or cancelled are deleted after `KEEP_DAYS`.

Channels: only e-mail today. A push or SMS channel adds a `Channel` value and a deliver function
in `DELIVERERS`; the rows, claims and sweeper stay as they are.
"""

import contextlib
import datetime as dt
import logging
import smtplib
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db.models import F
from django.utils import timezone

from .models import OutboxMessage

logger = logging.getLogger(__name__)

Status = OutboxMessage.Status

# A row "sending" for longer than this belongs to a worker that died: it goes back to pending.
# Well above the send task's time limit, so a live task is never overtaken.
CLAIM_TIMEOUT = dt.timedelta(minutes=10)
MAX_ATTEMPTS = 10
KEEP_DAYS = 30
SEND_BATCH = 500
ERROR_MAX_LENGTH = 1000


@dataclass(frozen=True)
class Mail:
    """One rendered message for one recipient."""

    to: str
    subject: str
    body: str
    user: object = None


def outbox_add(*, kind: str, object_key: str, mails: Iterable[Mail], send: bool = True) -> int:
    """Queue `mails` (call inside the transaction that makes the change). Returns how many rows
    were new: a recipient queued before for the same kind and object is skipped. With `send`,
    a task delivers them once the transaction commits."""
    rows = [
        OutboxMessage(
            kind=kind,
            object_key=object_key,
            channel=OutboxMessage.Channel.EMAIL,
            recipient=mail.to.strip().lower(),
            user=mail.user,
            subject=" ".join(str(mail.subject).split())[:255],
            body=str(mail.body),
        )
        for mail in mails
        if mail.to
    ]
    if not rows:
        return 0
    before = OutboxMessage.objects.filter(kind=kind, object_key=object_key).count()
    OutboxMessage.objects.bulk_create(rows, ignore_conflicts=True)
    added = OutboxMessage.objects.filter(kind=kind, object_key=object_key).count() - before
    if added and send:
        from amp_platform.celery import enqueue_on_commit

        from .tasks import send_outbox

        enqueue_on_commit(send_outbox, kind=kind, object_key=object_key)
    return added


def outbox_cancel(*, kind: str, object_key_prefix: str) -> int:
    """Withdraw messages not sent yet (an invitation revoked or replaced by a new link)."""
    return OutboxMessage.objects.filter(
        kind=kind, object_key__startswith=object_key_prefix, status=Status.PENDING
    ).update(status=Status.CANCELLED)


# --- Sending ------------------------------------------------------------------------------


class _Permanent(Exception):
    """The message can never be delivered (the server refused the address)."""


def _deliver_email(message: OutboxMessage, connection) -> None:
    email = EmailMessage(
        subject=message.subject,
        body=message.body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[message.recipient],
        connection=connection,
    )
    try:
        if not email.send():
            raise _Permanent("the mail backend sent nothing")
    except smtplib.SMTPRecipientsRefused as error:
        raise _Permanent(str(error)) from error
    except smtplib.SMTPDataError as error:
        # 5xx: this message is refused for good; 4xx: try again later.
        if 500 <= error.smtp_code < 600:
            raise _Permanent(f"{error.smtp_code} {error.smtp_error!r}") from error
        raise


DELIVERERS = {OutboxMessage.Channel.EMAIL: _deliver_email}


def _retry_delay(attempts: int) -> dt.timedelta:
    return dt.timedelta(minutes=min(2 ** max(attempts - 1, 0), 60))


def _claim(pk: int) -> bool:
    return bool(
        OutboxMessage.objects.filter(pk=pk, status=Status.PENDING).update(
            status=Status.SENDING, claimed_at=timezone.now(), attempts=F("attempts") + 1
        )
    )


def _release(message: OutboxMessage, error: Exception) -> None:
    now = timezone.now()
    values = {"last_error": f"{type(error).__name__}: {error}"[:ERROR_MAX_LENGTH]}
    if message.attempts >= MAX_ATTEMPTS:
        values["status"] = Status.FAILED
        logger.error("Gave up on outbox message %s after %d attempts", message.pk, message.attempts)
    else:
        values.update(status=Status.PENDING, next_attempt_at=now + _retry_delay(message.attempts))
    OutboxMessage.objects.filter(pk=message.pk, status=Status.SENDING).update(**values)


def outbox_send(*, kind: str | None = None, object_key: str | None = None, limit=SEND_BATCH) -> int:
    """Send the due pending messages (of one kind and object, or all). Returns how many went.

    Stops at the first transient error – the mail server is away – leaving the rest pending for
    the sweeper; a permanently refused message is marked failed and the others go on.
    """
    due = OutboxMessage.objects.filter(status=Status.PENDING, next_attempt_at__lte=timezone.now())
    if kind:
        due = due.filter(kind=kind)
    if object_key:
        due = due.filter(object_key=object_key)
    pks = list(due.order_by("pk").values_list("pk", flat=True)[:limit])
    if not pks:
        return 0
    sent = 0
    connection = get_connection()
    opened = False
    try:
        for pk in pks:
            if not _claim(pk):
                continue  # another run took it
            message = OutboxMessage.objects.get(pk=pk)
            try:
                if not opened:
                    # One connection for the batch (the backend keeps an opened one open).
                    connection.open()
                    opened = True
                DELIVERERS[message.channel](message, connection)
            except _Permanent as error:
                OutboxMessage.objects.filter(pk=pk, status=Status.SENDING).update(
                    status=Status.FAILED, last_error=str(error)[:ERROR_MAX_LENGTH]
                )
                logger.error("Outbox message %s refused: %s", pk, error)
                continue
            except (smtplib.SMTPException, OSError) as error:
                logger.warning("Outbox message %s not sent, will retry: %r", pk, error)
                _release(message, error)
                break
            OutboxMessage.objects.filter(pk=pk, status=Status.SENDING).update(
                status=Status.SENT, sent_at=timezone.now(), last_error=""
            )
            sent += 1
    finally:
        with contextlib.suppress(Exception):  # the server may already be gone
            connection.close()
    return sent


# --- Sweeping -----------------------------------------------------------------------------


def outbox_sweep(*, now=None) -> dict:
    """Put messages stuck in "sending" back, enqueue a send when anything is due, and delete
    old finished rows. Runs on beat every two minutes; returns counts."""
    now = now or timezone.now()
    # Due at once: `claimed_at` is in the past on every clock (SET reads the old value).
    released = OutboxMessage.objects.filter(
        status=Status.SENDING, claimed_at__lt=now - CLAIM_TIMEOUT
    ).update(status=Status.PENDING, next_attempt_at=F("claimed_at"), claimed_at=None)
    if released:
        logger.warning("Outbox: %d messages were stuck in sending; queued again", released)
    due = OutboxMessage.objects.filter(status=Status.PENDING, next_attempt_at__lte=now).count()
    if due:
        from amp_platform.celery import publish

        from .tasks import send_outbox

        publish(send_outbox)
    deleted = OutboxMessage.objects.filter(
        status__in=[Status.SENT, Status.FAILED, Status.CANCELLED],
        created_at__lt=now - dt.timedelta(days=KEEP_DAYS),
    ).delete()[0]
    return {"released": released, "due": due, "deleted": deleted}
