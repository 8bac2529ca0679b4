"""Benchmark: an alert's fan-out to a place with 500 people with roles (issue #13).

Builds (once) a place with `--people` people with roles, half of them with a push device, and
a scenario with a two-link contact chain. Then, per run, a reporter sends an alert through the
real page (Django's test client, the whole middleware stack) and it measures:

- the request: validation, the alert saved and its fan-out task enqueued (budget < 300 ms);
- queued: the fan-out task writing one delivery row per recipient and channel and the in-app
  notifications; request + fan-out is when every delivery is queued (budget < 2 s);
- delivered: the delivery task working through every row (e-mails handed to the outbox, push
  and SMS sent – both stubbed here so no network is touched).

With eager Celery (the zero-setup default) the task is not run inside the request: the publish
is recorded instead, so the request time is what a real deployment with a broker sees.
"""

import statistics
import time
from unittest import mock

from django.core.management.base import BaseCommand
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import reverse

from accounts.models import Organisation, User
from places.models import Place, PlaceRole, PushSubscription
from safety.models import Alert, AlertDelivery, ContactLink
from safety.services import alerts

SLUG = "bench-alerts"
P256DH = "BOr5pKzjs1yH6dO3tXbxBQrUmhUg9fM9wUJ0R7c1sV4yXKQZ3yYx0b2v6xw8r8e8aCsmBvN8-nhBzG1fM3Y1u0A"
AUTH = "8eDyX_uCN0XRhSbY5hs7Hg"


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms"


class Command(BaseCommand):
    help = "Time an alert's fan-out to a place with 500 people with roles."

    def add_arguments(self, parser):
        parser.add_argument("--people", type=int, default=500)
        parser.add_argument("--runs", type=int, default=5)

    def handle(self, *args, people, runs, **options):
        place, reporter, scenario = self._place(people)
        client = Client()
        client.force_login(reporter)
        url = reverse("safety:alert_create", kwargs={"place_slug": place.slug})
        published = []
        requests, fanned, delivered, queries, rows = [], [], [], 0, 0
        fake_push = override_settings(VAPID_PUBLIC_KEY="bench", VAPID_PRIVATE_KEY="bench")
        with (
            fake_push,
            mock.patch("pywebpush.webpush"),
            mock.patch(
                "amp_platform.celery.publish", side_effect=lambda task, **kw: published.append(kw)
            ),
        ):
            for run in range(runs):
                data = {"text": f"Provlarm {run + 1}", "severity": "high", "scenario": scenario.pk}
                with CaptureQueriesContext(connection) as captured:
                    started = time.perf_counter()
                    response = client.post(url, data)
                    requests.append(time.perf_counter() - started)
                if response.status_code != 302:
                    self.stderr.write(f"The alert was not sent: {response.status_code}")
                    return
                queries = len(captured.captured_queries)
                alert = Alert.objects.filter(place=place).order_by("-pk").first()
                started = time.perf_counter()
                alerts.fan_out(alert_id=alert.pk)
                fanned.append(requests[-1] + time.perf_counter() - started)
                rows = AlertDelivery.objects.filter(alert=alert).count()
                started = time.perf_counter()
                alerts.deliver(alert_id=alert.pk)
                delivered.append(time.perf_counter() - started)
        requests.sort()
        fanned.sort()
        delivered.sort()
        self.stdout.write(
            f"Database: {connection.vendor}; {people} people with roles at {place.slug}, "
            f"{PushSubscription.objects.filter(user__place_roles__place=place).count()} "
            "push devices."
        )
        self.stdout.write(
            f"Alert request: p50 {_ms(statistics.median(requests))}, "
            f"max {_ms(requests[-1])} over {runs} runs; {queries} queries."
        )
        self.stdout.write(
            f"All deliveries queued (request + fan-out task): p50 "
            f"{_ms(statistics.median(fanned))}, max {_ms(fanned[-1])}; {rows} delivery rows "
            f"per alert; {len(published)} task publishes."
        )
        self.stdout.write(
            f"Delivery task (e-mails to the outbox, push and SMS stubbed): "
            f"p50 {_ms(statistics.median(delivered))}, max {_ms(delivered[-1])}."
        )

    def _place(self, count: int):
        place, _created = Place.objects.get_or_create(
            slug=SLUG,
            defaults={
                "name": "Benchmark alerts",
                "municipality": "Malmö",
                "centre_lat": 55.6,
                "centre_lon": 13.0,
            },
        )
        guards, _ = Organisation.objects.get_or_create(
            org_number="556478-9018",
            defaults={"name": "Bench Väktare AB", "kind": "security_company"},
        )
        shop, _ = Organisation.objects.get_or_create(
            org_number="559145-6786", defaults={"name": "Bench Butik AB", "kind": "business"}
        )
        reporter, _ = User.objects.get_or_create(email="bench-alert-reporter@example.org")
        PlaceRole.objects.get_or_create(
            user=reporter, place=place, defaults={"role": "reporter", "organisation": guards}
        )
        have = PlaceRole.objects.filter(place=place).exclude(user=reporter).count()
        if have < count:
            users = User.objects.bulk_create(
                User(email=f"bench-alert-{n}@example.org", password="!") for n in range(have, count)
            )
            PlaceRole.objects.bulk_create(
                PlaceRole(user=u, place=place, role="reader", organisation=(guards, shop)[i % 2])
                for i, u in enumerate(users)
            )
            PushSubscription.objects.bulk_create(
                PushSubscription(
                    user=u,
                    endpoint=f"https://fcm.googleapis.com/fcm/send/bench-{u.pk}",
                    p256dh=P256DH,
                    auth=AUTH,
                )
                for u in users[::2]
            )
        scenario = alerts.plan_for(place).scenarios.first()
        ContactLink.objects.get_or_create(
            scenario=scenario, position=1, defaults={"organisation": guards, "phone": "040-111 111"}
        )
        ContactLink.objects.get_or_create(
            scenario=scenario, position=2, defaults={"organisation": shop, "phone": "040-222 222"}
        )
        return place, reporter, scenario
