"""The browser visits: every page loaded on a phone, widened to a desktop, checked at both."""

import asyncio
import threading
import time
from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings

from tests.e2e.conftest import AXE_RUN, CHROMIUM_ARGS, PHONE, _axe_source, _chromium_path

from .discovery import Page, quiet_request_log

DESKTOP = {"width": 1280, "height": 800}

# (seconds, URL, language) of every visit of the last crawl, for `slowest()`.
SLOWEST: list[tuple[float, str, str]] = []


def slowest(count: int = 10) -> str:
    """The longest visits of the last crawl: where its time goes."""
    return "\n".join(
        f"  {seconds:5.1f} s  {url} ({language})"
        for seconds, url, language in sorted(SLOWEST, reverse=True)[:count]
    )


WIDTHS = {"phone": PHONE, "desktop": DESKTOP}


# Run before the page's own scripts in every document. It records Content Security Policy
# violations (read before axe-core runs: axe's own probes set inline styles, which the CSP
# reports) and counts requests in flight, so a visit waits for a map's data or an htmx
# fragment without waiting a fixed time for the network to go quiet.
_RECORD_PROBLEMS = """
window.__crawlCsp = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__crawlCsp.push(`${event.effectiveDirective} blocked ${event.blockedURI || "inline"}`
    + ` at ${event.sourceFile || "?"}:${event.lineNumber} ${event.sample || ""}`.trim());
});
window.__crawlPending = 0;
const crawlSettled = () => setTimeout(() => { window.__crawlPending -= 1; }, 50);
const crawlFetch = window.fetch;
window.fetch = function (...args) {
  window.__crawlPending += 1;
  const request = crawlFetch.apply(this, args);
  request.then(crawlSettled, crawlSettled);
  return request;
};
const crawlSend = XMLHttpRequest.prototype.send;
XMLHttpRequest.prototype.send = function (...args) {
  window.__crawlPending += 1;
  this.addEventListener("loadend", crawlSettled);
  return crawlSend.apply(this, args);
};
"""
_SETTLED = """() => new Promise((resolve) => {
  const deadline = Date.now() + 10000;
  const check = () => (window.__crawlPending > 0 && Date.now() < deadline)
    ? setTimeout(check, 25) : setTimeout(resolve, 0);
  check();
})"""

# The page is wider than the window: name the outermost elements that stick out (not the
# ones inside a sideways-scrolling box, which scroll instead of widening the page).
_OVERFLOW = """(bidi) => {
  const root = document.documentElement;
  const problems = [];
  const lang = (root.getAttribute("lang") || "").toLowerCase();
  if (bidi.includes(lang.split("-")[0]) && getComputedStyle(root).direction !== "rtl") {
    problems.push(["rtl", `<html lang="${lang}"> is shown left-to-right: set dir="rtl"`]);
  }
  const width = root.clientWidth;
  if (root.scrollWidth <= width) { return problems; }
  const describe = (el) => {
    let text = el.tagName.toLowerCase() + (el.id ? "#" + el.id : "");
    for (const name of el.classList) { text += "." + name; }
    return text;
  };
  const path = (el) => {
    const parts = [];
    for (let node = el; node && node !== document.body && parts.length < 4;
         node = node.parentElement) { parts.unshift(describe(node)); }
    return parts.join(" > ");
  };
  const scrolls = (el) => {
    for (let node = el.parentElement; node && node !== document.body; node = node.parentElement) {
      if (getComputedStyle(node).overflowX !== "visible") { return true; }
    }
    return false;
  };
  const sticking = [];
  for (const el of document.body.querySelectorAll("*")) {
    const box = el.getBoundingClientRect();
    if (box.right <= width + 1 || box.width === 0 || scrolls(el)) { continue; }
    const parent = el.parentElement.getBoundingClientRect();
    if (el.parentElement !== document.body && parent.right > width + 1) { continue; }
    sticking.push([Math.round(box.right), `${path(el)} (${Math.round(box.width)} px wide,`
      + ` right edge at ${Math.round(box.right)} px)`]);
  }
  sticking.sort((a, b) => b[0] - a[0]);
  problems.push(["horizontal-overflow",
    `the page is ${root.scrollWidth} px wide in a ${width} px window`,
    ...sticking.slice(0, 5).map((item) => item[1])]);
  return problems;
}"""


# No network beyond the live server (map tiles fail at once). Not by intercepting requests:
# Playwright's routing would pass every request through Python and switch off the HTTP cache.
LOCAL_ONLY = ["--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1"]


@dataclass(frozen=True)
class Finding:
    rule: str  # an axe-core rule id, "horizontal-overflow", "csp", "script-error", "http", "rtl"
    impact: str
    help: str
    route: str
    url: str
    roles: tuple[str, ...]
    language: str
    width: str
    elements: tuple[str, ...]


@dataclass(frozen=True)
class Visit:
    """One page in one language: loaded at phone width, checked, widened to a desktop and
    checked again. Loading it once for both widths halves the server's and Chromium's work;
    no script of ours reads the window size when a page loads, so a widened phone page is
    the desktop page (the CSS media queries apply on resize)."""

    page: Page
    language: str

    @property
    def context_key(self):
        return (self.page.roles[0], self.language)


def visits_of(pages: list[Page]) -> list[Visit]:
    visits = [Visit(page, language) for page in pages for language in page.languages]
    # Grouped by browser context, so each worker keeps its page for a run of visits.
    return sorted(visits, key=lambda visit: visit.context_key)


def crawl(
    base_url: str, visits: list[Visit], cookies: dict, *, concurrency: int, extra_script: str = ""
) -> list:
    """Visit every page in a browser; returns the findings. Runs Playwright's async API in a
    thread of its own, so it never meets the event loop of the synchronous browser fixture.
    `extra_script` runs in every page after the recorders (the crawl's own test breaks pages
    with it)."""
    outcome: dict = {}

    def run():
        try:
            outcome["findings"] = asyncio.run(
                _crawl(base_url, visits, cookies, concurrency, extra_script)
            )
        except BaseException as error:  # re-raised in the test's thread
            outcome["error"] = error

    thread = threading.Thread(target=run, name="a11y-crawl")
    with quiet_request_log():
        thread.start()
        thread.join()
    if "error" in outcome:
        raise outcome["error"]
    return outcome["findings"]


async def _crawl(base_url, visits, cookies, concurrency, extra_script):
    # Imported here: without Playwright the test skips (or fails under CI) before calling this.
    from playwright.async_api import async_playwright

    findings: list[Finding] = []
    SLOWEST.clear()
    queue: asyncio.Queue = asyncio.Queue()
    for visit in visits:
        queue.put_nowait(visit)
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path=_chromium_path(), headless=True, args=CHROMIUM_ARGS + LOCAL_ONLY
        )
        contexts: dict = {}
        lock = asyncio.Lock()

        async def context_for(key):
            async with lock:
                if key not in contexts:
                    role, language = key
                    # The crawl checks what each page shows; the offline service worker (its
                    # cache and background sends, tested in test_offline.py) would only slow it.
                    context = await browser.new_context(
                        viewport=WIDTHS["phone"], service_workers="block"
                    )
                    await context.add_cookies(
                        [
                            {"name": name, "value": value, "url": base_url}
                            for name, value in {
                                **cookies.get(role, {}),
                                settings.LANGUAGE_COOKIE_NAME: language,
                            }.items()
                        ]
                    )
                    await context.add_init_script(_RECORD_PROBLEMS)
                    if extra_script:
                        await context.add_init_script(extra_script)
                    context.set_default_timeout(30000)
                    contexts[key] = context
                return contexts[key]

        async def worker():
            page, page_key, errors = None, None, []
            while not queue.empty():
                visit = queue.get_nowait()
                if visit.context_key != page_key:
                    if page:
                        await page.close()
                    page = await (await context_for(visit.context_key)).new_page()
                    page.on("pageerror", lambda error, errors=errors: errors.append(str(error)))
                    page_key = visit.context_key
                errors.clear()
                started = time.monotonic()
                findings.extend(await _visit(page, base_url, visit, errors))
                SLOWEST.append((time.monotonic() - started, visit.page.url, visit.language))
            if page:
                await page.close()

        await asyncio.gather(*(worker() for _ in range(concurrency)))
        await browser.close()
    return findings


async def _visit(page, base_url: str, visit: Visit, errors: list) -> list[Finding]:
    def finding(width, rule, impact, help_text, elements=()):
        return Finding(
            rule,
            impact,
            help_text,
            visit.page.route,
            visit.page.url,
            tuple(visit.page.roles),
            visit.language,
            width,
            tuple(elements),
        )

    found = []
    for width, viewport in WIDTHS.items():
        try:
            await _check_at(page, base_url, visit, width, viewport, errors, found, finding)
        except Exception as error:  # a timeout or a crash is a finding, not the end of the crawl
            return found + [finding(width, "navigation", "critical", str(error).splitlines()[0])]
    return found


async def _check_at(page, base_url, visit, width, viewport, errors, found, finding):
    """Load the page on a phone, or widen it to a desktop, and check it at that width."""
    if page.viewport_size != viewport:
        await page.set_viewport_size(viewport)
    if width == "phone":
        response = await page.goto(base_url + visit.page.url, wait_until="load")
        if response is None or response.status != 200:
            status = response.status if response else "no response"
            found.append(finding(width, "http", "critical", f"the page answered {status}"))
    await page.evaluate(_SETTLED)
    for violation in await page.evaluate("window.__crawlCsp.splice(0)"):
        found.append(
            finding(width, "csp", "serious", "Content Security Policy violation", [violation])
        )
    for error in errors:
        found.append(finding(width, "script-error", "serious", "uncaught script error", [error]))
    errors.clear()
    for rule, help_text, *elements in await page.evaluate(_OVERFLOW, settings.LANGUAGES_BIDI):
        found.append(finding(width, rule, "serious", help_text, elements))
    if not await page.evaluate("typeof window.axe !== 'undefined'"):
        await page.evaluate(_axe_source())
    for violation in await page.evaluate(AXE_RUN, None):
        nodes = [" ".join(node.split()) for node in violation["nodes"]]
        found.append(finding(width, violation["id"], violation["impact"], violation["help"], nodes))
    # axe-core's own probes set inline styles, which the CSP reports: not the page's doing.
    await page.evaluate("window.__crawlCsp.splice(0)")


# --- The report ----------------------------------------------------------------------------------


def report(findings: list[Finding], *, per_rule: int = 12) -> str:
    """One block per rule: the URL pattern, where it was seen (URL, roles, language, width)
    and the elements, so the shared cause is visible at a glance."""
    by_rule = defaultdict(list)
    for item in findings:
        by_rule[(item.rule, item.impact, item.help)].append(item)
    lines = []
    for (rule, impact, help_text), items in sorted(by_rule.items()):
        routes = {item.route for item in items}
        lines.append(
            f"\n{rule} ({impact}): {help_text} — {len(items)} visits, {len(routes)} URL patterns"
        )
        by_route = defaultdict(list)
        for item in items:
            by_route[item.route].append(item)
        for route, seen in sorted(by_route.items())[:per_rule]:
            where = sorted({f"{i.language} {i.width}" for i in seen})
            roles = sorted({role for i in seen for role in i.roles})
            lines.append(f"  {route}  —  {seen[0].url}")
            lines.append(f"    as {', '.join(roles)}; {', '.join(where)}")
            for element in dict.fromkeys(e for i in seen for e in i.elements):
                lines.append(f"      {element[:300]}")
        if len(by_route) > per_rule:
            lines.append(f"  … and {len(by_route) - per_rule} more URL patterns")
    return "\n".join(lines)
