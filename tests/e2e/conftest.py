"""Browser-test harness: Playwright driving Debian's Chromium against pytest-django's live server.

- Browser tests skip with a clear reason when no Chromium is found, except with CI=true, where
  they must run.
- `axe_check(page)` runs the vendored axe-core on the current page and fails on any violation.
- `login(page, user)` logs in through a session cookie; the login journey itself is tested via
  the real form in test_login.py.
- The accessibility crawl (crawl.py, test_crawl.py) drives its own browser with the same
  Chromium flags and the same axe-core rules (`CHROMIUM_ARGS`, `AXE_RUN`).
"""

import json
import os
import shutil
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in the test thread; the ORM calls made by fixtures
# and helpers from that thread are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

AXE_JS = Path(__file__).parent / "vendor" / "axe-core-4.14.1" / "axe.min.js"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


def _chromium_path():
    for candidate in (
        os.environ.get("CHROMIUM_PATH"),
        "/usr/bin/chromium",
        "/usr/bin/chromium-browser",
    ):
        if candidate and Path(candidate).exists():
            return candidate
    return shutil.which("chromium")


@pytest.fixture(scope="session")
def browser():
    executable = _chromium_path()
    if not executable:
        if os.environ.get("CI") == "true":
            pytest.fail("CI=true but no Chromium found: install Debian's chromium package.")
        pytest.skip("No Chromium found (install Debian's chromium); browser tests skipped.")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        if os.environ.get("CI") == "true":
            raise
        pytest.skip("Playwright is not installed; browser tests skipped.")
    from playwright.sync_api import expect

    # As long as an action waits (the context's default): 5 s, expect()'s own default, is short
    # for a page rendered on a CI machine that also runs the other half of the suite.
    expect.set_options(timeout=15_000)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=executable,
            headless=True,
            args=CHROMIUM_ARGS,
        )
        yield browser
        browser.close()


def _new_context(browser, viewport, language):
    context = browser.new_context(
        viewport=viewport, locale="sv-SE" if language == "sv" else "en-GB"
    )
    # No network beyond the live server: map tiles and anything external are answered empty.
    context.route(
        "**/*",
        lambda route: (
            route.continue_()
            if route.request.url.startswith(("http://localhost", "http://127.0.0.1"))
            else route.fulfill(status=204, body="")
        ),
    )
    context.set_default_timeout(15000)
    return context


@pytest.fixture
def page(browser, live_server):
    context = _new_context(browser, DESKTOP, "sv")
    page = context.new_page()
    page.live_server_url = live_server.url
    yield page
    context.close()


@pytest.fixture
def phone_page(browser, live_server):
    context = _new_context(browser, PHONE, "sv")
    page = context.new_page()
    page.live_server_url = live_server.url
    yield page
    context.close()


@pytest.fixture
def new_page(browser, live_server):
    """Factory for extra pages (another user, another viewport) in the same test."""
    contexts = []

    def _make(viewport=None, language="sv"):
        context = _new_context(browser, viewport or DESKTOP, language)
        contexts.append(context)
        page = context.new_page()
        page.live_server_url = live_server.url
        return page

    yield _make
    for context in contexts:
        context.close()


_AXE_SOURCE = None

# axe-core with the WCAG 2.0/2.1 A and AA rules; each violation with its elements (the first
# five) and what is wrong with them.
AXE_RUN = """async (context) => {
    const r = await axe.run(context || document, {
        runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']},
        resultTypes: ['violations'],
    });
    return r.violations.map(v => ({
        id: v.id, impact: v.impact, help: v.help,
        nodes: v.nodes.slice(0, 5).map(n => n.target.join(' ') + ' :: ' + n.failureSummary),
    }));
}"""


def _axe_source():
    global _AXE_SOURCE
    if _AXE_SOURCE is None:
        _AXE_SOURCE = AXE_JS.read_text(encoding="utf-8")
    return _AXE_SOURCE


def axe_check(page, *, context=None):
    """Run axe-core (WCAG 2.0/2.1 A and AA rules) on the page; fail listing every violation."""
    from playwright.sync_api import Error as PlaywrightError

    for attempt in (1, 2):
        page.wait_for_load_state("load")
        try:
            result = _axe_run(page, context)
            break
        except PlaywrightError:
            # A click's navigation replaced the document while axe-core ran (it then reads a
            # document that is gone): once more, on the page that loaded. Violations are a
            # result, not an error, so a retry hides none; a second error is raised.
            if attempt == 2:
                raise
    if result:
        pytest.fail(
            f"axe-core violations on {page.url}:\n"
            + json.dumps(result, indent=2, ensure_ascii=False)
        )


def _axe_run(page, context):
    # Evaluated through the DevTools protocol, so our strict CSP (no inline script) stays on.
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(_axe_source())
    return page.evaluate(AXE_RUN, context)


def login(page, user, language="sv"):
    """Log `user` in by session cookie (fast); the form journey is tested separately."""
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": cookie.value,
                "url": page.live_server_url,
            },
            {"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": page.live_server_url},
        ]
    )


def set_language(page, language):
    page.context.add_cookies(
        [{"name": "django_language", "value": language, "url": page.live_server_url}]
    )


def wait_until(page, expression: str, timeout: float = 15.0):
    """Poll a JavaScript expression until it is truthy.

    Playwright's `wait_for_function` compiles its predicate inside the page, which our CSP
    (no eval) rightly refuses; `page.evaluate` goes through the DevTools protocol instead.
    """
    import time

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if page.evaluate(expression):
            return
        page.wait_for_timeout(100)
    pytest.fail(f"Timed out waiting for {expression!r} on {page.url}")


def assert_fits_the_screen(page):
    """Nothing is wider than the window, except inside scrollable table wrappers.

    Measured once the page's stylesheets have loaded: `wait_for` on a text returns as soon as
    the text is parsed, and a layout without the stylesheets is wider than any real one.
    """
    page.wait_for_load_state("load")
    width, window = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert width <= window, f"{page.url} is {width} px wide in a {window} px window"
