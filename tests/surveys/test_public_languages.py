"""The survey answer page in Arabic (right to left) and Somali (issue #14): the standard
template carries their texts, and answers in every language add up in one wave."""

import pytest
from django.test import Client

from surveys.abuse import new_form_token
from surveys.models import Answer
from surveys.queries import survey_results
from tests.surveys.conftest import answer_data, public_url

pytestmark = pytest.mark.django_db


def test_template_offers_four_languages(client, survey):
    html = client.get(public_url(survey)).content.decode()
    for code in ("en", "ar", "so"):
        assert f'hreflang="{code}"' in html


def test_arabic_page_is_right_to_left_with_arabic_questions(client, survey):
    response = client.get(public_url(survey) + "?lang=ar")
    html = response.content.decode()
    assert '<html lang="ar" dir="rtl">' in html
    assert "ما مدى شعورك بالأمان في هذا المكان عندما يحلّ الظلام مساءً؟" in html
    assert "أرسل إجاباتي" in html  # the page's own strings from the ar catalogue
    assert "آمن جدًا" in html


def test_somali_page(client, survey):
    html = client.get(public_url(survey) + "?lang=so").content.decode()
    assert '<html lang="so" dir="ltr">' in html
    assert "Dir jawaabahayga" in html
    assert "Aad u ammaan" in html


def test_answers_in_every_language_add_up(survey, questions):
    for language in ("sv", "en", "ar", "so"):
        browser = Client()
        response = browser.post(
            public_url(survey) + f"?lang={language}",
            {
                **answer_data(questions, problems=["2"]),
                "form_token": new_form_token(survey),
                "lang": language,
            },
        )
        assert response.status_code == 302, language
        assert response["Location"].endswith(f"?lang={language}") or language == "sv"
        thanks = browser.get(response["Location"])
        assert thanks.status_code == 200
    assert Answer.objects.filter(question=questions["evening"]).count() == 4
    results = survey_results(survey=survey, language="sv")
    assert results["responses"]["total"] == 4
    # Evening 4 and daytime 5 from everyone: (3.5 + 4 … ) → one index for the wave.
    assert results["index"] is not None
    problems = Answer.objects.filter(question=questions["problems"])
    assert all(answer.value_choices == [2] for answer in problems)


def test_unknown_language_falls_back_to_the_survey_language(client, survey):
    html = client.get(public_url(survey) + "?lang=xx").content.decode()
    assert '<html lang="sv" dir="ltr">' in html
