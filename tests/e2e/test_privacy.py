"""The privacy journeys on a phone (issue #17): a name is asked about, a manager confirms a
street that looks like a name and the DPO finds the confirmation in the admin; a member reads
how data is handled, downloads their data and deletes their account. axe-core on every page."""

import pytest
from playwright.sync_api import expect

from places.models import Activity, NameConfirmation, PlaceRole
from tests import factories as f
from tests.e2e.conftest import axe_check, login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def workspace(place_a, manager):
    f.ActivityKindFactory(code="stadning", name_sv="Städning", name_en="Cleaning")
    return place_a


def test_a_manager_removes_one_name_and_confirms_a_street(
    workspace, manager, phone_page, page, staff
):
    phone = phone_page
    base = phone.live_server_url
    login(phone, manager)

    phone.goto(f"{base}/places/{workspace.slug}/activities/new/")
    phone.get_by_label("Typ").select_option(label="Städning")
    phone.get_by_label("Anteckning").fill("Kalle Andersson snattade två öl")
    phone.get_by_role("button", name="Logga aktivitet").click()
    expect(phone.locator("#id_description_error")).to_contain_text(
        "”Kalle Andersson” ser ut som namnet på en person"
    )
    expect(phone.locator("#error-summary")).to_be_focused()
    axe_check(phone)
    phone.get_by_label("Anteckning").fill("Två öl snattades i butiken.")
    phone.get_by_role("button", name="Logga aktivitet").click()
    expect(phone.get_by_text("Aktiviteten loggades.")).to_be_visible()

    phone.goto(f"{base}/places/{workspace.slug}/activities/new/")
    phone.get_by_label("Typ").select_option(label="Städning")
    phone.get_by_label("Anteckning").fill("Klotter på elskåpet vid Sven Hedins")
    phone.get_by_role("button", name="Logga aktivitet").click()
    question = phone.get_by_role("group", name="Är det en person?")
    expect(question).to_be_visible()
    axe_check(phone)
    question.get_by_label("”Sven Hedins” är inte en person").check()
    phone.get_by_role("button", name="Logga aktivitet").click()
    expect(phone.get_by_text("Aktiviteten loggades.")).to_be_visible()
    axe_check(phone)
    assert Activity.objects.filter(description="Klotter på elskåpet vid Sven Hedins").exists()
    assert NameConfirmation.objects.get().user == manager

    # The data protection officer (staff) finds who confirmed what, and when.
    login(page, staff)
    page.goto(f"{base}/admin/")
    page.get_by_role("link", name="Bekräftelser av namn").first.click()
    expect(page.get_by_role("cell", name="Sven Hedins", exact=True)).to_be_visible()
    axe_check(page)


def test_a_member_reads_the_privacy_page_downloads_data_and_deletes_the_account(
    place_a, manager, reader, phone_page
):
    phone = phone_page
    base = phone.live_server_url
    f.ActivityFactory(place=place_a, logged_by=reader, description="Plockade skräp.")
    login(phone, reader)

    phone.goto(f"{base}/accounts/settings/")
    axe_check(phone)
    phone.get_by_role("link", name="Så hanterar vi uppgifter").first.click()
    expect(
        phone.get_by_role("heading", name="Så hanterar vi uppgifter", exact=True)
    ).to_be_visible()
    axe_check(phone)
    phone.get_by_role("link", name="Registret över behandlingar").click()
    expect(phone.get_by_role("heading", name="Register över behandlingar")).to_be_visible()
    axe_check(phone)

    phone.goto(f"{base}/accounts/settings/")
    with phone.expect_download() as download:
        phone.get_by_role("link", name="Ladda ner som JSON").click()
    assert "Plockade skräp." in download.value.path().read_text(encoding="utf-8")

    phone.get_by_role("link", name="Ta bort mitt konto").click()
    expect(phone.get_by_role("heading", name="Ta bort mitt konto")).to_be_visible()
    axe_check(phone)
    phone.get_by_label("Ditt lösenord").fill("pw-for-tests-1")
    phone.get_by_role("button", name="Ta bort mitt konto för gott").click()
    expect(phone.get_by_text("Ditt konto är borttaget.")).to_be_visible()
    axe_check(phone)
    assert not PlaceRole.objects.filter(user_id=reader.pk).exists()
    assert Activity.objects.get(description="Plockade skräp.").logged_by is None
