"""In the browser: a manager makes an API token in Settings (shown once), and the API's
documentation page renders its schema with the strict CSP on, in Swedish and English."""

import pytest
from django.test import Client

from tests.e2e.conftest import axe_check, login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_manager_makes_a_token_and_reads_the_place_with_it(phone_page, manager, place_a):
    page = phone_page
    login(page, manager, language="sv")
    page.goto(page.live_server_url + "/accounts/settings/")
    page.get_by_role("link", name="Hantera API-nycklar").click()
    axe_check(page)
    page.get_by_label("Namn").fill("Vaktbolagets system")
    page.get_by_label("Läsa siffror och lägesbilder").check()
    page.get_by_label("Rapportera händelser").check()
    page.get_by_role("button", name="Skapa nyckel").click()
    secret = page.get_by_label("Nyckel", exact=True).input_value()
    assert secret.startswith("amp_")
    axe_check(page)
    # The token works, as its owner.
    response = Client().get(
        f"/api/v1/places/{place_a.slug}/figures/", headers={"Authorization": f"Bearer {secret}"}
    )
    assert response.status_code == 200
    assert response.json()["place"]["slug"] == place_a.slug
    # Shown once: a reload lists it without the secret.
    page.goto(page.live_server_url + "/accounts/settings/api-tokens/")
    assert secret not in page.content()
    page.get_by_role("button", name="Återkalla Vaktbolagets system").click()
    page.get_by_role("cell", name="Återkallad").wait_for()
    axe_check(page)
    refused = Client().get("/api/v1/places/", headers={"Authorization": f"Bearer {secret}"})
    assert refused.status_code == 401


@pytest.mark.parametrize("language", ["sv", "en"])
def test_the_api_documentation_renders_under_the_csp(page, manager, language):
    errors = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    login(page, manager, language=language)
    page.goto(page.live_server_url + "/api/docs/")
    # Swagger UI has read the schema: the operations are listed.
    page.locator(".opblock-summary-path").first.wait_for(timeout=20_000)
    assert page.locator(".opblock").count() >= 15
    assert not errors, errors
    heading = "API-dokumentation" if language == "sv" else "API documentation"
    assert page.get_by_role("heading", name=heading, level=1).is_visible()
