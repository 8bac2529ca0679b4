"""Alerts with real worker processes, Redis and real SMTP/HTTP sinks (issue #13): delivery is
exactly once per recipient and channel under a double dispatch, concurrent workers, a worker
killed mid-send, and escalation is exactly once however many sweepers run.

Run where CI runs them (DATABASE_URL → PostgreSQL, REDIS_URL set); skipped elsewhere.
"""

import datetime as dt
import http.server
import json
import os
import threading
import time

import pytest
from django.db.models import F
from django.utils import timezone

from places.models import PlaceRole
from safety.models import Alert, AlertDelivery, ContactLink
from safety.services import alerts
from tests import factories as f

from .stack import (
    SmtpSink,
    WorkerProcess,
    beat,
    new_queue,
    publishing_to,
    require_full_stack,
    wait_for,
)

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]

PEOPLE = 12


class SmsSink:
    """An SMS provider's HTTP API on a local port: counts each accepted message (202). With
    `hang_on=n` the n-th request is read but never answered until `release()`."""

    def __init__(self, hang_on=None):
        self.accepted: list[str] = []
        self.hang_on = hang_on
        self.hanging = threading.Event()
        self._release = threading.Event()
        self._lock = threading.Lock()
        self._seen = 0
        sink = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                with sink._lock:
                    sink._seen += 1
                    hang = sink.hang_on is not None and sink._seen == sink.hang_on
                if hang:
                    sink.hanging.set()
                    sink._release.wait(120)
                    self.connection.close()  # dropped: the client never heard "accepted"
                    return
                with sink._lock:
                    sink.accepted.append(body["to"])
                self.send_response(202)
                self.send_header("Content-Length", "0")
                self.end_headers()

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/sms"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def release(self):
        self._release.set()

    def close(self):
        self.release()
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def stack(monkeypatch):
    require_full_stack()
    started, sinks = [], []

    class Stack:
        queue = new_queue()
        broker_url = os.environ["REDIS_URL"]

        def sinks(self, hang_sms_on=None):
            smtp, sms = SmtpSink(), SmsSink(hang_on=hang_sms_on)
            sinks.extend([smtp, sms])
            # The worker reads its SMS backend from the environment it starts with.
            monkeypatch.setenv("SMS_BACKEND", "http")
            monkeypatch.setenv("SMS_HTTP_URL", sms.url)
            return smtp, sms

        def state(self, smtp, sms) -> str:
            """What a failed wait leaves to read: the rows' states and the workers' logs."""
            from places.models import OutboxMessage

            deliveries = list(AlertDelivery.objects.values_list("channel", "status", "attempts"))
            outbox = list(
                OutboxMessage.objects.values_list("status", "attempts", "next_attempt_at")
            )
            logs = "\n".join(process.output()[-2500:] for process in started)
            return (
                f"mails {len(smtp.recipients())}, sms {sms.accepted}\n"
                f"deliveries {deliveries}\noutbox {outbox}\n{logs}"
            )

        def worker(self, smtp, concurrency=1):
            process = WorkerProcess(
                queue=self.queue,
                broker_url=self.broker_url,
                smtp_port=smtp.port,
                concurrency=concurrency,
            )
            started.append(process)
            process.wait_ready()
            return process

    yield Stack()
    for process in started:
        process.kill()
    for sink in sinks:
        sink.close()


@pytest.fixture
def world(place_a):
    guards = f.OrganisationFactory(name="Vakt & Trygg AB", kind="security_company")
    shop = f.OrganisationFactory(name="Torgets Livs AB", kind="business")
    sender = f.UserFactory(email="sender@example.org")
    PlaceRole.objects.create(user=sender, place=place_a, role="reporter", organisation=guards)
    people = [f.UserFactory(email=f"person{n:02}@example.org") for n in range(PEOPLE)]
    for n, user in enumerate(people):
        PlaceRole.objects.create(
            user=user, place=place_a, role="reader", organisation=(guards, shop)[n % 2]
        )
    scenario = alerts.plan_for(place_a).scenarios.first()
    ContactLink.objects.create(
        scenario=scenario, position=1, organisation=guards, phone="040-111 111"
    )
    ContactLink.objects.create(
        scenario=scenario, position=2, organisation=shop, phone="040-222 222"
    )
    return {"place": place_a, "sender": sender, "people": people, "scenario": scenario}


def _send(world, **data):
    return alerts.alert_send(
        place=world["place"],
        actor=world["sender"],
        data={"text": "Stökigt vid fontänen", "scenario": world["scenario"], **data},
    )


def test_a_double_dispatch_to_two_workers_delivers_once_per_recipient_and_channel(stack, world):
    from safety.tasks import deliver_alert, sweep_alerts

    smtp, sms = stack.sinks()
    stack.worker(smtp, concurrency=2)
    stack.worker(smtp, concurrency=2)
    with publishing_to(stack.broker_url, stack.queue):
        alert = _send(world)  # enqueued on commit
        for _ in range(5):  # a double dispatch, five times over, and the sweeper
            deliver_alert.delay(alert.pk)
        sweep_alerts.delay()

        def delivered():
            return len(smtp.recipients()) >= PEOPLE and sms.accepted

        # The sweepers run meanwhile, as beat runs them: delivery is at least once
        # eventually and, what this test is about, never twice.
        assert wait_for(delivered, 90, beat=beat), stack.state(smtp, sms)
        time.sleep(3)  # nothing more arrives
    assert smtp.recipients() == sorted(u.email for u in world["people"])
    assert sms.accepted == ["+4640111111"]
    assert set(AlertDelivery.objects.values_list("status", flat=True)) == {"sent"}


def test_escalation_reaches_the_next_link_once_however_many_sweepers_run(stack, world):
    from places.outbox import outbox_sweep
    from safety.tasks import sweep_alerts

    smtp, sms = stack.sinks()
    stack.worker(smtp, concurrency=2)
    stack.worker(smtp, concurrency=2)
    with publishing_to(stack.broker_url, stack.queue):
        alert = _send(world)
        assert wait_for(lambda: len(sms.accepted) == 1, 60, beat=beat), stack.state(smtp, sms)
        # No one answered and the scenario's minutes have passed.
        Alert.objects.filter(pk=alert.pk).update(
            next_escalation_at=F("created_at") - dt.timedelta(hours=1)
        )
        for _ in range(6):  # beat firing repeatedly, on four processes at once
            sweep_alerts.delay()
        alerts.sweep()  # and one in this process
        assert wait_for(lambda: len(sms.accepted) >= 2, 60, beat=beat), stack.state(smtp, sms)
        # The e-mails go through the outbox's own task; beat's outbox sweeper is the fallback
        # in production, and runs here too (in the full CI run the task sometimes does not
        # arrive in time — unexplained, see the closing note of issue #13). Once is the point.
        outbox_sweep()
        assert wait_for(lambda: len(smtp.recipients()) >= PEOPLE, 60, beat=beat), stack.state(
            smtp, sms
        )
        time.sleep(3)
    alert.refresh_from_db()
    assert alert.escalation_level == 2
    assert sorted(sms.accepted) == ["+4640111111", "+4640222222"]
    # Every person got the alert once, though the second link's people were alerted again.
    assert len(smtp.recipients()) == PEOPLE


def test_a_worker_killed_mid_send_sends_nothing_twice(stack, world):
    from places.outbox import outbox_sweep
    from safety.tasks import deliver_alert

    smtp, sms = stack.sinks(hang_sms_on=1)
    first = stack.worker(smtp)
    with publishing_to(stack.broker_url, stack.queue):
        alert = _send(world)
        assert sms.hanging.wait(60), first.output()[-3000:]
        first.kill()  # the SMS in the air; the e-mails were handed to the outbox
        stack.worker(smtp)
        deliver_alert.delay(alert.pk)  # a redelivered task finds nothing to claim
        time.sleep(3)
        assert sms.accepted == []
        # Later, beat's sweeper puts back the row a dead worker was sending.
        AlertDelivery.objects.filter(status="sending").update(
            claimed_at=timezone.now() - dt.timedelta(minutes=11)
        )
        alerts.sweep()
        outbox_sweep()  # the killed worker's reserved outbox task is not back for an hour
        assert wait_for(lambda: len(sms.accepted) == 1, 60, beat=beat), stack.state(smtp, sms)
        assert wait_for(lambda: len(smtp.recipients()) >= PEOPLE, 60, beat=beat), stack.state(
            smtp, sms
        )
        time.sleep(2)
    assert len(sms.accepted) == 1
    assert smtp.recipients() == sorted(u.email for u in world["people"])
