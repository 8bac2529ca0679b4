"""A double click saves one incident and one activity (issue #23, row 7)."""

import re

import pytest
from django.urls import reverse

from places.models import Activity, ActivityKind
from safety.models import Incident, IncidentCategory
from tests import clock

pytestmark = pytest.mark.django_db


def _form_key(page) -> str:
    found = re.search(r'name="form_key" value="([^"]+)"', page.content.decode())
    assert found, "the create form carries a one-time key"
    return found.group(1)


def _incident_data(**extra):
    return {
        "category": IncidentCategory.objects.get(code="klotter").pk,
        "occurred_at": clock.local_now().strftime("%Y-%m-%dT%H:%M"),
        "severity": "low",
        "visibility": "members",
        "description": "Taggar på elskåpet.",
        **extra,
    }


def test_a_double_click_logs_one_incident(client, reporter, place_a):
    client.force_login(reporter)
    url = reverse("safety:incident_create", kwargs={"place_slug": place_a.slug})
    data = _incident_data(form_key=_form_key(client.get(url)))
    first = client.post(url, data)
    second = client.post(url, data)
    incident = Incident.objects.get(place=place_a)
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"] == incident.get_absolute_url()


def test_a_form_shown_again_with_errors_keeps_its_key(client, reporter, place_a):
    client.force_login(reporter)
    url = reverse("safety:incident_create", kwargs={"place_slug": place_a.slug})
    key = _form_key(client.get(url))
    refused = client.post(url, _incident_data(form_key=key, category=""))
    assert refused.status_code == 200 and _form_key(refused) == key
    client.post(url, _incident_data(form_key=key))
    client.post(url, _incident_data(form_key=key))
    assert Incident.objects.filter(place=place_a).count() == 1


def test_two_forms_log_two_incidents(client, reporter, place_a):
    client.force_login(reporter)
    url = reverse("safety:incident_create", kwargs={"place_slug": place_a.slug})
    client.post(url, _incident_data(form_key=_form_key(client.get(url))))
    client.post(url, _incident_data(form_key=_form_key(client.get(url))))
    assert Incident.objects.filter(place=place_a).count() == 2


def test_a_forged_key_still_saves(client, reporter, place_a):
    client.force_login(reporter)
    url = reverse("safety:incident_create", kwargs={"place_slug": place_a.slug})
    assert client.post(url, _incident_data(form_key="forged")).status_code == 302
    assert Incident.objects.filter(place=place_a).count() == 1


def test_a_double_click_logs_one_activity(client, reporter, place_a):
    client.force_login(reporter)
    url = reverse("places:activity_create", kwargs={"place_slug": place_a.slug})
    data = {
        "kind": ActivityKind.objects.get(code="stadning").pk,
        "started_at": clock.local_now().strftime("%Y-%m-%dT%H:%M"),
        "duration_minutes": "45",
        "participants_count": "3",
        "description": "Plockade skräp runt torget.",
        "location_note": "",
        "lat": "",
        "lon": "",
        "form_key": _form_key(client.get(url)),
    }
    first = client.post(url, data)
    second = client.post(url, data)
    assert first.status_code == second.status_code == 302
    assert Activity.objects.filter(place=place_a).count() == 1
