"""The activity plan (årshjul): recurring planned activities and planned versus done for the
current week, month or year."""

import datetime as dt
from calendar import monthrange

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.dates import MONTHS_3
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from accounts.bounds import date_range

from .. import rules, services
from ..access import place_access
from ..forms import PlannedActivityForm, add_service_errors
from ..models import PlannedActivity
from ..queries import plan_vs_done

PERIODS = ("week", "month", "year")


def period_bounds(kind: str, on: dt.date) -> tuple[dt.date, dt.date]:
    """[start, end) of the week (Monday first), month or year that contains `on`."""
    if kind == "week":
        start = on - dt.timedelta(days=on.weekday())
        return start, start + dt.timedelta(days=7)
    if kind == "year":
        return dt.date(on.year, 1, 1), dt.date(on.year + 1, 1, 1)
    start = on.replace(day=1)
    return start, start + dt.timedelta(days=monthrange(on.year, on.month)[1])


def period_label(kind: str, start: dt.date) -> str:
    if kind == "week":
        year, week, _day = start.isocalendar()
        return _("Week %(week)s, %(year)s") % {"week": week, "year": year}
    if kind == "year":
        return str(start.year)
    return date_format(start, "YEAR_MONTH_FORMAT")


def _parse_on(value: str | None) -> dt.date:
    today = timezone.localdate()
    try:
        on = dt.date.fromisoformat(value) if value else today
    except ValueError:
        return today
    # A hand-edited URL asking for year 9999 gets this month, not an overflow.
    earliest, latest = date_range()
    return on if earliest <= on <= latest else today


def _year_grid(row, year: int) -> list[dict]:
    """Twelve month cells for one plan row: how many occurrences, and how many done/missing."""
    cells = []
    for month in range(1, 13):
        windows = [
            w for w in row["windows"] if w["start"].year == year and w["start"].month == month
        ]
        states = [w["state"] for w in windows]
        if not windows:
            state = "none"
        elif all(s == "done" for s in states):
            state = "done"
        elif "missing" in states:
            state = "missing"
        elif "due" in states:
            state = "due"
        else:
            state = "upcoming"
        cells.append(
            {
                "month": month,
                "label": MONTHS_3[month],
                "planned": len(windows),
                "done": states.count("done"),
                "state": state,
            }
        )
    return cells


@login_required
@require_GET
def plan(request, place_slug):
    access = place_access(request.user, place_slug)
    kind = request.GET.get("period") if request.GET.get("period") in PERIODS else "month"
    on = _parse_on(request.GET.get("on"))
    start, end = period_bounds(kind, on)
    result = plan_vs_done(place=access.place, start=start, end=end)
    if kind == "year":
        for row in result["rows"]:
            row["grid"] = _year_grid(row, start.year)
    plans = PlannedActivity.objects.filter(place=access.place).select_related("kind")
    return render(
        request,
        "places/plan.html",
        {
            "place": access.place,
            "access": access,
            "active_tab": "plan",
            "period": kind,
            "periods": [
                ("week", _("Week")),
                ("month", _("Month")),
                ("year", _("Year")),
            ],
            "start": start,
            "last_day": end - dt.timedelta(days=1),
            "label": period_label(kind, start),
            "previous_on": (start - dt.timedelta(days=1)).isoformat(),
            "next_on": end.isoformat(),
            "today": timezone.localdate(),
            "result": result,
            "month_labels": [MONTHS_3[m] for m in range(1, 13)],
            "plans": plans,
            "can_manage": rules.can_manage_plan(access),
        },
    )


def _plan_form_view(request, place_slug, pk=None):
    access = place_access(request.user, place_slug, require="manager")
    plan_entry = None
    if pk is not None:
        plan_entry = get_object_or_404(PlannedActivity, place=access.place, pk=pk)
    form = PlannedActivityForm(
        request.POST or None,
        place=access.place,
        actor=request.user,
        **({"instance": plan_entry} if plan_entry else {}),
    )
    if request.method == "POST" and form.is_valid():
        try:
            if plan_entry:
                services.planned_activity_update(
                    plan=PlannedActivity.objects.get(pk=plan_entry.pk),
                    data=form.cleaned_data,
                )
            else:
                services.planned_activity_create(place=access.place, data=form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The activity plan was saved."))
            return redirect("places:plan", place_slug=place_slug)
    return render(
        request,
        "places/planned_activity_form.html",
        {
            "place": access.place,
            "access": access,
            "active_tab": "plan",
            "form": form,
            "plan_entry": plan_entry,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def planned_activity_create(request, place_slug):
    return _plan_form_view(request, place_slug)


@login_required
@require_http_methods(["GET", "POST"])
def planned_activity_edit(request, place_slug, pk):
    return _plan_form_view(request, place_slug, pk)


@login_required
@require_http_methods(["GET", "POST"])
def planned_activity_delete(request, place_slug, pk):
    access = place_access(request.user, place_slug)
    plan_entry = get_object_or_404(PlannedActivity, place=access.place, pk=pk)
    if not rules.can_manage_plan(access):
        raise PermissionDenied
    if request.method == "POST":
        services.planned_activity_delete(plan=plan_entry)
        messages.success(request, _("The planned activity was removed from the plan."))
        return redirect("places:plan", place_slug=place_slug)
    return render(
        request,
        "places/planned_activity_confirm_delete.html",
        {"place": access.place, "access": access, "active_tab": "plan", "plan_entry": plan_entry},
    )
