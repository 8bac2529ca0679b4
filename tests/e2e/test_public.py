"""Browser journeys for the public side (issue #14): a visitor on a phone sends a tip in
Arabic (right to left), the manager accepts it, the responsible organisation gets the action
item, and the tracking page says "åtgärdad" once it is resolved; the public pages pass axe-core
in all four languages at phone and desktop width."""

import datetime as dt

import pytest

from tests import clock
from tests.e2e.conftest import DESKTOP, PHONE, assert_fits_the_screen, axe_check, login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def standard_templates(db):
    """Browser tests flush the database between tests: put the survey templates back."""
    from importlib import import_module

    from django.apps import apps

    import_module("surveys.migrations.0002_standard_template").install(apps, None)
    import_module("surveys.migrations.0004_template_translations").link(apps, None)
    import_module("surveys.migrations.0008_template_arabic_somali").add(apps, None)


@pytest.fixture
def public_place(place_a, property_owner, municipality):
    from partnerships.models import Membership

    place_a.public_page_enabled = True
    place_a.save()
    for organisation in (property_owner, municipality):
        Membership.objects.create(
            organisation=organisation, place=place_a, since=dt.date(clock.this_year() - 2, 1, 1)
        )
    return place_a


@pytest.fixture
def city_user(public_place, municipality):
    from places.models import PlaceRole
    from tests import factories as f

    user = f.UserFactory(email="gatukontoret@example.org", organisation=municipality)
    PlaceRole.objects.create(
        user=user, place=public_place, role="reader", organisation=municipality
    )
    return user


def _is_rtl(page) -> bool:
    return page.evaluate("getComputedStyle(document.documentElement).direction") == "rtl"


def test_a_tip_in_arabic_becomes_an_action_item_and_is_tracked(
    phone_page, page, public_place, manager, municipality, city_user
):
    from django.core import mail

    from places.models import ActionItem, PublicTip
    from places.services import action_item_set_status

    phone = phone_page
    phone.goto(f"{phone.live_server_url}/p/{public_place.slug}/tip/?lang=ar")
    phone.get_by_role("heading", name="أرسل لنا بلاغًا").wait_for()
    assert _is_rtl(phone)
    axe_check(phone)
    assert_fits_the_screen(phone)

    phone.get_by_label("بماذا يتعلق الأمر؟").select_option("belysning")
    phone.get_by_label("صِف المشكلة").fill("المصباح عند موقف الحافلات معطّل منذ أسبوع.")
    phone.get_by_text("الإحداثيات").click()
    phone.get_by_label("خط العرض").fill("55.60125")
    phone.get_by_label("خط الطول").fill("13.00200")
    phone.get_by_label("بريدك الإلكتروني (اختياري)").fill("boende@example.net")
    phone.get_by_role("button", name="أرسل البلاغ").click()
    phone.get_by_text("شكرًا لك! تم استلام بلاغك.").wait_for()
    assert _is_rtl(phone)
    axe_check(phone)
    assert_fits_the_screen(phone)
    tracking_url = phone.url.split("?")[0]
    tip = PublicTip.objects.get()
    assert tip.language == "ar" and tip.status == "received"

    # The manager accepts it for the municipality.
    login(page, manager)
    page.goto(f"{page.live_server_url}/places/{public_place.slug}/tips/")
    page.get_by_role("heading", name="Tips från allmänheten").wait_for()
    axe_check(page)
    page.locator("table a").first.click()
    page.get_by_role("heading", name="Godta som åtgärdspunkt").wait_for()
    axe_check(page)
    page.get_by_label("Ansvarig organisation").select_option(str(municipality.pk))
    page.get_by_role("button", name="Godta", exact=True).click()
    page.get_by_text("Tipset är nu en åtgärdspunkt för").wait_for()
    axe_check(page)

    # The responsible organisation gets the action item (and the usual e-mail).
    item = ActionItem.objects.get(public_tips=tip)
    assert item.responsible_organisation == municipality and item.is_public
    assert any(city_user.email in message.to for message in mail.outbox)
    login(page, city_user)
    page.goto(f"{page.live_server_url}/places/{public_place.slug}/action-items/{item.pk}/")
    page.get_by_text("المصباح عند موقف الحافلات").first.wait_for()
    axe_check(page)

    # The tipper follows it: passed on, then "åtgärdad" once resolved.
    phone.goto(tracking_url + "?lang=ar")
    phone.get_by_text("مقبول – أُحيل إلى الجهة المسؤولة").wait_for()
    axe_check(phone)
    action_item_set_status(item=item, actor=city_user, status="resolved", note="Ny lampa.")
    phone.goto(tracking_url)
    phone.locator("[data-tip-state=resolved]").get_by_text("Åtgärdad").wait_for()
    axe_check(phone)
    phone.goto(tracking_url + "?lang=ar")
    phone.locator("[data-tip-state=resolved]").get_by_text("تمت المعالجة").wait_for()
    assert PublicTip.objects.get().email == ""


@pytest.mark.parametrize("language", ["sv", "en", "ar", "so"])
def test_public_pages_pass_axe_in_every_language(new_page, public_place, language):
    from places.models import ActionItem, ActivityKind, PlannedActivity, PublicTip
    from surveys.models import Survey
    from surveys.services import survey_create, survey_open
    from tests import factories as f

    survey = survey_open(
        survey=survey_create(
            place=public_place,
            title="Trygghetsmätning",
            template=Survey.objects.get(is_template=True, language="sv"),
        )
    )
    PlannedActivity.objects.create(
        place=public_place,
        kind=ActivityKind.objects.get(code="trygghetsvandring"),
        title="Trygghetsvandring för boende",
        recurrence="monthly",
        is_public=True,
        public_time=dt.time(18, 0),
    )
    item = f.ActionItemFactory(
        place=public_place,
        is_public=True,
        status=ActionItem.Status.RESOLVED,
        description="Trasig belysning i gången",
    )
    tip = PublicTip.objects.create(
        place=public_place,
        category="belysning",
        description="Trasig belysning i gången",
        lat=55.60125,
        lon=13.002,
        status="accepted",
        action_item=item,
    )
    paths = [
        f"/p/{public_place.slug}/",
        f"/p/{public_place.slug}/tip/",
        f"/p/{public_place.slug}/tips/",
        f"/p/{public_place.slug}/tip/{tip.token}/",
        f"/s/{survey.public_token}/",
    ]
    for viewport in (PHONE, DESKTOP):
        browser_page = new_page(viewport)
        for path in paths:
            browser_page.goto(f"{browser_page.live_server_url}{path}?lang={language}")
            browser_page.wait_for_load_state("load")
            assert browser_page.evaluate("document.documentElement.lang") == language
            assert _is_rtl(browser_page) == (language == "ar"), path
            axe_check(browser_page)
            assert_fits_the_screen(browser_page)
