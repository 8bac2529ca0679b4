"""The figures core against a small hand-built dataset, checked by hand.

October 2026 ends with the DST change on Sunday 25 October (03:00 CEST → 02:00 CET), so the
month has 745 hours; March 2026 changes on Sunday 29 March (02:00 CET → 03:00 CEST).
"""

import datetime as dt
import json

import pytest

from places.models import ActionItem
from safety.figures import incident_series, place_figures, previous_period
from tests import factories as f

from .conftest import local

pytestmark = pytest.mark.django_db
# Pinned on purpose: the hand-checked figures need the DST months of 2026 (see above), so the
# whole file runs at this moment, never at the session's frozen clock.
NOW = local(2026, 11, 22, 9, 0)
OCTOBER = (dt.date(2026, 10, 1), dt.date(2026, 11, 1))


@pytest.fixture(autouse=True)
def _pinned(time_machine):
    time_machine.move_to(NOW, tick=False)


@pytest.fixture
def october(place_a, vandalism, graffiti):
    """5 incidents in October 2026, 2 in September, 2 in October 2025 – and edge cases."""
    make = f.IncidentFactory
    # September (the previous month): the last minute of September counts there.
    make(place=place_a, category=vandalism, occurred_at=local(2026, 9, 30, 23, 59))
    make(place=place_a, category=graffiti, occurred_at=local(2026, 9, 12, 14, 0))
    # October: the first and last minutes, both 02:30s of the DST night, one restricted.
    make(
        place=place_a,
        category=vandalism,
        occurred_at=local(2026, 10, 1, 0, 0),
        lat=55.60101,
        lon=13.00101,
    )
    make(
        place=place_a,
        category=vandalism,
        occurred_at=local(2026, 10, 31, 23, 59),
        lat=55.60102,
        lon=13.00102,
        severity="high",
    )
    make(
        place=place_a,
        category=graffiti,
        occurred_at=local(2026, 10, 25, 2, 30, fold=0),
        lat=55.60103,
        lon=13.00103,
    )
    make(
        place=place_a,
        category=graffiti,
        occurred_at=local(2026, 10, 25, 2, 30, fold=1),
        lat=55.61000,
        lon=13.01000,
    )
    make(
        place=place_a,
        category=graffiti,
        occurred_at=local(2026, 10, 14, 22, 15),
        visibility="restricted",
        severity="high",
        police_notified=True,
    )
    # November's first minute is not October.
    make(place=place_a, category=vandalism, occurred_at=local(2026, 11, 1, 0, 0))
    # October last year.
    make(place=place_a, category=vandalism, occurred_at=local(2025, 10, 3, 12, 0))
    make(place=place_a, category=vandalism, occurred_at=local(2025, 10, 30, 12, 0))
    # Another place's incidents never count.
    make(category=vandalism, occurred_at=local(2026, 10, 10, 12, 0))


def test_incidents_by_category_with_changes(october, place_a):
    figures = place_figures(place=place_a, start=OCTOBER[0], end=OCTOBER[1], now=NOW)
    incidents = figures["incidents"]
    assert (incidents["total"], incidents["previous"], incidents["last_year"]) == (5, 2, 2)
    assert incidents["change_previous"] == {"diff": 3, "pct": 150.0}
    assert incidents["change_last_year"] == {"diff": 3, "pct": 150.0}
    assert incidents["restricted"] == 1
    assert incidents["police_notified"] == 1
    assert incidents["with_position"] == 4
    by_code = {c["code"]: c for c in incidents["by_category"]}
    assert [c["code"] for c in incidents["by_category"]] == ["klotter", "skadegorelse"]
    assert (by_code["klotter"]["count"], by_code["klotter"]["previous"]) == (3, 1)
    assert by_code["klotter"]["change_previous"] == {"diff": 2, "pct": 200.0}
    assert by_code["klotter"]["change_last_year"] == {"diff": 3, "pct": None}
    assert (by_code["skadegorelse"]["count"], by_code["skadegorelse"]["last_year"]) == (2, 2)
    assert by_code["skadegorelse"]["name_sv"] == "Skadegörelse"
    severities = {s["code"]: s["count"] for s in incidents["by_severity"]}
    assert severities == {"low": 3, "medium": 0, "high": 2}


def test_weekday_hour_uses_local_time_across_the_october_dst_change(october, place_a):
    table = place_figures(place=place_a, start=OCTOBER[0], end=OCTOBER[1], now=NOW)["weekday_hour"]
    assert table["total"] == 5
    # Thursday 1 October 00:00, Saturday 31 October 23:59, Wednesday 14 October 22:15.
    assert table["rows"][3][0] == 1
    assert table["rows"][5][23] == 1
    assert table["rows"][2][22] == 1
    # Both 02:30s of Sunday 25 October, one summer time and one winter time.
    assert table["rows"][6][2] == 2
    assert table["max"] == 2


def test_week_of_the_march_dst_change(place_a, vandalism):
    make = f.IncidentFactory
    make(place=place_a, category=vandalism, occurred_at=local(2026, 3, 22, 23, 59))  # week before
    make(place=place_a, category=vandalism, occurred_at=local(2026, 3, 23, 0, 0))  # Monday CET
    make(place=place_a, category=vandalism, occurred_at=local(2026, 3, 29, 3, 30))  # Sunday CEST
    make(place=place_a, category=vandalism, occurred_at=local(2026, 3, 29, 23, 59))  # last minute
    make(place=place_a, category=vandalism, occurred_at=local(2026, 3, 30, 0, 0))  # next week
    figures = place_figures(
        place=place_a, start=dt.date(2026, 3, 23), end=dt.date(2026, 3, 30), now=NOW
    )
    assert figures["incidents"]["total"] == 3
    assert figures["incidents"]["previous"] == 1
    rows = figures["weekday_hour"]["rows"]
    assert (rows[0][0], rows[6][3], rows[6][23]) == (1, 1, 1)
    series = figures["incidents"]["series"]
    assert series["bucket"] == "day"
    assert [p["count"] for p in series["points"]] == [1, 0, 0, 0, 0, 0, 2]
    assert series["points"][-1]["start"] == "2026-03-29"


def test_hotspots_group_incidents_on_a_100_m_grid(october, place_a):
    hotspots = place_figures(place=place_a, start=OCTOBER[0], end=OCTOBER[1], now=NOW)["hotspots"]
    assert hotspots["positioned"] == 4
    assert [cell["count"] for cell in hotspots["cells"]] == [3, 1]
    top = hotspots["cells"][0]
    # The cell centre lies within ~70 m of the three incidents.
    assert abs(top["lat"] - 55.601) < 0.0006 and abs(top["lon"] - 13.001) < 0.0009


def test_activities_action_items_and_plan(place_a, walk_kind, cleaning_kind):
    f.ActivityFactory(
        place=place_a,
        kind=walk_kind,
        started_at=local(2026, 10, 5, 18),
        duration_minutes=90,
        participants_count=6,
    )
    f.ActivityFactory(
        place=place_a,
        kind=cleaning_kind,
        started_at=local(2026, 10, 31, 23, 30),
        duration_minutes=30,
        participants_count=2,
    )
    f.ActivityFactory(
        place=place_a, kind=walk_kind, started_at=local(2026, 9, 7, 18), duration_minutes=60
    )
    f.ActivityFactory(place=place_a, kind=walk_kind, started_at=local(2026, 11, 1, 0, 0))
    # Open since September and due in October: open and overdue at the end of October.
    f.ActionItemFactory(
        place=place_a, created_at=local(2026, 9, 10), due_date=dt.date(2026, 10, 15)
    )
    # Created and resolved in October.
    f.ActionItemFactory(
        place=place_a,
        created_at=local(2026, 10, 2),
        status=ActionItem.Status.RESOLVED,
        resolved_at=local(2026, 10, 20),
        due_date=dt.date(2026, 10, 1),
    )
    # Resolved only in November: still open at the end of October, not yet due.
    f.ActionItemFactory(
        place=place_a,
        created_at=local(2026, 9, 20),
        status=ActionItem.Status.RESOLVED,
        resolved_at=local(2026, 11, 5),
        due_date=dt.date(2026, 11, 10),
    )
    # Created after the period: not counted.
    f.ActionItemFactory(place=place_a, created_at=local(2026, 11, 2), due_date=dt.date(2026, 10, 1))
    f.PlannedActivityFactory(place=place_a, kind=walk_kind, title="Månadens trygghetsvandring")

    figures = place_figures(place=place_a, start=OCTOBER[0], end=OCTOBER[1], now=NOW)
    activities = figures["activities"]
    assert (activities["count"], activities["hours"], activities["participants"]) == (2, 2.0, 8)
    assert (activities["previous"], activities["previous_hours"]) == (1, 1.0)
    assert [k["code"] for k in activities["by_kind"]] == ["trygghetsvandring", "stadning"]
    assert activities["by_kind"][0]["hours"] == 1.5
    items = figures["action_items"]
    assert items == {"as_of": "2026-11-01", "open": 2, "overdue": 1, "created": 1, "resolved": 1}
    assert figures["plan"]["planned"] == 1 and figures["plan"]["done"] == 1
    assert figures["plan"]["rows"][0]["kind_code"] == "trygghetsvandring"


@pytest.mark.usefixtures("few_answers_suffice")
def test_survey_index_and_funding(place_a):
    survey = f.SurveyFactory(place=place_a)
    question = f.QuestionFactory(survey=survey)
    for value, day in ((4, 10), (5, 12), (2, 28)):
        response = f.ResponseFactory(survey=survey, submitted_at=local(2026, 10, day, 12))
        f.AnswerFactory(response=response, question=question, value_number=value)
    f.AnnualBudgetFactory(place=place_a, year=2026)
    f.FundingCommitmentFactory(place=place_a, year=2026, amount_sek=250000, amount_paid=100000)
    figures = place_figures(place=place_a, start=OCTOBER[0], end=OCTOBER[1], now=NOW)
    # Mean 11/3 on the 1–5 scale → (11/3 − 1) / 4 × 100 = 66.7.
    assert figures["safety_index"]["index"] == 66.7
    assert figures["safety_index"]["responses"] == 3
    assert figures["safety_index"]["previous_index"] is None
    assert figures["funding"]["committed_sek"] == 250000
    assert figures["funding"]["paid_sek"] == 100000
    assert figures["funding"]["coverage_pct"] == 25.0


def test_figures_are_plain_json_with_the_documented_shape(october, place_a):
    figures = place_figures(place=place_a, start=OCTOBER[0], end=OCTOBER[1], now=NOW)
    assert json.loads(json.dumps(figures)) == figures
    assert figures["version"] == 1
    assert figures["period"] == {"start": "2026-10-01", "end": "2026-11-01", "days": 31}
    assert figures["comparison"]["previous"] == {"start": "2026-09-01", "end": "2026-10-01"}
    assert figures["comparison"]["last_year"] == {"start": "2025-10-01", "end": "2025-11-01"}


def test_query_count_does_not_grow_with_the_data(place_a, vandalism, count_queries):
    with count_queries() as small:
        place_figures(place=place_a, start=OCTOBER[0], end=OCTOBER[1], now=NOW)
    f.IncidentFactory.create_batch(
        30,
        place=place_a,
        category=vandalism,
        occurred_at=local(2026, 10, 9, 12),
        lat=55.6,
        lon=13.0,
    )
    f.ActivityFactory.create_batch(5, place=place_a, started_at=local(2026, 10, 9, 12))
    with count_queries() as large:
        place_figures(place=place_a, start=OCTOBER[0], end=OCTOBER[1], now=NOW)
    # A month, the month before and last year's month are two date spans: two incident count
    # queries, the category names, hours, hotspots, activities, action items, the safety index
    # (both periods at once), its waves, funding (2), the plan (the log only when planned),
    # the visitor counts per hour and the interventions to show (issue #18), the tips from
    # the public (issue #14), alerts (per scenario, first answers) and the coordinated plan's
    # coverage (2) (issue #13), the police's events near the place by type (issue #15).
    assert len(large) == len(small) <= 20


def test_previous_period_is_the_previous_calendar_month_or_equal_length():
    assert previous_period(dt.date(2026, 3, 1), dt.date(2026, 4, 1)) == (
        dt.date(2026, 2, 1),
        dt.date(2026, 3, 1),
    )
    assert previous_period(dt.date(2026, 7, 1), dt.date(2026, 10, 1)) == (
        dt.date(2026, 4, 1),
        dt.date(2026, 7, 1),
    )
    assert previous_period(dt.date(2026, 10, 19), dt.date(2026, 10, 26)) == (
        dt.date(2026, 10, 12),
        dt.date(2026, 10, 19),
    )


def test_series_by_week_and_category_for_the_dashboard(october, place_a):
    series = incident_series(
        place=place_a,
        start=dt.date(2026, 9, 1),
        end=dt.date(2026, 11, 1),
        bucket="week",
        by_category=True,
    )
    assert series["points"][0]["start"] == "2026-08-31"  # the Monday of the first week
    assert sum(p["count"] for p in series["points"]) == 7
    codes = [c["code"] for c in series["categories"]]
    assert codes == ["klotter", "skadegorelse"]
    assert sum(series["categories"][0]["counts"]) == 4


def test_hotspot_cells_round_halves_away_from_zero_like_django_round(place_a, vandalism):
    """The hotspot query's fast rounding (float, with a numeric path near .5 on PostgreSQL)
    gives the cells Django's Round gives, ties included (2.5 → 3, −2.5 → −3)."""
    from django.db.models import F as Field
    from django.db.models import FloatField, Value
    from django.db.models.functions import Round

    from safety.figures import _CellIndex
    from safety.models import Incident

    values = [2.5, 3.5, -2.5, 0.5, 45.5, 1.4999999999, 55.60101, -13.5000001]
    for value in values:
        f.IncidentFactory(place=place_a, category=vandalism, lat=value, lon=0.0)
    x = Field("lat") / Value(1.0, output_field=FloatField())
    rows = Incident.objects.filter(place=place_a).annotate(fast=_CellIndex(x), exact=Round(x))
    cells = {row.lat: (row.fast, row.exact) for row in rows}
    assert all(fast == exact for fast, exact in cells.values()), cells
    assert cells[2.5][0] == 3 and cells[-2.5][0] == -3 and cells[0.5][0] == 1
