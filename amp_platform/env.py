"""Typed, validated reading of environment variables.

Settings read every value through these helpers so that a bad value stops start-up with a
message that names the variable, instead of failing later deep inside a request.
"""

import os
from urllib.parse import urlparse


class ImproperEnvironment(Exception):
    """Raised at start-up when an environment variable is missing or malformed."""


def _raw(name: str, default: str | None) -> str | None:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    return value.strip()


def env_str(name: str, default: str | None = None, *, required: bool = False) -> str | None:
    value = _raw(name, default)
    if required and not value:
        raise ImproperEnvironment(f"{name} must be set.")
    return value


# Words of example keys from docs, compose files and tutorials: long enough to pass the length
# check and `check --deploy`, and known to everyone.
SECRET_KEY_PLACEHOLDERS = (
    "change-me",
    "changeme",
    "change_me",
    "placeholder",
    "insecure",
    "secret-key",
    "secret_key",
    "your-secret",
    "not-secret",
    "notsecret",
    "dev-only",
    "test-only",
    "build-only",
    "example",
)


def env_secret_key(name: str, *, debug: bool, dev_default: str) -> str:
    """A signing key. With DEBUG a development default will do; without, it must be set, at
    least 50 characters long and not a known placeholder."""
    value = env_str(name, dev_default if debug else None)
    if debug:
        return value
    if not value:
        raise ImproperEnvironment(f"{name} must be set when DEBUG=0.")
    if len(value) < 50:
        raise ImproperEnvironment(f"{name} must be a random string of at least 50 characters.")
    placeholder = next((p for p in SECRET_KEY_PLACEHOLDERS if p in value.lower()), None)
    if placeholder:
        raise ImproperEnvironment(
            f"{name} is a placeholder (it contains {placeholder!r}); set a random string of at "
            "least 50 characters, e.g. from python3 -c "
            "'import secrets; print(secrets.token_urlsafe(50))'."
        )
    return value


def env_bool(name: str, default: bool) -> bool:
    value = _raw(name, None)
    if value is None:
        return default
    lowered = value.lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off"}:
        return False
    raise ImproperEnvironment(f"{name} must be a boolean (1/0, true/false, yes/no), got {value!r}.")


def env_int(name: str, default: int, *, minimum: int | None = None) -> int:
    value = _raw(name, None)
    if value is None:
        return default
    try:
        number = int(value)
    except ValueError:
        raise ImproperEnvironment(f"{name} must be an integer, got {value!r}.") from None
    if minimum is not None and number < minimum:
        raise ImproperEnvironment(f"{name} must be at least {minimum}, got {number}.")
    return number


def env_list(name: str, default: list[str]) -> list[str]:
    value = _raw(name, None)
    if value is None:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def env_url(name: str, default: str | None = None, *, schemes: tuple[str, ...]) -> str | None:
    value = _raw(name, default)
    if value is None:
        return None
    parsed = urlparse(value)
    if parsed.scheme not in schemes or not (parsed.netloc or parsed.path):
        raise ImproperEnvironment(
            f"{name} must be a URL starting with one of {', '.join(s + '://' for s in schemes)}"
            f" (got {value!r})."
        )
    return value
