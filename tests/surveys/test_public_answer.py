"""The public answer page: answering, bad input, duplicates, bots, floods, closed surveys."""

import logging

import pytest
from django.apps import apps
from django.core.cache import cache

from surveys.abuse import answered_cookie_name, new_form_token
from surveys.models import Answer, Response, Survey

from .conftest import answer_data, post_answer, public_url

pytestmark = pytest.mark.django_db

VISITOR_IP = "203.0.113.77"


def test_visitor_sees_questions_as_fieldsets_without_login(client, survey, questions):
    response = client.get(public_url(survey))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'lang="sv"' in html
    assert "<legend" in html
    assert html.count("<fieldset") == 7  # six questions and the respondent group
    assert questions["evening"].text in html
    assert "Mycket trygg" in html
    assert 'name="website"' in html  # the honeypot is in the form …
    assert 'class="survey-hp" aria-hidden="true"' in html  # … hidden from people


def test_visitor_answers_and_everything_is_saved(client, survey, questions):
    data = answer_data(
        questions,
        avoided="1",
        problems=["2", "3"],
        safer="Bättre belysning vid tunneln.",
    )
    data["respondent_group"] = "visitor"
    response = post_answer(client, survey, data)
    assert response.status_code == 302
    assert response["Location"] == public_url(survey, "thanks/")
    saved = Response.objects.get(survey=survey)
    assert saved.channel == "web"
    assert saved.respondent_group == "visitor"
    values = {a.question_id: a for a in saved.answers.all()}
    assert values[questions["evening"].pk].value_number == 4
    assert values[questions["avoided"].pk].value_number == 1
    assert values[questions["problems"].pk].value_choices == [2, 3]
    assert values[questions["safer"].pk].value_text == "Bättre belysning vid tunneln."
    thanks = client.get(response["Location"])
    assert "Tack för dina svar!" in thanks.content.decode()


def test_missing_required_answers_are_explained_and_tied_to_the_inputs(client, survey, questions):
    response = post_answer(client, survey, {f"q{questions['worry'].pk}": "3"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Kontrollera dina svar" in html  # the error summary
    assert "Svara på frågan för att gå vidare." in html
    error_id = f"id_q{questions['evening'].pk}_error"
    assert f'id="{error_id}"' in html
    assert f'aria-describedby="{error_id}" aria-invalid="true"' in html
    assert f'href="#id_q{questions["evening"].pk}_0"' in html  # summary links to the question
    # The answer given is kept so the visitor does not start over.
    assert f'id="id_q{questions["worry"].pk}_2" value="3" checked' in html
    assert not Response.objects.exists()


@pytest.mark.parametrize(
    "field,value",
    [
        ("evening", "6"),  # out of range
        ("evening", "0"),
        ("evening", "fyra"),
        ("avoided", "2"),  # yes/no is 1 or 0
        ("problems", ["1", "99"]),  # tampered choice
    ],
)
def test_out_of_range_and_tampered_values_are_refused(client, survey, questions, field, value):
    response = post_answer(client, survey, answer_data(questions, **{field: value}))
    assert response.status_code == 200
    assert "Välj ett av svarsalternativen." in response.content.decode()
    assert not Response.objects.exists()
    assert not Answer.objects.exists()


def test_tampered_respondent_group_is_refused(client, survey, questions):
    response = post_answer(client, survey, {**answer_data(questions), "respondent_group": "police"})
    assert response.status_code == 200
    assert not Response.objects.exists()


def test_oversized_text_is_refused(client, survey, questions):
    response = post_answer(client, survey, answer_data(questions, safer="x" * 2001))
    assert response.status_code == 200
    assert "som mest 2000 tecken" in response.content.decode()
    assert not Response.objects.exists()


def test_a_personnummer_in_free_text_is_refused_with_a_message(client, survey, questions):
    text = "Killen 19811218-9876 står alltid vid kiosken"
    response = post_answer(client, survey, answer_data(questions, safer=text))
    assert response.status_code == 200
    html = response.content.decode()
    assert "personnummer" in html
    assert "19811218-9876" in html  # says what was found …
    assert not Response.objects.exists()  # … and nothing is saved
    assert not Answer.objects.filter(value_text__contains="9876").exists()


def test_one_response_per_browser(client, survey, questions):
    first = post_answer(client, survey, answer_data(questions))
    assert first.status_code == 302
    cookie = first.cookies[answered_cookie_name(survey)]
    assert cookie["path"] == public_url(survey)
    assert cookie["httponly"]
    again = client.get(public_url(survey))
    assert "Vi har redan fått dina svar" in again.content.decode()
    second = post_answer(client, survey, answer_data(questions, evening="1"))
    assert second.status_code == 200
    assert Response.objects.count() == 1
    assert Answer.objects.get(question=questions["evening"]).value_number == 4


def test_a_forged_answered_cookie_does_not_block(client, survey, questions):
    client.cookies[answered_cookie_name(survey)] = "1"  # unsigned
    response = client.get(public_url(survey))
    assert "Skicka mina svar" in response.content.decode()


def test_a_replayed_form_is_saved_once(client, survey, questions):
    token = new_form_token(survey)
    first = post_answer(client, survey, answer_data(questions), token=token)
    assert first.status_code == 302
    client.cookies.clear()  # a replay tool sends the same body without the cookie
    replay = post_answer(client, survey, answer_data(questions), token=token)
    assert replay.status_code == 200
    assert "Vi har redan fått dina svar" in replay.content.decode()
    assert Response.objects.count() == 1


@pytest.mark.parametrize("token", ["", "forged", None])
def test_a_form_without_a_valid_token_asks_to_send_again(client, survey, questions, token):
    other = Survey.objects.create(place=survey.place, title="Annan", status="open")
    body = {**answer_data(questions)}
    if token is None:
        token = new_form_token(other)  # signed, but for another survey
    response = client.post(public_url(survey), {**body, "form_token": token})
    assert response.status_code == 200
    assert "Formuläret har gått ut" in response.content.decode()
    assert not Response.objects.exists()


def test_honeypot_gets_a_thank_you_and_nothing_is_saved(client, survey, questions):
    response = post_answer(client, survey, {**answer_data(questions), "website": "http://spam"})
    assert response.status_code == 302
    assert response["Location"] == public_url(survey, "thanks/")
    assert not Response.objects.exists()
    assert answered_cookie_name(survey) not in response.cookies


def test_rate_limit_per_address(client, survey, questions, settings):
    settings.SURVEYS_RATE_LIMIT_PER_HOUR = 3
    for _ in range(3):
        client.cookies.clear()
        assert (
            post_answer(client, survey, answer_data(questions), REMOTE_ADDR=VISITOR_IP).status_code
            == 302
        )
    client.cookies.clear()
    blocked = post_answer(client, survey, answer_data(questions), REMOTE_ADDR=VISITOR_IP)
    assert blocked.status_code == 429
    assert "försöka igen om en timme" in blocked.content.decode()
    assert Response.objects.count() == 3
    # Another address is not affected.
    client.cookies.clear()
    other = post_answer(client, survey, answer_data(questions), REMOTE_ADDR="198.51.100.5")
    assert other.status_code == 302


@pytest.mark.parametrize("status", ["draft", "closed"])
def test_a_survey_that_is_not_open_answers_politely(client, survey, questions, status):
    Survey.objects.filter(pk=survey.pk).update(status=status)
    page = client.get(public_url(survey))
    assert page.status_code == 200
    assert "Enkäten är inte öppen för svar just nu." in page.content.decode()
    post = post_answer(client, survey, answer_data(questions))
    assert post.status_code == 200
    assert not Response.objects.exists()


def test_an_open_survey_past_its_closing_time_is_not_open(client, survey, questions):
    from django.utils import timezone

    Survey.objects.filter(pk=survey.pk).update(closes_at=timezone.now())
    assert "inte öppen" in client.get(public_url(survey)).content.decode()


def test_unknown_token_and_templates_are_not_found(client, template_sv):
    assert client.get("/s/not-a-real-token/").status_code == 404
    assert client.get(f"/s/{template_sv.public_token}/").status_code == 404


def test_wrong_method(client, survey):
    assert client.put(public_url(survey)).status_code == 405
    assert client.post(public_url(survey, "thanks/")).status_code == 405


def test_visitor_can_answer_in_english(client, survey, questions):
    page = client.get(public_url(survey) + "?lang=en")
    html = page.content.decode()
    assert 'lang="en"' in html
    assert "How safe do you feel at this place when it is dark in the evening?" in html
    assert "Send my answers" in html
    assert "På svenska" in html
    response = client.post(
        public_url(survey) + "?lang=en",
        {**answer_data(questions), "form_token": new_form_token(survey), "lang": "en"},
    )
    assert response["Location"] == public_url(survey, "thanks/") + "?lang=en"
    assert "Thank you for your answers!" in client.get(response["Location"]).content.decode()
    # Same wave, same numbers, whatever the language.
    assert Answer.objects.get(question=questions["evening"]).value_number == 4


def test_errors_in_english_are_in_english(client, survey, questions):
    response = client.post(
        public_url(survey) + "?lang=en",
        {"form_token": new_form_token(survey), "lang": "en"},
    )
    assert "Answer this question to continue." in response.content.decode()


def test_no_ip_address_in_any_row_cache_key_or_log_line(client, survey, questions, caplog):
    caplog.set_level(logging.DEBUG)
    data = answer_data(questions, safer="Mer ljus vid busshållplatsen.")
    assert post_answer(client, survey, data, REMOTE_ADDR=VISITOR_IP).status_code == 302
    client.cookies.clear()
    post_answer(client, survey, {"website": "bot"}, REMOTE_ADDR=VISITOR_IP)  # honeypot
    post_answer(client, survey, {}, REMOTE_ADDR=VISITOR_IP)  # invalid
    assert Response.objects.count() == 1

    # Every row of every table.
    for model in apps.get_models():
        for row in model.objects.values():
            assert VISITOR_IP not in str(row), f"{model.__name__} holds the address"
    # Every cache key and value: the local-memory cache keeps a dict, Redis (CI) is scanned.
    store = cache._cache
    if isinstance(store, dict):
        entries = [(key, value) for key, value in store.items()]
    else:
        redis = store.get_client()
        # The whole database, the broker's lists and sets beside the cache's strings.
        entries = [
            (key, redis.get(key) if redis.type(key) == b"string" else redis.dump(key))
            for key in redis.scan_iter("*")
        ]
    assert any(
        b"surveys:rate:" in k if isinstance(k, bytes) else "surveys:rate:" in k for k, _ in entries
    ), "the hashed rate-limit counter should be in the cache"
    for key, value in entries:
        assert VISITOR_IP not in str(key)
        assert VISITOR_IP not in str(value)
    # Every log line, with its arguments.
    for record in caplog.records:
        assert VISITOR_IP not in record.getMessage()
        assert VISITOR_IP not in str(record.__dict__.get("args"))


def test_public_page_query_count(client, survey, questions, assert_max_queries):
    with assert_max_queries(2):  # the survey with its place, the questions
        assert client.get(public_url(survey)).status_code == 200
    with assert_max_queries(6):  # … and the response with its answers in one transaction
        assert post_answer(client, survey, answer_data(questions)).status_code == 302
