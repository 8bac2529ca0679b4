"""What allauth's rate limits do when the cache (Redis) is down: per limit, fail open or closed.

allauth keeps its counters in the cache. Our cache answers as an empty cache when Redis fails
(`amp_platform.cache`), which would quietly let everything through; here each limit decides.

- **Open** – `login`, `login_failed`, `reauthenticate`, `change_password` and
  `reset_password_from_key`: people must keep working while Redis is away, and nothing here
  reaches anyone else. The
  brute-force guard (`login_failed`) is off only for the outage; passwords are slow to hash.
- **Closed** – `signup`, `reset_password`, `confirm_email`, `manage_email`, `change_phone`: each
  sends a mail (or a text) to an address someone typed in. Unlimited during an outage they
  would let anyone use us to flood a stranger's inbox; the person can try again in a minute.

allauth offers no hook for this, so `install()` wraps its one internal `consume` function (every
limit goes through it). `tests/foundation/test_cache_fail_open.py` checks both behaviours, so an
allauth upgrade that moves the function fails loudly there.
"""

import logging

from amp_platform.cache import CacheUnavailable, cache_strict

logger = logging.getLogger(__name__)

FAIL_CLOSED = frozenset(
    {"signup", "reset_password", "confirm_email", "manage_email", "change_phone"}
)


def install() -> None:
    from allauth.core.exceptions import RateLimited
    from allauth.core.internal import ratelimit

    if getattr(ratelimit.consume, "_amp_fail_policy", False):
        return
    consume = ratelimit.consume

    def consume_with_policy(request, *, app, action, **kwargs):
        try:
            with cache_strict():
                return consume(request, app=app, action=action, **kwargs)
        except CacheUnavailable:
            if action in FAIL_CLOSED:
                logger.warning("Rate limit %s refused: the cache is unavailable", action)
                if kwargs.get("raise_exception"):
                    raise RateLimited from None
                return None
            logger.warning("Rate limit %s skipped: the cache is unavailable", action)
            return ratelimit.RateLimitUsage(usage=[])

    consume_with_policy._amp_fail_policy = True
    ratelimit.consume = consume_with_policy
