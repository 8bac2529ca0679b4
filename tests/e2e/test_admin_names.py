"""In the browser: every control of the admin has a name a screen reader can say, taken from
what is written beside it (static/js/admin_a11y.js) — autocomplete comboboxes, the date and
time boxes of a date-time field, fields in a tabular inline's rows."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import axe_check, login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_staff_find_an_activitys_fields_by_their_labels_on_a_phone(phone_page, staff, place_a):
    page = phone_page
    login(page, staff, language="en")
    page.goto(page.live_server_url + "/admin/places/activity/add/")

    # An empty autocomplete field is named by its label; a chosen one adds the choice.
    place = page.get_by_role("combobox", name="Place:", exact=True)
    expect(place).to_be_visible()
    expect(page.get_by_role("searchbox", name="Organisations:")).to_be_visible()
    place.click()
    page.get_by_role("option", name=place_a.name).click()
    expect(page.get_by_role("combobox", name=f"Place: {place_a.name}")).to_be_visible()

    # The two boxes of a date-time field: the field's label and which part it is.
    expect(page.get_by_role("textbox", name="When: Date:")).to_be_visible()
    expect(page.get_by_role("textbox", name="When: Time:")).to_be_visible()
    axe_check(page)


def test_staff_find_each_row_of_a_tabular_inline_by_column_and_person(
    page, staff, place_a, manager
):
    login(page, staff, language="en")
    page.goto(page.live_server_url + f"/admin/places/place/{place_a.pk}/change/")

    # A select in a table row is named by its column header and the row's saved object.
    person = re.escape(manager.full_name)
    role = page.get_by_role("combobox", name=re.compile(rf"^Role {person} – "))
    expect(role).to_have_count(1)
    expect(role).to_have_value("manager")
    delete = page.get_by_role("checkbox", name=re.compile(rf"^Delete\? {person} – "))
    expect(delete).to_have_count(1)
    axe_check(page)
