"""Read-side queries of the place dashboard and the overview across places.

The place's figures come from the figures core (`safety.figures.place_figures`, cached by
`safety.cache`); this module adds what is per user (the map, open action items, latest
reports) and the comparison across places. Everything aggregates in SQL with a fixed number of
queries, whatever the number of places or rows (architecture §5, §8).
"""

import datetime as dt
from collections import defaultdict
from decimal import Decimal

from django.conf import settings
from django.db.models import (
    BooleanField,
    CharField,
    Count,
    ExpressionWrapper,
    F,
    Func,
    Q,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone

from accounts.models import User
from amp_platform import raw_sql
from partnerships.models import AnnualBudget, FundingCommitment, Membership
from partnerships.queries.funding import coverage_pct
from places.models import ActionItem, ActivityDay, Place
from places.queries import plan_totals_by_place
from surveys.queries import safety_index_by_place

from .figures import change, incident_series
from .models import Incident, IncidentDay, SituationReport
from .periods import first_of_month_shifted, local_midnight, local_tz

# The map shows at most this many incidents (the most recent of the period) and action items:
# enough to see where things happen, bounded so the page stays light on a phone.
MAP_INCIDENT_LIMIT = 300
MAP_ACTION_ITEM_LIMIT = 100
OPEN_ACTION_ITEMS_SHOWN = 10
LATEST_REPORTS_SHOWN = 5
# The overview compares places over the last three whole months against the three before.
COMPARISON_MONTHS = 3
SPARKLINE_MONTHS = 12


# --- The place dashboard ---------------------------------------------------------------------


def twelve_month_weeks(today: dt.date) -> tuple[dt.date, dt.date]:
    """The 53 weeks (Monday first) up to and including the current one: [start, tomorrow)."""
    this_monday = today - dt.timedelta(days=today.weekday())
    return this_monday - dt.timedelta(weeks=52), today + dt.timedelta(days=1)


def weekly_series_by_category(*, place, today: dt.date) -> dict:
    """Incidents per week and category over the last 12 months (one query)."""
    start, end = twelve_month_weeks(today)
    series = incident_series(place=place, start=start, end=end, bucket="week", by_category=True)
    series["period"] = {"start": start.isoformat(), "end": end.isoformat()}
    return series


def _map_incident_rows(
    *, place: int, start: dt.datetime, end: dt.datetime, user: int | None = None
):
    """The map's incidents (see `map_incidents`): `user` is the person's key, None for staff.

    `visible_to` decides from who the person is (their key) and whether they are staff, so an
    unsaved stand-in carrying those two builds the same statement (`raw_sql.compiled`)."""
    viewer = User.stand_in(user)
    if raw_sql.connection_for(Incident).vendor == "postgresql":
        # The local time as the map shows it, written by the database: turning 300 timestamps
        # into local text in Python cost more than the query (issue #20).
        when = Func(
            F("occurred_at"),
            Value(settings.TIME_ZONE),
            arg_joiner=" AT TIME ZONE ",
            template="to_char(%(expressions)s, 'YYYY-MM-DD HH24:MI')",
            output_field=CharField(),
        )
    else:  # SQLite knows no time zones: formatted in Python (map_incidents)
        when = F("occurred_at")
    return (
        Incident.objects.visible_to(viewer)
        .filter(
            place=place,
            occurred_at__gte=start,
            occurred_at__lt=end,
            lat__isnull=False,
            lon__isnull=False,
        )
        .order_by("-occurred_at")
        .annotate(when=when)
        .values_list(
            "pk",
            "lat",
            "lon",
            "when",
            "severity",
            "visibility",
            "category__name_sv",
            "category__name_en",
        )[:MAP_INCIDENT_LIMIT]
    )


def map_incidents(*, user, place, start: dt.date, end: dt.date) -> list[dict]:
    """Positions of the period's incidents whose details `user` may see (architecture §4).

    Starts from `Incident.objects.visible_to(user)`, so a restricted incident never reaches a
    reader's map: not its position, not its category. One query, built by the ORM once per
    process for staff and once for everyone else (issue #20: building it cost as much as the
    database's answer).
    """
    rows = raw_sql.rows_for_viewer(
        "safety.map_incidents",
        Incident,
        _map_incident_rows,
        user=user,
        place=place.pk,
        start=local_midnight(start),
        end=local_midnight(end),
    )
    tz = local_tz()
    restricted = Incident.Visibility.RESTRICTED
    return [
        {
            "id": pk,
            "lat": round(lat, 6),
            "lon": round(lon, 6),
            "when": when
            if isinstance(when, str)
            else when.astimezone(tz).strftime("%Y-%m-%d %H:%M"),
            "severity": severity,
            "restricted": visibility == restricted,
            "name_sv": name_sv,
            "name_en": name_en,
        }
        for pk, lat, lon, when, severity, visibility, name_sv, name_en in rows
    ]


def _open_action_item_counts(*, place: int, today: dt.date):
    """The counts of `open_action_items` as one row (see `raw_sql.compiled`)."""
    return (
        ActionItem.objects.filter(place=place)
        .unresolved()
        .values(one=Value(1))
        .annotate(open=Count("id"), overdue=Count("id", filter=ActionItem.overdue_q(today)))
        .order_by()
    )


_URGENT_FIRST = (F("due_date").asc(nulls_last=True), "-created_at", "pk")


def _action_item_positions(*, place: int, today: dt.date):
    """The map's action items of `open_action_items` (see `raw_sql.compiled`)."""
    return (
        ActionItem.objects.filter(place=place, lat__isnull=False, lon__isnull=False)
        .unresolved()
        .annotate(
            is_overdue=ExpressionWrapper(ActionItem.overdue_q(today), output_field=BooleanField())
        )
        .order_by(*_URGENT_FIRST)
        .values_list("pk", "lat", "lon", "category", "status", "due_date", "is_overdue")[
            :MAP_ACTION_ITEM_LIMIT
        ]
    )


def _action_items_shown(*, place: int, today: dt.date):
    """The few action items `open_action_items` lists (see `raw_sql.compiled`)."""
    return (
        ActionItem.objects.filter(place=place)
        .unresolved()
        .annotate(
            is_overdue=ExpressionWrapper(ActionItem.overdue_q(today), output_field=BooleanField()),
            organisation=F("responsible_organisation__name"),
        )
        .order_by(*_URGENT_FIRST)
        .values_list(
            "pk", "category", "description", "status", "due_date", "is_overdue", "organisation"
        )[:OPEN_ACTION_ITEMS_SHOWN]
    )


def open_action_items(*, place, today: dt.date | None = None) -> dict:
    """Unresolved action items of the place: counts, the most urgent few and map positions.

    Three queries, each built by the ORM once per process ("overdue" and "urgent first" keep
    their one definition) and run as SQL: the counts, the few shown (most urgent first) and
    the map's positions, all as plain values – a list of model instances cost more to build
    and to render than the database took to answer (issue #20). Action items are visible to
    every member of the place.
    """
    today = today or timezone.localdate()
    [counts] = raw_sql.compiled(
        "safety.open_action_items", ActionItem, _open_action_item_counts, place=int, today=dt.date
    ).dicts(place=place.pk, today=today)
    del counts["one"]
    # The labels as text once: lazy labels are translated again wherever they are used (each
    # row's label on the map, the list), which cost more than the query (issue #20).
    categories = {value: str(label) for value, label in ActionItem.Category.choices}
    statuses = {value: str(label) for value, label in ActionItem.Status.choices}
    listed = raw_sql.compiled(
        "safety.action_items_shown", ActionItem, _action_items_shown, place=int, today=dt.date
    )
    shown = [
        {
            "id": pk,
            "category": categories.get(category, category),
            "description": description,
            "status": statuses.get(status, status),
            "due": due_date,
            "overdue": is_overdue,
            "organisation": organisation or "",
        }
        for pk, category, description, status, due_date, is_overdue, organisation in listed.rows(
            place=place.pk, today=today
        )
    ]
    placed = raw_sql.compiled(
        "safety.action_item_positions",
        ActionItem,
        _action_item_positions,
        place=int,
        today=dt.date,
    )
    positions = [
        {
            "id": pk,
            "lat": round(lat, 6),
            "lon": round(lon, 6),
            "category": categories.get(category, category),
            "status": statuses.get(status, status),
            "due": due_date.isoformat() if due_date else "",
            "overdue": is_overdue,
        }
        for pk, lat, lon, category, status, due_date, is_overdue in placed.rows(
            place=place.pk, today=today
        )
    ]
    return {**counts, "shown": shown, "positions": positions}


def _latest_report_rows(*, place: int, user: int | None = None):
    """The reports `latest_reports` lists: `user` is the person's key, None for staff (an
    unsaved stand-in builds the same statement, as in `_map_incident_rows`)."""
    return (
        SituationReport.objects.visible_to(User.stand_in(user))
        .filter(place=place, status=SituationReport.Status.READY)
        .order_by("-period_end", "kind")
        # Not the frozen figures (a large JSON): the list shows the title and kind.
        .values_list("pk", "kind", "period_start", "period_end")[:LATEST_REPORTS_SHOWN]
    )


def latest_reports(*, user, place) -> list:
    """The place's latest ready lägesbilder the user may read (one query, built by the ORM once
    per process for staff and once for everyone else), as reports of `place` holding what the
    list shows: title, kind and link."""
    rows = raw_sql.rows_for_viewer(
        "safety.latest_reports", SituationReport, _latest_report_rows, user=user, place=place.pk
    )
    return [
        SituationReport(
            pk=pk,
            place=place,
            kind=kind,
            period_start=start,
            period_end=end,
            status=SituationReport.Status.READY,
        )
        for pk, kind, start, end in rows
    ]


# --- The overview across places --------------------------------------------------------------


def overview_places(user):
    """Places in the overview: the places the user can see (staff: all active places) and, for
    reviewers, the places where their organisation is a current member (architecture §2: city
    officials read about places where the city is a member). Two queries at most."""
    places = Place.objects.active()
    visible = Place.objects.visible_to(user)
    condition = Q(pk__in=visible.values("pk"))
    if user.organisation_id and user.has_perm("partnerships.review_application"):
        today = timezone.localdate()
        member_of = Membership.objects.filter(
            Q(until__isnull=True) | Q(until__gte=today),
            organisation_id=user.organisation_id,
            since__lte=today,
        ).values("place_id")
        condition |= Q(pk__in=member_of)
    return places.filter(condition).order_by("name")


def comparison_window(today: dt.date) -> dict:
    """The whole months the overview compares: the last three and the three before them."""
    this_month = today.replace(day=1)
    current = (first_of_month_shifted(this_month, -COMPARISON_MONTHS), this_month)
    previous = (first_of_month_shifted(this_month, -2 * COMPARISON_MONTHS), current[0])
    spark = (first_of_month_shifted(this_month, -SPARKLINE_MONTHS), this_month)
    return {"current": current, "previous": previous, "sparkline": spark, "year": today.year}


def _range(field, start, end):
    return Q(**{f"{field}__gte": local_midnight(start), f"{field}__lt": local_midnight(end)})


def comparison_rows(*, places, today: dt.date) -> list[dict]:
    """One row per place for the overview, in eight queries whatever the number of places.

    Each row: place, months (12 monthly incident counts for the sparkline), incidents_per_month
    (mean of the last three whole months), trend (change of that against the three months
    before: {diff, pct}), safety_index (0–100 over the last 12 months' responses, or None),
    responses, activities and hours (last three months), planned, done and plan_pct,
    open_action_items, overdue_action_items, committed_sek, target_sek, coverage_pct (this
    year's commitments against the budget).
    """
    places = list(places)
    ids = [place.pk for place in places]
    if not ids:
        return []
    window = comparison_window(today)
    cur_start, cur_end = window["current"]
    prev_start, _prev_end = window["previous"]
    spark_start, spark_end = window["sparkline"]

    # Incidents per month and activities from the daily rollups (whole local days).
    monthly: dict[int, dict[dt.date, int]] = defaultdict(dict)
    for row in (
        IncidentDay.objects.filter(place_id__in=ids)
        .filter(day__gte=min(spark_start, prev_start), day__lt=spark_end)
        .annotate(month=TruncMonth("day"))
        .values("place_id", "month")
        .annotate(n=Sum("count"))
        .order_by()
    ):
        month = row["month"]
        month = month.date() if isinstance(month, dt.datetime) else month
        monthly[row["place_id"]][month] = row["n"]

    activities = {
        row["place_id"]: row
        for row in ActivityDay.objects.filter(place_id__in=ids)
        .filter(day__gte=cur_start, day__lt=cur_end)
        .values("place_id")
        .annotate(n=Sum("count"), total_minutes=Coalesce(Sum("minutes"), 0))
        .order_by()
    }
    index_start = first_of_month_shifted(today.replace(day=1), -SPARKLINE_MONTHS + 1)
    # The same index as the figures core's (surveys.queries), for all places in one query.
    indexes = safety_index_by_place(place_ids=ids, start=local_midnight(index_start))
    plan = plan_totals_by_place(place_ids=ids, start=cur_start, end=cur_end)
    action_items = {
        row["place_id"]: row
        for row in ActionItem.objects.filter(place_id__in=ids)
        .unresolved()
        .values("place_id")
        .annotate(open=Count("id"), overdue=Count("id", filter=ActionItem.overdue_q(today)))
        .order_by()
    }
    budgets = dict(
        AnnualBudget.objects.filter(place_id__in=ids, year=window["year"]).values_list(
            "place_id", "target_sek"
        )
    )
    committed = dict(
        FundingCommitment.objects.filter(place_id__in=ids, year=window["year"])
        .exclude(status=FundingCommitment.Status.WITHDRAWN)
        .values("place_id")
        .annotate(total=Sum("amount_sek"))
        .order_by()
        .values_list("place_id", "total")
    )

    spark_months = [first_of_month_shifted(spark_start, i) for i in range(SPARKLINE_MONTHS)]
    rows = []
    for place in places:
        counts = monthly.get(place.pk, {})
        current = sum(
            counts.get(first_of_month_shifted(cur_start, i), 0) for i in range(COMPARISON_MONTHS)
        )
        previous = sum(
            counts.get(first_of_month_shifted(prev_start, i), 0) for i in range(COMPARISON_MONTHS)
        )
        per_month = round(current / COMPARISON_MONTHS, 1)
        activity = activities.get(place.pk, {})
        index_row = indexes.get(place.pk)
        planned, done = plan.get(place.pk, (0, 0))
        items = action_items.get(place.pk, {})
        target = budgets.get(place.pk)
        commitments = committed.get(place.pk) or Decimal("0")
        rows.append(
            {
                "place": place,
                "months": [
                    {"start": month, "count": counts.get(month, 0)} for month in spark_months
                ],
                "incidents_per_month": per_month,
                "incidents": current,
                "incidents_previous": previous,
                "trend": change(current, previous),
                "safety_index": index_row["index"] if index_row else None,
                "responses": index_row["responses"] if index_row else 0,
                "activities": activity.get("n", 0),
                "hours": round((activity.get("total_minutes") or 0) / 60, 1),
                "planned": planned,
                "done": done,
                "plan_pct": round(done / planned * 100) if planned else None,
                "open_action_items": items.get("open", 0),
                "overdue_action_items": items.get("overdue", 0),
                "committed_sek": commitments,
                "target_sek": target,
                "coverage_pct": coverage_pct(commitments, target),
            }
        )
    return rows


# Sortable columns of the overview table: key → row field. None values sort last.
COMPARISON_SORTS = {
    "name": None,
    "incidents": "incidents_per_month",
    "trend": "trend",
    "index": "safety_index",
    "activities": "activities",
    "plan": "plan_pct",
    "funding": "coverage_pct",
}


def sort_comparison(rows: list[dict], *, sort: str, descending: bool) -> list[dict]:
    """Sort overview rows by a column; places without a value for it always come last."""
    if sort not in COMPARISON_SORTS:
        sort = "name"
    if sort == "name":
        return sorted(rows, key=lambda r: r["place"].name.casefold(), reverse=descending)
    field = COMPARISON_SORTS[sort]

    def value(row):
        item = row[field]
        # A trend needs a base: a place with no incidents before has no percentage to compare.
        return item["pct"] if sort == "trend" else item

    present = [row for row in rows if value(row) is not None]
    missing = [row for row in rows if value(row) is None]
    present.sort(key=lambda r: (value(r), r["place"].name.casefold()), reverse=descending)
    missing.sort(key=lambda r: r["place"].name.casefold())
    return present + missing
