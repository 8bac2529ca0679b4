"""The dashboard's charts that the report does not have, built on `safety.charts`.

The same primitives (`Chart`, the SVG frame with title and description, the number format and
the colours) as the report's charts, so every chart reads, prints and tables alike. The
report's own charts come from `safety.charts.charts_for_figures` unchanged.
"""

import datetime as dt
import math

from django.utils.formats import date_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from .charts import LINE, MUTED, Chart, _n, _nice_max, _svg, _text, bar_chart, localised_name

# Six series colours, each at least 3:1 against white (WCAG 1.4.11); white gaps between the
# stacked segments keep neighbours apart, and the table gives the exact numbers.
SERIES_COLOURS = ["#0b5a6b", "#9a3f00", "#5b3d8f", "#1e6b3a", "#a4161a", "#4d5766"]
TOP_CATEGORIES = len(SERIES_COLOURS) - 1


def _week_label(start: str) -> str:
    return _("w. %(week)s") % {"week": dt.date.fromisoformat(start).isocalendar()[1]}


def weekly_categories_chart(series: dict) -> Chart:
    """Stacked columns: incidents per week over the last 12 months, by category.

    `series` comes from `dashboard_queries.weekly_series_by_category`. The five most frequent
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

    # Narrower than the report's 600: on a phone the chart shrinks less, so labels stay legible.
    width, plot_h = 480, 200
    left, right, bottom = 40, 8, 32
    # Legend: swatch + name, wrapped into rows (about 8 px per character at 14 px).
    legend, x, y = [], 0.0, 14.0
    for i, (name, _counts) in enumerate(stacks):
        item_w = 20 + len(name) * 8 + 14
        if x and x + item_w > width:
            x, y = 0.0, y + 22
        legend.append(
            f'<rect x="{x:.1f}" y="{y - 12:.1f}" width="14" height="14" '
            f'fill="{SERIES_COLOURS[i]}"/>' + _text(x + 19, y, name, size=14)
        )
        x += item_w
    top = y + 16
    height = top + plot_h + bottom
    plot_w = width - left - right
    peak = _nice_max(max(totals + [0]))
    body = list(legend)
    for tick in range(5):
        value = peak * tick / 4
        ty = top + plot_h - plot_h * tick / 4
        body.append(
            f'<line x1="{left}" x2="{width - right}" y1="{ty:.1f}" y2="{ty:.1f}" stroke="{LINE}"/>'
        )
        body.append(_text(left - 6, ty + 4, _n(round(value, 1)), anchor="end", size=13, fill=MUTED))
    count = max(len(points), 1)
    slot = plot_w / count
    bar_w = max(slot - 2, 1)
    last_month = None
    # The bars grouped by category: colour and outline said once per category, not per bar
    # (the same picture in a third of the bytes; bars of one week never overlap).
    bars: list[list[str]] = [[] for _stack in stacks]
    for i, point in enumerate(points):
        bx = left + i * slot + (slot - bar_w) / 2
        base = top + plot_h
        for s, (_name, counts) in enumerate(stacks):
            value = counts[i]
            if not value:
                continue
            h = plot_h * value / peak
            base -= h
            bars[s].append(
                f'<rect x="{bx:.1f}" y="{base:.1f}" width="{bar_w:.1f}" height="{h:.1f}"/>'
            )
        day = dt.date.fromisoformat(point["start"])
        # A month label under the first week starting in each quarter's month keeps it readable.
        if day.month != last_month and day.month % 3 == 1:
            body.append(_text(bx, height - 10, date_format(day, "M Y"), size=13, fill=MUTED))
        last_month = day.month
    body.extend(
        f'<g fill="{SERIES_COLOURS[s]}" stroke="#ffffff" stroke-width="0.5">{"".join(rects)}</g>'
        for s, rects in enumerate(bars)
        if rects
    )
    total = sum(totals)
    if not total:
        body.append(
            _text(left + 10, top + 24, _("No incidents in the last 12 months."), fill=MUTED)
        )
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
    rows = [
        [f"{_week_label(p['start'])} ({p['start']})"]
        + [_n(counts[i]) for _name, counts in stacks]
        + [_n(totals[i])]
        for i, p in enumerate(points)
    ]
    return Chart(
        title=title,
        description=description,
        svg=_svg(width, math.ceil(height), title, description, "".join(body)),
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
    """A tiny line of monthly incident counts for the overview table, with its numbers as the
    accessible name (the table cell next to it carries the figure that matters)."""
    width, height, pad = 96, 24, 2
    counts = [m["count"] for m in months]
    peak = max(counts + [1])
    step = (width - 2 * pad) / max(len(counts) - 1, 1)
    coords = " ".join(
        f"{pad + i * step:.1f},{height - pad - (height - 2 * pad) * n / peak:.1f}"
        for i, n in enumerate(counts)
    )
    label = _("Incidents per month at %(place)s, the last 12 months: %(counts)s") % {
        "place": place_name,
        "counts": ", ".join(f"{date_format(m['start'], 'M Y')} {_n(m['count'])}" for m in months),
    }
    return mark_safe(
        f'<svg xmlns="http://www.w3.org/2000/svg" class="sparkline" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" aria-label="{escape(label)}">'
        f'<polyline points="{coords}" fill="none" stroke="#0b5a6b" stroke-width="2"/></svg>'
    )
