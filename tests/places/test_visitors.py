"""Visitor counts (issue #18): by hand, from sensors, per day and hour, per 1,000 visitors."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from places.models import VisitorCount
from safety.figures import place_figures
from safety.models import IncidentCategory
from tests import clock
from tests import factories as f


@pytest.fixture
def vandalism(db):
    return IncidentCategory.objects.get(code="skadegorelse")


def _urls(place):
    return {
        "list": reverse("places:visitor_list", kwargs={"place_slug": place.slug}),
        "new": reverse("places:visitor_create", kwargs={"place_slug": place.slug}),
        "import": reverse("safety:visitor_import", kwargs={"place_slug": place.slug}),
    }


def _csv(rows, header="timestamp;count;sensor"):
    body = "\n".join([header, *rows]) + "\n"
    return SimpleUploadedFile("sensor.csv", ("\ufeff" + body).encode(), content_type="text/csv")


def _hour(days_ago, hour):
    return clock.local(clock.today() - dt.timedelta(days=days_ago), hour).strftime("%Y-%m-%d %H:%M")


def test_access_per_view(client, place_a, manager, reporter, reader, outsider):
    urls = _urls(place_a)
    client.force_login(outsider)
    for url in urls.values():
        assert client.get(url).status_code == 404
    client.force_login(reader)
    assert client.get(urls["list"]).status_code == 200
    assert client.get(urls["new"]).status_code == 403
    assert client.get(urls["import"]).status_code == 403
    client.force_login(reporter)
    assert client.get(urls["new"]).status_code == 200
    assert client.get(urls["import"]).status_code == 403
    client.force_login(manager)
    for url in urls.values():
        assert client.get(url).status_code == 200


def test_a_count_by_hand(client, place_a, reporter):
    client.force_login(reporter)
    response = client.post(
        _urls(place_a)["new"],
        {
            "counted_at": clock.local(clock.today(), 15).strftime("%Y-%m-%dT%H:%M"),
            "duration_minutes": 15,
            "people": 80,
            "children": 10,
            "adults": 50,
            "staying": 30,
            "passing": 50,
            "location_note": "Norra sidan av torget",
        },
    )
    assert response.status_code == 302
    count = VisitorCount.objects.get()
    assert (count.people, count.source, count.recorded_by) == (80, "manual", reporter)
    page = client.get(_urls(place_a)["list"]).content.decode()
    assert "Norra sidan av torget" in page


def test_breakdowns_cannot_exceed_the_count(client, place_a, reporter):
    client.force_login(reporter)
    response = client.post(
        _urls(place_a)["new"],
        {
            "counted_at": clock.local(clock.today(), 15).strftime("%Y-%m-%dT%H:%M"),
            "duration_minutes": 15,
            "people": 10,
            "adults": 11,
            "staying": 6,
            "passing": 6,
        },
    )
    assert response.status_code == 400
    assert set(response.context["form"].errors) == {"children", "staying"}
    assert not VisitorCount.objects.exists()


def test_sensor_import_is_idempotent(client, place_a, manager):
    client.force_login(manager)
    rows = [f"{_hour(2, h)};{100 + h};Trappan" for h in range(24)]
    url = _urls(place_a)["import"]
    response = client.post(url, {"file": _csv(rows), "minutes": 60})
    assert response.status_code == 302
    assert VisitorCount.objects.filter(source="sensor").count() == 24
    response = client.post(url, {"file": _csv(rows), "minutes": 60})
    assert response.status_code == 302
    assert VisitorCount.objects.count() == 24


def test_sensor_import_is_all_or_nothing_with_row_errors(client, place_a, manager):
    client.force_login(manager)
    rows = [
        f"{_hour(2, 10)};120;Trappan",
        "inte ett datum;5;Trappan",
        f"{_hour(2, 11)};många;Trappan",
        f"{_hour(2, 10)};99;Trappan",
        f"{_hour(2, 12)};12;sven@example.org",
    ]
    response = client.post(_urls(place_a)["import"], {"file": _csv(rows), "minutes": 60})
    assert response.status_code == 400
    errors = response.context["result"].errors
    assert [row for row, _message in errors] == [3, 4, 5, 6]
    assert not VisitorCount.objects.exists()


def test_sensor_import_keeps_the_import_limits(client, place_a, manager, settings):
    settings.IMPORT_MAX_ROWS = 3
    client.force_login(manager)
    rows = [f"{_hour(2, h)};10;Trappan" for h in range(5)]
    response = client.post(_urls(place_a)["import"], {"file": _csv(rows), "minutes": 60})
    assert response.status_code == 400
    assert "file" in response.context["form"].errors
    assert not VisitorCount.objects.exists()


def test_incidents_per_1000_visitors_on_the_days_with_counts(place_a, vandalism):
    counted = clock.today() - dt.timedelta(days=3)
    for hour in (10, 14):
        VisitorCount.objects.create(
            place=place_a, counted_at=clock.local(counted, hour), people=1000, duration_minutes=60
        )
    for hour in (11, 20):
        f.IncidentFactory(place=place_a, category=vandalism, occurred_at=clock.local(counted, hour))
    # An incident on a day nobody counted does not count in the rate.
    f.IncidentFactory(place=place_a, category=vandalism, occurred_at=clock.days_ago(5))
    figures = place_figures(
        place=place_a, start=clock.today() - dt.timedelta(days=29), end=clock.today()
    )
    visitors = figures["visitors"]
    assert visitors["people"] == 2000
    assert visitors["days_counted"] == 1
    assert visitors["incidents_on_counted_days"] == 2
    assert visitors["per_1000"] == 1.0
    assert visitors["hours"][10] == 1000 and visitors["hours"][14] == 1000


def test_the_dashboard_shows_incidents_per_1000_visitors(client, place_a, reader, vandalism):
    VisitorCount.objects.create(place=place_a, counted_at=clock.days_ago(3), people=500)
    f.IncidentFactory(place=place_a, category=vandalism, occurred_at=clock.days_ago(3))
    client.force_login(reader)
    page = client.get(
        reverse("places:overview", kwargs={"place_slug": place_a.slug})
    ).content.decode()
    assert "Incidents per 1,000 visitors" in page or "Händelser per 1 000 besökare" in page


@pytest.mark.parametrize("size", [1, 10])
def test_the_visitor_page_takes_the_same_queries(client, place_a, reader, size, count_queries):
    VisitorCount.objects.bulk_create(
        [
            VisitorCount(place=place_a, counted_at=clock.days_ago(d % 80, h), people=10 + d)
            for d in range(size * 5)
            for h in (9, 17)
        ]
    )
    client.force_login(reader)
    with count_queries() as ctx:
        assert client.get(_urls(place_a)["list"]).status_code == 200
    assert len(ctx) <= 12
