"""Schemathesis against the API's own OpenAPI schema (issue #15): every operation, with
generated parameters and bodies, authenticated with a test token of a manager. No answer may
be a 500, and each answer must match the schema: its status code, content type, headers and
body.

Kept small for CI (a handful of examples per operation, no example database): the point is a
broad sweep on every run, the hostile walk (test_hostile_api.py) covers the known nasties.
"""

import datetime as dt
from collections import Counter

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.utils import timezone
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from schemathesis import checks

from tests import factories as f
from tests.api.conftest import make_token

EXAMPLES_PER_OPERATION = 12
STATUSES = Counter()
CHECKS = [
    checks.not_a_server_error,
    checks.status_code_conformance,
    checks.content_type_conformance,
    checks.response_headers_conformance,
    checks.response_schema_conformance,
]


@pytest.fixture
def known_objects(place_a, manager, property_owner):
    f.MembershipFactory(organisation=property_owner, place=place_a)
    return {
        "incidents": f.IncidentFactory(place=place_a, lat=55.6012, lon=13.0021).pk,
        "activities": f.ActivityFactory(place=place_a).pk,
        "action-items": f.ActionItemFactory(place=place_a).pk,
        "reports": f.SituationReportFactory(place=place_a).pk,
        "surveys": f.SurveyFactory(place=place_a).pk,
    }


@pytest.fixture
def connection_kept_between_requests():
    """As Django's test client does: the end of a request must not close the database
    connection, whose open transaction holds the test's data (on PostgreSQL it would)."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


def test_the_api_answers_as_its_schema_says(
    place_a, manager, known_objects, settings, connection_kept_between_requests
):
    settings.API_RATE_LIMIT_PER_MINUTE = 1_000_000
    _token, secret = make_token(manager)
    schema = schemathesis.openapi.from_wsgi("/api/v1/schema/?format=json", get_wsgi_application())
    auth = {"Authorization": f"Bearer {secret}"}
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 15
    for operation in operations:
        _sweep(operation, place_a.slug, known_objects, auth)
    answered = {(method, path) for method, path, _status in STATUSES}
    assert len(answered) == len(operations)
    assert any(status == 201 for _m, _p, status in STATUSES), "no write was accepted"


def _sweep(operation, place_slug, known_objects, auth):
    @given(case=operation.as_strategy())
    @hypothesis_settings(
        max_examples=EXAMPLES_PER_OPERATION,
        database=None,
        derandomize=True,  # the same examples on every run: CI is repeatable
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )
    def run(case):
        if case.path_parameters and "place_slug" in case.path_parameters:
            case.path_parameters["place_slug"] = place_slug
            # Real objects half the time, so answers other than 404 are checked too.
            name = "id" if "id" in case.path_parameters else "pk"
            pk = case.path_parameters.get(name)
            if isinstance(pk, int) and pk % 2 == 0:
                for segment, known in known_objects.items():
                    if f"/{segment}/{{{name}}}" in operation.path:
                        case.path_parameters[name] = known
        if isinstance(case.body, dict) and len(str(case.body)) % 2 == 0:
            # Half the bodies get a real category or kind and a time that passes, so the
            # answers to writes that are accepted (201) are checked too.
            when = timezone.localtime(timezone.now() - dt.timedelta(hours=1)).isoformat()
            if "category" in case.body:
                case.body.update(category="klotter", occurred_at=when)
            if "kind" in case.body:
                case.body.update(kind="vaktrond", started_at=when, organisations=[])
        response = case.call_and_validate(headers=auth, checks=CHECKS)
        STATUSES[(operation.method.upper(), operation.path, response.status_code)] += 1

    run()
