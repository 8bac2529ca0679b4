"""The admin of what leaves the platform: the outbox, notifications (issue #13), push
subscriptions, webhooks and their deliveries."""

from django.contrib import admin
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..models import (
    Notification,
    NotificationSetting,
    OutboxMessage,
    PushSubscription,
    Webhook,
    WebhookDelivery,
)


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin):
    """The outbox (places/outbox.py): what was sent to whom, what waits and why. The app
    writes these rows; staff may look, send a failed message again, or delete."""

    list_display = [
        "kind",
        "object_key",
        "recipient",
        "status",
        "attempts",
        "created_at",
        "sent_at",
    ]
    list_filter = ["status", "kind", "channel"]
    search_fields = ["recipient", "object_key", "subject"]
    date_hierarchy = "created_at"
    readonly_fields = [field.name for field in OutboxMessage._meta.fields]
    actions = ["send_again"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Send again"))
    def send_again(self, request, queryset):
        from django.utils import timezone

        count = queryset.filter(
            status__in=[OutboxMessage.Status.FAILED, OutboxMessage.Status.CANCELLED]
        ).update(status=OutboxMessage.Status.PENDING, attempts=0, next_attempt_at=timezone.now())
        self.message_user(request, _("%(count)s messages will be sent again.") % {"count": count})


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["title", "user", "kind", "place", "created_at", "read_at"]
    list_filter = ["kind", "place"]
    search_fields = ["user__email", "title"]
    list_select_related = ["user", "place"]
    raw_id_fields = ["user"]


@admin.register(NotificationSetting)
class NotificationSettingAdmin(admin.ModelAdmin):
    list_display = ["user", "email", "push"]
    list_filter = ["email", "push"]
    search_fields = ["user__email"]
    raw_id_fields = ["user"]


@admin.register(PushSubscription)
class PushSubscriptionAdmin(admin.ModelAdmin):
    list_display = ["user", "created_at"]
    search_fields = ["user__email"]
    raw_id_fields = ["user"]
    # The keys are the device's secrets: never shown.
    exclude = ["p256dh", "auth"]


@admin.register(Webhook)
class WebhookAdmin(admin.ModelAdmin):
    """A place's outbound webhooks (issue #15); the secret is never shown here."""

    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = ["place", "url", "is_active", "created_at"]
    list_filter = ["is_active", "place"]
    search_fields = ["url", "place__name"]
    exclude = ["secret"]
    readonly_fields = ["created_by", "created_at"]


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(admin.ModelAdmin):
    list_display = ["created_at", "event", "webhook", "status", "attempts", "response_status"]
    list_filter = ["status", "event"]
    search_fields = ["event_key"]
    readonly_fields = [field.name for field in WebhookDelivery._meta.fields]
