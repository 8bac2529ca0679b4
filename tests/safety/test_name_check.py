"""A name in an incident is asked about (issue #17; the mechanism: tests/places)."""

import pytest
from django.urls import reverse
from django.utils import timezone

from safety.models import Incident

pytestmark = pytest.mark.django_db


def test_an_incident_with_a_name_is_asked_about(client, place_a, reporter, vandalism):
    client.force_login(reporter)
    url = reverse("safety:incident_create", kwargs={"place_slug": place_a.slug})
    data = {
        "category": vandalism.pk,
        "occurred_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        "severity": "low",
        "location_note": "",
        "lat": "",
        "lon": "",
        "description": "Misstänkt: Ahmed Hassan (känd sedan tidigare)",
        "visibility": "members",
    }
    response = client.post(url, data)
    assert response.status_code == 200
    assert "”Ahmed Hassan” ser ut som namnet på en person" in response.content.decode()
    assert not Incident.objects.exists()
