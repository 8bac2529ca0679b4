"""In the browser: a manager adds a webhook from the public page's settings; the secret is shown
once; the page passes axe, in Swedish and English, on a phone."""

import pytest

from places.models import Webhook
from tests.e2e.conftest import axe_check, login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

TEXT = {
    "sv": {
        "manage": "Hantera webhooks",
        "event": "En händelse registreras",
        "add": "Lägg till",
        "pause": "Pausa",
        "paused": "Pausad",
    },
    "en": {
        "manage": "Manage webhooks",
        "event": "An incident is recorded",
        "add": "Add",
        "pause": "Pause",
        "paused": "Paused",
    },
}


@pytest.mark.parametrize("language", ["sv", "en"])
def test_a_manager_adds_and_pauses_a_webhook(phone_page, manager, place_a, language):
    text = TEXT[language]
    page = phone_page
    login(page, manager, language=language)
    page.goto(f"{page.live_server_url}/places/{place_a.slug}/public/")
    page.get_by_role("link", name=text["manage"]).click()
    axe_check(page)
    page.get_by_label("URL").fill("https://est.malmo.example/amp")
    page.get_by_label(text["event"]).check()
    page.get_by_role("button", name=text["add"], exact=True).click()
    hook = Webhook.objects.get(place=place_a)
    assert hook.events == ["incident.created"]
    page.get_by_text(hook.secret).wait_for()
    axe_check(page)
    page.get_by_role("button", name=text["pause"]).click()
    page.get_by_role("cell", name=text["paused"]).wait_for()
    assert hook.secret not in page.content()
    axe_check(page)
