"""Report periods: weeks, months and quarters of local (Europe/Stockholm) dates.

A period is a half-open range of dates [start, end). Its datetime bounds are local midnights,
so a period always covers whole local days, 23 or 25 hours long on the DST change days.
The dashboard's period (a preset or a chosen range of days) is here too, for the dashboard
and its form (`safety.forms.PeriodForm`).
"""

import datetime as dt
import re
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.utils.translation import pgettext

from accounts.bounds import EARLIEST_DATE

# Month arithmetic is defined in places (below safety); importable from here as before.
from places.months import first_of_month_shifted as first_of_month_shifted
from places.months import local_midnight as local_midnight

KINDS = ("weekly", "monthly", "quarterly")


def local_tz():
    return ZoneInfo(settings.TIME_ZONE)


@dataclass(frozen=True)
class Period:
    kind: str
    start: dt.date
    end: dt.date  # exclusive

    @property
    def code(self) -> str:
        """2026-W43, 2026-10 or 2026-Q3 – the form `generate_reports --period` accepts."""
        if self.kind == "weekly":
            year, week, _weekday = self.start.isocalendar()
            return f"{year}-W{week:02d}"
        if self.kind == "monthly":
            return f"{self.start:%Y-%m}"
        return f"{self.start.year}-Q{(self.start.month - 1) // 3 + 1}"

    def previous(self) -> "Period":
        return period_containing(self.kind, self.start - dt.timedelta(days=1))

    def has_ended(self, today: dt.date | None = None) -> bool:
        return self.end <= (today or timezone.localdate())


def period_containing(kind: str, day: dt.date) -> Period:
    if kind == "weekly":
        start = day - dt.timedelta(days=day.weekday())
        return Period(kind, start, start + dt.timedelta(days=7))
    if kind == "monthly":
        start = day.replace(day=1)
        return Period(kind, start, first_of_month_shifted(start, 1))
    if kind == "quarterly":
        start = dt.date(day.year, (day.month - 1) // 3 * 3 + 1, 1)
        return Period(kind, start, first_of_month_shifted(start, 3))
    raise ValueError(f"Unknown report kind {kind!r}")


def ended_periods(kind: str, *, today: dt.date, count: int) -> list[Period]:
    """The `count` most recent periods of `kind` that have ended by `today`, newest first."""
    period = period_containing(kind, today).previous()
    periods = []
    for _i in range(count):
        periods.append(period)
        period = period.previous()
    return periods


_WEEK = re.compile(r"^(\d{4})-W(\d{1,2})$", re.IGNORECASE)
_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")
_QUARTER = re.compile(r"^(\d{4})-Q([1-4])$", re.IGNORECASE)


def parse_period(code: str) -> Period:
    """Parse 2026-W43, 2026-10 or 2026-Q3 into a Period; ValueError with a readable message."""
    code = (code or "").strip()
    try:
        if match := _WEEK.match(code):
            start = dt.date.fromisocalendar(int(match[1]), int(match[2]), 1)
            return Period("weekly", start, start + dt.timedelta(days=7))
        if match := _MONTH.match(code):
            return period_containing("monthly", dt.date(int(match[1]), int(match[2]), 1))
        if match := _QUARTER.match(code):
            return period_containing("quarterly", dt.date(int(match[1]), int(match[2]) * 3 - 2, 1))
    except ValueError:
        pass
    raise ValueError(
        _("“%(code)s” is not a period: use 2026-10 (month), 2026-W43 (week) or 2026-Q3 (quarter).")
        % {"code": code}
    )


def period_title(kind: str, start: dt.date) -> str:
    """A human title in the active language: "oktober 2026", "vecka 43, 2026", "kvartal 3 2026"."""
    from django.utils.formats import date_format

    if kind == "weekly":
        year, week, _weekday = start.isocalendar()
        return _("week %(week)s, %(year)s") % {"week": week, "year": year}
    if kind == "monthly":
        return date_format(start, "F Y")
    return _("quarter %(quarter)s %(year)s") % {
        "quarter": (start.month - 1) // 3 + 1,
        "year": start.year,
    }


# --- The dashboard's period ----------------------------------------------------------------

PRESET_DAYS = {"7d": 7, "30d": 30, "90d": 90}
DEFAULT_PERIOD = "30d"
EARLIEST = EARLIEST_DATE
MAX_DAYS = 5 * 366  # five years: the history a city keeps (architecture §8)


LAST_DAY_BEFORE_FIRST = _lazy("The last day must be on or after the first day.")


@dataclass(frozen=True)
class DashboardPeriod:
    key: str  # 7d, 30d, 90d, year or custom
    start: dt.date
    end: dt.date  # exclusive

    @property
    def last_day(self) -> dt.date:
        return self.end - dt.timedelta(days=1)

    @property
    def days(self) -> int:
        return (self.end - self.start).days

    @property
    def query(self) -> str:
        """The shareable query string of this period."""
        if self.key == "custom":
            return urlencode({"start": self.start.isoformat(), "end": self.last_day.isoformat()})
        return urlencode({"period": self.key})

    @property
    def label(self) -> str:
        names = {
            "7d": _("Last 7 days"),
            "30d": _("Last 30 days"),
            "90d": _("Last 90 days"),
            "year": pgettext("dashboard period", "This year"),
            "custom": _("Chosen period"),
        }
        return names[self.key]

    @property
    def dates(self) -> str:
        first = date_format(self.start, "j F Y")
        last = date_format(self.last_day, "j F Y")
        return first if first == last else f"{first} – {last}"


def preset_period(key: str, today: dt.date) -> DashboardPeriod:
    end = today + dt.timedelta(days=1)
    if key == "year":
        return DashboardPeriod("year", today.replace(month=1, day=1), end)
    return DashboardPeriod(key, end - dt.timedelta(days=PRESET_DAYS[key]), end)
