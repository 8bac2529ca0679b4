"""A small full stack for fault tests: Celery worker processes, a Redis of our own, an SMTP sink.

- `WorkerProcess`: `celery -A amp_platform worker` (prefork, so time limits and killed pool
  processes behave as in production) on the test database (PostgreSQL: it must see what the
  transactional test commits), a queue of its own, and faults from `tests/reliability/faults.py`.
- `PrivateRedis`: a `redis-server` on a free port, started and stopped by the test – never the
  shared one.
- `SmtpSink`: an SMTP server in a thread that counts every accepted message; it can hang on
  the n-th message (to kill a worker mid-send).
"""

import os
import shutil
import signal
import socket
import socketserver
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone

ROOT = Path(settings.BASE_DIR)


def real_time() -> float:
    """The real clock, whatever time-machine says (the worker process travels on its own)."""
    import time_machine

    if time_machine.escape_hatch.is_travelling():
        return time_machine.escape_hatch.time.time()
    return time.time()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(condition, timeout=60.0, interval=0.2, *, beat=None, beat_every=10.0) -> bool:
    """Whether `condition()` came true within `timeout` seconds. With `beat`, it is called every
    `beat_every` seconds meanwhile: what Celery beat's sweepers do in production, where a
    delivery that a slow moment left pending is picked up on the next sweep."""
    deadline = time.monotonic() + timeout
    next_beat = time.monotonic() + beat_every
    while time.monotonic() < deadline:
        if condition():
            return True
        if beat is not None and time.monotonic() >= next_beat:
            beat()
            next_beat = time.monotonic() + beat_every
        time.sleep(interval)
    return False


def beat():
    """Beat's outbox and alert sweepers, run on the workers as production runs them every
    minute or two (call inside `publishing_to`)."""
    from places.tasks import sweep_outbox
    from safety.tasks import sweep_alerts

    sweep_alerts.delay()
    sweep_outbox.delay()


def require_full_stack():
    """Skip (fail under CI) unless PostgreSQL and Redis are configured."""
    missing = [
        name
        for name, ok in (
            ("DATABASE_URL (PostgreSQL)", connection.vendor == "postgresql"),
            ("REDIS_URL", bool(os.environ.get("REDIS_URL"))),
        )
        if not ok
    ]
    if missing:
        message = f"needs {', '.join(missing)}: a worker process shares the test database"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)


# --- SMTP -----------------------------------------------------------------------------------


class SmtpSink:
    """Accepts mail on a local port; `accepted` lists (recipients, message) as the server said
    "250 OK" to them. With `hang_on=n` the n-th message is read but never answered until
    `release()`; it is then dropped (the client never heard "250")."""

    def __init__(self, hang_on: int | None = None):
        self.accepted: list[tuple[list[str], str]] = []
        self.hang_on = hang_on
        self.hanging = threading.Event()
        self._release = threading.Event()
        self._lock = threading.Lock()
        self._seen = 0
        sink = self

        class Handler(socketserver.StreamRequestHandler):
            def reply(self, line: str):
                self.wfile.write(line.encode() + b"\r\n")
                self.wfile.flush()

            def handle(self):
                self.reply("220 sink ESMTP")
                recipients: list[str] = []
                while True:
                    line = self.rfile.readline()
                    if not line:
                        return
                    command = line.decode(errors="replace").strip()
                    verb = command[:4].upper()
                    if verb in ("EHLO", "HELO"):
                        self.reply("250 sink")
                    elif verb == "MAIL":
                        recipients = []
                        self.reply("250 OK")
                    elif verb == "RCPT":
                        recipients.append(command.split(":", 1)[1].strip().strip("<>"))
                        self.reply("250 OK")
                    elif verb == "DATA":
                        self.reply("354 End data with <CR><LF>.<CR><LF>")
                        body = []
                        while True:
                            data = self.rfile.readline()
                            if not data:
                                return
                            if data in (b".\r\n", b".\n"):
                                break
                            body.append(data.decode(errors="replace"))
                        if not sink._take(recipients, "".join(body)):
                            return  # hung, then dropped without an answer
                        self.reply("250 OK queued")
                    elif verb == "QUIT":
                        self.reply("221 Bye")
                        return
                    else:  # RSET, NOOP and the rest
                        self.reply("250 OK")

        class Server(socketserver.ThreadingTCPServer):
            allow_reuse_address = True
            daemon_threads = True

        self.server = Server(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def _take(self, recipients, body) -> bool:
        with self._lock:
            self._seen += 1
            hang = self.hang_on is not None and self._seen == self.hang_on
        if hang:
            self.hanging.set()
            self._release.wait(120)
            return False
        with self._lock:
            self.accepted.append((list(recipients), body))
        return True

    def release(self):
        self._release.set()

    def recipients(self) -> list[str]:
        with self._lock:
            return sorted(rcpt for rcpts, _body in self.accepted for rcpt in rcpts)

    def close(self):
        self.release()
        self.server.shutdown()
        self.server.server_close()


# --- Redis of our own -----------------------------------------------------------------------


class PrivateRedis:
    """`redis-server` without persistence on a free port (as in docker-compose)."""

    def __init__(self):
        if not shutil.which("redis-server"):
            if os.environ.get("CI") == "true":
                pytest.fail("CI=true but redis-server is not installed")
            pytest.skip("redis-server is not installed")
        self.port = free_port()
        self.dir = tempfile.mkdtemp(prefix="amp-redis-")
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process = None

    def start(self):
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", ""]
            + ["--appendonly", "no", "--dir", self.dir],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        import redis

        client = redis.Redis(port=self.port, socket_connect_timeout=0.5)

        def up():
            try:
                return client.ping()
            except redis.RedisError:
                return False

        assert wait_for(up, 15), "redis-server did not start"

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.kill()
            self.process.wait(10)
        self.process = None

    def close(self):
        self.stop()
        shutil.rmtree(self.dir, ignore_errors=True)


# --- Worker processes -----------------------------------------------------------------------


class WorkerProcess:
    """A Celery worker in its own process group (so a test can SIGKILL it and its pool)."""

    def __init__(self, *, broker_url, queue, smtp_port=None, fault="", concurrency=1, log=None):
        self.queue = queue
        database = connection.settings_dict
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "amp_platform.settings",
            "DEBUG": "1",
            "SECRET_KEY": settings.SECRET_KEY,
            "DATABASE_URL": "postgres://{USER}:{PASSWORD}@{HOST}:{PORT}/{NAME}".format(
                **{key: database.get(key) or "" for key in ("USER", "PASSWORD", "NAME")},
                HOST=database.get("HOST") or "127.0.0.1",
                PORT=database.get("PORT") or 5432,
            ),
            "REDIS_URL": broker_url,
            "CELERY_QUEUE": queue,
            "CELERY_TASK_ALWAYS_EAGER": "0",
            "EMAIL_URL": f"smtp://127.0.0.1:{smtp_port}" if smtp_port else "",
            "EMAIL_TIMEOUT": "30",
            "CACHE_KEY_PREFIX": f"amp-worker-{queue}",
            "AMP_FAULT": fault,
            # The worker's clock stands where the test's (ticking) clock stands, whatever the
            # worker's start-up takes: the moment, and the real time it was taken at.
            "AMP_TEST_CLOCK": timezone.now().isoformat(),
            "AMP_TEST_CLOCK_TAKEN": repr(real_time()),
            "WORKER_HEARTBEAT_FILE": "",
            "PYTHONPATH": str(ROOT),
        }
        env.pop("PYTEST_XDIST_WORKER", None)
        self.log = log or tempfile.NamedTemporaryFile(  # noqa: SIM115 - the worker writes it
            prefix="amp-worker-", suffix=".log", delete=False
        )
        self.process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "amp_platform", "worker"]
            + ["--pool", "prefork", "--concurrency", str(concurrency), "--queues", queue]
            + ["--include", "tests.reliability.faults", "--loglevel", "INFO"]
            + ["--without-gossip", "--without-mingle", "--hostname", f"{queue}@%h"],
            cwd=ROOT,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def output(self) -> str:
        return Path(self.log.name).read_text(errors="replace")

    def wait_ready(self, timeout=60):
        assert wait_for(lambda: " ready." in self.output() or not self.alive(), timeout), (
            self.output()[-3000:]
        )
        assert self.alive(), self.output()[-3000:]

    def alive(self) -> bool:
        return self.process.poll() is None

    def kill(self):
        """SIGKILL the worker and its pool processes at once (a host or OOM kill)."""
        if self.alive():
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(10)

    def stop(self):
        if self.alive():
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                self.kill()


@contextmanager
def publishing_to(broker_url: str, queue: str):
    """Make this test process publish tasks (and `publish`/`enqueue_on_commit`) to `queue` on
    `broker_url`, not run them eagerly."""
    from amp_platform.celery import app

    saved = {
        key: app.conf[key] for key in ("task_always_eager", "task_default_queue", "broker_url")
    }

    def reset_pools():
        for cached in ("queues", "router"):
            app.amqp.__dict__.pop(cached, None)
        app.amqp._rtable = None
        # kombu keeps connection and producer pools per broker in a registry of its own.
        from kombu import pools

        pools.reset()
        app._pool = None
        app.amqp._producer_pool = None

    app.conf.task_always_eager = False
    app.conf.task_default_queue = queue
    app.conf.broker_url = broker_url
    reset_pools()
    try:
        from amp_platform.celery import _BrokerCircuit

        _BrokerCircuit.reset()
    except ImportError:
        pass
    try:
        yield app
    finally:
        app.conf.update(saved)
        reset_pools()


def new_queue() -> str:
    return f"amp-fault-{uuid.uuid4().hex[:10]}"
