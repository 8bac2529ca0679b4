"""The survey's QR code, link and poster point at the host the manager is using, so the demo on
another port (or the real domain behind a proxy) prints a code that opens the survey."""

import html
import re
from urllib.parse import urlsplit
from xml.etree import ElementTree

import pytest
from django.test import Client
from django.urls import reverse

from surveys import poster
from tests.qr import decode_svg

pytestmark = pytest.mark.django_db

HOST = "localhost:9000"


@pytest.fixture(autouse=True)
def _hosts(settings):
    settings.ALLOWED_HOSTS = ["localhost", "testserver"]
    # A SITE_URL that is wrong for these requests: no link made during a request may use it.
    settings.SITE_URL = "http://127.0.0.1:8000"


@pytest.fixture
def as_manager(client, manager):
    client.force_login(manager)
    return client


def url(name, survey):
    return reverse(f"surveys:{name}", kwargs={"place_slug": survey.place.slug, "pk": survey.pk})


def expected_link(survey, origin=f"http://{HOST}"):
    return f"{origin}/s/{survey.public_token}/"


def opens_the_survey(link, survey):
    parts = urlsplit(link)
    response = Client().get(parts.path, HTTP_HOST=parts.netloc)
    return response.status_code == 200 and survey.title in response.content.decode()


def test_the_qr_code_on_the_survey_page_opens_the_survey_on_the_same_host(as_manager, survey):
    page = as_manager.get(url("survey_detail", survey), HTTP_HOST=HOST).content.decode()
    assert f'value="{expected_link(survey)}"' in page
    data_uri = html.unescape(re.search(r'src="(data:image/svg\+xml[^"]+)"', page).group(1))
    link = decode_svg(data_uri, border=2)
    assert link == expected_link(survey)
    assert opens_the_survey(link, survey)
    assert "127.0.0.1:8000" not in page


def test_the_poster_prints_and_encodes_the_link_on_the_same_host(as_manager, survey):
    svg = as_manager.get(url("poster_svg", survey), HTTP_HOST=HOST).content.decode()
    printed = "".join(ElementTree.fromstring(svg).itertext())
    assert expected_link(survey) in printed
    link = decode_svg(svg, border=2)
    assert link == expected_link(survey)
    assert opens_the_survey(link, survey)


def test_the_pdf_poster_gets_the_same_link(as_manager, survey, monkeypatch):
    made = []
    monkeypatch.setattr(poster, "poster_pdf", lambda *, survey, url: made.append(url) or b"%PDF")
    assert as_manager.get(url("poster_pdf", survey), HTTP_HOST=HOST).status_code == 200
    assert made == [expected_link(survey)]


def test_behind_a_tls_proxy_the_link_is_https(as_manager, survey, settings):
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")  # PROXY_SSL_HEADER
    page = as_manager.get(
        url("survey_detail", survey), HTTP_HOST="localhost", HTTP_X_FORWARDED_PROTO="https"
    ).content.decode()
    assert f'value="{expected_link(survey, "https://localhost")}"' in page


def test_without_a_proxy_a_client_cannot_claim_https(as_manager, survey):
    page = as_manager.get(
        url("survey_detail", survey), HTTP_HOST="localhost", HTTP_X_FORWARDED_PROTO="https"
    ).content.decode()
    assert f'value="{expected_link(survey, "http://localhost")}"' in page
