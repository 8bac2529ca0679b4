"""Which routes are pages for which role, found with Django's test client."""

import hashlib
import logging
import re
import time
from collections import defaultdict
from contextlib import contextmanager
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import parse_qs, urljoin, urlsplit

from django.conf import settings
from django.test import Client
from django.urls import resolve
from django.urls.exceptions import Resolver404

from .routes import LOGIN_ROUTES, Route, kwarg_candidates, url_routes

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

# The admin's history and delete confirmation pages are Django's own templates filled with a
# model's name: the first model's stand for every model's (whose list, add and change pages are
# all visited).
_ADMIN_STOCK_PAGE = re.compile(r"^admin/\w+/\w+/<path:object_id>/(history|delete)/$")

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
def quiet_request_log():
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
    with quiet_request_log():
        return _discover(users)


def _discover(users: dict) -> Discovery:
    started = time.monotonic()
    found = Discovery()
    routes = _without_repeated_admin_pages(url_routes())
    languages = [code for code, _name in settings.LANGUAGES]
    by_fingerprint: dict[tuple, Page] = {}

    def languages_for(role: str) -> list[str]:
        """The public's pages in every interface language, the members' in Swedish (see the
        package docstring)."""
        return languages if role == "anonymous" else [settings.LANGUAGE_CODE]

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
                page = add(Page(url, route.route, [role], languages_for(role)), html)
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


def _without_repeated_admin_pages(routes: list[Route]) -> list[Route]:
    kept, seen = [], set()
    for route in routes:
        stock = _ADMIN_STOCK_PAGE.match(route.route)
        if stock and stock[1] in seen:
            continue
        if stock:
            seen.add(stock[1])
        kept.append(route)
    return kept


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
