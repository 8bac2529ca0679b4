"""Names in an imported file (issue #17): identifiers are row errors as before; words that look
like names are listed on the preview and imported only when the manager confirms, once for the
file, that none is a person — each word is then recorded for the data protection officer."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from places.models import NameConfirmation
from safety.models import Incident
from safety.services import imports

pytestmark = pytest.mark.django_db


def guard_file(*descriptions: str) -> bytes:
    day = (timezone.localdate() - dt.timedelta(days=3)).isoformat()
    rows = ["Datum;Tid;Kategori;Beskrivning"]
    rows += [f"{day};22:{10 + n:02d};Skadegörelse;{text}" for n, text in enumerate(descriptions)]
    return ("\n".join(rows) + "\n").encode()


def stored(place, manager, data):
    return imports.incident_import_upload(
        place=place,
        actor=manager,
        organisation=manager.place_roles.get(place=place).organisation,
        filename="vakter.csv",
        data=data,
    )


def preview_url(place, upload):
    return reverse(
        "safety:incident_import_preview", kwargs={"place_slug": place.slug, "pk": upload.pk}
    )


def test_an_identifier_is_a_row_error_and_a_name_is_only_listed(place_a, manager):
    upload = stored(
        place_a,
        manager,
        guard_file("Krossad ruta vid Sven Hedins", "Ring 070-123 45 67 om det händer igen"),
    )
    validation = imports.incident_import_validate(upload=upload, actor=manager)[1]
    assert [error.row for error in validation.errors] == [3]
    assert [(flag.row, flag.column, flag.word) for flag in validation.names] == [
        (2, "Beskrivning", "Sven Hedins")
    ]


def checked_preview(client, url, capture):
    """The preview once the background check (run here on commit) has finished."""
    with capture(execute=True):
        client.get(url)
    return client.get(url).content.decode()


def test_the_manager_confirms_the_listed_words_once_and_they_are_recorded(
    client, place_a, manager, django_capture_on_commit_callbacks
):
    upload = stored(
        place_a,
        manager,
        guard_file("Klotter vid Sven Hedins", "Krossad ruta", "Sven Hedins igen, mer klotter"),
    )
    client.force_login(manager)
    page = checked_preview(client, preview_url(place_a, upload), django_capture_on_commit_callbacks)
    assert "Ord som ser ut som namn på personer" in page
    assert 'name="not_a_person"' in page

    refused = client.post(preview_url(place_a, upload), follow=True)
    assert "bekräfta att orden" in refused.content.decode().lower()
    assert not Incident.objects.exists()
    assert not NameConfirmation.objects.exists()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(preview_url(place_a, upload), {"not_a_person": "1"})
    assert response.status_code == 302
    assert Incident.objects.filter(place=place_a).count() == 3
    confirmation = NameConfirmation.objects.get()  # the same word in two rows: once
    assert (confirmation.token, confirmation.record, confirmation.field) == (
        "Sven Hedins",
        "safety.Incident",
        "description",
    )
    assert (confirmation.user, confirmation.place) == (manager, place_a)
    assert "vakter.csv" in confirmation.field_label


def test_a_file_without_names_needs_no_confirmation(
    client, place_a, manager, django_capture_on_commit_callbacks
):
    upload = stored(place_a, manager, guard_file("Krossad ruta i entrén"))
    client.force_login(manager)
    page = checked_preview(client, preview_url(place_a, upload), django_capture_on_commit_callbacks)
    assert 'name="not_a_person"' not in page
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(preview_url(place_a, upload)).status_code == 302
    assert Incident.objects.count() == 1
