"""Benchmark the place dashboard at city scale (architecture §8).

    export DJANGO_SETTINGS_MODULE=tools.bench.settings  # the bench app (issue #12)
    python manage.py bench_dashboard [--scale 1.0] [--keep] [--requests 30] [--cold-requests 15]

Generates 50 places, 500 organisations, 2,000 users, 1,000,000 incidents over five years,
200,000 activities and 100,000 survey responses (times --scale), then requests the dashboard of
the largest place through the Django test client and prints the server time (p50, p95) with a
cold cache (the place's cached figures dropped before every request) and a warm one, and the
number of SQL queries. Run it on PostgreSQL (bulk load with COPY); SQLite works for small scales.

The bench data is recognisable and removed before a new run: places `bench-NN`, organisations
"Bench …", users `bench-…@bench.invalid`. `--keep` reuses the data of an earlier run.
"""

import datetime as dt
import math
import random
import statistics
import time
import uuid
from decimal import Decimal

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.test import Client
from django.test.utils import override_settings
from django.urls import reverse
from django.utils import timezone
from stdnum import luhn

from accounts.models import Organisation, User
from partnerships.models import AnnualBudget, FundingCommitment, Membership
from places.models import ActionItem, Activity, ActivityKind, Place, PlaceRole, PlannedActivity
from safety.cache import place_changed
from safety.models import Incident, IncidentCategory, SituationReport
from surveys.models import Answer, Question, Response, Survey
from tools.bench.figures import describe, figures_core_vs_sql

PLACE_PREFIX = "bench-"
ORG_PREFIX = "Bench "
USER_DOMAIN = "@bench.invalid"
YEARS = 5
# Base volumes at scale 1 (architecture §8).
PLACES, ORGANISATIONS, USERS = 50, 500, 2000
INCIDENTS, ACTIVITIES, RESPONSES = 1_000_000, 200_000, 100_000
# Incidents and activities are spread over the places with a long tail: the largest place gets
# about a tenth of everything, as a busy city centre would.
SKEW = 0.8
CENTRES = [(55.6050, 13.0038), (59.3326, 18.0649), (57.7089, 11.9746), (59.8586, 17.6389)]
# Evening and night are busier than the morning.
HOUR_WEIGHTS = [5, 4, 4, 3, 2, 1, 1, 1, 2, 2, 3, 3, 4, 4, 4, 5, 6, 7, 8, 9, 10, 10, 9, 7]
BATCH = 5000


def _percentile(values, pct):
    ordered = sorted(values)
    index = max(0, math.ceil(pct / 100 * len(ordered)) - 1)
    return ordered[index]


def _org_number(n: int) -> str:
    base = f"55{9000000 + n:07d}"
    digits = base + luhn.calc_check_digit(base)
    return f"{digits[:6]}-{digits[6:]}"


def _count_queries(client, url) -> int:
    """SQL statements one request runs (counted by an execute wrapper: the test client's
    request_started signal resets Django's own query log)."""
    statements = []

    def count(execute, sql, params, many, context):
        statements.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        client.get(url, secure=True)
    return len(statements)


class Command(BaseCommand):
    help = "Generate city-scale data and time the place dashboard (p50/p95, cold and warm)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale", type=float, default=1.0, help="1.0 = the city scale of architecture §8"
        )
        parser.add_argument("--keep", action="store_true", help="reuse existing bench data")
        parser.add_argument("--requests", type=int, default=30, help="warm requests timed")
        parser.add_argument("--cold-requests", type=int, default=15, help="cold requests timed")
        parser.add_argument("--seed", type=int, default=2026)

    # --- Entry point -------------------------------------------------------------------------

    def handle(self, *args, scale, keep, requests, cold_requests, seed, **options):
        if scale <= 0:
            raise CommandError("--scale must be larger than 0.")
        self.rng = random.Random(seed)
        self.postgres = connection.vendor == "postgresql"
        if not self.postgres:
            self.stdout.write(
                self.style.WARNING("Not PostgreSQL: the figures say little about production.")
            )
        exists = Place.objects.filter(slug__startswith=PLACE_PREFIX).exists()
        if keep and exists:
            self.stdout.write("Reusing the bench data of an earlier run (--keep).")
        else:
            if exists:
                self._delete()
            started = time.perf_counter()
            self._generate(scale)
            self.stdout.write(f"Generated in {time.perf_counter() - started:.0f} s.")
        # The hashed-name manifest needs collectstatic; URLs of plain static files cost the same.
        storages = {
            **settings.STORAGES,
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        }
        with override_settings(STORAGES=storages):
            self._measure(requests=requests, cold_requests=cold_requests)

    # --- Data --------------------------------------------------------------------------------

    def _delete(self):
        """Remove an earlier run's data: big tables by SQL, the rest through the ORM."""
        self.stdout.write("Removing the bench data of an earlier run …")
        places = list(
            Place.objects.filter(slug__startswith=PLACE_PREFIX).values_list("pk", flat=True)
        )
        with transaction.atomic(), connection.cursor() as cursor:
            ids = ",".join(str(pk) for pk in places) or "0"
            survey_ids = f"SELECT id FROM {Survey._meta.db_table} WHERE place_id IN ({ids})"
            response_ids = (
                f"SELECT id FROM {Response._meta.db_table} WHERE survey_id IN ({survey_ids})"
            )
            cursor.execute(
                f"DELETE FROM {Answer._meta.db_table} WHERE response_id IN ({response_ids})"
            )
            cursor.execute(
                f"DELETE FROM {Response._meta.db_table} WHERE survey_id IN ({survey_ids})"
            )
            cursor.execute(f"DELETE FROM {Incident._meta.db_table} WHERE place_id IN ({ids})")
            cursor.execute(f"DELETE FROM {ActionItem._meta.db_table} WHERE place_id IN ({ids})")
            cursor.execute(f"DELETE FROM {Activity._meta.db_table} WHERE place_id IN ({ids})")
            Place.objects.filter(pk__in=places).delete()
            User.objects.filter(email__endswith=USER_DOMAIN).delete()
            Organisation.objects.filter(name__startswith=ORG_PREFIX).delete()

    def _copy(self, model, columns: list[str], rows) -> int:
        """Insert rows (tuples in `columns` order): COPY on PostgreSQL, bulk_create elsewhere."""
        count = 0
        if self.postgres:
            table = model._meta.db_table
            sql = f"COPY {table} ({', '.join(columns)}) FROM STDIN"
            with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
                for row in rows:
                    copy.write_row(row)
                    count += 1
            return count
        attnames = {field.column: field.attname for field in model._meta.concrete_fields}
        batch = []
        for row in rows:
            batch.append(model(**{attnames[c]: v for c, v in zip(columns, row, strict=True)}))
            if len(batch) >= BATCH:
                model.objects.bulk_create(batch)
                count += len(batch)
                batch = []
        if batch:
            model.objects.bulk_create(batch)
            count += len(batch)
        return count

    def _next_id(self, model) -> int:
        return (model.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1

    def _reset_sequence(self, model):
        if self.postgres:
            table = model._meta.db_table
            with connection.cursor() as cursor:
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                    f"(SELECT MAX(id) FROM {table}))"
                )

    def _split(self, total: int, weights: list[float]) -> list[int]:
        whole = sum(weights)
        return [round(total * w / whole) for w in weights]

    def _in_time_order(self, start: dt.datetime, days: int, total: int, weights: list[float]):
        """(place index, moment) pairs, `total` in all spread by `weights`, in time order – the
        order rows reach a live database, which decides how they lie on disk."""
        rng = self.rng
        per_day = [count / days for count in self._split(total, weights)]
        for day in range(days):
            moments = []
            for p, rate in enumerate(per_day):
                count = int(rate) + (rng.random() < rate - int(rate))
                for _i in range(count):
                    hour = rng.choices(range(24), HOUR_WEIGHTS)[0]
                    moments.append((hour, rng.randrange(3600), p))
            moments.sort()
            base = start + dt.timedelta(days=day)
            for hour, second, p in moments:
                moment = base + dt.timedelta(hours=hour, seconds=second)
                if moment <= self.now:
                    yield p, moment

    def _generate(self, scale):
        rng = self.rng
        now = self.now = timezone.now()
        today = timezone.localdate()
        start = now - dt.timedelta(days=365 * YEARS)
        # Days start at local midnight, so hours of the day are local hours.
        start = timezone.make_aware(dt.datetime.combine(timezone.localdate(start), dt.time.min))
        days = (today - timezone.localdate(start)).days + 1
        span = int((now - start).total_seconds())
        n_places = max(2, round(PLACES * min(scale, 1)))
        weights = [1 / (i + 1) ** SKEW for i in range(n_places)]
        out = self.stdout.write

        out(f"Creating {n_places} places, organisations and users …")
        orgs = Organisation.objects.bulk_create(
            Organisation(
                name=f"{ORG_PREFIX}organisation {i + 1}",
                org_number=_org_number(i),
                kind=rng.choice(
                    ["property_owner", "business", "security_company", "association", "other"]
                ),
            )
            for i in range(max(10, round(ORGANISATIONS * scale)))
        )
        places = []
        for i in range(n_places):
            lat, lon = CENTRES[i % len(CENTRES)]
            lat += (i // len(CENTRES)) * 0.01
            places.append(
                Place(
                    name=f"Bench place {i + 1:02d}",
                    slug=f"{PLACE_PREFIX}{i + 1:02d}",
                    municipality="Benchholm",
                    centre_lat=lat,
                    centre_lon=lon,
                    boundary={
                        "type": "Polygon",
                        "coordinates": [
                            [
                                [lon - 0.003, lat - 0.002],
                                [lon + 0.003, lat - 0.002],
                                [lon + 0.003, lat + 0.002],
                                [lon - 0.003, lat + 0.002],
                                [lon - 0.003, lat - 0.002],
                            ]
                        ],
                    },
                )
            )
        places = Place.objects.bulk_create(places)
        password = make_password("bench-password-1")
        users = User.objects.bulk_create(
            User(
                email=f"bench-{i + 1}{USER_DOMAIN}",
                full_name=f"Bench user {i + 1}",
                password=password,
                organisation=orgs[i % len(orgs)],
            )
            for i in range(max(4, round(USERS * scale)))
        )
        User.objects.create(
            email=f"bench-staff{USER_DOMAIN}",
            full_name="Bench staff",
            is_staff=True,
            password=password,
        )
        roles = []
        for i, user in enumerate(users):
            place = places[0] if i < 2 else places[rng.choices(range(n_places), weights)[0]]
            role = "manager" if i == 0 or i % 40 == 0 else ("reporter" if i % 7 == 0 else "reader")
            if i == 1:
                role = "reader"
            roles.append(
                PlaceRole(user=user, place=place, role=role, organisation=user.organisation)
            )
        PlaceRole.objects.bulk_create(roles)
        memberships, budgets, commitments = [], [], []
        for p, place in enumerate(places):
            members = rng.sample(orgs, min(10, len(orgs)))
            members[0] = users[1].organisation if p == 0 else members[0]
            for org in dict.fromkeys(members):
                memberships.append(Membership(organisation=org, place=place, since=start.date()))
            for year in range(today.year - YEARS + 1, today.year + 1):
                budgets.append(
                    AnnualBudget(
                        place=place,
                        year=year,
                        target_sek=Decimal(2_000_000),
                        municipal_share_sek=Decimal(1_000_000),
                    )
                )
                for org in dict.fromkeys(members):
                    amount = Decimal(rng.randrange(20, 300) * 1000)
                    commitments.append(
                        FundingCommitment(
                            organisation=org,
                            place=place,
                            year=year,
                            amount_sek=amount,
                            amount_paid=amount if year < today.year else amount / 2,
                            status="paid" if year < today.year else "confirmed",
                        )
                    )
        Membership.objects.bulk_create(memberships)
        AnnualBudget.objects.bulk_create(budgets)
        FundingCommitment.objects.bulk_create(commitments, batch_size=BATCH)

        categories = list(IncidentCategory.objects.values_list("pk", "order"))
        category_ids = [pk for pk, _order in categories]
        category_weights = [1 / (1 + order) for _pk, order in categories]
        kinds = list(ActivityKind.objects.values_list("pk", flat=True))

        total = max(n_places, round(INCIDENTS * scale))
        out(f"Loading {total:,} incidents …")
        started = time.perf_counter()

        def incidents():
            for p, when in self._in_time_order(start, days, total, weights):
                place = places[p]
                positioned = rng.random() < 0.7
                yield (
                    place.pk,
                    rng.choices(category_ids, category_weights)[0],
                    when,
                    rng.choices(("low", "medium", "high"), (6, 3, 1))[0],
                    "",
                    place.centre_lat + rng.uniform(-0.002, 0.002) if positioned else None,
                    place.centre_lon + rng.uniform(-0.003, 0.003) if positioned else None,
                    "",
                    rng.random() < 0.2,
                    "restricted" if rng.random() < 0.1 else "members",
                    when,
                    when,
                    "",
                )

        count = self._copy(
            Incident,
            [
                "place_id",
                "category_id",
                "occurred_at",
                "severity",
                "description",
                "lat",
                "lon",
                "location_note",
                "police_notified",
                "visibility",
                "created_at",
                "updated_at",
                "external_ref",
            ],
            incidents(),
        )
        out(f"  {count:,} incidents in {time.perf_counter() - started:.0f} s")

        total = max(n_places, round(ACTIVITIES * scale))
        out(f"Loading {total:,} activities …")

        def activities():
            for p, when in self._in_time_order(start, days, total, weights):
                yield (
                    places[p].pk,
                    rng.choice(kinds),
                    when,
                    rng.choice((30, 45, 60, 90, 120, 180)),
                    rng.randrange(1, 12),
                    "",
                    "",
                    when,
                    when,
                )

        self._copy(
            Activity,
            [
                "place_id",
                "kind_id",
                "started_at",
                "duration_minutes",
                "participants_count",
                "description",
                "location_note",
                "created_at",
                "updated_at",
            ],
            activities(),
        )

        out("Creating surveys (one wave a year per place) …")
        surveys = []
        for place in places:
            for year in range(today.year - YEARS + 1, today.year + 1):
                opens = timezone.make_aware(dt.datetime(year, 4, 1, 8))
                surveys.append(
                    Survey(
                        place=place,
                        title=f"Trygghetsmätning {year}",
                        status=Survey.Status.CLOSED,
                        opens_at=opens,
                        closes_at=opens + dt.timedelta(days=30),
                        public_token=uuid.uuid4().hex,
                    )
                )
        surveys = Survey.objects.bulk_create(surveys)
        for survey in surveys:
            Survey.objects.filter(pk=survey.pk).update(created_at=survey.opens_at)
        questions = Question.objects.bulk_create(
            Question(
                survey=survey,
                order=order,
                text=text,
                kind=Question.Kind.SCALE5,
                in_safety_index=True,
            )
            for survey in surveys
            for order, text in enumerate(
                (
                    "Hur trygg känner du dig på platsen på kvällen?",
                    "Hur trygg känner du dig på platsen på dagen?",
                    "Hur ofta oroar du dig för brott här?",
                )
            )
        )
        by_survey: dict[int, list[int]] = {}
        for question in questions:
            by_survey.setdefault(question.survey_id, []).append(question.pk)
        surveys_by_place: dict[int, list[Survey]] = {}
        for survey in surveys:
            surveys_by_place.setdefault(survey.place_id, []).append(survey)

        total = max(n_places, round(RESPONSES * scale))
        out(f"Loading {total:,} survey responses with their answers …")
        first_id = self._next_id(Response)
        plan = []  # (response id, survey, submitted_at, mood)
        next_id = first_id
        for p, count in enumerate(self._split(total, weights)):
            waves = surveys_by_place[places[p].pk]
            for i in range(count):
                survey = waves[i % len(waves)]
                submitted = survey.opens_at + dt.timedelta(seconds=rng.randrange(30 * 86400))
                plan.append((next_id, survey, submitted))
                next_id += 1
        self._copy(
            Response,
            ["id", "survey_id", "submitted_at", "channel", "respondent_group"],
            (
                (rid, survey.pk, submitted, "web", rng.choice(("resident", "works", "visitor", "")))
                for rid, survey, submitted in plan
            ),
        )
        self._reset_sequence(Response)
        self._copy(
            Answer,
            [
                "response_id",
                "question_id",
                "value_number",
                "value_choices",
                "value_text",
                "is_flagged",
            ],
            (
                (rid, qid, rng.choices((1, 2, 3, 4, 5), (1, 2, 3, 4, 3))[0], "[]", "", False)
                for rid, survey, _submitted in plan
                for qid in by_survey[survey.pk]
            ),
        )

        out("Action items, activity plans and reports …")
        items = []
        for p, place in enumerate(places):
            for i in range(max(5, round(2000 * scale * weights[p] / sum(weights)))):
                created = start + dt.timedelta(seconds=rng.randrange(span))
                open_ = rng.random() < 0.3
                items.append(
                    ActionItem(
                        place=place,
                        category=rng.choice(ActionItem.Category.values),
                        description=f"Åtgärdspunkt {i + 1}",
                        lat=place.centre_lat + rng.uniform(-0.002, 0.002),
                        lon=place.centre_lon + rng.uniform(-0.003, 0.003),
                        status="open" if open_ else "resolved",
                        resolved_at=None if open_ else created + dt.timedelta(days=10),
                        due_date=(created + dt.timedelta(days=30)).date(),
                        created_at=created,
                        responsible_organisation=rng.choice(orgs),
                    )
                )
        ActionItem.objects.bulk_create(items, batch_size=BATCH)
        PlannedActivity.objects.bulk_create(
            PlannedActivity(
                place=place,
                kind_id=kinds[i % len(kinds)],
                title=title,
                recurrence=recurrence,
                weekday=weekday,
                month=month,
                starts_on=start.date(),
            )
            for place in places
            for i, (title, recurrence, weekday, month) in enumerate(
                (
                    ("Trygghetsvandring", "monthly", None, None),
                    ("Väktarrunda fredag", "weekly", 4, None),
                    ("Vårstädning", "yearly", None, 4),
                )
            )
        )
        month = today.replace(day=1)
        reports = []
        for _i in range(12):
            previous = (month - dt.timedelta(days=1)).replace(day=1)
            reports.append(
                SituationReport(
                    place=places[0],
                    kind="monthly",
                    period_start=previous,
                    period_end=month,
                    status="ready",
                    generated_at=now,
                )
            )
            month = previous
        SituationReport.objects.bulk_create(reports)
        if self.postgres:
            # What autovacuum does to a live database: statistics for the planner and the
            # visibility map that lets index-only scans skip the table.
            out("VACUUM ANALYZE …")
            with connection.cursor() as cursor:
                for model in (Incident, Activity, Response, Answer, ActionItem, FundingCommitment):
                    cursor.execute(f"VACUUM ANALYZE {model._meta.db_table}")
                cursor.execute("ANALYZE")

    # --- Measuring ---------------------------------------------------------------------------

    def _time(self, client, url, *, cold: bool, place, times: int) -> list[float]:
        timings = []
        for _i in range(times):
            if cold:
                place_changed(place.pk)
            started = time.perf_counter()
            response = client.get(url, secure=True)
            timings.append((time.perf_counter() - started) * 1000)
            if response.status_code != 200:
                raise CommandError(f"{url} answered {response.status_code}")
        return timings

    def _measure(self, *, requests, cold_requests):
        place = Place.objects.filter(slug__startswith=PLACE_PREFIX).order_by("slug").first()
        if place is None:
            raise CommandError("No bench data: run without --keep first.")
        counts = {
            "incidents": Incident.objects.filter(place=place).count(),
            "activities": Activity.objects.filter(place=place).count(),
            "responses": Response.objects.filter(survey__place=place).count(),
        }
        totals = {
            "places": Place.objects.filter(slug__startswith=PLACE_PREFIX).count(),
            "incidents": Incident.objects.filter(place__slug__startswith=PLACE_PREFIX).count(),
            "activities": Activity.objects.filter(place__slug__startswith=PLACE_PREFIX).count(),
            "responses": Response.objects.filter(
                survey__place__slug__startswith=PLACE_PREFIX
            ).count(),
        }
        out = self.stdout.write
        out(
            "Bench data: {places} places, {incidents:,} incidents, {activities:,} activities, "
            "{responses:,} survey responses.".format(**totals)
        )
        out(
            f"Largest place {place.slug}: {counts['incidents']:,} incidents, "
            f"{counts['activities']:,} activities, {counts['responses']:,} responses."
        )
        out(
            f"Database: {connection.vendor}; cache: {settings.CACHES['default']['BACKEND']}; "
            f"DEBUG={settings.DEBUG}"
        )
        # The figures core alone against its own SQL replayed raw (issue #20).
        today = timezone.localdate()
        tomorrow = today + dt.timedelta(days=1)
        for label, start in (
            ("last 30 days", today - dt.timedelta(days=29)),
            ("this year", today.replace(month=1, day=1)),
        ):
            out(describe(label, figures_core_vs_sql(place, start, tomorrow)))
        base = reverse("places:overview", kwargs={"place_slug": place.slug})
        for role in ("manager", "reader"):
            user = (
                User.objects.filter(place_roles__place=place, place_roles__role=role)
                .order_by("pk")
                .first()
            )
            client = Client()
            client.force_login(user)
            for label, query in (("last 30 days", ""), ("this year", "?period=year")):
                url = base + query
                client.get(url, secure=True)  # warm up the connection and templates
                place_changed(place.pk)
                cold_queries = _count_queries(client, url)
                warm_queries = _count_queries(client, url)
                cold = self._time(client, url, cold=True, place=place, times=cold_requests)
                warm = self._time(client, url, cold=False, place=place, times=requests)
                out(
                    f"{role:8} {label:13} cold: p50 {statistics.median(cold):6.1f} ms  "
                    f"p95 {_percentile(cold, 95):6.1f} ms  {cold_queries} queries | "
                    f"warm: p50 {statistics.median(warm):6.1f} ms  "
                    f"p95 {_percentile(warm, 95):6.1f} ms  {warm_queries} queries"
                )
        staff = User.objects.filter(email=f"bench-staff{USER_DOMAIN}").first()
        if staff:
            client = Client()
            client.force_login(staff)
            url = reverse("overview")
            client.get(url, secure=True)
            timings = self._time(client, url, cold=False, place=place, times=min(requests, 10))
            cold_timings = []
            for _i in range(3):
                for other in Place.objects.filter(slug__startswith=PLACE_PREFIX).only("pk"):
                    place_changed(other.pk)
                started = time.perf_counter()
                client.get(url, secure=True)
                cold_timings.append((time.perf_counter() - started) * 1000)
            out(
                f"overview (staff, all places) cold: p50 {statistics.median(cold_timings):6.1f} "
                f"ms | warm: p50 {statistics.median(timings):6.1f} ms"
            )
