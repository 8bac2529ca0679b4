"""What people may type, defined once for the whole project (issue #11 §4: no 500, whatever is
typed).

Every date, time, amount and key that reaches a query or the database passes one of these rules:
the forms and list filters use the form fields below, the incident import calls `check_moment`,
and the models carry the validators, so the admin is held to the same rule. Keys get the same
care in `accounts.lookups`. The lowest app holds it because every app needs it.

The range of dates:

- Nothing before 1 January 2000. The partnerships the platform serves started later, and
  nothing – a report, a dashboard period, an import – looks further back.
- Plans and deadlines (planned activities, due dates, memberships, survey schedules, report
  periods, list filters) at most ten years ahead: a long plan, never year 9999.
- Events (incidents, activities, payments, answers) at most a day ahead, for a phone's clock or
  a time zone; an event's own form may be stricter (an incident: ten minutes).

Both ends lie far inside what Python's dates and the database hold, so arithmetic on a stored
value – the day after, the week it is in – cannot overflow, and a local time always converts to
UTC (the first hour of year 1 in Stockholm is still year 0 in UTC).
"""

import datetime as dt
import enum
import math
import re

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext_lazy as _

EARLIEST_DATE = dt.date(2000, 1, 1)
PLANNING_YEARS = 10
EVENT_LEEWAY = dt.timedelta(days=1)


class Horizon(enum.Enum):
    PLANNING = "planning"  # plans, deadlines, schedules and filters: up to ten years ahead
    EVENT = "event"  # what has happened: up to a day ahead


def _add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def date_range(horizon: Horizon = Horizon.PLANNING) -> tuple[dt.date, dt.date]:
    """The first and last date allowed, both included."""
    today = timezone.localdate()
    if horizon is Horizon.EVENT:
        return EARLIEST_DATE, today + EVENT_LEEWAY
    return EARLIEST_DATE, _add_years(today, PLANNING_YEARS)


def moment_range(horizon: Horizon = Horizon.PLANNING) -> tuple[dt.datetime, dt.datetime]:
    """The first and last moment allowed (aware), both included."""
    zone = timezone.get_current_timezone()
    earliest = dt.datetime.combine(EARLIEST_DATE, dt.time.min, tzinfo=zone)
    if horizon is Horizon.EVENT:
        return earliest, timezone.now() + EVENT_LEEWAY
    last_day = date_range(horizon)[1]
    return earliest, dt.datetime.combine(last_day, dt.time.max, tzinfo=zone)


def check_date(value: dt.date, horizon: Horizon = Horizon.PLANNING) -> None:
    """Refuse a date outside the range, with a message that says the range."""
    earliest, latest = date_range(horizon)
    if not earliest <= value <= latest:
        raise ValidationError(
            _("Choose a date between %(earliest)s and %(latest)s."),
            code="date_out_of_range",
            params={
                "earliest": date_format(earliest, "DATE_FORMAT"),
                "latest": date_format(latest, "DATE_FORMAT"),
            },
        )


def check_moment(value: dt.datetime, horizon: Horizon = Horizon.PLANNING) -> None:
    """Refuse a date and time outside the range (comparing aware values never overflows)."""
    earliest, latest = moment_range(horizon)
    if timezone.is_naive(value):
        value = value.replace(tzinfo=timezone.get_current_timezone())
    if not earliest <= value <= latest:
        raise ValidationError(
            _("Choose a time between %(earliest)s and %(latest)s."),
            code="date_out_of_range",
            params={
                "earliest": date_format(earliest, "DATE_FORMAT"),
                "latest": date_format(timezone.localtime(latest), "DATETIME_FORMAT"),
            },
        )


def clamp_moment(value: dt.datetime, horizon: Horizon = Horizon.PLANNING) -> dt.datetime:
    """The nearest moment inside the range: for reading a stored value that is outside it (from
    before dates were bounded, or typed into the database), never for accepting input."""
    earliest, latest = moment_range(horizon)
    return min(max(value, earliest), latest)


# Model validators: module-level functions, so migrations can name them.


def validate_planning_date(value):
    check_date(value, Horizon.PLANNING)


def validate_event_date(value):
    check_date(value, Horizon.EVENT)


def validate_planning_datetime(value):
    check_moment(value, Horizon.PLANNING)


def validate_event_datetime(value):
    check_moment(value, Horizon.EVENT)


def validate_storable_json(value):
    """JSON the database can hold: PostgreSQL's jsonb refuses a NUL character in a string and
    NaN or Infinity as a number (Python's json module reads and writes both)."""
    if isinstance(value, str):
        if "\x00" in value:
            raise ValidationError(
                _("The text holds a NUL character, which cannot be saved."), code="nul"
            )
    elif isinstance(value, float):
        if not math.isfinite(value):
            raise ValidationError(
                _("Enter numbers, not %(value)s."), code="not_finite", params={"value": value}
            )
    elif isinstance(value, dict):
        for key, item in value.items():
            validate_storable_json(key)
            validate_storable_json(item)
    elif isinstance(value, list | tuple):
        for item in value:
            validate_storable_json(item)


# --- Form fields and list filters ---------------------------------------------------------------


class BoundedDateField(forms.DateField):
    """A date of a plan, a deadline or a filter; a date outside the range is a field error."""

    horizon = Horizon.PLANNING

    def to_python(self, value):
        value = super().to_python(value)
        if value is not None:
            check_date(value, self.horizon)
        return value


def wall_clock_moment(read):
    """The moment a local wall-clock time names, also on the nights the clocks change.

    `read` turns the typed value into a datetime in the current time zone. Django refuses a
    local time that happens twice (02:30 on the last Sunday of October) or never (02:30 on the
    last Sunday of March); a guard logging at 02:30 that night means the clock on the wall. So
    the value is read as if the zone were UTC and given the local zone afterwards: of two, the
    first (summer time); a skipped time in the offset before the change (02:30 → 03:30 summer
    time).
    """
    try:
        return read()
    except ValidationError as error:
        if error.code != "ambiguous_timezone":
            raise
    local = timezone.get_current_timezone()
    with timezone.override(dt.UTC):
        wall = read()
    return wall.replace(tzinfo=local) if wall is not None else None


class BoundedDateTimeField(forms.DateTimeField):
    """A date and time of a schedule (a survey opening); outside the range, a field error."""

    horizon = Horizon.PLANNING

    def to_python(self, value):
        value = wall_clock_moment(lambda: super(BoundedDateTimeField, self).to_python(value))
        if value is not None:
            check_moment(value, self.horizon)
        return value


class WallClockSplitDateTimeField(forms.SplitDateTimeField):
    """The admin's date-and-time field, reading the nights the clocks change as the forms do."""

    def compress(self, data_list):
        return wall_clock_moment(
            lambda: super(WallClockSplitDateTimeField, self).compress(data_list)
        )


def use_wall_clock_in_the_admin():
    """Every admin date-and-time field reads the nights the clocks change as the forms do.

    The admin keeps one table of default form fields, copied into each ModelAdmin when it is
    registered; the admins are registered before this app is ready, so they get it too.
    """
    from django.contrib import admin
    from django.contrib.admin import options
    from django.db import models

    wall_clock = {"form_class": WallClockSplitDateTimeField}
    options.FORMFIELD_FOR_DBFIELD_DEFAULTS[models.DateTimeField].update(wall_clock)
    for model_admin in admin.site._registry.values():
        model_admin.formfield_overrides.setdefault(models.DateTimeField, {}).update(wall_clock)


class EventDateTimeField(BoundedDateTimeField):
    """When something happened (an incident, an activity)."""

    horizon = Horizon.EVENT


# Spaces people type or paste in numbers: "1 250 000", with the no-break and narrow no-break
# spaces of formatted figures.
_GROUPING = re.compile(r"[\s\u00a0\u202f]")


def read_number(text: str) -> str:
    """A typed number in the form Python reads: "300 000,00", "300000.00", "1,250,000.50" and
    "1.250.000,50" all work; of "," and "." the last one is the decimal separator, and a lone
    comma is one ("2,5" is two and a half, as Swedes write it)."""
    text = _GROUPING.sub("", text)
    if "," in text and "." in text:
        if text.rfind(",") > text.rfind("."):
            return text.replace(".", "").replace(",", ".")
        return text.replace(",", "")
    if text.count(",") == 1:
        return text.replace(",", ".")
    return text


class LocalizedNumberInput(forms.TextInput):
    """A number shown as the reader's language writes it – "300 000,00" in Swedish, "300,000.00"
    in English – and typed the same way (issue #19). A text input with the decimal keypad: a
    browser's number input shows "300000.00" whatever the language."""

    def __init__(self, attrs=None):
        super().__init__({"inputmode": "decimal", "autocomplete": "off", **(attrs or {})})

    def format_value(self, value):
        if value is None or value == "":
            return None
        if isinstance(value, str):
            return value  # what was typed, shown back as typed
        return number_format(value, use_l10n=True, force_grouping=True)


class FiniteDecimalField(forms.DecimalField):
    """A decimal number that is a number: NaN, sNaN and Infinity are refused as they are read,
    before any comparison (comparing with NaN raises in Python's decimal module). Shown and read
    in the reader's number format (`LocalizedNumberInput`, `read_number`)."""

    widget = LocalizedNumberInput

    def to_python(self, value):
        if isinstance(value, str):
            value = read_number(value)
        value = super().to_python(value)
        if value is not None and not value.is_finite():
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return value


class BoundedDateFilter(django_filters.DateFilter):
    """A list filter's date, held to the planning range like every date that is typed."""

    field_class = BoundedDateField


# --- Formsets -------------------------------------------------------------------------------------


class FixedFormSet(forms.BaseFormSet):
    """A formset whose number of forms the page decides (one per party, say), not the browser:
    a tampered or missing management form is a form error and the rows still match the page."""

    def total_form_count(self):
        return self.min_num + self.extra if self.is_bound else super().total_form_count()

    def full_clean(self):
        super().full_clean()
        if not self.is_bound or self._non_form_errors:
            return
        sent = self.management_form.cleaned_data.get(forms.formsets.TOTAL_FORM_COUNT)
        if sent != self.total_form_count():
            self._non_form_errors.append(
                ValidationError(
                    _("The form was changed on its way here. Reload the page and try again."),
                    code="tampered",
                )
            )


def fixed_formset(form_class, count: int):
    """A formset class of exactly `count` forms of `form_class`."""
    return forms.formset_factory(
        form_class,
        formset=FixedFormSet,
        extra=0,
        min_num=count,
        max_num=count,
        absolute_max=count,
    )


END_BEFORE_START = _("The end date must be on or after the start date.")


def end_not_before_start(
    form, start: str, end: str, message=END_BEFORE_START, *, strict: bool = False
) -> None:
    """The rule "the end is not before the start", shown while typing: the end input names its
    start input and carries the message, and static/js/forms.js compares the two values (ISO
    dates and datetime-local values sort as text). The same comparison decides on submit, in
    the form's or the model's clean(), with the same `message`. `strict`: the end must be after
    the start, not on it (a survey closes after it opens)."""
    attrs = {"data-not-before": form[start].auto_id, "data-not-before-message": str(message)}
    if strict:
        attrs["data-not-before-strict"] = "true"
    form.fields[end].widget.attrs.update(attrs)
