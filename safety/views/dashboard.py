"""The place dashboard (a place's landing page) and the overview across places: the views.

What they show is built in `safety.dashboard` (the period, the key figures, the map's data, the
context of the cached bodies); the figures come from `safety.figures` through `safety.cache`.
"""

from django.contrib.auth.decorators import login_required
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.functional import SimpleLazyObject
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from amp_platform.compressed import MARKER, segment, spliced_response
from amp_platform.shells import rendered_shell
from places.access import place_access
from places.exports import csv_response
from places.models import Place
from places.services.notifications import unread_key
from places.workspace import shell_key, wants_fragment

from ..cache import (
    cached_dashboard_body,
    cached_overview_body,
    dashboard_scope,
)
from ..dashboard import (
    BODY_TEMPLATE,
    body_context,
    csv_number,
    lazy_inspection,
    overview_context,
    overview_rows,
    resolve_period,
)
from ..forms import PeriodForm
from ..queries import (
    COMPARISON_SORTS,
    overview_places,
)


@login_required
@require_GET
def place_dashboard(request, place_slug):
    """The place's landing page: live figures for a period, charts, map, funding and reports.

    The body (everything below the place's header) is rendered once per place version, period,
    language and what the role may see (`safety.cache.dashboard_scope`) and then served from
    the cache: a warm request is the access check, two cache reads and the page shell."""
    access = place_access(request.user, place_slug)
    place = access.place
    today = timezone.localdate()
    form, period, valid = resolve_period(request.GET, today)
    if valid and period.key == "custom":
        # Shown as the dates it stands for (as the presets are), so one cached body serves
        # every spelling of the same period.
        form = PeriodForm(initial={"start": period.start, "end": period.last_day}, today=today)

    def build() -> dict:
        context = body_context(
            user=request.user, access=access, form=form, period=period, valid=valid, today=today
        )
        return segment(render_to_string(BODY_TEMPLATE, context))

    if valid:
        scope = dashboard_scope(user=request.user, access=access)
        bell = unread_key(request.user)
        body, found = cached_dashboard_body(
            place=place,
            parts=(period.key, period.start, period.end, today, *scope),
            build=build,
            user=request.user,
            also=[bell],
        )
        if bell in found:  # the header's count, read in the same round trip
            request.unread_notifications = found[bell]
    else:  # the form's messages echo the input: rendered for this request only
        body = build()
    # Only the period controls ask for the fragment; a history restore (back button after the
    # cache ran out) or any other htmx request gets the whole page.
    if wants_fragment(request, "dashboard"):
        shell = MARKER
    else:
        context = {
            "place": place,
            "access": access,
            "active_tab": "overview",
            "period": period,
            "form": form,
            "dashboard_body": mark_safe(MARKER),
            **lazy_inspection(user=request.user, access=access, period=period, today=today),
        }
        shell = rendered_shell(
            request, "safety/dashboard/place.html", context, key=shell_key(request, access)
        )
    response = spliced_response(request, shell, body)
    # The same URL answers with a fragment or a page: caches and history must keep them apart.
    patch_vary_headers(response, ["HX-Request"])
    return response


@login_required
@require_GET
def city_overview_export(request):
    """The overview as CSV: the same rows and order as the page, through the one export helper
    (`;`, UTF-8 with BOM, formula guard)."""
    today = timezone.localdate()
    rows, _sort, _descending = overview_rows(request, today)
    header = [
        _("Place"),
        _("Municipality"),
        _("Incidents per month"),
        _("Incidents, last three months"),
        _("Incidents, three months before"),
        _("Trend (%)"),
        _("Safety index"),
        _("Survey responses"),
        _("Activities"),
        _("Activity hours"),
        _("Planned activities"),
        _("Planned activities done"),
        _("Planned done (%)"),
        _("Open action items"),
        _("Overdue action items"),
        _("Committed (SEK)"),
        _("Budget (SEK)"),
        _("Funding coverage (%)"),
    ]

    def lines():
        for row in rows:
            yield [
                row["place"].name,
                row["place"].municipality,
                csv_number(row["incidents_per_month"]),
                row["incidents"],
                row["incidents_previous"],
                csv_number(row["trend"]["pct"], 0) if row["trend"]["pct"] is not None else "",
                csv_number(row["safety_index"]),
                row["responses"],
                row["activities"],
                csv_number(row["hours"]),
                row["planned"],
                row["done"],
                "" if row["plan_pct"] is None else row["plan_pct"],
                row["open_action_items"],
                row["overdue_action_items"],
                csv_number(row["committed_sek"], 0),
                csv_number(row["target_sek"], 0),
                "" if row["coverage_pct"] is None else row["coverage_pct"],
            ]

    return csv_response(f"overview-{today.isoformat()}.csv", header, lines())


@login_required
@require_GET
def city_overview(request):
    """One table comparing the places the user may follow; sortable, each row links on; a map
    of the places with their key figure and a CSV of the same rows.

    The table and map are rendered once per set of places (and their versions), sort order,
    openable places, day and language, then served from the cache."""
    today = timezone.localdate()
    places = list(overview_places(request.user))
    openable = set(Place.objects.visible_to(request.user).values_list("pk", flat=True))
    sort = request.GET.get("sort", "name")
    if sort not in COMPARISON_SORTS:
        sort = "name"
    descending = request.GET.get("dir") == "desc"

    def context():
        return overview_context(
            request,
            places=places,
            openable=openable,
            sort=sort,
            descending=descending,
            today=today,
        )

    def build():
        values = context()
        html = render_to_string("safety/dashboard/partials/_overview_body.html", values)
        return {**segment(html), "has_map": bool(values["map_places"])}

    parts = (sort, descending, today, sorted(openable & {p.pk for p in places}))
    body = cached_overview_body(
        place_ids=[p.pk for p in places], parts=parts, build=build, user=request.user
    )
    shell = rendered_shell(
        request,
        "safety/dashboard/overview.html",
        {
            "overview_body": mark_safe(MARKER),
            "has_map": body["has_map"],
            # For inspection (tests): computed only when read.
            "rows": SimpleLazyObject(lambda: context()["rows"]),
        },
        key=(*shell_key(request), body["has_map"]),
    )
    return spliced_response(request, shell, body)
