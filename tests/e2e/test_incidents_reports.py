"""Browser journey: a reporter logs an incident on a phone, the manager generates the month's
lägesbild, a member reads it and downloads the PDF. axe-core runs on every page."""

import datetime as dt
import os

import pytest
from django.utils import timezone

from safety.models import IncidentCategory, SituationReport
from safety.periods import period_containing
from tests import clock
from tests import factories as f
from tests.e2e.conftest import DESKTOP, axe_check, login
from tests.safety.conftest import ensure_default_data

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
SCREENSHOTS = os.environ.get("AMP_SCREENSHOTS")


def shot(page, name):
    if SCREENSHOTS:
        page.screenshot(path=f"{SCREENSHOTS}/{name}.png", full_page=True)


@pytest.fixture
def last_month_incidents(place_a, reporter):
    """Some history in last month, so the report has something to say."""
    last_month = period_containing("monthly", timezone.localdate()).previous()
    ensure_default_data()  # an earlier transactional test may have flushed the seeded rows
    vandalism = IncidentCategory.objects.get(code="skadegorelse")
    graffiti = IncidentCategory.objects.get(code="klotter")
    tz = timezone.get_current_timezone()
    for day in range(1, 20, 2):
        f.IncidentFactory(
            place=place_a,
            category=vandalism if day % 3 else graffiti,
            occurred_at=dt.datetime.combine(
                last_month.start + dt.timedelta(days=day), dt.time(21, 30), tz
            ),
            lat=place_a.centre_lat + day / 20000,
            lon=place_a.centre_lon,
            reporting_organisation=reporter.organisation,
        )
    return last_month


def test_reporter_logs_manager_generates_member_reads_and_downloads(
    phone_page, new_page, place_a, reporter, manager, reader, last_month_incidents, tmp_path
):
    # The reporter, on a phone, logs an incident.
    page = phone_page
    login(page, reporter)
    page.goto(f"{page.live_server_url}/places/{place_a.slug}/incidents/")
    axe_check(page)
    page.locator(f"a[href$='/places/{place_a.slug}/incidents/new/']").first.click()
    page.locator("select[name=category]").select_option(label="Klotter")
    page.locator("label[for=id_severity_1]").click()
    page.locator("input[name=location_note]").fill("Vid trappan mot Bergsgatan")
    page.locator("textarea[name=description]").fill("Nya taggar på elskåpet.")
    shot(page, "incident-form-phone")
    axe_check(page)
    page.locator("form.incident-form button[type=submit]").click()
    page.get_by_text("Nya taggar på elskåpet.").wait_for()
    assert "Klotter" in page.inner_text("main")
    shot(page, "incident-detail-phone")
    axe_check(page)

    # The manager generates last month's report.
    manager_page = new_page(DESKTOP)
    login(manager_page, manager)
    manager_page.goto(f"{manager_page.live_server_url}/places/{place_a.slug}/reports/")
    axe_check(manager_page)
    manager_page.locator("details.card > summary").click()
    manager_page.locator("select[name=period]").select_option(last_month_incidents.code)
    manager_page.locator("form.report-request button[type=submit]").click()
    manager_page.locator(".report-summary").wait_for()
    report = SituationReport.objects.get(place=place_a, kind="monthly")
    assert report.status == "ready" and report.figures["incidents"]["total"] == 10
    axe_check(manager_page)

    # A member reads it and downloads the PDF.
    member = new_page(DESKTOP)
    login(member, reader)
    member.goto(f"{member.live_server_url}/places/{place_a.slug}/reports/")
    axe_check(member)
    member.locator(f"a[href$='/reports/{report.pk}/']").click()
    member.locator(".report-summary").wait_for()
    shot(member, "report-desktop")
    text = member.inner_text("main")
    assert "10 händelser" in text
    axe_check(member)
    with member.expect_download() as download_info:
        member.locator(f"a[href$='/reports/{report.pk}/pdf/']").click()
    download = download_info.value
    path = tmp_path / "report.pdf"
    download.save_as(path)
    assert path.read_bytes().startswith(b"%PDF")
    assert (
        download.suggested_filename == f"lagesbild-{place_a.slug}-{last_month_incidents.code}.pdf"
    )


def test_manager_imports_a_guard_companys_csv(page, place_a, manager, reporter, tmp_path):
    ensure_default_data()
    csv = tmp_path / "vaktrapport.csv"
    day = clock.today() - dt.timedelta(days=12)
    csv.write_bytes(
        "Datum;Tid;Kategori;Beskrivning\n"
        f"{day:%Y-%m-%d};22:15;Skadegörelse;Krossad ruta vid entrén.\n"
        f"{day:%d/%m/%Y};23:40;Klotter;Taggar på elskåpet.\n".encode("cp1252")
    )
    login(page, manager)
    page.goto(f"{page.live_server_url}/places/{place_a.slug}/incidents/import/")
    axe_check(page)
    page.locator("input[name=file]").set_input_files(str(csv))
    page.locator("select[name=organisation]").select_option(label=reporter.organisation.name)
    page.locator("main form button[type=submit]").click()
    page.locator("select[name=occurred_at]").wait_for()
    assert page.locator("select[name=time]").input_value() == "Tid"  # guessed from the header
    shot(page, "import-map")
    axe_check(page)
    page.locator("main form button[type=submit]").click()
    page.get_by_text("Krossad ruta vid entrén.").wait_for()
    shot(page, "import-preview")
    axe_check(page)
    page.get_by_role("button", name="Importera 2 händelser").click()
    page.locator(".incident-list").wait_for()
    assert place_a.incidents.count() == 2
    axe_check(page)
