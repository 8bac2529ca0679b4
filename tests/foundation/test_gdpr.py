"""The GDPR pack (issue #17): the register of processing, a person's own data export, account
deletion that keeps the figures, and the plain-language privacy page."""

import csv
import datetime as dt
import io
import json

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone

from partnerships.models import Assessment, Invitation
from places.gdpr import REGISTER, register_of_processing
from places.models import Activity, NameConfirmation, PlaceRole
from places.privacy import validate_no_personal_data
from safety.figures import place_figures
from safety.models import Incident
from tests import factories as f

pytestmark = pytest.mark.django_db
User = get_user_model()
PASSWORD = "pw-for-tests-1"


# --- The register of processing -----------------------------------------------------------


def _points_at_people(model) -> bool:
    for field in model._meta.get_fields():
        if getattr(field, "auto_created", False) and not getattr(field, "concrete", False):
            continue
        if getattr(field, "related_model", None) is User:
            return True
        if validate_no_personal_data in getattr(field, "validators", ()):
            return True
    return False


def test_every_model_that_points_at_a_person_or_holds_free_text_is_in_the_register():
    declared = {entry.model for entry in REGISTER}
    missing = [
        model._meta.label
        for model in apps.get_models()
        if _points_at_people(model) and model._meta.label not in declared
    ]
    assert missing == []


def test_the_register_gives_each_free_text_field_the_retention_from_settings(settings):
    settings.FREE_TEXT_RETENTION_DAYS = 400
    incidents = next(e for e in register_of_processing() if e["model"] == "safety.Incident")
    fields = {field["name"]: field for field in incidents["fields"]}
    assert fields["description"]["retention"] == "Rensas 400 dagar efter när det hände"
    assert fields["reported_by"]["retention"] == "Töms när personen tar bort sitt konto"
    assert "lat" in fields and "severity" not in fields


def test_the_register_is_a_page_and_a_csv_download(client):
    page = client.get(reverse("places:privacy_register"))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Register över behandlingar" in text
    assert str(settings.FREE_TEXT_RETENTION_DAYS) in text
    download = client.get(reverse("places:privacy_register_csv"))
    rows = list(
        csv.reader(io.StringIO(b"".join(download.streaming_content).decode()), delimiter=";")
    )
    assert rows[0][0].lstrip("\ufeff") == "Post"
    assert any(row[5] == "Beskrivning" for row in rows)


def test_the_admin_links_to_the_register(client, staff):
    client.force_login(staff)
    page = client.get(reverse("admin:index")).content.decode()
    assert reverse("places:privacy_register") in page


@pytest.mark.parametrize(
    "language, heading, never",
    [("sv", "Så hanterar vi uppgifter", "IP-adress"), ("en", "How we handle data", "IP address")],
)
def test_the_privacy_page_says_what_is_never_stored(client, language, heading, never):
    client.cookies["django_language"] = language
    page = client.get(reverse("places:privacy"))
    assert page.status_code == 200
    text = page.content.decode()
    assert heading in text
    assert never in text


# --- A person's own data ------------------------------------------------------------------


@pytest.fixture
def logged(place_a, reporter, reader):
    activity = f.ActivityFactory(
        place=place_a, logged_by=reporter, description="Städade kring fontänen."
    )
    incident = f.IncidentFactory(
        place=place_a,
        reported_by=reporter,
        reporting_organisation=reporter.place_roles.get().organisation,
        description="Klotter på elskåpet.",
    )
    f.ActivityFactory(place=place_a, logged_by=reader, description="Någon annans anteckning.")
    return activity, incident


def test_a_member_downloads_their_data_as_json(client, reporter, logged):
    client.force_login(reporter)
    response = client.get(reverse("accounts:data_export", args=["json"]))
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    data = json.loads(b"".join(response.streaming_content))
    sections = data["sections"]
    assert sections["account"][0]["email"] == reporter.email
    assert sections["place_roles"][0]["role"] == "reporter"
    assert [row["note"] for row in sections["activities"]] == ["Städade kring fontänen."]
    assert [row["description"] for row in sections["incidents"]] == ["Klotter på elskåpet."]
    assert sections["assessments"] == []


def test_a_member_downloads_their_data_as_csv(client, reporter, logged):
    client.force_login(reporter)
    response = client.get(reverse("accounts:data_export", args=["csv"]))
    text = b"".join(response.streaming_content).decode()
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))
    assert rows[0] == ["Del", "Rad", "Fält", "Värde"]
    assert ["Aktiviteter du loggat", "1", "note", "Städade kring fontänen."] in rows
    assert "Någon annans anteckning." not in text


def test_the_export_needs_a_login_and_a_known_format(client, reporter):
    response = client.get(reverse("accounts:data_export", args=["json"]))
    assert response.status_code == 302 and "login" in response["Location"]
    client.force_login(reporter)
    assert client.get(reverse("accounts:data_export", args=["xml"])).status_code == 404
    assert client.post(reverse("accounts:data_export", args=["json"])).status_code == 405


# --- Deleting one's account ---------------------------------------------------------------


def _figures(place):
    today = timezone.localdate()
    return place_figures(place=place, start=today - dt.timedelta(days=30), end=today)


def test_a_member_deletes_their_account_and_the_places_figures_are_unchanged(
    client, place_a, reporter, logged, manager
):
    activity, incident = logged
    organisation = incident.reporting_organisation
    Invitation.objects.create(place=place_a, email=reporter.email.upper(), role="reader")
    NameConfirmation.objects.create(
        user=reporter, place=place_a, record="places.Activity", field="description", token="X"
    )
    LogEntry.objects.create(
        user=manager,
        content_type=ContentType.objects.get_for_model(User),
        object_id=str(reporter.pk),
        object_repr=str(reporter),
        action_flag=CHANGE,
        change_message="[]",
    )
    before = _figures(place_a)

    client.force_login(reporter)
    assert client.get(reverse("accounts:account_delete")).status_code == 200
    response = client.post(reverse("accounts:account_delete"), {"password": PASSWORD})
    assert response.status_code == 302

    assert not User.objects.filter(email=reporter.email).exists()
    assert _figures(place_a) == before
    activity.refresh_from_db()
    incident.refresh_from_db()
    assert activity.logged_by is None and activity.description == "Städade kring fontänen."
    assert incident.reported_by is None and incident.reporting_organisation == organisation
    assert not PlaceRole.objects.filter(place=place_a, role="reporter").exists()
    assert not Invitation.objects.exists()
    assert NameConfirmation.objects.get().user is None
    assert LogEntry.objects.get().object_repr == "(borttaget konto)"
    # Signed out: the settings page asks for a login again.
    assert client.get(reverse("accounts:settings")).status_code == 302


def test_a_reviewers_assessments_stay_without_the_reviewer(client, reviewer):
    assessment = f.AssessmentFactory(reviewer=reviewer, comment="Väl förankrat.")
    client.force_login(reviewer)
    client.post(reverse("accounts:account_delete"), {"password": PASSWORD})
    assessment.refresh_from_db()
    assert (assessment.reviewer, assessment.comment) == (None, "Väl förankrat.")


def test_the_last_manager_of_a_place_cannot_delete_the_account(client, place_a, manager):
    client.force_login(manager)
    page = client.get(reverse("accounts:account_delete")).content.decode()
    assert f"Du är den sista platsansvariga för {place_a.name}" in page
    response = client.post(reverse("accounts:account_delete"), {"password": PASSWORD})
    assert response.status_code == 400
    assert User.objects.filter(pk=manager.pk).exists()


def test_a_manager_with_a_co_manager_can_delete_the_account(client, place_a, manager):
    f.PlaceRoleFactory(place=place_a, role="manager")
    client.force_login(manager)
    response = client.post(reverse("accounts:account_delete"), {"password": PASSWORD})
    assert response.status_code == 302
    assert PlaceRole.objects.filter(place=place_a, role="manager").count() == 1


def test_an_administrator_is_removed_by_another(client, staff):
    client.force_login(staff)
    response = client.post(reverse("accounts:account_delete"), {"password": PASSWORD})
    assert response.status_code == 400
    assert "Administratörskonton" in response.content.decode()
    assert User.objects.filter(pk=staff.pk).exists()


def test_a_wrong_password_deletes_nothing(client, reporter):
    client.force_login(reporter)
    response = client.post(reverse("accounts:account_delete"), {"password": "nope"})
    assert response.status_code == 400
    assert "Det är inte ditt lösenord." in response.content.decode()
    assert User.objects.filter(pk=reporter.pk).exists()


def test_deleting_needs_a_login(client):
    response = client.post(reverse("accounts:account_delete"), {"password": PASSWORD})
    assert response.status_code == 302 and "login" in response["Location"]


def test_deleting_takes_a_form_post_only(client, reporter):
    client.force_login(reporter)
    assert client.put(reverse("accounts:account_delete")).status_code == 405
    assert User.objects.filter(pk=reporter.pk).exists()


def test_the_settings_page_offers_the_export_and_deletion(client, reader):
    client.force_login(reader)
    page = client.get(reverse("accounts:settings")).content.decode()
    assert reverse("accounts:data_export", args=["json"]) in page
    assert reverse("accounts:data_export", args=["csv"]) in page
    assert reverse("accounts:account_delete") in page


def test_incidents_keep_counting_for_their_organisation(place_a, reporter, logged):
    _activity, incident = logged
    from accounts.services import account_delete

    account_delete(user=reporter)
    assert Incident.objects.filter(reporting_organisation=incident.reporting_organisation).exists()
    assert Activity.objects.filter(place=place_a).count() == 2
    assert Assessment.objects.count() == 0
