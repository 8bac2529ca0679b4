"""The outbox: one OutboxMessage per recipient, message and channel (sent by places/outbox.py)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.bounds import validate_event_datetime, validate_planning_datetime


class OutboxMessage(models.Model):
    """One message to one recipient over one channel: the outbox (places/outbox.py).

    Written in the same transaction as the change that calls for it (a report made ready, an
    invitation, an action item assigned …), so it exists exactly when the change does; a task
    sends it and marks it sent right after the mail server accepts it. The unique key per kind,
    object, recipient and channel means a duplicated dispatch writes nothing twice. The text is
    rendered when the row is written – in the recipient's language, with the links of the
    request that caused it (its host) – so sending needs nothing but the row.
    """

    class Channel(models.TextChoices):
        EMAIL = "email", _("E-mail")

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting to be sent")
        SENDING = "sending", _("Being sent")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")
        CANCELLED = "cancelled", _("Cancelled")

    kind = models.CharField(_("kind"), max_length=40)
    # The object and, where it can be sent again, its version: "report:17", "invitation:4:9f2c…".
    object_key = models.CharField(_("object"), max_length=200)
    channel = models.CharField(
        _("channel"), max_length=10, choices=Channel.choices, default=Channel.EMAIL
    )
    recipient = models.CharField(_("recipient"), max_length=254)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    subject = models.CharField(_("subject"), max_length=255, blank=True)
    body = models.TextField(_("text"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(
        _("next attempt"), default=timezone.now, validators=[validate_planning_datetime]
    )
    claimed_at = models.DateTimeField(
        _("sending since"), null=True, blank=True, validators=[validate_event_datetime]
    )
    sent_at = models.DateTimeField(
        _("sent at"), null=True, blank=True, validators=[validate_event_datetime]
    )
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("outgoing message")
        verbose_name_plural = _("outgoing messages")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="outbox_due"),
            models.Index(fields=["kind", "object_key"], name="outbox_object"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "object_key", "recipient", "channel"], name="outbox_message_once"
            ),
            models.CheckConstraint(
                condition=Q(status__in=["pending", "sending", "sent", "failed", "cancelled"]),
                name="outbox_status_valid",
            ),
        ]

    def __str__(self):
        return f"{self.kind} {self.object_key} → {self.recipient}"
