"""Personal API tokens (issue #15): made, checked and revoked here, used by the API.

A token's secret is `amp_` and 43 URL-safe characters (256 random bits). Only its SHA-256
digest is stored, so a leaked database holds no usable token; the secret is shown once.
"""

import datetime as dt
import hashlib
import secrets

from django.db import transaction
from django.utils import timezone

from .models import ApiScope, ApiToken

SECRET_PREFIX = "amp_"
# Shown beside the token's name to tell tokens apart; too short to guess the rest from.
SHOWN_CHARACTERS = 12
# Writing "last used" on every request would turn each read into a write: once a minute is
# precise enough for the settings page.
LAST_USED_PRECISION = dt.timedelta(minutes=1)


def token_digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8", "surrogatepass")).hexdigest()


@transaction.atomic
def api_token_create(*, user, name: str, scopes, expires_at: dt.datetime) -> tuple[ApiToken, str]:
    """Make a token for `user`; returns it and its secret (the only time the secret exists)."""
    secret = SECRET_PREFIX + secrets.token_urlsafe(32)
    known = set(ApiScope.values)
    token = ApiToken(
        user=user,
        name=name,
        prefix=secret[:SHOWN_CHARACTERS],
        digest=token_digest(secret),
        scopes=[scope for scope in ApiScope.values if scope in set(scopes) & known],
        expires_at=expires_at,
    )
    token.full_clean()
    token.save()
    return token, secret


def api_token_revoke(*, token: ApiToken) -> None:
    """Revoke a token at once; it stays listed (when it was last used) until it is deleted."""
    ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())


def api_token_authenticate(secret: str) -> ApiToken | None:
    """The usable token with this secret, or None; records when it was last used."""
    if not secret or not secret.startswith(SECRET_PREFIX) or len(secret) > 200:
        return None
    now = timezone.now()
    token = (
        ApiToken.objects.usable(now).select_related("user").filter(digest=token_digest(secret))
    ).first()
    if token is None:
        return None
    if token.last_used_at is None or token.last_used_at < now - LAST_USED_PRECISION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token


# A client retries within minutes or hours; a day covers a night's outage of its system. The
# stored answers hold what was sent (free text), so they are not kept longer than needed.
IDEMPOTENCY_KEY_HOURS = 24


def idempotency_keys_sweep(*, now=None) -> int:
    """Delete stored `Idempotency-Key` answers older than a day. Returns how many."""
    from .models import ApiIdempotencyKey

    cutoff = (now or timezone.now()) - dt.timedelta(hours=IDEMPOTENCY_KEY_HOURS)
    deleted, _per_model = ApiIdempotencyKey.objects.filter(created_at__lt=cutoff).delete()
    return deleted
