"""The safety index maths on hand-checked data (the definition is in surveys/queries.py)."""

import datetime as dt

import pytest
from django.utils import timezone

from surveys.models import Survey
from surveys.queries import safety_index, safety_index_by_survey, survey_results
from tests import clock
from tests import factories as f

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("few_answers_suffice")]

TZ = timezone.get_default_timezone()


def at(month, day):
    """Noon on a day of last year: answers are always in the past of the frozen clock."""
    return dt.datetime(clock.this_year() - 1, month, day, 12, 0, tzinfo=TZ)


def respond(survey, when, answers, channel="web", group=""):
    response = f.ResponseFactory(
        survey=survey, submitted_at=when, channel=channel, respondent_group=group
    )
    for question, value in answers.items():
        f.AnswerFactory(response=response, question=question, value_number=value)
    return response


@pytest.fixture
def wave(place_a):
    survey = f.SurveyFactory(place=place_a, title="Våren")
    evening = f.QuestionFactory(survey=survey, order=1, text="Kväll?", in_safety_index=True)
    daytime = f.QuestionFactory(survey=survey, order=2, text="Dag?", in_safety_index=True)
    other_scale = f.QuestionFactory(survey=survey, order=3, text="Oro?", in_safety_index=False)
    # Index answers: 5, 4 | 1 | 3, 2   – the non-index scale (1, 5, 4) must not count.
    respond(survey, at(1, 10), {evening: 5, daytime: 4, other_scale: 1}, group="resident")
    respond(survey, at(1, 20), {evening: 1, other_scale: 5}, channel="paper", group="visitor")
    respond(survey, at(2, 5), {evening: 3, daytime: 2}, group="resident")
    respond(survey, at(2, 6), {other_scale: 4})  # answered, but nothing in the index
    return survey, evening, daytime, other_scale


def test_index_is_the_rescaled_mean_of_in_index_answers(wave, place_a):
    # (5 + 4 + 1 + 3 + 2) / 5 = 3.0 → (3 − 1) / 4 × 100 = 50.0
    assert safety_index(place=place_a) == {"index": 50.0, "responses": 4, "too_few": False}


def test_index_for_a_period_counts_responses_submitted_in_it(wave, place_a):
    # January: 5, 4, 1 → mean 10/3 → (10/3 − 1) / 4 × 100 = 58.33… → 58.3
    january = safety_index(place=place_a, start=at(1, 1), end=at(2, 1))
    assert january == {"index": 58.3, "responses": 2, "too_few": False}
    # February: 3, 2 → 2.5 → 37.5; the response without index answers still counts.
    february = safety_index(place=place_a, start=at(2, 1), end=at(3, 1))
    assert february == {"index": 37.5, "responses": 2, "too_few": False}
    # The end is exclusive.
    assert safety_index(place=place_a, start=at(1, 1), end=at(1, 10)) is None


def test_extremes_are_zero_and_hundred(place_a):
    survey = f.SurveyFactory(place=place_a)
    question = f.QuestionFactory(survey=survey)
    respond(survey, at(3, 1), {question: 1})
    assert safety_index(place=place_a)["index"] == 0.0
    respond(survey, at(3, 2), {question: 5})
    respond(survey, at(3, 3), {question: 5})
    respond(survey, at(3, 4), {question: 1})
    assert safety_index(place=place_a)["index"] == 50.0


def test_other_places_and_templates_do_not_count(wave, place_a, place_b):
    other = f.SurveyFactory(place=place_b)
    respond(other, at(1, 15), {f.QuestionFactory(survey=other): 1})
    template = Survey.objects.create(title="Mall", is_template=True, place=place_a)
    respond(template, at(1, 15), {f.QuestionFactory(survey=template): 1})
    assert safety_index(place=place_a)["index"] == 50.0
    assert safety_index(place=place_b) == {"index": 0.0, "responses": 1, "too_few": False}


def test_no_answers_means_no_index(place_a):
    f.SurveyFactory(place=place_a)
    assert safety_index(place=place_a) is None


def test_index_by_survey_lists_waves_oldest_first(wave, place_a):
    survey = wave[0]
    autumn = f.SurveyFactory(place=place_a, title="Hösten")
    q = f.QuestionFactory(survey=autumn)
    respond(autumn, at(9, 1), {q: 4})
    respond(autumn, at(9, 2), {q: 5})
    f.SurveyFactory(place=place_a, title="Utkast", status="draft")
    rows = safety_index_by_survey(place=place_a)
    assert [(r["survey_id"], r["index"], r["responses"]) for r in rows] == [
        (survey.pk, 50.0, 4),
        (autumn.pk, 87.5, 2),  # (4.5 − 1) / 4 × 100
        (rows[2]["survey_id"], None, 0),
    ]


def test_results_distributions_groups_and_comparison(wave, place_a):
    survey, evening, daytime, other_scale = wave
    autumn = f.SurveyFactory(place=place_a, title="Hösten")
    q = f.QuestionFactory(survey=autumn, text=evening.text)
    respond(autumn, at(9, 1), {q: 4})
    results = survey_results(survey=autumn, language="sv")
    assert results["index"] == {"index": 75.0, "responses": 1, "too_few": False}
    assert results["previous"]["survey"] == survey
    assert results["previous"]["index"]["index"] == 50.0
    assert results["previous"]["change"] == 25.0
    # The evening question's mean in the spring was (5 + 1 + 3) / 3 = 3.
    assert results["questions"][0]["previous_mean"] == pytest.approx(3.0)

    spring = survey_results(survey=survey, language="sv")
    evening_result = spring["questions"][0]
    assert evening_result["answered"] == 3
    assert [(d["value"], d["count"]) for d in evening_result["distribution"]] == [
        (1, 1),
        (2, 0),
        (3, 1),
        (4, 0),
        (5, 1),
    ]
    assert evening_result["distribution"][0]["share"] == pytest.approx(100 / 3)
    assert evening_result["mean"] == pytest.approx(3.0)
    groups = {g["key"]: g for g in spring["groups"]}
    # Residents: 5, 4, 3, 2 → 3.5 → 62.5; visitors: 1 → 0.0; the silent one has no index.
    assert groups["resident"]["responses"] == 2 and groups["resident"]["index"] == 62.5
    assert groups["visitor"]["index"] == 0.0
    assert groups[""]["index"] is None
    assert spring["responses"] == {"total": 4, "web": 3, "paper": 1}
    assert spring["previous"] is None


def test_index_by_place_agrees_with_the_single_place_index(wave, place_a, place_b):
    from surveys.queries import safety_index_by_place

    other = f.SurveyFactory(place=place_b)
    respond(other, at(1, 15), {f.QuestionFactory(survey=other): 2})
    f.PlaceFactory(slug="tom")
    by_place = safety_index_by_place(place_ids=[place_a.pk, place_b.pk])
    assert by_place == {
        place_a.pk: safety_index(place=place_a),
        place_b.pk: {"index": 25.0, "responses": 1, "too_few": False},
    }
    january = safety_index_by_place(place_ids=[place_a.pk], start=at(1, 1), end=at(2, 1))
    assert january[place_a.pk] == safety_index(place=place_a, start=at(1, 1), end=at(2, 1))
