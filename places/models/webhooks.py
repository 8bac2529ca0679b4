"""Webhooks of a place and their deliveries (sent by places/webhooks.py)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.bounds import validate_storable_json

from ..privacy import validate_no_personal_data
from .places import Place


def validate_https_url(value):
    """Webhooks go only to https: the payload and its signature are not for the open wire."""
    from django.core.validators import URLValidator

    URLValidator(schemes=["https"], message=_("Enter an https:// address."))(value)
    from ..services.webhooks import is_private_host_name

    if is_private_host_name(value):
        raise ValidationError(_("Enter an address on the internet, not a local one."), code="local")


def validate_webhook_events(value):
    from ..services.webhooks import event_keys

    if not isinstance(value, list) or not value or not set(value) <= set(event_keys()):
        raise ValidationError(_("Choose at least one of the events offered."), code="events")


class Webhook(models.Model):
    """An outbound webhook of a place (issue #15): a signed POST to a URL a manager registered,
    for the events chosen (`places.services.webhooks`)."""

    place = models.ForeignKey(
        Place, on_delete=models.CASCADE, related_name="webhooks", verbose_name=_("place")
    )
    url = models.URLField(
        _("URL"), max_length=500, validators=[validate_https_url, validate_no_personal_data]
    )
    # The key of the HMAC signature: the receiver must know it too, so it is kept (not hashed)
    # and shown to the manager once, when the webhook is created.
    secret = models.CharField(_("secret"), max_length=100, editable=False)
    events = models.JSONField(
        _("events"), default=list, validators=[validate_webhook_events, validate_storable_json]
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("webhook")
        verbose_name_plural = _("webhooks")
        ordering = ["place", "created_at", "pk"]

    def __str__(self):
        return f"{self.place} → {self.url}"


class WebhookDelivery(models.Model):
    """One event for one webhook: the unique (webhook, event key) sends each event once per URL."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Delivered")
        FAILED = "failed", _("Failed")

    webhook = models.ForeignKey(
        Webhook, on_delete=models.CASCADE, related_name="deliveries", verbose_name=_("webhook")
    )
    event = models.CharField(_("event"), max_length=40)
    event_key = models.CharField(_("event key"), max_length=200)
    payload = models.JSONField(_("payload"), default=dict, validators=[validate_storable_json])
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0, editable=False)
    next_attempt_at = models.DateTimeField(_("next attempt"), default=timezone.now, editable=False)
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True, editable=False)
    response_status = models.PositiveSmallIntegerField(
        _("response status"), null=True, blank=True, editable=False
    )
    last_error = models.CharField(_("last error"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    sent_at = models.DateTimeField(_("delivered at"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["webhook", "event_key"], name="webhook_delivery_once_per_event"
            )
        ]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="webhook_delivery_due"),
        ]

    def __str__(self):
        return f"{self.event_key} → {self.webhook_id}"
