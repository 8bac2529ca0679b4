"""The dashboard's charts that the report does not have: what to draw, in what words. The
drawing itself (`Chart`, stacked columns, bars, the sparkline, colours and number format) is
`places.charts`, as for every chart, so every chart reads, prints and tables alike."""

import datetime as dt

from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from accounts.language import localised_name
from places.charts import (
    SERIES_COLOURS,
    Chart,
    _n,
    bar_chart,
    month_label,
    numbers,
    stacked_columns,
)
from places.charts import sparkline as places_sparkline

TOP_CATEGORIES = len(SERIES_COLOURS) - 1


def _week_label(start: str) -> str:
    return _("w. %(week)s") % {"week": dt.date.fromisoformat(start).isocalendar()[1]}


def weekly_categories_chart(series: dict) -> Chart:
    """Stacked columns: incidents per week over the last 12 months, by category.

    `series` comes from `safety.queries.weekly_series_by_category`. The five most frequent
    categories get their own colour, the rest are summed as "Other".
    """
    title = _("Incidents per week over the last 12 months, by category")
    points = series["points"]
    categories = series.get("categories", [])
    shown = categories[:TOP_CATEGORIES]
    rest = categories[TOP_CATEGORIES:]
    stacks = [(localised_name(c), c["counts"]) for c in shown]
    if rest:
        stacks.append((_("Other"), [sum(c["counts"][i] for c in rest) for i in range(len(points))]))
    totals = [p["count"] for p in points]

    total = sum(totals)
    if not total:
        description = _("No incidents in the last 12 months.")
    else:
        busiest = max(range(len(points)), key=lambda i: totals[i])
        description = _(
            "Stacked bar chart of incidents per week over the last 12 months, %(total)s in "
            "all. The busiest week was %(week)s with %(count)s. By category: %(categories)s."
        ) % {
            "total": _n(total),
            "week": f"{_week_label(points[busiest]['start'])} ({points[busiest]['start']})",
            "count": _n(totals[busiest]),
            "categories": "; ".join(f"{name} {_n(sum(counts))}" for name, counts in stacks),
        }
    headers = [_("Week starting")] + [name for name, _counts in stacks] + [_("Total")]
    n = numbers()
    rows = [
        [f"{_week_label(p['start'])} ({p['start']})"]
        + [n(counts[i]) for _name, counts in stacks]
        + [n(totals[i])]
        for i, p in enumerate(points)
    ]
    wide, narrow = stacked_columns(
        title=title,
        description=description,
        starts=[p["start"] for p in points],
        stacks=stacks,
        totals=totals,
        empty_text=_("No incidents in the last 12 months."),
    )
    return Chart(
        title=title,
        description=description,
        svg=wide,
        svg_narrow=narrow,
        headers=headers,
        rows=rows,
        numeric=tuple(range(1, len(headers))),
        empty=not total,
    )


def plan_chart(plan: dict) -> Chart:
    """Planned versus done per planned activity: the bar is done, the mark is planned."""
    rows = plan.get("rows", [])
    return bar_chart(
        [(row["title"], row["done"]) for row in rows],
        compare=[row["planned"] for row in rows],
        title=_("Planned versus done"),
        value_label=_("Done"),
        compare_label=_("Planned"),
    )


def funding_chart(funding: dict) -> Chart:
    """Committed and paid against the year's budget (totals only: safe for every member)."""
    items = []
    if funding.get("target_sek") is not None:
        items.append((_("Budget"), float(funding["target_sek"])))
    items.append((_("Committed"), float(funding.get("committed_sek") or 0)))
    items.append((_("Paid"), float(funding.get("paid_sek") or 0)))
    return bar_chart(
        items,
        title=_("Funding %(year)s: committed and paid against the budget")
        % {"year": funding.get("year", "")},
        value_label=_("SEK"),
        unit=" kr",
    )


def sparkline(months: list[dict], *, place_name: str) -> SafeString:
    """The overview table's line of monthly incident counts, with its numbers as the accessible
    name (the table cell next to it carries the figure that matters)."""
    label = _("Incidents per month at %(place)s, the last 12 months: %(counts)s") % {
        "place": place_name,
        "counts": ", ".join(f"{month_label(m['start'])} {_n(m['count'])}" for m in months),
    }
    return places_sparkline([m["count"] for m in months], label=label)
