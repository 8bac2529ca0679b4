"""Interventions and their effect (issue #18): the estimate, its words, its pages and access."""

import datetime as dt
import random

import pytest
from django.urls import reverse
from django.utils import translation

from safety.effects import estimate, intervention_effects
from safety.effects_text import effect_sentences
from safety.figures import place_figures
from safety.models import Incident, Intervention
from tests import clock
from tests import factories as f

# The stairs in the south-west corner of the test square; the rest of it lies 100–300 m away.
PIN = (55.6005, 13.0005)
ELSEWHERE = (55.6020, 13.0035)
WEEKS = 12


def _moment(day: dt.date, rng: random.Random) -> dt.datetime:
    return clock.local(day, hour=rng.randrange(0, 24), minute=rng.randrange(60))


def _seed(place, category, *, start, area_before, area_after, rest_before, rest_after, rng):
    """Incidents spread at random over the 12 weeks before and after `start`."""
    rows = []

    def add(count, first_day, where):
        for _n in range(count):
            day = first_day + dt.timedelta(days=rng.randrange(WEEKS * 7))
            jitter = (rng.uniform(-0.0001, 0.0001), rng.uniform(-0.0001, 0.0001))
            rows.append(
                Incident(
                    place=place,
                    category=category,
                    occurred_at=_moment(day, rng),
                    lat=where[0] + jitter[0],
                    lon=where[1] + jitter[1],
                )
            )

    before = start - dt.timedelta(weeks=WEEKS)
    add(area_before, before, PIN)
    add(area_after, start, PIN)
    add(rest_before, before, ELSEWHERE)
    add(rest_after, start, ELSEWHERE)
    Incident.objects.bulk_create(rows)


def _intervention(place, categories, *, start, comparison="rest_of_place", **extra):
    intervention = Intervention.objects.create(
        place=place,
        title="Ny belysning vid trapporna",
        starts_on=start,
        lat=PIN[0],
        lon=PIN[1],
        radius_m=40,
        comparison=comparison,
        window_weeks=WEEKS,
        **extra,
    )
    intervention.categories.set(categories)
    return intervention


@pytest.fixture
def start():
    # The after-window ended a week ago: both windows are whole.
    return clock.today() - dt.timedelta(weeks=WEEKS + 1)


def test_the_poisson_interval_of_a_known_halving():
    result = estimate(60, 30, 120, 120)
    assert result["rate_ratio"] == pytest.approx(0.5)
    assert result["low"] < 0.5 < result["high"] < 1
    assert result["verdict"] == "decreased"
    assert result["difference"] == pytest.approx(-30)  # 30 against the 60 expected


def test_zero_counts_do_not_break_the_estimate():
    result = estimate(12, 0, 30, 30)
    assert result["rate_ratio"] > 0
    assert result["high"] < 1


@pytest.mark.parametrize("seed", range(5))
def test_a_halving_in_the_area_is_recovered_within_the_interval(place_a, vandalism, start, seed):
    """Incidents halve at the stairs after the start and stay the same elsewhere: the estimate
    says "decreased" and its interval holds the true ratio 0.5."""
    _seed(
        place_a,
        vandalism,
        start=start,
        area_before=60,
        area_after=30,
        rest_before=150,
        rest_after=150,
        rng=random.Random(seed),
    )
    intervention = _intervention(place_a, [vandalism], start=start)
    (effect,) = intervention_effects(place=place_a, interventions=[intervention])
    assert effect["status"] == "ok"
    assert effect["counts"] == {
        "area_before": 60,
        "area_after": 30,
        "comparison_before": 150,
        "comparison_after": 150,
    }
    est = effect["estimate"]
    assert est["low"] <= 0.5 <= est["high"]
    assert est["verdict"] == "decreased"
    assert effect["complete"]


def test_no_effect_is_not_called_one(place_a, vandalism, start):
    _seed(
        place_a,
        vandalism,
        start=start,
        area_before=40,
        area_after=42,
        rest_before=150,
        rest_after=155,
        rng=random.Random(7),
    )
    intervention = _intervention(place_a, [vandalism], start=start)
    (effect,) = intervention_effects(place=place_a, interventions=[intervention])
    assert effect["estimate"]["verdict"] == "unclear"
    assert effect["estimate"]["low"] < 1 < effect["estimate"]["high"]
    with translation.override("en"):
        assert "cannot say" in " ".join(effect_sentences(effect))
    with translation.override("sv"):
        assert "kan inte säga" in " ".join(effect_sentences(effect))


def test_other_categories_and_unpositioned_incidents_do_not_count(
    place_a, vandalism, graffiti, start
):
    _seed(
        place_a,
        graffiti,
        start=start,
        area_before=50,
        area_after=50,
        rest_before=50,
        rest_after=50,
        rng=random.Random(1),
    )
    f.IncidentFactory(place=place_a, category=vandalism, occurred_at=clock.local(start, 12))
    intervention = _intervention(place_a, [vandalism], start=start)
    (effect,) = intervention_effects(place=place_a, interventions=[intervention])
    assert sum(effect["counts"].values()) == 0


def test_small_counts_say_too_few(place_a, vandalism, start):
    _seed(
        place_a,
        vandalism,
        start=start,
        area_before=4,
        area_after=2,
        rest_before=30,
        rest_after=30,
        rng=random.Random(3),
    )
    intervention = _intervention(place_a, [vandalism], start=start)
    (effect,) = intervention_effects(place=place_a, interventions=[intervention])
    assert effect["status"] == "too_few"
    assert effect["estimate"] is None
    with translation.override("sv"):
        assert "För få händelser" in effect_sentences(effect)[0]


def test_the_same_weeks_a_year_earlier(place_a, vandalism, start):
    rng = random.Random(11)
    _seed(
        place_a,
        vandalism,
        start=start,
        area_before=60,
        area_after=30,
        rest_before=0,
        rest_after=0,
        rng=rng,
    )
    # A year (52 weeks) earlier the area was steady: 60 and 60.
    _seed(
        place_a,
        vandalism,
        start=start - dt.timedelta(weeks=52),
        area_before=60,
        area_after=60,
        rest_before=0,
        rest_after=0,
        rng=rng,
    )
    intervention = _intervention(place_a, [vandalism], start=start, comparison="last_year")
    (effect,) = intervention_effects(place=place_a, interventions=[intervention])
    assert effect["counts"]["comparison_before"] == 60
    assert effect["counts"]["comparison_after"] == 60
    assert effect["estimate"]["low"] <= 0.5 <= effect["estimate"]["high"] < 1


def test_a_running_window_is_equal_before_and_after(place_a, vandalism):
    start = clock.today() - dt.timedelta(days=30)
    intervention = _intervention(place_a, [vandalism], start=start)
    (effect,) = intervention_effects(place=place_a, interventions=[intervention])
    assert effect["days"] == 31
    assert not effect["complete"]
    before, after = effect["windows"]["before"], effect["windows"]["after"]
    assert before["end"] == after["start"] == start.isoformat()


def test_too_early_and_not_started(place_a, vandalism):
    soon = _intervention(place_a, [vandalism], start=clock.today() - dt.timedelta(days=3))
    later = _intervention(place_a, [vandalism], start=clock.today() + dt.timedelta(days=30))
    effects = intervention_effects(place=place_a, interventions=[soon, later])
    assert [e["status"] for e in effects] == ["too_early", "not_started"]


def test_effects_take_the_same_queries_for_few_and_many(
    place_a, vandalism, graffiti, start, count_queries
):
    interventions = [_intervention(place_a, [vandalism], start=start)]
    _seed(place_a, vandalism, start=start, area_before=5, area_after=5, rest_before=5,
          rest_after=5, rng=random.Random(2))  # fmt: skip
    with count_queries() as small:
        intervention_effects(place=place_a, interventions=interventions)
    _seed(place_a, vandalism, start=start, area_before=50, area_after=50, rest_before=200,
          rest_after=200, rng=random.Random(4))  # fmt: skip
    for _n in range(5):
        interventions.append(_intervention(place_a, [vandalism, graffiti], start=start))
    with count_queries() as large:
        intervention_effects(place=place_a, interventions=interventions)
    assert len(small) == len(large) == 3


# --- One set of numbers everywhere ---------------------------------------------------------


def test_dashboard_report_and_followup_show_identical_effects(
    client, place_a, vandalism, manager, reviewer, start
):
    from partnerships.queries.applications import place_followup_figures
    from safety.models import SituationReport
    from safety.periods import period_containing
    from safety.services import reports

    _seed(
        place_a,
        vandalism,
        start=start,
        area_before=60,
        area_after=30,
        rest_before=150,
        rest_after=150,
        rng=random.Random(5),
    )
    intervention = _intervention(place_a, [vandalism], start=start)
    # A period in which the after-window ended.
    window_end = start + dt.timedelta(weeks=WEEKS)
    figures = place_figures(
        place=place_a, start=window_end - dt.timedelta(days=10), end=clock.today()
    )
    (dashboard_effect,) = figures["interventions"]
    period = period_containing("monthly", window_end)
    report = SituationReport.objects.create(
        place=place_a, kind="monthly", period_start=period.start, period_end=period.end
    )
    reports.report_generate(report_id=report.pk, notify=False)
    report.refresh_from_db()
    (report_effect,) = report.figures["interventions"]
    followup = place_followup_figures(place_a, since=clock.local(start - dt.timedelta(days=1), 0))
    (followup_effect,) = followup["effects"]
    assert dashboard_effect == report_effect == followup_effect
    assert dashboard_effect["id"] == intervention.pk
    # And the pages show it.
    client.force_login(manager)
    page = client.get(
        reverse("places:overview", kwargs={"place_slug": place_a.slug}), {"period": "90d"}
    ).content.decode()
    assert "Ny belysning vid trapporna" in page
    assert "95 %" in page


def test_an_intervention_long_past_is_not_in_a_period(place_a, vandalism):
    _intervention(place_a, [vandalism], start=clock.today() - dt.timedelta(weeks=60))
    figures = place_figures(
        place=place_a, start=clock.today() - dt.timedelta(days=30), end=clock.today()
    )
    assert figures["interventions"] == []


# --- Pages and access ----------------------------------------------------------------------


@pytest.fixture
def intervention(place_a, vandalism, start):
    return _intervention(place_a, [vandalism], start=start)


def _urls(place, intervention):
    kw = {"place_slug": place.slug}
    return {
        "list": reverse("safety:intervention_list", kwargs=kw),
        "detail": reverse("safety:intervention_detail", kwargs={**kw, "pk": intervention.pk}),
        "create": reverse("safety:intervention_create", kwargs=kw),
        "edit": reverse("safety:intervention_edit", kwargs={**kw, "pk": intervention.pk}),
    }


def test_outsiders_get_404_readers_403_on_writes_managers_200(
    client, place_a, intervention, manager, reader, outsider
):
    urls = _urls(place_a, intervention)
    client.force_login(outsider)
    for url in urls.values():
        assert client.get(url).status_code == 404
    client.force_login(reader)
    assert client.get(urls["list"]).status_code == 200
    assert client.get(urls["detail"]).status_code == 200
    assert client.get(urls["create"]).status_code == 403
    assert client.get(urls["edit"]).status_code == 403
    assert client.post(urls["create"], {"title": "x"}).status_code == 403
    client.force_login(manager)
    for url in urls.values():
        assert client.get(url).status_code == 200


def test_another_places_intervention_is_404(client, place_a, place_b, vandalism, manager, start):
    other = _intervention(place_b, [vandalism], start=start)
    client.force_login(manager)
    url = reverse("safety:intervention_detail", kwargs={"place_slug": place_a.slug, "pk": other.pk})
    assert client.get(url).status_code == 404


def test_a_manager_records_an_intervention(client, place_a, manager, vandalism, graffiti):
    activity = f.ActivityFactory(place=place_a, logged_by=manager)
    client.force_login(manager)
    url = reverse("safety:intervention_create", kwargs={"place_slug": place_a.slug})
    response = client.post(
        url,
        {
            "title": "Väktarrunda fredagar",
            "description": "En extra runda fredagskvällar vid trapporna.",
            "starts_on": (clock.today() - dt.timedelta(days=20)).isoformat(),
            "lat": PIN[0],
            "lon": PIN[1],
            "radius_m": 60,
            "categories": [vandalism.pk, graffiti.pk],
            "comparison": "rest_of_place",
            "window_weeks": 12,
            "activities": [activity.pk],
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    intervention = Intervention.objects.get(title="Väktarrunda fredagar")
    assert intervention.created_by == manager
    assert set(intervention.categories.all()) == {vandalism, graffiti}
    assert list(intervention.activities.all()) == [activity]


def test_the_pin_must_lie_inside_the_place_and_the_end_after_the_start(
    client, place_a, manager, vandalism
):
    client.force_login(manager)
    url = reverse("safety:intervention_create", kwargs={"place_slug": place_a.slug})
    response = client.post(
        url,
        {
            "title": "Belysning",
            "starts_on": clock.today().isoformat(),
            "ends_on": (clock.today() - dt.timedelta(days=1)).isoformat(),
            "lat": 59.0,
            "lon": 18.0,
            "radius_m": 50,
            "categories": [vandalism.pk],
            "comparison": "rest_of_place",
            "window_weeks": 12,
        },
    )
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert "lat" in errors and "ends_on" in errors
    assert not Intervention.objects.exists()


def test_another_places_activity_cannot_be_linked(client, place_a, place_b, manager, vandalism):
    foreign = f.ActivityFactory(place=place_b)
    client.force_login(manager)
    url = reverse("safety:intervention_create", kwargs={"place_slug": place_a.slug})
    response = client.post(
        url,
        {
            "title": "Belysning",
            "starts_on": clock.today().isoformat(),
            "lat": PIN[0],
            "lon": PIN[1],
            "radius_m": 50,
            "categories": [vandalism.pk],
            "comparison": "rest_of_place",
            "window_weeks": 12,
            "activities": [foreign.pk],
        },
    )
    assert response.status_code == 400
    assert "activities" in response.context["form"].errors


def test_the_list_takes_the_same_queries_for_few_and_many(
    client, place_a, reader, vandalism, start, count_queries
):
    _intervention(place_a, [vandalism], start=start)
    client.force_login(reader)
    url = reverse("safety:intervention_list", kwargs={"place_slug": place_a.slug})
    with count_queries() as small:
        assert client.get(url).status_code == 200
    for _n in range(6):
        _intervention(place_a, [vandalism], start=start)
    _seed(place_a, vandalism, start=start, area_before=30, area_after=20, rest_before=50,
          rest_after=50, rng=random.Random(9))  # fmt: skip
    with count_queries() as large:
        assert client.get(url).status_code == 200
    assert len(small) == len(large)
