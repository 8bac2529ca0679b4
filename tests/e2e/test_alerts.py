"""Browser journey (issue #13): a manager publishes the coordinated plan, a member confirms
it, a reporter sends an alert from a phone, the member answers, the sender sees the answer on
the live board and the manager closes the alert. axe-core on every page; Swedish and English.
"""

import pytest

from places.models import PlaceRole
from safety.models import Alert, AlertAnswer, ContactLink, PlanConfirmation
from safety.services import alerts
from tests.e2e.conftest import DESKTOP, PHONE, assert_fits_the_screen, axe_check, login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

WORDS = {
    "sv": {"confirmed": "Du bekräftade", "closed": "Avslutat", "acting": "Är på väg/agerar"},
    "en": {"confirmed": "You confirmed", "closed": "Closed", "acting": "On my way / acting"},
}


@pytest.mark.parametrize("language", ["sv", "en"])
def test_publish_confirm_alert_answer_and_close(
    phone_page, new_page, place_a, manager, reporter, reader, language
):
    words = WORDS[language]
    scenario = alerts.plan_for(place_a).scenarios.get(title="Störande grupp vid torget")
    guards = PlaceRole.objects.get(user=reporter).organisation
    ContactLink.objects.create(
        scenario=scenario, position=1, organisation=guards, task="Går dit", phone="040-12 34 50"
    )
    base = f"/places/{place_a.slug}"

    # The manager publishes the plan.
    manager_page = new_page(DESKTOP, language)
    login(manager_page, manager, language)
    manager_page.goto(f"{manager_page.live_server_url}{base}/samverkansplan/")
    axe_check(manager_page)
    manager_page.locator(f"a[href$='/samverkansplan/scenarios/{scenario.pk}/edit/']").click()
    manager_page.locator("textarea[name=steps]").wait_for()
    axe_check(manager_page)
    manager_page.goto(f"{manager_page.live_server_url}{base}/samverkansplan/")
    manager_page.locator("input[name=note]").fill("Första versionen")
    manager_page.locator("form[action$='/samverkansplan/publish/'] button").click()
    manager_page.locator(".plan-version").wait_for()
    assert "Första versionen" in manager_page.inner_text("main")
    axe_check(manager_page)

    # A member, on a phone, reads and confirms it.
    member = new_page(PHONE, language)
    login(member, reader, language)
    member.goto(f"{member.live_server_url}{base}/samverkansplan/")
    assert "Håll avstånd och observera." in member.inner_text("main")
    assert_fits_the_screen(member)
    axe_check(member)
    member.locator("form[action$='/samverkansplan/confirm/'] button").click()
    member.get_by_text(words["confirmed"]).wait_for()
    axe_check(member)
    assert PlanConfirmation.objects.filter(user=reader).exists()

    # The manager sees who has confirmed.
    manager_page.goto(f"{manager_page.live_server_url}{base}/samverkansplan/confirmations/")
    assert "1" in manager_page.inner_text("main table")
    axe_check(manager_page)

    # The reporter sends an alert from a phone.
    page = phone_page
    login(page, reporter, language)
    page.goto(f"{page.live_server_url}{base}/alerts/")
    axe_check(page)
    page.locator(f"a[href$='{base}/alerts/new/']").click()
    page.locator("select[name=scenario]").select_option(str(scenario.pk))
    page.locator("textarea[name=text], input[name=text]").fill("Stökig grupp vid fontänen")
    assert_fits_the_screen(page)
    axe_check(page)
    page.locator("form.incident-form button[type=submit]").click()
    page.locator("#alert-board").wait_for()
    alert = Alert.objects.get()
    assert alert.deliveries.filter(user=reader, channel="email").exists()
    axe_check(page)

    # The member sees it under the bell and answers with one tap.
    member.goto(f"{member.live_server_url}/notifications/settings/")
    axe_check(member)
    member.goto(f"{member.live_server_url}/notifications/")
    assert_fits_the_screen(member)
    axe_check(member)
    member.locator("ul.notification-list button.link-button").first.click()
    member.locator("button[name=answer][value=acting]").click()
    member.locator("#alert-board").get_by_text(words["acting"]).first.wait_for()
    axe_check(member)
    assert AlertAnswer.objects.get(alert=alert).answer == "acting"

    # The sender's board shows the answer without a reload (htmx polling).
    page.locator("#alert-board").get_by_text("Torgets Livs AB").wait_for(timeout=15000)
    axe_check(page)

    # The manager closes it.
    manager_page.goto(f"{manager_page.live_server_url}{base}/alerts/{alert.pk}/")
    manager_page.locator("select[name=outcome]").select_option("police")
    manager_page.locator("form[action$='/close/'] button").click()
    manager_page.get_by_text(words["closed"]).first.wait_for()
    axe_check(manager_page)
    alert.refresh_from_db()
    assert alert.outcome == "police"
