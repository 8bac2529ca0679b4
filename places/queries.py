"""Read-side queries for the place workspace."""

import datetime as dt
from calendar import monthrange
from collections import defaultdict

from django.db.models import Q
from django.db.models.functions import TruncDate
from django.utils import timezone

from .models import Activity, PlannedActivity


def _windows(plan: PlannedActivity, start: dt.date, end: dt.date) -> list[tuple[dt.date, dt.date]]:
    """The plan's occurrence windows [from, to) that fall in [start, end) and its active span.

    Weekly: each matching weekday (a one-day window). Monthly: each calendar month touching the
    range. Yearly: the plan's month in each year touching the range.
    """
    first = max(start, plan.starts_on)
    last = min(end, plan.ends_on + dt.timedelta(days=1)) if plan.ends_on else end
    if first >= last:
        return []
    windows = []
    if plan.recurrence == PlannedActivity.Recurrence.WEEKLY:
        day = first + dt.timedelta(days=(plan.weekday - first.weekday()) % 7)
        while day < last:
            windows.append((day, day + dt.timedelta(days=1)))
            day += dt.timedelta(days=7)
    else:
        year, month = first.year, first.month
        while dt.date(year, month, 1) < last:
            if plan.recurrence == PlannedActivity.Recurrence.MONTHLY or month == plan.month:
                month_start = dt.date(year, month, 1)
                month_end = month_start + dt.timedelta(days=monthrange(year, month)[1])
                windows.append((month_start, month_end))
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return windows


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
    plans = list(
        PlannedActivity.objects.filter(place=place, is_active=True)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=start), starts_on__lt=end)
        .select_related("kind")
    )
    all_windows = {plan.pk: _windows(plan, start, end) for plan in plans}
    span = [w for windows in all_windows.values() for w in windows]
    days_by_kind: dict[int, set] = defaultdict(set)
    if span:
        tz = timezone.get_current_timezone()
        span_start = min(w[0] for w in span)
        span_end = max(w[1] for w in span)
        logged = (
            Activity.objects.filter(
                place=place,
                kind_id__in={plan.kind_id for plan in plans},
                started_at__gte=dt.datetime.combine(span_start, dt.time.min, tzinfo=tz),
                started_at__lt=dt.datetime.combine(span_end, dt.time.min, tzinfo=tz),
            )
            .annotate(day=TruncDate("started_at", tzinfo=tz))
            .values_list("kind_id", "day")
            .distinct()
        )
        for kind_id, day in logged:
            days_by_kind[kind_id].add(day)
    rows = []
    totals = {"planned": 0, "done": 0, "missing": 0, "pending": 0}
    for plan in plans:
        windows = all_windows[plan.pk]
        if not windows:
            continue
        days = days_by_kind[plan.kind_id]
        states = []
        for w_start, w_end in windows:
            if any(w_start <= day < w_end for day in days):
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
