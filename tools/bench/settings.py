"""The real settings plus the bench app, for the benchmarks only (issue #12).

    DJANGO_SETTINGS_MODULE=tools.bench.settings python manage.py bench_dashboard --scale 0.1

Production (`amp_platform.settings`) does not install `tools.bench`, so its commands are not
there; everything else (DATABASE_URL, REDIS_URL, DEBUG, …) comes from the environment as usual.
"""

from amp_platform.settings import *  # noqa: F403

INSTALLED_APPS = [*INSTALLED_APPS, "tools.bench"]  # noqa: F405
