"""The activity plan (årshjul): planned versus done, and managing the plan."""

import datetime as dt

import pytest
from django.urls import reverse

from places.models import PlannedActivity
from places.queries import plan_vs_done
from tests import factories as f
from tests.places.conftest import local

pytestmark = pytest.mark.django_db

# Pinned on purpose: the expected missing and pending rounds follow this November's Fridays, so
# every date in this file is relative to this Sunday, never to the session's frozen clock.
TODAY = dt.date(2026, 11, 22)  # a Sunday


@pytest.fixture(autouse=True)
def _today(time_machine):
    time_machine.move_to(local(TODAY.year, TODAY.month, TODAY.day, 10), tick=False)


@pytest.fixture
def guard_kind(db):
    from places.models import ActivityKind

    return ActivityKind.objects.get(code="vaktrond")


@pytest.fixture
def plans(place_a, walk_kind, guard_kind):
    walk = f.PlannedActivityFactory(
        place=place_a,
        kind=walk_kind,
        title="Trygghetsvandring",
        recurrence="monthly",
        starts_on=dt.date(2026, 1, 1),
    )
    rounds = f.PlannedActivityFactory(
        place=place_a,
        kind=guard_kind,
        title="Väktarrond fredag kväll",
        recurrence="weekly",
        weekday=4,
        starts_on=dt.date(2026, 1, 1),
    )
    lighting = f.PlannedActivityFactory(
        place=place_a,
        kind=walk_kind,
        title="Belysningskontroll",
        recurrence="yearly",
        month=10,
        starts_on=dt.date(2026, 1, 1),
    )
    return walk, rounds, lighting


def test_a_month_with_one_walk_and_two_of_three_guard_rounds(place_a, plans, walk_kind, guard_kind):
    f.ActivityFactory(place=place_a, kind=walk_kind, started_at=local(2026, 11, 12, 18))
    f.ActivityFactory(place=place_a, kind=guard_kind, started_at=local(2026, 11, 6, 22))
    f.ActivityFactory(place=place_a, kind=guard_kind, started_at=local(2026, 11, 20, 23, 30))
    result = plan_vs_done(place=place_a, start=dt.date(2026, 11, 1), end=dt.date(2026, 12, 1))
    rows = {row["title"]: row for row in result["rows"]}
    assert set(rows) == {"Trygghetsvandring", "Väktarrond fredag kväll"}  # no lighting in Nov
    assert (rows["Trygghetsvandring"]["planned"], rows["Trygghetsvandring"]["done"]) == (1, 1)
    rounds = rows["Väktarrond fredag kväll"]
    # Fridays 6, 13, 20, 27 November: the 13th was missed, the 27th is still to come.
    assert (rounds["planned"], rounds["done"]) == (4, 2)
    assert rounds["missing"] == [dt.date(2026, 11, 13)]
    assert rounds["pending"] == [dt.date(2026, 11, 27)]
    assert (result["planned"], result["done"], result["missing"], result["pending"]) == (5, 3, 1, 1)


def test_the_current_month_is_due_not_missing(place_a, plans):
    result = plan_vs_done(place=place_a, start=dt.date(2026, 11, 1), end=dt.date(2026, 12, 1))
    walk = next(row for row in result["rows"] if row["title"] == "Trygghetsvandring")
    assert walk["missing"] == []
    assert walk["windows"][0]["state"] == "due"


def test_a_year_shows_the_gaps(place_a, plans, walk_kind):
    for month in (1, 2, 3, 5, 6, 7, 8, 9, 10):  # April is missing; October also covers lighting
        f.ActivityFactory(place=place_a, kind=walk_kind, started_at=local(2026, month, 15))
    result = plan_vs_done(place=place_a, start=dt.date(2026, 1, 1), end=dt.date(2027, 1, 1))
    rows = {row["title"]: row for row in result["rows"]}
    walk = rows["Trygghetsvandring"]
    assert walk["missing"] == [dt.date(2026, 4, 1)]
    assert walk["pending"] == [dt.date(2026, 11, 1), dt.date(2026, 12, 1)]
    assert rows["Belysningskontroll"]["done"] == 1


def test_a_plan_outside_its_active_span_counts_nothing(place_a, walk_kind):
    f.PlannedActivityFactory(
        place=place_a,
        kind=walk_kind,
        recurrence="monthly",
        starts_on=dt.date(2026, 3, 1),
        ends_on=dt.date(2026, 4, 30),
    )
    result = plan_vs_done(place=place_a, start=dt.date(2026, 1, 1), end=dt.date(2027, 1, 1))
    assert result["planned"] == 2


def test_plan_vs_done_runs_two_queries_at_any_size(
    place_a, plans, walk_kind, django_assert_num_queries
):
    f.ActivityFactory.create_batch(30, place=place_a, kind=walk_kind, started_at=local(2026, 6, 3))
    with django_assert_num_queries(2):
        plan_vs_done(place=place_a, start=dt.date(2026, 1, 1), end=dt.date(2027, 1, 1))


# --- Views -----------------------------------------------------------------------------------


def plan_url(place, name="plan", **kwargs):
    return reverse(f"places:{name}", kwargs={"place_slug": place.slug, **kwargs})


def test_the_year_view_shows_a_month_grid_with_the_gap(client, place_a, reader, plans, walk_kind):
    for month in (1, 2, 3, 5, 6, 7, 8, 9, 10):
        f.ActivityFactory(place=place_a, kind=walk_kind, started_at=local(2026, month, 15))
    client.force_login(reader)
    response = client.get(plan_url(place_a), {"period": "year"})
    assert response.status_code == 200
    walk = next(r for r in response.context["result"]["rows"] if r["title"] == "Trygghetsvandring")
    assert [cell["state"] for cell in walk["grid"]] == (
        ["done"] * 3 + ["missing"] + ["done"] * 6 + ["due", "upcoming"]
    )
    assert "cell--missing" in response.content.decode()


@pytest.mark.parametrize("period", ["week", "month", "year"])
def test_each_period_renders_with_a_constant_query_count(
    client, place_a, reader, plans, walk_kind, period, count_queries, assert_max_queries
):
    client.force_login(reader)
    with count_queries() as small:
        client.get(plan_url(place_a), {"period": period})
    f.ActivityFactory.create_batch(20, place=place_a, kind=walk_kind, started_at=local(2026, 11, 3))
    f.PlannedActivityFactory(place=place_a, kind=walk_kind, title="Extra", recurrence="monthly")
    with assert_max_queries(len(small)):
        response = client.get(plan_url(place_a), {"period": period})
    assert response.status_code == 200


def test_bad_period_parameters_fall_back_to_this_month(client, place_a, reader, plans):
    client.force_login(reader)
    response = client.get(plan_url(place_a), {"period": "decade", "on": "9999-99-99"})
    assert response.status_code == 200
    assert response.context["start"] == dt.date(2026, 11, 1)


def test_a_manager_adds_a_weekly_plan(client, place_a, manager, guard_kind):
    client.force_login(manager)
    response = client.post(
        plan_url(place_a, "planned_activity_create"),
        {
            "title": "Väktarrond",
            "kind": guard_kind.pk,
            "recurrence": "weekly",
            "weekday": "4",
            "month": "3",  # ignored for a weekly plan
            "starts_on": "2026-01-01",
            "ends_on": "",
        },
    )
    assert response.status_code == 302
    plan = PlannedActivity.objects.get()
    assert (plan.weekday, plan.month, plan.place) == (4, None, place_a)


def test_a_weekly_plan_without_a_weekday_is_refused(client, place_a, manager, guard_kind):
    client.force_login(manager)
    response = client.post(
        plan_url(place_a, "planned_activity_create"),
        {
            "title": "Väktarrond",
            "kind": guard_kind.pk,
            "recurrence": "weekly",
            "starts_on": "2026-01-01",
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["weekday"]
    assert not PlannedActivity.objects.exists()


def test_a_manager_edits_and_removes_a_plan(client, place_a, manager, plans):
    walk = plans[0]
    client.force_login(manager)
    response = client.post(
        plan_url(place_a, "planned_activity_edit", pk=walk.pk),
        {
            "title": "Trygghetsvandring med polisen",
            "kind": walk.kind_id,
            "recurrence": "monthly",
            "starts_on": "2026-01-01",
            "ends_on": "2026-12-31",
        },
    )
    assert response.status_code == 302
    walk.refresh_from_db()
    assert walk.title == "Trygghetsvandring med polisen" and walk.ends_on == dt.date(2026, 12, 31)
    assert client.post(plan_url(place_a, "planned_activity_delete", pk=walk.pk)).status_code == 302
    assert not PlannedActivity.objects.filter(pk=walk.pk).exists()
