"""Browser journey (issue #19): the guard company's real file. The first month asks once what
its three category words mean and leaves the row with a licence plate out (downloadable with
its reason); the list shows what was added; next month's file imports with no questions.
axe-core runs on every page."""

import os

import pytest

from safety.guard_files import GUARD_WORDS, guard_report, guard_report_name, month_start
from safety.models import ImportMapping, Incident
from tests import clock
from tests.e2e.conftest import axe_check, login
from tests.safety.conftest import ensure_default_data

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
SCREENSHOTS = os.environ.get("AMP_SCREENSHOTS")


def shot(page, name):
    if SCREENSHOTS:
        page.screenshot(path=f"{SCREENSHOTS}/{name}.png", full_page=True)


def _file(tmp_path, number, months_ago):
    month = month_start(months_ago, today=clock.today())
    path = tmp_path / guard_report_name(number, month=month)
    path.write_bytes(guard_report(number, month=month))
    return path


def test_manager_maps_the_guards_words_once_and_next_month_is_not_asked(
    page, place_a, manager, reporter, tmp_path
):
    ensure_default_data()
    guards = reporter.organisation
    login(page, manager)
    page.goto(f"{page.live_server_url}/places/{place_a.slug}/incidents/import/")
    axe_check(page)
    page.locator("input[name=file]").set_input_files(str(_file(tmp_path, 1, 2)))
    page.locator("select[name=organisation]").select_option(label=guards.name)
    page.locator("main form button[type=submit]").click()

    # The columns are guessed, the guard's case number among them.
    page.locator("select[name=external_ref]").wait_for()
    assert page.locator("select[name=external_ref]").input_value() == "Ärendenr"
    axe_check(page)
    page.locator("main form button[type=submit]").click()

    # One question: what the file's own words mean.
    page.get_by_role("heading", name="Ord i filen som inte är våra kategorier").wait_for()
    shot(page, "guard-values")
    axe_check(page)
    for word, code in GUARD_WORDS.items():
        page.get_by_label(word, exact=False).first.select_option(code)
    page.get_by_role("button", name="Spara och kontrollera igen").click()

    # Only the row with the licence plate is left: import the 19 others, all or nothing.
    button = page.get_by_role("button", name="Importera bara de 19 korrekta raderna")
    button.wait_for()
    assert "registreringsnummer" in page.inner_text("main")
    shot(page, "guard-valid-rows")
    axe_check(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Ladda ner de avvisade raderna (CSV)").click()
    refused = download.value.path().read_bytes().decode("utf-8-sig")
    assert "VB-118734" in refused and refused.count("\n") == 2
    button.click()

    # The list shows exactly what the import added.
    page.locator(".imported-from").wait_for()
    shot(page, "guard-imported")
    assert "19 händelser" in page.inner_text("#incident-results")
    axe_check(page)
    assert ImportMapping.objects.get(organisation=guards).values == {"category": GUARD_WORDS}

    # Next month: the organisation is kept, the columns and words are known – no questions.
    page.goto(f"{page.live_server_url}/places/{place_a.slug}/incidents/import/")
    assert page.locator("select[name=organisation]").input_value() == str(guards.pk)
    page.get_by_role("link", name="visa de importerade händelserna").first.wait_for()
    page.locator("input[name=file]").set_input_files(str(_file(tmp_path, 2, 1)))
    page.locator("main form button[type=submit]").click()
    page.get_by_role("button", name="Importera 18 händelser").wait_for()
    assert "VB-118817" in page.inner_text("main")  # recognised by its case number
    axe_check(page)
    page.get_by_role("button", name="Importera 18 händelser").click()
    page.locator(".imported-from").wait_for()
    assert Incident.objects.filter(place=place_a, reporting_organisation=guards).count() == 37
    axe_check(page)
