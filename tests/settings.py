"""Test settings: the real settings module with test switches on.

DATABASE_URL / REDIS_URL from the environment still apply, so the same tests run on SQLite
locally and on PostgreSQL + Redis in CI.
"""

import os

os.environ.setdefault("DEBUG", "1")
os.environ.setdefault("SECRET_KEY", "test-only-secret-key")

from amp_platform.settings import *  # noqa: E402,F403

# Tests decide per test whether a task runs eagerly; the Celery-worker test turns it off.
CELERY_TASK_ALWAYS_EAGER = True
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
if os.environ.get("REDIS_URL"):
    # The real Redis cache in CI, in the database REDIS_URL names (beside the broker) under a key
    # prefix per xdist worker: tests clear the cache, and tests/cache.py clears only this
    # process's keys, never the broker's queues or another process's cache.
    _worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0")
    CACHES = {
        "default": {
            "BACKEND": "tests.cache.PrefixClearingRedisCache",
            "LOCATION": os.environ["REDIS_URL"],
            "KEY_PREFIX": f"amp-test-{os.getpid()}-{_worker}",
            "OPTIONS": {"socket_timeout": 2, "socket_connect_timeout": 2},
        }
    }
# The benchmarks' app (tools/bench, not installed in production), so its commands stay tested.
INSTALLED_APPS = [*INSTALLED_APPS, "tools.bench"]  # noqa: F405
ACCOUNT_RATE_LIMITS_ENABLED = True
MEDIA_ROOT = BASE_DIR / "var" / "test-media"  # noqa: F405
SECURE_SSL_REDIRECT = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Tests render templates with {% static %} without a collected manifest.
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# A second alias on the same test database, as a read replica would be (amp_platform/replica.py):
# routing to it is off except in the tests that switch REPLICA_READS on.
DATABASES["replica"] = {**DATABASES["default"], "TEST": {"MIRROR": "default"}}  # noqa: F405
REPLICA_READS = False
