"""The public figures of a place (issue #14): incidents per month and category, and the safety
index over time, with small counts suppressed.

Less than a member reader sees, never more: a cell under SMALL_COUNT is shown as "färre än 5"
so no event or person can be singled out; restricted incidents count only in the month's total,
never in a category; a survey with fewer than SMALL_COUNT answers shows no index. Two queries,
both on the daily rollups (the public page is the one residents open: 50 ms on the raw
incidents of a busy place, 2 ms on the rollup).
"""

import datetime as dt

from django.db.models import F, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import pgettext_lazy

from surveys.queries import safety_index_by_survey

from .models import IncidentCategory, IncidentDay
from .periods import first_of_month_shifted

SMALL_COUNT = 5
PUBLIC_MONTHS = 12

# The standard categories' names in every public language (the table holds only Swedish and
# English); a category added later shows its own name.
PUBLIC_CATEGORY_NAMES = {
    "skadegorelse": pgettext_lazy("incident category", "Vandalism"),
    "klotter": pgettext_lazy("incident category", "Graffiti"),
    "nedskrapning": pgettext_lazy("incident category", "Littering"),
    "stold-snatteri": pgettext_lazy("incident category", "Theft/shoplifting"),
    "inbrott": pgettext_lazy("incident category", "Burglary"),
    "hot": pgettext_lazy("incident category", "Threats"),
    "vald": pgettext_lazy("incident category", "Violence"),
    "ran": pgettext_lazy("incident category", "Robbery"),
    "narkotikahandel": pgettext_lazy("incident category", "Suspected drug dealing"),
    "ordningsstorning": pgettext_lazy("incident category", "Public disorder"),
    "berusade": pgettext_lazy("incident category", "Intoxicated persons"),
    "buskorning": pgettext_lazy("incident category", "Reckless driving"),
    "brand": pgettext_lazy("incident category", "Fire"),
    "storande-grupper": pgettext_lazy("incident category", "Disruptive groups"),
    "ovrigt": pgettext_lazy("incident category", "Other"),
}


def category_label(category) -> str:
    return str(PUBLIC_CATEGORY_NAMES.get(category.code) or category.name)


def shown(count: int) -> int | None:
    """The count as published: None (rendered "fewer than 5") for 1–4; 0 stays 0."""
    return None if 0 < count < SMALL_COUNT else count


def _month_starts(today: dt.date, months: int) -> list[dt.date]:
    """The firsts of the `months` months up to and including `today`'s, oldest first."""
    return [first_of_month_shifted(today, -back) for back in reversed(range(months))]


def public_incident_table(place, today: dt.date | None = None) -> dict:
    """Rows per month (oldest first) with a cell per category and the total."""
    today = today or timezone.localdate()
    months = _month_starts(today, PUBLIC_MONTHS)
    # Whole local months: the daily rollup's rows (place, local day, category) add up to them.
    rows = (
        IncidentDay.objects.filter(place=place, day__gte=months[0])
        .annotate(month=TruncMonth("day"))
        .values("month", "category_id")
        .annotate(total=Sum("count"), members=Sum(F("count") - F("restricted")))
        .order_by()
    )
    cells: dict[tuple[dt.date, int], int] = {}
    totals: dict[dt.date, int] = {}
    for row in rows:
        month = row["month"]
        month = month.date() if isinstance(month, dt.datetime) else month
        totals[month] = totals.get(month, 0) + row["total"]
        if row["members"]:
            key = (month, row["category_id"])
            cells[key] = cells.get(key, 0) + row["members"]
    category_ids = sorted({cat for (_m, cat) in cells})
    categories = (
        list(IncidentCategory.objects.filter(pk__in=category_ids).order_by("order", "pk"))
        if category_ids
        else []
    )
    return {
        "categories": [category_label(cat) for cat in categories],
        "rows": [
            {
                "month": month,
                "cells": [shown(cells.get((month, cat.pk), 0)) for cat in categories],
                "total": shown(totals.get(month, 0)),
            }
            for month in months
        ],
    }


def public_safety_index(place) -> list[dict]:
    """The index per survey wave that has been answered; hidden under SMALL_COUNT answers."""
    waves = []
    for row in safety_index_by_survey(place=place):
        if row["status"] == "draft" or not row["responses"]:
            continue
        enough = row["responses"] >= SMALL_COUNT
        waves.append(
            {
                "title": row["title"],
                "date": row["opens_at"] or row["created_at"],
                "index": row["index"] if enough else None,
                "too_few": row["too_few"],
                "responses": row["responses"] if enough else None,
            }
        )
    # By period (a wave opened by hand has its start since #19), not by when it was drafted.
    return sorted(waves, key=lambda wave: wave["date"])
