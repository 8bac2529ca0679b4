"""The place dashboard: same figures as the lägesbild, periods, access, visibility, query counts."""

import datetime as dt
import json
import re

import pytest
from django.urls import reverse

from safety.models import SituationReport
from safety.services.reports import report_generate
from tests import factories as f

from .conftest import local
from .test_dashboard_support import build_place_data, frozen  # noqa: F401

# Pinned at test_dashboard_support.NOW (a known November, see there): every date here is
# relative to that moment, never to the session's frozen clock.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]


def dashboard_url(place, query=""):
    return reverse("places:overview", kwargs={"place_slug": place.slug}) + query


def map_config(response) -> dict:
    """The map's data: the JSON text of the hidden element the map element names."""
    html = response.content.decode()
    assert 'data-map-source="dashboard-map-data"' in html
    match = re.search(r'<div id="dashboard-map-data" hidden>(.*?)</div>', html, re.S)
    return json.loads(match.group(1))


# --- The same figures as the report ----------------------------------------------------------


def test_dashboard_and_report_show_identical_figures_for_the_same_period(
    client, place_a, manager, reader
):
    build_place_data(
        place_a, organisation=manager.organisation, other_organisation=reader.organisation
    )
    report = SituationReport.objects.create(
        place=place_a,
        kind=SituationReport.Kind.MONTHLY,
        period_start=dt.date(2026, 10, 1),
        period_end=dt.date(2026, 11, 1),
    )
    report_generate(report_id=report.pk, notify=False)
    report.refresh_from_db()
    assert report.status == SituationReport.Status.READY

    client.force_login(reader)
    response = client.get(dashboard_url(place_a, "?start=2026-10-01&end=2026-10-31"))

    assert response.status_code == 200
    shown = dict(response.context["figures"])
    frozen_figures = dict(report.figures)
    shown.pop("computed_at")
    frozen_figures.pop("computed_at")
    assert shown == frozen_figures
    assert shown["incidents"]["total"] == 3  # the October incidents of the test data
    # ... and the page shows that number in the incidents tile.
    tile = re.search(r'kpi--incidents.*?kpi__value">([^<]*)<', response.content.decode(), re.S)
    assert tile.group(1).strip() == "3"


# --- Periods ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "start", "end"),
    [
        ("", dt.date(2026, 10, 24), dt.date(2026, 11, 23)),
        ("?period=7d", dt.date(2026, 11, 16), dt.date(2026, 11, 23)),
        ("?period=90d", dt.date(2026, 8, 25), dt.date(2026, 11, 23)),
        ("?period=year", dt.date(2026, 1, 1), dt.date(2026, 11, 23)),
        ("?start=2026-03-01&end=2026-03-31", dt.date(2026, 3, 1), dt.date(2026, 4, 1)),
        (
            "?period=custom&start=2026-11-22&end=2026-11-22",
            dt.date(2026, 11, 22),
            dt.date(2026, 11, 23),
        ),
    ],
)
def test_period_choices_give_whole_local_days(client, place_a, reader, query, start, end):
    client.force_login(reader)
    response = client.get(dashboard_url(place_a, query))
    assert response.status_code == 200
    assert response.context["period"].start == start
    assert response.context["period"].end == end
    assert response.context["figures"]["period"]["start"] == start.isoformat()
    assert response.context["figures"]["period"]["end"] == end.isoformat()


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("?start=2026-11-10&end=2026-11-01", "The last day must be on or after the first day."),
        ("?start=2026-02-30&end=2026-03-01", "Enter a valid date."),
        ("?start=kalle&end=", "Enter a valid date."),
        ("?start=2026-11-01", "Enter the last day of the period."),
        ("?start=2026-11-01&end=2027-01-01", "The period cannot end after today."),
        ("?start=2019-01-01&end=2026-11-01", "Choose a period of at most five years."),
        ("?start=1999-12-31&end=2000-01-31", "Choose a date between 1 January 2000 and"),
        ("?period=forever", "Choose one of the periods offered."),
        ("?start=99999-01-01&end=2026-01-01", "Enter a valid date."),
    ],
)
def test_bad_period_input_gives_a_clear_message_and_the_default_period(
    client, place_a, reader, query, message
):
    client.force_login(reader)
    client.cookies["django_language"] = "en"
    response = client.get(dashboard_url(place_a, query))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert response.context["period"].key == "30d"


def test_period_change_by_htmx_returns_the_fragment_only(client, place_a, reader):
    client.force_login(reader)
    response = client.get(
        dashboard_url(place_a, "?period=7d"),
        headers={"HX-Request": "true", "HX-Target": "dashboard"},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html
    assert 'id="dashboard-period-heading"' in html
    assert "HX-Request" in response["Vary"]
    # The full page at the same URL is the fallback (and what a shared link opens).
    full = client.get(dashboard_url(place_a, "?period=7d")).content.decode()
    assert "<html" in full and 'id="dashboard"' in full
    assert 'hx-push-url="true"' in full
    # Going back after htmx's history cache ran out asks for the page again: the whole page.
    restore = client.get(
        dashboard_url(place_a, "?period=7d"),
        headers={"HX-Request": "true", "HX-History-Restore-Request": "true"},
    )
    assert "<html" in restore.content.decode()


def test_swedish_page_uses_swedish_words_and_number_format(client, place_a, manager, reader):
    build_place_data(place_a, organisation=manager.organisation)
    client.force_login(manager)
    html = client.get(dashboard_url(place_a, "?period=year")).content.decode()
    assert "Incidenter" not in html  # the English word must not leak into Swedish
    assert "Händelser" in html
    assert "250\xa0000 kr" in html  # thousands with a no-break space, "kr" after


# --- Access ----------------------------------------------------------------------------------


@pytest.mark.parametrize("actor", ["manager", "reporter", "reader", "police_reader", "staff"])
def test_everyone_with_a_role_and_staff_see_the_dashboard(client, place_a, actor, request):
    client.force_login(request.getfixturevalue(actor))
    assert client.get(dashboard_url(place_a)).status_code == 200


@pytest.mark.parametrize("actor", ["outsider", "reader_b", "reviewer"])
def test_a_user_without_a_role_at_the_place_gets_404(client, place_a, actor, request):
    client.force_login(request.getfixturevalue(actor))
    assert client.get(dashboard_url(place_a)).status_code == 404


def test_anonymous_visitor_is_sent_to_log_in(client, place_a):
    response = client.get(dashboard_url(place_a))
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_dashboard_only_answers_get(client, place_a, manager):
    client.force_login(manager)
    assert client.post(dashboard_url(place_a)).status_code == 405


def test_unknown_place_is_404(client, manager):
    client.force_login(manager)
    assert client.get("/places/finns-inte/").status_code == 404


# --- Visibility ------------------------------------------------------------------------------


@pytest.fixture
def restricted_and_open(place_a, reporter):
    """Two incidents with positions this week: one for all members, one restricted."""
    open_one = f.IncidentFactory(
        place=place_a, occurred_at=local(2026, 11, 20, 21), lat=55.60111, lon=13.00111
    )
    restricted = f.IncidentFactory(
        place=place_a,
        occurred_at=local(2026, 11, 20, 23),
        lat=55.60222,
        lon=13.00222,
        visibility="restricted",
        reported_by=reporter,
    )
    return open_one, restricted


def test_restricted_incidents_are_not_on_a_readers_map(
    client, place_a, reader, restricted_and_open
):
    client.force_login(reader)
    response = client.get(dashboard_url(place_a, "?period=7d"))
    positions = {(i["lat"], i["lon"]) for i in map_config(response)["incidents"]}
    assert positions == {(55.60111, 13.00111)}
    assert "55.60222" not in response.content.decode()
    # ... but it still counts in the figures.
    assert response.context["figures"]["incidents"]["total"] == 2
    assert response.context["figures"]["incidents"]["restricted"] == 1


@pytest.mark.parametrize("actor", ["manager", "police_reader", "reporter", "staff"])
def test_managers_police_and_the_reporter_see_restricted_incidents_on_the_map(
    client, place_a, restricted_and_open, actor, request
):
    client.force_login(request.getfixturevalue(actor))
    response = client.get(dashboard_url(place_a, "?period=7d"))
    positions = {(i["lat"], i["lon"]) for i in map_config(response)["incidents"]}
    assert positions == {(55.60111, 13.00111), (55.60222, 13.00222)}


def test_the_maps_labels_give_the_local_time_on_both_sides_of_a_clock_change(
    client, place_a, manager
):
    # Summer time ended on the last Sunday of October: 02:30 happened twice that night.
    moments = [
        local(2026, 10, 25, 2, 30, fold=0),  # 00:30 UTC, summer time
        local(2026, 10, 25, 2, 30, fold=1),  # 01:30 UTC, winter time
        local(2026, 11, 20, 23, 59),
    ]
    for n, moment in enumerate(moments):
        f.IncidentFactory(place=place_a, occurred_at=moment, lat=55.6 + n / 1000, lon=13.0)
    client.force_login(manager)
    response = client.get(dashboard_url(place_a, "?period=90d"))
    labels = sorted(i["label"].rsplit(", ", 1)[1] for i in map_config(response)["incidents"])
    assert labels == ["2026-10-25 02:30", "2026-10-25 02:30", "2026-11-20 23:59"]


def test_open_action_items_are_on_the_map_and_listed(client, place_a, reader):
    f.ActionItemFactory(
        place=place_a, lat=55.6015, lon=13.0025, description="Trasig belysning i gången."
    )
    f.ActionItemFactory(place=place_a, lat=55.6016, lon=13.0026, status="resolved")
    client.force_login(reader)
    response = client.get(dashboard_url(place_a))
    items = map_config(response)["actionItems"]
    assert [(i["lat"], i["lon"]) for i in items] == [(55.6015, 13.0025)]
    assert "Trasig belysning i gången." in response.content.decode()


@pytest.mark.parametrize(
    ("language", "incident_label", "action_item_label"),
    [("sv", "Skadegörelse", "Belysning (Öppen)"), ("en", "Vandalism", "Lighting (Open)")],
)
def test_the_maps_labels_and_the_list_are_in_the_readers_language(
    client, place_a, reader, language, incident_label, action_item_label
):
    category = f.IncidentCategoryFactory(
        code="map-label-language", name_sv="Skadegörelse", name_en="Vandalism"
    )
    f.IncidentFactory(place=place_a, category=category, lat=55.6011, lon=13.0011)
    f.ActionItemFactory(place=place_a, lat=55.6015, lon=13.0025)
    client.force_login(reader)
    client.cookies["django_language"] = language
    response = client.get(dashboard_url(place_a, "?period=7d"))
    data = map_config(response)
    [incident] = data["incidents"]
    assert incident["label"].split(", ")[0] == incident_label
    assert [item["label"] for item in data["actionItems"]] == [action_item_label]
    # The list beside the map names the same category.
    assert f"<strong>{action_item_label.split(' (')[0]}</strong>" in response.content.decode()


def test_a_member_sees_only_its_own_commitments_and_the_totals(client, place_a, manager, reader):
    build_place_data(
        place_a, organisation=reader.organisation, other_organisation=manager.organisation
    )
    client.force_login(reader)
    response = client.get(dashboard_url(place_a))
    html = response.content.decode()
    assert [c.organisation for c in response.context["commitments"]] == [reader.organisation]
    assert manager.organisation.name not in html
    assert "400\xa0000" not in html  # the other organisation's amount
    assert "650\xa0000 kr" in html  # the total committed, shown to every member


def test_a_manager_sees_every_commitment(client, place_a, manager, reader):
    build_place_data(
        place_a, organisation=reader.organisation, other_organisation=manager.organisation
    )
    client.force_login(manager)
    response = client.get(dashboard_url(place_a))
    assert {c.organisation for c in response.context["commitments"]} == {
        reader.organisation,
        manager.organisation,
    }


def test_latest_reports_are_listed_for_members(client, place_a, place_b, reader):
    f.SituationReportFactory(place=place_a, status="ready")
    f.SituationReportFactory(
        place=place_a,
        status="pending",
        period_start=dt.date(2026, 10, 1),
        period_end=dt.date(2026, 11, 1),
    )
    f.SituationReportFactory(place=place_b, status="ready")
    client.force_login(reader)
    response = client.get(dashboard_url(place_a))
    assert [r.place for r in response.context["reports"]] == [place_a]


def test_the_lists_read_once_per_process_keep_each_persons_access(place_a, manager, staff):
    """The reports and commitments are read by statements built once for staff and once for
    everyone else (`raw_sql.rows_for_viewer`): each still answers for the person asking."""
    from partnerships.queries.funding import commitment_rows
    from safety.queries import latest_reports

    report = f.SituationReportFactory(place=place_a, status="ready")
    f.FundingCommitmentFactory(place=place_a, year=2026, organisation=manager.organisation)
    outsider = f.UserFactory()
    assert [r.pk for r in latest_reports(user=staff, place=place_a)] == [report.pk]
    assert [r.pk for r in latest_reports(user=manager, place=place_a)] == [report.pk]
    assert latest_reports(user=outsider, place=place_a) == []
    assert len(commitment_rows(user=staff, place=place_a, year=2026)) == 1
    assert len(commitment_rows(user=manager, place=place_a, year=2026)) == 1
    assert commitment_rows(user=outsider, place=place_a, year=2026) == []


# --- Speed -----------------------------------------------------------------------------------


def _cold_queries(client, url, count_queries):
    from django.core.cache import cache

    cache.clear()
    with count_queries() as ctx:
        assert client.get(url).status_code == 200
    return len(ctx)


def test_query_count_does_not_grow_with_the_data(
    client, place_a, manager, reader, count_queries, assert_max_queries
):
    client.force_login(manager)
    url = dashboard_url(place_a, "?period=90d")
    build_place_data(place_a, organisation=manager.organisation)
    small = _cold_queries(client, url, count_queries)
    build_place_data(place_a, scale=10, organisation=reader.organisation)
    large = _cold_queries(client, url, count_queries)
    assert large == small
    with assert_max_queries(32):
        client.get(url)  # warm: the figures come from the cache
    with count_queries() as warm:
        client.get(url)
    assert len(warm) < small - 10  # the figures core's queries are saved


def test_changing_the_period_computes_each_period_once(client, place_a, reader, count_queries):
    client.force_login(reader)
    client.get(dashboard_url(place_a, "?period=7d"))
    with count_queries() as first:
        client.get(dashboard_url(place_a, "?period=90d"))
    with count_queries() as again:
        client.get(dashboard_url(place_a, "?period=90d"))
    assert len(again) < len(first)
