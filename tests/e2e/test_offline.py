"""Browser journeys of offline-first logging (issue #16) on a phone, with the browser really
offline (`context.set_offline(True)`): the service worker serves the stored forms, the forms go
to the device's queue, the queue is sent when the connection returns – exactly once each, even
when an answer is lost on the way – refusals come back to be fixed, logging out warns and clears
the device; and a trygghetsvandring with two findings takes at most six taps from the home.
axe-core runs on the home and the queue."""

import os

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from playwright.sync_api import expect

from places.models import ActionItem, Activity
from safety.models import Incident
from tests import clock
from tests.e2e.conftest import assert_fits_the_screen, axe_check, login, wait_until
from tests.safety.conftest import ensure_default_data

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SLUG = "mollevangstorget"
SCREENSHOTS = os.environ.get("AMP_SCREENSHOTS")


def shot(page, name):
    if SCREENSHOTS:
        page.screenshot(path=f"{SCREENSHOTS}/{name}.png", full_page=True)


QUEUE_COUNT = "AmpOutbox.count()"


@pytest.fixture
def phone_page(phone_page):
    """The phone's clock shows the server's moment and runs from there. The server's clock is
    frozen for the whole session while the browser's runs: a test late in a long run would
    otherwise log its incidents "in the future" (past the form's ten minutes' tolerance)."""
    phone_page.context.clock.install(time=clock.frozen_now())
    return phone_page


@pytest.fixture
def seeded(place_a):
    ensure_default_data()  # an earlier transactional test may have flushed the seeded rows
    return place_a


def _ready_for_offline(page):
    """The home has been seen online: the worker controls the page and keeps the forms."""
    base = page.live_server_url
    page.goto(f"{base}/")
    wait_until(page, "navigator.serviceWorker.controller !== null", timeout=20)
    form = f"{base}/places/{SLUG}/incidents/new/"
    wait_until(
        page,
        f"caches.open('amp-pages').then(c => c.match('{form}')).then(r => !!r)",
        timeout=20,
    )


def _log_incident_offline(page, text, queued=1):
    page.locator("select[name=category]").select_option(label="Klotter")
    page.locator("input[name=location_note]").fill("Vid trappan")
    page.locator("textarea[name=description]").fill(text)
    page.locator("form.incident-form button[type=submit]").click()
    expect(page.locator("[data-queued-notice]")).to_contain_text("Sparat på enheten")
    expect(page.locator("[data-outbox-bar]")).to_contain_text(f"Väntar på att skickas ({queued})")


def test_a_guard_logs_offline_and_everything_arrives_once(phone_page, seeded, reporter):
    page = phone_page
    context = page.context
    login(page, reporter)
    _ready_for_offline(page)
    shot(page, "offline-home-phone")
    axe_check(page)
    assert_fits_the_screen(page)

    context.set_offline(True)
    expect(page.locator("[data-offline-notice]")).to_be_visible()
    page.get_by_role("link", name="Rapportera händelse").click()
    texts = ("Krossad ruta i väntkuren.", "Nya taggar på elskåpet.", "Tom flaska på trappan.")
    for number, text in enumerate(texts, 1):
        _log_incident_offline(page, text, queued=number)
    page.goto(f"{page.live_server_url}/")  # the stored home
    page.get_by_role("link", name="Logga aktivitet").click()
    page.get_by_label("Typ").select_option(label="Städning")
    page.get_by_label("Anteckning").fill("Plockade skräp runt fontänen.")
    page.get_by_role("button", name="Logga aktivitet").click()
    expect(page.locator("[data-queued-notice]")).to_be_visible()
    expect(page.locator("[data-outbox-bar]")).to_contain_text("Väntar på att skickas (4)")
    assert Incident.objects.count() == 0 and Activity.objects.count() == 0

    page.locator("[data-outbox-bar] a").click()  # the stored queue page
    expect(page.get_by_role("heading", name="Väntar på att skickas (4)")).to_be_visible()
    expect(page.locator("[data-outbox-item]")).to_have_count(4)
    expect(page.locator(".outbox-item__state").first).to_have_text("Väntar på anslutning")
    shot(page, "offline-queue-phone")
    axe_check(page)
    assert_fits_the_screen(page)

    # Back online, the first send's answer is lost on the way: the server saved it, the phone
    # does not know. The retry must not save it twice.
    posts = []

    def lose_the_first_answer(route):
        if route.request.method != "POST":
            return route.fallback()
        posts.append(route.request.url)
        if len(posts) == 1:
            route.fetch()  # the server handles it …
            return route.abort("connectionreset")  # … and the answer never arrives
        return route.fallback()

    context.route("**/incidents/new/", lose_the_first_answer)
    context.set_offline(False)
    settled = (
        "AmpOutbox.all().then(items => items.length <= 1"
        " && items.every(i => i.state !== 'sending' && i.state !== 'waiting'))"
    )
    wait_until(page, settled, timeout=20)
    assert Incident.objects.count() == 3  # the lost answer's incident is saved already
    # The lost one waits, marked for another try; the person sends it by hand. (Where the
    # browser's Background Sync fires on reconnecting, the worker may have resent it already.)
    if page.evaluate(QUEUE_COUNT) == 1:
        item = page.locator("[data-outbox-item]")
        try:
            expect(item.locator(".outbox-item__state")).to_have_text(
                "Inte skickat än – försöker igen automatiskt", timeout=3000
            )
            page.get_by_role("button", name="Skicka nu").click(timeout=3000)
            expect(page.get_by_role("status").filter(has_text="Allt är skickat.")).to_be_visible()
        except (PlaywrightTimeoutError, AssertionError):
            # Background Sync sent it between the look and the tap: the queue empties anyway,
            # and the counts below show it arrived once.
            wait_until(page, "AmpOutbox.count().then(n => n === 0)", timeout=20)
    assert page.evaluate(QUEUE_COUNT) == 0
    page.get_by_text("Inget väntar på att skickas.").wait_for()
    axe_check(page)

    assert len(posts) >= 4
    assert Incident.objects.count() == 3
    assert Activity.objects.count() == 1
    texts = sorted(Incident.objects.values_list("description", flat=True))
    assert texts == [
        "Krossad ruta i väntkuren.",
        "Nya taggar på elskåpet.",
        "Tom flaska på trappan.",
    ]
    assert Incident.objects.filter(client_id__isnull=False).count() == 3
    assert all(i.reported_by == reporter for i in Incident.objects.all())


def test_a_refused_form_shows_why_and_is_fixed_and_sent_again(phone_page, seeded, reporter):
    page = phone_page
    login(page, reporter)
    _ready_for_offline(page)
    page.context.set_offline(True)
    page.get_by_role("link", name="Rapportera händelse").click()
    _log_incident_offline(page, "Mannen med personnummer 19850101-1234 bråkade.")
    page.context.set_offline(False)

    page.goto(f"{page.live_server_url}/offline/")
    item = page.locator("[data-outbox-item]")
    expect(item.locator(".outbox-item__state")).to_have_text(
        "Stoppat – behöver rättas", timeout=20000
    )
    expect(item).to_contain_text("personnummer")
    shot(page, "offline-refused-phone")
    axe_check(page)
    assert Incident.objects.count() == 0

    item.get_by_role("link", name="Rätta och skicka igen").click()
    expect(page.get_by_role("alert")).to_contain_text("personnummer")
    description = page.locator("textarea[name=description]")
    expect(description).to_have_value("Mannen med personnummer 19850101-1234 bråkade.")
    description.fill("En man bråkade vid kiosken.")
    page.locator("form.incident-form button[type=submit]").click()
    page.wait_for_url("**/offline/")
    page.get_by_text("Inget väntar på att skickas.").wait_for()
    incident = Incident.objects.get()
    assert incident.description == "En man bråkade vid kiosken."


def test_logging_out_with_unsent_forms_warns_then_clears_the_device(phone_page, seeded, reporter):
    page = phone_page
    login(page, reporter)
    _ready_for_offline(page)
    page.context.set_offline(True)
    page.get_by_role("link", name="Rapportera händelse").click()
    _log_incident_offline(page, "Ring 070-123 45 67 om rutan.")  # refused when sent
    page.context.set_offline(False)
    page.goto(f"{page.live_server_url}/offline/")
    expect(page.locator(".outbox-item__state")).to_have_text(
        "Stoppat – behöver rättas", timeout=20000
    )

    warnings = []

    def dismiss(dialog):
        warnings.append(dialog.message)
        dialog.dismiss()

    page.once("dialog", dismiss)
    page.get_by_role("button", name="Logga ut").click()
    page.wait_for_timeout(500)
    assert warnings and "1 formulär på enheten har inte skickats" in warnings[0]
    assert page.evaluate(QUEUE_COUNT) == 1  # still there, still logged in
    expect(page.get_by_role("button", name="Logga ut")).to_be_visible()

    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Logga ut").click()
    page.wait_for_url(lambda url: "/offline/" not in url)
    # The queue's store is empty (read without outbox.js: the login page does not load it).
    left = page.evaluate(
        "new Promise(r => { const q = indexedDB.open('amp-offline');"
        " q.onsuccess = () => { const c = q.result.transaction('outbox')"
        ".objectStore('outbox').count(); c.onsuccess = () => r(c.result); }; })"
    )
    assert left == 0
    assert page.evaluate("caches.has('amp-pages')") is False
    assert Incident.objects.count() == 0


def test_a_walk_with_two_findings_takes_at_most_six_taps_from_the_home(
    phone_page, seeded, manager, municipality
):
    page = phone_page
    login(page, manager)
    page.goto(f"{page.live_server_url}/")
    expect(page.get_by_role("heading", name="Möllevångstorget", level=1)).to_be_visible()
    axe_check(page)
    taps = 0

    def tap(action, *args):
        nonlocal taps
        taps += 1
        action(*args)

    tap(page.get_by_role("link", name="Trygghetsvandring").click)
    # The place's tab bar on a phone: the main tabs and "Mer", nothing hidden sideways.
    nav = page.get_by_role("navigation", name="Plats")
    expect(nav.get_by_text("Mer", exact=True)).to_be_visible()
    expect(nav.get_by_role("link", name="Händelser")).to_be_visible()
    assert page.evaluate(
        "(n => n.scrollWidth <= n.clientWidth)(document.querySelector('.place-nav > ul'))"
    )
    first = page.locator(".quick-findings fieldset.finding").nth(0)
    second = page.locator(".quick-findings fieldset.finding").nth(1)
    tap(first.get_by_label("Kategori").select_option, "belysning")
    tap(first.get_by_label("Beskrivning").fill, "Gatlampan vid busshållplatsen är släckt.")
    tap(second.get_by_label("Kategori").select_option, "klotter")
    tap(second.get_by_label("Beskrivning").fill, "Klotter på elskåpet.")
    shot(page, "offline-walk-phone")
    tap(page.get_by_role("button", name="Logga aktivitet").click)
    expect(page.get_by_text("2 åtgärdspunkter registrerades.")).to_be_visible()
    assert taps <= 6
    activity = Activity.objects.get()
    assert activity.kind.is_walk
    assert sorted(
        ActionItem.objects.filter(source_activity=activity).values_list("category", flat=True)
    ) == [
        "belysning",
        "klotter",
    ]


def test_the_incident_form_has_a_pin_and_says_when_the_map_cannot_load(
    phone_page, seeded, reporter
):
    """The test browser answers map tiles with nothing: the notice replaces the grey box."""
    page = phone_page
    base = page.live_server_url
    page.context.grant_permissions(["geolocation"], origin=base)
    page.context.set_geolocation({"latitude": 55.6012, "longitude": 13.0021})
    login(page, reporter)
    page.goto(f"{base}/places/{SLUG}/incidents/new/")
    expect(page.get_by_text("Kartbakgrunden kunde inte laddas")).to_be_visible()
    # "Använd min position" sits right under the place field, the map under it.
    order = page.evaluate(
        "[...document.querySelectorAll('form.incident-form [name=location_note],"
        " [data-geo-button], [data-map-picker]')].map(e => e.getAttribute('name')"
        " || (e.hasAttribute('data-geo-button') ? 'button' : 'map'))"
    )
    assert order == ["location_note", "button", "map"]
    page.get_by_role("button", name="Använd min position").click()
    expect(page.locator("[data-geo-status]")).to_have_text("Positionen är sparad.")
    assert page.locator("input[name=lat]").input_value() == "55.601200"
    page.locator("[data-map-picker]").click(position={"x": 60, "y": 60})
    assert page.locator("input[name=lat]").input_value() != "55.601200"
    axe_check(page)
    assert_fits_the_screen(page)


def test_the_city_resolves_its_action_item_offline(phone_page, seeded, municipality):
    from places.models import ActionItemStatusChange, PlaceRole
    from tests import factories as f

    city_user = f.UserFactory(email="city@example.org", organisation=municipality)
    PlaceRole.objects.create(user=city_user, place=seeded, role="reader", organisation=municipality)
    item = f.ActionItemFactory(place=seeded, responsible_organisation=municipality)
    page = phone_page
    base = page.live_server_url
    login(page, city_user)
    page.goto(f"{base}/")
    expect(page.get_by_role("link", name="Mina åtgärdspunkter (1)")).to_be_visible()
    wait_until(page, "navigator.serviceWorker.controller !== null", timeout=20)
    detail = f"{base}/places/{SLUG}/action-items/{item.pk}/"
    wait_until(
        page,
        f"caches.open('amp-pages').then(c => c.match('{detail}')).then(r => !!r)",
        timeout=20,
    )

    page.context.set_offline(True)
    page.goto(detail)  # the stored copy
    page.get_by_label("Ny status").select_option("resolved")
    page.locator("form[data-offline=status] button[type=submit]").click()
    expect(page.locator("[data-outbox-bar]")).to_contain_text("Väntar på att skickas (1)")
    assert ActionItemStatusChange.objects.count() == 0

    page.context.set_offline(False)
    wait_until(page, "AmpOutbox.count().then(n => n === 0)", timeout=20)
    item.refresh_from_db()
    assert item.status == "resolved"
    change = ActionItemStatusChange.objects.get()
    assert (change.changed_by, change.to_status) == (city_user, "resolved")
