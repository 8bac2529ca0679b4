"""Cached rendered pages (issue #20): the dashboard's body, the overview's table and a report's
body come from the cache on a warm request – for the right people, in the right language, gone
the moment something they show changes – and are sent gzip-compressed by splicing."""

import datetime as dt
import gzip
import re
import zlib

import pytest
from django.test import RequestFactory
from django.urls import reverse

from amp_platform.compressed import MARKER, segment, spliced_response
from safety.models import SituationReport
from safety.police_events import store_events
from safety.services.reports import report_generate
from tests import factories as f

from .conftest import local
from .test_dashboard_support import build_place_data, frozen  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]


def dashboard_url(place, query="?period=7d"):
    return reverse("places:overview", kwargs={"place_slug": place.slug}) + query


def body(response) -> str:
    """The page without its per-response CSRF tokens."""
    html = response.content.decode()
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html)
    return re.sub(r'"X-CSRFToken": "[^"]*"', "", html)


# --- Warm requests -----------------------------------------------------------------------------


def test_a_warm_dashboard_is_the_same_page_in_a_few_queries_whatever_the_data(
    client, place_a, manager, reader, assert_max_queries, count_queries
):
    build_place_data(place_a, organisation=manager.organisation)
    client.force_login(manager)
    url = dashboard_url(place_a, "?period=90d")
    cold = client.get(url)
    with count_queries() as small:
        warm = client.get(url)
    assert body(warm) == body(cold)
    # The session (in the database without Redis), the user, the place with the role; the
    # body, the place's version and the bell's count come from the cache.
    assert len(small) <= 3
    build_place_data(place_a, scale=10, organisation=reader.organisation)
    client.get(url)  # the new data replaced the place's version: cold again
    with count_queries() as large:
        client.get(url)
    assert len(large) == len(small)


def test_a_warm_report_page_and_overview_are_the_same_page_in_a_few_queries(
    client, place_a, manager, assert_max_queries
):
    build_place_data(place_a, organisation=manager.organisation)
    report = SituationReport.objects.create(
        place=place_a,
        kind=SituationReport.Kind.MONTHLY,
        period_start=dt.date(2026, 10, 1),
        period_end=dt.date(2026, 11, 1),
    )
    report_generate(report_id=report.pk, notify=False)
    client.force_login(manager)
    url = reverse("safety:report_detail", kwargs={"place_slug": place_a.slug, "pk": report.pk})
    cold = client.get(url)
    assert cold.status_code == 200
    with assert_max_queries(4):  # session, user, place with role, the report
        warm = client.get(url)
    assert body(warm) == body(cold)
    assert "Download PDF" in body(warm) or "Ladda ner PDF" in body(warm)
    cold = client.get(reverse("overview"))
    # Session, user, the user's permissions (two: is this a reviewer?), the places followed and
    # those that open; the table and map come from the cache.
    with assert_max_queries(6):
        warm = client.get(reverse("overview"))
    assert body(warm) == body(cold)
    assert place_a.name in body(warm)


# --- What the role may see and the language ---------------------------------------------------


@pytest.fixture
def restricted(place_a, reporter):
    f.IncidentFactory(place=place_a, occurred_at=local(2026, 11, 20, 21), lat=55.60111, lon=13.0011)
    return f.IncidentFactory(
        place=place_a,
        occurred_at=local(2026, 11, 20, 23),
        lat=55.60222,
        lon=13.00222,
        visibility="restricted",
        reported_by=reporter,
    )


def test_a_body_cached_for_a_manager_is_never_served_to_a_reader(
    client, place_a, manager, reader, reporter, police_reader, restricted
):
    for user, sees in (
        (manager, True),
        (reader, False),
        (police_reader, True),
        (reporter, True),  # their own restricted incident
        (reader, False),
    ):
        client.force_login(user)
        assert ("55.60222" in client.get(dashboard_url(place_a)).content.decode()) is sees


def test_each_member_sees_their_own_organisations_commitments_from_a_warm_cache(
    client, place_a, manager, reader
):
    build_place_data(
        place_a, organisation=reader.organisation, other_organisation=manager.organisation
    )
    client.force_login(manager)
    assert manager.organisation.name in client.get(dashboard_url(place_a)).content.decode()
    client.force_login(reader)
    html = client.get(dashboard_url(place_a)).content.decode()
    assert reader.organisation.name in html
    assert manager.organisation.name not in html


def test_the_language_is_part_of_the_key(client, place_a, reader):
    client.force_login(reader)
    assert "Händelser" in client.get(dashboard_url(place_a)).content.decode()
    client.cookies["django_language"] = "en"
    html = client.get(dashboard_url(place_a)).content.decode()
    assert "Incidents" in html and "Händelser" not in html


def test_a_bad_period_is_not_cached(client, place_a, reader):
    client.force_login(reader)
    client.cookies["django_language"] = "en"
    bad = client.get(dashboard_url(place_a, "?start=kalle&end=")).content.decode()
    assert "kalle" in bad and "Enter a valid date." in bad
    good = client.get(dashboard_url(place_a, "?period=30d")).content.decode()
    assert "kalle" not in good and "Enter a valid date." not in good


# --- Every write shows at once -----------------------------------------------------------------


def test_a_police_event_near_the_place_shows_at_once(client, place_a, reader):
    client.force_login(reader)
    assert "The police's events nearby" not in client.get(dashboard_url(place_a)).content.decode()
    client.cookies["django_language"] = "en"
    assert "The police's events nearby" not in client.get(dashboard_url(place_a)).content.decode()
    store_events(
        [
            {
                "id": 4711,
                "datetime": "2026-11-21 10:15:00 +01:00",
                "name": "21 november, Stöld, Malmö",
                "summary": "En cykel stals.",
                "url": "/aktuellt/handelser/4711",
                "type": "Stöld",
                "location": {"name": place_a.municipality, "gps": "55.6010,13.0010"},
            }
        ],
        radius_m=5000,
    )
    html = client.get(dashboard_url(place_a)).content.decode()
    assert "The police's events nearby" in html and "Stöld: 1" in html
    event = place_a.external_events.get()
    event.places.remove(place_a)
    assert "The police's events nearby" not in client.get(dashboard_url(place_a)).content.decode()


def test_a_new_report_and_a_renamed_organisation_show_at_once(client, place_a, manager, reader):
    build_place_data(
        place_a, organisation=reader.organisation, other_organisation=manager.organisation
    )
    client.force_login(reader)
    client.cookies["django_language"] = "en"

    def reports_section():
        html = client.get(dashboard_url(place_a)).content.decode()
        return html[html.index('id="dashboard-reports-heading"') :]

    before = reports_section()
    report = f.SituationReportFactory(
        place=place_a,
        status="ready",
        period_start=dt.date(2026, 11, 16),
        period_end=dt.date(2026, 11, 23),
        kind="weekly",
    )
    after = reports_section()
    assert report.get_absolute_url() not in before
    assert report.get_absolute_url() in after
    organisation = reader.organisation
    organisation.name = "Torgets Nya Livs AB"
    organisation.save()
    assert "Torgets Nya Livs AB" in client.get(dashboard_url(place_a)).content.decode()


# --- Compression -------------------------------------------------------------------------------


def test_a_spliced_response_is_one_valid_gzip_stream_of_the_whole_page():
    shell = "<html><body><h1>Ö</h1>" + MARKER + "<footer>slut</footer></body></html>"
    cached = segment("<p>Händelser</p>" * 2000)
    request = RequestFactory().get("/", headers={"accept-encoding": "gzip, br"})
    response = spliced_response(request, shell, cached)
    assert response["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response["Vary"]
    expected = shell.replace(MARKER, "<p>Händelser</p>" * 2000).encode()
    assert gzip.decompress(response.content) == expected
    strict = zlib.decompressobj(wbits=31)  # checks the CRC and the length, nothing left over
    assert strict.decompress(response.content) == expected
    assert strict.eof and not strict.unused_data
    assert len(response.content) < len(expected) / 10
    plain = spliced_response(RequestFactory().get("/"), shell, cached)
    assert plain.content == expected and not plain.has_header("Content-Encoding")


def test_the_dashboard_goes_compressed_to_a_browser_that_accepts_it(client, place_a, manager):
    build_place_data(place_a, organisation=manager.organisation)
    client.force_login(manager)
    url = dashboard_url(place_a, "?period=year")
    plain = client.get(url)
    for _i in range(2):  # cold, then warm
        packed = client.get(url, headers={"accept-encoding": "gzip"})
        assert packed["Content-Encoding"] == "gzip"
        html = gzip.decompress(packed.content).decode()
        assert html.rstrip().endswith("</html>") and 'id="dashboard"' in html
        assert len(packed.content) < len(plain.content) / 4
        assert len(packed.content) < 40 * 1024
    fragment = client.get(
        url, headers={"accept-encoding": "gzip", "HX-Request": "true", "HX-Target": "dashboard"}
    )
    assert "<html" not in gzip.decompress(fragment.content).decode()


def test_the_bell_counts_new_and_read_notifications_on_a_warm_dashboard(client, place_a, reader):
    from places.services.notifications import mark_read, notify

    client.force_login(reader)
    url = dashboard_url(place_a)
    assert 'badge--warn">' not in client.get(url).content.decode()
    notify(users=[reader], kind="alert", object_key="alert:1", title="Larm", url="/", place=place_a)
    assert 'badge--warn">1<' in client.get(url).content.decode()
    notify(users=[reader], kind="alert", object_key="alert:2", title="Larm", url="/", place=place_a)
    assert 'badge--warn">2<' in client.get(url).content.decode()
    mark_read(reader)
    assert 'badge--warn">' not in client.get(url).content.decode()
