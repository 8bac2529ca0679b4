"""The hostile walk of the API (the pages' walk, tests/core/test_hostile_input.py, leaves the API
to this one): every URL of the `api` namespace, found in the URL conf, gets hostile values in
each query parameter its schema names and hostile JSON bodies on each write, with a token of
every scope. Nothing may answer 500, and every error is the API's JSON."""

import json

import pytest
from django.urls import get_resolver, reverse
from drf_spectacular.generators import SchemaGenerator

from tests import factories as f
from tests.api.conftest import ApiClient, make_token
from tests.core.hostile import ANY, LONG_TEXT, NUL

HOSTILE_BODIES = [
    "",
    "null",
    "[]",
    '"text"',
    "{" * 3000,
    json.dumps({"category": NUL, "occurred_at": "9999-12-31T23:59:00+01:00"}),
    json.dumps({"kind": ["list"], "started_at": {"a": 1}, "organisations": "1"}),
    json.dumps({"organisations": [{"x": 1}], "duration_minutes": "1" + "0" * 40}),
    json.dumps({"lat": "NaN", "lon": "Infinity", "description": LONG_TEXT}),
    json.dumps({"not_a_person": {"description": [1, 2]}, "visibility": 99999999999999999999}),
    json.dumps({"not_a_person": "x", "police_notified": "maybe"}),
    '{"lat": NaN, "lon": 1e999}',
]
HEADERS = [{}, {"Idempotency-Key": "k" * 300}, {"Idempotency-Key": "  "}]


NAMESPACES = ("api", "open311")
OPEN311_PARAMETERS = [
    "jurisdiction_id",
    "service_request_id",
    "service_code",
    "status",
    "start_date",
    "end_date",
    "api_key",
]


def api_routes():
    resolver = get_resolver()
    names = []
    for namespace in NAMESPACES:
        for pattern in resolver.namespace_dict[namespace][1].url_patterns:
            names.append(f"{namespace}:{pattern.name}")
    return sorted(names)


@pytest.fixture
def world(place_a, manager, property_owner):
    f.MembershipFactory(organisation=property_owner, place=place_a)
    incident = f.IncidentFactory(place=place_a, lat=55.6012, lon=13.0021)
    return {
        "place_slug": place_a.slug,
        "pk": {
            "api:incident": incident.pk,
            "api:activity": f.ActivityFactory(place=place_a).pk,
            "api:action_item": f.ActionItemFactory(place=place_a).pk,
            "api:report": f.SituationReportFactory(place=place_a).pk,
            "api:report_pdf": f.SituationReportFactory(place=place_a, kind="weekly").pk,
            "api:survey_results": f.SurveyFactory(place=place_a).pk,
            "open311:request_json": f.ActionItemFactory(place=place_a).pk,
            "open311:request_xml": f.ActionItemFactory(place=place_a).pk,
        },
    }


def _url(name, world):
    pattern_kwargs = {"place_slug": world["place_slug"], "pk": world["pk"].get(name)}
    for kwargs in (
        {},
        {"place_slug": pattern_kwargs["place_slug"]},
        {key: value for key, value in pattern_kwargs.items() if value is not None},
        {"pk": pattern_kwargs["pk"]},
    ):
        try:
            return reverse(name, kwargs=kwargs)
        except Exception:  # noqa: BLE001 - try the next shape of kwargs
            continue
    raise AssertionError(f"{name}: the API walk cannot fill its URL kwargs; add them to world")


def _schema_parameters():
    schema = SchemaGenerator().get_schema(request=None, public=True)
    parameters = {}
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            names = [p["name"] for p in operation.get("parameters", []) if p["in"] == "query"]
            parameters[(path, method)] = names
    return schema, parameters


def test_no_500_from_the_api_whatever_is_sent(world, manager, settings):
    settings.API_RATE_LIMIT_PER_MINUTE = 100_000
    _token, secret = make_token(manager)
    api = ApiClient(secret)
    schema, parameters = _schema_parameters()
    walked = []
    for name in api_routes():
        url = _url(name, world)
        walked.append(name)
        template = next(
            (path for path in schema["paths"] if _matches(path, url)),
            None,
        )
        query = parameters.get((template, "get"), []) + ["cursor", "page_size"]
        if name.startswith("open311:"):
            query = OPEN311_PARAMETERS
        writes = template and "post" in schema["paths"][template]
        if name.startswith("open311:requests_"):
            writes = True
            for value in [*ANY, LONG_TEXT[:3000]]:
                for field in ["jurisdiction_id", "service_code", "lat", "long", "description"]:
                    form = {
                        "jurisdiction_id": world["place_slug"],
                        "service_code": "klotter",
                        "description": "Klotter.",
                        field: value,
                    }
                    response = api.post(url, form, headers={"Authorization": f"Bearer {secret}"})
                    _check(response, f"POST {url} {field}={value[:20]!r}")
        for param in query:
            for value in [*ANY, LONG_TEXT[:3000]]:
                response = api.get(url, {param: value})
                _check(response, f"GET {url}?{param}={value[:20]!r}")
        if writes:
            for body in HOSTILE_BODIES:
                for headers in HEADERS:
                    response = api.generic(
                        "POST",
                        url,
                        body,
                        content_type="application/json",
                        headers={"Authorization": f"Bearer {secret}", **headers},
                    )
                    _check(response, f"POST {url} {body[:40]!r} {headers}")
    assert set(walked) == set(api_routes())


def _matches(template: str, url: str) -> bool:
    parts, actual = template.strip("/").split("/"), url.strip("/").split("/")
    return len(parts) == len(actual) and all(
        p == a or (p.startswith("{") and p.endswith("}"))
        for p, a in zip(parts, actual, strict=True)
    )


def _check(response, what):
    assert response.status_code < 500, what
    if response.status_code >= 400:
        if response["Content-Type"].startswith("text/xml"):
            assert b"<errors>" in response.content, what
            return
        assert response["Content-Type"].startswith("application/"), what
        body = response.json()
        assert "error" in body or body[0]["code"] == response.status_code, what


def test_every_api_url_has_a_token_test():
    """A new API URL is walked here by itself; this fails if the namespace cannot be read."""
    assert "api:incidents" in api_routes() and "api:figures" in api_routes()
