"""Fixtures for the fault tests: a Redis that is down or hangs, and the survey fixtures."""

import socket
import threading

import pytest
from django.conf import settings as django_settings

from tests.surveys.conftest import questions, survey, template_sv  # noqa: F401


def _reset_circuit():
    try:
        from amp_platform.cache import _Circuit
    except ImportError:  # a build without the fail-open cache: nothing to reset
        return
    _Circuit.reset()


def closed_port() -> int:
    """A local port nothing listens on (bound, then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _fail_open_cache(url: str) -> dict:
    return {
        "default": {
            # The backend production uses with REDIS_URL (settings.REDIS_CACHE_BACKEND).
            "BACKEND": getattr(
                django_settings,
                "REDIS_CACHE_BACKEND",
                "django.core.cache.backends.redis.RedisCache",
            ),
            "LOCATION": url,
            "KEY_PREFIX": "amp-fault-test",
            "OPTIONS": {"socket_timeout": 1, "socket_connect_timeout": 1},
        }
    }


@pytest.fixture
def redis_down(settings):
    """The cache on a Redis that refuses connections (stopped)."""
    _reset_circuit()
    settings.CACHES = _fail_open_cache(f"redis://127.0.0.1:{closed_port()}/0")
    yield
    _reset_circuit()


class HangingServer:
    """Accepts connections and never answers: a Redis that hangs."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(50)
        self.port = self.sock.getsockname()[1]
        self.clients = []
        self._stop = False
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    def _accept(self):
        self.sock.settimeout(0.2)
        while not self._stop:
            try:
                client, _address = self.sock.accept()
            except OSError:
                continue
            self.clients.append(client)

    def close(self):
        self._stop = True
        self.thread.join(2)
        for client in self.clients:
            client.close()
        self.sock.close()


@pytest.fixture
def redis_hanging(settings):
    """The cache on a Redis that accepts connections but never answers."""
    server = HangingServer()
    _reset_circuit()
    settings.CACHES = _fail_open_cache(f"redis://127.0.0.1:{server.port}/0")
    yield server
    _reset_circuit()
    server.close()
