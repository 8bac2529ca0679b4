"""Browser journeys on the place dashboard and the overview: a member and a manager, at
desktop and phone sizes, in Swedish and English. axe-core runs on every page visited."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests import factories as f
from tests.e2e.conftest import PHONE, assert_fits_the_screen, axe_check, login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def place_data(place_a, manager, reader, reporter):
    """Recent incidents (one restricted), activities, an action item, survey and funding."""
    now = timezone.now()
    # Browser tests flush the database between tests, seeded categories included: get or make.
    vandalism = f.IncidentCategoryFactory(
        code="skadegorelse", name_sv="Skadegörelse", name_en="Vandalism"
    )
    graffiti = f.IncidentCategoryFactory(code="klotter", name_sv="Klotter", name_en="Graffiti")
    walk = f.ActivityKindFactory(
        code="trygghetsvandring", name_sv="Trygghetsvandring", name_en="Safety walk"
    )
    for day in range(1, 60, 3):
        f.IncidentFactory(
            place=place_a,
            category=vandalism if day % 2 else graffiti,
            occurred_at=now - dt.timedelta(days=day, hours=2),
            lat=place_a.centre_lat + day / 50000,
            lon=place_a.centre_lon,
        )
        f.ActivityFactory(place=place_a, kind=walk, started_at=now - dt.timedelta(days=day))
    f.IncidentFactory(
        place=place_a,
        category=graffiti,
        occurred_at=now - dt.timedelta(days=2),
        lat=55.60199,
        lon=13.00299,
        visibility="restricted",
        reported_by=reporter,
    )
    f.ActionItemFactory(
        place=place_a,
        lat=place_a.centre_lat,
        lon=place_a.centre_lon + 0.001,
        description="Trasig belysning i gången.",
    )
    question = f.QuestionFactory(survey=f.SurveyFactory(place=place_a))
    for value in (2, 4, 5):
        f.AnswerFactory(
            question=question,
            response=f.ResponseFactory(
                survey=question.survey, submitted_at=now - dt.timedelta(days=5)
            ),
            value_number=value,
        )
    year = timezone.localdate().year
    f.AnnualBudgetFactory(place=place_a, year=year, target_sek=Decimal("1000000"))
    f.FundingCommitmentFactory(
        place=place_a, year=year, organisation=reader.organisation, amount_sek=Decimal("250000")
    )
    f.FundingCommitmentFactory(
        place=place_a, year=year, organisation=manager.organisation, amount_sek=Decimal("400000")
    )


def dashboard(page, place):
    page.goto(f"{page.live_server_url}/places/{place.slug}/")
    page.locator("#dashboard-map .leaflet-interactive").first.wait_for()


def test_member_changes_the_period_in_swedish_on_a_desktop(page, place_a, reader, place_data):
    login(page, reader, language="sv")
    dashboard(page, place_a)
    assert page.locator("h2#dashboard-period-heading").inner_text().startswith("Senaste 30 dagarna")
    # The restricted incident is counted, not drawn: 20 positions of the last 60 days, 10 in 30.
    expect(page.locator("#dashboard-map path.leaflet-interactive")).to_have_count(10)
    assert "Torgets Livs AB" in page.locator("#dashboard-funding-heading ~ div table").inner_text()
    assert "Fastighets AB Torget" not in page.content()
    axe_check(page)

    page.get_by_role("link", name="Senaste 90 dagarna").click()
    page.wait_for_url("**?period=90d")
    heading = page.locator("h2#dashboard-period-heading")
    assert heading.inner_text().startswith("Senaste 90 dagarna")
    # The swap moved focus to the new figures' heading, so a screen reader announces them.
    assert page.evaluate("document.activeElement.id") == "dashboard-period-heading"
    expect(page.locator("#dashboard-map path.leaflet-interactive")).to_have_count(20)
    axe_check(page)

    page.go_back()
    page.wait_for_url(f"**/places/{place_a.slug}/")
    assert heading.inner_text().startswith("Senaste 30 dagarna")


def test_member_chooses_dates_on_a_phone_in_english(phone_page, place_a, reader, place_data):
    page = phone_page
    login(page, reader, language="en")
    dashboard(page, place_a)
    axe_check(page)
    today = timezone.localdate()
    page.locator("#id_start").fill((today - dt.timedelta(days=3)).isoformat())
    page.locator("#id_end").fill((today - dt.timedelta(days=10)).isoformat())
    page.get_by_role("button", name="Show").click()
    error = page.get_by_text("The last day must be on or after the first day.")
    error.wait_for()
    axe_check(page)

    page.locator("#id_start").fill((today - dt.timedelta(days=10)).isoformat())
    page.locator("#id_end").fill((today - dt.timedelta(days=3)).isoformat())
    page.get_by_role("button", name="Show").click()
    page.wait_for_url(f"**?start={(today - dt.timedelta(days=10)).isoformat()}*")
    assert page.locator("h2#dashboard-period-heading").inner_text().startswith("Chosen period")
    assert error.count() == 0
    # Every chart has its table alternative.
    page.get_by_text("Show as a table").first.click()
    assert page.locator("details[open] table").first.is_visible()
    axe_check(page)


def test_manager_reads_the_dashboard_and_the_overview_in_english(
    new_page, place_a, place_b, manager, place_data
):
    from places.models import PlaceRole

    PlaceRole.objects.create(user=manager, place=place_b, role="manager")
    page = new_page(language="en")
    login(page, manager, language="en")
    dashboard(page, place_a)
    funding = page.locator("#dashboard-funding-heading").locator("xpath=..")
    assert "Torgets Livs AB" in funding.inner_text()
    assert "Fastighets AB Torget" in funding.inner_text()
    # The manager sees the restricted incident on the map too.
    expect(page.locator("#dashboard-map path.leaflet-interactive")).to_have_count(11)
    axe_check(page)

    page.get_by_role("link", name="Overview", exact=True).first.click()
    page.wait_for_url("**/overview/")
    rows = page.locator("table.overview-table tbody tr")
    assert rows.count() == 2
    axe_check(page)
    page.get_by_role("link", name="Incidents per month").click()
    page.wait_for_url("**sort=incidents&dir=desc")
    assert rows.first.locator("th").inner_text().startswith("Möllevångstorget")
    rows.first.get_by_role("link", name="Möllevångstorget").click()
    page.wait_for_url(f"**/places/{place_a.slug}/")


def test_manager_on_a_phone_in_swedish(new_page, place_a, manager, place_data):
    page = new_page(viewport=PHONE, language="sv")
    login(page, manager, language="sv")
    dashboard(page, place_a)
    axe_check(page)
    this_year = page.locator(".dashboard-period__presets a[href$='?period=year']")
    label = this_year.inner_text()
    this_year.click()
    page.wait_for_url("**?period=year")
    assert page.locator("h2#dashboard-period-heading").inner_text().startswith(label)
    assert page.locator(".dashboard-period__presets a[aria-current=true]").inner_text() == label
    # Nothing is wider than the phone screen except inside scrollable table wrappers.
    assert_fits_the_screen(page)
    axe_check(page)
    page.goto(f"{page.live_server_url}/overview/")
    axe_check(page)
