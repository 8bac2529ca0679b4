"""The dashboard's charts that the report does not have, built on `places.charts`.

The same primitives (`Chart`, the SVG frame with title and description, the number format and
the colours) as the report's charts, so every chart reads, prints and tables alike. The
report's own charts come from `places.charts.charts_for_figures` unchanged.
"""

import datetime as dt
import math

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from accounts.language import localised_name
from places.charts import (
    INSET,
    MUTED,
    Chart,
    _both,
    _n,
    _nice_max,
    _svg,
    _text,
    _tick_room,
    _y_axis,
    bar_chart,
    month_label,
    numbers,
    shorten,
    text_width,
)

# Six series colours, each at least 3:1 against white (WCAG 1.4.11); white gaps between the
# stacked segments keep neighbours apart, and the table gives the exact numbers.
SERIES_COLOURS = ["#0b5a6b", "#9a3f00", "#5b3d8f", "#1e6b3a", "#a4161a", "#4d5766"]
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

    def draw(width, size):
        left = _tick_room(_nice_max(max(totals + [0]), integer=True), size)
        right, plot_h, bottom = 4, 180, size + 12
        # Legend: swatch + name, wrapped into rows.
        legend, x, y = [], 0.0, float(size)
        for i, (name, _counts) in enumerate(stacks):
            label = shorten(name, size, width - 20)
            item_w = 20 + text_width(label, size) + 12
            if x and x + item_w > width:
                x, y = 0.0, y + size + 8
            legend.append(
                f'<rect x="{x:.1f}" y="{y - size + 2:.1f}" width="14" height="14" '
                f'fill="{SERIES_COLOURS[i]}"/>' + _text(x + 19, y, label)
            )
            x += item_w
        top = y + size
        height = top + plot_h + bottom
        plot_w = width - left - right
        peak = _nice_max(max(totals + [0]), integer=True)
        body = list(legend)
        body += _y_axis(peak, size=size, width=width - right, left=left, top=top, plot_h=plot_h)
        count = max(len(points), 1)
        slot = plot_w / count
        bar_w = max(slot - (2 if slot > 4 else 0.5), 0.5)
        last_month, label_end = None, -1.0
        for i, point in enumerate(points):
            bx = left + i * slot + (slot - bar_w) / 2
            base = top + plot_h
            for s, (_name, counts) in enumerate(stacks):
                value = counts[i]
                if not value:
                    continue
                h = plot_h * value / peak
                base -= h
                body.append(
                    f'<rect x="{bx:.1f}" y="{base:.1f}" width="{bar_w:.1f}" height="{h:.1f}" '
                    f'fill="{SERIES_COLOURS[s]}" stroke="#ffffff" stroke-width="0.5"/>'
                )
            day = dt.date.fromisoformat(point["start"])
            # A month label under the first week of each quarter's first month, when it fits
            # after the one before (the narrow drawing skips some).
            if day.month != last_month and day.month % 3 == 1:
                label = month_label(day)
                w = text_width(label, size)
                lx = min(max(bx, INSET), width - w - INSET)
                if lx > label_end + 8:
                    body.append(_text(lx, height - 6, label, fill=MUTED))
                    label_end = lx + w
            last_month = day.month
        if not sum(totals):
            body.append(
                _text(
                    left + 10,
                    top + size + 8,
                    shorten(_("No incidents in the last 12 months."), size, plot_w - 10),
                    fill=MUTED,
                )
            )
        return _svg(width, math.ceil(height), title, description, "".join(body))

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
    wide, narrow = _both(draw)
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
        "counts": ", ".join(f"{month_label(m['start'])} {_n(m['count'])}" for m in months),
    }
    return mark_safe(
        f'<svg xmlns="http://www.w3.org/2000/svg" class="sparkline" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" aria-label="{escape(label)}">'
        f'<polyline points="{coords}" fill="none" stroke="#0b5a6b" stroke-width="2"/></svg>'
    )
