"""The speed bench of issue #20: ratios measured interleaved in one run, on the data of
`bench_dashboard` (run that first, e.g. `bench_dashboard --scale 0.15`; then `--keep` is implied).

    export DJANGO_SETTINGS_MODULE=tools.bench.settings  # the bench app (issue #12)
    python manage.py bench [--rounds 7] [--http] [--http-seconds 2] [--http-rounds 3]

Prints, for the largest bench place, with the same machine load for every side of a ratio
(each round runs every variant once, so a busy neighbour slows them all alike):

- the dashboard (last 30 days, this year), as a manager and as a reader: the cold request (the
  place's cache version replaced first: every figure recomputed, the charts found drawn when
  their data did not change), the request right after a new incident in the period (the
  figures and the charts all new) and the warm one, each ÷ the raw SQL of the same request –
  every statement the cold request runs, captured with an execute wrapper and replayed with a
  plain cursor (no ORM, no Python around them) – and the cold one also ÷ the figures core's
  statements alone;
- last month's lägesbild of the largest place and of every bench place: the figures core ÷
  its raw SQL; the report page warm;
- the overview (staff, every place) cold and warm;
- the size of the dashboard page, plain and gzip-compressed as a browser receives it;
- with `--http`: a local gunicorn (2 sync workers, loopback only, stopped at the end) serving
  this database and cache, and the warm dashboard's requests per second ÷ the login page's,
  measured in alternating slices of `--http-seconds` with a logged-in session cookie.

Absolute times are only "on this machine, this day"; the ratios are what the README records.
"""

import datetime as dt
import gzip
import os
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from http.client import HTTPConnection
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test import Client
from django.test.utils import override_settings
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from places.models import Place
from safety.cache import place_changed
from safety.figures import place_figures
from safety.models import Incident, IncidentCategory, SituationReport
from safety.periods import period_containing, preset_period
from safety.queries import weekly_series_by_category
from safety.services.reports import report_generate

from .bench_dashboard import PLACE_PREFIX, USER_DOMAIN

BASE_DIR = Path(settings.BASE_DIR)


def _median_ms(values) -> float:
    return statistics.median(values) * 1000


class Captured:
    """The SQL statements (with parameters) run inside the block."""

    def __init__(self):
        self.statements = []

    def __call__(self, execute, sql, params, many, context):
        if not many:
            self.statements.append((sql, params))
        return execute(sql, params, many, context)


def capture(work) -> list:
    captured = Captured()
    with connection.execute_wrapper(captured):
        work()
    return captured.statements


def replay(statements) -> float:
    """Seconds to run the statements with a plain cursor and fetch every row."""
    started = time.perf_counter()
    with connection.cursor() as cursor:
        for sql, params in statements:
            cursor.execute(sql, params)
            if cursor.description is not None:
                cursor.fetchall()
    return time.perf_counter() - started


def _timed(work) -> float:
    started = time.perf_counter()
    work()
    return time.perf_counter() - started


class Command(BaseCommand):
    help = "Print the speed ratios of issue #20 (interleaved), and with --http req/s ratios."

    def add_arguments(self, parser):
        parser.add_argument("--rounds", type=int, default=7, help="rounds of every variant")
        parser.add_argument("--http", action="store_true", help="also measure under gunicorn")
        parser.add_argument("--http-seconds", type=float, default=2.0, help="one slice")
        parser.add_argument("--http-rounds", type=int, default=3, help="slices per page")
        parser.add_argument("--http-clients", type=int, default=4, help="concurrent clients")

    def handle(self, *args, rounds, http, http_seconds, http_rounds, http_clients, **options):
        self.place = Place.objects.filter(slug__startswith=PLACE_PREFIX).order_by("slug").first()
        if self.place is None:
            raise CommandError("No bench data: run `manage.py bench_dashboard --scale 0.15`.")
        out = self.stdout.write
        incidents = Incident.objects.filter(place=self.place).count()
        out(
            f"{timezone.now():%Y-%m-%d %H:%M} UTC · {connection.vendor} · "
            f"{settings.CACHES['default']['BACKEND'].rsplit('.', 1)[-1]} · "
            f"largest place {self.place.slug}: {incidents:,} incidents · {os.cpu_count()} cores"
        )
        storages = {
            **settings.STORAGES,
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        }
        # As production runs: no query log, no template debugging.
        with override_settings(STORAGES=storages, DEBUG=False):
            self._dashboard(rounds)
            self._reports(rounds)
            self._overview(rounds)
            self._size()
        if http:
            self._http(http_seconds, http_rounds, http_clients)

    # --- Users -------------------------------------------------------------------------------

    def _user(self, role: str):
        if role == "staff":
            return User.objects.get(email=f"bench-staff{USER_DOMAIN}")
        return (
            User.objects.filter(place_roles__place=self.place, place_roles__role=role)
            .order_by("pk")
            .first()
        )

    def _client(self, role: str) -> Client:
        client = Client(HTTP_ACCEPT_ENCODING="gzip")
        client.force_login(self._user(role))
        return client

    def _get(self, client, url):
        response = client.get(url, secure=True)
        if response.status_code != 200:
            raise CommandError(f"{url} answered {response.status_code}")
        return response

    # --- The dashboard -----------------------------------------------------------------------

    def _dashboard(self, rounds):
        out = self.stdout.write
        out(f"\nDashboard (median of {rounds} interleaved rounds)")
        out(
            "  request SQL: every statement of the cold request replayed raw; figures SQL: "
            "the figures core's\n  cold: the place's version replaced (figures recomputed; "
            "charts drawn from the same data found drawn)\n  after a write: a new incident "
            "in the period first (figures and charts all new)"
        )
        out(
            f"{'who':8} {'period':13} {'req. SQL':>9} {'fig. SQL':>9} {'cold':>9} "
            f"{'write':>9} {'warm':>9} {'cold÷req':>9} {'write÷req':>10} {'cold÷fig':>9} "
            f"{'warm q.':>8}"
        )
        place = self.place
        today = timezone.localdate()
        base = reverse("places:overview", kwargs={"place_slug": place.slug})
        category = IncidentCategory.objects.order_by("order", "pk").first()
        written = []
        try:
            for role in ("manager", "reader"):
                client = self._client(role)
                for label, key in (("last 30 days", "30d"), ("this year", "year")):
                    period = preset_period(key, today)
                    url = f"{base}?period={key}"
                    self._get(client, url)  # templates and connections warm

                    def figures(period=period):
                        place_figures(place=place, start=period.start, end=period.end)
                        weekly_series_by_category(place=place, today=today)

                    def write():
                        # A new moment each time: the figures differ from every earlier round's.
                        moment = timezone.now() - dt.timedelta(minutes=len(written) + 1)
                        written.append(
                            Incident.objects.create(
                                place=place, category=category, occurred_at=moment
                            ).pk
                        )

                    statements = capture(figures)
                    place_changed(place.pk)
                    request_statements = capture(lambda c=client, u=url: self._get(c, u))
                    raw, request_raw, cold, after_write, warm = [], [], [], [], []
                    for _round in range(rounds):
                        raw.append(replay(statements))
                        request_raw.append(replay(request_statements))
                        place_changed(place.pk)
                        cold.append(_timed(lambda c=client, u=url: self._get(c, u)))
                        warm.append(_timed(lambda c=client, u=url: self._get(c, u)))
                        write()
                        after_write.append(_timed(lambda c=client, u=url: self._get(c, u)))
                    warm_queries = len(capture(lambda c=client, u=url: self._get(c, u)))
                    r, q = _median_ms(raw), _median_ms(request_raw)
                    c, a, w = _median_ms(cold), _median_ms(after_write), _median_ms(warm)
                    out(
                        f"{role:8} {label:13} {q:7.1f}ms {r:7.1f}ms {c:7.1f}ms {a:7.1f}ms "
                        f"{w:7.1f}ms {c / q:8.2f}× {a / q:9.2f}× {c / r:8.2f}× {warm_queries:8d}"
                    )
        finally:
            # Deleted as they came: the rollups and the version follow (triggers, signals).
            Incident.objects.filter(pk__in=written).delete()

    # --- Lägesbilder ---------------------------------------------------------------------------

    def _reports(self, rounds):
        out = self.stdout.write
        month = period_containing("monthly", timezone.localdate()).previous()
        place = self.place

        def figures(p=place):
            place_figures(place=p, start=month.start, end=month.end)

        statements = capture(figures)
        raw, core = [], []
        for _round in range(rounds):
            raw.append(replay(statements))
            core.append(_timed(figures))
        r, c = _median_ms(raw), _median_ms(core)
        out(f"\nLägesbild {month.code}, figures core ÷ its raw SQL (median of {rounds})")
        out(f"  largest place: {c:.1f} ms ÷ {r:.1f} ms = {c / r:.2f}×")
        places = list(Place.objects.filter(slug__startswith=PLACE_PREFIX).order_by("slug"))
        total_raw = total_core = 0.0
        for other in places:

            def work(p=other):
                place_figures(place=p, start=month.start, end=month.end)

            other_statements = capture(work)
            total_raw += min(replay(other_statements) for _i in range(2))
            total_core += min(_timed(work) for _i in range(2))
        out(
            f"  all {len(places)} places: {total_core * 1000:.0f} ms ÷ {total_raw * 1000:.0f} ms "
            f"= {total_core / total_raw:.2f}× (best of 2 each)"
        )
        report = (
            SituationReport.objects.filter(place=place, status=SituationReport.Status.READY)
            .exclude(figures={})
            .order_by("-period_end")
            .first()
        )
        if report is None:  # bench_dashboard's reports are listed, not generated
            report = SituationReport.objects.filter(place=place).order_by("-period_end").first()
            if report is None:
                return
            report_generate(report_id=report.pk, notify=False)
            report.refresh_from_db()
        client = self._client("reader")
        url = report.get_absolute_url()
        self._get(client, url)
        warm = [_timed(lambda: self._get(client, url)) for _i in range(rounds)]
        queries = len(capture(lambda: self._get(client, url)))
        out(f"  report page warm: {_median_ms(warm):.1f} ms, {queries} queries")

    # --- The overview --------------------------------------------------------------------------

    def _overview(self, rounds):
        client = self._client("staff")
        url = reverse("overview")
        self._get(client, url)
        places = list(
            Place.objects.filter(slug__startswith=PLACE_PREFIX).values_list("pk", flat=True)
        )
        cold, warm = [], []
        for _round in range(max(3, rounds // 2)):
            for pk in places:
                place_changed(pk)
            cold.append(_timed(lambda: self._get(client, url)))
            warm.append(_timed(lambda: self._get(client, url)))
        queries = len(capture(lambda: self._get(client, url)))
        self.stdout.write(
            f"\nOverview (staff, {len(places)} bench places): cold {_median_ms(cold):.1f} ms, "
            f"warm {_median_ms(warm):.1f} ms, {queries} queries warm"
        )

    # --- Page size -----------------------------------------------------------------------------

    def _size(self):
        client = self._client("manager")
        url = reverse("places:overview", kwargs={"place_slug": self.place.slug})
        response = self._get(client, url)
        wire = response.content
        plain = gzip.decompress(wire) if response.get("Content-Encoding") == "gzip" else wire
        encoding = response.get("Content-Encoding") or "plain"
        self.stdout.write(
            f"\nDashboard page (manager, last 30 days): {len(plain) / 1024:.0f} KB, "
            f"{len(wire) / 1024:.0f} KB over the wire ({encoding})"
        )

    # --- Under gunicorn ------------------------------------------------------------------------

    def _http(self, seconds, slices, clients):
        out = self.stdout.write
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        secret = secrets.token_urlsafe(50)
        env = {
            **os.environ,
            "DEBUG": "0",
            "SECRET_KEY": secret,
            "SECURE_SSL_REDIRECT": "0",
            "ALLOWED_HOSTS": "127.0.0.1",
            "GUNICORN_BIND": f"127.0.0.1:{port}",
            "WEB_CONCURRENCY": "2",
        }
        # The session must be signed with the server's key.
        with override_settings(SECRET_KEY=secret):
            client = Client()
            client.force_login(self._user("manager"))
            cookie = f"sessionid={client.cookies['sessionid'].value}"
        # The server runs with DEBUG=0, as production: its pages name the hashed static files
        # of collectstatic's manifest, made here if it is missing (as `make run` makes it).
        if not (Path(settings.STATIC_ROOT) / "staticfiles.json").exists():
            subprocess.run(
                [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"],
                cwd=BASE_DIR,
                env=env,
                check=True,
            )
        # The server's errors, shown if a request fails.
        with tempfile.TemporaryFile() as log:
            rates, size = self._served(env, port, cookie, log, seconds, slices, clients)
        d, lg = statistics.median(rates["dashboard"]), statistics.median(rates["login"])
        out(
            f"\nUnder gunicorn (2 sync workers, {clients} clients, {slices}×{seconds:g} s "
            f"alternating slices, loopback)"
        )
        out(
            f"  warm dashboard {d:.0f} req/s ({size / 1024:.0f} KB gzip) ÷ login page "
            f"{lg:.0f} req/s = {d / lg:.2f}"
        )

    def _served(self, env, port, cookie, log, seconds, slices, clients):
        """Requests per second of the dashboard and the login page under a local gunicorn."""
        dashboard = reverse("places:overview", kwargs={"place_slug": self.place.slug})
        login = reverse("account_login")
        server = subprocess.Popen(
            [
                str(Path(sys.executable).with_name("gunicorn")),
                "--config",
                str(BASE_DIR / "gunicorn.conf.py"),
                "--workers",
                "2",
                "--worker-class",
                "sync",
                "--access-logfile",
                "/dev/null",
            ],
            cwd=BASE_DIR,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=log,
            start_new_session=True,
        )
        try:
            self._wait_for(port)
            headers = {"Cookie": cookie, "Accept-Encoding": "gzip"}
            for _i in range(10):  # fill the cache, warm both workers
                self._request(port, dashboard, headers)
                self._request(port, login, {"Accept-Encoding": "gzip"})
            status, size = self._request(port, dashboard, headers)
            if status != 200:
                log.seek(0)
                tail = log.read().decode(errors="replace")[-3000:]
                raise CommandError(f"gunicorn answered the dashboard with {status}:\n{tail}")
            rates = {"dashboard": [], "login": []}
            for _slice in range(slices):
                rates["dashboard"].append(self._load(port, dashboard, headers, seconds, clients))
                rates["login"].append(
                    self._load(port, login, {"Accept-Encoding": "gzip"}, seconds, clients)
                )
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, signal.SIGKILL)
        return rates, size

    def _wait_for(self, port):
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    return
            except OSError:
                time.sleep(0.2)
        raise CommandError("gunicorn did not start within 30 s")

    def _request(self, port, path, headers) -> tuple[int, int]:
        conn = HTTPConnection("127.0.0.1", port, timeout=30)
        try:
            conn.request("GET", path, headers={"Host": "127.0.0.1", **headers})
            response = conn.getresponse()
            body = response.read()
            return response.status, len(body)
        finally:
            conn.close()

    def _load(self, port, path, headers, seconds, clients) -> float:
        """Requests per second answered 200 by `clients` threads within `seconds`."""
        done = [0] * clients
        stop = time.monotonic() + seconds

        def worker(i):
            while time.monotonic() < stop:
                status, _size = self._request(port, path, headers)
                if status == 200:
                    done[i] += 1

        threads = [threading.Thread(target=worker, args=(i,)) for i in range(clients)]
        started = time.monotonic()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        return sum(done) / (time.monotonic() - started)
