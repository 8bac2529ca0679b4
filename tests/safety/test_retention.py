"""Retention made visible (issue #17): managers see when the place's free text is cleared, and
every nightly run leaves a record of what it cleared for the admin."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from places.models import FreeTextClearance, NameConfirmation
from safety.services import retention
from tests import factories as f

pytestmark = pytest.mark.django_db


def retention_url(place):
    return reverse("safety:place_retention", kwargs={"place_slug": place.slug})


def test_the_nightly_run_records_what_it_cleared(place_a, vandalism, settings):
    settings.FREE_TEXT_RETENTION_DAYS = 100
    now = timezone.now()
    f.IncidentFactory(place=place_a, category=vandalism, occurred_at=now - dt.timedelta(days=101))
    f.IncidentFactory(place=place_a, category=vandalism, occurred_at=now - dt.timedelta(days=99))
    old_confirmation = NameConfirmation.objects.create(
        record="places.Activity", field="description", token="Sven Hedins"
    )
    NameConfirmation.objects.filter(pk=old_confirmation.pk).update(
        confirmed_at=now - dt.timedelta(days=101)
    )
    counts = retention.free_text_clear_expired(now=now)
    assert counts["incidents"] == 1 and counts["name_confirmations"] == 1
    run = FreeTextClearance.objects.get()
    assert run.task == "safety.clear_expired_free_text"
    assert run.counts["incidents"] == 1 and run.total == sum(counts.values())
    assert run.cutoff == now - dt.timedelta(days=100)
    assert not NameConfirmation.objects.exists()


def test_the_survey_run_records_what_it_cleared():
    from surveys.services import answers_clear_expired_text

    assert answers_clear_expired_text() == 0
    run = FreeTextClearance.objects.get()
    assert (run.task, run.counts, run.total) == (
        "surveys.clear_expired_free_text",
        {"survey_answers": 0},
        0,
    )


def test_a_manager_sees_what_is_cleared_within_30_days(
    client, place_a, place_b, manager, vandalism, settings, assert_max_queries
):
    settings.FREE_TEXT_RETENTION_DAYS = 365
    now = timezone.now()
    f.IncidentFactory(place=place_a, category=vandalism, occurred_at=now - dt.timedelta(days=340))
    f.IncidentFactory(place=place_a, category=vandalism, occurred_at=now - dt.timedelta(days=300))
    f.IncidentFactory(place=place_b, category=vandalism, occurred_at=now - dt.timedelta(days=350))
    f.ActivityFactory(place=place_a, started_at=now - dt.timedelta(days=345))
    client.force_login(manager)
    retention.free_text_clear_expired(now=now)
    with assert_max_queries(12):
        response = client.get(retention_url(place_a))
    assert response.status_code == 200
    rows = {row["label"]: row for row in response.context["rows"]}
    assert rows["Händelser"]["count"] == 1  # the other is 65 days away; place B's not here
    assert rows["Händelser"]["clears_on"] == timezone.localdate(
        now - dt.timedelta(days=340) + dt.timedelta(days=365)
    )
    assert rows["Aktiviteter"]["count"] == 1
    page = response.content.decode()
    assert "365 dagar efter händelsen" in page
    assert "Senaste körningen" in page


def test_only_managers_see_the_retention_page(client, place_a, reader, outsider):
    client.force_login(reader)
    assert client.get(retention_url(place_a)).status_code == 403
    client.force_login(outsider)
    assert client.get(retention_url(place_a)).status_code == 404


def test_the_retention_page_is_read_only(client, place_a, manager):
    client.force_login(manager)
    assert client.post(retention_url(place_a)).status_code == 405


def test_managers_find_the_page_and_the_date_on_an_incident(client, place_a, manager, incident):
    client.force_login(manager)
    page = client.get(
        reverse("safety:incident_detail", kwargs={"place_slug": place_a.slug, "pk": incident.pk})
    ).content.decode()
    assert retention_url(place_a) in page
    assert "Beskrivningen och platsen rensas" in page


def test_readers_see_no_retention_link(client, place_a, reader, incident):
    client.force_login(reader)
    page = client.get(
        reverse("safety:incident_detail", kwargs={"place_slug": place_a.slug, "pk": incident.pk})
    ).content.decode()
    assert retention_url(place_a) not in page
