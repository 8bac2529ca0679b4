"""The accessibility crawl (issue #21): every page each demo user can reach, checked in a browser.

1. `url_routes()` walks the URL conf; `kwarg_candidates()` fills each route's parameters with
   real objects of the demo data (an unknown parameter fails the crawl: a new URL must say how
   to find its objects).
2. `discover()` asks each route, as each role, with Django's test client: a route is a page for
   a role when a GET answers 200 with a full HTML document (after redirects that stay on the same
   route). 405 (POST-only actions), other content types (CSV, PDF, images, JSON) and redirects
   elsewhere are not pages; no hand-kept list decides that. Pages whose HTML is the same for
   several roles (tokens masked) are visited once. Links marked `hreflang` add the language
   versions a page offers (the public survey).
3. `crawl()` loads every page in each language at phone width, then widens it to a desktop,
   several pages at once, and collects at each width axe-core violations (WCAG 2.1 A and AA),
   horizontal overflow (naming the widest elements), Content Security Policy violations,
   uncaught script errors and right-to-left languages shown left-to-right. `report()` lists
   them by rule, with the URL pattern, URL, roles, language, width and elements.
"""

import asyncio
import hashlib
import logging
import re
import threading
import time
from collections import defaultdict
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import parse_qs, urljoin, urlsplit

from allauth.account.forms import default_token_generator
from allauth.account.models import EmailAddress, EmailConfirmationHMAC
from allauth.account.utils import url_str_to_user_pk, user_pk_to_url_str
from django.conf import settings
from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Max, Q
from django.test import Client
from django.urls import URLResolver, get_resolver, resolve
from django.urls.exceptions import Resolver404
from django.utils.regex_helper import normalize

from accounts.models import User
from partnerships.models import (
    ApplicationAttachment,
    ApplicationParty,
    FundingCommitment,
    Invitation,
    Membership,
    PartnershipApplication,
    Payment,
)
from partnerships.views.applications import STEP_KEYS
from places.models import ActionItem, Activity, Place, PlaceRole, PlannedActivity
from safety.models import Incident, IncidentImport, SituationReport
from surveys.models import Answer, Question, Survey
from tests.e2e.conftest import AXE_RUN, CHROMIUM_ARGS, PHONE, _axe_source, _chromium_path

DESKTOP = {"width": 1280, "height": 800}
WIDTHS = {"phone": PHONE, "desktop": DESKTOP}

# The demo users of README.md, one per kind of user, and the public.
ROLES = {
    "anonymous": None,
    "manager": "manager@example.org",
    "reporter": "reporter@example.org",
    "member": "member@example.org",
    "reviewer": "reviewer@example.org",
    "applicant": "applicant@example.org",
    "police": "police@example.org",
    "admin": "admin@example.org",
}

# A route is tried with at most this many objects before it counts as not reachable for a role
# (an application in each of its seven states, and one more).
MAX_ATTEMPTS = 8
# A redirect to a login page refuses the role whatever the object: no need to try others.
LOGIN_ROUTES = {"account_login", "admin:login"}


@dataclass(frozen=True)
class Route:
    route: str  # as Django writes it, e.g. "places/<slug:place_slug>/reports/<int:pk>/"
    name: str  # namespaced, "" for an unnamed route
    url_format: str  # "places/%(place_slug)s/reports/%(pk)s/"
    params: tuple[str, ...]

    def url(self, kwargs: dict) -> str:
        return "/" + self.url_format % kwargs


def url_routes(resolver=None, route="", regex="", namespace="") -> list[Route]:
    """Every endpoint of the URL conf, with the format Django's reverse() would fill."""
    resolver = resolver or get_resolver()
    routes = []
    for entry in resolver.url_patterns:
        part = entry.pattern.regex.pattern.removeprefix("^")
        if isinstance(entry, URLResolver):
            inner = f"{namespace}:{entry.namespace}" if entry.namespace else namespace
            routes += url_routes(entry, route + str(entry.pattern), regex + part, inner)
            continue
        ((url_format, params),) = normalize(regex + part)
        name = f"{namespace}:{entry.name}".lstrip(":") if entry.name else ""
        routes.append(Route(route + str(entry.pattern), name, url_format, tuple(params)))
    return routes


# --- Filling a route's parameters with demo objects ---------------------------------------------


def _segment_before(route: str, param: str) -> str:
    """The literal path segment before a parameter: "reports" for reports/<int:pk>/."""
    if f"<{param}>" in route:
        position = route.index(f"<{param}>")
    else:
        position = route.rfind("<", 0, route.index(f":{param}>"))
    pieces = [piece.split("(")[0].lstrip("^") for piece in route[:position].split("/")]
    pieces = [piece for piece in pieces if piece and "<" not in piece]
    return pieces[-1] if pieces else ""


def _varied(queryset, state: str | None = None, limit: int = MAX_ATTEMPTS) -> list:
    """The newest object of each `state`: a page that only some states have (a draft's edit
    form, a submitted application's review) finds one within a few attempts."""
    if state is None:
        return list(queryset.order_by("-pk").values_list("pk", flat=True)[:limit])
    newest = queryset.order_by().values(state).annotate(newest=Max("pk"))
    return sorted((row["newest"] for row in newest), reverse=True)[:limit]


def _place_slug(chosen: dict) -> str:
    return chosen.get("place_slug") or chosen["slug"]


def _places(chosen, user):
    # The place with the most going on shows the most of every page.
    places = Place.objects.visible_to(user) if user else Place.objects.all()
    ranked = places.annotate(events=Count("incidents", distinct=True)).order_by("-events", "pk")
    return list(ranked.values_list("slug", flat=True)[:3])


def _in_place(model, state: str | None = None, prefer: Q | None = None):
    """Objects of the chosen place; with `prefer`, the newest such object first (an action
    item with a photo shows the photo on its page)."""

    def candidates(chosen, user):
        objects = model.objects.filter(place__slug=_place_slug(chosen))
        first = _varied(objects.filter(prefer), limit=1) if prefer is not None else []
        return first + [pk for pk in _varied(objects, state) if pk not in first]

    return candidates


def _applications(chosen, user):
    applications = PartnershipApplication.objects.all()
    return _varied(applications.visible_to(user) if user else applications, "status")


def _of_application(model, state: str | None = None):
    def candidates(chosen, user):
        return _varied(model.objects.filter(application_id=chosen["pk"]), state)

    return candidates


def _collaborators(chosen, user):
    application = PartnershipApplication.objects.get(pk=chosen["pk"])
    return list(application.collaborators.values_list("pk", flat=True)[:MAX_ATTEMPTS])


def _co_applicant_requests(chosen, user):
    parties = ApplicationParty.objects.all()
    return _varied(parties.requests_to(user) if user else parties, "consent")


def _application_steps(chosen, user):
    return list(STEP_KEYS)


def _questions(chosen, user):
    return _varied(Question.objects.filter(survey_id=chosen["pk"]), "kind")


def _text_answers(chosen, user):
    answers = Answer.objects.filter(question__survey_id=chosen["pk"]).exclude(value_text="")
    return _varied(answers, "is_flagged")


def _payments(chosen, user):
    return _varied(Payment.objects.filter(commitment_id=chosen["pk"]))


def _survey_tokens(chosen, user):
    surveys = Survey.objects.filter(is_template=False)
    pks = _varied(surveys, "status")
    return list(surveys.filter(pk__in=pks).order_by("-pk").values_list("public_token", flat=True))


def _invitation_tokens(chosen, user):
    # A pending invitation first (the page an invitee sees), then used ones.
    invitations = Invitation.objects.order_by("-accepted_at", "-revoked_at", "-pk")
    return list(invitations.values_list("token", flat=True)[:2])


def _email_confirmation_keys(chosen, user):
    addresses = EmailAddress.objects.filter(user=user) if user else EmailAddress.objects.all()
    return [EmailConfirmationHMAC(address).key for address in addresses.order_by("pk")[:1]]


def _password_reset_user(chosen, user):
    return [user_pk_to_url_str(user or User.objects.order_by("pk").first())]


def _password_reset_key(chosen, user):
    person = User.objects.get(pk=url_str_to_user_pk(chosen["uidb36"]))
    return [default_token_generator.make_token(person)]


def _admin_app_labels(chosen, user):
    return sorted({model._meta.app_label for model in admin.site._registry})


def _admin_objects(model):
    def candidates(chosen, user):
        return _varied(model._default_manager.all())

    return candidates


def _content_types(chosen, user):
    return [ContentType.objects.get_for_model(Place).pk]


def _viewed_on_site(chosen, user):
    model = ContentType.objects.get(pk=chosen["content_type_id"]).model_class()
    return _varied(model._default_manager.all())


# (the literal segment before the parameter, the parameter) → candidates(chosen, user).
# A new URL parameter must be added here: the crawl fails on one it cannot fill.
KWARG_CANDIDATES: dict[tuple[str, str], Callable] = {
    ("places", "place_slug"): _places,
    ("places", "slug"): _places,
    ("activities", "pk"): _in_place(Activity, "kind"),
    ("action-items", "pk"): _in_place(ActionItem, "status", prefer=~Q(photo="")),
    ("plan", "pk"): _in_place(PlannedActivity),
    ("incidents", "pk"): _in_place(Incident, "visibility"),
    ("import", "pk"): _in_place(IncidentImport, "status"),
    ("reports", "pk"): _in_place(SituationReport, "kind"),
    ("surveys", "pk"): _in_place(Survey, "status"),
    ("questions", "question_pk"): _questions,
    ("answers", "answer_pk"): _text_answers,
    ("invitations", "pk"): _in_place(Invitation, "role"),
    ("people", "pk"): _in_place(PlaceRole, "role"),
    ("organisations", "pk"): _in_place(Membership, "role"),
    ("commitments", "pk"): _in_place(FundingCommitment, "status"),
    ("payments", "payment_pk"): _payments,
    ("applications", "pk"): _applications,
    ("requests", "party_pk"): _co_applicant_requests,
    ("parties", "party_pk"): _of_application(ApplicationParty, "role"),
    ("editors", "user_pk"): _collaborators,
    ("attachments", "attachment_pk"): _of_application(ApplicationAttachment),
    ("edit", "step"): _application_steps,
    ("s", "token"): _survey_tokens,
    ("invitations", "token"): _invitation_tokens,
    ("confirm-email", "key"): _email_confirmation_keys,
    ("key", "uidb36"): _password_reset_user,
    ("key", "key"): _password_reset_key,
    ("admin", "app_label"): _admin_app_labels,
    # The admin's catch-all: an app's address without its slash, which it redirects.
    ("admin", "url"): _admin_app_labels,
    ("r", "content_type_id"): _content_types,
    ("r", "object_id"): _viewed_on_site,
}
# Parameters whose every value is a page of its own (each step of the application form).
EVERY_VALUE = {("edit", "step")}


class UnknownParameter(Exception):
    pass


def _admin_model(route: Route):
    parts = route.route.split("/")
    if parts[0] != "admin" or len(parts) < 3:
        return None
    for model in admin.site._registry:
        if (model._meta.app_label, model._meta.model_name) == (parts[1], parts[2]):
            return model
    return None


def _candidates_for(route: Route, param: str) -> tuple[tuple[str, str], Callable]:
    model = _admin_model(route)
    if model is not None and param in ("object_id", "id"):
        return ("admin", param), _admin_objects(model)
    key = (_segment_before(route.route, param), param)
    if key not in KWARG_CANDIDATES:
        raise UnknownParameter(
            f"The crawl cannot fill <{param}> in {route.route!r}: add {key!r} to "
            "KWARG_CANDIDATES in tests/e2e/crawl.py (which demo object belongs there)."
        )
    return key, KWARG_CANDIDATES[key]


def kwarg_candidates(route: Route, user) -> list[tuple[tuple, dict]]:
    """(variant, kwargs) to try in order; a variant is a distinct page of the route."""
    resolvers = [(param, *_candidates_for(route, param)) for param in route.params]
    found: list[tuple[tuple, dict]] = []
    per_variant: dict[tuple, int] = defaultdict(int)

    def fill(index, chosen, variant):
        if per_variant[variant] >= MAX_ATTEMPTS:
            return
        if index == len(resolvers):
            per_variant[variant] += 1
            found.append((variant, dict(chosen)))
            return
        param, key, candidates = resolvers[index]
        for value in candidates(chosen, user):
            chosen[param] = value
            fill(index + 1, chosen, variant + ((param, value),) if key in EVERY_VALUE else variant)
            del chosen[param]

    fill(0, {}, ())
    return found


# --- Discovery through the test client ----------------------------------------------------------

# Per-request values (CSRF and form tokens) that make the same page differ byte for byte.
_TOKENS = re.compile(
    r'(name="(?:csrfmiddlewaretoken|form_token)" value=")[^"]*|("X-CSRFToken": ")[^"]*'
)


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links = []  # (href, hreflang or "")

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and attrs.get("href"):
            self.links.append((attrs["href"], attrs.get("hreflang") or ""))


@dataclass
class Page:
    url: str
    route: str
    roles: list[str]
    languages: list[str]  # the language cookie it is visited with


@dataclass
class Discovery:
    pages: list[Page] = field(default_factory=list)
    # route → role → what a GET answered ("200 text/html", "405", "302 → …", "no object")
    outcomes: dict = field(default_factory=lambda: defaultdict(dict))
    cookies: dict = field(default_factory=dict)  # role → the session cookie to visit with
    requests: int = 0
    seconds: float = 0.0

    def uncovered(self) -> list[str]:
        """Routes no role could even find: every attempt was a 404, or no object fits.

        A route answering 405, a download or a redirect is fine (it exists and is not a page);
        one that is a 404 for everybody means the crawl picked the wrong objects or the demo
        has none, and the page would go unchecked.
        """
        missing = []
        for route, by_role in self.outcomes.items():
            if all(outcome.startswith(("404", "no object")) for outcome in by_role.values()):
                missing.append(f"{route}: " + "; ".join(f"{r} {o}" for r, o in by_role.items()))
        return missing

    def errors(self) -> list[str]:
        return [
            f"{route} as {role}: {outcome}"
            for route, by_role in self.outcomes.items()
            for role, outcome in by_role.items()
            if outcome.startswith("5")
        ]


def _client_for(user) -> Client:
    client = Client(raise_request_exception=False)
    if user is not None:
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = settings.LANGUAGE_CODE
    return client


def _same_route(match, route: Route) -> bool:
    return match.route.replace("^", "") == route.route.replace("^", "")


def _fetch(client, url: str, route: Route) -> tuple[str, bool, str]:
    """GET a URL as a role: (what it answered, whether it is a page of this route, its HTML).

    Redirects are followed only while they stay on the route (a password reset link moves its
    key into the session); one to another route is that route's page, not this one's.
    """
    response = client.get(url)
    for _hop in range(5):
        if response.status_code not in (301, 302, 303, 307, 308):
            break
        target = urlsplit(response["Location"])
        try:
            match = resolve(target.path)
        except Resolver404:
            return f"{response.status_code} → {target.path}", False, ""
        if match.view_name in LOGIN_ROUTES:
            return f"{response.status_code} → login", False, ""
        if not _same_route(match, route):
            return f"{response.status_code} → {match.route}", False, ""
        response = client.get(target.path + (f"?{target.query}" if target.query else ""))
    content_type = response.get("Content-Type", "").split(";")[0]
    if response.status_code != 200:
        return str(response.status_code), False, ""
    if content_type != "text/html":
        return f"200 {content_type}", False, ""
    html = response.content.decode()
    if "<html" not in html[:2000].lower():
        return "200 text/html without <html> (a fragment with no full-page fallback)", True, html
    return "200 text/html", True, html


def _whatever_the_object(outcome: str) -> bool:
    """The method (405), the content type (a download) or a login wall decide, not the object:
    trying other objects would only answer the same."""
    return outcome.startswith(("405", "200 ")) or outcome.endswith("→ login")


@contextmanager
def _quiet_request_log():
    """Refused methods, missing objects (and the browser's /favicon.ico) are expected answers
    while crawling, not news; server errors are still logged."""
    request_log = logging.getLogger("django.request")
    level = request_log.level
    request_log.setLevel(logging.ERROR)
    try:
        yield
    finally:
        request_log.setLevel(level)


def discover(users: dict) -> Discovery:
    """Find every page of every role: see the module docstring."""
    with _quiet_request_log():
        return _discover(users)


def _discover(users: dict) -> Discovery:
    started = time.monotonic()
    found = Discovery()
    routes = url_routes()
    languages = [code for code, _name in settings.LANGUAGES]
    by_fingerprint: dict[tuple, Page] = {}

    def add(page: Page, html: str) -> Page | None:
        """Keep a new page, or add the role to the same page found for another role (the same
        HTML, tokens masked); returns the page when it is new."""
        fingerprint = hashlib.sha256(_TOKENS.sub(r"\1\2", html).encode()).hexdigest()
        same = by_fingerprint.get((page.url, fingerprint))
        if same:
            same.roles.append(page.roles[0])
            return None
        by_fingerprint[(page.url, fingerprint)] = page
        found.pages.append(page)
        return page

    for role, user in users.items():
        client = _client_for(user)
        if user is not None:
            session = client.cookies[settings.SESSION_COOKIE_NAME].value
            found.cookies[role] = {settings.SESSION_COOKIE_NAME: session}
        for route in routes:
            attempts = kwarg_candidates(route, user)
            if not attempts:
                found.outcomes[route.route][role] = "no object"
                continue
            tried_variants = set()
            outcome = ""
            for variant, kwargs in attempts:
                if variant in tried_variants:
                    continue
                url = route.url(kwargs)
                outcome, is_page, html = _fetch(client, url, route)
                found.requests += 1
                if not is_page:
                    if _whatever_the_object(outcome):
                        break
                    continue
                tried_variants.add(variant)
                page = add(Page(url, route.route, [role], languages), html)
                for version_url, version_languages in _linked_versions(page, html) if page else ():
                    _answer, is_version_page, version_html = _fetch(client, version_url, route)
                    found.requests += 1
                    if is_version_page:
                        version = Page(version_url, route.route, [role], version_languages)
                        add(version, version_html)
                if all(v in tried_variants for v, _k in attempts):
                    break
            found.outcomes[route.route][role] = outcome or "no object"
    found.seconds = time.monotonic() - started
    return found


def _linked_versions(page: Page, html: str) -> list[tuple[str, list[str]]]:
    """Other versions of a page that the page links to, as (URL, languages to visit it in).

    - Its languages (`hreflang`: the public survey), each in that language only.
    - Its states (the same path with a query: a dashboard's last 7 days, a plan's week, a list's
      second page), the first link of each set of query parameters. Not in the Django admin,
      whose filter and sorting links are the same templates on every model.
    """
    parser = _Links()
    parser.feed(html)
    supported = {code for code, _name in settings.LANGUAGES}
    path = urlsplit(page.url).path
    versions, seen = [], {frozenset(parse_qs(urlsplit(page.url).query))}
    for href, language in parser.links:
        url = urljoin(page.url, href)
        if urlsplit(url).path != path or url == page.url:
            continue
        if language:
            versions.append((url, [language if language in supported else settings.LANGUAGE_CODE]))
            continue
        parameters = frozenset(parse_qs(urlsplit(url).query))
        if parameters not in seen and not page.route.startswith("admin/"):
            seen.add(parameters)
            versions.append((url, page.languages))
    return versions


# --- The browser visits --------------------------------------------------------------------------

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
    with _quiet_request_log():
        thread.start()
        thread.join()
    if "error" in outcome:
        raise outcome["error"]
    return outcome["findings"]


async def _crawl(base_url, visits, cookies, concurrency, extra_script):
    # Imported here: without Playwright the test skips (or fails under CI) before calling this.
    from playwright.async_api import async_playwright

    findings: list[Finding] = []
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
                    context = await browser.new_context(viewport=WIDTHS["phone"])
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
                findings.extend(await _visit(page, base_url, visit, errors))
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
