import pytest

pytestmark = pytest.mark.django_db


def test_swedish_by_default_even_for_an_english_browser(client):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response.headers["Content-Language"] == "sv"
    assert "Logga in" in response.content.decode()


def test_the_switch_changes_language_and_remembers_it_on_the_account(client, manager):
    client.force_login(manager)
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    page = client.get("/").content.decode()
    assert "My places" in page
    manager.refresh_from_db()
    assert manager.preferred_language == "en"


def test_a_users_preferred_language_applies_without_a_cookie(client, manager):
    manager.preferred_language = "en"
    manager.save()
    client.force_login(manager)
    assert "My places" in client.get("/").content.decode()


def test_the_switch_refuses_get(client):
    assert client.get("/i18n/setlang/?language=en").status_code == 405
