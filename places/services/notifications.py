"""In-app notifications and Web Push (issue #13).

Places knows nothing of alerts or plans: the higher apps call `notify` with a kind, a title and
a link, and `push_send` with a payload. Web Push uses VAPID keys from the environment
(`VAPID_PUBLIC_KEY`, `VAPID_PRIVATE_KEY`, `VAPID_SUBJECT`); without them push is switched off
and the other channels carry on.
"""

import base64
import binascii
import json
import logging
from urllib.parse import urlsplit

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..models import Notification, NotificationSetting, PushSubscription

logger = logging.getLogger(__name__)

# Push services of the browsers people use; any other endpoint is refused, so a forged
# subscription never makes the server post to an address of the sender's choosing.
PUSH_SERVICE_HOSTS = (
    "fcm.googleapis.com",
    "android.googleapis.com",
    "updates.push.services.mozilla.com",
    "push.services.mozilla.com",
    "web.push.apple.com",
    "notify.windows.com",
)
SESSION_KEY = "push_subscription_id"


def notify(*, users, kind: str, object_key: str, title: str, url: str, place=None) -> int:
    """Add one notification per user (once per user, kind and object). Returns how many."""
    rows = [
        Notification(
            user=user,
            place=place,
            kind=kind,
            object_key=object_key,
            title=str(title)[:200],
            url=url[:500],
        )
        for user in users
    ]
    created = len(Notification.objects.bulk_create(rows, ignore_conflicts=True))
    forget_unread([user.pk for user in users])
    return created


# The bell's count is on every page a signed-in person opens: it is cached per person and
# forgotten by every write of their notifications (here, and the signals in apps.py for saves
# and deletes elsewhere), now and again when the transaction commits.
UNREAD_SECONDS = 600


def _unread_key(user_id) -> str:
    return f"amp:notifications:unread:{user_id}"


def unread_key(user) -> str:
    """The cache key of the person's count: a page may read it with its own keys and set
    `request.unread_notifications` (places.context_processors)."""
    return _unread_key(user.pk)


def forget_unread(user_ids) -> None:
    keys = [_unread_key(pk) for pk in user_ids if pk is not None]
    if keys:
        cache.delete_many(keys)
        transaction.on_commit(lambda: cache.delete_many(keys))


def unread_count(user) -> int:
    if not user.is_authenticated:
        return 0
    key = _unread_key(user.pk)
    count = cache.get(key)
    if count is None:
        count = Notification.objects.filter(user=user).unread().count()
        cache.set(key, count, UNREAD_SECONDS)
    return count


def wants(user, channel: str) -> bool:
    """Whether `user` wants `channel` ("email" or "push"); both are on by default."""
    setting = NotificationSetting.objects.filter(user=user).first()
    return True if setting is None else getattr(setting, channel)


def setting_for(user) -> NotificationSetting:
    setting, _created = NotificationSetting.objects.get_or_create(user=user)
    return setting


# --- Web Push -------------------------------------------------------------------------------


def push_enabled() -> bool:
    return bool(settings.VAPID_PUBLIC_KEY and settings.VAPID_PRIVATE_KEY)


class InvalidSubscription(ValueError):
    pass


def _b64_length(value, expected: int) -> bool:
    if not isinstance(value, str) or len(value) > 200:
        return False
    try:
        raw = base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))
    except (binascii.Error, ValueError):
        return False
    return len(raw) == expected


def validate_subscription(data) -> dict:
    """The browser's PushSubscription JSON, checked: an https endpoint of a known push service,
    a P-256 public key (65 bytes) and a 16-byte auth secret. Raises InvalidSubscription."""
    if not isinstance(data, dict):
        raise InvalidSubscription(_("The subscription is not valid."))
    endpoint = data.get("endpoint")
    keys = data.get("keys") if isinstance(data.get("keys"), dict) else {}
    if not isinstance(endpoint, str) or len(endpoint) > 1000 or "\x00" in endpoint:
        raise InvalidSubscription(_("The subscription is not valid."))
    parts = urlsplit(endpoint)
    host = (parts.hostname or "").lower()
    known = any(host == h or host.endswith("." + h) for h in PUSH_SERVICE_HOSTS)
    if parts.scheme != "https" or not known or parts.port not in (None, 443):
        raise InvalidSubscription(_("This push service is not supported."))
    if not _b64_length(keys.get("p256dh"), 65) or not _b64_length(keys.get("auth"), 16):
        raise InvalidSubscription(_("The subscription is not valid."))
    return {"endpoint": endpoint, "p256dh": keys["p256dh"], "auth": keys["auth"]}


def subscription_save(*, user, data) -> PushSubscription:
    """Store this device's subscription for `user`; a device that changes hands (the same
    endpoint) now belongs to whoever subscribed last."""
    values = validate_subscription(data)
    try:
        with transaction.atomic():
            subscription, _created = PushSubscription.objects.update_or_create(
                endpoint=values["endpoint"],
                defaults={"user": user, "p256dh": values["p256dh"], "auth": values["auth"]},
            )
    except IntegrityError as error:  # two tabs subscribing at once
        raise InvalidSubscription(_("The subscription is not valid.")) from error
    return subscription


def forget_device(request) -> None:
    """On logout: this device's subscription goes with the session."""
    subscription_id = request.session.get(SESSION_KEY) if hasattr(request, "session") else None
    if subscription_id and getattr(request, "user", None) and request.user.is_authenticated:
        PushSubscription.objects.filter(pk=subscription_id, user=request.user).delete()


class PushGone(Exception):
    """The push service no longer knows the subscription (404/410)."""


class PushFailed(Exception):
    """A transient failure: try again later."""


def push_send(subscription: PushSubscription, payload: dict) -> None:
    """Send one push message; a 404/410 deletes the subscription and raises PushGone."""
    from pywebpush import WebPushException, webpush

    try:
        webpush(
            subscription_info={
                "endpoint": subscription.endpoint,
                "keys": {"p256dh": subscription.p256dh, "auth": subscription.auth},
            },
            data=json.dumps(payload),
            vapid_private_key=settings.VAPID_PRIVATE_KEY,
            vapid_claims={"sub": settings.VAPID_SUBJECT},
            ttl=3600,
            timeout=10,
        )
    except WebPushException as error:
        status = getattr(error.response, "status_code", None)
        if status in (404, 410):
            PushSubscription.objects.filter(pk=subscription.pk).delete()
            raise PushGone(str(status)) from error
        raise PushFailed(str(error)[:500]) from error


def push_to_user(user, payload: dict) -> int:
    """Push to every device of `user`. Returns how many accepted; raises PushFailed when a
    device failed transiently and none accepted."""
    sent, failed = 0, None
    for subscription in PushSubscription.objects.filter(user=user):
        try:
            push_send(subscription, payload)
        except PushGone:
            continue
        except PushFailed as error:
            failed = error
            continue
        sent += 1
    if not sent and failed:
        raise failed
    return sent


def mark_read(user, pk=None) -> int:
    rows = Notification.objects.filter(user=user, read_at__isnull=True)
    if pk is not None:
        rows = rows.filter(pk=pk)
    updated = rows.update(read_at=timezone.now())
    forget_unread([user.pk])
    return updated
