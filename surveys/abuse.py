"""Abuse resistance for the public answer page, without tracking people (DESIGN §6).

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

import hashlib
import hmac
import logging
import secrets

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.utils import timezone

from amp_platform.cache import CacheUnavailable, cache_strict

logger = logging.getLogger(__name__)

HONEYPOT_FIELD = "website"
FORM_TOKEN_FIELD = "form_token"
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


# --- One-time form token ----------------------------------------------------------------------
def new_form_token(survey) -> str:
    return signing.dumps({"s": survey.pk, "n": secrets.token_urlsafe(16)}, salt=FORM_TOKEN_SALT)


def form_token_digest(survey, token: str) -> str | None:
    """The digest stored on the response, or None when the token is forged, foreign or stale."""
    max_age = _setting("SURVEYS_FORM_TOKEN_MAX_AGE", 60 * 60 * 12)
    try:
        data = signing.loads(token or "", salt=FORM_TOKEN_SALT, max_age=max_age)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or data.get("s") != survey.pk or not data.get("n"):
        return None
    return hashlib.sha256(data["n"].encode()).hexdigest()


# --- Rate limit per address ---------------------------------------------------------------------
def client_address(request) -> str:
    """The connecting address; behind N trusted proxies, the Nth entry from the right of
    X-Forwarded-For (SURVEYS_TRUSTED_PROXY_HOPS). Used only to derive the hashed counter key."""
    hops = _setting("SURVEYS_TRUSTED_PROXY_HOPS", 0)
    if hops:
        forwarded = [p.strip() for p in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        forwarded = [p for p in forwarded if p]
        if len(forwarded) >= hops:
            return forwarded[-hops]
    return request.META.get("REMOTE_ADDR", "")


def _daily_salt(day) -> bytes:
    # Derived, never stored: yesterday's keys cannot be recomputed without the date and the
    # secret, and they expire from the cache within the hour anyway.
    return hmac.new(
        settings.SECRET_KEY.encode(), f"surveys.rate-limit:{day.isoformat()}".encode(), "sha256"
    ).digest()


def rate_limit_key(survey, address: str, day=None) -> str:
    day = day or timezone.localdate()
    digest = hmac.new(_daily_salt(day), f"{survey.pk}|{address}".encode(), "sha256").hexdigest()
    return f"surveys:rate:{digest}"


def over_rate_limit(request, survey) -> bool:
    """Count one submission from this address; True once it exceeds the hourly allowance.
    False when the cache is unavailable (fails open, see the module docstring)."""
    limit = _setting("SURVEYS_RATE_LIMIT_PER_HOUR", 30)
    key = rate_limit_key(survey, client_address(request))
    try:
        with cache_strict():
            cache.add(key, 0, timeout=60 * 60)
            try:
                count = cache.incr(key)
            except ValueError:  # expired between add and incr
                cache.set(key, 1, timeout=60 * 60)
                count = 1
    except CacheUnavailable:
        logger.warning("Survey rate limit skipped: the cache is unavailable")
        return False
    return count > limit
