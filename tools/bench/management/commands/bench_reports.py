"""Benchmark: the time to generate a month's lägesbild for a place with a long history.

Builds (once) a place with 100,000 incidents over five years – plus activities and action
items – on the configured database with bulk inserts, then generates last month's report
several times and prints the timings (p50, p95) and the query count.
"""

import datetime as dt
import random
import statistics
import time

from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from places.models import ActionItem, Activity, ActivityKind, Place
from safety.models import Incident, IncidentCategory, SituationReport
from safety.periods import local_midnight, period_containing
from safety.services.reports import report_generate
from tools.bench.figures import describe, figures_core_vs_sql

SLUG = "bench-reports"
BOUNDARY = {
    "type": "Polygon",
    "coordinates": [
        [[13.000, 55.600], [13.006, 55.600], [13.006, 55.604], [13.000, 55.604], [13.000, 55.600]]
    ],
}
BATCH = 5000


class Command(BaseCommand):
    help = "Time the generation of a month's situation report for a place with 100,000 incidents."

    def add_arguments(self, parser):
        parser.add_argument("--incidents", type=int, default=100_000)
        parser.add_argument("--years", type=int, default=5)
        parser.add_argument("--runs", type=int, default=7)

    def handle(self, *args, incidents, years, runs, **options):
        place = self._place(incidents, years)
        month = period_containing("monthly", timezone.localdate()).previous()
        in_month = Incident.objects.filter(
            place=place,
            occurred_at__gte=local_midnight(month.start),
            occurred_at__lt=local_midnight(month.end),
        ).count()
        self.stdout.write(
            f"Database: {connection.vendor}; place {place.slug}: "
            f"{Incident.objects.filter(place=place).count():,} incidents, "
            f"{in_month:,} in {month.code}."
        )
        timings, queries = [], 0
        for _run in range(runs):
            SituationReport.objects.filter(
                place=place, kind="monthly", period_start=month.start
            ).delete()
            report = SituationReport.objects.create(
                place=place, kind="monthly", period_start=month.start, period_end=month.end
            )
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                report_generate(report_id=report.pk, notify=False)
                timings.append(time.perf_counter() - started)
            queries = len(captured.captured_queries)
        # The figures core alone against its own SQL replayed raw (issue #20).
        self.stdout.write(
            describe(f"month {month.code}", figures_core_vs_sql(place, month.start, month.end))
        )
        timings.sort()
        p50 = statistics.median(timings)
        p95 = timings[min(len(timings) - 1, round(0.95 * (len(timings) - 1)))]
        self.stdout.write(
            f"Month report {month.code}: p50 {p50 * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms, "
            f"min {timings[0] * 1000:.0f} ms over {runs} runs; {queries} queries per report."
        )

    def _place(self, incidents: int, years: int) -> Place:
        place, _created = Place.objects.get_or_create(
            slug=SLUG,
            defaults={
                "name": "Benchmark square",
                "municipality": "Malmö",
                "boundary": BOUNDARY,
                "centre_lat": 55.602,
                "centre_lon": 13.003,
            },
        )
        have = Incident.objects.filter(place=place).count()
        if have >= incidents:
            return place
        rng = random.Random(42)
        categories = list(IncidentCategory.objects.all())
        kinds = list(ActivityKind.objects.all())
        end = local_midnight(period_containing("monthly", timezone.localdate()).start)
        span = dt.timedelta(days=365 * years).total_seconds()
        self.stdout.write(f"Creating {incidents - have:,} incidents over {years} years …")
        started = time.perf_counter()
        remaining = incidents - have
        while remaining:
            size = min(BATCH, remaining)
            rows = [
                Incident(
                    place=place,
                    category=rng.choice(categories),
                    occurred_at=end - dt.timedelta(seconds=rng.uniform(0, span)),
                    severity=rng.choice(("low", "low", "medium", "high")),
                    description="Benchmark incident.",
                    lat=55.600 + rng.random() * 0.004 if rng.random() < 0.8 else None,
                    lon=13.000 + rng.random() * 0.006,
                    visibility="restricted" if rng.random() < 0.1 else "members",
                )
                for _i in range(size)
            ]
            for row in rows:
                if row.lat is None:
                    row.lon = None
            with transaction.atomic():
                Incident.objects.bulk_create(rows, batch_size=1000)
            remaining -= size
        activities = [
            Activity(
                place=place,
                kind=rng.choice(kinds),
                started_at=end - dt.timedelta(seconds=rng.uniform(0, span)),
                duration_minutes=rng.choice((30, 60, 90, 120)),
                participants_count=rng.randint(1, 8),
            )
            for _i in range(incidents // 5)
        ]
        Activity.objects.bulk_create(activities, batch_size=1000)
        items = [
            ActionItem(
                place=place,
                category=ActionItem.Category.LIGHTING,
                description="Benchmark action item.",
                created_at=end - dt.timedelta(seconds=rng.uniform(0, span)),
                due_date=(end - dt.timedelta(days=rng.uniform(-30, 365 * years))).date(),
                status=rng.choice(("open", "in_progress", "resolved", "resolved")),
            )
            for _i in range(incidents // 50)
        ]
        ActionItem.objects.bulk_create(items, batch_size=1000)
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute("ANALYZE")
        self.stdout.write(f"… done in {time.perf_counter() - started:.1f} s.")
        return place
