"""The police's public events as external events beside a place's own figures (issue #15).

The feed (https://polisen.se/api/events) is a JSON list of events:
    {"id": 123, "datetime": "2026-11-30 10:15:00 +01:00", "name": "30 november 10.15, Stöld, Malmö",
     "summary": "…", "url": "/aktuellt/handelser/…", "type": "Stöld",
     "location": {"name": "Malmö", "gps": "55.604981,13.003822"}}

An event is kept for a place when it is in the place's municipality and its position is inside
the place's boundary or within POLICE_EVENTS_RADIUS_M of the boundary's nearest vertex or the
centre (the police give a town's or district's position, seldom the street's). Events are stored
once per source and id: a second read updates nothing but the places it belongs to. The summary is
screened like any free text; one that holds an identifier of a person is left blank.
"""

import datetime as dt
import logging
from urllib.parse import urljoin

import requests
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction

from amp_platform import raw_sql
from places.geo import boundary_rings, distance_m, point_in_boundary
from places.models import Place
from places.privacy import validate_no_personal_data

from .models import ExternalEvent

logger = logging.getLogger(__name__)

SOURCE = "polisen"
SOURCE_BASE_URL = "https://polisen.se"
MAX_EVENTS = 2000


class FeedError(Exception):
    """The feed could not be read (try again at the next beat)."""


def fetch_feed(url: str) -> list:
    """The feed's events; the one network call (mocked in tests)."""
    try:
        response = requests.get(url, timeout=20, headers={"Accept": "application/json"})
        response.raise_for_status()
        data = response.json()
    except (requests.RequestException, ValueError) as error:
        raise FeedError(type(error).__name__) from error
    if not isinstance(data, list):
        raise FeedError("not a list")
    return data[:MAX_EVENTS]


def _screened(text, max_length: int) -> str:
    text = str(text or "").strip()[:max_length]
    try:
        validate_no_personal_data(text)
    except ValidationError:
        return ""
    return text


def _parse_time(value) -> dt.datetime | None:
    try:
        moment = dt.datetime.strptime(str(value).strip(), "%Y-%m-%d %H:%M:%S %z")
    except ValueError:
        try:
            moment = dt.datetime.fromisoformat(str(value).strip())
        except ValueError:
            return None
    return moment if moment.tzinfo else None


def _parse_gps(value) -> tuple[float, float] | None:
    try:
        lat, lon = (float(part) for part in str(value).split(","))
    except ValueError:
        return None
    if -90 <= lat <= 90 and -180 <= lon <= 180:
        return lat, lon
    return None


def parse_event(raw) -> dict | None:
    """The fields of one feed event, screened; None when it cannot be used."""
    if not isinstance(raw, dict) or raw.get("id") in (None, ""):
        return None
    occurred_at = _parse_time(raw.get("datetime"))
    location = raw.get("location") if isinstance(raw.get("location"), dict) else {}
    position = _parse_gps(location.get("gps"))
    if occurred_at is None or position is None:
        return None
    url = str(raw.get("url") or "")
    url = urljoin(SOURCE_BASE_URL, url) if url else ""
    if not url.startswith(SOURCE_BASE_URL + "/"):
        url = ""
    return {
        "external_id": str(raw["id"])[:100],
        "kind": _screened(raw.get("type"), 100),
        "summary": _screened(raw.get("summary"), 1000),
        "occurred_at": occurred_at,
        "municipality": str(location.get("name") or "")[:100],
        "lat": position[0],
        "lon": position[1],
        "url": url[:500],
    }


def is_near(place, lat: float, lon: float, radius_m: float) -> bool:
    if place.boundary and point_in_boundary(place.boundary, lat, lon):
        return True
    points = [(p[1], p[0]) for ring in boundary_rings(place.boundary) for p in ring]
    if place.centre_lat is not None and place.centre_lon is not None:
        points.append((place.centre_lat, place.centre_lon))
    return any(distance_m(lat, lon, p_lat, p_lon) <= radius_m for p_lat, p_lon in points)


def _matching_places(event: dict, places_by_municipality: dict, radius_m: float) -> list:
    candidates = places_by_municipality.get(event["municipality"].casefold(), [])
    return [p for p in candidates if is_near(p, event["lat"], event["lon"], radius_m)]


def store_events(raw_events: list, *, municipalities=None, radius_m=None) -> dict:
    """Keep the events near a place; idempotent by the source's id."""
    radius_m = settings.POLICE_EVENTS_RADIUS_M if radius_m is None else radius_m
    wanted = {m.casefold() for m in (municipalities or [])}
    places_by_municipality: dict[str, list] = {}
    places = Place.objects.filter(is_active=True).only(
        "id", "municipality", "boundary", "centre_lat", "centre_lon"
    )
    for place in places:
        key = place.municipality.strip().casefold()
        if not wanted or key in wanted:
            places_by_municipality.setdefault(key, []).append(place)
    kept = skipped = 0
    for raw in raw_events:
        event = parse_event(raw)
        if event is None:
            skipped += 1
            continue
        places = _matching_places(event, places_by_municipality, radius_m)
        if not places:
            continue
        with transaction.atomic():
            stored, _created = ExternalEvent.objects.get_or_create(
                source=SOURCE,
                external_id=event.pop("external_id"),
                defaults=event,
            )
            stored.places.add(*places)
        kept += 1
    return {"kept": kept, "skipped": skipped}


def fetch_police_events() -> dict:
    """Read the feed when POLICE_EVENTS_URL is set (the beat task)."""
    if not settings.POLICE_EVENTS_URL:
        return {"kept": 0, "skipped": 0, "off": True}
    return store_events(
        fetch_feed(settings.POLICE_EVENTS_URL),
        municipalities=settings.POLICE_EVENTS_MUNICIPALITIES,
    )


def external_event_figures(place, start: dt.datetime, end: dt.datetime) -> dict:
    """The police's events near the place in [start, end), counted by type: one query."""
    # Written as SQL (issue #20), the statement the ORM built: it cost more than the database.
    places = ExternalEvent.places.through._meta.db_table
    rows = raw_sql.read(
        ExternalEvent,
        f"SELECT e.source, e.kind, COUNT(e.id) FROM {ExternalEvent._meta.db_table} e "
        f"JOIN {places} p ON p.externalevent_id = e.id "
        "WHERE p.place_id = %s AND e.occurred_at >= %s AND e.occurred_at < %s "
        "GROUP BY 1, 2 ORDER BY 3 DESC, 2 ASC",
        [place.pk, raw_sql.param(ExternalEvent, start), raw_sql.param(ExternalEvent, end)],
    )
    by_kind = [{"source": source, "kind": kind, "count": n} for source, kind, n in rows]
    return {"total": sum(r["count"] for r in by_kind), "by_kind": by_kind}
