"""A missing or malformed environment variable stops start-up with a message naming it."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

from amp_platform.env import (
    ImproperEnvironment,
    env_bool,
    env_int,
    env_list,
    env_secret_key,
    env_str,
    env_url,
)

BASE_DIR = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("1", True), ("true", True), ("Yes", True), ("on", True), ("0", False), ("off", False)],
)
def test_booleans_are_read_in_the_usual_spellings(monkeypatch, raw, expected):
    monkeypatch.setenv("AMP_FLAG", raw)
    assert env_bool("AMP_FLAG", not expected) is expected


def test_defaults_apply_when_a_variable_is_unset_or_blank(monkeypatch):
    monkeypatch.delenv("AMP_FLAG", raising=False)
    monkeypatch.setenv("AMP_BLANK", "  ")
    assert env_bool("AMP_FLAG", True) is True
    assert env_int("AMP_BLANK", 7) == 7
    assert env_str("AMP_BLANK", "x") == "x"
    assert env_list("AMP_BLANK", ["a"]) == ["a"]


def test_a_list_is_split_on_commas(monkeypatch):
    monkeypatch.setenv("ALLOWED_HOSTS", " amp.example.org, www.amp.example.org ,")
    assert env_list("ALLOWED_HOSTS", []) == ["amp.example.org", "www.amp.example.org"]


@pytest.mark.parametrize(
    ("name", "value", "read", "message"),
    [
        ("DEBUG", "maybe", lambda: env_bool("DEBUG", True), "DEBUG must be a boolean"),
        ("DB_CONN_MAX_AGE", "sixty", lambda: env_int("DB_CONN_MAX_AGE", 60), "must be an integer"),
        (
            "FREE_TEXT_RETENTION_DAYS",
            "3",
            lambda: env_int("FREE_TEXT_RETENTION_DAYS", 730, minimum=30),
            "must be at least 30",
        ),
        (
            "DATABASE_URL",
            "mysql://x",
            lambda: env_url("DATABASE_URL", schemes=("postgres", "sqlite")),
            "DATABASE_URL must be a URL starting with one of postgres://, sqlite://",
        ),
        (
            "REDIS_URL",
            "localhost:6379",
            lambda: env_url("REDIS_URL", schemes=("redis", "rediss")),
            "REDIS_URL must be a URL",
        ),
    ],
    ids=["bool", "int", "minimum", "url-scheme", "url-missing-scheme"],
)
def test_a_malformed_value_is_refused_naming_the_variable(monkeypatch, name, value, read, message):
    monkeypatch.setenv(name, value)
    with pytest.raises(ImproperEnvironment) as error:
        read()
    assert str(error.value).startswith(name)
    assert message in str(error.value)


def test_a_required_value_must_be_set(monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    with pytest.raises(ImproperEnvironment, match="^SECRET_KEY must be set"):
        env_str("SECRET_KEY", required=True)


def _start(command, **env):
    """Start Django the way a server does, with only the given variables set."""
    environment = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": os.environ.get("HOME", ""),
        "DJANGO_SETTINGS_MODULE": "amp_platform.settings",
        **env,
    }
    return subprocess.run(
        [sys.executable, *command],
        cwd=BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


SETUP = ["-c", "import django; django.setup()"]
CHECK = ["manage.py", "check"]


@pytest.mark.parametrize(
    ("command", "env", "message"),
    [
        (SETUP, {"DEBUG": "maybe"}, "DEBUG must be a boolean"),
        (CHECK, {"DATABASE_URL": "mysql://x"}, "DATABASE_URL must be a URL starting with"),
        (CHECK, {"REDIS_URL": "http://cache:6379"}, "REDIS_URL must be a URL starting with"),
        (CHECK, {"DEBUG": "0"}, "SECRET_KEY must be set when DEBUG=0."),
        (
            CHECK,
            {"DEBUG": "0", "SECRET_KEY": "too-short"},
            "SECRET_KEY must be a random string of at least 50 characters.",
        ),
        (CHECK, {"FREE_TEXT_RETENTION_DAYS": "7"}, "FREE_TEXT_RETENTION_DAYS must be at least 30"),
        (
            CHECK,
            # What docker-compose.yml used to fall back to: long enough, and known to everyone.
            {"DEBUG": "0", "SECRET_KEY": "change-me-" * 6},
            "SECRET_KEY is a placeholder (it contains 'change-me')",
        ),
        (
            SETUP,
            {"DEBUG": "0", "SECRET_KEY": "django-insecure-" + "k" * 50},
            "SECRET_KEY is a placeholder (it contains 'insecure')",
        ),
        (CHECK, {"IMPORT_MAX_ROWS": "many"}, "IMPORT_MAX_ROWS must be an integer"),
    ],
    ids=[
        "debug-setup",
        "database-url",
        "redis-url",
        "secret-missing",
        "secret-short",
        "retention",
        "secret-compose-placeholder",
        "secret-django-insecure",
        "import-limit",
    ],
)
def test_start_up_stops_with_a_message_naming_the_variable(command, env, message):
    result = _start(command, **env)
    assert result.returncode != 0
    last_line = result.stderr.strip().splitlines()[-1]
    # The last line is what an operator reads: the exception and the variable, nothing else.
    assert last_line.startswith("amp_platform.env.ImproperEnvironment: ")
    assert message in last_line


@pytest.mark.parametrize(
    "placeholder",
    ["CHANGEME", "placeholder", "your-secret-key-here", "not-secret", "example", "insecure"],
)
def test_a_placeholder_secret_key_is_refused_in_production(monkeypatch, placeholder):
    monkeypatch.setenv("SECRET_KEY", f"{placeholder}-" + "r4nd0m" * 10)
    with pytest.raises(ImproperEnvironment, match="^SECRET_KEY is a placeholder"):
        env_secret_key("SECRET_KEY", debug=False, dev_default="dev")
    # With DEBUG on (development, tests) any key will do.
    assert env_secret_key("SECRET_KEY", debug=True, dev_default="dev").startswith(placeholder)


def test_a_random_secret_key_is_accepted_in_production(monkeypatch):
    key = secrets.token_urlsafe(50)
    monkeypatch.setenv("SECRET_KEY", key)
    assert env_secret_key("SECRET_KEY", debug=False, dev_default="dev") == key


def test_the_production_check_key_of_the_makefile_is_accepted():
    result = _start(SETUP, DEBUG="0", SECRET_KEY="x" * 60 + "-production-check")
    assert result.returncode == 0, result.stderr


def test_start_up_succeeds_with_the_defaults():
    result = _start(CHECK)
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout
