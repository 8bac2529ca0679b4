"""Abuse resistance for the public answer page, without tracking people (architecture §6).

The shared parts (honeypot, one-time token, hashed counter) live in `places/abuse.py`.

- One response per browser: a signed cookie that only says "answered", scoped to the survey's
  public path. Clearing cookies lets someone answer again; that is the price of not identifying
  anyone, and the per-address limit below keeps it from scaling.
- A honeypot field that people never see; bots that fill every input get a thank-you and nothing
  is saved.
- A one-time form token: a replayed form is refused by a unique digest on the response.
- A rate limit per network address kept only as a short-lived counter in the cache under an
  HMAC of the address with a salt that rotates every day. The address itself is never stored,
  cached or logged. When the cache (Redis) is down the limit fails open: an answer is worth more
  than the flood guard, and the cookie and one-time token still hold back replays.
"""

from django.conf import settings

from places import abuse as shared
from places.abuse import FORM_TOKEN_FIELD, HONEYPOT_FIELD, client_address  # noqa: F401

FORM_TOKEN_SALT = "surveys.form-token"
ANSWERED_COOKIE_SALT = "surveys.answered"
ANSWERED_COOKIE_MAX_AGE = 60 * 60 * 24 * 180  # one wave lasts weeks; half a year is plenty


def _setting(name, default):
    return getattr(settings, name, default)


# --- One response per browser -------------------------------------------------------------------
def answered_cookie_name(survey) -> str:
    return f"amp_survey_{survey.pk}"


def has_answered(request, survey) -> bool:
    value = request.get_signed_cookie(
        answered_cookie_name(survey), default=None, salt=ANSWERED_COOKIE_SALT
    )
    return value == "1"


def mark_answered(response, survey, path: str) -> None:
    response.set_signed_cookie(
        answered_cookie_name(survey),
        "1",
        salt=ANSWERED_COOKIE_SALT,
        max_age=ANSWERED_COOKIE_MAX_AGE,
        path=path,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )


# --- One-time form token (places.abuse) -----------------------------------------------------------
def new_form_token(survey) -> str:
    return shared.new_form_token(survey.pk, salt=FORM_TOKEN_SALT)


def form_token_digest(survey, token: str) -> str | None:
    """The digest stored on the response, or None when the token is forged, foreign or stale."""
    return shared.form_token_digest(
        survey.pk,
        token,
        salt=FORM_TOKEN_SALT,
        max_age=_setting("SURVEYS_FORM_TOKEN_MAX_AGE", 60 * 60 * 12),
    )


# --- Rate limit per address (places.abuse) --------------------------------------------------------
def rate_limit_key(survey, address: str, day=None) -> str:
    return shared.rate_limit_key("surveys", survey.pk, address, day)


def over_rate_limit(request, survey) -> bool:
    """Count one submission from this address; True once it exceeds the hourly allowance.
    False when the cache is unavailable (fails open, see the module docstring)."""
    return shared.over_rate_limit(
        request,
        purpose="surveys",
        scope_id=survey.pk,
        limit=_setting("SURVEYS_RATE_LIMIT_PER_HOUR", 30),
    )
