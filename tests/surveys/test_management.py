"""Managers create surveys from the template, edit questions while drafts, open and close them,
schedule them, type in paper answers, flag free text, export CSV and print the poster."""

import csv
import datetime as dt
import io
from xml.etree import ElementTree

import pytest
from django.urls import reverse
from django.utils import timezone

from surveys.models import Answer, Question, Response, Survey
from surveys.services import response_submit, surveys_apply_schedule
from surveys.tasks import apply_survey_schedule
from tests import clock
from tests import factories as f

pytestmark = pytest.mark.django_db

SLUG = "mollevangstorget"


def url(name, **kwargs):
    return reverse(f"surveys:{name}", kwargs={"place_slug": SLUG, **kwargs})


@pytest.fixture
def as_manager(client, manager):
    client.force_login(manager)
    return client


def test_manager_creates_a_survey_from_the_standard_template(as_manager, template_sv, place_a):
    page = as_manager.get(url("survey_list"))
    assert "Ny enkät" in page.content.decode()
    response = as_manager.post(
        url("survey_create"),
        {
            "title": f"Trygghetsmätning våren {clock.this_year() + 1}",
            "template": template_sv.pk,
            "language": "sv",
        },
    )
    survey = Survey.objects.get(
        place=place_a, title=f"Trygghetsmätning våren {clock.this_year() + 1}"
    )
    assert response["Location"] == url("survey_detail", pk=survey.pk)
    assert survey.status == "draft"
    questions = list(survey.questions.order_by("order"))
    assert len(questions) == 6
    assert questions[0].text.startswith("Hur trygg känner du dig på platsen när det är mörkt")
    assert questions[0].in_safety_index and questions[0].required
    # The English texts come along so visitors can switch language.
    assert questions[0].translated_text.startswith("How safe do you feel")
    assert survey.translated_title == "Safety survey"
    assert template_sv.questions.count() == 6  # the template is untouched


def test_manager_creates_an_empty_english_survey(as_manager, place_a):
    as_manager.post(
        url("survey_create"), {"title": "Visitor survey", "template": "", "language": "en"}
    )
    survey = Survey.objects.get(title="Visitor survey")
    assert survey.language == "en" and not survey.questions.exists()


def test_create_form_errors_are_shown(as_manager):
    response = as_manager.post(
        url("survey_create"), {"title": "", "template": "999", "language": "xx"}
    )
    assert response.status_code == 200
    assert response.content.decode().count('class="error"') == 3
    assert not Survey.objects.filter(is_template=False).exists()


def test_questions_are_edited_while_draft(as_manager, draft):
    response = as_manager.post(
        url("question_create", pk=draft.pk),
        {
            "text": "Hur trygg känner du dig vid busshållplatsen?",
            "kind": "scale5",
            "choices": "",
            "in_safety_index": "on",
            "required": "on",
        },
    )
    assert response.status_code == 302
    question = draft.questions.get(text__contains="busshållplatsen")
    assert question.choices[0] == "Mycket otrygg" and len(question.choices) == 5
    assert question.translated_choices[4] == "Very safe"
    assert question.order == 70  # after the six template questions
    edit = url("question_edit", pk=draft.pk, question_pk=question.pk)
    as_manager.post(
        edit,
        {
            "text": "Hur trygg känner du dig vid stationen?",
            "kind": "single_choice",
            "choices": "Bussen\nTåget\nCykel",
            "order": "5",
        },
    )
    question.refresh_from_db()
    assert question.kind == "single_choice" and question.choices == ["Bussen", "Tåget", "Cykel"]
    assert question.order == 5
    as_manager.post(url("question_delete", pk=draft.pk, question_pk=question.pk))
    assert not Question.objects.filter(pk=question.pk).exists()


@pytest.mark.parametrize(
    "data,message",
    [
        (
            {"text": "Vad ser du?", "kind": "multi_choice", "choices": "Bara ett"},
            "minst två svarsalternativ",
        ),
        ({"text": "Ja?", "kind": "yes_no", "in_safety_index": "on"}, "Bara frågor med skala 1–5"),
        ({"text": "Skala", "kind": "scale5", "choices": "a\nb\nc"}, "exakt fem etiketter"),
        ({"text": "Ring 070-123 45 67", "kind": "text"}, "070-123 45 67”"),
        ({"text": "", "kind": "text"}, "Detta fält måste fyllas i"),
    ],
)
def test_bad_questions_are_refused_with_a_message(as_manager, draft, data, message):
    before = draft.questions.count()
    response = as_manager.post(url("question_create", pk=draft.pk), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert draft.questions.count() == before


def test_questions_are_locked_once_open(as_manager, survey):
    question = survey.questions.first()
    response = as_manager.post(
        url("question_edit", pk=survey.pk, question_pk=question.pk),
        {"text": "Ny text", "kind": "text"},
    )
    assert response.status_code == 302
    question.refresh_from_db()
    assert question.text != "Ny text"
    as_manager.post(url("question_delete", pk=survey.pk, question_pk=question.pk))
    assert Question.objects.filter(pk=question.pk).exists()


def test_open_close_and_reopen(as_manager, draft):
    as_manager.post(url("survey_status", pk=draft.pk), {"action": "open"})
    draft.refresh_from_db()
    assert draft.status == "open"
    as_manager.post(url("survey_status", pk=draft.pk), {"action": "close"})
    draft.refresh_from_db()
    assert draft.status == "closed"
    Survey.objects.filter(pk=draft.pk).update(
        opens_at=timezone.now() - dt.timedelta(days=2),
        closes_at=timezone.now() - dt.timedelta(days=1),
    )
    as_manager.post(url("survey_status", pk=draft.pk), {"action": "open"})
    draft.refresh_from_db()
    assert draft.status == "open" and draft.closes_at is None


def test_a_survey_without_questions_cannot_open(as_manager, place_a):
    empty = Survey.objects.create(place=place_a, title="Tom")
    response = as_manager.post(url("survey_status", pk=empty.pk), {"action": "open"}, follow=True)
    assert "Lägg till minst en fråga" in response.content.decode()
    empty.refresh_from_db()
    assert empty.status == "draft"


def test_only_drafts_are_deleted(as_manager, survey, draft):
    as_manager.post(url("survey_delete", pk=survey.pk))
    assert Survey.objects.filter(pk=survey.pk).exists()
    as_manager.post(url("survey_delete", pk=draft.pk))
    assert not Survey.objects.filter(pk=draft.pk).exists()


def test_settings_and_schedule(as_manager, draft):
    # The survey opens tomorrow morning and runs a month.
    opens = clock.local(clock.today() + dt.timedelta(days=1), 8)
    response = as_manager.post(
        url("survey_edit", pk=draft.pk),
        {
            "title": "Hösten",
            "intro": "Svara gärna!",
            "opens_at": f"{opens:%Y-%m-%dT%H:%M}",
            "closes_at": f"{opens - dt.timedelta(days=1):%Y-%m-%dT%H:%M}",
        },
    )
    assert "Stängningstiden måste vara efter öppningstiden." in response.content.decode()
    response = as_manager.post(
        url("survey_edit", pk=draft.pk),
        {
            "title": "Hösten",
            "intro": "Mejla mig på anna@example.org",
            "opens_at": "",
            "closes_at": "",
        },
    )
    assert "anna@example.org”" in response.content.decode()
    as_manager.post(
        url("survey_edit", pk=draft.pk),
        {
            "title": "Hösten",
            "intro": "Svara gärna!",
            "opens_at": f"{opens:%Y-%m-%dT%H:%M}",
            "closes_at": f"{opens + dt.timedelta(days=30, hours=12):%Y-%m-%dT%H:%M}",
        },
    )
    draft.refresh_from_db()
    assert draft.title == "Hösten"
    assert (
        timezone.localtime(draft.opens_at).strftime("%Y-%m-%d %H:%M") == f"{opens:%Y-%m-%d %H:%M}"
    )


def test_schedule_task_opens_and_closes_once(place_a, template_sv, survey, draft):
    now = timezone.now()
    Survey.objects.filter(pk=draft.pk).update(opens_at=now - dt.timedelta(minutes=1))
    Survey.objects.filter(pk=survey.pk).update(closes_at=now - dt.timedelta(minutes=1))
    later = Survey.objects.create(
        place=place_a, title="Senare", opens_at=now + dt.timedelta(days=1)
    )
    f.QuestionFactory(survey=later)
    empty = Survey.objects.create(place=place_a, title="Tom", opens_at=now - dt.timedelta(days=1))
    assert apply_survey_schedule.delay().get() == {"opened": 1, "closed": 1}
    assert surveys_apply_schedule() == {"opened": 0, "closed": 0}  # idempotent
    statuses = dict(Survey.objects.filter(place=place_a).values_list("pk", "status"))
    assert statuses[draft.pk] == "open"
    assert statuses[survey.pk] == "closed"
    assert statuses[later.pk] == "draft"
    assert statuses[empty.pk] == "draft"  # nothing to answer: stays a draft


def test_beat_schedule_runs_the_task():
    from django.conf import settings

    entry = settings.CELERY_BEAT_SCHEDULE["surveys-apply-schedule"]
    assert entry["task"] == apply_survey_schedule.name


def test_manager_types_in_paper_answers(as_manager, survey, questions):
    page = as_manager.get(url("paper_response", pk=survey.pk))
    assert page.status_code == 200
    data = {
        f"q{questions['evening'].pk}": "2",
        f"q{questions['daytime'].pk}": "4",
        f"q{questions['problems'].pk}": ["1", "3"],
        "respondent_group": "resident",
    }
    response = as_manager.post(url("paper_response", pk=survey.pk), data)
    assert response["Location"] == url("paper_response", pk=survey.pk)
    saved = Response.objects.get(survey=survey)
    assert saved.channel == "paper" and saved.respondent_group == "resident"
    assert saved.answers.get(question=questions["problems"]).value_choices == [1, 3]
    # Missing required answers: nothing is saved.
    response = as_manager.post(
        url("paper_response", pk=survey.pk), {f"q{questions['evening'].pk}": "2"}
    )
    assert "Svara på frågan för att gå vidare." in response.content.decode()
    assert Response.objects.count() == 1


def test_paper_answers_may_be_typed_in_after_closing_but_not_into_drafts(
    as_manager, survey, draft, questions
):
    Survey.objects.filter(pk=survey.pk).update(status="closed")
    data = {f"q{questions['evening'].pk}": "2", f"q{questions['daytime'].pk}": "4"}
    as_manager.post(url("paper_response", pk=survey.pk), data)
    assert Response.objects.filter(survey=survey, channel="paper").count() == 1
    response = as_manager.get(url("paper_response", pk=draft.pk))
    assert response.status_code == 302


def test_service_refuses_bad_values_and_saves_nothing(survey, questions):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        response_submit(survey=survey, values={questions["evening"].pk: 4})  # daytime missing
    with pytest.raises(ValidationError):
        response_submit(
            survey=survey,
            values={
                questions["evening"].pk: 4,
                questions["daytime"].pk: 4,
                questions["problems"].pk: [9],
            },
        )
    with pytest.raises(ValidationError):
        response_submit(
            survey=survey,
            values={
                questions["evening"].pk: 4,
                questions["daytime"].pk: 4,
                questions["safer"].pk: "Ring 0701234567",
            },
        )
    assert not Response.objects.exists() and not Answer.objects.exists()


@pytest.fixture
def text_answers(survey, questions):
    shown = f.AnswerFactory(
        response=f.ResponseFactory(survey=survey),
        question=questions["safer"],
        value_number=None,
        value_text="Fler papperskorgar vid fontänen.",
    )
    hidden = f.AnswerFactory(
        response=f.ResponseFactory(survey=survey),
        question=questions["safer"],
        value_number=None,
        value_text="Olämpligt svar om grannarna.",
        is_flagged=True,
    )
    return shown, hidden


@pytest.mark.usefixtures("few_answers_suffice")
def test_flagged_free_text_is_hidden_from_readers(client, reader, manager, survey, text_answers):
    client.force_login(reader)
    html = client.get(url("text_answer_list", pk=survey.pk)).content.decode()
    assert "Fler papperskorgar vid fontänen." in html
    assert "Olämpligt svar" not in html
    assert "Dölj för läsare" not in html
    client.force_login(manager)
    html = client.get(url("text_answer_list", pk=survey.pk)).content.decode()
    assert "Olämpligt svar" in html and "Dold för läsare" in html


def test_manager_hides_an_answer_with_htmx_and_without(as_manager, survey, text_answers):
    shown, _hidden = text_answers
    flag_url = url("answer_flag", pk=survey.pk, answer_pk=shown.pk)
    partial = as_manager.post(flag_url, {"flagged": "1"}, HTTP_HX_REQUEST="true")
    assert partial.status_code == 200
    html = partial.content.decode()
    assert html.lstrip().startswith('<li class="card text-answer text-answer--flagged"')
    assert "<html" not in html
    shown.refresh_from_db()
    assert shown.is_flagged
    full = as_manager.post(flag_url, {"flagged": "0"})
    assert full["Location"] == url("text_answer_list", pk=survey.pk)
    shown.refresh_from_db()
    assert not shown.is_flagged


def test_csv_export_streams_one_row_per_questionnaire(as_manager, survey, questions):
    response_submit(
        survey=survey,
        respondent_group="works",
        values={
            questions["evening"].pk: 2,
            questions["daytime"].pk: 5,
            questions["avoided"].pk: 1,
            questions["problems"].pk: [1, 3],
            questions["safer"].pk: '=HYPERLINK("x") mer ljus',
        },
    )
    response_submit(
        survey=survey,
        channel="paper",
        values={questions["evening"].pk: 4, questions["daytime"].pk: 4},
    )
    response = as_manager.get(url("survey_export", pk=survey.pk))
    assert response.streaming
    assert response["Content-Type"].startswith("text/csv")
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(body), delimiter=";"))
    assert rows[0][:4] == ["Svar", "Inskickat", "Kanal", "Svarsgrupp"]
    assert rows[0][4] == questions["evening"].text
    assert len(rows) == 3
    first = rows[1]
    assert first[2:4] == ["Webb", "Jag arbetar här"]
    assert first[4:10] == [
        "2",
        "5",
        "",
        "Ja",
        "Nedskräpning; Dålig belysning",
        '\'=HYPERLINK("x") mer ljus',
    ]
    assert rows[2][2] == "Papper"


def test_csv_export_has_a_constant_query_count(as_manager, survey, questions, count_queries):
    def add(n):
        for _ in range(n):
            response_submit(
                survey=survey, values={questions["evening"].pk: 3, questions["daytime"].pk: 3}
            )

    def run():
        with count_queries() as ctx:
            b"".join(as_manager.get(url("survey_export", pk=survey.pk)).streaming_content)
        return len(ctx)

    add(2)
    small = run()
    add(20)
    assert run() == small


def test_poster_pdf_and_svg(as_manager, survey):
    pdf = as_manager.get(url("poster_pdf", pk=survey.pk))
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    svg = as_manager.get(url("poster_svg", pk=survey.pk))
    assert svg["Content-Type"] == "image/svg+xml"
    root = ElementTree.fromstring(svg.content)  # well-formed
    text = "".join(root.itertext())
    assert "Möllevångstorget" in text
    assert "Hur trygg känner du dig här?" in text
    assert "How safe do you feel here?" in text  # the survey can be answered in English too
    assert f"/s/{survey.public_token}/" in text
    assert root.attrib["viewBox"] == "0 0 210 297"  # A4 in millimetres


def test_poster_pdf_is_one_a4_page(survey):
    from django.template.loader import render_to_string
    from weasyprint import HTML

    from surveys.poster import poster_context

    context = poster_context(survey=survey, url="https://amp.example.org/s/abc/")
    document = HTML(string=render_to_string("surveys/poster.html", context)).render()
    assert len(document.pages) == 1
    page = document.pages[0]
    assert (round(page.width * 25.4 / 96), round(page.height * 25.4 / 96)) == (210, 297)


def test_detail_page_shows_the_public_link_and_qr(as_manager, survey):
    html = as_manager.get(url("survey_detail", pk=survey.pk)).content.decode()
    assert f"/s/{survey.public_token}/" in html
    assert 'src="data:image/svg+xml' in html
    assert "Stäng enkäten" in html


def test_old_free_text_is_cleared_and_the_index_stays(survey, questions, settings):
    from surveys.queries import safety_index
    from surveys.tasks import clear_expired_survey_free_text

    settings.FREE_TEXT_RETENTION_DAYS = 30
    old = response_submit(
        survey=survey,
        submitted_at=timezone.now() - dt.timedelta(days=31),
        values={
            questions["evening"].pk: 2,
            questions["daytime"].pk: 4,
            questions["safer"].pk: "Gammal text",
        },
    )
    response_submit(
        survey=survey,
        values={
            questions["evening"].pk: 5,
            questions["daytime"].pk: 5,
            questions["safer"].pk: "Ny text",
        },
    )
    before = safety_index(place=survey.place)
    assert clear_expired_survey_free_text.delay().get() == 1
    assert clear_expired_survey_free_text.delay().get() == 0  # idempotent
    assert old.answers.get(question=questions["safer"]).value_text == ""
    assert Answer.objects.filter(value_text="Ny text").exists()
    assert safety_index(place=survey.place) == before


def test_retention_runs_nightly():
    from django.conf import settings

    entry = settings.CELERY_BEAT_SCHEDULE["surveys-clear-expired-free-text"]
    assert entry["task"] == "surveys.clear_expired_free_text"
