"""Test settings: the real settings module with test switches on.

DATABASE_URL / REDIS_URL from the environment still apply, so the same tests run on SQLite
locally and on PostgreSQL + Redis in CI.
"""

import os

os.environ["AMP_TESTING"] = "1"
os.environ.setdefault("DEBUG", "1")
os.environ.setdefault("SECRET_KEY", "test-only-secret-key")

from amp_platform.settings import *  # noqa: E402,F403

# Tests decide per test whether a task runs eagerly; the Celery-worker test turns it off.
CELERY_TASK_ALWAYS_EAGER = True
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
if os.environ.get("REDIS_URL"):
    # The real Redis cache in CI – but in its own database per xdist worker: tests clear the
    # cache (FLUSHDB), which must never wipe the Celery broker's queue or another worker's cache.
    from urllib.parse import urlparse, urlunparse

    _worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw")
    _cache_db = 1 + (int(_worker) if _worker.isdigit() else 0) % 14
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": urlunparse(
                urlparse(os.environ["REDIS_URL"])._replace(path=f"/{_cache_db}")
            ),
            "KEY_PREFIX": "amp-test",
        }
    }
ACCOUNT_RATE_LIMITS_ENABLED = True
MEDIA_ROOT = BASE_DIR / "var" / "test-media"  # noqa: F405
SECURE_SSL_REDIRECT = False
