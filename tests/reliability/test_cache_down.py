"""Redis stopped or hanging: every write is kept and every page serves, uncached (issue #23, 1).

These run without any Redis: the cache points at a port nothing listens on, or at a server that
accepts connections and never answers.
"""

import time

import pytest
from django.core.cache import cache
from django.urls import reverse

from safety.models import Incident
from surveys.models import Response
from tests import clock
from tests.surveys.conftest import answer_data, post_answer, public_url

pytestmark = pytest.mark.django_db


def _incident_form(category):
    return {
        "category": category.pk,
        "occurred_at": clock.local_now().strftime("%Y-%m-%dT%H:%M"),
        "severity": "medium",
        "visibility": "members",
        "description": "Krossad ruta vid busshållplatsen.",
    }


def test_an_incident_is_saved_while_redis_is_down(client, redis_down, reporter, place_a):
    from safety.models import IncidentCategory

    client.force_login(reporter)
    category = IncidentCategory.objects.get(code="skadegorelse")
    response = client.post(
        reverse("safety:incident_create", kwargs={"place_slug": place_a.slug}),
        _incident_form(category),
    )
    assert response.status_code == 302
    assert Incident.objects.filter(place=place_a, category=category).count() == 1


def test_the_dashboard_serves_uncached_while_redis_is_down(client, redis_down, manager, place_a):
    from tests import factories as f

    f.IncidentFactory(place=place_a, occurred_at=clock.local_now())
    client.force_login(manager)
    response = client.get(reverse("places:overview", kwargs={"place_slug": place_a.slug}))
    assert response.status_code == 200
    assert place_a.name in response.content.decode()


def test_people_log_in_while_redis_is_down(client, redis_down, manager):
    # The login limits fail open: people keep working through the outage.
    response = client.post(
        reverse("account_login"), {"login": manager.email, "password": "pw-for-tests-1"}
    )
    assert response.status_code == 302
    assert client.get(reverse("places:home")).status_code == 200


def test_password_reset_mails_are_held_back_while_redis_is_down(client, redis_down, manager):
    # The limits on mail to a typed-in address fail closed: no flooding a stranger's inbox.
    from django.core import mail

    response = client.post(reverse("account_reset_password"), {"email": manager.email})
    assert response.status_code == 429
    assert mail.outbox == []


def test_a_survey_answer_is_saved_while_redis_is_down(client, redis_down, survey, questions):
    response = post_answer(client, survey, answer_data(questions))
    assert response.status_code == 302
    assert response["Location"] == public_url(survey, "thanks/")
    assert Response.objects.filter(survey=survey).count() == 1


def test_a_hanging_redis_costs_one_timeout_then_is_skipped(redis_hanging):
    started = time.monotonic()
    assert cache.get("anything", "default") == "default"
    first = time.monotonic() - started
    assert first < 3  # one socket timeout (1 s), not a hang
    started = time.monotonic()
    for n in range(20):
        cache.set(f"key-{n}", n)
        assert cache.get(f"key-{n}") is None
    assert time.monotonic() - started < 0.5  # skipped while the circuit is open


def test_an_incident_is_saved_while_redis_hangs(client, redis_hanging, reporter, place_a):
    from safety.models import IncidentCategory

    client.force_login(reporter)
    category = IncidentCategory.objects.get(code="klotter")
    started = time.monotonic()
    response = client.post(
        reverse("safety:incident_create", kwargs={"place_slug": place_a.slug}),
        _incident_form(category),
    )
    assert response.status_code == 302
    assert Incident.objects.filter(place=place_a, category=category).count() == 1
    assert time.monotonic() - started < 10


def test_a_real_redis_stopped_mid_session_loses_no_incident(client, settings, reporter, place_a):
    """The same with a real Redis that the test starts, warms and stops (needs redis-server)."""
    from safety.models import IncidentCategory
    from tests.reliability.conftest import _fail_open_cache, _reset_circuit
    from tests.reliability.stack import PrivateRedis

    redis = PrivateRedis()
    try:
        redis.start()
        settings.CACHES = _fail_open_cache(redis.url)
        _reset_circuit()
        client.force_login(reporter)
        dashboard = reverse("places:overview", kwargs={"place_slug": place_a.slug})
        assert client.get(dashboard).status_code == 200  # figures now cached in Redis
        redis.stop()
        category = IncidentCategory.objects.get(code="hot")
        response = client.post(
            reverse("safety:incident_create", kwargs={"place_slug": place_a.slug}),
            _incident_form(category),
        )
        assert response.status_code == 302
        assert Incident.objects.filter(place=place_a, category=category).count() == 1
        assert client.get(dashboard).status_code == 200
    finally:
        redis.close()
        _reset_circuit()
