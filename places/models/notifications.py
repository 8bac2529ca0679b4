"""In-app notifications (issue #13), their per-person settings and web-push subscriptions."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.bounds import validate_event_datetime

from .places import Place


class NotificationQuerySet(models.QuerySet):
    def unread(self):
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    """One line in a person's in-app notification list (the bell in the header).

    Written by the higher apps (an alert, a plan to confirm, a ready lägesbild, an assigned
    action item) through `places.services.notifications.notify`: places only knows a kind, a
    title and a link, never the objects behind them.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    place = models.ForeignKey(
        Place,
        verbose_name=_("place"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notifications",
    )
    kind = models.CharField(_("kind"), max_length=40)
    # The object it is about ("alert:17"): one notification per person and object and kind.
    object_key = models.CharField(_("object"), max_length=100)
    title = models.CharField(_("title"), max_length=200)
    url = models.CharField(_("link"), max_length=500)
    created_at = models.DateTimeField(
        _("created"), default=timezone.now, validators=[validate_event_datetime]
    )
    read_at = models.DateTimeField(
        _("read"), null=True, blank=True, validators=[validate_event_datetime]
    )

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["user", "read_at"], name="notification_user_unread")]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "kind", "object_key"], name="notification_unique_object"
            )
        ]

    def __str__(self):
        return self.title


class NotificationSetting(models.Model):
    """How a person wants to be reached besides the in-app list (alerts are always listed)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="notification_setting",
    )
    email = models.BooleanField(_("by e-mail"), default=True)
    push = models.BooleanField(_("by push notification on my devices"), default=True)

    class Meta:
        verbose_name = _("notification setting")
        verbose_name_plural = _("notification settings")

    def __str__(self):
        return str(self.user)


class PushSubscription(models.Model):
    """One device's Web Push subscription, owned by the person who was logged in on it.

    Deleted when they log out on that device, and when the push service answers 404/410 (the
    browser dropped it). The endpoint is checked against the known push services before it is
    stored, so a forged endpoint never makes the server post elsewhere.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="push_subscriptions",
    )
    endpoint = models.URLField(_("endpoint"), max_length=1000, unique=True)
    p256dh = models.CharField(_("public key"), max_length=200)
    auth = models.CharField(_("auth secret"), max_length=100)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("push subscription")
        verbose_name_plural = _("push subscriptions")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.user} ({self.created_at:%Y-%m-%d})"
