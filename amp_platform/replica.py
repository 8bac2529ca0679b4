"""Reads that may go to a PostgreSQL read replica (issue #20, README "Past one machine").

With `DATABASE_REPLICA_URL` set, settings add a second database alias, "replica", and this
router. Nothing goes there by default: only code inside `replica_reads()` – the dashboard's,
the overview's and a report's rendering on a cache miss, and the API's lists – reads from it.
Writes, access checks (`places.access`) and everything else stay on the primary.

A replica runs behind the primary by a moment, so `replica_reads` stays on the primary

- for a person who wrote anything in the last `REPLICA_STICKY_SECONDS` (read-your-write: the
  incident you just logged is on the dashboard you are sent back to; `RecentWriteMiddleware`
  remembers the write in the cache, for sessions and API tokens alike), and
- when the data being read changed in the last `REPLICA_STICKY_SECONDS` (`since`, the moment a
  place's cache version was replaced): otherwise a figure computed from a lagging replica would
  be cached under the new version and shown to everyone until the next change.
"""

import time
from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.core.cache import cache

REPLICA = "replica"
_reading = ContextVar("replica_reads", default=False)


def sticky_seconds() -> int:
    return getattr(settings, "REPLICA_STICKY_SECONDS", 10)


def configured() -> bool:
    """A replica alias exists and reads are routed to it (REPLICA_READS: on whenever
    DATABASE_REPLICA_URL is set; the tests keep the alias but switch the routing per test)."""
    return REPLICA in settings.DATABASES and getattr(settings, "REPLICA_READS", False)


def _wrote_key(user_id) -> str:
    return f"amp:replica:wrote:{user_id}"


def remember_write(user) -> None:
    if configured() and user is not None and user.is_authenticated:
        cache.set(_wrote_key(user.pk), 1, sticky_seconds())


def wrote_recently(user) -> bool:
    if user is None or not user.is_authenticated:
        return False
    return bool(cache.get(_wrote_key(user.pk)))


@contextmanager
def replica_reads(*, user=None, since: float | None = None):
    """Route the reads inside to the replica, when there is one and neither the person nor
    the data changed within the last REPLICA_STICKY_SECONDS (module docstring)."""
    use = (
        configured()
        and not (since is not None and time.time() - since < sticky_seconds())
        and not wrote_recently(user)
    )
    token = _reading.set(use)
    try:
        yield use
    finally:
        _reading.reset(token)


class ReplicaRouter:
    """Reads inside `replica_reads` go to the replica; everything else to the primary."""

    def db_for_read(self, model, **hints):
        return REPLICA if _reading.get() else "default"

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the same data, one a copy of the other

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db != REPLICA  # the replica follows the primary's schema by replication


class RecentWriteMiddleware:
    """Remembers for REPLICA_STICKY_SECONDS that the person wrote (any request that is not
    GET/HEAD/OPTIONS), so their next reads stay on the primary. After the view, so an API
    token's owner (authenticated inside the view) counts too. Only with a replica."""

    SAFE = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.method not in self.SAFE and configured():
            remember_write(getattr(request, "user", None))
        return response
