"""Read side of the public page (issue #14): what places knows and may publish.

Nothing here returns a name, an e-mail address or a position finer than the published grid
(`geo.snap_to_grid`); the public page (safety/views/public.py) adds members, the survey link
and the figures.
"""

import datetime as dt
from calendar import monthrange

from django.db.models import OuterRef, Subquery
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from .access import place_access
from .geo import snap_to_grid
from .models import ActionItem, ActionItemStatusChange, Place, PlannedActivity, PublicTip
from .months import first_of_month_shifted

EVENT_DAYS = 90
RESOLVED_SHOWN = 10
TIPS_SHOWN = 50

# What a tipper and the public read about a tip (the tracking page, the public list).
PUBLIC_STATES = {
    "received": _("Received – waiting for review"),
    "accepted": _("Accepted – passed on to those responsible"),
    "open": _("Accepted – passed on to those responsible"),
    "in_progress": _("Being dealt with"),
    "resolved": _("Fixed"),
    "wont_fix": _("Closed without action"),
    "declined": _("Declined"),
}


def public_place(request, slug) -> tuple[Place, bool]:
    """The place whose public page is on; before that, only its managers see it (preview).
    Returns (place, preview). Everyone else: 404."""
    place = Place.objects.filter(slug=slug, is_active=True).first()
    if place is None:
        raise Http404
    if place.public_page_enabled:
        return place, False
    if request.user.is_authenticated:
        access = place_access(request.user, slug)  # 404 for outsiders
        if access.is_manager:
            return place, True
    raise Http404


def _occurrence(plan: PlannedActivity, year: int, month: int) -> dt.date:
    day = min(plan.starts_on.day, monthrange(year, month)[1])
    return dt.date(year, month, day)


def plan_occurrences(plan: PlannedActivity, start: dt.date, end: dt.date) -> list[dt.date]:
    """The dates a public plan happens in [start, end): weekly on its weekday; monthly and
    yearly on its start date's day of the month (yearly in its month)."""
    first = max(start, plan.starts_on)
    last = min(end, plan.ends_on + dt.timedelta(days=1)) if plan.ends_on else end
    days = []
    if first >= last:
        return days
    if plan.recurrence == PlannedActivity.Recurrence.WEEKLY:
        if plan.weekday is None:
            return days
        day = first + dt.timedelta(days=(plan.weekday - first.weekday()) % 7)
        while day < last:
            days.append(day)
            day += dt.timedelta(days=7)
        return days
    month_start = first.replace(day=1)
    while month_start < last:
        year, month = month_start.year, month_start.month
        if plan.recurrence == PlannedActivity.Recurrence.MONTHLY or month == plan.month:
            day = _occurrence(plan, year, month)
            if first <= day < last:
                days.append(day)
        month_start = first_of_month_shifted(month_start, 1)
    return days


def public_events(place, start: dt.date, days: int = EVENT_DAYS) -> list[dict]:
    """Public plans' occurrences from `start` for `days`, in date order (one query)."""
    end = start + dt.timedelta(days=days)
    plans = PlannedActivity.objects.filter(
        place=place, is_active=True, is_public=True, starts_on__lt=end
    ).select_related("kind")
    events = [
        {"plan": plan, "date": day, "time": plan.public_time}
        for plan in plans
        for day in plan_occurrences(plan, start, end)
    ]
    events.sort(key=lambda e: (e["date"], e["time"] or dt.time.min, e["plan"].pk))
    return events


def resolved_public_items(place, limit: int = RESOLVED_SHOWN) -> list[ActionItem]:
    """ "Ni tipsade – vi åtgärdade": public action items resolved, newest first, each with the
    note written when it was resolved (the "after" text), in one query."""
    note = (
        ActionItemStatusChange.objects.filter(
            action_item=OuterRef("pk"), to_status=ActionItem.Status.RESOLVED
        )
        .order_by("-changed_at")
        .values("note")[:1]
    )
    return list(
        ActionItem.objects.filter(place=place, is_public=True, status=ActionItem.Status.RESOLVED)
        .annotate(after_note=Subquery(note))
        .order_by("-resolved_at", "-pk")[:limit]
    )


def public_tips(place, limit: int = TIPS_SHOWN) -> list[dict]:
    """Accepted tips with their status and grid position: the public list and map."""
    tips = (
        PublicTip.objects.filter(
            place=place, status__in=[PublicTip.Status.ACCEPTED, PublicTip.Status.MERGED]
        )
        .select_related("action_item")
        .order_by("-created_at", "-pk")[:limit]
    )
    rows = []
    for tip in tips:
        lat, lon = snap_to_grid(tip.lat, tip.lon, place.centre_lat)
        state = tip.public_state
        rows.append(
            {
                "category": tip.get_category_display(),
                "received": tip.created_at,
                "state": state,
                "state_label": PUBLIC_STATES.get(state, state),
                "lat": lat,
                "lon": lon,
            }
        )
    return rows


def tip_figures(place, start: dt.date, end: dt.date) -> dict:
    """Tips from the public in the local dates [start, end), for the figures core (one query):
    received and accepted (tips received in the period), resolved (their action item resolved
    in the period) and the mean days from the tip to that resolution."""
    from django.db.models import DurationField
    from django.utils import timezone

    from amp_platform import raw_sql

    tz = timezone.get_current_timezone()
    lo = raw_sql.param(PublicTip, dt.datetime.combine(start, dt.time.min, tzinfo=tz))
    hi = raw_sql.param(PublicTip, dt.datetime.combine(end, dt.time.min, tzinfo=tz))
    # Written as SQL (issue #20), the statement the ORM built: it cost more than the database.
    received = "(t.created_at >= %s AND t.created_at < %s)"
    resolved = "(a.resolved_at >= %s AND a.resolved_at < %s AND a.status = %s)"
    db = raw_sql.connection_for(PublicTip)
    took, took_params = db.ops.subtract_temporals(
        "DateTimeField", ("a.resolved_at", ()), ("t.created_at", ())
    )
    [(received_n, accepted_n, resolved_n, duration)] = raw_sql.read(
        PublicTip,
        f"SELECT COUNT(t.id) FILTER (WHERE {received}), "
        f"COUNT(t.id) FILTER (WHERE {received} AND t.status IN (%s, %s)), "
        f"COUNT(t.id) FILTER (WHERE {resolved}), AVG({took}) FILTER (WHERE {resolved}) "
        f"FROM {PublicTip._meta.db_table} t "
        f"LEFT JOIN {ActionItem._meta.db_table} a ON a.id = t.action_item_id "
        "WHERE t.place_id = %s",
        [
            lo,
            hi,
            lo,
            hi,
            PublicTip.Status.ACCEPTED,
            PublicTip.Status.MERGED,
            lo,
            hi,
            ActionItem.Status.RESOLVED,
            *took_params,
            lo,
            hi,
            ActionItem.Status.RESOLVED,
            place.pk,
        ],
    )
    duration = raw_sql.converter(DurationField(), model=PublicTip)(duration)
    row = {"received": received_n, "accepted": accepted_n, "resolved": resolved_n}
    row["days_to_resolve"] = (
        round(duration.total_seconds() / 86400, 1) if isinstance(duration, dt.timedelta) else None
    )
    return row
