"""Logging activities: the quick-log form, edit/delete rules, the filtered list and the export."""

import csv
import datetime as dt
import io

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from places import services
from places.forms import ActivityForm
from places.models import Activity
from tests import factories as f

pytestmark = pytest.mark.django_db


def url(name, place, **kwargs):
    return reverse(f"places:{name}", kwargs={"place_slug": place.slug, **kwargs})


def form_data(kind, **overrides):
    data = {
        "kind": kind.pk,
        "started_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        "duration_minutes": "45",
        "participants_count": "3",
        "description": "Gick runt torget med polisen.",
        "location_note": "",
        "lat": "",
        "lon": "",
    }
    data.update(overrides)
    return data


# --- Services ------------------------------------------------------------------------------


def test_activity_create_saves_the_activity_with_its_organisations(
    place_a, manager, walk_kind, members
):
    activity = services.activity_create(
        place=place_a,
        actor=manager,
        data={
            "kind": walk_kind,
            "started_at": timezone.now(),
            "duration_minutes": 90,
            "participants_count": 6,
            "description": "Kvällsvandring.",
            "organisations": members,
        },
    )
    activity.refresh_from_db()
    assert activity.logged_by == manager
    assert set(activity.organisations.all()) == set(members)


def test_activity_create_refuses_an_organisation_that_is_not_a_member(
    place_a, manager, walk_kind, members
):
    stranger = f.OrganisationFactory(name="Annan AB")
    with pytest.raises(ValidationError) as error:
        services.activity_create(
            place=place_a,
            actor=manager,
            data={"kind": walk_kind, "started_at": timezone.now(), "organisations": [stranger]},
        )
    assert "Annan AB" in str(error.value.message_dict["organisations"])
    assert not Activity.objects.exists()


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("started_at", lambda: timezone.now() + dt.timedelta(days=2)),
        ("duration_minutes", lambda: 0),
        ("duration_minutes", lambda: 24 * 60 + 1),
        ("description", lambda: "Personen hade personnummer 850709-9805"),
        ("lat", lambda: 59.33),  # Stockholm: far from Malmö, and without a longitude
    ],
)
def test_activity_create_refuses_bad_input_and_saves_nothing(
    place_a, manager, walk_kind, field, value
):
    data = {"kind": walk_kind, "started_at": timezone.now(), field: value()}
    with pytest.raises(ValidationError) as error:
        services.activity_create(place=place_a, actor=manager, data=data)
    assert field in error.value.message_dict
    assert not Activity.objects.exists()


def test_a_pin_just_outside_the_boundary_is_saved_with_a_warning(place_a, manager, walk_kind):
    warning = services.position_warning(place_a, 55.6040, 13.0020)  # ~170 m north of the boundary
    assert "utanför gränsen för Möllevångstorget (cirka 310 m" in warning
    activity = services.activity_create(
        place=place_a,
        actor=manager,
        data={"kind": walk_kind, "started_at": timezone.now(), "lat": 55.6040, "lon": 13.0020},
    )
    assert activity.pk


def test_a_pin_inside_the_boundary_has_no_warning(place_a):
    assert services.position_warning(place_a, 55.6010, 13.0020) is None


def test_a_pin_far_away_is_refused(place_a, manager, walk_kind):
    with pytest.raises(ValidationError) as error:
        services.activity_create(
            place=place_a,
            actor=manager,
            data={"kind": walk_kind, "started_at": timezone.now(), "lat": 59.33, "lon": 18.06},
        )
    assert "Nålen ligger 513 km från Möllevångstorget" in str(error.value.message_dict["lat"])


# --- Form ----------------------------------------------------------------------------------


def test_the_form_defaults_to_now_and_offers_only_member_organisations(place_a, members):
    other = f.OrganisationFactory(name="Inte medlem AB")
    form = ActivityForm(place=place_a)
    started = form.initial["started_at"]
    assert abs((started - timezone.localtime()).total_seconds()) < 120
    offered = list(form.fields["organisations"].queryset)
    assert set(offered) == set(members)
    assert other not in offered


def test_the_form_explains_each_bad_field(place_a, walk_kind, members, settings):
    stranger = f.OrganisationFactory()
    tomorrow_plus = timezone.localtime() + dt.timedelta(days=2)
    form = ActivityForm(
        form_data(
            walk_kind,
            started_at=tomorrow_plus.strftime("%Y-%m-%dT%H:%M"),
            duration_minutes="-5",
            description="Ring 070-123 45 67",
            organisations=[stranger.pk],
            lat="55.6",
        ),
        place=place_a,
    )
    assert not form.is_valid()
    assert "Välj en tidpunkt mellan 1 januari 2000 och" in form.errors["started_at"][0]
    assert "minst 1 minut" in form.errors["duration_minutes"][0]
    assert "ett telefonnummer" in form.errors["description"][0]
    assert form.errors["organisations"]
    assert "både latitud och longitud" in form.errors["lat"][0]


# --- Views ---------------------------------------------------------------------------------


def test_a_reporter_logs_an_activity_from_the_form(
    client, place_a, reporter, cleaning_kind, members
):
    client.force_login(reporter)
    response = client.post(
        url("activity_create", place_a),
        form_data(cleaning_kind, organisations=[members[0].pk], lat="55.6010", lon="13.0020"),
    )
    assert response.status_code == 302
    assert response["Location"] == url("activity_list", place_a)
    activity = Activity.objects.get()
    assert activity.logged_by == reporter
    assert activity.duration_minutes == 45
    assert list(activity.organisations.all()) == [members[0]]
    page = client.get(response["Location"])
    assert "Aktiviteten loggades." in page.content.decode()


def test_logging_a_walk_leads_to_recording_its_findings(client, place_a, manager, walk_kind):
    client.force_login(manager)
    response = client.post(url("activity_create", place_a), form_data(walk_kind))
    activity = Activity.objects.get()
    assert response["Location"] == url("activity_findings", place_a, pk=activity.pk)


def test_bad_input_shows_field_errors_and_saves_nothing(client, place_a, manager, walk_kind):
    client.force_login(manager)
    response = client.post(
        url("activity_create", place_a),
        form_data(walk_kind, description="Bilen ABC 123 stod kvar", duration_minutes="99999"),
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "Texten innehåller ett registreringsnummer (“ABC 123”)" in body
    assert 'aria-invalid="true"' in body
    assert not Activity.objects.exists()


def test_a_pin_outside_the_boundary_is_saved_with_a_visible_warning(
    client, place_a, manager, cleaning_kind
):
    client.force_login(manager)
    response = client.post(
        url("activity_create", place_a),
        form_data(cleaning_kind, lat="55.6040", lon="13.0020"),
        follow=True,
    )
    assert Activity.objects.count() == 1
    assert "message--warning" in response.content.decode()


def test_the_author_edits_their_activity(client, place_a, reporter, cleaning_kind):
    activity = f.ActivityFactory(place=place_a, kind=cleaning_kind, logged_by=reporter)
    client.force_login(reporter)
    response = client.post(
        url("activity_edit", place_a, pk=activity.pk),
        form_data(cleaning_kind, duration_minutes="30", description="Städade efter marknaden."),
    )
    assert response.status_code == 302
    activity.refresh_from_db()
    assert activity.duration_minutes == 30
    assert activity.description == "Städade efter marknaden."


def test_a_manager_deletes_an_activity_and_its_findings_stay(
    client, place_a, manager, activity, action_item
):
    action_item.source_activity = activity
    action_item.save()
    client.force_login(manager)
    confirm = client.get(url("activity_delete", place_a, pk=activity.pk))
    assert confirm.status_code == 200
    response = client.post(url("activity_delete", place_a, pk=activity.pk))
    assert response.status_code == 302
    assert not Activity.objects.filter(pk=activity.pk).exists()
    action_item.refresh_from_db()
    assert action_item.source_activity is None


def test_the_detail_lists_the_walks_findings(client, place_a, reader, activity, action_item):
    action_item.source_activity = activity
    action_item.save()
    client.force_login(reader)
    body = client.get(url("activity_detail", place_a, pk=activity.pk)).content.decode()
    assert action_item.description in body
    assert url("activity_edit", place_a, pk=activity.pk) not in body  # readers get no edit link


def test_the_list_counts_each_walks_findings(client, place_a, reader, manager, walk_kind):
    walk = f.ActivityFactory(place=place_a, kind=walk_kind, logged_by=manager)
    quiet = f.ActivityFactory(
        place=place_a,
        kind=walk_kind,
        logged_by=manager,
        started_at=walk.started_at - dt.timedelta(days=1),
    )
    for _i in range(2):
        f.ActionItemFactory(place=place_a, created_by=manager, source_activity=walk)
    client.force_login(reader)
    response = client.get(url("activity_list", place_a))
    counts = {a.pk: a.findings_count for a in response.context["page_obj"].object_list}
    assert counts == {walk.pk: 2, quiet.pk: 0}
    assert "2 iakttagelser" in response.content.decode()  # Swedish, the default language


# --- List, filters, htmx, export ------------------------------------------------------------


@pytest.fixture
def logged(place_a, manager, walk_kind, cleaning_kind, members):
    owner, city = members
    walk = f.ActivityFactory(
        place=place_a,
        kind=walk_kind,
        started_at=timezone.now() - dt.timedelta(days=40),
        description="Mörk passage bakom biblioteket.",
        logged_by=manager,
    )
    walk.organisations.set([city])
    cleaning = f.ActivityFactory(
        place=place_a,
        kind=cleaning_kind,
        started_at=timezone.now() - dt.timedelta(days=2),
        description="Plockade skräp vid fontänen.",
        logged_by=manager,
    )
    cleaning.organisations.set([owner])
    elsewhere = f.ActivityFactory(kind=cleaning_kind, description="Annan plats.")
    return walk, cleaning, elsewhere


def _titles(response):
    return [a.description for a in response.context["page_obj"].object_list]


def test_the_list_shows_only_this_places_activities_newest_first(client, place_a, reader, logged):
    client.force_login(reader)
    response = client.get(url("activity_list", place_a))
    assert _titles(response) == ["Plockade skräp vid fontänen.", "Mörk passage bakom biblioteket."]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"q": "biblioteket"}, ["Mörk passage bakom biblioteket."]),
        ({"kind": "walk"}, ["Mörk passage bakom biblioteket."]),
        ({"organisation": "owner"}, ["Plockade skräp vid fontänen."]),
        ({"date_from": -10}, ["Plockade skräp vid fontänen."]),
        ({"date_to": -10}, ["Mörk passage bakom biblioteket."]),
        (
            {"date_from": "not-a-date"},
            ["Plockade skräp vid fontänen.", "Mörk passage bakom biblioteket."],
        ),
    ],
)
def test_filters_narrow_the_list(
    client, place_a, reader, logged, walk_kind, members, params, expected
):
    values = {}
    for key, value in params.items():
        if value == "walk":
            value = walk_kind.pk
        elif value == "owner":
            value = members[0].pk
        elif isinstance(value, int):
            value = (timezone.localdate() + dt.timedelta(days=value)).isoformat()
        values[key] = value
    client.force_login(reader)
    response = client.get(url("activity_list", place_a), values)
    assert response.status_code == 200
    assert _titles(response) == expected


def test_htmx_gets_only_the_results_and_a_reload_gets_the_full_page(
    client, place_a, reader, logged
):
    client.force_login(reader)
    fragment = client.get(
        url("activity_list", place_a),
        {"q": "fontänen"},
        HTTP_HX_REQUEST="true",
        HTTP_HX_TARGET="activity-results",
    )
    body = fragment.content.decode()
    assert "<html" not in body and "fontänen" in body and "biblioteket" not in body
    full = client.get(url("activity_list", place_a), {"q": "fontänen"})
    assert "<html" in full.content.decode()
    restore = client.get(
        url("activity_list", place_a),
        {"q": "fontänen"},
        HTTP_HX_REQUEST="true",
        HTTP_HX_TARGET="activity-results",
        HTTP_HX_HISTORY_RESTORE_REQUEST="true",
    )
    assert "<html" in restore.content.decode()
    assert "HX-Request" in fragment["Vary"]


def test_the_list_is_paginated(client, place_a, reader, cleaning_kind):
    f.ActivityFactory.create_batch(30, place=place_a, kind=cleaning_kind)
    client.force_login(reader)
    first = client.get(url("activity_list", place_a))
    assert len(first.context["page_obj"].object_list) == 25
    second = client.get(url("activity_list", place_a), {"page": 2})
    assert len(second.context["page_obj"].object_list) == 5
    assert client.get(url("activity_list", place_a), {"page": "999"}).status_code == 200


def _activity_batch(place, kind, orgs, n):
    for activity in f.ActivityFactory.create_batch(n, place=place, kind=kind):
        activity.organisations.set(orgs)


def test_list_query_count_does_not_grow_with_the_data(
    client, place_a, reader, cleaning_kind, members, count_queries, assert_max_queries
):
    client.force_login(reader)
    _activity_batch(place_a, cleaning_kind, members, 3)
    with count_queries() as small:
        client.get(url("activity_list", place_a), {"kind": cleaning_kind.pk})
    _activity_batch(place_a, cleaning_kind, members, 20)
    with assert_max_queries(len(small)):
        response = client.get(url("activity_list", place_a), {"kind": cleaning_kind.pk})
    assert response.context["page_obj"].paginator.count == 23


def read_csv(response):
    content = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(content), delimiter=";"))


def test_the_export_streams_the_filtered_activities(client, place_a, reader, logged, members):
    client.force_login(reader)
    response = client.get(url("activity_export", place_a), {"q": "biblioteket"})
    assert response.streaming
    assert response["Content-Type"].startswith("text/csv")
    rows = read_csv(response)
    assert rows[0][:2] == ["När", "Typ"]
    assert len(rows) == 2
    assert rows[1][1] == "Trygghetsvandring"
    assert rows[1][4] == members[1].name
    assert rows[1][5] == "Mörk passage bakom biblioteket."


def test_the_export_neutralises_spreadsheet_formulas(client, place_a, reader, cleaning_kind):
    f.ActivityFactory(place=place_a, kind=cleaning_kind, description='=HYPERLINK("http://x")')
    client.force_login(reader)
    rows = read_csv(client.get(url("activity_export", place_a)))
    assert rows[1][5].startswith("'=")


def test_export_query_count_does_not_grow_with_the_data(
    client, place_a, reader, cleaning_kind, members, count_queries, assert_max_queries
):
    client.force_login(reader)
    _activity_batch(place_a, cleaning_kind, members, 2)
    with count_queries() as small:
        read_csv(client.get(url("activity_export", place_a)))
    _activity_batch(place_a, cleaning_kind, members, 25)
    with assert_max_queries(len(small)):
        rows = read_csv(client.get(url("activity_export", place_a)))
    assert len(rows) == 28
