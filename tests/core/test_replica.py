"""Reads of the dashboard, the overview and the API's lists go to the read replica when there
is one; writes, access checks and read-your-write stay on the primary (issue #20).

The "replica" alias is a test mirror of "default" (tests/settings.py): the same database over a
second connection, so what each connection ran can be counted. Mirrors see committed data only,
hence transactional tests.
"""

import datetime as dt

import pytest
from django.db import connections
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import ApiScope
from accounts.tokens import api_token_create
from amp_platform.replica import ReplicaRouter, replica_reads
from places.models import Place
from safety.models import Incident
from tests import factories as f

pytestmark = pytest.mark.django_db(transaction=True, databases=["default", "replica"])


@pytest.fixture
def replica(settings):
    settings.REPLICA_READS = True
    settings.REPLICA_STICKY_SECONDS = 0  # no lag to wait for unless a test says so


def counted(work):
    with (
        CaptureQueriesContext(connections["default"]) as primary,
        CaptureQueriesContext(connections["replica"]) as copy,
    ):
        result = work()
    return result, len(primary), len(copy)


def test_the_dashboard_reads_its_figures_from_the_replica_and_checks_access_on_the_primary(
    replica, client, place_a, reader
):
    f.IncidentFactory(place=place_a)
    client.force_login(reader)
    url = reverse("places:overview", kwargs={"place_slug": place_a.slug})
    response, primary, copy = counted(lambda: client.get(url))
    assert response.status_code == 200
    assert copy > 10  # the figures core, the map, the lists
    assert 1 <= primary <= 5  # session, user, the place and the role, the bell
    # Warm: nothing to read anywhere but the access check.
    _response, _primary, copy = counted(lambda: client.get(url))
    assert copy == 0


def test_the_overview_and_api_lists_read_from_the_replica(replica, client, place_a, reader):
    client.force_login(reader)
    response, _primary, copy = counted(lambda: client.get(reverse("overview")))
    assert response.status_code == 200 and copy > 0
    _token, token = api_token_create(
        user=reader,
        name="replica",
        scopes=[ApiScope.INCIDENTS_READ],
        expires_at=timezone.now() + dt.timedelta(days=30),
    )
    url = reverse("api:incidents", kwargs={"place_slug": place_a.slug})
    response, _primary, copy = counted(
        lambda: client.get(url, headers={"authorization": f"Bearer {token}"})
    )
    assert response.status_code == 200 and copy > 0


def test_a_person_who_just_wrote_reads_from_the_primary(replica, settings, client, place_a, reader):
    settings.REPLICA_STICKY_SECONDS = 60
    client.force_login(reader)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    url = reverse("places:overview", kwargs={"place_slug": place_a.slug}) + "?period=7d"
    response, primary, copy = counted(lambda: client.get(url))
    assert response.status_code == 200
    assert copy == 0 and primary > 10


def test_data_that_changed_a_moment_ago_is_read_from_the_primary(
    replica, settings, client, place_a, reader
):
    settings.REPLICA_STICKY_SECONDS = 60
    f.IncidentFactory(place=place_a)  # replaces the place's version: it changed just now
    client.force_login(reader)
    url = reverse("places:overview", kwargs={"place_slug": place_a.slug}) + "?period=90d"
    _response, primary, copy = counted(lambda: client.get(url))
    assert copy == 0 and primary > 10


def test_writes_go_to_the_primary_and_nothing_goes_to_the_replica_unasked(replica, place_a):
    router = ReplicaRouter()
    assert router.db_for_read(Place) == "default"
    with replica_reads() as used:
        assert used
        assert router.db_for_read(Place) == "replica"
        assert router.db_for_write(Incident) == "default"
        incident = f.IncidentFactory(place=place_a)
    assert incident._state.db == "default"
    assert router.allow_migrate("replica", "safety") is False


def test_without_a_replica_everything_stays_on_the_primary(client, place_a, reader):
    client.force_login(reader)
    url = reverse("places:overview", kwargs={"place_slug": place_a.slug})
    response, _primary, copy = counted(lambda: client.get(url))
    assert response.status_code == 200 and copy == 0
