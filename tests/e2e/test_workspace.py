"""Browser journeys of the place workspace at a phone viewport (390×844), in Swedish and
English: log an activity, log a trygghetsvandring with two findings, see them in the list and on
the map; the responsible organisation's user resolves one. axe-core runs on every page."""

import re

import pytest
from playwright.sync_api import expect

from partnerships.models import Membership
from places.models import ActionItem, PlaceRole
from tests import clock
from tests import factories as f
from tests.e2e.conftest import PHONE, axe_check, login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

INSIDE = {"latitude": 55.6012, "longitude": 13.0021}  # inside the factory square


@pytest.fixture
def workspace(place_a, manager, property_owner, municipality):
    # Transactional tests flush data migrations, so make sure the kinds exist.
    f.ActivityKindFactory(
        code="trygghetsvandring", name_sv="Trygghetsvandring", name_en="Safety walk", is_walk=True
    )
    f.ActivityKindFactory(code="stadning", name_sv="Städning", name_en="Cleaning")
    Membership.objects.create(organisation=property_owner, place=place_a)
    city_user = f.UserFactory(
        email="city@example.org", full_name="Cecilia Holm", organisation=municipality
    )
    PlaceRole.objects.create(
        user=city_user, place=place_a, role="reader", organisation=municipality
    )
    return {"place": place_a, "manager": manager, "city_user": city_user}


def _use_my_position(scope, page):
    scope.get_by_role("button", name="Använd min position").click()
    expect(scope.locator("[data-position-status]")).to_contain_text("Positionen är satt")


def test_manager_logs_a_walk_with_findings_and_the_city_resolves_one(
    workspace, phone_page, new_page
):
    page = phone_page
    base = page.live_server_url
    page.context.grant_permissions(["geolocation"], origin=base)
    page.context.set_geolocation(INSIDE)
    login(page, workspace["manager"])

    # A quick log of the morning's cleaning.
    page.goto(f"{base}/places/mollevangstorget/activities/")
    axe_check(page)
    page.get_by_role("link", name="Logga en aktivitet").click()
    axe_check(page)
    page.get_by_label("Typ").select_option(label="Städning")
    page.get_by_label("Längd (minuter)").fill("30")
    page.get_by_label("Fastighets AB Torget").check()
    page.get_by_label("Anteckning").fill("Plockade skräp runt fontänen.")
    page.get_by_role("button", name="Logga aktivitet").click()
    expect(page.get_by_text("Aktiviteten loggades.")).to_be_visible()
    expect(page.get_by_role("link", name="Städning")).to_be_visible()
    axe_check(page)

    # A trygghetsvandring with the municipality, pinned where the manager stands.
    page.get_by_role("link", name="Logga en aktivitet").click()
    page.get_by_label("Typ").select_option(label="Trygghetsvandring")
    page.get_by_label("Deltagare").fill("7")
    page.get_by_label("Malmö stad").check()
    _use_my_position(page.locator("form"), page)
    page.get_by_role("button", name="Logga aktivitet").click()

    # Its findings, two in one go.
    expect(page.get_by_role("heading", name="Registrera iakttagelser")).to_be_visible()
    axe_check(page)
    first, second = page.locator("fieldset.finding").nth(0), page.locator("fieldset.finding").nth(1)
    first.get_by_label("Kategori").select_option(label="Belysning")
    first.get_by_label("Beskrivning").fill("Gatlampan vid busshållplatsen är släckt.")
    first.get_by_label("Ansvarig organisation").select_option(label="Malmö stad")
    _use_my_position(first, page)
    second.get_by_label("Kategori").select_option(label="Klotter")
    second.get_by_label("Beskrivning").fill("Klotter på fasaden vid entrén.")
    second.get_by_label("Ansvarig organisation").select_option(label="Fastighets AB Torget")
    _use_my_position(second, page)
    page.get_by_role("button", name="Spara iakttagelser").click()
    expect(page.get_by_text("2 åtgärdspunkter registrerades.")).to_be_visible()
    expect(page.get_by_role("link", name="Belysning")).to_be_visible()
    axe_check(page)

    # Both in the list and on the map.
    page.get_by_role("navigation", name="Plats").get_by_role("link", name="Åtgärdspunkter").click()
    expect(page.get_by_role("heading", name="2 åtgärdspunkter")).to_be_visible()
    expect(page.get_by_role("link", name="Klotter")).to_be_visible()
    the_map = page.locator("[data-place-map]")
    expect(the_map).to_have_attribute("data-item-count", "2")
    expect(the_map).to_have_attribute("data-marker-count", "3")  # and the walk itself
    axe_check(page)

    # The municipality's user, on their phone in English, resolves the lamp.
    lamp = ActionItem.objects.get(category="belysning")
    city = new_page(PHONE, language="en")
    login(city, workspace["city_user"], language="en")
    city.goto(f"{base}/places/mollevangstorget/action-items/")
    axe_check(city)
    city.get_by_role("link", name="Lighting").click()
    expect(city.get_by_role("heading", name=re.compile("Lighting"))).to_be_visible()
    expect(city.get_by_role("link", name="Edit")).to_have_count(0)
    axe_check(city)
    city.get_by_label("New status").select_option(label="Resolved")
    city.get_by_label("Note").fill("Bulb replaced.")
    city.get_by_role("button", name="Update status").click()
    expect(city.get_by_text("The status is now “Resolved”.")).to_be_visible()
    expect(
        city.get_by_text("Cecilia Holm changed the status from Open to Resolved")
    ).to_be_visible()
    axe_check(city)
    lamp.refresh_from_db()
    assert lamp.status == "resolved" and lamp.resolved_at is not None


def test_filters_update_the_list_and_the_map_in_place(workspace, new_page):
    place = workspace["place"]
    city = PlaceRole.objects.get(user=workspace["city_user"]).organisation
    f.ActionItemFactory(
        place=place,
        category="klotter",
        description="Klotter på elskåpet.",
        lat=55.6011,
        lon=13.0011,
    )
    f.ActionItemFactory(
        place=place,
        category="belysning",
        description="Släckt lampa.",
        responsible_organisation=city,
        lat=55.6015,
        lon=13.0015,
    )
    page = new_page(PHONE, language="en")
    login(page, workspace["manager"], language="en")
    page.goto(f"{page.live_server_url}/places/{place.slug}/action-items/")
    expect(page.locator("[data-place-map]")).to_have_attribute("data-item-count", "2")
    page.get_by_text("Filter", exact=True).click()
    axe_check(page)
    page.get_by_label("Category").select_option(label="Graffiti")
    expect(page.get_by_role("heading", name="1 action item")).to_be_visible()
    expect(page).to_have_url(re.compile(r"category=klotter"))
    expect(page.locator("[data-place-map]")).to_have_attribute("data-item-count", "1")
    axe_check(page)
    page.reload()  # the same URL renders the full page
    expect(page.get_by_role("heading", name="1 action item")).to_be_visible()


def test_manager_adds_to_the_activity_plan_and_sees_what_is_missing(workspace, new_page):
    kind = f.ActivityKindFactory(code="vaktrond", name_sv="Väktarrond", name_en="Guard round")
    today = clock.today()
    page = new_page(PHONE, language="en")
    login(page, workspace["manager"], language="en")
    page.goto(f"{page.live_server_url}/places/mollevangstorget/plan/?period=year")
    expect(page.get_by_text("Nothing is planned for this period.")).to_be_visible()
    axe_check(page)
    page.get_by_role("link", name="Add to the plan").click()
    axe_check(page)
    page.get_by_label("Title").fill("Guard round on Friday nights")
    page.get_by_label("Kind").select_option(label=kind.name_en)
    page.get_by_label("Recurrence").select_option(label="Every week")
    page.get_by_label("Weekday").select_option(label="Friday")
    page.get_by_label("Starts on").fill(today.replace(month=1, day=1).isoformat())
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("The activity plan was saved.")).to_be_visible()
    # No guard round has been logged: every Friday of this month that has passed is missing.
    month_days = (today.replace(day=d) for d in range(1, today.day))
    past_fridays = sum(1 for day in month_days if day.weekday() == 4)
    missing = page.locator(".kpi", has=page.get_by_text("missing", exact=True))
    expect(missing.locator(".kpi__value")).to_have_text(str(past_fridays))
    axe_check(page)
    page.get_by_role("link", name="Year", exact=True).click()
    row = page.locator("table.plan-wheel tbody tr").first
    # Months before this one are missing; this one too once one of its Fridays has passed.
    expect(row.locator("td.cell--missing")).to_have_count(today.month - 1 + bool(past_fridays))
    expect(row.locator("td.cell--upcoming")).to_have_count(
        12 - today.month + (not past_fridays and today.weekday() != 4)
    )
    axe_check(page)
    page.get_by_role("link", name="Week", exact=True).click()
    expect(page.get_by_role("heading", name=re.compile(r"Week \d+, \d{4}"))).to_be_visible()
    axe_check(page)
