"""How the stack comes back: /healthz sees the workers and beat, compose restarts and checks
worker and beat, a lost task waits minutes not an hour, and a broker outage does not stop the
worker (issue #23, rows 1, 2 and 5)."""

import re
import time
from pathlib import Path

import pytest
from django.conf import settings

pytestmark = pytest.mark.django_db

COMPOSE = Path(settings.BASE_DIR) / "docker-compose.yml"


class FakeRedis:
    def __init__(self, keys=None, reachable=True):
        self.keys = keys or {}
        self.reachable = reachable

    def ping(self):
        if not self.reachable:
            raise ConnectionError("Error 111 connecting to redis:6379. Connection refused.")
        return True

    def scan_iter(self, match, count):
        prefix = match.rstrip("*")
        return [key for key in self.keys if key.startswith(prefix)]

    def get(self, key):
        return self.keys.get(key)


@pytest.fixture
def full_stack(settings):
    settings.REDIS_URL = "redis://redis:6379/0"
    settings.CELERY_TASK_ALWAYS_EAGER = False


def test_healthz_says_when_no_worker_is_alive(client, full_stack, monkeypatch):
    monkeypatch.setattr("amp_platform.health.heartbeat_redis", lambda: FakeRedis())
    body = client.get("/healthz").json()
    assert (body["broker"], body["worker"], body["workers"], body["beat"]) == (
        "ok",
        "missing",
        0,
        "late",
    )


def test_healthz_counts_the_workers_that_beat(client, full_stack, monkeypatch):
    keys = {
        "amp:heartbeat:worker:celery@a": b"1",
        "amp:heartbeat:worker:celery@b": b"1",
        "amp:heartbeat:beat": str(time.time() - 30).encode(),
    }
    monkeypatch.setattr("amp_platform.health.heartbeat_redis", lambda: FakeRedis(keys))
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert (body["worker"], body["workers"], body["beat"]) == ("ok", 2, "ok")


def test_healthz_stays_200_when_redis_is_down(client, full_stack, monkeypatch):
    monkeypatch.setattr("amp_platform.health.heartbeat_redis", lambda: FakeRedis(reachable=False))
    response = client.get("/healthz")
    assert response.status_code == 200  # pages and writes still work
    assert response.json()["broker"] == "unavailable"
    assert response.json()["worker"] == "unknown"


def _service(name: str) -> str:
    text = COMPOSE.read_text()
    match = re.search(rf"^  {name}:\n(.*?)(?=^  \S|^\S|\Z)", text, re.S | re.M)
    assert match, f"no {name} service in docker-compose.yml"
    return match.group(1)


@pytest.mark.parametrize("service", ["worker", "beat"])
def test_compose_restarts_and_checks_worker_and_beat(service):
    block = _service(service)
    anchor = re.search(r"^x-app: &app\n(.*?)(?=^\S)", COMPOSE.read_text(), re.S | re.M).group(1)
    assert "<<: *app" in block
    assert re.search(r"^\s+restart: unless-stopped", anchor + block, re.M)
    assert "healthcheck:" in block


def test_a_lost_task_waits_minutes_not_an_hour():
    from amp_platform.celery import app

    visibility = settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"]
    assert visibility <= 30 * 60
    limits = {}
    for name, task in app.tasks.items():
        if name.startswith("celery."):
            continue
        limit = task.time_limit or app.conf.task_time_limit
        retries = getattr(task, "autoretry_for", ())
        backoff = getattr(task, "retry_backoff_max", 0) if retries else 0
        limits[name] = max(limit or 0, backoff or 0)
    assert limits and max(limits.values()) < visibility, limits


def test_a_closed_broker_channel_raises_a_connection_error_not_an_attribute_error():
    # What stopped the worker when Redis went away mid-task (amp_platform/broker.py).
    import redis

    from amp_platform.broker import Channel

    channel = Channel.__new__(Channel)
    channel.connection = None
    with pytest.raises(redis.ConnectionError):
        channel._connparams()
