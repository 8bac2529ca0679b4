"""Server-rendered SVG charts with a table alternative and a text description.

One chart code for the report page, its PDF and the dashboard: each builder returns a `Chart`
with the SVG markup (presentation attributes only – no inline style, so the CSP holds and
WeasyPrint draws it), a short description for screen readers and the same data as a table.
Render with `{% include "safety/includes/chart.html" with chart=... %}`.

`charts_for_figures(figures)` turns the figures of `safety.figures.place_figures` into the
standard set of charts, labelled in the active language.
"""

import datetime as dt
import itertools
import math
from dataclasses import dataclass, field

from django.utils.formats import date_format, number_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, pgettext
from django.utils.translation import gettext as _

INK = "#1c2430"
MUTED = "#4d5766"
LINE = "#d5dbe3"
BRAND = "#0b5a6b"
ACCENT = "#9a3f00"
# Heat levels from "none" to "most"; text on the darker three is white (contrast ≥ 4.5:1).
HEAT = ["#f4f6f8", "#d4e8ec", "#9ccbd5", "#3f8fa0", "#0b5a6b", "#063642"]
HEAT_DARK_FROM = 3
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif"

_ids = itertools.count(1)


@dataclass
class Chart:
    title: str
    description: str
    svg: SafeString
    headers: list[str] = field(default_factory=list)
    rows: list[list] = field(default_factory=list)
    # Columns (by index) holding numbers, right-aligned in the table.
    numeric: tuple[int, ...] = ()
    empty: bool = False

    @property
    def table(self):
        return {"headers": self.headers, "rows": self.rows, "numeric": self.numeric}


def _n(value) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return number_format(value, use_l10n=True, force_grouping=True)


def _svg(width, height, title, description, body) -> SafeString:
    uid = f"chart{next(_ids)}"
    return mark_safe(
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" aria-labelledby="{uid}-t {uid}-d" '
        f'font-family="{FONT}" font-size="13" fill="{INK}">'
        f'<title id="{uid}-t">{escape(title)}</title>'
        f'<desc id="{uid}-d">{escape(description)}</desc>'
        f"{body}</svg>"
    )


def _text(x, y, text, *, anchor="start", size=None, weight=None, fill=None):
    attrs = f'x="{x:.1f}" y="{y:.1f}"'
    if anchor != "start":
        attrs += f' text-anchor="{anchor}"'
    if size:
        attrs += f' font-size="{size}"'
    if weight:
        attrs += f' font-weight="{weight}"'
    if fill:
        attrs += f' fill="{fill}"'
    return f"<text {attrs}>{escape(text)}</text>"


def _lower_first(text) -> str:
    text = str(text)
    return text[:1].lower() + text[1:]


def _nice_max(value: float, *, integer=False, ticks=4) -> float:
    """A round axis maximum ≥ value; for counts, one whose `ticks` steps are whole numbers."""
    if value <= 0:
        return ticks if integer else 1
    if integer:
        needed = value / ticks
        exponent = math.floor(math.log10(needed)) if needed >= 1 else 0
        for base in (1, 2, 3, 4, 5, 6, 8, 10):
            step = base * 10**exponent
            if step >= needed:
                return step * ticks
    exponent = math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        candidate = step * 10**exponent
        if candidate >= value:
            return candidate
    return 10 ** (exponent + 1)


def bar_chart(
    items: list[tuple[str, float]],
    *,
    title: str,
    value_label: str,
    compare: list[float] | None = None,
    compare_label: str = "",
    description: str = "",
    unit: str = "",
) -> Chart:
    """Horizontal bars, label above each bar (readable on a phone); optional comparison tick."""
    width, row_h, top = 600, 44, 8
    height = top + row_h * max(len(items), 1) + 8
    peak = max([v for _label, v in items] + (compare or []) + [0])
    scale = (width - 70) / (peak or 1)
    body = []
    for i, (label, value) in enumerate(items):
        y = top + i * row_h
        bar_w = max(value * scale, 2 if value else 0)
        body.append(_text(0, y + 14, label))
        body.append(
            f'<rect x="0" y="{y + 20:.1f}" width="{bar_w:.1f}" height="16" rx="2" fill="{BRAND}"/>'
        )
        body.append(_text(bar_w + 6, y + 33, f"{_n(value)}{unit}", weight="600"))
        if compare is not None:
            cx = compare[i] * scale
            body.append(
                f'<line x1="{cx:.1f}" x2="{cx:.1f}" y1="{y + 17:.1f}" y2="{y + 39:.1f}" '
                f'stroke="{ACCENT}" stroke-width="3"/>'
            )
    if not items:
        body.append(_text(0, top + 24, _("No data for this period."), fill=MUTED))
    if not description and not items:
        description = _("No data for this period.")
    elif not description:
        parts = [f"{label}: {_n(value)}{unit}" for label, value in items]
        description = _("Bar chart of %(what)s. %(values)s.") % {
            "what": _lower_first(value_label),
            "values": "; ".join(parts),
        }
        if compare is not None and compare_label:
            description += " " + _("The orange mark shows %(what)s.") % {
                "what": _lower_first(compare_label)
            }
    headers = ["", value_label] + ([compare_label] if compare is not None else [])
    rows = [
        [label, _n(value)] + ([_n(compare[i])] if compare is not None else [])
        for i, (label, value) in enumerate(items)
    ]
    return Chart(
        title=title,
        description=description,
        svg=_svg(width, height, title, description, "".join(body)),
        headers=headers,
        rows=rows,
        numeric=(1, 2),
        empty=not items,
    )


def line_chart(
    points: list[tuple[str, float]],
    *,
    title: str,
    value_label: str,
    description: str = "",
    y_max: float | None = None,
) -> Chart:
    """A line over labelled points (x labels thinned to fit) with y gridlines from zero."""
    width, height = 600, 230
    left, right, top, bottom = 44, 12, 12, 36
    plot_w, plot_h = width - left - right, height - top - bottom
    values = [v for _label, v in points if v is not None]
    integer = all(isinstance(v, int) for v in values)
    peak = y_max or _nice_max(max(values + [0]), integer=integer)
    body = []
    for tick in range(5):
        value = peak * tick / 4
        y = top + plot_h - plot_h * tick / 4
        body.append(
            f'<line x1="{left}" x2="{width - right}" y1="{y:.1f}" y2="{y:.1f}" stroke="{LINE}"/>'
        )
        body.append(_text(left - 6, y + 4, _n(round(value, 1)), anchor="end", size=11, fill=MUTED))
    count = len(points)
    step = plot_w / max(count - 1, 1)
    every = max(1, math.ceil(count / 8))
    coords = []
    for i, (label, value) in enumerate(points):
        x = left + (i * step if count > 1 else plot_w / 2)
        if value is not None:
            y = top + plot_h - plot_h * (value / peak if peak else 0)
            coords.append((x, y))
        if i % every == 0 or i == count - 1 and count <= 8:
            body.append(_text(x, height - 14, label, anchor="middle", size=11, fill=MUTED))
    if len(coords) > 1:
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y in coords)
        body.append(f'<polyline points="{path}" fill="none" stroke="{BRAND}" stroke-width="2.5"/>')
    for x, y in coords:
        body.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3.5" fill="{BRAND}"/>')
    if not points:
        body.append(_text(left + 10, top + 24, _("No data for this period."), fill=MUTED))
    if not description:
        if values:
            high_label, high_value = max(points, key=lambda p: p[1] if p[1] is not None else -1)
            description = _(
                "Line chart of %(what)s over %(count)s points, from %(first)s to %(last)s; "
                "the highest is %(high)s (%(high_label)s)."
            ) % {
                "what": _lower_first(value_label),
                "count": count,
                "first": points[0][0],
                "last": points[-1][0],
                "high": _n(high_value),
                "high_label": high_label,
            }
        else:
            description = _("No data for this period.")
    return Chart(
        title=title,
        description=description,
        svg=_svg(width, height, title, description, "".join(body)),
        headers=["", value_label],
        rows=[[label, "–" if value is None else _n(value)] for label, value in points],
        numeric=(1,),
        empty=not values,
    )


def weekday_names(short=False) -> list[str]:
    if short:
        return [
            pgettext("weekday", "Mon"),
            pgettext("weekday", "Tue"),
            pgettext("weekday", "Wed"),
            pgettext("weekday", "Thu"),
            pgettext("weekday", "Fri"),
            pgettext("weekday", "Sat"),
            pgettext("weekday", "Sun"),
        ]
    return [
        _("Monday"),
        _("Tuesday"),
        _("Wednesday"),
        _("Thursday"),
        _("Friday"),
        _("Saturday"),
        _("Sunday"),
    ]


def heat_level(value: int, peak: int) -> int:
    if not value or not peak:
        return 0
    return min(5, 1 + int((value / peak) * 4.999))


def heat_table(rows: list[list[int]], *, title: str, description: str = "") -> Chart:
    """Weekday × hour: 7 rows (Monday first) × 24 hours, darker is more; counts in the cells."""
    cell, left, top = 22, 40, 22
    width, height = left + 24 * cell + 2, top + 7 * cell + 2
    peak = max((max(day) for day in rows), default=0)
    short_days = weekday_names(short=True)
    body = []
    for hour in range(0, 24, 3):
        body.append(
            _text(
                left + hour * cell + cell / 2,
                14,
                f"{hour:02d}",
                anchor="middle",
                size=11,
                fill=MUTED,
            )
        )
    # Cells and their numbers: what every cell shares is said once, on a group.
    cells, numbers = [], []
    for d, day in enumerate(rows):
        y = top + d * cell
        body.append(_text(0, y + 15, short_days[d], size=12))
        for hour, value in enumerate(day):
            level = heat_level(value, peak)
            x = left + hour * cell
            cells.append(
                f'<rect x="{x}" y="{y}" width="{cell - 2}" height="{cell - 2}" rx="2" '
                f'fill="{HEAT[level]}"/>'
            )
            if value:
                light = ' fill="#ffffff"' if level >= HEAT_DARK_FROM else ""
                numbers.append(
                    f'<text x="{x + (cell - 2) / 2:.1f}" y="{y + 15:.1f}"{light}>'
                    f"{escape(_n(value))}</text>"
                )
    body.extend(cells)
    body.append(f'<g text-anchor="middle" font-size="10" fill="{INK}">{"".join(numbers)}</g>')
    total = sum(sum(day) for day in rows)
    if not description:
        if total:
            busiest = sorted(
                ((value, d, h) for d, day in enumerate(rows) for h, value in enumerate(day)),
                reverse=True,
            )[:3]
            days = weekday_names()
            parts = [f"{days[d]} {h:02d}–{(h + 1) % 24:02d}: {_n(v)}" for v, d, h in busiest if v]
            description = _(
                "Table of incidents by weekday and hour, %(total)s in all. Busiest: %(busiest)s."
            ) % {"total": _n(total), "busiest": "; ".join(parts)}
        else:
            description = _("No incidents in this period.")
    day_names = weekday_names()
    return Chart(
        title=title,
        description=description,
        svg=_svg(width, height, title, description, "".join(body)),
        headers=[_("Hour")] + day_names,
        rows=[[f"{h:02d}"] + [_n(rows[d][h]) for d in range(7)] for h in range(24)],
        numeric=tuple(range(1, 8)),
        empty=not total,
    )


def _rings(boundary) -> list[list[list[float]]]:
    if not boundary:
        return []
    if boundary.get("type") == "Polygon":
        return [boundary["coordinates"][0]]
    if boundary.get("type") == "MultiPolygon":
        return [polygon[0] for polygon in boundary["coordinates"]]
    return []


def hotspot_map(cells: list[dict], *, boundary, title: str, description: str = "") -> Chart:
    """The place outline with numbered circles on the busiest ~100 m squares (no map tiles)."""
    width, height, pad = 600, 340, 24
    rings = _rings(boundary)
    lons = [p[0] for ring in rings for p in ring] + [c["lon"] for c in cells]
    lats = [p[1] for ring in rings for p in ring] + [c["lat"] for c in cells]
    body = []
    if lons:
        mid_lat = (min(lats) + max(lats)) / 2
        kx = math.cos(math.radians(mid_lat))
        span_x = max((max(lons) - min(lons)) * kx, 1e-5)
        span_y = max(max(lats) - min(lats), 1e-5)
        scale = min((width - 2 * pad) / span_x, (height - 2 * pad) / span_y)
        off_x = (width - span_x * scale) / 2
        off_y = (height - span_y * scale) / 2

        def project(lon, lat):
            return off_x + (lon - min(lons)) * kx * scale, height - off_y - (
                lat - min(lats)
            ) * scale

        for ring in rings:
            path = " ".join("{:.1f},{:.1f}".format(*project(lon, lat)) for lon, lat in ring)
            body.append(
                f'<polygon points="{path}" fill="#eef2f5" stroke="{MUTED}" stroke-width="2"/>'
            )
        peak = max((c["count"] for c in cells), default=1)
        for i, c in enumerate(cells, start=1):
            x, y = project(c["lon"], c["lat"])
            r = 8 + 16 * math.sqrt(c["count"] / peak)
            body.append(
                f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{r:.1f}" fill="{ACCENT}" '
                f'fill-opacity="0.85" stroke="#ffffff" stroke-width="1.5"/>'
            )
            body.append(
                _text(x, y + 4.5, str(i), anchor="middle", size=12, weight="700", fill="#ffffff")
            )
    if not cells:
        body.append(
            _text(pad, pad + 12, _("No incidents with a position in this period."), fill=MUTED)
        )
    if not description:
        if cells:
            description = _(
                "Map of the place with the %(count)s busiest 100 m squares, numbered by "
                "incidents: %(values)s."
            ) % {
                "count": len(cells),
                "values": "; ".join(f"{i}: {_n(c['count'])}" for i, c in enumerate(cells, 1)),
            }
        else:
            description = _("No incidents with a position in this period.")
    return Chart(
        title=title,
        description=description,
        svg=_svg(width, height, title, description, "".join(body)),
        headers=["#", _("Incidents"), _("Latitude"), _("Longitude")],
        rows=[
            [str(i), _n(c["count"]), f"{c['lat']:.4f}", f"{c['lon']:.4f}"]
            for i, c in enumerate(cells, 1)
        ],
        numeric=(1,),
        empty=not cells,
    )


# --- The standard charts of a place's figures -------------------------------------------


def localised_name(item: dict, sv="name_sv", en="name_en") -> str:
    return item[en] if (get_language() or "sv").startswith("en") else item[sv]


def _point_label(bucket: str, start: str) -> str:
    day = dt.date.fromisoformat(start)
    if bucket == "day":
        return date_format(day, "j/n")
    if bucket == "week":
        return _("w. %(week)s") % {"week": day.isocalendar()[1]}
    return date_format(day, "M Y")


def charts_for_figures(figures: dict, *, boundary=None) -> dict[str, Chart]:
    """The report's (and dashboard's) charts for figures from `place_figures`."""
    incidents = figures["incidents"]
    categories = incidents["by_category"]
    current = [c for c in categories if c["count"] or c["previous"]]
    charts = {
        "categories": bar_chart(
            [(localised_name(c), c["count"]) for c in current],
            compare=[c["previous"] for c in current],
            title=_("Incidents by category"),
            value_label=_("Incidents this period"),
            compare_label=_("Previous period"),
        ),
        "series": line_chart(
            [
                (_point_label(incidents["series"]["bucket"], p["start"]), p["count"])
                for p in incidents["series"]["points"]
            ],
            title=_("Incidents over the period"),
            value_label=_("Incidents"),
        ),
        "weekday_hour": heat_table(
            figures["weekday_hour"]["rows"], title=_("Incidents by weekday and hour")
        ),
        "hotspots": hotspot_map(
            figures["hotspots"]["cells"], boundary=boundary, title=_("Hotspots (100 m squares)")
        ),
        "activities": bar_chart(
            [(localised_name(k), k["hours"]) for k in figures["activities"]["by_kind"]],
            title=_("Activities: hours by kind"),
            value_label=_("Hours"),
        ),
    }
    trend = figures["safety_index"]["trend"]
    if trend:
        charts["safety_trend"] = line_chart(
            [(date_format(dt.date.fromisoformat(w["date"]), "M Y"), w["index"]) for w in trend],
            title=_("Safety index per survey"),
            value_label=_("Safety index (0–100)"),
            y_max=100,
        )
    return charts
