"""What the place dashboard (a place's landing page) and the overview across places show: the
period asked for (the period itself is in `safety.periods`, its form in `safety.forms`), the key
figures, the map's data and the context of the cached bodies. The views are in
`safety.views.dashboard`.

The dashboard shows the figures of `safety.figures.place_figures` – the very function the
lägesbild freezes – through the cache of `safety.cache`, with the report's own charts
(`places.charts`) plus the dashboard's extra charts (`safety.dashboard_charts`). What depends on
the user (the map, commitments, reports) comes from the scoped querysets (architecture §4).

A period change is an htmx request for the same URL: the partial comes back and the URL is
pushed, so every view of the dashboard has a shareable address (?period=30d or
?start=2026-10-01&end=2026-10-31) that also works as a full page without JavaScript.
"""

import datetime as dt
import json

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.functional import SimpleLazyObject
from django.utils.http import urlencode
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from accounts.language import localised_name, name_key
from partnerships.queries.funding import commitment_rows, place_commitments
from places.charts import charts_for_figures

from .cache import (
    cached_chart_html,
    cached_comparison_rows,
    cached_dashboard_figures,
    cached_place_figures,
)
from .dashboard_charts import funding_chart, plan_chart, sparkline, weekly_categories_chart
from .forms import PeriodForm
from .periods import (
    DEFAULT_PERIOD,
    DashboardPeriod,
    preset_period,
)
from .queries import (
    COMPARISON_SORTS,
    comparison_window,
    latest_reports,
    map_incidents,
    open_action_items,
    overview_places,
    sort_comparison,
)


def resolve_period(params, today: dt.date) -> tuple[PeriodForm, DashboardPeriod, bool]:
    """The period asked for, or the default one with the form's errors when the input is bad.

    Returns (form, period, valid). Bad input never raises: the form carries the messages.
    """
    form = PeriodForm(params or None, today=today)
    if not params:
        period = preset_period(DEFAULT_PERIOD, today)
        form = PeriodForm(initial={"start": period.start, "end": period.last_day}, today=today)
        return form, period, True
    if form.is_valid():
        period = form.cleaned_data["resolved"]
        if period.key != "custom":
            form = PeriodForm(
                initial={"period": period.key, "start": period.start, "end": period.last_day},
                today=today,
            )
        return form, period, True
    return form, preset_period(DEFAULT_PERIOD, today), False


# --- Presentation helpers --------------------------------------------------------------------


def _number(value) -> str:
    if value is None:
        return "–"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return number_format(value, use_l10n=True, force_grouping=True)


def percent(value) -> str:
    return _("%(number)s%%") % {"number": _number(value)}


def change_badge(change: dict | None, *, higher_is_better: bool, points: bool = False) -> dict:
    """Context for `safety/includes/change.html`: arrow, text and whether it is good news."""
    if not change:
        return {}
    diff, pct = change.get("diff"), change.get("pct")
    if diff is None:
        return {}
    if diff == 0:
        return {"direction": "flat", "arrow": "→", "text": _("no change"), "tone": ""}
    sign = "+" if diff > 0 else "−"
    if points:
        text = _("%(sign)s%(number)s points") % {"sign": sign, "number": _number(abs(diff))}
    elif pct is not None:
        text = sign + percent(abs(pct))
    else:
        # Nothing recorded in the period compared with: no change to colour (issue #19).
        return {
            "direction": "flat",
            "arrow": "–",
            "text": _("no data for the period before"),
            "tone": "",
        }
    # One rule everywhere (as the `change` tag): more incidents is worse, a higher safety
    # index and more activities are better.
    better = (diff > 0) == higher_is_better
    return {
        "direction": "up" if diff > 0 else "down",
        "arrow": "↑" if diff > 0 else "↓",
        "text": text,
        "tone": "good" if better else "bad",
    }


def _alert_kpis(alerts: dict | None) -> list[dict]:
    """Alerts and the coordinated plan's confirmation coverage (issue #13)."""
    if not alerts:
        return []
    coverage = alerts["coverage"]
    median = alerts["median_first_answer_minutes"]
    kpis = [
        {
            "key": "alerts",
            "label": _("Alerts"),
            "value": _number(alerts["total"]),
            "change": {},
            "note": _("first answer after %(minutes)s min (median)") % {"minutes": _number(median)}
            if median is not None
            else _("no answered alerts"),
        }
    ]
    if coverage["version"]:
        kpis.append(
            {
                "key": "plan_confirmed",
                "label": _("Coordinated plan confirmed"),
                "value": f"{_number(coverage['confirmed'])} / {_number(coverage['organisations'])}",
                "change": {},
                "note": _("organisations, version %(number)s") % {"number": coverage["version"]},
                "alert": coverage["confirmed"] < coverage["organisations"],
            }
        )
    return kpis


def _kpis(figures: dict) -> list[dict]:
    incidents = figures["incidents"]
    activities = figures["activities"]
    items = figures["action_items"]
    index = figures["safety_index"]
    plan = figures["plan"]
    funding = figures["funding"]
    index_change = None
    if index["index"] is not None and index["previous_index"] is not None:
        index_change = {"diff": round(index["index"] - index["previous_index"], 1)}
    return [
        {
            "key": "incidents",
            "label": _("Incidents"),
            "value": _number(incidents["total"]),
            "change": change_badge(incidents["change_previous"], higher_is_better=False),
            "note": _("same period last year: %(count)s")
            % {"count": _number(incidents["last_year"])},
        },
        {
            "key": "activities",
            "label": _("Activities"),
            "value": _number(activities["count"]),
            "change": change_badge(activities["change_previous"], higher_is_better=True),
            "note": _("%(hours)s hours") % {"hours": _number(activities["hours"])},
        },
        {
            "key": "action_items",
            "label": _("Open action items"),
            "value": _number(items["open"]),
            "change": {},
            "note": _("%(count)s overdue") % {"count": _number(items["overdue"])},
            "alert": bool(items["overdue"]),
        },
        {
            "key": "safety_index",
            "label": _("Safety index"),
            "value": _number(index["index"]),
            "change": change_badge(index_change, higher_is_better=True, points=True),
            "note": _("%(count)s responses") % {"count": _number(index["responses"])}
            if index["index"] is not None
            # Answers there are, but fewer than SURVEY_MIN_ANSWERS (surveys.queries).
            else _("too few answers yet")
            if index["responses"]
            else _("no survey answers in the period"),
        },
        {
            "key": "plan",
            "label": _("Planned activities done"),
            "value": f"{_number(plan['done'])} / {_number(plan['planned'])}",
            "change": {},
            "note": percent(round(plan["done"] / plan["planned"] * 100))
            if plan["planned"]
            else _("no planned activities"),
        },
        *_alert_kpis(figures.get("alerts")),
        {
            "key": "funding",
            "label": _("Funding committed %(year)s") % {"year": funding["year"]},
            "value": percent(funding["coverage_pct"])
            if funding.get("coverage_pct") is not None
            else _("%(amount)s kr") % {"amount": _number(funding["committed_sek"])},
            "change": {},
            "note": _("of the budget") if funding.get("coverage_pct") is not None else "",
        },
        *_visitor_kpis(figures),
    ]


def _visitor_kpis(figures: dict) -> list[dict]:
    """Incidents per 1,000 visitors, only where visitors were counted in the period (older
    frozen figures have no "visitors")."""
    visitors = figures.get("visitors") or {}
    if not visitors.get("people"):
        return []
    return [
        {
            "key": "per_1000",
            "label": _("Incidents per 1,000 visitors"),
            "value": _number(visitors["per_1000"]),
            "change": {},
            "note": _("%(people)s people counted on %(days)s days")
            % {"people": _number(visitors["people"]), "days": _number(visitors["days_counted"])},
        }
    ]


# As json_script escapes: the JSON then holds no <, > or &, so it is safe as an element's text.
# Three replaces rather than str.translate, which looks up every character of the (tens of KB)
# text one by one: 4 ms against 0.1 ms on a cold dashboard (issue #20).
_JSON_TEXT_ESCAPES = ((">", "\\u003E"), ("<", "\\u003C"), ("&", "\\u0026"))


def _map_json(*, place, incidents, action_items) -> str:
    """What the dashboard's map shows, as JSON for the text of a hidden element that
    static/js/dashboard.js reads: plain JSON rather than a 59 KB escaped attribute, and not a
    <script> data block, which htmx (allowScriptTags off) drops from swapped content."""
    data = _map_data(place=place, incidents=incidents, action_items=action_items)
    text = json.dumps(data, separators=(",", ":"), ensure_ascii=False)
    for character, escaped in _JSON_TEXT_ESCAPES:
        text = text.replace(character, escaped)
    return mark_safe(text)  # noqa: S308 – no <, > or & left


def _map_data(*, place, incidents, action_items) -> dict:
    name = name_key()  # once, not per marker
    return {
        "centre": [place.centre_lat, place.centre_lon]
        if place.centre_lat is not None and place.centre_lon is not None
        else None,
        "boundary": place.boundary,
        "incidents": [
            {
                "lat": i["lat"],
                "lon": i["lon"],
                "label": f"{i[name]}, {i['when']}",
                "severity": i["severity"],
            }
            for i in incidents
        ],
        "actionItems": [
            {
                "lat": a["lat"],
                "lon": a["lon"],
                "label": f"{a['category']} ({a['status']})",
                "overdue": a["overdue"],
            }
            for a in action_items
        ],
    }


# --- The place dashboard ---------------------------------------------------------------------


def _render_charts(*, place, figures, weekly) -> dict[str, str]:
    """Every chart of the dashboard as HTML: the report's charts (same code, same template) and
    the dashboard's own, each with its description and table alternative."""
    charts = charts_for_figures(figures, boundary=place.boundary)
    charts["weekly"] = weekly_categories_chart(weekly)
    charts["plan"] = plan_chart(figures["plan"])
    charts["funding"] = funding_chart(figures["funding"])
    return {
        name: render_to_string("safety/includes/chart.html", {"chart": chart})
        for name, chart in charts.items()
    }


BODY_TEMPLATE = "safety/dashboard/partials/_dashboard.html"


def body_context(*, user, access, form, period, valid, today) -> dict:
    """Everything the dashboard's body shows (the cached part of the page)."""
    place = access.place
    figures, weekly = cached_dashboard_figures(
        place=place, start=period.start, end=period.end, today=today
    )
    chart_html = cached_chart_html(
        # When they were computed is not drawn.
        inputs=(
            {key: value for key, value in figures.items() if key != "computed_at"},
            weekly,
            place.boundary,
        ),
        build=lambda: _render_charts(place=place, figures=figures, weekly=weekly),
    )
    incidents = map_incidents(user=user, place=place, start=period.start, end=period.end)
    action_items = open_action_items(place=place, today=today)
    funding = figures["funding"]
    base_url = reverse("places:overview", kwargs={"place_slug": place.slug})
    return {
        "place": place,
        "form": form,
        "period_valid": valid,
        "period": period,
        "previous_dates": DashboardPeriod(
            "custom",
            dt.date.fromisoformat(figures["comparison"]["previous"]["start"]),
            dt.date.fromisoformat(figures["comparison"]["previous"]["end"]),
        ).dates,
        "presets": [
            {
                "key": key,
                "label": preset_period(key, today).label,
                "url": f"{base_url}?period={key}",
            }
            for key in ("7d", "30d", "90d", "year")
        ],
        "base_url": base_url,
        "figures": figures,
        "kpis": _kpis(figures),
        "chart_html": chart_html,
        "categories": [
            {
                **c,
                "name": localised_name(c),
                "badge": change_badge(c["change_previous"], higher_is_better=False),
            }
            for c in figures["incidents"]["by_category"]
            if c["count"] or c["previous"]
        ],
        "map_json": _map_json(
            place=place, incidents=incidents, action_items=action_items["positions"]
        ),
        "map_incident_count": len(incidents),
        "action_items": action_items,
        "commitment_rows": commitment_rows(user=user, place=place, year=funding["year"]),
        "sees_all_commitments": access.is_manager,
        "reports": latest_reports(user=user, place=place),
        "report_list_url": reverse("safety:report_list", kwargs={"place_slug": place.slug}),
        "action_item_list_url": reverse(
            "places:action_item_list", kwargs={"place_slug": place.slug}
        ),
        "incident_list_url": reverse("safety:incident_list", kwargs={"place_slug": place.slug}),
        "funding_url": reverse("members:funding", kwargs={"place_slug": place.slug}),
        "MAP_TILE_URL": settings.MAP_TILE_URL,
        "MAP_TILE_ATTRIBUTION": settings.MAP_TILE_ATTRIBUTION,
    }


def lazy_inspection(*, user, access, period, today) -> dict:
    """The body's main values, computed only if something reads them (tests do, through the
    test client's context; the page never does on a warm request): no query, no cache read."""
    place = access.place

    def figures():
        return cached_place_figures(place=place, start=period.start, end=period.end)

    return {
        "figures": SimpleLazyObject(figures),
        "commitments": SimpleLazyObject(
            lambda: list(
                place_commitments(user=user, place=place, year=figures()["funding"]["year"])
            )
        ),
        "reports": SimpleLazyObject(lambda: latest_reports(user=user, place=place)),
    }


# --- The overview across places --------------------------------------------------------------


def overview_rows(request, today):
    """The overview's rows for the user, sorted as the URL asks (the page and its CSV agree)."""
    places = list(overview_places(request.user))
    rows = cached_comparison_rows(places=places, today=today)
    sort = request.GET.get("sort", "name")
    if sort not in COMPARISON_SORTS:
        sort = "name"
    descending = request.GET.get("dir") == "desc"
    return sort_comparison(rows, sort=sort, descending=descending), sort, descending


def _overview_map_places(rows) -> list[dict]:
    """What the overview map shows: each place with a position at its centre, labelled with its
    key figure (incidents per month). The same figures are in the table, the map's alternative."""
    from places.services import place_centre

    places = []
    for row in rows:
        centre = place_centre(row["place"])
        if centre is None:
            continue
        places.append(
            {
                "name": row["place"].name,
                "lat": round(centre[0], 6),
                "lon": round(centre[1], 6),
                "url": row.get("url") or "",
                "figure": _("%(value)s incidents/month")
                % {"value": number_format(row["incidents_per_month"], 1, use_l10n=True)},
            }
        )
    return places


def csv_number(value, places=1) -> str:
    """Numbers in the CSV as a Swedish spreadsheet reads them: decimal comma, no grouping."""
    if value is None:
        return ""
    return number_format(value, places, use_l10n=True, force_grouping=False)


def overview_context(request, *, places, openable, sort, descending, today) -> dict:
    """What the overview's table and map show (the cached part of the page)."""
    rows = sort_comparison(
        cached_comparison_rows(places=places, today=today), sort=sort, descending=descending
    )
    for row in rows:
        row["url"] = row["place"].get_absolute_url() if row["place"].pk in openable else None
        row["trend_badge"] = change_badge(row["trend"], higher_is_better=False)
        row["plan_text"] = percent(row["plan_pct"])
        row["coverage_text"] = percent(row["coverage_pct"])
        row["sparkline"] = sparkline(row["months"], place_name=row["place"].name)
    columns = [
        ("name", _("Place")),
        ("incidents", _("Incidents per month")),
        ("trend", _("Trend")),
        ("index", _("Safety index")),
        ("activities", _("Activities")),
        ("plan", _("Planned done")),
        ("funding", _("Funding coverage")),
    ]
    headers = []
    for key, label in columns:
        active = key == sort
        next_desc = not descending if active else key != "name"
        headers.append(
            {
                "key": key,
                "label": label,
                "url": "?" + urlencode({"sort": key, "dir": "desc" if next_desc else "asc"}),
                "aria_sort": ("descending" if descending else "ascending") if active else None,
            }
        )
    window = comparison_window(today)
    return {
        "rows": rows,
        "headers": headers,
        "map_places": _overview_map_places(rows),
        "export_query": urlencode({"sort": sort, "dir": "desc" if descending else "asc"}),
        "window_start": window["current"][0],
        "window_last": window["current"][1] - dt.timedelta(days=1),
        "year": window["year"],
        "MAP_TILE_URL": settings.MAP_TILE_URL,
        "MAP_TILE_ATTRIBUTION": settings.MAP_TILE_ATTRIBUTION,
    }
