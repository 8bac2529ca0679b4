"""/healthz: JSON with the state of the database, the broker, the workers and beat.

- `database`: "ok" or "unavailable" – the only part that decides the status code: 503 without
  a database (nothing works), 200 otherwise, so a load balancer keeps serving pages while
  Redis or the workers are away (writes are kept; reports and mails wait).
- `broker`: "ok", "unavailable", or "eager" (no Redis: tasks run in-process).
- `workers`: how many workers beat in the last minute (amp_platform/celery.py `Heartbeat`);
  `worker`: "ok", "missing" (none) or "unknown" (the broker cannot be asked).
- `beat`: "ok" when beat's heartbeat task ran in the last five minutes, else "late" (or
  "unknown").
"""

import time

from django.conf import settings
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from .celery import BEAT_HEARTBEAT_KEY, HEARTBEAT_KEY, heartbeat_redis

BEAT_LATE_AFTER = 5 * 60


def _database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone()[0] == 1
    except Exception:
        return False


def _eager() -> bool:
    return settings.CELERY_TASK_ALWAYS_EAGER and not settings.REDIS_URL


def _task_state() -> dict:
    if _eager():
        return {"broker": "eager", "worker": "eager", "workers": 0, "beat": "eager"}
    try:
        client = heartbeat_redis()
        client.ping()
    except Exception:
        return {"broker": "unavailable", "worker": "unknown", "workers": 0, "beat": "unknown"}
    try:
        workers = sum(1 for _key in client.scan_iter(match=HEARTBEAT_KEY + "*", count=100))
        last_beat = client.get(BEAT_HEARTBEAT_KEY)
    except Exception:
        return {"broker": "unavailable", "worker": "unknown", "workers": 0, "beat": "unknown"}
    beat_ok = last_beat is not None and time.time() - float(last_beat) < BEAT_LATE_AFTER
    return {
        "broker": "ok",
        "worker": "ok" if workers else "missing",
        "workers": workers,
        "beat": "ok" if beat_ok else "late",
    }


@never_cache
@require_GET
def healthz(request):
    database_ok = _database_ok()
    body = {"database": "ok" if database_ok else "unavailable", **_task_state()}
    return JsonResponse(body, status=200 if database_ok else 503)
