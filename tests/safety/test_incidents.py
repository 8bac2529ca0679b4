"""Logging, editing and listing incidents; query counts of the list and report pages."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from safety.models import Incident
from safety.services.reports import report_generate
from tests import clock
from tests import factories as f

from .conftest import days_before, local

pytestmark = pytest.mark.django_db


@pytest.fixture
def now():
    """Noon on the frozen day, so that the form's 10:30 is earlier the same day."""
    with time_machine.travel(clock.local(clock.today(), 12), tick=False):
        yield


def at_half_past_ten(days_later=0):
    return f"{clock.today() + dt.timedelta(days=days_later):%Y-%m-%d}T10:30"


def form_data(category_obj, **extra):
    data = {
        "category": category_obj.pk,
        "occurred_at": at_half_past_ten(),
        "severity": "medium",
        "location_note": "Vid busshållplatsen",
        "lat": "",
        "lon": "",
        "description": "Krossad glasruta i väntkuren.",
        "visibility": "members",
    }
    data.update(extra)
    return data


def test_reporter_logs_an_incident(client, now, place_a, reporter, vandalism):
    client.force_login(reporter)
    url = reverse("safety:incident_create", kwargs={"place_slug": place_a.slug})
    response = client.post(
        url, form_data(vandalism, lat="55.60121", lon="13.00211", police_notified="on")
    )
    incident = Incident.objects.get()
    assert response["Location"] == incident.get_absolute_url()
    assert incident.reported_by == reporter
    assert incident.reporting_organisation == reporter.organisation
    assert incident.occurred_at == clock.local(clock.today(), 10, 30)
    assert (incident.severity, incident.police_notified, incident.lat) == ("medium", True, 55.60121)
    page = client.get(response["Location"]).content.decode()
    assert "Krossad glasruta i väntkuren." in page


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ({"description": "Ägaren till bil ABC 123 stod där."}, "description"),
        ({"description": "Mejla kalle@example.org"}, "description"),
        ({"location_note": "Utanför 19121212-1212s port"}, "location_note"),
        ({"occurred_at": at_half_past_ten(days_later=1)}, "occurred_at"),
        ({"occurred_at": "igår"}, "occurred_at"),
        ({"category": ""}, "category"),
        ({"severity": "extreme"}, "severity"),
        ({"lat": "55.6", "lon": ""}, "__all__"),
    ],
)
def test_bad_input_gives_field_errors_and_saves_nothing(
    client, now, place_a, reporter, vandalism, extra, field
):
    client.force_login(reporter)
    url = reverse("safety:incident_create", kwargs={"place_slug": place_a.slug})
    response = client.post(url, form_data(vandalism, **extra))
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not Incident.objects.exists()


def test_manager_edits_an_incident(client, now, place_a, manager, incident, graffiti):
    client.force_login(manager)
    url = reverse("safety:incident_edit", kwargs={"place_slug": place_a.slug, "pk": incident.pk})
    response = client.post(url, form_data(graffiti, visibility="restricted", severity="high"))
    assert response.status_code == 302
    incident.refresh_from_db()
    assert (incident.category, incident.visibility, incident.severity) == (
        graffiti,
        "restricted",
        "high",
    )
    # The author and reporting organisation stay those of the original report.
    assert incident.reporting_organisation.name == "Vakt & Trygg AB"


def list_url(place, **params):
    from urllib.parse import urlencode

    return reverse("safety:incident_list", kwargs={"place_slug": place.slug}) + (
        "?" + urlencode(params) if params else ""
    )


def listed(response):
    return [i.pk for i in response.context["page"].object_list]


def test_list_filters(
    client, place_a, manager, reporter, incident, restricted_incident, vandalism, property_owner
):
    other = f.IncidentFactory(
        place=place_a,
        category=vandalism,
        occurred_at=days_before(80, 12),
        severity="high",
        reporting_organisation=property_owner,
        description="Sönderslagen papperskorg.",
    )
    client.force_login(manager)
    assert listed(client.get(list_url(place_a))) == [incident.pk, restricted_incident.pk, other.pk]
    assert listed(client.get(list_url(place_a, category=vandalism.pk))) == [incident.pk, other.pk]
    assert listed(client.get(list_url(place_a, severity="high"))) == [
        restricted_incident.pk,
        other.pk,
    ]
    assert listed(
        client.get(list_url(place_a, date_from=days_before(20, 0).date().isoformat()))
    ) == [
        incident.pk,
        restricted_incident.pk,
    ]
    assert listed(client.get(list_url(place_a, date_to=days_before(3, 0).date().isoformat()))) == [
        restricted_incident.pk,
        other.pk,
    ]
    assert listed(client.get(list_url(place_a, reporting_organisation=property_owner.pk))) == [
        other.pk
    ]
    assert listed(client.get(list_url(place_a, visibility="restricted"))) == [
        restricted_incident.pk
    ]
    assert listed(client.get(list_url(place_a, q="papperskorg"))) == [other.pk]
    # A bad date is a field error, not a 500.
    response = client.get(list_url(place_a, date_from="not-a-date"))
    assert response.status_code == 200 and response.context["filter"].form.errors


def test_reader_never_sees_restricted_incidents_in_the_list(
    client, place_a, reader, incident, restricted_incident
):
    client.force_login(reader)
    assert listed(client.get(list_url(place_a))) == [incident.pk]
    assert listed(client.get(list_url(place_a, visibility="restricted"))) == []
    assert (
        "Misstänkt narkotikahandel vid trappan"
        not in client.get(list_url(place_a)).content.decode()
    )


# Who sees which incident in the list: the member's own report, a restricted one they
# reported, a restricted one someone else reported.
SEEN_IN_THE_LIST = {
    "manager": {"incident", "restricted_incident", "others_restricted"},
    "staff": {"incident", "restricted_incident", "others_restricted"},
    "police_reader": {"incident", "restricted_incident", "others_restricted"},
    "reporter": {"incident", "restricted_incident"},
    "reader": {"incident"},
    "police_elsewhere": {"incident"},
}


@pytest.mark.parametrize("who", sorted(SEEN_IN_THE_LIST))
def test_the_list_and_its_count_show_each_role_what_it_may_see(
    client, request, place_a, place_b, police_org, incident, restricted_incident, graffiti, who
):
    others_restricted = f.IncidentFactory(
        place=place_a, category=graffiti, occurred_at=days_before(5, 12), visibility="restricted"
    )
    f.IncidentFactory(place=place_b, category=graffiti, occurred_at=days_before(1, 12))
    if who == "police_elsewhere":
        # A reader here who represents the police at another place: the police role there
        # shows nothing restricted here (architecture §4).
        user = request.getfixturevalue("reader")
        f.PlaceRoleFactory(user=user, place=place_b, organisation=police_org)
    else:
        user = request.getfixturevalue(who)
    incidents = {
        "incident": incident,
        "restricted_incident": restricted_incident,
        "others_restricted": others_restricted,
    }
    expected = sorted(
        (incidents[name] for name in SEEN_IN_THE_LIST[who]),
        key=lambda i: (i.occurred_at, i.pk),
        reverse=True,
    )
    client.force_login(user)
    response = client.get(list_url(place_a))
    assert listed(response) == [i.pk for i in expected]
    assert response.context["page"].paginator.count == len(expected)
    # The list agrees with the scoped queryset the API and exports use.
    assert set(Incident.objects.visible_to(user).filter(place=place_a)) == set(expected)


def test_the_date_filters_take_whole_local_days(client, place_a, manager, vandalism):
    day = clock.today() - dt.timedelta(days=10)
    times = {
        "evening before": clock.local(day - dt.timedelta(days=1), 23, 50),
        "just after midnight": clock.local(day, 0, 10),
        "late evening": clock.local(day, 23, 50),
        "next morning": clock.local(day + dt.timedelta(days=1), 0, 10),
    }
    made = {
        name: f.IncidentFactory(place=place_a, category=vandalism, occurred_at=moment).pk
        for name, moment in times.items()
    }
    client.force_login(manager)
    on_the_day = list_url(place_a, date_from=day.isoformat(), date_to=day.isoformat())
    assert listed(client.get(on_the_day)) == [made["late evening"], made["just after midnight"]]
    from_the_day = listed(client.get(list_url(place_a, date_from=day.isoformat())))
    assert made["evening before"] not in from_the_day and made["next morning"] in from_the_day


def test_the_organisation_filter_offers_who_reported_here_or_has_a_role_here(
    client, place_a, place_b, manager, reporter, property_owner, vandalism
):
    former = f.OrganisationFactory(name="Före detta vaktbolaget")  # reported here, no role now
    elsewhere = f.OrganisationFactory(name="Vaktbolaget i stan")  # reported only elsewhere
    f.IncidentFactory(place=place_a, category=vandalism, reporting_organisation=former)
    f.IncidentFactory(place=place_b, category=vandalism, reporting_organisation=elsewhere)
    client.force_login(manager)
    offered = set(
        client.get(list_url(place_a))
        .context["filter"]
        .form.fields["reporting_organisation"]
        .queryset
    )
    assert {former, property_owner, reporter.organisation} <= offered
    assert elsewhere not in offered


def test_htmx_filter_returns_the_results_fragment(client, place_a, reader, incident):
    client.force_login(reader)
    response = client.get(
        list_url(place_a, q="glasruta"),
        headers={"HX-Request": "true", "HX-Target": "incident-results"},
    )
    body = response.content.decode()
    assert "<html" not in body and incident.get_absolute_url() in body


def test_back_button_restore_gets_the_whole_list_page(client, place_a, reader, incident):
    client.force_login(reader)
    response = client.get(
        list_url(place_a, q="glasruta"),
        headers={
            "HX-Request": "true",
            "HX-Target": "incident-results",
            "HX-History-Restore-Request": "true",
        },
    )
    assert "<html" in response.content.decode()
    assert "HX-Request" in response["Vary"]


def test_incident_list_query_count_is_flat(client, place_a, reader, vandalism, count_queries):
    client.force_login(reader)
    f.IncidentFactory.create_batch(3, place=place_a, category=vandalism)
    with count_queries() as small:
        client.get(list_url(place_a))
    orgs = f.OrganisationFactory.create_batch(5)
    for i in range(40):
        f.IncidentFactory(place=place_a, category=vandalism, reporting_organisation=orgs[i % 5])
    with count_queries() as large:
        response = client.get(list_url(place_a))
    assert len(response.context["page"].object_list) == 43
    assert len(large) == len(small) <= 12


def test_report_pages_query_counts_are_flat(client, place_a, reader, vandalism, count_queries):
    client.force_login(reader)
    small_report = report_generate(
        report_id=f.SituationReportFactory(place=place_a).pk, notify=False
    )
    with count_queries() as small_detail:
        client.get(small_report.get_absolute_url())
    with count_queries() as small_list:
        client.get(reverse("safety:report_list", kwargs={"place_slug": place_a.slug}))
    month = clock.month_start(months=-4)
    for day in range(1, 31):
        on = month + dt.timedelta(days=day % 28)  # 30 incidents inside even a February
        f.IncidentFactory(
            place=place_a,
            category=vandalism,
            occurred_at=local(on.year, on.month, on.day, 20),
            lat=55.601 + day / 10000,
            lon=13.002,
        )
    for months_before in range(1, 8):
        f.SituationReportFactory(
            place=place_a,
            period_start=clock.month_start(month, months=-months_before),
            period_end=clock.month_start(month, months=1 - months_before),
            status="ready",
        )
    large_report = report_generate(
        report_id=f.SituationReportFactory(
            place=place_a, period_start=month, period_end=clock.month_start(month, months=1)
        ).pk,
        notify=False,
    )
    with count_queries() as large_detail:
        page = client.get(large_report.get_absolute_url())
    with count_queries() as large_list:
        client.get(reverse("safety:report_list", kwargs={"place_slug": place_a.slug}))
    assert "30" in page.content.decode()
    assert len(large_detail) == len(small_detail) <= 8
    assert len(large_list) == len(small_list) <= 8
