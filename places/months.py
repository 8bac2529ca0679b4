"""Month arithmetic on dates and where a local day begins: the one definition, used by every
app from places up (safety's periods, figures core, dashboards and public page; places' plans,
public page, visitor counts and list filters)."""

import datetime as dt

from django.utils import timezone


def first_of_month_shifted(day: dt.date, months: int) -> dt.date:
    """The first day of the month `months` after (or, negative, before) the month of `day`."""
    index = day.year * 12 + (day.month - 1) + months
    return dt.date(index // 12, index % 12 + 1, 1)


def months_between(start: dt.date, end: dt.date) -> int:
    """How many months the month of `end` is after the month of `start` (days ignored)."""
    return (end.year - start.year) * 12 + end.month - start.month


def local_midnight(day: dt.date) -> dt.datetime:
    """The aware datetime at which `day` begins in the local time zone (settings.TIME_ZONE)."""
    return dt.datetime.combine(day, dt.time.min, tzinfo=timezone.get_default_timezone())
