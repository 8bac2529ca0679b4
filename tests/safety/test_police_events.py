"""The police's public events as external events (issue #15): a recorded feed, no network."""

import datetime as dt
import json
from pathlib import Path
from unittest import mock

import pytest
from django.urls import reverse

from safety import police_events, tasks
from safety.figures import place_figures
from safety.models import ExternalEvent
from tests import factories as f

pytestmark = pytest.mark.django_db

RECORDED = Path(__file__).parent / "data" / "police_events.json"


@pytest.fixture
def feed():
    return json.loads(RECORDED.read_text(encoding="utf-8"))


@pytest.fixture
def square():
    return f.PlaceFactory(municipality="Malmö")


def test_off_without_a_url(settings, square):
    settings.POLICE_EVENTS_URL = ""
    with mock.patch.object(police_events, "fetch_feed") as fetch:
        assert tasks.fetch_police_events()["off"] is True
    fetch.assert_not_called()
    assert not ExternalEvent.objects.exists()


def test_keeps_events_near_the_place_once(settings, feed, square):
    settings.POLICE_EVENTS_URL = "https://polisen.se/api/events"
    settings.POLICE_EVENTS_MUNICIPALITIES = []
    lund = f.PlaceFactory(municipality="Lund", boundary=None, centre_lat=55.70, centre_lon=13.19)
    with mock.patch.object(police_events, "fetch_feed", return_value=feed) as fetch:
        first = tasks.fetch_police_events()
        second = tasks.fetch_police_events()
    assert fetch.call_count == 2
    # Malmö centre (4), Lund (1); Svågertorp is ~7 km away; two events cannot be used.
    assert first == second == {"kept": 5, "skipped": 2}
    assert ExternalEvent.objects.count() == 5
    assert set(square.external_events.values_list("external_id", flat=True)) == {
        "601001",
        "601002",
        "601003",
        "601008",
    }
    assert list(lund.external_events.values_list("external_id", flat=True)) == ["601005"]
    event = ExternalEvent.objects.get(external_id="601001")
    assert event.source == "polisen"
    assert event.kind == "Skadegörelse"
    assert event.url.startswith("https://polisen.se/aktuellt/handelser/")
    assert event.occurred_at == dt.datetime(2026, 11, 28, 21, 40, tzinfo=dt.UTC)
    # A summary naming a person by personnummer is not kept; a foreign link neither.
    assert ExternalEvent.objects.get(external_id="601002").summary == ""
    assert ExternalEvent.objects.get(external_id="601008").url == ""


def test_municipality_filter(settings, feed, square):
    settings.POLICE_EVENTS_URL = "https://polisen.se/api/events"
    settings.POLICE_EVENTS_MUNICIPALITIES = ["Lund"]
    f.PlaceFactory(municipality="Lund", boundary=None, centre_lat=55.70, centre_lon=13.19)
    with mock.patch.object(police_events, "fetch_feed", return_value=feed):
        assert tasks.fetch_police_events()["kept"] == 1
    assert not square.external_events.exists()


def test_feed_error_is_logged_not_raised(settings):
    settings.POLICE_EVENTS_URL = "https://polisen.se/api/events"
    with mock.patch.object(
        police_events.requests, "get", side_effect=police_events.requests.ConnectionError
    ):
        assert tasks.fetch_police_events()["error"] == "ConnectionError"


def test_figures_count_by_type_in_the_period(feed, square):
    police_events.store_events(feed)
    # The recording's own dates: the local days 28–30 November of its year.
    start = dt.date(2026, 11, 28)
    figures = place_figures(place=square, start=start, end=start + dt.timedelta(days=3))
    assert figures["external_events"] == {
        "total": 4,
        "by_kind": [
            {"source": "polisen", "kind": "Skadegörelse", "count": 2},
            {"source": "polisen", "kind": "Brand", "count": 1},
            {"source": "polisen", "kind": "Misshandel", "count": 1},
        ],
    }
    # The period before the recording holds none of them.
    before = place_figures(place=square, start=start - dt.timedelta(days=3), end=start)
    assert before["external_events"] == {"total": 0, "by_kind": []}


def test_dashboard_shows_them_as_a_separate_section(client, feed, square):
    police_events.store_events(feed)
    reader = f.PlaceRoleFactory(place=square).user
    client.force_login(reader)
    url = reverse("places:overview", kwargs={"place_slug": square.slug})
    response = client.get(url + "?start=2026-11-28&end=2026-11-30", HTTP_ACCEPT_LANGUAGE="sv")
    assert response.status_code == 200
    text = response.content.decode()
    assert "Polisens händelser i närheten" in text
    assert "Skadegörelse: 2" in text
    # The screened-out summary is nowhere.
    assert "19701231" not in text
