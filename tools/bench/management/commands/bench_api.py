"""Benchmark the API's list endpoints at city scale (issue #15, architecture §8).

    export DJANGO_SETTINGS_MODULE=tools.bench.settings  # the bench app (issue #12)
    python manage.py bench_api [--scale 1.0] [--keep] [--requests 30]

Uses the city-scale data of `bench_dashboard` (50 places, 1,000,000 incidents over five years,
200,000 activities, 100,000 survey responses; generated the same way, `--keep` reuses it) and
times, through the Django test client with a manager's and a reader's API token, the first page
and a page deep in the cursor of each list endpoint of the largest place, plus its figures:
server time p50 and p95, and the SQL queries per request. Run it on PostgreSQL.
"""

import datetime as dt
import statistics
import time

from django.core.management.base import CommandError
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import ApiScope, ApiToken, User
from accounts.tokens import api_token_create
from places.models import Place

from .bench_dashboard import PLACE_PREFIX, _percentile
from .bench_dashboard import Command as DashboardBench

LISTS = [
    ("incidents", {}),
    ("incidents", {"severity": "high"}),
    ("incidents_geojson", {}),
    ("activities", {}),
    ("action_items", {}),
    ("reports", {}),
    ("surveys", {}),
]
DEEP_PAGES = 20  # follow the cursor this many pages for the "deep" row


class Command(DashboardBench):
    help = "Generate (or reuse) city-scale data and time the API's list endpoints (p50/p95)."

    def _measure(self, *, requests, cold_requests):
        place = Place.objects.filter(slug__startswith=PLACE_PREFIX).order_by("slug").first()
        if place is None:
            raise CommandError("No bench data: run without --keep first.")
        out = self.stdout.write
        out(f"Database: {connection.vendor}; largest place {place.slug}.")
        for role in ("manager", "reader"):
            user = (
                User.objects.filter(place_roles__place=place, place_roles__role=role)
                .order_by("pk")
                .first()
            )
            ApiToken.objects.filter(user=user, name="bench").delete()
            _token, secret = api_token_create(
                user=user,
                name="bench",
                scopes=ApiScope.values,
                expires_at=timezone.now() + dt.timedelta(days=1),
            )
            client = Client(headers={"Authorization": f"Bearer {secret}"})
            with self.settings_for_bench():
                for name, params in LISTS:
                    url = reverse(f"api:{name}", kwargs={"place_slug": place.slug})
                    self._row(client, role, name, url, params, requests)
                    deep = self._deep_url(client, url, params)
                    if deep:
                        query = "".join(f" ?{k}={v}" for k, v in params.items())
                        label = f"{name}{query} page {DEEP_PAGES}"
                        self._row(client, role, label, deep, {}, requests)
                url = reverse("api:figures", kwargs={"place_slug": place.slug})
                self._row(client, role, "figures (30 days)", url, {}, requests)
            ApiToken.objects.filter(user=user, name="bench").delete()

    def settings_for_bench(self):
        from django.test.utils import override_settings

        return override_settings(API_RATE_LIMIT_PER_MINUTE=1_000_000)

    def _deep_url(self, client, url, params):
        body = client.get(url, params, secure=True).json()
        for _i in range(DEEP_PAGES - 1):
            following = body.get("next")
            if not following:
                return None
            body = client.get(following, secure=True).json()
        return body.get("next")

    def _row(self, client, role, label, url, params, times):
        client.get(url, params, secure=True)  # warm up
        statements = []

        def count(execute, sql, sql_params, many, context):
            statements.append(sql)
            return execute(sql, sql_params, many, context)

        with connection.execute_wrapper(count):
            response = client.get(url, params, secure=True)
        if response.status_code != 200:
            raise CommandError(f"{url} answered {response.status_code}: {response.content[:200]}")
        timings, sql = [], []
        spent = [0.0]

        def timed(execute, sql_text, sql_params, many, context):
            started = time.perf_counter()
            try:
                return execute(sql_text, sql_params, many, context)
            finally:
                spent[0] += time.perf_counter() - started

        with connection.execute_wrapper(timed):
            for _i in range(times):
                spent[0] = 0.0
                started = time.perf_counter()
                client.get(url, params, secure=True)
                timings.append((time.perf_counter() - started) * 1000)
                sql.append(spent[0] * 1000)
        query = "&".join(f"{k}={v}" for k, v in params.items())
        self.stdout.write(
            f"{role:8} {label + (' ?' + query if query else ''):32} "
            f"p50 {statistics.median(timings):6.1f} ms  p95 {_percentile(timings, 95):6.1f} ms  "
            f"{len(statements)} queries, SQL p50 {statistics.median(sql):5.1f} ms"
        )
