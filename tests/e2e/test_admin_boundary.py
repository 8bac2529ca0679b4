"""In the browser: staff draw a place's boundary on the admin map and save it."""

import json

import pytest

from places.models import Place
from tests.e2e.conftest import axe_check, login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_staff_draw_a_boundary_on_the_admin_map(page, staff):
    errors = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    login(page, staff, language="en")
    page.goto(page.live_server_url + "/admin/places/place/add/")
    page.get_by_label("Name:").fill("Rosengårds centrum")
    page.get_by_label("Municipality:").fill("Malmö")
    map_region = page.get_by_role("region", name="Map of the boundary")
    map_region.wait_for()
    axe_check(page)
    errors.clear()  # axe-core's own probes set inline styles, which the CSP reports.

    page.get_by_role("button", name="Draw a new boundary").click()
    box = map_region.bounding_box()
    for dx, dy in [(0.3, 0.3), (0.7, 0.3), (0.7, 0.7), (0.3, 0.7)]:
        page.mouse.click(box["x"] + box["width"] * dx, box["y"] + box["height"] * dy)
    page.get_by_role("button", name="Finish the boundary").click()
    drawn = json.loads(page.get_by_label("Boundary:").input_value())
    assert drawn["type"] == "Polygon"
    assert len(drawn["coordinates"][0]) == 5
    assert drawn["coordinates"][0][0] == drawn["coordinates"][0][-1]

    page.get_by_role("button", name="Save", exact=True).click()
    page.locator(".messagelist .success").wait_for()
    place = Place.objects.get(name="Rosengårds centrum")
    assert place.boundary == drawn
    assert place.centre_lat is not None
    # Nothing was blocked by the Content Security Policy, no script failed.
    assert errors == [], errors
    axe_check(page)

    # The saved boundary is drawn on the map when the place is opened again.
    page.locator("#result_list").get_by_role("link", name="Rosengårds centrum").click()
    page.get_by_role("region", name="Map of the boundary").wait_for()
    assert page.locator(".boundary-map path.boundary-map__shape").count() == 1
    axe_check(page)
