"""A real Celery worker against Redis: the dispatcher and the generation task, end to end.

Runs when REDIS_URL is set (CI sets it); skips with a reason otherwise, but fails under CI=true
without Redis. The worker is Celery's own test worker (`start_worker`) in a thread of this
process: a real consumer of the Redis broker, with task_always_eager off, using this test's
database (a transactional test, so the worker's own connection sees committed rows).
"""

import datetime as dt
import os
import time
import uuid

import pytest
from celery.signals import task_postrun
from django.core import mail
from django.db import connections

from safety.models import SituationReport
from tests import clock
from tests import factories as f

from .conftest import local

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def redis_url():
    url = os.environ.get("REDIS_URL")
    if not url:
        if os.environ.get("CI") == "true":
            pytest.fail("CI=true but REDIS_URL is not set: the real-worker test needs Redis.")
        pytest.skip("REDIS_URL is not set: the real Celery worker test needs Redis.")
    return url


def _close_worker_connections(**kwargs):
    # The worker thread's own DB connections, closed after each task so the test database can
    # be flushed and dropped afterwards.
    connections.close_all()


@pytest.fixture
def worker(redis_url):
    """A worker consuming a queue of its own, so no other worker on this Redis takes our tasks."""
    from celery.contrib.testing.worker import start_worker

    from amp_platform.celery import app

    queue = f"amp-test-{uuid.uuid4().hex[:12]}"
    saved = {key: app.conf[key] for key in ("task_always_eager", "task_default_queue")}
    app.conf.task_always_eager = False
    app.conf.task_default_queue = queue
    # The routing tables are built once from the configuration; rebuild them for our queue.
    for cached in ("queues", "router"):
        app.amqp.__dict__.pop(cached, None)
    app.amqp._rtable = None
    task_postrun.connect(_close_worker_connections, weak=False)
    try:
        with start_worker(
            app, pool="solo", queues=[queue], perform_ping_check=False, shutdown_timeout=20
        ):
            yield app
    finally:
        task_postrun.disconnect(_close_worker_connections)
        app.conf.update(saved)
        for cached in ("queues", "router"):
            app.amqp.__dict__.pop(cached, None)
        app.amqp._rtable = None


def wait_for(condition, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.25)
    return False


def test_beat_dispatcher_and_generation_run_on_a_real_worker(worker, place_a, reader, vandalism):
    from safety.tasks import dispatch_situation_reports

    # A place two years old: every catch-up period (6 weeks, 3 months, 2 quarters) is due.
    two_years_ago = clock.today() - dt.timedelta(days=730)
    place_a.__class__.objects.filter(pk=place_a.pk).update(
        created_at=local(two_years_ago.year, two_years_ago.month, two_years_ago.day)
    )
    last_month = clock.month_start() - dt.timedelta(days=1)
    f.IncidentFactory(
        place=place_a,
        category=vandalism,
        occurred_at=local(last_month.year, last_month.month, 10, 21, 30),
    )

    # What beat sends every morning: the worker creates the reports and enqueues each one.
    dispatch_situation_reports.delay()

    assert wait_for(lambda: SituationReport.objects.filter(place=place_a).count() == 11), (
        "the dispatcher did not create the week, month and quarter reports"
    )
    monthly = SituationReport.objects.filter(place=place_a, kind="monthly").order_by(
        "-period_start"
    )
    assert wait_for(
        lambda: not SituationReport.objects.filter(place=place_a).exclude(status="ready").exists()
    ), list(SituationReport.objects.values_list("kind", "period_start", "status", "error"))
    latest = monthly.first()
    assert latest.period_start == last_month.replace(day=1)
    assert latest.figures["incidents"]["total"] == 1
    assert latest.attempts == 1
    # Each ready report e-mailed the reader once, through the notification task.
    assert wait_for(lambda: len(mail.outbox) == 11)
    assert {m.to[0] for m in mail.outbox} == {reader.email}
    assert not SituationReport.objects.filter(notified_at__isnull=True).exists()
