"""Browser journey of issue #22, Swedish and English, phone and desktop, axe-core on every page:
a manager invites a new address → the invitee joins with name and password in one step and
lands on the place with one welcome message (no second e-mail) → an empty incident form shows
the error summary with focus → the reviewer logs in and sees the review queue first; the
overview fits at 1280 px and 390 px and has its map and export."""

import re

import pytest
from django.core import mail

from tests import clock
from tests import factories as f
from tests.e2e.conftest import (
    DESKTOP,
    PHONE,
    assert_fits_the_screen,
    axe_check,
    login,
    wait_until,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _invite(page, email):
    page.goto(page.live_server_url + "/places/mollevangstorget/members/")
    axe_check(page)
    page.get_by_role("link", name="Bjud in en person").click()
    page.get_by_label("E-postadress").fill(email)
    page.get_by_label("Roll").select_option("reporter")
    axe_check(page)
    page.get_by_role("button", name="Skicka inbjudan").click()
    page.get_by_text(f"En inbjudan skickades till {email}").wait_for()
    axe_check(page)
    (invitation_mail,) = mail.outbox
    # The mail says who invited, to which place and role, and until when the link works.
    body = invitation_mail.body
    assert "Möllevångstorget" in body and "rapportör" in body.lower()
    assert "Maja Manager" in body and "gäller till och med" in body
    return re.search(r"https?://\S+/invitations/[\w-]+/", body).group(0)


def _summary_has_focus(page):
    wait_until(page, "document.activeElement && document.activeElement.id === 'error-summary'")


TEXTS = {
    "sv": {
        "invited": "Du är inbjuden till",
        "join": "Gå med: ange namn och välj lösenord",
        "name": "Ditt fullständiga namn",
        "password1": "Välj ett lösenord",
        "password2": "Lösenordet igen",
        "submit": "Gå med och gå till platsen",
        "welcome": "Välkommen till Möllevångstorget, Sara!",
        "abilities": "registrera aktiviteter och händelser",
        "log": "Rapportera händelsen",
    },
    "en": {
        "invited": "You are invited to",
        "join": "Join: choose your name and a password",
        "name": "Your full name",
        "password1": "Choose a password",
        "password2": "The password again",
        "submit": "Join and go to the place",
        "welcome": "Welcome to Möllevångstorget, Sara!",
        "abilities": "log activities and incidents",
        "log": "Log the incident",
    },
}


@pytest.mark.parametrize(
    "language,viewport", [("sv", PHONE), ("en", DESKTOP)], ids=["sv-phone", "en-desktop"]
)
def test_invitee_joins_in_one_step_and_meets_a_guiding_form(
    page, new_page, manager, place_a, language, viewport
):
    text = TEXTS[language]
    manager.full_name = "Maja Manager"
    manager.save(update_fields=["full_name"])
    login(page, manager)
    link = _invite(page, "sara.blom@example.org")

    invitee = new_page(viewport, language)
    invitee.context.add_cookies(
        [{"name": "django_language", "value": language, "url": invitee.live_server_url}]
    )
    invitee.goto(link)
    invitee.get_by_text(text["invited"]).wait_for()
    axe_check(invitee)
    assert_fits_the_screen(invitee)
    invitee.get_by_role("link", name=text["join"]).click()
    axe_check(invitee)
    # A mistake first: the form's one error summary takes focus and links to the field.
    invitee.get_by_label(text["password1"]).fill("Torget-kvall-2026")
    invitee.get_by_label(text["password2"]).fill("Torget-kvall-2026")
    invitee.get_by_role("button", name=text["submit"]).click()
    _summary_has_focus(invitee)
    assert text["name"] in invitee.inner_text("#error-summary")
    axe_check(invitee)
    invitee.get_by_label(text["name"]).fill("Sara Blom")
    invitee.get_by_label(text["password1"]).fill("Torget-kvall-2026")
    invitee.get_by_label(text["password2"]).fill("Torget-kvall-2026")
    invitee.get_by_role("button", name=text["submit"]).click()
    invitee.wait_for_url("**/places/mollevangstorget/")
    messages = invitee.locator(".messages li")
    assert messages.count() == 1
    welcome = messages.inner_text()
    assert welcome.startswith(text["welcome"])
    assert text["abilities"] in welcome
    assert len(mail.outbox) == 1  # the invitation only: no verification mail
    axe_check(invitee)
    assert_fits_the_screen(invitee)

    # An empty incident form: the summary lists the problems and takes focus.
    invitee.goto(invitee.live_server_url + "/places/mollevangstorget/incidents/new/")
    assert "---------" not in invitee.content()
    axe_check(invitee)
    invitee.get_by_role("button", name=text["log"]).click()
    _summary_has_focus(invitee)
    summary = invitee.locator("#error-summary")
    assert summary.get_attribute("role") == "alert"
    assert summary.locator("a[href='#id_category']").count() == 1
    axe_check(invitee)
    assert_fits_the_screen(invitee)
    # Its link takes the person to the field.
    summary.locator("a[href='#id_category']").click()
    wait_until(invitee, "document.activeElement && document.activeElement.id === 'id_category'")


@pytest.mark.parametrize("language", ["sv", "en"])
def test_the_reviewer_logs_in_and_sees_the_queue_first(new_page, reviewer, place_a, language):
    older = f.PartnershipApplicationFactory(title="Tryggare Stationsområdet", status="submitted")
    from django.utils import timezone

    type(older).objects.filter(pk=older.pk).update(submitted_at=timezone.now())
    desktop = new_page(DESKTOP, language)
    desktop.context.add_cookies(
        [{"name": "django_language", "value": language, "url": desktop.live_server_url}]
    )
    desktop.goto(desktop.live_server_url + "/accounts/login/")
    axe_check(desktop)
    desktop.locator("input[name=login]").fill(reviewer.email)
    desktop.locator("input[name=password]").fill("pw-for-tests-1")
    desktop.locator("main form button[type=submit]").click()
    desktop.wait_for_url("**/applications/review/")
    heading = {"sv": "Granskningskö", "en": "Review queue"}[language]
    desktop.get_by_role("heading", name=heading, exact=True).wait_for()
    assert "Tryggare Stationsområdet" in desktop.inner_text("main")
    # The count tiles are a list without bullets.
    style = desktop.evaluate(
        "getComputedStyle(document.querySelector('.queue-counts li')).listStyleType"
    )
    assert style == "none"
    axe_check(desktop)
    assert_fits_the_screen(desktop)


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
@pytest.mark.parametrize("language", ["sv", "en"])
def test_the_overview_fits_and_has_its_map_and_export(
    new_page, manager, place_a, place_b, viewport, language
):
    from places.models import PlaceRole

    PlaceRole.objects.get_or_create(user=manager, place=place_b, defaults={"role": "reader"})
    page = new_page(viewport, language)
    login(page, manager, language)
    page.goto(page.live_server_url + "/overview/")
    wait_until(page, "document.querySelector('[data-overview-map]')?.dataset.markerCount === '2'")
    assert_fits_the_screen(page)
    if viewport == DESKTOP:
        # At 1280 px the whole table shows: nothing hides behind the wrapper's scroll.
        clipped = page.evaluate(
            "(() => { const w = document.querySelector('.overview-table-wrap');"
            " return w.scrollWidth > w.clientWidth + 1; })()"
        )
        assert not clipped
    export = {"sv": "Exportera som CSV", "en": "Export as CSV"}[language]
    assert page.get_by_role("link", name=export).count() == 1
    axe_check(page)


def test_checks_while_typing_follow_the_servers_rules(page, manager, place_a):
    login(page, manager, "en")
    base = page.live_server_url + "/places/mollevangstorget"
    # End before start, on the plan form: said while typing, in the server's words.
    page.goto(base + "/plan/new/")
    next_year = clock.this_year() + 1
    page.locator("#id_starts_on").fill(f"{next_year}-05-10")
    page.locator("#id_ends_on").fill(f"{next_year}-05-01")
    note = page.locator("#id_ends_on_order_check")
    note.wait_for()
    assert note.inner_text() == "The end date must be on or after the start date."
    axe_check(page)
    page.locator("#id_ends_on").fill(f"{next_year}-05-20")
    assert page.locator("#id_ends_on_order_check").count() == 0

    # A pin outside the place's boundary, on the activity form: said before submitting.
    page.goto(base + "/activities/new/")
    page.get_by_text("Coordinates").click()
    page.locator("#id_lat").fill("55.6100")
    page.locator("#id_lon").fill("13.0020")
    pin = page.locator("#id_lat_pin_check")
    pin.wait_for()
    assert "outside the boundary of Möllevångstorget" in pin.inner_text()
    axe_check(page)
    page.locator("#id_lat").fill("55.6010")
    assert page.locator("#id_lat_pin_check").count() == 0
