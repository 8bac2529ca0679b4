"""The installable app (issue #16): the service worker, the web app manifest, the queue page and
the token the queue sends with. How queued forms are answered: places/offline.py."""

import hashlib
import json
from functools import lru_cache

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.contrib.staticfiles import finders
from django.http import HttpResponse, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.http import require_GET

from ..offline import offline_page

# Kept on the phone when the service worker installs: what the stored forms need to work.
PRECACHE = (
    "css/app.css",
    "css/workspace.css",
    "css/reports.css",
    "js/app.js",
    "js/forms.js",
    "js/workspace.js",
    "js/incidents.js",
    "js/map.js",
    "js/outbox.js",
    "js/offline.js",
    "vendor/htmx-2.0.11/htmx.min.js",
    "vendor/leaflet-1.9.4/leaflet.js",
    "vendor/leaflet-1.9.4/leaflet.css",
    "img/icons/icon-192.png",
)
ICONS = (
    ("img/icons/icon-192.png", "192x192", "any"),
    ("img/icons/icon-512.png", "512x512", "any"),
    ("img/icons/icon-maskable-512.png", "512x512", "maskable"),
)
THEME_COLOUR = "#0b5a6b"


def _read_worker() -> str:
    with open(finders.find("js/sw.js"), encoding="utf-8") as handle:
        return handle.read()


_cached_worker = lru_cache(maxsize=1)(_read_worker)


def _worker_config() -> tuple[dict, str]:
    precache = [static(path) for path in PRECACHE]
    # Read once per process in production; every time while developing.
    source = _read_worker() if settings.DEBUG else _cached_worker()
    # A new deploy (new static names, a changed worker) is a new version: the browser installs
    # it and the old static cache is dropped.
    version = hashlib.sha256((source + "".join(precache)).encode()).hexdigest()[:12]
    return {
        "version": version,
        "precache": precache,
        "offlineUrl": reverse("places:offline_queue"),
        "outbox": static("js/outbox.js"),
    }, source


@require_GET
@cache_control(max_age=0, no_cache=True)
def service_worker(request):
    """The service worker, served at the site root so its scope is the whole site."""
    config, source = _worker_config()
    body = f"self.AMP = {json.dumps(config)};\n{source}"
    response = HttpResponse(body, content_type="application/javascript")
    response["Service-Worker-Allowed"] = "/"
    return response


@require_GET
@cache_control(max_age=3600, public=True)
def manifest(request):
    """The web app manifest, in the page's language (sv or en)."""
    data = {
        "name": "AMP – " + _("Place partnership"),
        "short_name": "AMP",
        "description": _(
            "Log incidents, activities and findings at your place – also without a connection."
        ),
        "lang": get_language() or settings.LANGUAGE_CODE,
        "dir": "ltr",
        "start_url": "/",
        "scope": "/",
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": THEME_COLOUR,
        "icons": [
            {"src": static(path), "sizes": sizes, "type": "image/png", "purpose": purpose}
            for path, sizes, purpose in ICONS
        ],
    }
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False), content_type="application/manifest+json"
    )
    response["Vary"] = "Cookie, Accept-Language"
    return response


@login_required
@require_GET
@offline_page
def offline_queue(request):
    """ "Väntar på att skickas": the forms saved on this phone, listed by static/js/offline.js
    from the phone's own storage – the server knows nothing of them until they are sent."""
    return render(request, "places/offline_queue.html")


@require_GET
@never_cache
def offline_token(request):
    """A fresh CSRF token for the queue's sends: the one in a stored page may be old."""
    if not request.user.is_authenticated:
        return JsonResponse({"state": "login"}, status=401)
    # `user` tells the queue whose session this is: a form saved by another person on a
    # shared phone waits for them instead of being sent in this session.
    return JsonResponse({"csrf": get_token(request), "user": str(request.user.pk)})
