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


def plan_vs_done(*, place, start: dt.date, end: dt.date) -> dict:
    """Planned versus done for the place's activity plan (årshjul) in [start, end).

    An occurrence counts as done when an activity of the plan's kind (or linked to the plan) was
    logged inside its window. Two queries whatever the size of the plan or the log.
    Returns {"rows": [{plan, title, kind, recurrence, planned, done, missing: [window start…]}],
    "planned": int, "done": int}.
    """
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
    rows, planned_total, done_total = [], 0, 0
    for plan in plans:
        windows = all_windows[plan.pk]
        if not windows:
            continue
        days = days_by_kind[plan.kind_id]
        missing = [w[0] for w in windows if not any(w[0] <= day < w[1] for day in days)]
        done = len(windows) - len(missing)
        rows.append(
            {
                "plan": plan,
                "title": plan.title,
                "kind": plan.kind,
                "recurrence": plan.get_recurrence_display(),
                "planned": len(windows),
                "done": done,
                "missing": missing,
            }
        )
        planned_total += len(windows)
        done_total += done
    return {"rows": rows, "planned": planned_total, "done": done_total}
