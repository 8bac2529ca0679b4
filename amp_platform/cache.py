"""A Redis cache that fails open: when Redis is down or hangs, the site carries on uncached.

Nothing this project keeps in the cache is the only copy of anything: figures, charts and PDFs
are recomputed, version tokens are replaced, rate-limit counters start again. So a cache error
must never become a 500, and above all never undo a write (the figures' version bump runs inside
the transactions that save incidents, answers and payments). Every operation of
`FailOpenRedisCache` therefore catches Redis's errors, logs them (once per outage, not once per
call) and answers as an empty cache would: `get` gives the default, `set`/`add` report that
nothing was stored, `get_many` gives `{}`.

A hanging Redis costs at most `socket_timeout` (settings: `CACHE_SOCKET_TIMEOUT`), and after the
first failure the cache is skipped for `CIRCUIT_SECONDS` so a page does not wait once per key.

Rate limits decide for themselves whether a dead cache lets people through or holds them back:
inside `cache_strict()` errors are raised as `CacheUnavailable` instead of being swallowed (see
`accounts/ratelimits.py` and `surveys/abuse.py`, and the README's "Reliability" section).
"""

import contextvars
import logging
import threading
import time
from contextlib import contextmanager

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache, RedisCacheClient

logger = logging.getLogger(__name__)

# After a failure the cache is skipped this long; then the next call tries Redis again.
CIRCUIT_SECONDS = 5.0


class CacheUnavailable(Exception):
    """The cache could not be reached (raised only inside `cache_strict()`)."""


_strict = contextvars.ContextVar("cache_strict", default=False)


@contextmanager
def cache_strict():
    """Raise `CacheUnavailable` instead of answering as an empty cache, for callers that must
    know (a rate limit that fails closed, or that logs its own decision)."""
    token = _strict.set(True)
    try:
        yield
    finally:
        _strict.reset(token)


class _Circuit:
    """Per process and cache location: when Redis last failed, so calls skip it for a while.
    Shared by threads (Django makes one cache object per thread)."""

    _lock = threading.Lock()
    _open_until: dict[str, float] = {}

    @classmethod
    def is_open(cls, location: str) -> bool:
        return time.monotonic() < cls._open_until.get(location, 0.0)

    @classmethod
    def trip(cls, location: str, error: Exception) -> None:
        with cls._lock:
            was_closed = time.monotonic() >= cls._open_until.get(location, 0.0)
            cls._open_until[location] = time.monotonic() + CIRCUIT_SECONDS
        if was_closed:
            logger.warning(
                "Cache unavailable (%s: %s); serving uncached for the next %.0f s",
                type(error).__name__,
                error,
                CIRCUIT_SECONDS,
            )

    @classmethod
    def reset(cls) -> None:
        with cls._lock:
            cls._open_until.clear()


class _ReusedRedisClients(RedisCacheClient):
    """Django's Redis client, making each connection pool's `redis.Redis` once: Django makes a
    new one for every cache operation, and redis-py fills some 170 response callbacks into each
    (a cold dashboard makes a dozen of them, issue #20). The same pools, so the same
    connections; a `redis.Redis` is safe to share between threads."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))  # a pool lives as long as this object
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class FailOpenRedisCache(RedisCache):
    """Django's Redis cache, answering as an empty cache when Redis fails (module docstring)."""

    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = _ReusedRedisClients
        self._location = server if isinstance(server, str) else ",".join(server)

    def _errors(self):
        import redis

        return (redis.RedisError, ConnectionError, TimeoutError, OSError)

    def _call(self, fallback, operation, *args, **kwargs):
        if _Circuit.is_open(self._location):
            if _strict.get():
                raise CacheUnavailable("the cache was unavailable moments ago")
            return fallback
        try:
            return getattr(super(), operation)(*args, **kwargs)
        except self._errors() as error:
            _Circuit.trip(self._location, error)
            if _strict.get():
                raise CacheUnavailable(str(error)) from error
            return fallback

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call(False, "add", key, value, timeout, version)

    def get(self, key, default=None, version=None):
        return self._call(default, "get", key, default, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call(None, "set", key, value, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call(False, "touch", key, timeout, version)

    def delete(self, key, version=None):
        return self._call(False, "delete", key, version)

    def get_many(self, keys, version=None):
        return self._call({}, "get_many", keys, version)

    def has_key(self, key, version=None):
        return self._call(False, "has_key", key, version)

    def incr(self, key, delta=1, version=None):
        result = self._call(_MISSING, "incr", key, delta, version)
        if result is _MISSING:
            # What Django's caches say about a key they do not have.
            raise ValueError(f"Key '{key}' not found (the cache is unavailable)")
        return result

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call(list(data), "set_many", data, timeout, version)

    def delete_many(self, keys, version=None):
        return self._call(None, "delete_many", keys, version)

    def clear(self):
        return self._call(False, "clear")


_MISSING = object()
