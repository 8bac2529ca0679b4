"""Surveys that don't mislead (issue #19): below SURVEY_MIN_ANSWERS no index, distribution or
free text anywhere – one rule, `surveys.queries.enough_answers` – and "för få svar ännu" in its
place; two waves open at once are pointed out; waves are listed by period; steps that cannot
be undone are asked first."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from safety.public import public_safety_index
from surveys.models import Question, Survey
from surveys.queries import enough_answers, safety_index, survey_results
from surveys.services import survey_close, survey_create, survey_open
from tests import factories as f
from tests.api.conftest import ApiClient, make_token

from .test_results import add_responses, url

pytestmark = pytest.mark.django_db

TOO_FEW = "för få svar ännu"


def test_the_survey_with_one_answer_shows_too_few_answers_yet(client, reader, survey, questions):
    add_responses(survey, questions, 1, text="Min granne Kalle är läskig")
    client.force_login(reader)
    html = client.get(url("results", pk=survey.pk)).content.decode()
    assert TOO_FEW in html
    assert "50,0" not in html and "75,0" not in html  # no headline index
    assert "Svar per fråga" not in html  # no distributions
    assert "Kalle" not in html
    answers = client.get(url("text_answer_list", pk=survey.pk)).content.decode()
    assert TOO_FEW in answers and "Kalle" not in answers
    listing = client.get(url("survey_list")).content.decode()
    assert TOO_FEW in listing


def test_the_rule_turns_at_the_setting(settings, survey, questions):
    settings.SURVEY_MIN_ANSWERS = 3
    add_responses(survey, questions, 2)
    assert not enough_answers(2) and enough_answers(3)
    data = survey_results(survey=survey, language="sv")
    assert not data["enough"] and data["index"]["index"] is None and data["index"]["too_few"]
    assert all(entry["distribution"] == [] for entry in data["questions"])
    assert safety_index(place=survey.place)["index"] is None
    add_responses(survey, questions, 1)
    data = survey_results(survey=survey, language="sv")
    assert data["enough"] and data["index"]["index"] == pytest.approx(75.0)
    assert safety_index(place=survey.place)["index"] == pytest.approx(75.0)


def test_dashboard_lagesbild_public_page_and_api_follow_the_rule(
    client, manager, place_a, survey, questions
):
    from safety.figures import place_figures

    add_responses(survey, questions, 2)
    today = timezone.localdate()
    figures = place_figures(
        place=place_a, start=today - dt.timedelta(days=30), end=today + dt.timedelta(days=1)
    )
    assert figures["safety_index"]["index"] is None
    assert figures["safety_index"]["responses"] == 2
    assert figures["safety_index"]["trend"] == []  # the wave is no point on the chart
    assert [wave["index"] for wave in public_safety_index(place_a)] == [None]

    client.force_login(manager)
    dashboard = client.get(reverse("places:overview", kwargs={"place_slug": place_a.slug}))
    assert TOO_FEW in dashboard.content.decode()

    _token, secret = make_token(manager)
    api = ApiClient(secret)
    results = api.get(
        reverse("api:survey_results", kwargs={"place_slug": place_a.slug, "pk": survey.pk})
    ).json()
    assert results["enough_answers"] is False and results["min_answers"] == 10
    assert results["index"]["index"] is None
    assert all(question["distribution"] == [] for question in results["questions"])
    listing = api.get(reverse("api:surveys", kwargs={"place_slug": place_a.slug})).json()
    row = next(row for row in listing["results"] if row["id"] == survey.pk)
    assert row["safety_index"] is None and row["enough_answers"] is False

    add_responses(survey, questions, 8)
    results = api.get(
        reverse("api:survey_results", kwargs={"place_slug": place_a.slug, "pk": survey.pk})
    ).json()
    assert results["enough_answers"] is True and results["index"]["index"] == pytest.approx(75.0)


def test_ten_answers_show_the_index_and_the_free_text(client, reader, survey, questions):
    add_responses(survey, questions, 10, text="Bättre belysning vid tunneln")
    client.force_login(reader)
    html = client.get(url("results", pk=survey.pk)).content.decode()
    assert TOO_FEW not in html and "75,0" in html
    answers = client.get(url("text_answer_list", pk=survey.pk)).content.decode()
    assert "Bättre belysning vid tunneln" in answers


def test_two_open_waves_are_pointed_out(client, manager, place_a, template_sv, survey):
    second = survey_create(place=place_a, title="Våren", template=template_sv)
    client.force_login(manager)
    confirm = client.get(url("survey_status", pk=second.pk)).content.decode()
    assert "Trygghetsmätning hösten" in confirm  # the wave already open is named
    assert client.post(url("survey_status", pk=second.pk), {"action": "open"}).status_code == 302
    listing = client.get(url("survey_list")).content.decode()
    assert "Två mätningar är öppna samtidigt" in listing
    detail = client.get(url("survey_detail", pk=second.pk)).content.decode()
    assert "Trygghetsmätning hösten" in detail
    survey_close(survey=survey)
    assert "Två mätningar är öppna samtidigt" not in client.get(url("survey_list")).content.decode()


def test_waves_are_listed_by_period_with_the_period_of_a_wave_opened_by_hand(
    client, reader, place_a, template_sv
):
    now = timezone.now()
    # Made first, but measures the later period.
    late = survey_create(place=place_a, title="Senare period", template=template_sv)
    early = survey_create(place=place_a, title="Tidigare period", template=template_sv)
    survey_open(survey=early, now=now - dt.timedelta(days=60))
    survey_close(survey=early, now=now - dt.timedelta(days=30))
    survey_open(survey=late, now=now - dt.timedelta(days=10))
    late.refresh_from_db()
    assert late.opens_at == now - dt.timedelta(days=10)  # opened by hand: the period starts
    early.refresh_from_db()
    assert early.closes_at == now - dt.timedelta(days=30)
    client.force_login(reader)
    html = client.get(url("survey_list")).content.decode()
    assert html.index("Senare period") < html.index("Tidigare period")  # newest period first
    opened = timezone.localtime(late.opens_at).date()
    assert f"{opened:%Y-%m-%d}" in html


def test_irreversible_steps_are_asked_first(client, manager, draft):
    client.force_login(manager)
    question = draft.questions.first()
    for name, kwargs in (
        ("survey_status", {"pk": draft.pk}),
        ("survey_delete", {"pk": draft.pk}),
        ("question_delete", {"pk": draft.pk, "question_pk": question.pk}),
    ):
        page = client.get(url(name, **kwargs))
        assert page.status_code == 200 and '<form method="post"' in page.content.decode()
    # Asking changed nothing.
    draft.refresh_from_db()
    assert draft.status == Survey.Status.DRAFT
    assert Question.objects.filter(pk=question.pk).exists()
    # The detail page links to the questions instead of acting at once.
    detail = client.get(url("survey_detail", pk=draft.pk)).content.decode()
    assert url("survey_delete", pk=draft.pk) in detail
    assert f'action="{url("survey_delete", pk=draft.pk)}"' not in detail
    client.post(url("question_delete", pk=draft.pk, question_pk=question.pk))
    assert not Question.objects.filter(pk=question.pk).exists()
    client.post(url("survey_delete", pk=draft.pk))
    assert not Survey.objects.filter(pk=draft.pk).exists()


def test_an_open_wave_has_nothing_to_confirm_and_others_cannot_delete(
    client, manager, reader, survey
):
    client.force_login(manager)
    assert client.get(url("survey_status", pk=survey.pk)).status_code == 302
    assert client.get(url("survey_delete", pk=survey.pk)).status_code == 302
    client.force_login(reader)
    assert client.get(url("survey_status", pk=survey.pk)).status_code == 403
    other = f.PlaceFactory(slug="annan")
    assert (
        client.get(
            reverse("surveys:survey_status", kwargs={"place_slug": other.slug, "pk": survey.pk})
        ).status_code
        == 404
    )
