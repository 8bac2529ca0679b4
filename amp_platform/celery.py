"""The Celery application. The beat schedule lives in settings (CELERY_BEAT_SCHEDULE).

What makes tasks survive faults (README "Reliability"):

- `enqueue_on_commit` publishes a task once the transaction commits and never lets a broker
  outage break the request: what was to be enqueued is written to the database first (a pending
  report, an outbox row, an import waiting to be checked), and the sweepers on beat enqueue it
  again, so a lost publish only delays it.
- `Task`, the base of every task: sets PostgreSQL's `statement_timeout` below the task's soft
  time limit, so a stuck query ends as a clean database error instead of being interrupted
  mid-query by the limit; and gives `on_retry`/`on_failure` hooks a fresh database connection,
  since the one the task used may be dead or still busy with the interrupted query.
"""

import logging
import os
import threading
import time

from celery import Celery, bootsteps
from celery import Task as BaseTask

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "amp_platform.settings")

logger = logging.getLogger(__name__)

# The share of a task's soft time limit a single SQL statement may take.
STATEMENT_TIMEOUT_SHARE = 0.8
# After a failed publish the broker is not tried again for this long: a page does not wait for
# a dead Redis once per task it would enqueue (the sweepers enqueue the work later).
BROKER_CIRCUIT_SECONDS = 10.0


def fresh_database_connection() -> None:
    """Close this thread's database connection unless a transaction is open on it, so the next
    query reconnects. Used before recording a failure: the connection that failed may be dead,
    or stuck in a query that a time limit interrupted."""
    from django.db import connection

    if connection.in_atomic_block:
        return
    try:
        connection.close()
    except Exception:  # noqa: BLE001 - a connection that cannot even close is gone anyway
        logger.warning("Could not close the database connection", exc_info=True)
        connection.connection = None


def _statement_timeout_ms(task) -> int | None:
    # The limits the message carries (set by whoever sent it) win over the task's own.
    _hard, soft = task.request.timelimit or (None, None)
    soft = soft or task.soft_time_limit or task.app.conf.task_soft_time_limit
    return int(soft * 1000 * STATEMENT_TIMEOUT_SHARE) if soft else None


def apply_statement_timeout(milliseconds: int | None) -> None:
    """Bound every statement on this connection (PostgreSQL only; a no-op elsewhere)."""
    from django.db import connection

    if not milliseconds or connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT set_config('statement_timeout', %s, false)", [str(milliseconds)])


class Task(BaseTask):
    """The base of every task in this project (see the module docstring)."""

    def _in_worker(self) -> bool:
        return not (self.request.is_eager or self.request.called_directly)

    def __call__(self, *args, **kwargs):
        if self._in_worker():
            apply_statement_timeout(_statement_timeout_ms(self))
        return super().__call__(*args, **kwargs)

    def before_recording(self) -> None:
        """Call first in `on_retry`/`on_failure` before writing to the database."""
        if self._in_worker():
            fresh_database_connection()


app = Celery("amp_platform", task_cls=Task)
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


# --- Liveness -----------------------------------------------------------------------------

HEARTBEAT_SECONDS = 15
HEARTBEAT_KEY = "amp:heartbeat:worker:"
BEAT_HEARTBEAT_KEY = "amp:heartbeat:beat"


def heartbeat_redis():
    """A Redis client on the broker's database, for liveness keys (None without Redis)."""
    from django.conf import settings

    if not getattr(settings, "REDIS_URL", None):
        return None
    import redis

    return redis.Redis.from_url(settings.CELERY_BROKER_URL, socket_timeout=2)


class Heartbeat(bootsteps.StartStopStep):
    """Every HEARTBEAT_SECONDS a running worker says so: a key in the broker's Redis that
    /healthz counts, and the time of a file that the container's health check reads
    (`WORKER_HEARTBEAT_FILE`). It runs in the worker's event loop, so a worker that hangs, or
    has lost the broker, stops beating."""

    requires = {"celery.worker.components:Timer"}

    def __init__(self, worker, **kwargs):
        super().__init__(worker, **kwargs)
        self.timer_entry = None
        self.hostname = None

    def start(self, worker):
        self.hostname = worker.hostname
        self.beat()
        self.timer_entry = worker.timer.call_repeatedly(HEARTBEAT_SECONDS, self.beat)

    def stop(self, worker):
        if self.timer_entry is not None:
            self.timer_entry.cancel()
            self.timer_entry = None

    def beat(self):
        from django.conf import settings

        path = getattr(settings, "WORKER_HEARTBEAT_FILE", "")
        if path:
            try:
                with open(path, "a"):
                    os.utime(path)
            except OSError:
                logger.warning("Could not touch the heartbeat file %s", path, exc_info=True)
        try:
            client = heartbeat_redis()
            if client is not None:
                client.set(
                    HEARTBEAT_KEY + self.hostname, str(time.time()), ex=HEARTBEAT_SECONDS * 4
                )
        except Exception as error:  # noqa: BLE001 - the broker may be away; the loop goes on
            logger.info("Worker heartbeat not recorded: %r", error)


app.steps["worker"].add(Heartbeat)


@app.task(name="amp_platform.beat_heartbeat", ignore_result=True, soft_time_limit=10, time_limit=20)
def beat_heartbeat() -> None:
    """Runs every minute (beat): records that beat, the broker and a worker all work, for
    /healthz. Changes only a key in Redis."""
    client = heartbeat_redis()
    if client is not None:
        client.set(BEAT_HEARTBEAT_KEY, str(time.time()), ex=10 * 60)


class _BrokerCircuit:
    lock = threading.Lock()
    open_until = 0.0

    @classmethod
    def is_open(cls) -> bool:
        return time.monotonic() < cls.open_until

    @classmethod
    def trip(cls) -> bool:
        with cls.lock:
            was_closed = time.monotonic() >= cls.open_until
            cls.open_until = time.monotonic() + BROKER_CIRCUIT_SECONDS
        return was_closed

    @classmethod
    def reset(cls) -> None:
        cls.open_until = 0.0


def _broker_errors():
    from kombu.exceptions import OperationalError

    return (OperationalError, ConnectionError, TimeoutError, OSError)


def publish(task, *args, **kwargs) -> bool:
    """`task.delay(*args, **kwargs)`, but a broker outage is logged, not raised. Returns whether
    the task was handed to the broker (or ran, eagerly). Only for work the database already
    records, which a sweeper enqueues again."""
    eager = task.app.conf.task_always_eager
    if not eager and _BrokerCircuit.is_open():
        logger.info("Broker unavailable moments ago; %s is left to the sweeper", task.name)
        return False
    try:
        task.apply_async(args=args, kwargs=kwargs)
    except _broker_errors() as error:
        if eager:
            raise
        if _BrokerCircuit.trip():
            logger.warning(
                "Could not enqueue %s (%s: %s); the sweeper will enqueue it again",
                task.name,
                type(error).__name__,
                error,
            )
        return False
    return True


def enqueue_on_commit(task, *args, **kwargs) -> None:
    """Publish `task` once the current transaction commits (see `publish`)."""
    from django.db import transaction

    transaction.on_commit(lambda: publish(task, *args, **kwargs))
