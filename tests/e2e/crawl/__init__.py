"""The accessibility crawl (issue #21): every page each demo user can reach, checked in a browser.

1. `routes.py`: `url_routes()` walks the URL conf; `kwarg_candidates()` fills each route's
   parameters with real objects of the demo data. A parameter it cannot fill fails the crawl
   (and the ordinary test run): a new URL must say which demo object belongs in it.
2. `discovery.py`: `discover()` asks each route, as each role, with Django's test client. A route
   is a page for a role when a GET answers 200 with a full HTML document (after redirects that
   stay on the route); 405 (POST-only actions), other content types (CSV, PDF, images, JSON) and
   redirects elsewhere are not pages — no hand-kept list decides that. The versions a page links
   to are pages too: its languages (`hreflang`) and its states (the same path with a query).
   Pages whose HTML is the same for several roles (tokens masked) are visited once. The
   public's pages (the anonymous role) are visited in every interface language and the
   languages they link to; the members' pages and the admin in Swedish — English adds words,
   not markup, the browser journeys that run in English check those pages with axe-core, and
   visiting every page twice no longer fit CI's 30 minutes.
3. `browser.py`: `crawl()` loads every page in each language at phone width, then widens it to a
   desktop, several pages at once, and collects at each width axe-core violations (WCAG 2.1 A
   and AA), horizontal overflow (naming the widest elements), Content Security Policy
   violations, uncaught script errors and right-to-left languages shown left-to-right.
   `report()` lists them by rule, with the URL pattern, URL, roles, language, width and elements.
"""

from .browser import WIDTHS, Finding, Visit, crawl, report, slowest, visits_of
from .discovery import ROLES, Discovery, Page, discover
from .routes import (
    KWARG_CANDIDATES,
    Route,
    UnknownParameter,
    candidates_for,
    kwarg_candidates,
    url_routes,
)

__all__ = [
    "KWARG_CANDIDATES",
    "ROLES",
    "WIDTHS",
    "Discovery",
    "Finding",
    "Page",
    "Route",
    "UnknownParameter",
    "Visit",
    "candidates_for",
    "crawl",
    "discover",
    "kwarg_candidates",
    "report",
    "slowest",
    "url_routes",
    "visits_of",
]
