"""Read-side queries for the place workspace."""

import datetime as dt
from bisect import bisect_left
from collections import defaultdict

from django.db.models import DateField, Q
from django.utils import timezone

from amp_platform import raw_sql

from .models import ActivityDay, ActivityKind, PlannedActivity
from .months import first_of_month_shifted, local_midnight


def _windows(plan: PlannedActivity, start: dt.date, end: dt.date) -> list[tuple[dt.date, dt.date]]:
    """The plan's occurrence windows [from, to) that fall in [start, end) and its active span.

    Weekly: each matching weekday (a one-day window). Monthly: each calendar month touching the
    range. Yearly: the plan's month in each year touching the range.
    """
    first = max(start, plan.starts_on)
    # Compared before adding the day: a stored end past the period (even 9999-12-31, from
    # before dates were bounded) must not overflow.
    last = plan.ends_on + dt.timedelta(days=1) if plan.ends_on and plan.ends_on < end else end
    if first >= last:
        return []
    windows = []
    if plan.recurrence == PlannedActivity.Recurrence.WEEKLY:
        day = first + dt.timedelta(days=(plan.weekday - first.weekday()) % 7)
        while day < last:
            windows.append((day, day + dt.timedelta(days=1)))
            day += dt.timedelta(days=7)
    else:
        month_start = first.replace(day=1)
        while month_start < last:
            if (
                plan.recurrence == PlannedActivity.Recurrence.MONTHLY
                or month_start.month == plan.month
            ):
                windows.append((month_start, first_of_month_shifted(month_start, 1)))
            month_start = first_of_month_shifted(month_start, 1)
    return windows


def _active_plans(place_ids, start: dt.date, end: dt.date):
    return PlannedActivity.objects.filter(place_id__in=place_ids, is_active=True).filter(
        Q(ends_on__isnull=True) | Q(ends_on__gte=start), starts_on__lt=end
    )


def _logged_days(plans, all_windows) -> dict[tuple[int, int], set]:
    """The local days on which each (place, kind) of the plans was logged, across the plans'
    whole windows (a monthly window runs past a 30-day period). One query."""
    span = [w for windows in all_windows.values() for w in windows]
    days: dict[tuple[int, int], set] = defaultdict(set)
    if not span:
        return days
    # From the daily rollup (ActivityDay: one row per place, local day and kind), so each day
    # comes once without a DISTINCT – and `.order_by()` drops the model's default ordering, which
    # would otherwise join the grouping (the old DISTINCT over the activities also took in
    # `started_at` and so returned a row per activity rather than per day).
    # Written as SQL (issue #20), the statement the ORM built: it cost more than the database.
    place_ids = sorted({plan.place_id for plan in plans})
    kind_ids = sorted({plan.kind_id for plan in plans})
    day = raw_sql.converter(ActivityDay._meta.get_field("day"), model=ActivityDay)
    logged = raw_sql.read(
        ActivityDay,
        f"SELECT place_id, kind_id, day FROM {ActivityDay._meta.db_table} "
        f"WHERE {raw_sql.quote('count')} > 0 AND day >= %s AND day < %s "
        f"AND kind_id IN ({', '.join(['%s'] * len(kind_ids))}) "
        f"AND place_id IN ({', '.join(['%s'] * len(place_ids))})",
        [
            raw_sql.param(ActivityDay, min(w[0] for w in span)),
            raw_sql.param(ActivityDay, max(w[1] for w in span)),
            *kind_ids,
            *place_ids,
        ],
    )
    logged = [(place_id, kind_id, day(value)) for place_id, kind_id, value in logged]
    for place_id, kind_id, day in logged:
        days[(place_id, kind_id)].add(day)
    return days


def _sorted_days(logged_days: dict) -> dict[tuple[int, int], list[dt.date]]:
    """`_logged_days` with each set of days sorted, for `_logged_in`."""
    return {key: sorted(days) for key, days in logged_days.items()}


def _logged_in(days: list[dt.date], start: dt.date, end: dt.date) -> bool:
    """Whether one of the sorted `days` falls in [start, end): a binary search, where testing
    every day against every window cost a year's dashboard ~7,800 comparisons (issue #20)."""
    index = bisect_left(days, start)
    return index < len(days) and days[index] < end


def plan_totals_by_place(*, place_ids, start: dt.date, end: dt.date) -> dict[int, tuple[int, int]]:
    """(planned, done) occurrences per place in [start, end), for comparing places: counted
    exactly as `plan_vs_done` counts them for one place, in two queries for all places."""
    plans = list(
        _active_plans(place_ids, start, end).only(
            "pk", "place_id", "kind_id", "recurrence", "weekday", "month", "starts_on", "ends_on"
        )
    )
    all_windows = {plan.pk: _windows(plan, start, end) for plan in plans}
    logged_days = _sorted_days(_logged_days(plans, all_windows))
    totals: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for plan in plans:
        days = logged_days.get((plan.place_id, plan.kind_id), [])
        for window_start, window_end in all_windows[plan.pk]:
            totals[plan.place_id][0] += 1
            totals[plan.place_id][1] += _logged_in(days, window_start, window_end)
    return {place_id: tuple(value) for place_id, value in totals.items()}


def _plans_with_kinds(place, start: dt.date, end: dt.date) -> list[PlannedActivity]:
    """`_active_plans([place.pk], …).select_related("kind")` in the model's order (kind, title),
    written as SQL (issue #20): the statement the ORM built, the instances made as it makes
    them. The figures core asks this on every cold dashboard and lägesbild."""
    plan_columns, plan = raw_sql.instances(PlannedActivity)
    kind_columns, kind = raw_sql.instances(ActivityKind)
    qn = raw_sql.quote
    columns = [f"p.{qn(column)}" for column in plan_columns]
    columns += [f"k.{qn(column)}" for column in kind_columns]
    rows = raw_sql.read(
        PlannedActivity,
        f"SELECT {', '.join(columns)} FROM {PlannedActivity._meta.db_table} p "
        f"JOIN {ActivityKind._meta.db_table} k ON k.id = p.kind_id "
        "WHERE p.is_active AND p.place_id = %s AND (p.ends_on IS NULL OR p.ends_on >= %s) "
        f"AND p.starts_on < %s ORDER BY k.{qn('order')} ASC, k.name_sv ASC, p.title ASC",
        [place.pk, raw_sql.param(PlannedActivity, start), raw_sql.param(PlannedActivity, end)],
    )
    plans = []
    split = len(plan_columns)
    for row in rows:
        instance = plan(row[:split])
        PlannedActivity.kind.field.set_cached_value(instance, kind(row[split:]))
        plans.append(instance)
    return plans


def plan_vs_done(*, place, start: dt.date, end: dt.date, today: dt.date | None = None) -> dict:
    """Planned versus done for the place's activity plan (årshjul) in [start, end).

    An occurrence counts as done when an activity of the plan's kind was logged inside its
    window. An occurrence is *missing* only once its window has ended; one still running or
    still to come is *pending* (so the current month is not "missing" on its first day).
    Two queries whatever the size of the plan or the log.

    Returns {"rows": [row], "planned": int, "done": int, "missing": int, "pending": int}, where
    a row is {plan, title, kind, recurrence, planned, done, missing: [window start…],
    pending: [window start…], windows: [{start, end, state}]} and state is one of "done",
    "missing", "due" (running now) or "upcoming".
    """
    today = today or timezone.localdate()
    plans = _plans_with_kinds(place, start, end)
    all_windows = {plan.pk: _windows(plan, start, end) for plan in plans}
    logged_days = _sorted_days(_logged_days(plans, all_windows))
    rows = []
    totals = {"planned": 0, "done": 0, "missing": 0, "pending": 0}
    for plan in plans:
        windows = all_windows[plan.pk]
        if not windows:
            continue
        days = logged_days.get((plan.place_id, plan.kind_id), [])
        states = []
        for w_start, w_end in windows:
            if _logged_in(days, w_start, w_end):
                state = "done"
            elif w_end <= today:
                state = "missing"
            elif w_start <= today:
                state = "due"
            else:
                state = "upcoming"
            states.append({"start": w_start, "end": w_end, "state": state})
        missing = [w["start"] for w in states if w["state"] == "missing"]
        pending = [w["start"] for w in states if w["state"] in ("due", "upcoming")]
        done = sum(1 for w in states if w["state"] == "done")
        rows.append(
            {
                "plan": plan,
                "title": plan.title,
                "kind": plan.kind,
                "recurrence": plan.get_recurrence_display(),
                "planned": len(windows),
                "done": done,
                "missing": missing,
                "pending": pending,
                "windows": states,
            }
        )
        totals["planned"] += len(windows)
        totals["done"] += done
        totals["missing"] += len(missing)
        totals["pending"] += len(pending)
    return {"rows": rows, **totals}


# --- Visitor counts (issue #18) -------------------------------------------------------------


def visitor_figures(*, place, start: dt.date, end: dt.date) -> dict:
    """People counted at the place in the local dates [start, end), per day and per hour of the
    day, in two grouped queries: {people, counts, days: [{day, people, counts}], hours: [24
    sums], counted_days: [dates]}. Days without a count are left out (not zero: nobody
    counted)."""
    from .models import VisitorCount

    tz = timezone.get_default_timezone()
    # One query: people and counts per local hour (at most 24 rows a day), summed here into
    # days and hours of the day. Written as SQL (issue #20), the statement the ORM built (the
    # backend's own local date and hour of a moment): it cost more than the database.
    db = raw_sql.connection_for(VisitorCount)
    tzname = timezone._get_timezone_name(tz)  # as TruncDate(tzinfo=tz) names it
    day_sql, day_params = db.ops.datetime_cast_date_sql("counted_at", (), tzname)
    hour_sql, hour_params = db.ops.datetime_extract_sql("hour", "counted_at", (), tzname)
    as_date = raw_sql.converter(DateField(), model=VisitorCount)
    per_hour = [
        {"day": as_date(day), "hour": int(hour), "people": people, "counts": n}
        for day, hour, people, n in raw_sql.read(
            VisitorCount,
            f"SELECT {day_sql}, {hour_sql}, SUM(people), COUNT(id) "
            f"FROM {VisitorCount._meta.db_table} "
            "WHERE counted_at >= %s AND counted_at < %s AND place_id = %s "
            "GROUP BY 1, 2 ORDER BY 1 ASC",
            [
                *day_params,
                *hour_params,
                raw_sql.param(VisitorCount, local_midnight(start)),
                raw_sql.param(VisitorCount, local_midnight(end)),
                place.pk,
            ],
        )
    ]
    hours = [0] * 24
    by_day: dict = {}
    for row in per_hour:
        hours[row["hour"]] += row["people"]
        day = by_day.setdefault(row["day"], {"day": row["day"], "people": 0, "counts": 0})
        day["people"] += row["people"]
        day["counts"] += row["counts"]
    days = sorted(by_day.values(), key=lambda d: d["day"])
    return {
        "people": sum(day["people"] for day in days),
        "counts": sum(day["counts"] for day in days),
        "days": days,
        "hours": hours,
        "counted_days": [day["day"] for day in days],
    }
