"""The daily rollups (issue #20): kept exact by database triggers on every kind of write, across
the DST changes; the figures read from them equal the figures computed from the raw rows; the
figures core's query count does not grow with the data."""

import datetime as dt
import io
from collections import defaultdict
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

import places.queries
import safety.effects
from places.models import Activity, ActivityDay, ActivityKind, Place
from safety.figures import place_figures
from safety.models import Incident, IncidentCategory, IncidentDay, IncidentHour, SituationReport
from surveys.models import Answer, AnswerDay, Question, Response, Survey
from tests import factories as f

from . import raw_figures

TZ = ZoneInfo("Europe/Stockholm")


# --- What the rollups must hold, computed in Python from the raw rows --------------------------


def _nonzero(rows) -> dict:
    return {key: values for key, values in rows.items() if any(values)}


def expected_rollups() -> dict:
    incident_days, incident_hours = defaultdict(lambda: [0] * 7), defaultdict(lambda: [0])
    for incident in Incident.objects.all():
        local = incident.occurred_at.astimezone(TZ)
        counts = incident_days[(incident.place_id, local.date(), incident.category_id)]
        counts[0] += 1
        counts[1 + ["low", "medium", "high"].index(incident.severity)] += 1
        counts[4] += int(incident.visibility == "restricted")
        counts[5] += int(incident.police_notified)
        counts[6] += int(incident.lat is not None and incident.lon is not None)
        incident_hours[(incident.place_id, local.date(), local.hour)][0] += 1
    activity_days = defaultdict(lambda: [0, 0, 0])
    for activity in Activity.objects.all():
        key = (activity.place_id, activity.started_at.astimezone(TZ).date(), activity.kind_id)
        activity_days[key][0] += 1
        activity_days[key][1] += activity.duration_minutes
        activity_days[key][2] += activity.participants_count
    answer_days = defaultdict(lambda: [0, 0, 0])
    for response in Response.objects.select_related("survey"):
        if response.survey.is_template:
            continue
        key = (
            response.survey.place_id,
            response.submitted_at.astimezone(TZ).date(),
            response.survey_id,
        )
        answer_days[key][0] += 1
        for answer in response.answers.select_related("question"):
            if answer.question.in_safety_index and answer.value_number is not None:
                answer_days[key][1] += answer.value_number
                answer_days[key][2] += 1
    return {
        "incident_days": _nonzero(incident_days),
        "incident_hours": _nonzero(incident_hours),
        "activity_days": _nonzero(activity_days),
        "answer_days": _nonzero(answer_days),
    }


def stored_rollups() -> dict:
    def rows(model, keys, values):
        return _nonzero(
            {
                tuple(row[: len(keys)]): list(row[len(keys) :])
                for row in model.objects.values_list(*keys, *values)
            }
        )

    return {
        "incident_days": rows(
            IncidentDay,
            ["place_id", "day", "category_id"],
            ["count", "low", "medium", "high", "restricted", "police_notified", "with_position"],
        ),
        "incident_hours": rows(IncidentHour, ["place_id", "day", "hour"], ["count"]),
        "activity_days": rows(
            ActivityDay, ["place_id", "day", "kind_id"], ["count", "minutes", "participants"]
        ),
        "answer_days": rows(
            AnswerDay,
            ["place_id", "day", "survey_id"],
            ["responses", "index_sum", "index_answers"],
        ),
    }


# --- Moments around the DST changes --------------------------------------------------------------


def _last_sunday(year: int, month: int) -> dt.date:
    day = dt.date(year, month + 1, 1) - dt.timedelta(days=1)
    return day - dt.timedelta(days=(day.weekday() + 1) % 7)


def _moments() -> list[dt.datetime]:
    """UTC moments every 20 minutes from 21:00 UTC the evening before to 04:00 UTC on last
    year's two DST-change Sundays (local midnights, both 02:xx hours of October, the missing
    02:xx of March), plus the minutes around a few ordinary local midnights."""
    year = timezone.now().year - 1
    moments = []
    for change_day in (_last_sunday(year, 3), _last_sunday(year, 10)):
        start = dt.datetime.combine(change_day, dt.time(), tzinfo=dt.UTC) - dt.timedelta(hours=3)
        moments += [start + dt.timedelta(minutes=20 * i) for i in range(22)]
    for day in (dt.date(year, 1, 15), dt.date(year, 7, 1), dt.date(year, 12, 31)):
        midnight = dt.datetime.combine(day, dt.time(), tzinfo=TZ)
        moments += [midnight + dt.timedelta(seconds=s) for s in (-1, 0, 1)]
    return moments


MOMENTS = _moments()
moment = st.integers(0, len(MOMENTS) - 1).map(lambda i: MOMENTS[i])
small = st.integers(0, 1)

operation = st.one_of(
    st.tuples(
        st.just("incident"),
        small,
        small,
        moment,
        st.sampled_from(["low", "high"]),
        st.booleans(),
        st.booleans(),
        st.booleans(),
    ),
    st.tuples(st.just("move_incident"), st.integers(0, 50), small, small, moment, st.booleans()),
    st.tuples(st.just("edit_incident"), st.integers(0, 50), st.booleans(), st.booleans()),
    st.tuples(st.just("delete_incident"), st.integers(0, 50)),
    st.tuples(st.just("shift_incidents"), small, st.integers(-3, 3)),
    st.tuples(st.just("delete_incidents"), small),
    st.tuples(st.just("activity"), small, small, moment, st.integers(1, 300), st.integers(0, 9)),
    st.tuples(
        st.just("move_activity"), st.integers(0, 50), small, small, moment, st.integers(1, 300)
    ),
    st.tuples(st.just("delete_activity"), st.integers(0, 50)),
    st.tuples(
        st.just("response"),
        small,
        moment,
        st.lists(st.one_of(st.none(), st.integers(1, 5)), min_size=3, max_size=3),
    ),
    st.tuples(st.just("move_response"), st.integers(0, 50), small, moment),
    st.tuples(st.just("edit_answer"), st.integers(0, 50), st.one_of(st.none(), st.integers(1, 5))),
    st.tuples(st.just("delete_answer"), st.integers(0, 50)),
    st.tuples(st.just("delete_response"), st.integers(0, 50)),
    st.tuples(st.just("toggle_question"), small),
    st.tuples(st.just("move_survey"), small, small),
)


def _pick(queryset, index):
    rows = list(queryset.order_by("pk"))
    return rows[index % len(rows)] if rows else None


class RollupPropertyTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.places = [f.PlaceFactory(slug="rollup-a"), f.PlaceFactory(slug="rollup-b")]
        cls.categories = list(IncidentCategory.objects.order_by("pk")[:2])
        cls.kinds = list(ActivityKind.objects.order_by("pk")[:2])
        cls.surveys = [f.SurveyFactory(place=place) for place in cls.places]
        for survey in cls.surveys:
            f.QuestionFactory(survey=survey, in_safety_index=True)
            f.QuestionFactory(survey=survey, in_safety_index=False)
            f.QuestionFactory(survey=survey, in_safety_index=True)

    def _apply(self, op):
        kind, *args = op
        places, categories, kinds, surveys = self.places, self.categories, self.kinds, self.surveys
        if kind == "incident":
            place, category, when, severity, restricted, police, positioned = args
            f.IncidentFactory(
                place=places[place],
                category=categories[category],
                occurred_at=when,
                severity=severity,
                visibility="restricted" if restricted else "members",
                police_notified=police,
                lat=55.6 if positioned else None,
                lon=13.0 if positioned else None,
            )
        elif kind == "move_incident":
            index, place, category, when, via_save = args
            incident = _pick(Incident.objects.all(), index)
            if incident is None:
                return
            if via_save:
                incident.place, incident.category = places[place], categories[category]
                incident.occurred_at = when
                incident.save()
            else:
                Incident.objects.filter(pk=incident.pk).update(
                    place=places[place], category=categories[category], occurred_at=when
                )
        elif kind == "edit_incident":
            index, police, positioned = args
            Incident.objects.filter(
                pk=getattr(_pick(Incident.objects.all(), index), "pk", 0)
            ).update(police_notified=police, lat=55.6 if positioned else None, severity="medium")
        elif kind == "delete_incident":
            incident = _pick(Incident.objects.all(), args[0])
            if incident:
                incident.delete()
        elif kind == "shift_incidents":
            place, hours = args
            Incident.objects.filter(place=places[place]).update(
                occurred_at=F("occurred_at") + dt.timedelta(hours=hours)
            )
        elif kind == "delete_incidents":
            Incident.objects.filter(category=categories[args[0]]).delete()
        elif kind == "activity":
            place, kind_index, when, minutes, participants = args
            f.ActivityFactory(
                place=places[place],
                kind=kinds[kind_index],
                started_at=when,
                duration_minutes=minutes,
                participants_count=participants,
            )
        elif kind == "move_activity":
            index, place, kind_index, when, minutes = args
            activity = _pick(Activity.objects.all(), index)
            if activity:
                Activity.objects.filter(pk=activity.pk).update(
                    place=places[place],
                    kind=kinds[kind_index],
                    started_at=when,
                    duration_minutes=minutes,
                )
        elif kind == "delete_activity":
            activity = _pick(Activity.objects.all(), args[0])
            if activity:
                activity.delete()
        elif kind == "response":
            survey_index, when, values = args
            survey = Survey.objects.get(pk=surveys[survey_index].pk)
            response = Response.objects.create(survey=survey, submitted_at=when)
            for question, value in zip(
                Question.objects.filter(survey=survey).order_by("pk"), values, strict=True
            ):
                Answer.objects.create(response=response, question=question, value_number=value)
        elif kind == "move_response":
            index, survey_index, when = args
            response = _pick(Response.objects.all(), index)
            if response:
                response.submitted_at = when
                response.save()
        elif kind == "edit_answer":
            answer = _pick(Answer.objects.all(), args[0])
            if answer:
                answer.value_number = args[1]
                answer.save()
        elif kind == "delete_answer":
            answer = _pick(Answer.objects.all(), args[0])
            if answer:
                answer.delete()
        elif kind == "delete_response":
            response = _pick(Response.objects.all(), args[0])
            if response:
                response.delete()
        elif kind == "toggle_question":
            question = Question.objects.filter(survey=surveys[args[0]]).order_by("pk").first()
            question.in_safety_index = not question.in_safety_index
            question.save()
        elif kind == "move_survey":
            survey_index, place = args
            Survey.objects.filter(pk=surveys[survey_index].pk).update(place=places[place])

    @settings(
        max_examples=30,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(st.lists(operation, min_size=1, max_size=25))
    def test_rollups_equal_the_raw_rows_after_any_writes(self, operations):
        for op in operations:
            self._apply(op)
        assert stored_rollups() == expected_rollups()
        # And the rebuild command, from the raw rows, agrees with what the triggers kept.
        call_command("rebuild_rollups", "--check", stdout=io.StringIO())


# --- The figures from the rollups equal the figures from the raw rows --------------------------


def _raw_figures(monkeypatch, **kwargs) -> dict:
    with monkeypatch.context() as patch:
        patch.setattr(places.queries, "_logged_days", raw_figures._logged_days)
        patch.setattr(
            safety.effects, "safety_index_in_periods", raw_figures.safety_index_in_periods
        )
        return raw_figures.place_figures(**kwargs)


ROLLUP_KEYS = ("incidents", "weekday_hour", "activities", "safety_index", "plan", "visitors")


@pytest.mark.django_db
def test_figures_and_frozen_reports_of_the_demo_equal_the_raw_computation(monkeypatch):
    from demo import safety as safety_demo
    from demo import surveys as surveys_demo
    from demo.core import DemoContext, seed_core

    ctx = DemoContext()
    seed_core(ctx)
    surveys_demo.seed(ctx)
    safety_demo.seed(ctx)
    reports = SituationReport.objects.filter(status="ready").select_related("place")
    assert reports.count() >= 20
    now = timezone.now()
    for report in reports:
        period = {"place": report.place, "start": report.period_start, "end": report.period_end}
        raw = _raw_figures(monkeypatch, **period, now=now)
        assert place_figures(**period, now=now) == raw
        for key in ("incidents", "weekday_hour", "activities"):
            assert report.figures[key] == raw[key], (report, key)
    # The dashboard's periods: the last 30 days and this year, of every demo place.
    today = timezone.localdate()
    for place in Place.objects.all():
        for start, end in (
            (today - dt.timedelta(days=29), today + dt.timedelta(days=1)),
            (today.replace(month=1, day=1), today + dt.timedelta(days=1)),
        ):
            period = {"place": place, "start": start, "end": end, "now": now}
            assert place_figures(**period) == _raw_figures(monkeypatch, **period)


# --- The query count stays flat as the data grows ---------------------------------------------


def _figure_queries(place, start, end) -> int:
    with CaptureQueriesContext(connection) as captured:
        place_figures(place=place, start=start, end=end)
    return len(captured.captured_queries)


def _grow(place, n: int, start: dt.date):
    categories = list(IncidentCategory.objects.all())
    kinds = list(ActivityKind.objects.all())
    survey = f.SurveyFactory(place=place)
    question = f.QuestionFactory(survey=survey)
    base = dt.datetime.combine(start, dt.time(), tzinfo=TZ)
    Incident.objects.bulk_create(
        Incident(
            place=place,
            category=categories[i % len(categories)],
            occurred_at=base + dt.timedelta(hours=7 * i),
            lat=55.6 + (i % 7) / 1000,
            lon=13.0,
        )
        for i in range(n)
    )
    Activity.objects.bulk_create(
        Activity(
            place=place, kind=kinds[i % len(kinds)], started_at=base + dt.timedelta(hours=11 * i)
        )
        for i in range(n // 2)
    )
    responses = Response.objects.bulk_create(
        Response(survey=survey, submitted_at=base + dt.timedelta(hours=13 * i))
        for i in range(n // 4)
    )
    Answer.objects.bulk_create(
        Answer(response=response, question=question, value_number=1 + i % 5)
        for i, response in enumerate(responses)
    )


@pytest.mark.django_db
def test_figures_queries_stay_flat_when_the_data_grows_tenfold(place_a):
    today = timezone.localdate()
    start, end = (
        today.replace(month=1, day=1) - dt.timedelta(days=365),
        today + dt.timedelta(days=1),
    )
    _grow(place_a, 40, start)
    small = _figure_queries(place_a, start, end)
    _grow(place_a, 400, start)
    assert _figure_queries(place_a, start, end) == small
    assert IncidentDay.objects.filter(place=place_a).count() > 0


@pytest.mark.django_db
def test_rebuild_rollups_finds_and_mends_a_rollup_that_drifted(place_a):
    from django.core.management.base import CommandError

    f.IncidentFactory(place=place_a, occurred_at=timezone.now() - dt.timedelta(days=1))
    f.ActivityFactory(place=place_a, started_at=timezone.now() - dt.timedelta(days=1))
    call_command("rebuild_rollups", "--check", stdout=io.StringIO())
    IncidentDay.objects.filter(place=place_a).update(count=F("count") + 1)  # as if a write slipped
    with pytest.raises(CommandError, match="safety_incidentday"):
        call_command("rebuild_rollups", "--check", stdout=io.StringIO())
    assert IncidentDay.objects.get(place=place_a).count == 2  # --check changes nothing
    call_command("rebuild_rollups", stdout=io.StringIO())
    assert IncidentDay.objects.get(place=place_a).count == 1
    assert stored_rollups() == expected_rollups()


@pytest.mark.django_db
def test_emptying_every_table_in_any_order_leaves_no_rollup_rows(place_a):
    """`flush` (tests, `manage.py flush`) deletes table by table in no set order, and on SQLite
    a DELETE fires the triggers: raw rows deleted after their rollup leave negative rows, which
    the post_migrate that follows every flush clears."""
    from django.core.management.sql import emit_post_migrate_signal

    f.IncidentFactory(place=place_a)
    f.ActivityFactory(place=place_a)
    question = f.QuestionFactory(survey=f.SurveyFactory(place=place_a))
    f.AnswerFactory(response=f.ResponseFactory(survey=question.survey), question=question)
    rollups = [IncidentDay, IncidentHour, ActivityDay, AnswerDay]
    assert all(model.objects.exists() for model in rollups)
    with connection.cursor() as cursor:
        for model in [*rollups, Answer, Response, Question, Survey, Incident, Activity]:
            if model is Activity:
                cursor.execute(f"DELETE FROM {Activity.organisations.through._meta.db_table}")
            cursor.execute(f"DELETE FROM {model._meta.db_table}")
    assert IncidentDay.objects.filter(count__lt=0).exists()  # what the triggers left behind
    emit_post_migrate_signal(0, False, connection.alias)
    assert not any(model.objects.exists() for model in rollups)


@pytest.mark.django_db
def test_a_deleted_places_rollup_rows_go_with_it(place_a, place_b):
    for place in (place_a, place_b):
        f.IncidentFactory(place=place, occurred_at=timezone.now() - dt.timedelta(days=1))
        f.ActivityFactory(place=place, started_at=timezone.now() - dt.timedelta(days=1))
        question = f.QuestionFactory(survey=f.SurveyFactory(place=place))
        f.AnswerFactory(response=f.ResponseFactory(survey=question.survey), question=question)
    rollups = [IncidentDay, IncidentHour, ActivityDay, AnswerDay]
    gone = place_a.pk
    place_a.delete()  # the cascade takes its incidents, activities and surveys
    for model in rollups:
        assert not model.objects.filter(place_id=gone).exists(), model.__name__
        assert model.objects.filter(place=place_b).exists(), model.__name__
    assert stored_rollups() == expected_rollups()
