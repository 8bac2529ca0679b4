"""Names are a soft stop (issue #17): the form asks, the writer removes the name or confirms it
is not a person, and the confirmation is recorded for the data protection officer."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Organisation
from places.models import ActionItem, ActionItemStatusChange, Activity, NameConfirmation
from places.screening import CONFIRM_SUFFIX

pytestmark = pytest.mark.django_db

STREET = "Klotter på elskåpet vid Sven Hedins"


def activity_data(kind, **overrides):
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


def create_url(place):
    return reverse("places:activity_create", kwargs={"place_slug": place.slug})


def test_a_name_is_asked_about_and_nothing_is_saved(client, place_a, manager, walk_kind):
    client.force_login(manager)
    response = client.post(
        create_url(place_a), activity_data(walk_kind, description="Kalle Andersson snattade")
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "”Kalle Andersson” ser ut som namnet på en person" in page
    assert f'name="description{CONFIRM_SUFFIX}" value="Kalle Andersson"' in page
    assert "är inte en person" in page
    assert not Activity.objects.exists()
    assert not NameConfirmation.objects.exists()


def test_a_manager_confirms_a_street_name_and_the_dpo_sees_who_when_and_where(
    client, place_a, manager, walk_kind, staff
):
    client.force_login(manager)
    asked = client.post(create_url(place_a), activity_data(walk_kind, description=STREET))
    assert "”Sven Hedins” ser ut som namnet på en person" in asked.content.decode()

    response = client.post(
        create_url(place_a),
        activity_data(
            walk_kind, description=STREET, **{f"description{CONFIRM_SUFFIX}": "Sven Hedins"}
        ),
    )
    assert response.status_code == 302
    assert Activity.objects.get().description == STREET
    confirmation = NameConfirmation.objects.get()
    assert (confirmation.user, confirmation.place, confirmation.token) == (
        manager,
        place_a,
        "Sven Hedins",
    )
    assert (confirmation.record, confirmation.field) == ("places.Activity", "description")
    assert confirmation.field_label == "Anteckning"
    assert abs(confirmation.confirmed_at - timezone.now()) < dt.timedelta(minutes=1)

    client.force_login(staff)
    admin_page = client.get(reverse("admin:places_nameconfirmation_changelist"))
    assert admin_page.status_code == 200
    text = admin_page.content.decode()
    assert "Sven Hedins" in text and str(manager) in text and place_a.name in text


def test_ticking_a_word_that_was_not_asked_about_changes_nothing(
    client, place_a, manager, walk_kind
):
    client.force_login(manager)
    response = client.post(
        create_url(place_a),
        activity_data(
            walk_kind,
            description="Kalle Andersson snattade",
            **{f"description{CONFIRM_SUFFIX}": "Andersson"},
        ),
    )
    assert response.status_code == 200
    assert not Activity.objects.exists()
    assert not NameConfirmation.objects.exists()


def test_a_confirmed_name_does_not_let_a_phone_number_through(client, place_a, manager, walk_kind):
    client.force_login(manager)
    text = "Sven Hedins, ring 070-123 45 67"
    response = client.post(
        create_url(place_a),
        activity_data(
            walk_kind, description=text, **{f"description{CONFIRM_SUFFIX}": "Sven Hedins"}
        ),
    )
    assert response.status_code == 200
    assert "ett telefonnummer" in response.content.decode()
    assert not Activity.objects.exists()
    assert not NameConfirmation.objects.exists()


def test_a_confirmation_is_kept_while_another_field_is_corrected(
    client, place_a, manager, walk_kind
):
    client.force_login(manager)
    data = activity_data(
        walk_kind,
        description=STREET,
        duration_minutes="0",
        **{f"description{CONFIRM_SUFFIX}": "Sven Hedins"},
    )
    response = client.post(create_url(place_a), data)
    page = response.content.decode()
    assert 'value="Sven Hedins" checked' in page
    assert not NameConfirmation.objects.exists()
    data["duration_minutes"] = "30"
    assert client.post(create_url(place_a), data).status_code == 302
    assert NameConfirmation.objects.count() == 1


def test_names_already_saved_are_not_asked_about_again(client, place_a, manager, activity):
    Activity.objects.filter(pk=activity.pk).update(description=STREET)
    client.force_login(manager)
    url = reverse("places:activity_edit", kwargs={"place_slug": place_a.slug, "pk": activity.pk})
    response = client.post(
        url,
        activity_data(activity.kind, description=STREET + ". Sanerat.", duration_minutes="30"),
    )
    assert response.status_code == 302
    assert not NameConfirmation.objects.exists()


def test_the_platforms_organisations_are_not_people(client, place_a, manager, walk_kind):
    Organisation.objects.create(
        name="Anna Karlsson Fastigheter AB", org_number="556036-0793", kind="property_owner"
    )
    client.force_login(manager)
    response = client.post(
        create_url(place_a),
        activity_data(walk_kind, description="Vandring med Anna Karlsson Fastigheter AB"),
    )
    assert response.status_code == 302


def test_a_walk_finding_confirms_per_row(client, place_a, manager, activity, members):
    client.force_login(manager)
    url = reverse(
        "places:activity_findings", kwargs={"place_slug": place_a.slug, "pk": activity.pk}
    )
    data = {
        "finding-TOTAL_FORMS": "1",
        "finding-INITIAL_FORMS": "0",
        "finding-MIN_NUM_FORMS": "0",
        "finding-MAX_NUM_FORMS": "20",
        "finding-0-category": "klotter",
        "finding-0-description": STREET,
        "finding-0-location_note": "",
        "finding-0-lat": "",
        "finding-0-lon": "",
        "finding-0-responsible_organisation": "",
        "finding-0-due_date": "",
    }
    asked = client.post(url, data)
    assert f'name="finding-0-description{CONFIRM_SUFFIX}"' in asked.content.decode()
    data[f"finding-0-description{CONFIRM_SUFFIX}"] = "Sven Hedins"
    assert client.post(url, data).status_code == 302
    assert ActionItem.objects.get(source_activity=activity).description == STREET
    assert NameConfirmation.objects.get().record == "places.ActionItem"


def test_a_status_note_is_a_plain_form_and_still_recorded(client, place_a, manager, action_item):
    client.force_login(manager)
    url = reverse(
        "places:action_item_status", kwargs={"place_slug": place_a.slug, "pk": action_item.pk}
    )
    data = {"status": "in_progress", "note": "Sanerat vid Sven Hedins"}
    refused = client.post(url, data)
    assert refused.status_code == 400
    assert f'name="note{CONFIRM_SUFFIX}" value="Sven Hedins"' in refused.content.decode()
    assert not ActionItemStatusChange.objects.exists()
    data[f"note{CONFIRM_SUFFIX}"] = "Sven Hedins"
    client.post(url, data)
    assert ActionItemStatusChange.objects.get().note == "Sanerat vid Sven Hedins"
    confirmation = NameConfirmation.objects.get()
    assert (confirmation.record, confirmation.place) == ("places.ActionItemStatusChange", place_a)


def test_the_name_confirmation_admin_is_read_only(client, staff, place_a, manager):
    confirmation = NameConfirmation.objects.create(
        user=manager, place=place_a, record="places.Activity", field="description", token="X"
    )
    client.force_login(staff)
    assert client.get(reverse("admin:places_nameconfirmation_add")).status_code == 403
    change = client.get(reverse("admin:places_nameconfirmation_change", args=[confirmation.pk]))
    assert change.status_code == 200
    assert 'name="token"' not in change.content.decode()
