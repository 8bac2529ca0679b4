"""The figures core (architecture §5): one place's figures for one period, aggregated in SQL.

Both the frozen lägesbild (`SituationReport.figures`) and the live dashboard call
`place_figures`, so they can never disagree. Every number comes from an aggregate query; no
incident, activity or action-item row is loaded into Python. The number of queries is fixed
whatever the amount of data (tests/safety/test_rollups.py asserts it at ten times the data).

Speed (architecture §8, issue #20): a period is whole local days, so the counts come from the daily
rollups kept by database triggers (places/rollups.py) – incidents per day × category × severity
× visibility (`IncidentDay`), per day × hour (`IncidentHour`), activities per day × kind
(`ActivityDay`) and survey answers per day × wave (`surveys.AnswerDay`) – never from the raw rows,
which only the hotspots (positions) and the map still read. One pass over a rollup serves the
period and both comparisons; the series and the weekday × hour table are grouped in SQL (at most
one row per bucket and 7 × 24 rows). The rollups equal the raw aggregates exactly (a property
test across DST changes, and the demo's figures against the raw computation in
tests/safety/raw_figures.py).

Periods are half-open ranges of local dates [start, end): the datetime bounds are Europe/Stockholm
midnights, so a period is whole local days, correct across the DST changes (a day in late March
has 23 hours, one in late October 25). Weekday and hour are taken in local time too.

Comparisons:
- "previous": the period just before, of equal length. When the period is whole calendar
  months (a month, a quarter, a year) it is the same number of calendar months before, so a
  monthly report compares October with September ("förra månaden").
- "last_year": the same dates one year earlier.

The result is plain JSON (frozen into the report). Shape, version 1 – keep it stable; add keys
rather than change them:

    version: 1
    place: {id, slug, name}
    period: {start, end (exclusive), days}                      dates as "YYYY-MM-DD"
    comparison: {previous: {start, end}, last_year: {start, end}}
    computed_at: ISO datetime (UTC)
    incidents:
        total, previous, last_year: int
        change_previous, change_last_year: {diff: int, pct: float | None}
        restricted, police_notified, with_position: int       (current period)
        by_severity: [{code: low|medium|high, count, previous, last_year}]
        by_category: [{code, name_sv, name_en, count, previous, last_year,
                       change_previous, change_last_year}]   most frequent first
        series: {bucket: day|week|month, points: [{start, count}]}
    weekday_hour: {rows: 7 lists (Monday first) of 24 counts (hour 0–23), max, total}
    hotspots: {cell_m: 100, positioned: int, cells: [{lat, lon, count}]}   top 10 cells
    activities:
        count, hours, participants, previous, previous_hours: numbers
        change_previous: {diff, pct}
        by_kind: [{code, name_sv, name_en, count, hours, participants}]
    action_items: {as_of (date), open, overdue, created, resolved}
    safety_index: {index: float|None (0–100), responses, previous_index,
                   trend: [{survey_id, title, date, index, responses}]}
    funding: the totals of partnerships.queries.funding.funding_summary for the year of the
             period's last day (amounts as numbers; target/percentages may be null)
    plan: {planned, done, rows: [{title, kind_code, kind_sv, kind_en, recurrence, planned,
                                  done, missing: [dates]}]}
    interventions: [the effect of each intervention that started or ended in the period or
                    whose after-window overlaps it, as `safety.effects.intervention_effects`]
    visitors: {people, counts, days_counted, incidents_on_counted_days, per_1000 (incidents
               per 1,000 people counted, on the days with counts; None without counts),
               days: [{day, people}], hours: [24 sums]}
    tips: {received, accepted, resolved, days_to_resolve: float | None}   tips from the
          public (issue #14); absent from reports frozen before it


    alerts: {total, escalated, answered, median_first_answer_minutes: float | None,
             by_scenario: [{scenario (title, "" without one), count}],
             coverage: {version: int | None, organisations, confirmed}}   (issue #13; the
             coverage is of the plan's current version when the figures are computed)
    external_events: {total, by_kind: [{source, kind, count}]}   events of other organisations'
             public feeds near the place, e.g. the police's (issue #15); never incidents; absent
             from reports frozen before it
"""

import datetime as dt
import math
from decimal import Decimal

from django.db import connection, connections, router
from django.db.models import Count, Q, Sum, Value
from django.db.models.functions import Round
from django.utils import timezone

from amp_platform import raw_sql
from partnerships.queries.funding import funding_summary
from places.models import ActionItem, ActivityDay, ActivityKind
from places.months import months_between
from places.public import tip_figures
from places.queries import plan_vs_done, visitor_figures
from surveys.queries import safety_index_by_survey, safety_index_in_periods

from .effects import intervention_effects, relevant_interventions
from .models import Incident, IncidentCategory, IncidentDay, IncidentHour
from .periods import first_of_month_shifted, local_midnight, local_tz

FIGURES_VERSION = 1
SEVERITIES = ("low", "medium", "high")
# ~100 m squares: 0.0009° of latitude is 100 m; a degree of longitude shrinks with cos(lat).
HOTSPOT_CELL_M = 100
_METRES_PER_DEGREE_LAT = 111_320
HOTSPOT_LIMIT = 10


# --- Periods ------------------------------------------------------------------------------


def _months_between(start: dt.date, end: dt.date) -> int | None:
    """Whole calendar months from start to end if both are firsts of a month, else None."""
    if start.day != 1 or end.day != 1:
        return None
    return months_between(start, end)


def _minus_year(day: dt.date) -> dt.date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


def previous_period(start: dt.date, end: dt.date) -> tuple[dt.date, dt.date]:
    months = _months_between(start, end)
    if months:
        return first_of_month_shifted(start, -months), start
    return start - (end - start), start


def last_year_period(start: dt.date, end: dt.date) -> tuple[dt.date, dt.date]:
    return _minus_year(start), _minus_year(end)


def _days(start: dt.date, end: dt.date) -> Q:
    """The rollup rows (keyed by local day) of the local dates [start, end)."""
    return Q(day__gte=start, day__lt=end)


def _spans(*periods: tuple[dt.date, dt.date]) -> list[tuple[dt.date, dt.date]]:
    """The periods with overlapping or touching ones merged, in date order: "this year" and its
    comparisons are one span; a month, the month before and the same month last year two."""
    merged: list[list[dt.date]] = []
    for start, end in sorted(periods):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return [(start, end) for start, end in merged]


# --- Helpers ------------------------------------------------------------------------------


def change(current: int | float, base: int | float) -> dict:
    """Difference and percentage change; pct is None when the base is zero."""
    diff = current - base
    pct = round(diff / base * 100, 1) if base else None
    return {"diff": round(diff, 1) if isinstance(diff, float) else diff, "pct": pct}


# Values _plain leaves as they are, checked first: most of the figures are plain numbers (the
# weekday × hour table alone has 168), each of which went through five isinstance checks.
_ALREADY_PLAIN = frozenset({int, float, str, bool, type(None)})


def _plain(value):
    """Make query results JSON-serialisable (dates → ISO strings, Decimal → number)."""
    if type(value) in _ALREADY_PLAIN:
        return value
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _hours(minutes) -> float:
    return round((minutes or 0) / 60, 1)


# --- Incidents ----------------------------------------------------------------------------


def _category_names() -> dict[int, dict]:
    """Code, names and order of every incident category (a small table, one query): the
    grouped counts carry only the category id, so the database groups by two small keys
    instead of joining and hashing the names on every incident row."""
    names = ["id", "code", "name_sv", "name_en", "order"]
    rows = raw_sql.read(
        IncidentCategory,
        f"SELECT id, code, name_sv, name_en, {raw_sql.quote('order')} "
        f"FROM {IncidentCategory._meta.db_table}",
        [],
    )
    return {row[0]: dict(zip(names, row, strict=True)) for row in rows}


def _incident_figures(place, start, end) -> dict:
    """Counts per category and severity for the period and its two comparisons, in one pass over
    the daily rollup (IncidentDay: whole local days, kept by triggers, so exact): one row per
    category, its counts per period and severity picked out by filters."""
    periods = {
        "count": (start, end),
        "previous": previous_period(start, end),
        "last_year": last_year_period(start, end),
    }
    spans = _spans(*periods.values())
    # Written as SQL: building and compiling this query through the ORM (fifteen filtered
    # sums) cost three times what the database takes to answer it.
    qn = connection.ops.quote_name
    day = connection.ops.adapt_datefield_value
    within = "(d.day >= %s AND d.day < %s)"
    columns, params = [], []
    for period, bounds in periods.items():
        for alias, column in (("n", "count"), *((code, code) for code in SEVERITIES)):
            columns.append((f"{alias}_{period}", column, bounds))
    for column in ("restricted", "police_notified", "with_position"):
        columns.append((f"n_{column}", column, periods["count"]))
    sums = []
    for _alias, column, (first, last) in columns:
        sums.append(f"SUM(d.{qn(column)}) FILTER (WHERE {within})")
        params += [day(first), day(last)]
    params.append(place.pk)
    for first, last in spans:
        params += [day(first), day(last)]
    sql = (
        f"SELECT c.code, c.name_sv, c.name_en, c.{qn('order')}, {', '.join(sums)} "
        f"FROM {IncidentDay._meta.db_table} d "
        f"JOIN {IncidentCategory._meta.db_table} c ON c.id = d.category_id "
        f"WHERE d.place_id = %s AND ({' OR '.join([within] * len(spans))}) "
        f"GROUP BY d.category_id, c.code, c.name_sv, c.name_en, c.{qn('order')}"
    )
    with connections[router.db_for_read(IncidentDay)].cursor() as cursor:
        cursor.execute(sql, params)
        names = ["category__code", "category__name_sv", "category__name_en", "category__order"]
        names += [alias for alias, _column, _bounds in columns]
        rows = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
    totals = dict.fromkeys(
        ("count", "previous", "last_year", "restricted", "police_notified", "with_position"), 0
    )
    severities = {
        code: {"code": code, "count": 0, "previous": 0, "last_year": 0} for code in SEVERITIES
    }
    categories = []
    for row in rows:
        row = {key: value or 0 for key, value in row.items()}
        counts = {key: row[f"n_{key}"] for key in totals}
        # Rows whose incidents were all deleted or moved stay in the rollup with zero counts.
        if not (counts["count"] or counts["previous"] or counts["last_year"]):
            continue
        for key in totals:
            totals[key] += counts[key]
        for code, severity in severities.items():
            for period in periods:
                severity[period] += row[f"{code}_{period}"]
        categories.append(
            {
                "code": row["category__code"],
                "name_sv": row["category__name_sv"],
                "name_en": row["category__name_en"],
                "order": row["category__order"],
                "count": counts["count"],
                "previous": counts["previous"],
                "last_year": counts["last_year"],
            }
        )
    by_category = sorted(
        categories, key=lambda c: (-c["count"], -c["previous"], c["order"], c["name_sv"])
    )
    for category in by_category:
        category.pop("order")
        category["change_previous"] = change(category["count"], category["previous"])
        category["change_last_year"] = change(category["count"], category["last_year"])
    return {
        "total": totals["count"],
        "previous": totals["previous"],
        "last_year": totals["last_year"],
        "change_previous": change(totals["count"], totals["previous"]),
        "change_last_year": change(totals["count"], totals["last_year"]),
        "restricted": totals["restricted"],
        "police_notified": totals["police_notified"],
        "with_position": totals["with_position"],
        "by_severity": list(severities.values()),
        "by_category": by_category,
    }


def series_bucket(start: dt.date, end: dt.date) -> str:
    days = (end - start).days
    if days <= 31:
        return "day"
    if days <= 190:
        return "week"
    return "month"


def _bucket_starts(bucket: str, start: dt.date, end: dt.date) -> list[dt.date]:
    if bucket == "day":
        first, step = start, None
    elif bucket == "week":
        first, step = start - dt.timedelta(days=start.weekday()), None
    else:
        first, step = start.replace(day=1), "month"
    starts, day = [], first
    while day < end:
        starts.append(day)
        if step == "month":
            day = first_of_month_shifted(day, 1)
        else:
            day += dt.timedelta(days=1 if bucket == "day" else 7)
    return starts


def _bucket_position_sql(bucket: str, first: dt.date) -> tuple[str, list]:
    """SQL for the position of a rollup row's `day` among the buckets starting at `first` (as
    `_bucket_starts` lists them): days or weeks since `first`, or months since its month."""
    if bucket == "month":
        if connection.vendor == "postgresql":
            month = "(EXTRACT(YEAR FROM day)::integer * 12 + EXTRACT(MONTH FROM day)::integer)"
        else:
            month = (
                "(CAST(strftime('%%Y', day) AS INTEGER) * 12"
                " + CAST(strftime('%%m', day) AS INTEGER))"
            )
        return f"{month} - %s", [first.year * 12 + first.month]
    if connection.vendor == "postgresql":
        days = "(day - %s)"
    else:
        days = "CAST(julianday(day) - julianday(%s) AS INTEGER)"
    return (f"{days} / 7" if bucket == "week" else days), [_sql_day(first)]


def incident_series(
    *, place, start: dt.date, end: dt.date, bucket: str | None = None, by_category=False
) -> dict:
    """Incidents per day, week (starting Monday) or month of local time in [start, end).

    One query (two with by_category: the category names). Returns {bucket, points: [{start,
    count}]} and, with by_category=True, also categories: [{code, name_sv, name_en, counts:
    [per point]}], most frequent first – for the dashboard's "last 12 months by week and
    category" chart.
    """
    bucket = bucket or series_bucket(start, end)
    names = _category_names() if by_category else {}
    starts = _bucket_starts(bucket, start, end)
    # Written as SQL (issue #20): the ORM cost more than the database's answer. The database
    # returns each row's bucket as its position in `starts` (a whole number), not a truncated
    # timestamp: parsing a timestamp per row cost more than the query itself.
    position_sql, position_params = _bucket_position_sql(bucket, starts[0] if starts else start)
    columns = "1, 2" if by_category else "1"
    rows = raw_sql.read(
        IncidentDay,
        f"SELECT {position_sql}{', category_id' if by_category else ''}, "
        f"SUM({raw_sql.quote('count')}) FROM {IncidentDay._meta.db_table} "
        f"WHERE place_id = %s AND day >= %s AND day < %s GROUP BY {columns}",
        [
            *position_params,
            place.pk,
            raw_sql.param(IncidentDay, start),
            raw_sql.param(IncidentDay, end),
        ],
    )
    totals = [0] * len(starts)
    categories: dict[str, dict] = {}
    for row in rows:
        position, n = row[0], row[-1]
        if not n or not 0 <= position < len(starts):
            continue
        totals[position] += n
        if by_category:
            name = names[row[1]]
            category = categories.get(name["code"])
            if category is None:
                category = categories[name["code"]] = {
                    "code": name["code"],
                    "name_sv": name["name_sv"],
                    "name_en": name["name_en"],
                    "order": name["order"],
                    "counts": [0] * len(starts),
                }
            category["counts"][position] += n
    result = {
        "bucket": bucket,
        "points": [
            {"start": day.isoformat(), "count": n} for day, n in zip(starts, totals, strict=True)
        ],
    }
    if by_category:
        ordered = sorted(categories.values(), key=lambda c: (-sum(c["counts"]), c["order"]))
        for category in ordered:
            category.pop("order")
        result["categories"] = ordered
    return result


def _weekday_sql(column: str) -> str:
    """SQL for the weekday of a date column, Monday 0 – in whole-number arithmetic rather than
    EXTRACT(ISODOW), which casts every row's date to a timestamp and returns a numeric on
    PostgreSQL. 0001-01-01 (proleptic Gregorian, as both databases and Python count) was a
    Monday."""
    if connection.vendor == "postgresql":
        return f"(({column}) - DATE '0001-01-01') %% 7"
    return f"((CAST(strftime('%%w', {column}) AS INTEGER) + 6) %% 7)"


def _sql_day(day: dt.date):
    return connection.ops.adapt_datefield_value(day)


def _sql_rows(sql: str, params: list) -> list[tuple]:
    # Where the ORM's reads of the figures go (the replica inside `replica_reads`).
    with connections[router.db_for_read(IncidentDay)].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _incident_times(place, start, end) -> tuple[dict, dict]:
    """The period's series (by `series_bucket`) and its weekday × hour table, both grouped in SQL
    over the rollups (days, hours): at most one row per bucket and 7 × 24 rows. Both 02:00
    hours of the October night are local hour 02."""
    bucket = series_bucket(start, end)
    starts = _bucket_starts(bucket, start, end)
    totals = [0] * len(starts)
    # Written as SQL, like the incident figures: the ORM cost more than the database.
    bounds = [place.pk, _sql_day(start), _sql_day(end)]
    where = "place_id = %s AND day >= %s AND day < %s"
    position_sql, position_params = _bucket_position_sql(bucket, starts[0] if starts else start)
    for position, n in _sql_rows(
        f"SELECT {position_sql}, SUM({connection.ops.quote_name('count')}) "
        f"FROM {IncidentDay._meta.db_table} WHERE {where} GROUP BY 1",
        [*position_params, *bounds],
    ):
        if 0 <= position < len(starts):
            totals[position] += n
    table = [[0] * 24 for _day in range(7)]
    weekday = _weekday_sql("day")
    for weekday_index, hour, n in _sql_rows(
        f"SELECT {weekday}, hour, SUM({connection.ops.quote_name('count')}) "
        f"FROM {IncidentHour._meta.db_table} WHERE {where} GROUP BY {weekday}, hour",
        bounds,
    ):
        table[weekday_index][hour] += n
    series = {
        "bucket": bucket,
        "points": [
            {"start": day.isoformat(), "count": n} for day, n in zip(starts, totals, strict=True)
        ],
    }
    weekday_hour = {
        "rows": table,
        "max": max(max(day) for day in table),
        "total": sum(sum(day) for day in table),
    }
    return series, weekday_hour


class _CellIndex(Round):
    """ROUND(x) to a whole number – the hotspot cell of a coordinate.

    Django rounds a float on PostgreSQL by casting it to numeric, which costs more than the
    rest of the hotspot query together. The float ROUND gives the same whole number except
    when x lies within a hair of .5 (where numeric rounds half away from zero from x's 15
    significant digits, and float ROUND to even), so only those rare rows take the numeric
    path: the cells are exactly those of the plain Round.
    """

    def as_postgresql(self, compiler, connection, **extra_context):
        x_sql, x_params = compiler.compile(self.get_source_expressions()[0])
        exact_sql, exact_params = super().as_postgresql(compiler, connection, **extra_context)
        sql = (
            f"CASE WHEN ABS(ABS(({x_sql}) - TRUNC({x_sql})) - 0.5) < 1e-6 "
            f"THEN ({exact_sql})::double precision ELSE ROUND({x_sql}) END"
        )
        return sql, (*x_params, *x_params, *exact_params, *x_params)


def _cell_sql(column: str, cell: float) -> tuple[str, list]:
    """The SQL of `_CellIndex(F(column) / cell)`: PostgreSQL's as above, ROUND(x, 0) elsewhere."""
    x = f"({column} / %s)"
    if connection.vendor == "postgresql":
        return (
            f"CASE WHEN ABS(ABS({x} - TRUNC({x})) - 0.5) < 1e-6 "
            f"THEN (ROUND({x}::numeric(1000, 15), 0))::double precision ELSE ROUND({x}) END",
            [cell] * 4,
        )
    return f"ROUND({x}, 0)", [cell]


def _hotspots(place, start, end) -> dict:
    reference_lat = place.centre_lat if place.centre_lat is not None else 59.33
    cell_lat = HOTSPOT_CELL_M / _METRES_PER_DEGREE_LAT
    cell_lon = cell_lat / max(math.cos(math.radians(reference_lat)), 0.01)
    # Written as SQL (issue #20), the statement the ORM built with `_CellIndex` (whose docstring
    # says why the CASE): building it cost more than the database's answer.
    y, y_params = _cell_sql("lat", cell_lat)
    x, x_params = _cell_sql("lon", cell_lon)
    rows = [
        {"cell_y": cell_y, "cell_x": cell_x, "n": n}
        for cell_y, cell_x, n in _sql_rows(
            f"SELECT {y}, {x}, COUNT(*) FROM {Incident._meta.db_table} "
            "WHERE occurred_at >= %s AND occurred_at < %s AND lat IS NOT NULL "
            "AND lon IS NOT NULL AND place_id = %s "
            f"GROUP BY 1, 2 ORDER BY 3 DESC, 1 ASC, 2 ASC LIMIT {HOTSPOT_LIMIT}",
            [
                *y_params,
                *x_params,
                raw_sql.param(Incident, local_midnight(start)),
                raw_sql.param(Incident, local_midnight(end)),
                place.pk,
            ],
        )
    ]
    cells = [
        {
            "lat": round(row["cell_y"] * cell_lat, 5),
            "lon": round(row["cell_x"] * cell_lon, 5),
            "count": row["n"],
        }
        for row in rows
    ]
    return {"cell_m": HOTSPOT_CELL_M, "cells": cells}


# --- Activities, action items, surveys, funding, plan -------------------------------------


def _activity_figures(place, start, end) -> dict:
    """The period's activities by kind and the previous period's totals: one pass over the
    daily rollup (ActivityDay)."""
    (first, last), (prev_first, prev_last) = (start, end), previous_period(start, end)
    qn = connection.ops.quote_name
    current = "(d.day >= %s AND d.day < %s)"
    previous = current
    cur, prev = [_sql_day(first), _sql_day(last)], [_sql_day(prev_first), _sql_day(prev_last)]
    kind_columns = f"k.code, k.name_sv, k.name_en, k.{qn('order')}"
    sql = (
        f"SELECT {kind_columns}, "
        f"SUM(d.{qn('count')}) FILTER (WHERE {current}), "
        f"SUM(d.minutes) FILTER (WHERE {current}), "
        f"SUM(d.participants) FILTER (WHERE {current}), "
        f"SUM(d.{qn('count')}) FILTER (WHERE {previous}), "
        f"SUM(d.minutes) FILTER (WHERE {previous}) "
        f"FROM {ActivityDay._meta.db_table} d "
        f"JOIN {ActivityKind._meta.db_table} k ON k.id = d.kind_id "
        f"WHERE d.place_id = %s AND ({current} OR {previous}) "
        f"GROUP BY d.kind_id, {kind_columns}"
    )
    names = ["kind__code", "kind__name_sv", "kind__name_en", "kind__order", "count", "minutes"]
    names += ["participants", "previous", "previous_minutes"]
    rows = [
        dict(zip(names, row, strict=True))
        for row in _sql_rows(sql, [*cur, *cur, *cur, *prev, *prev, place.pk, *cur, *prev])
    ]
    for row in rows:
        row["count"], row["previous"] = row["count"] or 0, row["previous"] or 0
    by_kind, count, minutes, participants, prev_count, prev_minutes = [], 0, 0, 0, 0, 0
    for row in rows:
        count += row["count"]
        minutes += row["minutes"] or 0
        participants += row["participants"] or 0
        prev_count += row["previous"]
        prev_minutes += row["previous_minutes"] or 0
        if row["count"]:
            by_kind.append(
                {
                    "code": row["kind__code"],
                    "name_sv": row["kind__name_sv"],
                    "name_en": row["kind__name_en"],
                    "order": row["kind__order"],
                    "count": row["count"],
                    "hours": _hours(row["minutes"]),
                    "participants": row["participants"] or 0,
                }
            )
    by_kind.sort(key=lambda k: (-k["hours"], -k["count"], k["order"]))
    for kind in by_kind:
        kind.pop("order")
    return {
        "count": count,
        "hours": _hours(minutes),
        "participants": participants,
        "previous": prev_count,
        "previous_hours": _hours(prev_minutes),
        "change_previous": change(count, prev_count),
        "by_kind": by_kind,
    }


def _action_item_counts(*, place: int, as_of_at, as_of_date, start_at, end_at):
    """The counts of `_action_item_figures` as one row (see `raw_sql.compiled`)."""
    unresolved = [ActionItem.Status.OPEN, ActionItem.Status.IN_PROGRESS]
    open_then = Q(created_at__lt=as_of_at) & (
        Q(status__in=unresolved) | Q(status=ActionItem.Status.RESOLVED, resolved_at__gte=as_of_at)
    )
    return (
        ActionItem.objects.filter(place=place)
        .values(one=Value(1))
        .annotate(
            open=Count("id", filter=open_then),
            overdue=Count("id", filter=ActionItem.overdue_q(as_of_date, open_q=open_then)),
            created=Count("id", filter=Q(created_at__gte=start_at, created_at__lt=end_at)),
            resolved=Count(
                "id",
                filter=Q(resolved_at__gte=start_at, resolved_at__lt=end_at)
                & Q(status=ActionItem.Status.RESOLVED),
            ),
        )
        .order_by()
    )


def _action_item_figures(place, start, end, now) -> dict:
    """Open and overdue at the end of the period (or now, for a period not yet over)."""
    end_at = local_midnight(end)
    as_of_at = min(end_at, now)
    as_of_date = min(end, timezone.localtime(now, local_tz()).date())
    # Built by the ORM once per process, "overdue" keeping its one definition
    # (ActionItem.overdue_q), and run again as SQL with this place and period.
    [totals] = raw_sql.compiled(
        "safety.action_item_figures",
        ActionItem,
        _action_item_counts,
        place=int,
        as_of_at=dt.datetime,
        as_of_date=dt.date,
        start_at=dt.datetime,
        end_at=dt.datetime,
    ).dicts(
        place=place.pk,
        as_of_at=as_of_at,
        as_of_date=as_of_date,
        start_at=local_midnight(start),
        end_at=end_at,
    )
    del totals["one"]
    return {"as_of": as_of_date, **totals}


def _safety_index_figures(place, start, end) -> dict:
    start_at, end_at = local_midnight(start), local_midnight(end)
    prev_start, prev_end = previous_period(start, end)
    indexes = safety_index_in_periods(
        place=place,
        periods={
            "current": (start_at, end_at),
            "previous": (local_midnight(prev_start), local_midnight(prev_end)),
        },
    )
    current, previous = indexes["current"], indexes["previous"]
    trend = []
    for wave in safety_index_by_survey(place=place):
        if wave["index"] is None or wave["created_at"] >= end_at:
            continue
        when = wave["closes_at"] or wave["opens_at"] or wave["created_at"]
        trend.append(
            {
                "survey_id": wave["survey_id"],
                "title": wave["title"],
                "date": timezone.localtime(when, local_tz()).date()
                if isinstance(when, dt.datetime)
                else when,
                "index": wave["index"],
                "responses": wave["responses"],
            }
        )
    return {
        "index": current["index"] if current else None,
        "responses": current["responses"] if current else 0,
        "previous_index": previous["index"] if previous else None,
        "trend": trend,
    }


def _plan_figures(place, start, end) -> dict:
    result = plan_vs_done(place=place, start=start, end=end)
    rows = [
        {
            "title": row["title"],
            "kind_code": row["kind"].code,
            "kind_sv": row["kind"].name_sv,
            "kind_en": row["kind"].name_en,
            "recurrence": row["plan"].recurrence,
            "planned": row["planned"],
            "done": row["done"],
            "missing": row["missing"],
        }
        for row in result["rows"]
    ]
    return {"planned": result["planned"], "done": result["done"], "rows": rows}


def _visitors(place, start, end) -> dict:
    """People counted and incidents per 1,000 of them, on the days with counts only.

    A rate needs the same days on both sides: incidents of days nobody counted would inflate
    it. One query for the counts and, only when there are counts, one for the incidents of those
    days. With manual counts of a quarter of an hour the rate reads high (only part of the day's
    visitors were counted); sensors counting whole days give the comparable number.
    """
    visitors = visitor_figures(place=place, start=start, end=end)
    incidents = 0
    if visitors["counted_days"]:
        incidents = (
            IncidentHour.objects.filter(place=place, day__in=visitors["counted_days"])
            .filter(_days(start, end))
            .aggregate(n=Sum("count"))["n"]
            or 0
        )
    people = visitors["people"]
    return {
        "people": people,
        "counts": visitors["counts"],
        "days_counted": len(visitors["counted_days"]),
        "incidents_on_counted_days": incidents,
        "per_1000": round(incidents / people * 1000, 2) if people else None,
        "days": [{"day": d["day"], "people": d["people"]} for d in visitors["days"]],
        "hours": visitors["hours"],
    }


def _external_event_figures(place, start, end) -> dict:
    from .police_events import external_event_figures

    return external_event_figures(place, local_midnight(start), local_midnight(end))


def _alert_figures(place, start, end) -> dict:
    from .services.alerts import alert_figures

    return alert_figures(place, local_midnight(start), local_midnight(end))


# --- The one entry point ------------------------------------------------------------------


def place_figures(*, place, start: dt.date, end: dt.date, now: dt.datetime | None = None) -> dict:
    """All figures of `place` for the local dates [start, end), as JSON-ready data (see above)."""
    if end <= start:
        raise ValueError("The period must end after it starts.")
    now = now or timezone.now()
    prev_start, prev_end = previous_period(start, end)
    ly_start, ly_end = last_year_period(start, end)
    incidents = _incident_figures(place, start, end)
    incidents["series"], weekday_hour = _incident_times(place, start, end)
    hotspots = _hotspots(place, start, end)
    hotspots["positioned"] = incidents["with_position"]
    figures = {
        "version": FIGURES_VERSION,
        "place": {"id": place.pk, "slug": place.slug, "name": place.name},
        "period": {"start": start, "end": end, "days": (end - start).days},
        "comparison": {
            "previous": {"start": prev_start, "end": prev_end},
            "last_year": {"start": ly_start, "end": ly_end},
        },
        "computed_at": now.astimezone(dt.UTC),
        "incidents": incidents,
        "weekday_hour": weekday_hour,
        "hotspots": hotspots,
        "activities": _activity_figures(place, start, end),
        "action_items": _action_item_figures(place, start, end, now),
        "safety_index": _safety_index_figures(place, start, end),
        "funding": funding_summary(
            place=place,
            year=(end - dt.timedelta(days=1)).year,
            as_of=min(end - dt.timedelta(days=1), timezone.localtime(now, local_tz()).date()),
        ),
        "plan": _plan_figures(place, start, end),
        "visitors": _visitors(place, start, end),
        "interventions": intervention_effects(
            place=place, interventions=relevant_interventions(place, start, end), now=now
        ),
        "tips": tip_figures(place, start, end),
        "alerts": _alert_figures(place, start, end),
        "external_events": _external_event_figures(place, start, end),
    }
    return _plain(figures)
