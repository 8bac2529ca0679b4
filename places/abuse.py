"""Abuse resistance for public forms, without tracking people (architecture §6).

Shared by the public survey (surveys/abuse.py) and tips from the public (places/views/tips.py);
each passes a `scope` (the survey, the place) and its own salt so a token or counter of one
form is worthless on another.

- A honeypot field that people never see; bots that fill every input are told "thanks" and
  nothing is saved.
- A one-time form token: signed, short-lived, and its digest is a unique column on what the
  form creates, so a replayed form is refused.
- A rate limit per network address kept only as a short-lived counter in the cache under an
  HMAC of the address with a salt that rotates every day. The address itself is never stored,
  cached or logged. When the cache (Redis) is down the limit fails open (callers may choose).
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


def _setting(name, default):
    return getattr(settings, name, default)


# --- One-time form token ----------------------------------------------------------------------
def new_form_token(scope_id, *, salt: str) -> str:
    return signing.dumps({"s": scope_id, "n": secrets.token_urlsafe(16)}, salt=salt)


def form_token_digest(scope_id, token: str, *, salt: str, max_age: int) -> str | None:
    """The digest to store on what the form creates, or None when the token is forged,
    foreign (another scope) or stale."""
    try:
        data = signing.loads(token or "", salt=salt, max_age=max_age)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or data.get("s") != scope_id or not data.get("n"):
        return None
    return hashlib.sha256(str(data["n"]).encode()).hexdigest()


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


def _daily_salt(purpose: str, day) -> bytes:
    # Derived, never stored: yesterday's keys cannot be recomputed without the date and the
    # secret, and they expire from the cache within the hour anyway.
    return hmac.new(
        settings.SECRET_KEY.encode(), f"{purpose}:{day.isoformat()}".encode(), "sha256"
    ).digest()


def rate_limit_key(purpose: str, scope_id, address: str, day=None) -> str:
    """`purpose` names the form ("surveys", "tips"); the key holds only an HMAC digest."""
    day = day or timezone.localdate()
    digest = hmac.new(
        _daily_salt(f"{purpose}.rate-limit", day), f"{scope_id}|{address}".encode(), "sha256"
    ).hexdigest()
    return f"{purpose}:rate:{digest}"


def over_rate_limit(request, *, purpose: str, scope_id, limit: int) -> bool:
    """Count one submission from this address; True once it exceeds `limit` per hour.
    False when the cache is unavailable (fails open)."""
    key = rate_limit_key(purpose, scope_id, client_address(request))
    try:
        with cache_strict():
            cache.add(key, 0, timeout=60 * 60)
            try:
                count = cache.incr(key)
            except ValueError:  # expired between add and incr
                cache.set(key, 1, timeout=60 * 60)
                count = 1
    except CacheUnavailable:
        logger.warning("Rate limit of %s skipped: the cache is unavailable", purpose)
        return False
    return count > limit
