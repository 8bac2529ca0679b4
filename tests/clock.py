"""The frozen clock every test runs on.

Tests never read today's date: an autouse fixture (tests/conftest.py) freezes time at one moment
for the whole session — the real time when the run started, or the moment given with
`--clock 2027-01-01T00:30` (Europe/Stockholm when no offset is written; also `AMP_TEST_CLOCK`).
CI runs the suite twice: at the real date and at a hard moment (a year end at night in
Stockholm, when the UTC date is still the old year). Tests write their dates relative to the
helpers below, never as literal years.
"""

import datetime as dt
import os
from zoneinfo import ZoneInfo

STOCKHOLM = ZoneInfo("Europe/Stockholm")

_frozen_now: dt.datetime | None = None


def parse_clock(value: str | None) -> dt.datetime:
    """The session's moment: an ISO date-time (local to Stockholm unless it has an offset)."""
    if not value:
        return dt.datetime.now(dt.UTC).replace(microsecond=0)
    moment = dt.datetime.fromisoformat(value)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=STOCKHOLM)
    return moment.astimezone(dt.UTC)


def set_frozen_now(moment: dt.datetime) -> None:
    global _frozen_now
    _frozen_now = moment
    # Subprocesses (a real Celery worker, gunicorn) read the same moment.
    os.environ["AMP_TEST_CLOCK"] = moment.isoformat()


def frozen_now() -> dt.datetime:
    """The moment the session's clock is frozen at (aware, UTC)."""
    assert _frozen_now is not None, "the clock is set in pytest_configure"
    return _frozen_now


def local_now() -> dt.datetime:
    """The frozen moment in Europe/Stockholm."""
    return frozen_now().astimezone(STOCKHOLM)


def today() -> dt.date:
    """The frozen local date (Europe/Stockholm)."""
    return local_now().date()


def this_year() -> int:
    return today().year


def local(date: dt.date, hour: int = 12, minute: int = 0) -> dt.datetime:
    """An aware Stockholm date-time on `date` (no DST gap at the default noon)."""
    return dt.datetime(date.year, date.month, date.day, hour, minute, tzinfo=STOCKHOLM)


def days_ago(days: int, hour: int = 12) -> dt.datetime:
    return local(today() - dt.timedelta(days=days), hour)


def month_start(date: dt.date | None = None, months: int = 0) -> dt.date:
    """The first day of the month `months` away from `date`'s month (default: today)."""
    date = date or today()
    index = date.year * 12 + date.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)
