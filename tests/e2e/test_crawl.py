"""The accessibility crawl (issue #21): every page of every demo user, in Swedish (the public's
pages also in English and in every language they offer), on a phone and a desktop, passes
axe-core's WCAG 2.1 A and AA rules, fits the window, breaks no Content Security Policy rule and
throws no script error. How pages are found and checked: tests/e2e/crawl/.

The browser tests here run on their own (`make crawl`, the last step of `make test`:
`pytest -m crawl`); the checks that every URL parameter is known run with the other tests.
"""

import datetime as dt
import io
import os
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import override_settings
from PIL import Image

from accounts.models import ApiIdempotencyKey, User
from accounts.tokens import api_token_create
from partnerships.models import FundingReminder, PartnershipApplication
from partnerships.services import applications as application_services
from places.models import ActionItem, FreeTextClearance, Place, PlaceRole, PushSubscription
from places.screening import record_name_confirmations
from safety.services import imports
from tests import clock
from tests.e2e import crawl
from tests.e2e.conftest import _chromium_path


def browser_crawl(test):
    """A crawl in the browser: run by `make crawl`, against the live server's database."""
    for mark in (pytest.mark.e2e, pytest.mark.crawl, pytest.mark.django_db(transaction=True)):
        test = mark(test)
    return test


# Pages visited at once. The server renders one page at a time (one process), so more than a
# few only queue up; a few keep both the server and Chromium busy.
CONCURRENCY = int(os.environ.get("CRAWL_PAGES", "4"))


def _require_chromium():
    if _chromium_path():
        return
    if os.environ.get("CI") == "true":
        pytest.fail("CI=true but no Chromium found: install Debian's chromium package.")
    pytest.skip("No Chromium found (install Debian's chromium); the crawl is skipped.")


def _seed_demo():
    # The demo command itself, as `make run` seeds it; it refuses to run without DEBUG.
    with override_settings(DEBUG=True):
        call_command("seed_demo", stdout=io.StringIO())


def _complete_the_demo():
    """What the demo data has none of but a page needs: an incident file half-way through its
    import (the mapping and preview pages), an attachment and a second editor on an
    application, an action item photo, a funding reminder, a name confirmed as not a person and
    a night's retention run (the admin's pages of those records)."""
    manager = User.objects.get(email=crawl.ROLES["manager"])
    reporter = User.objects.get(email=crawl.ROLES["reporter"])
    place = Place.objects.get(roles__user=manager, roles__role="manager")
    guards = PlaceRole.objects.get(user=reporter, place=place).organisation
    rows = [
        f"{clock.today() - dt.timedelta(days=days):%Y-%m-%d};22:1{days};{category};hög;"
        f"{description};Entrén mot torget;ja"
        for days, (category, description) in enumerate(
            [
                ("Skadegörelse", "Krossad ruta vid entrén."),
                ("Klotter", "Taggar på elskåpet."),
                ("Okänd kategori", "En rad med fel, som förhandsvisningen visar."),
            ],
            start=1,
        )
    ]
    upload = imports.incident_import_upload(
        place=place,
        actor=manager,
        organisation=guards,
        filename="vaktrapport.csv",
        data=(
            "Datum;Tid;Kategori;Allvarlighet;Beskrivning;Plats;Polis\n" + "\n".join(rows)
        ).encode(),
    )
    imports.incident_import_set_mapping(upload=upload, mapping=upload.mapping)

    applicant = User.objects.get(email=crawl.ROLES["applicant"])
    draft = PartnershipApplication.objects.filter(created_by=applicant, status="draft").first()
    application_services.attachment_add(
        application=draft,
        actor=applicant,
        upload=SimpleUploadedFile("tidplan.pdf", b"%PDF-1.4\n%%EOF\n", "application/pdf"),
    )
    colleague = User.objects.create_user(
        email="kollega@example.org", full_name="Kim Kollega", organisation=applicant.organisation
    )
    application_services.application_invite_editor(
        application=draft, actor=applicant, editor=colleague, base_url="http://testserver"
    )

    item = ActionItem.objects.filter(place=place).order_by("-pk").first()
    item.photo.save("lampa.jpg", SimpleUploadedFile("lampa.jpg", _jpeg()))
    # A resolved item whose photo a manager made public (the public page's photo link).
    fixed = (
        ActionItem.objects.filter(place=place, is_public=True, status="resolved")
        .order_by("-pk")
        .first()
    )
    if fixed is not None:
        fixed.photo.save("fixat.jpg", SimpleUploadedFile("fixat.jpg", _jpeg()), save=False)
        fixed.photo_is_public = True
        fixed.save(update_fields=["photo", "photo_is_public"])
    # An API token with a stored Idempotency-Key answer, and a phone's push subscription
    # (the demo makes none: a token's secret and a device are personal).
    token, _secret = api_token_create(
        user=manager,
        name="Väktarbolagets system",
        scopes=["incidents:read"],
        expires_at=clock.frozen_now() + dt.timedelta(days=90),
    )
    ApiIdempotencyKey.objects.create(
        token=token, key="runda-1", fingerprint="0" * 64, status_code=201, response={"id": 1}
    )
    PushSubscription.objects.create(
        user=manager,
        endpoint="https://fcm.googleapis.com/fcm/send/crawl-device",
        p256dh="BNc",
        auth="tBH",
    )
    monday = clock.today() - dt.timedelta(days=clock.today().weekday())
    FundingReminder.objects.create(user=manager, week_start=monday)
    record_name_confirmations(
        actor=manager,
        place=place,
        record="Aktivitet",
        field="description",
        field_label="Beskrivning",
        tokens=["Rosengård"],
    )
    cutoff = clock.frozen_now() - dt.timedelta(days=365)
    FreeTextClearance.objects.create(
        task="safety.clear_expired_free_text", cutoff=cutoff, counts={"incidents": 0}, total=0
    )


def _jpeg() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 180, 40)).save(buffer, "JPEG")
    return buffer.getvalue()


@browser_crawl
def test_every_page_of_every_role_passes_axe_and_fits_phone_and_desktop(live_server):
    _require_chromium()
    started = time.monotonic()
    _seed_demo()
    _complete_the_demo()
    seeded = time.monotonic()

    users = {role: email and User.objects.get(email=email) for role, email in crawl.ROLES.items()}
    discovery = crawl.discover(users)
    assert not discovery.errors(), "Server errors:\n" + "\n".join(discovery.errors())
    assert not discovery.uncovered(), (
        "No role reaches these routes with the demo objects the crawl picks (fix the crawl's "
        "KWARG_CANDIDATES or give the demo such an object):\n" + "\n".join(discovery.uncovered())
    )

    visits = crawl.visits_of(discovery.pages)
    findings = crawl.crawl(live_server.url, visits, discovery.cookies, concurrency=CONCURRENCY)
    finished = time.monotonic()
    print(
        f"\nCrawl: {len({page.route for page in discovery.pages})} URL patterns, "
        f"{len(discovery.pages)} pages, {len(visits)} page loads checked at two widths; seeding "
        f"{seeded - started:.0f} s, discovery {discovery.seconds:.0f} s "
        f"({discovery.requests} requests), browser {finished - seeded - discovery.seconds:.0f} s."
        f"\nThe longest visits (both widths; four at once):\n{crawl.slowest()}"
    )
    if findings:
        problems = f"{len(findings)} problems in {len(visits)} page loads:"
        pytest.fail(problems + crawl.report(findings))


# What the self-test breaks in the page, once the page's own scripts have run.
BREAK_THE_PAGE = """
document.addEventListener("DOMContentLoaded", () => {
  document.body.setAttribute("style", "color: black");
  const main = document.querySelector("main");
  const wide = document.createElement("div");
  wide.className = "crawl-self-test";
  wide.style.width = "2000px";
  wide.style.height = "1px";
  main.append(wide, document.createElement("input"));
  document.documentElement.lang = "ar";
  setTimeout(() => { throw new Error("crawl self-test"); }, 0);
});
"""


@browser_crawl
def test_the_crawl_reports_each_kind_of_problem_at_each_width(live_server):
    """A crawl that cannot fail proves nothing: on a page broken on purpose it reports an
    inline style the CSP refused, the widest element, an unlabelled field, a script error and
    Arabic shown left to right — at both widths where the problem is at both."""
    _require_chromium()
    page = crawl.Page("/samverkan/", "samverkan/", ["anonymous"], ["sv"])
    findings = crawl.crawl(
        live_server.url,
        crawl.visits_of([page]),
        {},
        concurrency=1,
        extra_script=BREAK_THE_PAGE,
    )
    seen = {(finding.rule, finding.width) for finding in findings}
    assert {
        ("csp", "phone"),
        ("script-error", "phone"),
        ("rtl", "phone"),
        ("rtl", "desktop"),
        ("horizontal-overflow", "phone"),
        ("horizontal-overflow", "desktop"),
        ("label", "phone"),
        ("label", "desktop"),
    } <= seen, seen
    overflow = next(f for f in findings if f.rule == "horizontal-overflow")
    assert "div.crawl-self-test (2000 px wide" in " ".join(overflow.elements)
    assert "crawl self-test" in next(f for f in findings if f.rule == "script-error").elements[0]
    assert "style-src" in next(f for f in findings if f.rule == "csp").elements[0]
    report = crawl.report(findings)
    assert "horizontal-overflow" in report and "/samverkan/" in report


def test_every_url_parameter_of_the_url_conf_is_one_the_crawl_can_fill():
    """A new URL with a parameter the crawl does not know fails here, in the ordinary test run,
    before the crawl would: say which demo object belongs in it (KWARG_CANDIDATES)."""
    for route in crawl.url_routes():
        for param in route.params:
            crawl.candidates_for(route, param)  # raises UnknownParameter


def test_an_unknown_url_parameter_stops_the_crawl_with_what_to_add():
    route = crawl.Route(
        "places/<slug:place_slug>/alerts/<int:alert_pk>/", "", "", ("place_slug", "alert_pk")
    )
    with pytest.raises(crawl.UnknownParameter, match=r"\('alerts', 'alert_pk'\)"):
        crawl.kwarg_candidates(route, None)
