"""Outbound webhooks (issue #15): managed by managers, signed, once per event and URL, retried.
The HTTP call is mocked: no network in tests."""

import datetime as dt
import hashlib
import hmac
import json
from unittest import mock

import pytest
from django.urls import reverse
from django.utils import timezone

from places.models import Webhook, WebhookDelivery
from places.services import webhooks
from safety.services import incidents as incident_services
from safety.services import reports as report_services
from safety.services.alerts import alert_send
from tests import factories as f

pytestmark = pytest.mark.django_db

URL = "https://hooks.example.net/amp"
REAL_PUBLIC_CHECK = webhooks.resolves_to_public_addresses


@pytest.fixture(autouse=True)
def no_dns(monkeypatch):
    """No network in tests: every made-up host counts as public unless a test says otherwise."""
    monkeypatch.setattr(webhooks, "resolves_to_public_addresses", lambda url: True)


@pytest.fixture
def hook(place_a, manager):
    hook, _secret = webhooks.webhook_create(
        place=place_a,
        actor=manager,
        url=URL,
        events=["incident.created", "alert.created", "report.ready"],
    )
    return hook


def _ok(status=200):
    return mock.Mock(status_code=status)


def settings_url(place):
    return reverse("places:webhook_settings", kwargs={"place_slug": place.slug})


# --- Access -----------------------------------------------------------------------------


def test_page_access(client, place_a, manager, reader, outsider, hook):
    url = settings_url(place_a)
    client.force_login(outsider)
    assert client.get(url).status_code == 404
    client.force_login(reader)
    assert client.get(url).status_code == 403
    client.force_login(manager)
    response = client.get(url)
    assert response.status_code == 200
    assert URL in response.content.decode()
    # The secret is shown once, on creation, never on the page afterwards.
    assert hook.secret not in response.content.decode()


@pytest.mark.parametrize("action", ["webhook_toggle", "webhook_delete"])
def test_actions_access(client, place_a, manager, reader, outsider, hook, action):
    url = reverse(f"places:{action}", kwargs={"place_slug": place_a.slug, "pk": hook.pk})
    client.force_login(outsider)
    assert client.post(url).status_code == 404
    client.force_login(reader)
    assert client.post(url).status_code == 403
    # Another place's manager cannot reach this place's webhook through their own place.
    other_manager = f.UserFactory(email="other@example.org")
    other = f.PlaceFactory()
    f.PlaceRoleFactory(user=other_manager, place=other, role="manager")
    client.force_login(other_manager)
    other_url = reverse(f"places:{action}", kwargs={"place_slug": other.slug, "pk": hook.pk})
    assert client.post(other_url).status_code == 404
    client.force_login(manager)
    assert client.post(url).status_code == 302
    if action == "webhook_toggle":
        hook.refresh_from_db()
        assert hook.is_active is False
    else:
        assert not Webhook.objects.filter(pk=hook.pk).exists()


def test_create_shows_the_secret_once_and_takes_https_only(client, place_a, manager):
    client.force_login(manager)
    url = settings_url(place_a)
    refused = client.post(url, {"url": "http://hooks.example.net/x", "events": ["alert.created"]})
    assert refused.status_code == 200
    assert not Webhook.objects.exists()
    response = client.post(url, {"url": URL, "events": ["alert.created"]})
    assert response.status_code == 200
    hook = Webhook.objects.get()
    assert hook.secret.startswith("whsec_")
    assert hook.secret in response.content.decode()
    assert hook.events == ["alert.created"]
    assert "no-cache" in response.headers.get("Cache-Control", "") or "no-store" in (
        response.headers.get("Cache-Control", "")
    )
    assert hook.secret not in client.get(url).content.decode()


# --- Events, signature, exactly once ------------------------------------------------------


def test_incident_created_is_signed_and_holds_no_free_text(
    place_a, manager, hook, django_capture_on_commit_callbacks
):
    category = f.IncidentCategoryFactory(code="klotter")
    with (
        mock.patch.object(webhooks.requests, "post", return_value=_ok()) as post,
        django_capture_on_commit_callbacks(execute=True),
    ):
        incident = incident_services.incident_create(
            place=place_a,
            actor=manager,
            data={
                "category": category,
                "occurred_at": timezone.now() - dt.timedelta(hours=1),
                "description": "Klotter på gaveln vid busshållplatsen.",
            },
        )
    assert post.call_count == 1
    (url,), kwargs = post.call_args
    assert url == URL
    body = kwargs["data"]
    headers = kwargs["headers"]
    expected = hmac.new(
        hook.secret.encode(), headers["X-AMP-Timestamp"].encode() + b"." + body, hashlib.sha256
    ).hexdigest()
    assert headers["X-AMP-Signature"] == f"sha256={expected}"
    assert headers["X-AMP-Event"] == "incident.created"
    payload = json.loads(body)
    assert payload["event"] == "incident.created"
    assert payload["place"] == {"id": place_a.pk, "slug": place_a.slug}
    assert payload["data"]["incident_id"] == incident.pk
    assert payload["data"]["category"] == "klotter"
    assert payload["data"]["url"].endswith(incident.get_absolute_url())
    assert "Klotter på gaveln" not in body.decode()
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == WebhookDelivery.Status.SENT
    # A second run, or the same event emitted again, sends nothing twice.
    with mock.patch.object(webhooks.requests, "post", return_value=_ok()) as again:
        assert (
            webhooks.webhook_emit(
                place=place_a,
                event="incident.created",
                object_key=f"incident:{incident.pk}",
                payload={"incident_id": incident.pk},
            )
            == 0
        )
        assert webhooks.deliver() == 0
    again.assert_not_called()


def test_restricted_incident_says_only_that_one_exists(place_a, manager, hook):
    incident = f.IncidentFactory(place=place_a, visibility="restricted", severity="high")
    from safety.webhook_events import emit_incident_created

    emit_incident_created(incident)
    data = WebhookDelivery.objects.get().payload["data"]
    assert data["restricted"] is True
    assert data["category"] is None and data["severity"] is None


def test_only_chosen_events_and_active_hooks(place_a, manager, hook):
    paused, _secret = webhooks.webhook_create(
        place=place_a, actor=manager, url="https://other.example.net/x", events=["alert.created"]
    )
    paused.is_active = False
    paused.save()
    only_reports, _secret = webhooks.webhook_create(
        place=place_a, actor=manager, url="https://third.example.net/x", events=["report.ready"]
    )
    alert_send(place=place_a, actor=manager, data={"text": "Stökigt vid torget."})
    assert list(WebhookDelivery.objects.values_list("webhook_id", "event")) == [
        (hook.pk, "alert.created")
    ]
    assert "Stökigt" not in json.dumps(WebhookDelivery.objects.get().payload)
    report = f.SituationReportFactory(place=place_a)
    report_services.report_generate(report_id=report.pk, notify=False)
    assert set(
        WebhookDelivery.objects.filter(event="report.ready").values_list("webhook_id", flat=True)
    ) == {hook.pk, only_reports.pk}


def test_failures_are_retried_with_backoff_then_given_up(place_a, manager, hook):
    incident = f.IncidentFactory(place=place_a)
    from safety.webhook_events import emit_incident_created

    emit_incident_created(incident)
    delivery = WebhookDelivery.objects.get()
    with mock.patch.object(webhooks.requests, "post", return_value=_ok(503)):
        assert webhooks.deliver() == 0
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.response_status) == ("pending", 1, 503)
    assert delivery.next_attempt_at > timezone.now()
    # Not due yet: nothing is sent.
    with mock.patch.object(webhooks.requests, "post", return_value=_ok()) as post:
        assert webhooks.deliver() == 0
    post.assert_not_called()
    # Each failure waits longer; after MAX_ATTEMPTS the delivery is failed.
    delays = []
    with mock.patch.object(
        webhooks.requests, "post", side_effect=webhooks.requests.ConnectionError
    ):
        for _ in range(webhooks.MAX_ATTEMPTS - 1):
            WebhookDelivery.objects.filter(pk=delivery.pk).update(next_attempt_at=timezone.now())
            webhooks.deliver()
            delivery.refresh_from_db()
            delays.append(delivery.next_attempt_at - timezone.now())
    assert delivery.status == "failed"
    assert delivery.last_error == "ConnectionError"
    assert delays == sorted(delays)


def test_sweep_puts_back_rows_of_a_dead_worker(place_a, hook):
    incident = f.IncidentFactory(place=place_a)
    from safety.webhook_events import emit_incident_created

    emit_incident_created(incident)
    WebhookDelivery.objects.update(
        status="sending", claimed_at=timezone.now() - dt.timedelta(hours=1)
    )
    with mock.patch("amp_platform.celery.publish") as publish:
        result = webhooks.sweep()
    assert result["reclaimed"] == 1
    assert result["due"] is True
    publish.assert_called_once()


def test_delivery_log_on_the_page(client, place_a, manager, hook, django_assert_max_num_queries):
    from safety.webhook_events import emit_incident_created

    for incident in f.IncidentFactory.create_batch(3, place=place_a):
        emit_incident_created(incident)
    client.force_login(manager)
    with django_assert_max_num_queries(20) as small:
        client.get(settings_url(place_a))
    for incident in f.IncidentFactory.create_batch(20, place=place_a):
        emit_incident_created(incident)
    with django_assert_max_num_queries(20) as large:
        response = client.get(settings_url(place_a))
    assert len(large.captured_queries) == len(small.captured_queries)
    assert response.content.decode().count("incident.created") >= 23


@pytest.mark.parametrize(
    "url",
    [
        "https://localhost/hook",
        "https://127.0.0.1/hook",
        "https://10.0.0.5/hook",
        "https://[::1]/hook",
        "https://169.254.169.254/latest",
        "https://redis.internal/x",
    ],
)
def test_local_addresses_are_refused(place_a, manager, url):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        webhooks.webhook_create(place=place_a, actor=manager, url=url, events=["alert.created"])


def test_a_name_that_resolves_into_the_local_network_is_not_called(place_a, hook, monkeypatch):
    monkeypatch.setattr(webhooks, "resolves_to_public_addresses", REAL_PUBLIC_CHECK)
    monkeypatch.setattr(
        webhooks.socket,
        "getaddrinfo",
        lambda *args, **kwargs: [(2, 1, 6, "", ("10.1.2.3", 443))],
    )
    from safety.webhook_events import emit_incident_created

    emit_incident_created(f.IncidentFactory(place=place_a))
    with mock.patch.object(webhooks.requests, "post") as post:
        assert webhooks.deliver() == 0
    post.assert_not_called()
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == "pending" and delivery.attempts == 1
    assert "internet" in delivery.last_error
    # A public address is called.
    monkeypatch.setattr(
        webhooks.socket,
        "getaddrinfo",
        lambda *args, **kwargs: [(2, 1, 6, "", ("93.184.216.34", 443))],
    )
    WebhookDelivery.objects.update(next_attempt_at=timezone.now())
    with mock.patch.object(webhooks.requests, "post", return_value=_ok()) as post:
        assert webhooks.deliver() == 1
