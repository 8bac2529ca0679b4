"""Outbound webhooks (issue #15): a signed POST to a URL a place's manager registered.

- **Events** are declared by the apps that cause them through a small registry
  (`register_event`, called from the higher app's `AppConfig.ready()`), so places never imports
  safety. Today: incident.created, alert.created, report.ready.
- **Exactly once per event and URL**: `webhook_emit`, called inside the transaction that makes
  the change, writes one `WebhookDelivery` per active webhook of the place that chose the event;
  the unique (webhook, event key) means a repeated emit writes nothing. A task enqueued on commit
  (and the sweeper, on beat) delivers them; a row is claimed with a conditional UPDATE (pending →
  sending), so two workers never send the same row. As with the outbox, a worker that dies
  between the receiver's 2xx and our UPDATE leaves the row "sending" until `CLAIM_TIMEOUT`,
  then it is sent again: receivers deduplicate by the `X-AMP-Delivery` header.
- **Retries** with a growing delay (1, 2, 4 … 60 minutes) for errors and non-2xx answers, up to
  `MAX_ATTEMPTS`; then the row is failed. The page shows the log.
- **Signature**: `X-AMP-Signature: sha256=<hex>` is HMAC-SHA256 with the webhook's secret over
  `"<X-AMP-Timestamp>.<body>"`; the receiver recomputes it and refuses old timestamps.
- **No free text**: the payload holds ids, the place, a category code, times and a link, never a
  description; the events' builders are responsible and the tests check it.
"""

import datetime as dt
import hashlib
import hmac
import ipaddress
import json
import logging
import secrets
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit

import requests
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone

from ..models import Webhook, WebhookDelivery

logger = logging.getLogger(__name__)

Status = WebhookDelivery.Status

CLAIM_TIMEOUT = dt.timedelta(minutes=5)
MAX_ATTEMPTS = 8
KEEP_DAYS = 30
TIMEOUT_SECONDS = 10
SEND_BATCH = 200
SIGNATURE_HEADER = "X-AMP-Signature"
TIMESTAMP_HEADER = "X-AMP-Timestamp"


@dataclass(frozen=True)
class WebhookEvent:
    key: str
    label: object


_EVENTS: dict[str, WebhookEvent] = {}


def register_event(key: str, label) -> None:
    """Offer an event to webhooks (from the causing app's `AppConfig.ready()`)."""
    _EVENTS[key] = WebhookEvent(key=key, label=label)


def event_keys() -> list[str]:
    return list(_EVENTS)


def event_choices() -> list[tuple[str, object]]:
    return [(event.key, event.label) for event in _EVENTS.values()]


def new_secret() -> str:
    return "whsec_" + secrets.token_urlsafe(32)


def sign(secret: str, timestamp: str, body: bytes) -> str:
    digest = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return "sha256=" + digest.hexdigest()


def webhook_emit(*, place, event: str, object_key: str, payload: dict) -> int:
    """Queue `event` for the place's webhooks (inside the changing transaction). Returns how many
    deliveries were new. `payload` must hold no free text (ids, codes, times, links)."""
    if event not in _EVENTS:
        raise ValueError(f"Unknown webhook event {event!r}")
    hooks = [
        hook
        for hook in Webhook.objects.filter(place=place, is_active=True).only("pk", "events")
        if event in (hook.events or [])
    ]
    if not hooks:
        return 0
    event_key = f"{event}:{object_key}"
    body = {"event": event, "place": {"id": place.pk, "slug": place.slug}, "data": payload}
    before = WebhookDelivery.objects.filter(event_key=event_key).count()
    WebhookDelivery.objects.bulk_create(
        [
            WebhookDelivery(webhook=hook, event=event, event_key=event_key, payload=body)
            for hook in hooks
        ],
        ignore_conflicts=True,
    )
    added = WebhookDelivery.objects.filter(event_key=event_key).count() - before
    if added:
        from amp_platform.celery import enqueue_on_commit

        from ..tasks import deliver_webhooks

        enqueue_on_commit(deliver_webhooks, event_key=event_key)
    return added


def _retry_delay(attempts: int) -> dt.timedelta:
    return dt.timedelta(minutes=min(2 ** max(attempts - 1, 0), 60))


def _claim(pk: int) -> bool:
    return bool(
        WebhookDelivery.objects.filter(
            pk=pk, status=Status.PENDING, webhook__is_active=True
        ).update(status=Status.SENDING, claimed_at=timezone.now(), attempts=F("attempts") + 1)
    )


def is_private_host_name(url: str) -> bool:
    """Whether the URL names this machine or a private network by its text (no DNS): refused
    when a webhook is saved."""
    try:
        host = (urlsplit(str(url)).hostname or "").rstrip(".").lower()
    except ValueError:
        return True
    if host == "localhost" or host.endswith((".localhost", ".local", ".internal")):
        return True
    try:
        return not ipaddress.ip_address(host).is_global
    except ValueError:
        return False


def resolves_to_public_addresses(url: str) -> bool:
    """Whether every address the URL's host resolves to is on the internet: checked before each
    POST, so a name that points into the platform's own network is never called (SSRF)."""
    try:
        host = urlsplit(url).hostname
    except ValueError:
        return False
    if not host:
        return False
    try:
        infos = socket.getaddrinfo(host, 443, proto=socket.IPPROTO_TCP)
    except (OSError, UnicodeError):
        return False
    addresses = {info[4][0] for info in infos}
    return bool(addresses) and all(ipaddress.ip_address(a).is_global for a in addresses)


def _post(delivery: WebhookDelivery) -> tuple[int | None, str]:
    """POST one delivery; (status code, error)."""
    if not resolves_to_public_addresses(delivery.webhook.url):
        return None, "The address does not lead to the internet."
    timestamp = str(int(timezone.now().timestamp()))
    body = json.dumps(
        {**delivery.payload, "id": delivery.pk, "created_at": delivery.created_at.isoformat()},
        ensure_ascii=False,
        separators=(",", ":"),
    ).encode()
    headers = {
        "Content-Type": "application/json",
        "User-Agent": "AMP-Platform-Webhook/1",
        "X-AMP-Event": delivery.event,
        "X-AMP-Delivery": str(delivery.pk),
        TIMESTAMP_HEADER: timestamp,
        SIGNATURE_HEADER: sign(delivery.webhook.secret, timestamp, body),
    }
    try:
        response = requests.post(
            delivery.webhook.url,
            data=body,
            headers=headers,
            timeout=TIMEOUT_SECONDS,
            allow_redirects=False,
        )
    except requests.RequestException as error:
        return None, type(error).__name__
    if 200 <= response.status_code < 300:
        return response.status_code, ""
    return response.status_code, f"HTTP {response.status_code}"


def deliver(*, event_key: str | None = None) -> int:
    """Send the due deliveries (of one event, or all). Returns the number delivered."""
    due = WebhookDelivery.objects.filter(
        status=Status.PENDING, next_attempt_at__lte=timezone.now(), webhook__is_active=True
    )
    if event_key:
        due = due.filter(event_key=event_key)
    sent = 0
    for pk in list(due.order_by("next_attempt_at", "pk").values_list("pk", flat=True)[:SEND_BATCH]):
        if not _claim(pk):
            continue  # another worker has it
        delivery = WebhookDelivery.objects.select_related("webhook").get(pk=pk)
        code, error = _post(delivery)
        now = timezone.now()
        if not error:
            WebhookDelivery.objects.filter(pk=pk).update(
                status=Status.SENT, sent_at=now, response_status=code, last_error=""
            )
            sent += 1
            continue
        final = delivery.attempts >= MAX_ATTEMPTS
        WebhookDelivery.objects.filter(pk=pk).update(
            status=Status.FAILED if final else Status.PENDING,
            next_attempt_at=now + _retry_delay(delivery.attempts),
            response_status=code,
            last_error=error[:300],
        )
        logger.info("Webhook delivery %s failed (attempt %s): %s", pk, delivery.attempts, error)
    return sent


def sweep() -> dict:
    """Beat: rows a dead worker left "sending" go back; due rows are sent; old rows deleted."""
    now = timezone.now()
    reclaimed = WebhookDelivery.objects.filter(
        status=Status.SENDING, claimed_at__lt=now - CLAIM_TIMEOUT
    ).update(status=Status.PENDING)
    deleted, _ = WebhookDelivery.objects.filter(
        Q(status__in=[Status.SENT, Status.FAILED]),
        created_at__lt=now - dt.timedelta(days=KEEP_DAYS),
    ).delete()
    due = WebhookDelivery.objects.filter(
        status=Status.PENDING, next_attempt_at__lte=now, webhook__is_active=True
    ).exists()
    if due:
        from amp_platform.celery import publish

        from ..tasks import deliver_webhooks

        publish(deliver_webhooks)
    return {"reclaimed": reclaimed, "deleted": deleted, "due": due}


def webhook_create(*, place, actor, url: str, events: list[str]) -> tuple[Webhook, str]:
    """A new webhook and its secret (to show once)."""
    secret = new_secret()
    hook = Webhook(place=place, url=url, events=list(events), secret=secret, created_by=actor)
    hook.full_clean()
    try:
        with transaction.atomic():
            hook.save()
    except IntegrityError as error:  # the place went away meanwhile
        raise ValueError(str(error)) from error
    return hook, secret
