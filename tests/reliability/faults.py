"""Faults for the worker processes of the reliability tests (`celery worker --include` this).

Loaded in the worker's main process before its pool forks. `AMP_TEST_CLOCK` starts the clock
where the test's frozen clock stands (ticking); `AMP_FAULT` picks a fault:

- `slow_generation`: a report's first generation runs 20 s of SQL, half a second a statement,
  so a soft time limit of 3 s (the test sends it with the task) interrupts a query; the
  report's second attempt is quick.
- `kill_connection_once`: the first generation's database connection is terminated by the
  server half-way (a database restart, a network cut); the task retries after a second.
"""

import datetime as dt
import os
import time

from celery import shared_task

if os.environ.get("AMP_TEST_CLOCK"):
    import time_machine

    # The test's moment, plus the real time the worker took to start.
    started = float(os.environ.get("AMP_TEST_CLOCK_TAKEN") or time.time())
    moment = dt.datetime.fromisoformat(os.environ["AMP_TEST_CLOCK"])
    moment += dt.timedelta(seconds=max(time.time() - started, 0))
    time_machine.travel(moment, tick=True).start()


@shared_task(name="tests.sleep", acks_late=True)
def sleep(seconds: float) -> float:
    """A task that takes a while (for a broker outage in the middle of it)."""
    time.sleep(seconds)
    return seconds


@shared_task(name="tests.touch")
def touch(path: str) -> str:
    """Proof that the worker still takes tasks."""
    with open(path, "w") as handle:
        handle.write("done")
    return path


if os.environ.get("AMP_FAULT") == "slow_generation":
    from django.db import connection

    from safety.models import SituationReport
    from safety.services import reports

    real_place_figures = reports.place_figures

    def slow_place_figures(*, place, start, end, now=None):
        first_attempt = SituationReport.objects.filter(
            place=place, period_start=start, attempts__lte=1
        ).exists()
        if first_attempt:
            with connection.cursor() as cursor:
                for _ in range(40):  # 20 s of SQL, half a second per statement
                    cursor.execute("SELECT pg_sleep(0.5)")
        return real_place_figures(place=place, start=start, end=end, now=now)

    reports.place_figures = slow_place_figures


if os.environ.get("AMP_FAULT") == "kill_connection_once":
    import celery.app.autoretry
    from django.db import connection, connections

    from safety.models import SituationReport
    from safety.services import reports

    # Retry after a second rather than up to 30 (the backoff is computed when retrying).
    celery.app.autoretry.get_exponential_backoff_interval = lambda **kwargs: 1
    real_place_figures = reports.place_figures

    def dying_place_figures(*, place, start, end, now=None):
        first_attempt = SituationReport.objects.filter(
            place=place, period_start=start, attempts__lte=1
        ).exists()
        if first_attempt:
            # What a database restart or a network cut does to the worker's connection.
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_backend_pid()")
                pid = cursor.fetchone()[0]
            other = connections.create_connection("default")
            with other.cursor() as cursor:
                cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
            other.close()
        return real_place_figures(place=place, start=start, end=end, now=now)

    reports.place_figures = dying_place_figures
