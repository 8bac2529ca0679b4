"""Did it work? (issue #18) – on the seeded demo: the square's stair lighting with its interval,
summer visitor counts with incidents per 1,000 visitors, and the reviewer's follow-up with
social outcomes and effects; Swedish and English, axe-core on every page visited."""

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.test import override_settings
from playwright.sync_api import expect

from accounts.models import User
from demo.workspace import last_summer
from partnerships.models import PartnershipApplication
from safety.models import Intervention
from tests import clock
from tests.e2e.conftest import assert_fits_the_screen, axe_check, login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

TEXTS = {
    "sv": {
        "interval": "95 %-intervall",
        "per_1000": "Händelser per 1 000 besökare",
        "outcomes": "Sociala resultat",
        "effects": "Insatser och deras effekt",
        "decreased": "minskade",
    },
    "en": {
        "interval": "95 % interval",
        "per_1000": "Incidents per 1,000 visitors",
        "outcomes": "Social outcomes",
        "effects": "Interventions and their effect",
        "decreased": "decreased",
    },
}


def _visit(page, path):
    page.goto(page.live_server_url + path)
    page.wait_for_load_state("load")
    axe_check(page)
    assert_fits_the_screen(page)


def test_the_demo_shows_effects_visitors_and_social_outcomes(page, phone_page, live_server):
    with override_settings(DEBUG=True):
        call_command("seed_demo", stdout=io.StringIO())
    manager = User.objects.get(email="manager@example.org")
    reviewer = User.objects.get(email="reviewer@example.org")
    lighting = Intervention.objects.get(title="Ny belysning vid trapporna")
    approved = PartnershipApplication.objects.get(status="approved")
    start, end = last_summer(clock.today())
    end = min(end, clock.today())
    summer = f"?start={start.isoformat()}&end={(end - dt.timedelta(days=1)).isoformat()}"
    square = "/places/mollevangstorget"

    for language in ("sv", "en"):
        text = TEXTS[language]
        login(page, manager, language=language)
        # The effect of the stair lighting, with its interval and its sentence.
        _visit(page, f"{square}/interventions/{lighting.pk}/")
        effect = page.locator(f"#effect-{lighting.pk}-title").locator("xpath=..")
        expect(effect).to_contain_text(text["interval"])
        expect(effect).to_contain_text(text["decreased"])
        _visit(page, f"{square}/interventions/")
        # The summer on the dashboard: incidents per 1,000 visitors beside the counts.
        _visit(page, f"{square}/{summer}")
        expect(page.locator(".kpi--per_1000")).to_contain_text(text["per_1000"])
        _visit(page, f"{square}/visitors/")
        _visit(page, f"{square}/funding/")
        expect(page.locator("#outcomes-heading")).to_contain_text(text["outcomes"])
        _visit(page, f"{square}/value-statement/")

        # Malmö stad's reviewer on the follow-up of the approved application.
        login(page, reviewer, language=language)
        _visit(page, f"/applications/{approved.pk}/follow-up/")
        expect(page.locator("#followup-outcomes-heading")).to_contain_text(text["outcomes"])
        expect(page.get_by_text(text["effects"])).to_be_visible()
        expect(page.locator(".effect").first).to_be_visible()

    # The manager's forms.
    login(page, manager, language="sv")
    for path in ("interventions/new/", "visitors/import/", "funding/social-outcomes/new/"):
        _visit(page, f"{square}/{path}")

    # A manager counting visitors on the street, from a phone.
    login(phone_page, manager, language="sv")
    for path in (
        "visitors/new/",
        f"interventions/{lighting.pk}/",
        "interventions/",
        "visitors/",
        "funding/",
        "value-statement/",
        summer,
    ):
        _visit(phone_page, f"{square}/{path}")
    login(phone_page, reviewer, language="en")
    _visit(phone_page, f"/applications/{approved.pk}/follow-up/")
