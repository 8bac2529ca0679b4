"""Visitor counts of a place (issue #18): counted by hand from a phone, or imported from sensors
(the import lives with the other file imports in `safety`). Readers see the figures per day and
per hour; reporters and managers add counts."""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from ..access import place_access
from ..forms import VisitorCountForm
from ..models import VisitorCount
from ..queries import visitor_figures
from ..workspace import map_config

# The visitors page shows this many days back and this many latest counts.
VISITOR_DAYS = 90
LATEST_COUNTS = 30


@login_required
@require_GET
def visitor_list(request, place_slug):
    access = place_access(request.user, place_slug)
    today = timezone.localdate()
    start = today - dt.timedelta(days=VISITOR_DAYS - 1)
    figures = visitor_figures(place=access.place, start=start, end=today + dt.timedelta(days=1))
    top_hour = max(figures["hours"]) or 1
    latest = (
        VisitorCount.objects.visible_to(request.user)
        .filter(place=access.place)
        .order_by("-counted_at")[:LATEST_COUNTS]
    )
    return render(
        request,
        "places/visitors/list.html",
        {
            "place": access.place,
            "access": access,
            "active_tab": "visitors",
            "figures": figures,
            "hours": [
                {"hour": hour, "people": people, "pct": round(people / top_hour * 100)}
                for hour, people in enumerate(figures["hours"])
            ],
            "start": start,
            "today": today,
            "latest": latest,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def visitor_create(request, place_slug):
    access = place_access(request.user, place_slug, require="reporter")
    form = VisitorCountForm(request.POST or None, place=access.place, actor=request.user)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            count = form.save(commit=False)
            count.source = VisitorCount.Source.MANUAL
            count.recorded_by = request.user
            count.save()
        if form.position_warning:
            messages.warning(request, form.position_warning)
        messages.success(request, _("The count is saved. Thank you."))
        return redirect("places:visitor_list", place_slug=place_slug)
    return render(
        request,
        "places/visitors/form.html",
        {
            "place": access.place,
            "access": access,
            "active_tab": "visitors",
            "form": form,
            "map_config": map_config(access.place),
        },
        status=400 if request.method == "POST" else 200,
    )
