"""/healthz: JSON with database and broker state for load balancers and docker compose."""

from django.conf import settings
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET


def _database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone()[0] == 1
    except Exception:
        return False


def _broker_state() -> str:
    if settings.CELERY_TASK_ALWAYS_EAGER and not settings.REDIS_URL:
        return "eager"
    try:
        import redis

        redis.Redis.from_url(settings.CELERY_BROKER_URL, socket_timeout=2).ping()
        return "ok"
    except Exception:
        return "unavailable"


@never_cache
@require_GET
def healthz(request):
    database_ok = _database_ok()
    body = {"database": "ok" if database_ok else "unavailable", "broker": _broker_state()}
    # Only the database decides: without it nothing works, without the broker reports wait.
    return JsonResponse(body, status=200 if database_ok else 503)
