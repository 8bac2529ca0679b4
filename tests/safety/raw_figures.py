"""The figures core as it was before the daily rollups (issue #20), computing everything from
the raw incidents, activities and answers: the reference the rollup-based figures must equal
(tests/safety/test_rollups.py). A copy of safety/figures.py at that time, with the safety index
and the plan's logged days from the raw tables too. Not product code."""

import datetime as dt
import math
from collections import defaultdict
from decimal import Decimal

from django.db.models import Count, F, Q, Sum, Value
from django.db.models.fields import DateField, FloatField
from django.db.models.functions import (
    Round,
    TruncDate,
    TruncHour,
    TruncMonth,
    TruncWeek,
)
from django.utils import timezone

from partnerships.queries.funding import funding_summary
from places.models import ActionItem, Activity
from places.public import tip_figures
from places.queries import plan_vs_done, visitor_figures
from safety.effects import intervention_effects, relevant_interventions
from safety.models import Incident, IncidentCategory
from safety.periods import local_midnight, local_tz

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
    return (end.year - start.year) * 12 + end.month - start.month


def _shift_months(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def _minus_year(day: dt.date) -> dt.date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


def previous_period(start: dt.date, end: dt.date) -> tuple[dt.date, dt.date]:
    months = _months_between(start, end)
    if months:
        return _shift_months(start, -months), start
    return start - (end - start), start


def last_year_period(start: dt.date, end: dt.date) -> tuple[dt.date, dt.date]:
    return _minus_year(start), _minus_year(end)


def _range(field: str, start: dt.date, end: dt.date) -> Q:
    return Q(**{f"{field}__gte": local_midnight(start), f"{field}__lt": local_midnight(end)})


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


def _plain(value):
    """Make query results JSON-serialisable (dates → ISO strings, Decimal → number)."""
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
    return {
        row["id"]: row
        for row in IncidentCategory.objects.order_by().values(
            "id", "code", "name_sv", "name_en", "order"
        )
    }


def _incident_figures(place, start, end) -> dict:
    current = _range("occurred_at", start, end)
    previous = _range("occurred_at", *previous_period(start, end))
    last_year = _range("occurred_at", *last_year_period(start, end))

    def rows_where(condition):
        # Counting occurred_at (never null) rather than id: the indexes hold it, so PostgreSQL
        # may answer from the index alone.
        return Count("occurred_at", filter=condition)

    # One query per span of dates rather than one for their union: each is then a single range
    # of the covering index (incident_place_time), read without touching the table, where
    # PostgreSQL cannot read an OR of ranges from the index alone. A span's rows are counted
    # once, so the spans' counts add up.
    rows = []
    for span in _spans((start, end), previous_period(start, end), last_year_period(start, end)):
        rows += (
            Incident.objects.filter(place=place)
            .filter(_range("occurred_at", *span))
            .values("category_id", "severity")
            .annotate(
                count=rows_where(current),
                previous=rows_where(previous),
                last_year=rows_where(last_year),
                restricted=rows_where(current & Q(visibility=Incident.Visibility.RESTRICTED)),
                police_notified=rows_where(current & Q(police_notified=True)),
                with_position=rows_where(current & Q(lat__isnull=False, lon__isnull=False)),
            )
            .order_by()
        )
    names = _category_names()
    totals = dict.fromkeys(
        ("count", "previous", "last_year", "restricted", "police_notified", "with_position"), 0
    )
    severities = {
        code: {"code": code, "count": 0, "previous": 0, "last_year": 0} for code in SEVERITIES
    }
    categories: dict[int, dict] = {}
    for row in rows:
        for key in totals:
            totals[key] += row[key]
        severity = severities.setdefault(
            row["severity"], {"code": row["severity"], "count": 0, "previous": 0, "last_year": 0}
        )
        name = names[row["category_id"]]
        category = categories.setdefault(
            row["category_id"],
            {
                "code": name["code"],
                "name_sv": name["name_sv"],
                "name_en": name["name_en"],
                "order": name["order"],
                "count": 0,
                "previous": 0,
                "last_year": 0,
            },
        )
        for key in ("count", "previous", "last_year"):
            severity[key] += row[key]
            category[key] += row[key]
    by_category = sorted(
        categories.values(), key=lambda c: (-c["count"], -c["previous"], c["order"], c["name_sv"])
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
            day = _shift_months(day, 1)
        else:
            day += dt.timedelta(days=1 if bucket == "day" else 7)
    return starts


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
    trunc = {"day": TruncDate, "week": TruncWeek, "month": TruncMonth}[bucket]
    tz = local_tz()
    if bucket == "day":
        bucket_expr = TruncDate("occurred_at", tzinfo=tz)
    else:
        bucket_expr = trunc("occurred_at", tzinfo=tz, output_field=DateField())
    fields = ["bucket", "category_id"] if by_category else ["bucket"]
    names = _category_names() if by_category else {}
    rows = (
        Incident.objects.filter(place=place)
        .filter(_range("occurred_at", start, end))
        .annotate(bucket=bucket_expr)
        .values(*fields)
        .annotate(n=Count("*"))
        .order_by()
    )
    starts = _bucket_starts(bucket, start, end)
    index = {day: i for i, day in enumerate(starts)}
    totals = [0] * len(starts)
    categories: dict[str, dict] = {}
    for row in rows:
        day = row["bucket"]
        if isinstance(day, dt.datetime):
            day = day.date()
        position = index.get(day)
        if position is None:
            continue
        totals[position] += row["n"]
        if by_category:
            name = names[row["category_id"]]
            category = categories.setdefault(
                name["code"],
                {
                    "code": name["code"],
                    "name_sv": name["name_sv"],
                    "name_en": name["name_en"],
                    "order": name["order"],
                    "counts": [0] * len(starts),
                },
            )
            category["counts"][position] += row["n"]
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


class _LocalHour(TruncHour):
    """The local wall-clock hour (date and hour) of a moment, left naive.

    Django would turn each value back into an aware datetime, which costs more per row than the
    query; the counts only need the wall-clock date and hour. Both 02:00 hours of the October
    night fall into one local hour 02, as they do in the weekday × hour table.
    """

    def convert_value(self, value, expression, connection):
        return value


def _incident_times(place, start, end) -> tuple[dict, dict]:
    """The period's series (by `series_bucket`) and weekday × hour table, from one query that
    counts incidents per local hour: at most 24 rows per day of the period."""
    bucket = series_bucket(start, end)
    starts = _bucket_starts(bucket, start, end)
    index = {day: i for i, day in enumerate(starts)}
    totals = [0] * len(starts)
    table = [[0] * 24 for _day in range(7)]
    rows = (
        Incident.objects.filter(place=place)
        .filter(_range("occurred_at", start, end))
        .annotate(local_hour=_LocalHour("occurred_at", tzinfo=local_tz()))
        .values_list("local_hour")
        .annotate(n=Count("*"))
        .order_by()
    )
    days: dict[dt.date, tuple[list[int], int | None]] = {}  # date → (weekday row, point)
    for hour, n in rows:
        day = hour.date()
        slot = days.get(day)
        if slot is None:
            if bucket == "week":
                first = day - dt.timedelta(days=day.weekday())
            elif bucket == "month":
                first = day.replace(day=1)
            else:
                first = day
            slot = days[day] = (table[day.weekday()], index.get(first))
        weekday_row, position = slot
        weekday_row[hour.hour] += n
        if position is not None:
            totals[position] += n
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


def _hotspots(place, start, end) -> dict:
    reference_lat = place.centre_lat if place.centre_lat is not None else 59.33
    cell_lat = HOTSPOT_CELL_M / _METRES_PER_DEGREE_LAT
    cell_lon = cell_lat / max(math.cos(math.radians(reference_lat)), 0.01)
    positioned = Incident.objects.filter(
        _range("occurred_at", start, end), place=place, lat__isnull=False, lon__isnull=False
    )
    rows = (
        positioned.annotate(
            cell_y=_CellIndex(F("lat") / Value(cell_lat, output_field=FloatField())),
            cell_x=_CellIndex(F("lon") / Value(cell_lon, output_field=FloatField())),
        )
        .values("cell_y", "cell_x")
        .annotate(n=Count("*"))
        .order_by("-n", "cell_y", "cell_x")[:HOTSPOT_LIMIT]
    )
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
    current = _range("started_at", start, end)
    previous = _range("started_at", *previous_period(start, end))
    rows = (
        Activity.objects.filter(place=place)
        .filter(current | previous)
        .values("kind_id", "kind__code", "kind__name_sv", "kind__name_en", "kind__order")
        .annotate(
            count=Count("id", filter=current),
            minutes=Sum("duration_minutes", filter=current),
            participants=Sum("participants_count", filter=current),
            previous=Count("id", filter=previous),
            previous_minutes=Sum("duration_minutes", filter=previous),
        )
        .order_by()
    )
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


def _action_item_figures(place, start, end, now) -> dict:
    """Open and overdue at the end of the period (or now, for a period not yet over)."""
    end_at = local_midnight(end)
    as_of_at = min(end_at, now)
    as_of_date = min(end, timezone.localtime(now, local_tz()).date())
    unresolved = [ActionItem.Status.OPEN, ActionItem.Status.IN_PROGRESS]
    open_then = Q(created_at__lt=as_of_at) & (
        Q(status__in=unresolved) | Q(status=ActionItem.Status.RESOLVED, resolved_at__gte=as_of_at)
    )
    totals = ActionItem.objects.filter(place=place).aggregate(
        open=Count("id", filter=open_then),
        overdue=Count("id", filter=open_then & Q(due_date__lt=as_of_date)),
        created=Count("id", filter=_range("created_at", start, end)),
        resolved=Count(
            "id",
            filter=_range("resolved_at", start, end) & Q(status=ActionItem.Status.RESOLVED),
        ),
    )
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
            Incident.objects.filter(place=place)
            .filter(_range("occurred_at", start, end))
            .annotate(day=TruncDate("occurred_at", tzinfo=local_tz()))
            .filter(day__in=visitors["counted_days"])
            .count()
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
    from safety.police_events import external_event_figures

    return external_event_figures(place, local_midnight(start), local_midnight(end))


def _alert_figures(place, start, end) -> dict:
    from safety.services.alerts import alert_figures

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


# --- The safety index and the plan's logged days from the raw rows ----------------------

from django.db.models import Avg, IntegerField, OuterRef, Subquery  # noqa: E402
from django.db.models.functions import Cast, Coalesce  # noqa: E402

from surveys.models import Answer, Response, Survey  # noqa: E402
from surveys.queries import _index_row, shown_index  # noqa: E402


def _avg_value():
    return Avg(Cast("value_number", FloatField()))


def safety_index_in_periods(*, place, periods: dict[str, tuple]) -> dict[str, dict | None]:
    """`safety_index` of one place for several periods at once: {key: {"index", "responses"}
    or None}, where `periods` maps a key to [start, end) datetimes. One query over the
    responses of all the periods, each period's figures picked out by a filter – the same
    numbers `safety_index` gives for each period on its own."""
    in_index = Q(answers__question__in_safety_index=True, answers__value_number__isnull=False)
    in_any = Q()
    aggregates = {}
    for position, (start, end) in enumerate(periods.values()):
        within = Q(submitted_at__gte=start, submitted_at__lt=end)
        in_any |= within
        aggregates[f"avg_{position}"] = Avg(
            Cast("answers__value_number", FloatField()), filter=in_index & within
        )
        aggregates[f"responses_{position}"] = Count("id", distinct=True, filter=within)
    row = (
        Response.objects.filter(survey__place=place, survey__is_template=False)
        .filter(in_any)
        .aggregate(**aggregates)
    )
    result = {}
    for position, key in enumerate(periods):
        # The minimum-answers rule (issue #19) holds for the raw computation too.
        result[key] = _index_row(row[f"avg_{position}"], row[f"responses_{position}"])
    return result


def _index_subquery():
    return Subquery(
        Answer.objects.filter(
            question__survey=OuterRef("pk"),
            question__in_safety_index=True,
            value_number__isnull=False,
        )
        .order_by()
        .values("question__survey")
        .annotate(avg=_avg_value())
        .values("avg"),
        output_field=FloatField(),
    )


def _response_count_subquery():
    return Coalesce(
        Subquery(
            Response.objects.filter(survey=OuterRef("pk"))
            .order_by()
            .values("survey")
            .annotate(n=Count("id"))
            .values("n"),
            output_field=IntegerField(),
        ),
        0,
    )


def safety_index_by_survey(*, place) -> list[dict]:
    """The index per survey (wave) of a place, oldest first, in one query.

    Each row: survey_id, title, status, opens_at, closes_at, created_at, index (None when no
    in-index answers), responses.
    """
    rows = (
        Survey.objects.filter(place=place, is_template=False)
        .annotate(avg_value=_index_subquery(), n_responses=_response_count_subquery())
        .order_by("created_at", "pk")
        .values(
            "id",
            "title",
            "status",
            "opens_at",
            "closes_at",
            "created_at",
            "avg_value",
            "n_responses",
        )
    )
    return [
        {
            "survey_id": row["id"],
            "title": row["title"],
            "status": row["status"],
            "opens_at": row["opens_at"],
            "closes_at": row["closes_at"],
            "created_at": row["created_at"],
            "index": shown_index(row["avg_value"], row["n_responses"]),
            "responses": row["n_responses"],
        }
        for row in rows
    ]


def _logged_days(plans, all_windows) -> dict[tuple[int, int], set]:
    """The local days on which each (place, kind) of the plans was logged, across the plans'
    whole windows (a monthly window runs past a 30-day period). One query."""
    span = [w for windows in all_windows.values() for w in windows]
    days: dict[tuple[int, int], set] = defaultdict(set)
    if not span:
        return days
    tz = timezone.get_current_timezone()
    logged = (
        Activity.objects.filter(
            place_id__in={plan.place_id for plan in plans},
            kind_id__in={plan.kind_id for plan in plans},
            started_at__gte=dt.datetime.combine(min(w[0] for w in span), dt.time.min, tzinfo=tz),
            started_at__lt=dt.datetime.combine(max(w[1] for w in span), dt.time.min, tzinfo=tz),
        )
        .annotate(day=TruncDate("started_at", tzinfo=tz))
        .values_list("place_id", "kind_id", "day")
        .order_by()
        .distinct()
    )
    for place_id, kind_id, day in logged:
        days[(place_id, kind_id)].add(day)
    return days
