"""The dashboard's page shell is kept per process (amp_platform.shells): a warm request does
not render it again, yet every response carries its own CSRF token and shows what changed."""

import re
from unittest import mock

import pytest
from django.contrib.messages import constants
from django.contrib.messages.storage.base import Message
from django.contrib.messages.storage.cookie import CookieStorage
from django.http import HttpRequest
from django.urls import reverse

from amp_platform import shells
from places.services.notifications import notify
from safety.services.reports import report_generate
from tests import factories as f

pytestmark = pytest.mark.django_db
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@pytest.fixture
def url(place_a):
    return reverse("places:overview", kwargs={"place_slug": place_a.slug})


@pytest.fixture
def renders():
    """How many times the shell's template is rendered."""
    real = shells.render_to_string
    with mock.patch.object(shells, "render_to_string", side_effect=real) as spy:
        yield spy


def _tokens(response) -> list[str]:
    return TOKEN.findall(response.content.decode())


def test_a_warm_dashboard_keeps_its_shell_with_a_fresh_token_each_time(
    client, manager, place_a, url, renders
):
    client.force_login(manager)
    first, second = client.get(url), client.get(url)
    assert first.status_code == second.status_code == 200
    assert renders.call_count == 1
    assert f'<h1 class="place-header__title">{place_a.name}</h1>' in second.content.decode()
    # Two forms (log out, language) with one token each; masked afresh per response.
    assert len(_tokens(second)) == 2 and len(set(_tokens(second))) == 1
    assert _tokens(first)[0] != _tokens(second)[0]
    assert "\x00" not in second.content.decode()
    # The kept shell's token is accepted: the log-out form posts with it.
    client.handler.enforce_csrf_checks = True
    logout = client.post(reverse("account_logout"), {"csrfmiddlewaretoken": _tokens(second)[0]})
    assert logout.status_code == 302


def test_what_the_shell_shows_renders_it_again(client, manager, place_a, url, renders):
    client.force_login(manager)
    client.get(url)
    notify(users=[manager], kind="report", object_key="x", title="Ny lägesbild", url="/")
    assert 'class="badge badge--warn">1<' in client.get(url).content.decode()
    place_a.name = "Stortorget norra"
    place_a.save()
    assert "Stortorget norra" in client.get(url).content.decode()
    client.cookies["django_language"] = "en"  # as the language switch sets it
    assert "Log out" in client.get(url).content.decode()
    assert renders.call_count == 4


def test_people_and_roles_never_share_a_shell(client, manager, place_a, url):
    reader = f.UserFactory()
    f.PlaceRoleFactory(user=reader, place=place_a, role="reader")
    client.force_login(manager)
    manager_page = client.get(url).content.decode()
    client.force_login(reader)
    reader_page = client.get(url).content.decode()
    assert f'data-user="{manager.pk}"' in manager_page
    assert f'data-user="{reader.pk}"' in reader_page
    assert f'data-user="{manager.pk}"' not in reader_page


def test_a_message_is_shown_once_and_never_kept(client, manager, url, renders):
    client.force_login(manager)
    client.get(url)
    client.cookies["messages"] = CookieStorage(HttpRequest())._encode(
        [Message(constants.SUCCESS, "Åtgärden är sparad.")]
    )
    assert "Åtgärden är sparad." in client.get(url).content.decode()
    assert renders.call_count == 2
    after = client.get(url)
    assert "Åtgärden är sparad." not in after.content.decode()
    assert renders.call_count == 2  # the shell kept before the message, not the one with it


def test_the_overview_keeps_its_shell_too(client, manager, renders):
    client.force_login(manager)
    first, second = client.get(reverse("overview")), client.get(reverse("overview"))
    assert first.status_code == second.status_code == 200
    assert renders.call_count == 1
    assert _tokens(first)[0] != _tokens(second)[0]


def test_a_reports_shell_is_kept_per_role(client, manager, reader, place_a, renders):
    report = f.SituationReportFactory(place=place_a)
    report_generate(report_id=report.pk, notify=False)
    url = reverse("safety:report_detail", kwargs={"place_slug": place_a.slug, "pk": report.pk})
    client.force_login(manager)
    client.get(url)
    assert "Ta fram på nytt" in client.get(url).content.decode()  # the manager's action
    assert renders.call_count == 1
    client.force_login(reader)
    page = client.get(url).content.decode()
    assert report.title in page and "Ta fram på nytt" not in page
    assert renders.call_count == 2
