"""Forms that guide (issue #22): one error summary on every form, one empty-choice wording, and
checks while typing that read the server's own rule data."""

import json
import re

import pytest
from django.urls import reverse

from accounts.bounds import END_BEFORE_START
from places.forms import PlannedActivityForm
from places.services import MAX_PIN_DISTANCE_M, position_warning
from places.workspace import map_config
from tests import clock

pytestmark = pytest.mark.django_db


def test_an_empty_incident_form_shows_the_summary_linked_to_its_fields(client, reporter, place_a):
    client.force_login(reporter)
    url = reverse("safety:incident_create", kwargs={"place_slug": place_a.slug})
    response = client.post(url, {"category": "", "description": "", "occurred_at": ""})
    assert response.status_code == 200
    html = response.content.decode()
    summary = re.search(r'<div class="error-summary".*?</div>', html, re.S).group(0)
    # Announced, focusable (forms.js moves focus to it) and linked to each field.
    assert 'role="alert"' in summary and 'tabindex="-1"' in summary
    assert "data-error-summary" in summary
    assert 'href="#id_category"' in summary
    assert html.count('id="error-summary"') == 1
    assert "js/forms.js" in html  # the static file that moves focus; no inline script
    assert "<script>" not in html


@pytest.mark.parametrize("language,wording", [("sv", "Välj …"), ("en", "Choose …")])
def test_every_empty_choice_has_the_same_wording(client, reporter, place_a, language, wording):
    client.cookies["django_language"] = language
    client.force_login(reporter)
    html = client.get(
        reverse("safety:incident_create", kwargs={"place_slug": place_a.slug})
    ).content.decode()
    assert "---------" not in html
    assert f'<option value="" selected>{wording}</option>' in html


def test_the_signup_form_uses_the_same_summary(client):
    response = client.post(reverse("account_signup"), {"email": "not-an-address"})
    html = response.content.decode()
    assert 'id="error-summary"' in html and 'href="#id_full_name"' in html


def test_end_before_start_is_checked_while_typing_with_the_servers_message(place_a):
    form = PlannedActivityForm(place=place_a)
    attrs = form.fields["ends_on"].widget.attrs
    assert attrs["data-not-before"] == form["starts_on"].auto_id
    assert attrs["data-not-before-message"] == str(END_BEFORE_START)
    bound = PlannedActivityForm(
        {
            "title": "Kvällsvandring",
            "kind": form.fields["kind"].queryset.first().pk,
            "recurrence": "once",
            "starts_on": f"{clock.this_year() + 1}-05-10",
            "ends_on": f"{clock.this_year() + 1}-05-01",
        },
        place=place_a,
    )
    assert not bound.is_valid()
    assert str(END_BEFORE_START) in bound.errors["ends_on"]


def test_the_pin_check_reads_the_rule_the_server_applies(place_a):
    rule = map_config(place_a)["pinRule"]
    assert rule["boundary"] == place_a.boundary
    assert rule["maxDistanceM"] == MAX_PIN_DISTANCE_M
    assert "utanför gränsen" in rule["outside"] or "outside the boundary" in rule["outside"]
    json.dumps(rule)  # rendered with json_script
    # A point just outside the boundary is what the server warns about, too.
    lat, lon = rule["centre"]
    assert position_warning(place_a, lat, lon) is None
    assert position_warning(place_a, lat + 0.01, lon) is not None


def test_a_survey_closes_after_it_opens_also_while_typing():
    from surveys.forms import SurveySettingsForm
    from surveys.models import CLOSES_BEFORE_OPENS

    attrs = SurveySettingsForm(actor=None).fields["closes_at"].widget.attrs
    assert attrs["data-not-before"] == "id_opens_at"
    assert attrs["data-not-before-strict"] == "true"
    assert attrs["data-not-before-message"] == str(CLOSES_BEFORE_OPENS)
