import pytest

from tests.e2e.conftest import axe_check

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_manager_logs_in_in_swedish_and_sees_my_places(page, manager, place_a):
    page.goto(page.live_server_url + "/")
    axe_check(page)
    page.get_by_role("link", name="Logga in").first.click()
    page.get_by_label("E-post").fill("manager@example.org")
    page.get_by_label("Lösenord").fill("pw-for-tests-1")
    axe_check(page)
    page.get_by_role("button", name="Logga in").click()
    # One place: the home is that place, starting with what to do there (issue #16).
    page.get_by_role("heading", name="Möllevångstorget", level=1).wait_for()
    assert page.get_by_role("link", name="Rapportera händelse").is_visible()
    assert page.get_by_role("link", name="Platsens översikt och siffror").is_visible()
    assert "Platsansvarig" in page.inner_text("main")
    axe_check(page)


def test_language_switch_to_english(page, manager, place_a):
    from tests.e2e.conftest import login

    login(page, manager)
    page.goto(page.live_server_url + "/")
    page.get_by_role("button", name="English").click()
    page.get_by_role("link", name="Report an incident").wait_for()
    assert "Manager" in page.inner_text("main")
    axe_check(page)


def test_a_member_switches_off_report_mails_in_settings(page, reader):
    from tests.e2e.conftest import login

    login(page, reader)
    page.goto(page.live_server_url + "/accounts/settings/")
    axe_check(page)
    page.get_by_label("mejla mig när en lägesbild är klar").uncheck()
    page.get_by_role("button", name="Spara").click()
    page.get_by_text("Dina inställningar har sparats.").wait_for()
    axe_check(page)
    reader.refresh_from_db()
    assert reader.report_notifications is False
