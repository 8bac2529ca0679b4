"""/overview/ (issue #22): a map of the places with their key figure and a CSV with the
export rules every export follows (`;`, UTF-8 BOM, formula guard)."""

import csv
import io
import json
import re

import pytest
from django.urls import reverse

from places.models import Place
from tests import factories as f

pytestmark = pytest.mark.django_db

EXPORT = reverse("overview_export")


def _csv(response):
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff")
    return list(csv.reader(io.StringIO(body[1:]), delimiter=";"))


def test_the_overview_has_a_map_of_the_places_with_their_key_figure(client, manager, place_a):
    client.force_login(manager)
    html = client.get(reverse("overview")).content.decode()
    data = json.loads(
        re.search(
            r'<script id="overview-map-places" type="application/json">(.*?)</script>', html
        ).group(1)
    )
    (place,) = data
    assert place["name"] == place_a.name and place["url"] == place_a.get_absolute_url()
    assert "incidents/month" in place["figure"] or "händelser/månad" in place["figure"]
    assert "js/map.js" in html and "data-overview-map" in html
    assert f'href="{EXPORT}?sort=name&amp;dir=asc"' in html


def test_the_overview_csv_follows_the_export_rules(client, manager, place_a):
    Place.objects.filter(pk=place_a.pk).update(municipality="=HYPERLINK(1)")
    client.force_login(manager)
    response = client.get(EXPORT)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    rows = _csv(response)
    assert len(rows) == 2
    assert rows[1][0] == place_a.name
    assert rows[1][1] == "'=HYPERLINK(1)"  # the formula guard


def test_the_overview_csv_shows_only_what_the_page_shows(client, outsider, place_a, place_b):
    f.IncidentFactory(place=place_a)
    client.force_login(outsider)
    rows = _csv(client.get(EXPORT))
    assert [row[0] for row in rows[1:]] == [
        p.name for p in Place.objects.visible_to(outsider).order_by("name")
    ]
    assert place_a.name not in {row[0] for row in rows[1:]}


def test_the_overview_csv_needs_a_login(client):
    response = client.get(EXPORT)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_export_keeps_its_queries_flat(client, manager, place_a, django_assert_max_num_queries):
    client.force_login(manager)
    with django_assert_max_num_queries(40) as one:
        _csv(client.get(EXPORT))
    for n in range(10):
        place = f.PlaceFactory(name=f"Plats {n}", slug=f"plats-{n}")
        f.PlaceRoleFactory(place=place, user=manager, role="reader") if hasattr(
            f, "PlaceRoleFactory"
        ) else place.roles.create(user=manager, role="reader")
    with django_assert_max_num_queries(len(one.captured_queries) + 3):
        rows = _csv(client.get(EXPORT))
    assert len(rows) == 12
