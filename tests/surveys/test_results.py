"""The results page, the survey list and the free-text list: content and query counts."""

import pytest
from django.urls import reverse

from surveys.services import response_submit
from tests import factories as f

pytestmark = pytest.mark.django_db

SLUG = "mollevangstorget"


def url(name, **kwargs):
    return reverse(f"surveys:{name}", kwargs={"place_slug": SLUG, **kwargs})


def add_responses(survey, questions, n, evening=4, text=None):
    for i in range(n):
        response_submit(
            survey=survey,
            respondent_group=["resident", "visitor", ""][i % 3],
            values={
                questions["evening"].pk: evening,
                questions["daytime"].pk: 5,
                questions["worry"].pk: 3,
                questions["avoided"].pk: i % 2,
                questions["problems"].pk: [1, 2],
                questions["safer"].pk: text or f"Bättre belysning {i}",
            },
        )


@pytest.mark.usefixtures("few_answers_suffice")
def test_reader_sees_index_distributions_and_groups(client, reader, survey, questions):
    add_responses(survey, questions, 3)
    client.force_login(reader)
    html = client.get(url("results", pk=survey.pk)).content.decode()
    # evening 4, daytime 5, worry 3 → mean 4 → 75.0
    assert 'id="survey-index"' in html
    assert "75,0" in html
    assert questions["evening"].text in html
    assert "4 – Ganska trygg" in html
    assert "100 %" in html
    assert 'class="bar__fill" width="100.0"' in html  # the bar, unlocalised for SVG
    assert "Per svarsgrupp" in html and "Jag bor här" in html and "Uppgav inte" in html
    assert "Fritextsvar" in html
    assert "Ladda ner CSV" not in html  # export is for managers


@pytest.mark.usefixtures("few_answers_suffice")
def test_results_compare_with_the_previous_wave(
    client, manager, place_a, survey, questions, template_sv
):
    from surveys.services import survey_close, survey_create, survey_open

    add_responses(survey, questions, 2, evening=1)  # (1 + 5 + 3) / 3 = 3 → 50.0
    survey_close(survey=survey)
    autumn = survey_open(survey=survey_create(place=place_a, title="Hösten", template=template_sv))
    autumn_questions = dict(
        zip(
            ["evening", "daytime", "worry", "avoided", "problems", "safer"],
            autumn.questions.order_by("order"),
            strict=True,
        )
    )
    add_responses(autumn, autumn_questions, 2, evening=4)  # (4 + 5 + 3) / 3 = 4 → 75.0
    client.force_login(manager)
    html = client.get(url("results", pk=autumn.pk)).content.decode()
    assert "+25,0" in html
    assert "Förra mätningen: Trygghetsmätning hösten." in html
    assert "förra mätningen 1,00" in html  # the evening mean in the wave before
    listing = client.get(url("survey_list")).content.decode()
    assert "50,0" in listing and "75,0" in listing and "+25,0" in listing


def _query_count(client, target, count_queries):
    with count_queries() as ctx:
        response = client.get(target)
    assert response.status_code == 200
    return len(ctx)


@pytest.mark.usefixtures("few_answers_suffice")
@pytest.mark.parametrize("page", ["results", "text_answer_list", "survey_detail"])
def test_survey_pages_query_count_does_not_grow(
    client, manager, survey, questions, count_queries, assert_max_queries, page
):
    client.force_login(manager)
    add_responses(survey, questions, 2)
    target = url(page, pk=survey.pk)
    small = _query_count(client, target, count_queries)
    add_responses(survey, questions, 25)
    assert _query_count(client, target, count_queries) == small
    # 15: one of them is the bell's unread count in the header (issue #13).
    with assert_max_queries(15):
        client.get(target)


def test_survey_list_query_count_does_not_grow(
    client, manager, place_a, survey, questions, template_sv, count_queries, assert_max_queries
):
    client.force_login(manager)
    add_responses(survey, questions, 2)
    small = _query_count(client, url("survey_list"), count_queries)
    for i in range(4):
        other = f.SurveyFactory(place=place_a, title=f"Våg {i}")
        q = f.QuestionFactory(survey=other)
        f.AnswerFactory(response=f.ResponseFactory(survey=other), question=q, value_number=3)
    assert _query_count(client, url("survey_list"), count_queries) == small
    with assert_max_queries(8):
        client.get(url("survey_list"))


@pytest.mark.usefixtures("few_answers_suffice")
def test_text_answers_are_paginated(client, reader, survey, questions):
    add_responses(survey, questions, 55)
    client.force_login(reader)
    html = client.get(url("text_answer_list", pk=survey.pk)).content.decode()
    assert html.count('class="card text-answer') == 50
    assert "Sida 1 av 2" in html
    second = client.get(url("text_answer_list", pk=survey.pk) + "?page=2").content.decode()
    assert second.count('class="card text-answer') == 5
    assert (
        client.get(url("text_answer_list", pk=survey.pk) + "?page=x&question=abc").status_code
        == 200
    )


def test_a_survey_without_responses_says_so(client, reader, survey):
    client.force_login(reader)
    html = client.get(url("results", pk=survey.pk)).content.decode()
    assert "Inga svar ännu." in html
