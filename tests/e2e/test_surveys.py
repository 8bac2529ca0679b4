"""Browser journeys for surveys: a manager runs a wave, a visitor answers on a phone, the
manager sees the result; axe-core on every page visited."""

import pytest

from surveys.models import Response
from tests.e2e.conftest import PHONE, axe_check, login, wait_until

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def standard_templates(db):
    """Browser tests flush the database between tests, data migrations included: put the
    standard survey templates back the way the migrations install them."""
    from importlib import import_module

    from django.apps import apps

    import_module("surveys.migrations.0002_standard_template").install(apps, None)
    import_module("surveys.migrations.0004_template_translations").link(apps, None)


@pytest.fixture
def survey(place_a):
    from surveys.models import Survey
    from surveys.services import survey_create, survey_open

    template = Survey.objects.get(is_template=True, language="sv")
    return survey_open(
        survey=survey_create(place=place_a, title="Trygghetsmätning", template=template)
    )


def test_manager_runs_a_wave_and_a_visitor_answers_on_a_phone(page, new_page, manager, place_a):
    login(page, manager)
    page.goto(page.live_server_url + "/places/mollevangstorget/surveys/")
    page.get_by_role("heading", name="Trygghetsmätningar", exact=True).wait_for()
    axe_check(page)

    # Create a wave from the standard template (selected by default) and open it.
    page.get_by_label("Enkätens namn").fill("Trygghetsmätning december")
    page.get_by_role("button", name="Skapa utkast").click()
    page.get_by_role("heading", name="Trygghetsmätning december").wait_for()
    assert "när det är mörkt" in page.locator(".question-item__text").first.inner_text()
    axe_check(page)
    # Opening cannot be undone (the questions lock): the manager is asked first.
    page.get_by_role("link", name="Öppna enkäten nu").click()
    page.get_by_role("heading", name="Öppna enkäten").wait_for()
    axe_check(page)
    page.get_by_role("button", name="Öppna enkäten").click()
    page.get_by_text("Enkäten är öppen").wait_for()
    axe_check(page)
    public_link = page.locator("#public-link").input_value()
    # The link (and the QR code) are on the host and port the manager uses, not SITE_URL.
    assert public_link.startswith(page.live_server_url + "/s/")

    # A visitor scans the QR code: a phone, no login.
    phone = new_page(PHONE)
    phone.goto(public_link)
    phone.get_by_role("heading", name="Trygghetsmätning december").wait_for()
    axe_check(phone)

    # Sending without the required answers explains what is missing, focus on the summary.
    phone.get_by_role("button", name="Skicka mina svar").click()
    summary = phone.get_by_role("alert")
    summary.wait_for()
    assert "Det finns ett problem" in summary.inner_text()
    wait_until(phone, "document.activeElement.id === 'error-summary'")
    evening = phone.get_by_role("group", name="Hur trygg känner du dig på platsen när det är mörkt")
    assert evening.get_by_role("radio").first.get_attribute("aria-invalid") == "true"
    axe_check(phone)

    evening.get_by_label("Ganska trygg").check()
    phone.get_by_role("group", name="Hur trygg känner du dig på platsen under dagtid").get_by_label(
        "Mycket trygg"
    ).check()
    phone.get_by_role("group", name="Vad upplever du som problem").get_by_label("Klotter").check()
    phone.get_by_role("textbox", name="Vad skulle göra platsen tryggare?").fill("Fler lampor.")
    phone.get_by_label("Jag är besökare").check()
    phone.get_by_role("button", name="Skicka mina svar").click()
    phone.get_by_role("heading", name="Tack för dina svar!").wait_for()
    axe_check(phone)
    assert Response.objects.filter(survey__title="Trygghetsmätning december").count() == 1

    # One answer is one person's view: no index, no distributions until there are ten (#19).
    page.get_by_role("link", name="Resultat").first.click()
    page.get_by_role("heading", name="Resultat: Trygghetsmätning december").wait_for()
    assert "för få svar ännu" in page.locator("#survey-index").inner_text()
    assert "Fler lampor" not in page.inner_text("main")
    axe_check(page)


def test_visitor_answers_in_english_with_the_keyboard(phone_page, survey):
    phone_page.goto(phone_page.live_server_url + f"/s/{survey.public_token}/")
    phone_page.get_by_role("link", name="In English").click()
    phone_page.get_by_role("heading", name="Safety survey").wait_for()
    assert phone_page.get_attribute("html", "lang") == "en"
    axe_check(phone_page)

    first = phone_page.get_by_role(
        "group", name="How safe do you feel at this place when it is dark"
    )
    first.get_by_role("radio").first.focus()
    phone_page.keyboard.press("ArrowDown")  # moves to and selects "Fairly unsafe"
    assert first.get_by_label("Fairly unsafe").is_checked()
    second = phone_page.get_by_role(
        "group", name="How safe do you feel at this place in the daytime"
    )
    second.get_by_role("radio").first.focus()
    phone_page.keyboard.press("Space")
    phone_page.get_by_role("button", name="Send my answers").focus()
    phone_page.keyboard.press("Enter")
    phone_page.get_by_role("heading", name="Thank you for your answers!").wait_for()
    axe_check(phone_page)
    answer = Response.objects.get(survey=survey).answers.order_by("question__order").first()
    assert answer.value_number == 2

    # Back on the link: the browser has answered already.
    phone_page.goto(phone_page.live_server_url + f"/s/{survey.public_token}/")
    assert "Vi har redan fått dina svar" in phone_page.inner_text("main")
    axe_check(phone_page)


def test_manager_hides_a_free_text_answer_in_place(page, manager, survey):
    from surveys.services import response_submit

    evening, daytime, *_rest, safer = survey.questions.order_by("order")
    response_submit(
        survey=survey,
        values={evening.pk: 3, daytime.pk: 4, safer.pk: "Ett olämpligt svar."},
    )
    for _ in range(9):  # free text is shown from ten responses (SURVEY_MIN_ANSWERS, #19)
        response_submit(survey=survey, values={evening.pk: 4, daytime.pk: 4})
    login(page, manager)
    page.goto(
        page.live_server_url + f"/places/mollevangstorget/surveys/{survey.pk}/results/answers/"
    )
    axe_check(page)
    wait_until(page, "typeof htmx !== 'undefined'")  # the swap, not the full-page fallback
    page.get_by_role("button", name="Dölj för läsare").click()
    page.get_by_role("button", name="Visa för läsare").wait_for()
    wait_until(page, "document.activeElement.textContent.trim() === 'Visa för läsare'")
    assert "Dold för läsare" in page.inner_text("main")
    axe_check(page)
