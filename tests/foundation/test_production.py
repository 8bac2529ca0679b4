"""The production setup keeps the promises: no visitor's address in any log, nothing signed-in
people see kept by a cache, cookies only over HTTPS and never to other sites."""

import datetime as dt
import io
import logging
import runpy
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.urls import reverse
from gunicorn.config import Config

from tests.foundation.test_env import _start

BASE_DIR = Path(__file__).resolve().parents[2]
VISITOR = "203.0.113.7"
FORWARDED = "198.51.100.9"
REAL_IP = "192.0.2.44"
TOKEN = "Qx7Jw2mZsecret"


def gunicorn_config() -> Config:
    """gunicorn.conf.py read the way gunicorn reads it: every setting it knows, validated."""
    config = Config()
    for name, value in runpy.run_path(str(BASE_DIR / "gunicorn.conf.py")).items():
        if name in config.settings:
            config.set(name, value)
    return config


def gunicorns_handlers(log):
    """The handlers gunicorn set up (marked by it), not pytest's capturing ones."""
    return [handler for handler in log.handlers if getattr(handler, "_gunicorn", False)]


def access_line(config: Config, path: str, query: str = "") -> str:
    """The access-log line gunicorn writes for one survey answer from a visitor behind a proxy."""
    logger = config.logger_class(config)
    buffer = io.StringIO()
    for handler in gunicorns_handlers(logger.access_log):
        handler.setStream(buffer)
    headers = [
        ("X-FORWARDED-FOR", FORWARDED),
        ("X-REAL-IP", REAL_IP),
        ("REFERER", f"https://amp.example.org{path}"),
        ("USER-AGENT", "Mozilla/5.0 (Fairphone 5)"),
    ]
    environ = {
        "REQUEST_METHOD": "POST",
        "RAW_URI": f"{path}?{query}" if query else path,
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": VISITOR,
        "HTTP_X_FORWARDED_FOR": FORWARDED,
        "HTTP_REFERER": f"https://amp.example.org{path}",
    }
    response = SimpleNamespace(status="302 Found", sent=0, headers=[("Location", path)])
    request = SimpleNamespace(headers=headers)
    logger.access(response, request, environ, dt.timedelta(milliseconds=42))
    return buffer.getvalue()


# --- gunicorn ------------------------------------------------------------------------------


def test_gunicorns_access_log_format_names_no_address():
    config = gunicorn_config()
    log_format = config.access_log_format.lower()
    for atom in ("%(h)s", "{x-forwarded-for}i", "{x-real-ip}i", "{remote_addr}e", "%(r)s"):
        assert atom not in log_format
    assert config.accesslog == "-"
    assert config.wsgi_app == "amp_platform.wsgi"


def test_a_survey_answer_is_logged_without_the_visitor_or_the_token():
    line = access_line(gunicorn_config(), f"/s/{TOKEN}/", query=f"token={TOKEN}")
    assert '"POST /s/…/" 302' in line and "42ms" in line
    for secret in (VISITOR, FORWARDED, REAL_IP, TOKEN, "Fairphone"):
        assert secret not in line


@pytest.mark.parametrize(
    ("path", "logged"),
    [
        ("/invitations/abc123/", "/invitations/…/"),
        ("/accounts/password/reset/key/1z-set-password/", "/accounts/password/reset/key/…/"),
        ("/accounts/confirm-email/MQ:1tZ:abc/", "/accounts/confirm-email/…/"),
        ("/places/mollevangstorget/incidents/", "/places/mollevangstorget/incidents/"),
    ],
)
def test_token_links_are_logged_without_their_token(path, logged):
    assert f'"POST {logged}"' in access_line(gunicorn_config(), path)


def test_the_logger_drops_the_address_even_if_the_format_asks_for_it():
    config = gunicorn_config()
    config.set("access_log_format", '%(h)s %({x-forwarded-for}i)s %({remote_addr}e)s "%(r)s"')
    line = access_line(config, f"/s/{TOKEN}/")
    assert line.startswith('- - - "-"')
    assert VISITOR not in line and FORWARDED not in line


def test_a_refused_malformed_request_is_logged_without_the_address():
    config = gunicorn_config()
    logger = config.logger_class(config)
    buffer = io.StringIO()
    for handler in gunicorns_handlers(logger.error_log):
        handler.setStream(buffer)
    for address in (VISITOR, "2001:db8::7"):
        # The words gunicorn's worker uses when it answers 400.
        logger.warning(f"Invalid request from ip={address}: Invalid HTTP Version: 'HTTP/9'")
    assert buffer.getvalue().count("Invalid request from ip=-: Invalid HTTP Version") == 2
    assert VISITOR not in buffer.getvalue() and "2001:db8" not in buffer.getvalue()


def test_the_image_and_compose_start_gunicorn_with_that_config():
    dockerfile = (BASE_DIR / "Dockerfile").read_text()
    compose = (BASE_DIR / "docker-compose.yml").read_text()
    assert 'CMD ["gunicorn", "--config", "gunicorn.conf.py"]' in dockerfile
    assert "gunicorn --config gunicorn.conf.py" in compose
    for text in (dockerfile, compose):
        assert "--access-logfile" not in text and "access-logformat" not in text


# --- Django's own logging --------------------------------------------------------------------


@pytest.mark.django_db
def test_djangos_log_lines_carry_no_address(client):
    """A 404 on the public survey page is logged (django.request) – without the visitor."""
    # The console handler of settings.LOGGING (pytest adds capturing handlers of its own).
    (handler,) = [
        h for h in logging.getLogger("django").handlers if type(h) is logging.StreamHandler
    ]
    buffer = io.StringIO()
    previous = handler.setStream(buffer)
    try:
        response = client.get(f"/s/{TOKEN}/", REMOTE_ADDR=VISITOR, HTTP_X_FORWARDED_FOR=FORWARDED)
    finally:
        handler.setStream(previous)
    assert response.status_code == 404
    assert "Not Found" in buffer.getvalue()
    assert VISITOR not in buffer.getvalue() and FORWARDED not in buffer.getvalue()


def test_no_log_handler_is_handed_the_request():
    """Django's default mails errors to ADMINS with the whole request (REMOTE_ADDR and all)."""
    logging_config = settings.LOGGING
    assert logging_config["loggers"]["django"]["handlers"] == ["console"]
    assert logging_config["loggers"]["django"]["propagate"] is False
    for handler in logging_config["handlers"].values():
        assert "AdminEmailHandler" not in handler["class"]
    for formatter in logging_config.get("formatters", {}).values():
        assert "request" not in formatter["format"] and "addr" not in formatter["format"]


# --- The secret key -----------------------------------------------------------------------


def test_compose_has_no_fallback_secret_key():
    compose = (BASE_DIR / "docker-compose.yml").read_text()
    assert "SECRET_KEY: ${SECRET_KEY:?" in compose
    assert "${SECRET_KEY:-" not in compose
    dockerfile = (BASE_DIR / "Dockerfile").read_text()
    assert "secrets.token_urlsafe" in dockerfile  # the build's collectstatic gets a random key


# --- Caching and cookies ------------------------------------------------------------------


@pytest.mark.django_db
def test_pages_for_signed_in_people_are_never_stored(client, manager, place_a):
    client.force_login(manager)
    for url in (
        reverse("places:home"),
        reverse("safety:incident_list", kwargs={"place_slug": place_a.slug}),
        reverse("places:activity_export", kwargs={"place_slug": place_a.slug}),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        directives = {d.strip() for d in response["Cache-Control"].split(",")}
        assert {"private", "no-store"} <= directives, url


@pytest.mark.django_db
def test_a_view_that_chose_its_own_caching_keeps_it_private(rf, manager):
    from django.http import HttpResponse

    from amp_platform.middleware import PrivatePagesMiddleware

    def photo(request):
        response = HttpResponse(b"jpeg")
        response["Cache-Control"] = "public, max-age=3600"
        return response

    request = rf.get("/photo.jpg")
    request.user = manager
    response = PrivatePagesMiddleware(photo)(request)
    assert {d.strip() for d in response["Cache-Control"].split(",")} == {
        "private",
        "max-age=3600",
    }


@pytest.mark.django_db
def test_pages_for_visitors_and_static_files_are_left_alone(client, manager, settings):
    # Before the first request: the client builds its middleware (whitenoise's finders) once.
    settings.WHITENOISE_USE_FINDERS = True
    settings.WHITENOISE_AUTOREFRESH = True
    home = client.get(reverse("places:home"))
    assert home.status_code == 200 and not home.has_header("Cache-Control")
    client.force_login(manager)
    stylesheet = client.get(settings.STATIC_URL + "css/app.css")
    assert stylesheet.status_code == 200
    assert "no-store" not in stylesheet.get("Cache-Control", "")


@pytest.mark.django_db
def test_the_language_cookie_is_lax_http_only_and_secure_when_sessions_are(client, settings):
    settings.LANGUAGE_COOKIE_SECURE = True
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    cookie = response.cookies[settings.LANGUAGE_COOKIE_NAME]
    assert cookie.value == "en"
    assert cookie["secure"] and cookie["httponly"] and cookie["samesite"] == "Lax"


def test_production_settings_make_the_language_cookie_secure():
    result = _start(
        [
            "-c",
            "import django; django.setup(); from django.conf import settings as s; "
            "print(s.LANGUAGE_COOKIE_SECURE, s.LANGUAGE_COOKIE_SAMESITE, "
            "s.LANGUAGE_COOKIE_HTTPONLY, s.SESSION_COOKIE_SECURE)",
        ],
        DEBUG="0",
        SECRET_KEY="x" * 60 + "-production-check",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", "Lax", "True", "True"]
