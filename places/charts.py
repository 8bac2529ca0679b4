"""Server-rendered SVG charts with a table alternative and a text description.

One chart code for every page (report, its PDF, dashboard, follow-up; it lives in places so that
every app can draw with it): each builder returns a `Chart`
with the SVG markup (presentation attributes only – no inline style, so the CSP holds and
WeasyPrint draws it), a short description for screen readers and the same data as a table.
Render with `{% include "safety/includes/chart.html" with chart=... %}`.

`charts_for_figures(figures)` turns the figures of `safety.figures.place_figures` into the
standard set of charts, labelled in the active language.
"""

import datetime as dt
import functools
import itertools
import math
from dataclasses import dataclass, field

from django.core.signals import setting_changed
from django.utils.formats import date_format, number_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, pgettext
from django.utils.translation import gettext as _

from accounts.language import localised_name

INK = "#1c2430"
MUTED = "#4d5766"
LINE = "#d5dbe3"
BRAND = "#0b5a6b"
ACCENT = "#9a3f00"
# Heat levels from "none" to "most"; text on the darker three is white (contrast ≥ 4.5:1).
HEAT = ["#f4f6f8", "#d4e8ec", "#9ccbd5", "#3f8fa0", "#0b5a6b", "#063642"]
HEAT_DARK_FROM = 3
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif"

# One chart style (issue #19). Every chart is drawn twice: WIDE for a desktop column and NARROW
# for a phone or a PDF column; the page shows the one that fits its box (a container query in
# app.css). An SVG is never drawn larger than its own width, and a variant is only shown
# from a box width at which its text stays ≥ 12 px on screen: WIDE from 560 px (14 × 560/640),
# NARROW from 225 px, the smallest chart box on a 320 px phone (the dashboard's; 16 × 225/296).
WIDE = 640
NARROW = 296
FONT_SIZE = {WIDE: 14, NARROW: 16}
# An upper bound of the width of a character, as a share of the font size (system-ui digits
# and letters are ~0.55): labels are placed and shortened with it so none is clipped.
CHAR_WIDTH = 0.62
# Text starts this far inside the edge: some glyphs ("T", "V") reach left of their origin.
INSET = 3

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
    # The same chart drawn for a narrow box (a phone, a PDF column); `svg` is the wide one.
    svg_narrow: SafeString = mark_safe("")

    @property
    def table(self):
        return {"headers": self.headers, "rows": self.rows, "numeric": self.numeric}


def _n(value) -> str:
    return numbers()(value)


def numbers():
    """`_n` for many numbers in the language active now, read once: a chart's table has
    hundreds of cells (issue #20)."""
    language = get_language()

    def formatted(value) -> str:
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        return _number(type(value), value, language)

    return formatted


@functools.lru_cache(maxsize=4096)
def _number(kind, value, language) -> str:
    # A chart writes hundreds of small numbers (a table of 53 weeks × the categories), mostly
    # the same few: each formatted once per language (the type is in the key, so 1, 1.0 and
    # Decimal("1.00") stay apart).
    return number_format(value, use_l10n=True, force_grouping=True)


def _formats_changed(**kwargs):
    _number.cache_clear()  # a test's override of the number formats


setting_changed.connect(_formats_changed, dispatch_uid="places.charts.numbers")


def _svg(width, height, title, description, body) -> SafeString:
    uid = f"chart{next(_ids)}"
    return mark_safe(
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {width} {height:.0f}" '
        f'width="{width}" height="{height:.0f}" role="img" aria-labelledby="{uid}-t {uid}-d" '
        f'font-family="{FONT}" font-size="{FONT_SIZE.get(width, 14)}" fill="{INK}">'
        f'<title id="{uid}-t">{escape(title)}</title>'
        f'<desc id="{uid}-d">{escape(description)}</desc>'
        f"{body}</svg>"
    )


def text_width(text, size) -> float:
    """An upper estimate of the drawn width of `text` at `size` (no font metrics server-side)."""
    return len(str(text)) * size * CHAR_WIDTH


def shorten(text, size, room) -> str:
    """`text` cut with "…" to fit `room` units at `size`; the full text is in the table."""
    text = str(text)
    if text_width(text, size) <= room:
        return text
    keep = max(int(room / (size * CHAR_WIDTH)) - 1, 1)
    return text[:keep].rstrip() + "…"


def _text(x, y, text, *, anchor="start", size=None, weight=None, fill=None, width=None):
    """A text element; with `width` (the viewBox's) it is moved inside [0, width] if needed."""
    if width is not None and size:
        w = text_width(text, size)
        left = {"start": x, "middle": x - w / 2, "end": x - w}[anchor]
        clamped = min(max(left, INSET), max(width - w - INSET, INSET))
        if clamped != left:
            x, anchor = clamped, "start"
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


def month_label(day: dt.date, *, year=True) -> str:
    """ "okt 2026" in Swedish (month names are lower case), "Oct 2026" in English."""
    swedish = (get_language() or "sv").startswith("sv")
    return date_format(day, ("b" if swedish else "M") + (" Y" if year else ""))


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


def _both(draw) -> tuple[SafeString, SafeString]:
    """The SVG of `draw(width, size)` for each variant: (wide, narrow)."""
    return draw(WIDE, FONT_SIZE[WIDE]), draw(NARROW, FONT_SIZE[NARROW])


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
    """Horizontal bars, label above each bar (readable on a phone); optional comparison tick.

    The bars scale into the room the longest value label leaves, so no number is clipped."""
    peak = max([v for _label, v in items] + (compare or []) + [0])
    values = [f"{_n(value)}{unit}" for _label, value in items]
    if not description and not items:
        description = _("No data for this period.")
    elif not description:
        parts = [f"{label}: {text}" for (label, _value), text in zip(items, values, strict=True)]
        description = _("Bar chart of %(what)s. %(values)s.") % {
            "what": _lower_first(value_label),
            "values": "; ".join(parts),
        }
        if compare is not None and compare_label:
            description += " " + _("The orange mark shows %(what)s.") % {
                "what": _lower_first(compare_label)
            }

    def draw(width, size):
        row_h, top, bar_h = size + 30, 4, 16
        height = top + row_h * max(len(items), 1) + 4
        room = max([text_width(v, size) for v in values] + [0]) + 8
        scale = (width - room) / (peak or 1)
        body = []
        for i, ((label, value), text) in enumerate(zip(items, values, strict=True)):
            y = top + i * row_h
            bar_w = max(value * scale, 2 if value else 0)
            body.append(_text(INSET, y + size, shorten(label, size, width - INSET)))
            body.append(
                f'<rect x="0" y="{y + size + 6:.1f}" width="{bar_w:.1f}" height="{bar_h}" '
                f'rx="2" fill="{BRAND}"/>'
            )
            body.append(_text(bar_w + 6, y + size + 6 + bar_h - 2, text, weight="600"))
            if compare is not None:
                cx = max(compare[i] * scale, 1.5)
                body.append(
                    f'<line x1="{cx:.1f}" x2="{cx:.1f}" y1="{y + size + 3:.1f}" '
                    f'y2="{y + size + 9 + bar_h:.1f}" stroke="{ACCENT}" stroke-width="3"/>'
                )
        if not items:
            body.append(
                _text(
                    INSET, top + size + 8, shorten(_("No data for this period."), size, width - 6)
                )
            )
        return _svg(width, height, title, description, "".join(body))

    headers = ["", value_label] + ([compare_label] if compare is not None else [])
    rows = [
        [label, _n(value)] + ([_n(compare[i])] if compare is not None else [])
        for i, (label, value) in enumerate(items)
    ]
    wide, narrow = _both(draw)
    return Chart(
        title=title,
        description=description,
        svg=wide,
        svg_narrow=narrow,
        headers=headers,
        rows=rows,
        numeric=(1, 2),
        empty=not items,
    )


def _y_axis(peak, *, size, width, left, top, plot_h) -> list[str]:
    body = []
    for tick in range(5):
        value = peak * tick / 4
        y = top + plot_h - plot_h * tick / 4
        body.append(f'<line x1="{left}" x2="{width}" y1="{y:.1f}" y2="{y:.1f}" stroke="{LINE}"/>')
        body.append(_text(left - 6, y + size * 0.35, _n(round(value, 1)), anchor="end", fill=MUTED))
    return body


def _tick_room(peak, size) -> float:
    return max(text_width(_n(round(peak * t / 4, 1)), size) for t in range(5)) + 10


def line_chart(
    points: list[tuple[str, float]],
    *,
    title: str,
    value_label: str,
    description: str = "",
    y_max: float | None = None,
) -> Chart:
    """A line over labelled points, in the order given (chronological), with y gridlines from
    zero; whole-number ticks for counts; x labels thinned so they never overlap."""
    values = [v for _label, v in points if v is not None]
    integer = all(isinstance(v, int) for v in values)
    peak = y_max or _nice_max(max(values + [0]), integer=integer)
    count = len(points)
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

    def draw(width, size):
        left = _tick_room(peak, size)
        label_w = max([text_width(label, size) for label, _v in points] + [0])
        # Room on the right for half of the last label (it is centred on its point).
        right = min(label_w / 2, 60) + 4
        top, bottom = size / 2 + 2, size + 14
        height = 160 + top + bottom
        plot_w, plot_h = width - left - right, height - top - bottom
        body = _y_axis(peak, size=size, width=width - right, left=left, top=top, plot_h=plot_h)
        step = plot_w / max(count - 1, 1)
        every = max(1, math.ceil((label_w + 10) / step)) if count > 1 else 1
        coords = []
        for i, (label, value) in enumerate(points):
            x = left + (i * step if count > 1 else plot_w / 2)
            if value is not None:
                y = top + plot_h - plot_h * (value / peak if peak else 0)
                coords.append((x, y))
            if i % every == 0:
                body.append(
                    _text(x, height - 6, label, anchor="middle", fill=MUTED, size=size, width=width)
                )
        if len(coords) > 1:
            path = " ".join(f"{x:.1f},{y:.1f}" for x, y in coords)
            body.append(
                f'<polyline points="{path}" fill="none" stroke="{BRAND}" stroke-width="2.5"/>'
            )
        for x, y in coords:
            body.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3.5" fill="{BRAND}"/>')
        if not points:
            body.append(
                _text(
                    left + 10, top + size + 8, shorten(_("No data for this period."), size, plot_w)
                )
            )
        return _svg(width, height, title, description, "".join(body))

    wide, narrow = _both(draw)
    return Chart(
        title=title,
        description=description,
        svg=wide,
        svg_narrow=narrow,
        headers=["", value_label],
        rows=[[label, "–" if value is None else _n(value)] for label, value in points],
        numeric=(1,),
        empty=not values,
    )


def column_chart(
    points: list[tuple[str, int]], *, title: str, value_label: str, description: str = ""
) -> Chart:
    """Counts as columns over labelled points in chronological order (e.g. months), with
    whole-number ticks and as many x labels as fit without overlapping."""
    values = [v for _label, v in points]
    peak = _nice_max(max(values + [0]), integer=True)
    if not description:
        if any(values):
            high = max(range(len(points)), key=lambda i: values[i])
            description = _(
                "Column chart of %(what)s over %(count)s points, from %(first)s to %(last)s; "
                "the highest is %(high)s (%(high_label)s)."
            ) % {
                "what": _lower_first(value_label),
                "count": len(points),
                "first": points[0][0],
                "last": points[-1][0],
                "high": _n(values[high]),
                "high_label": points[high][0],
            }
        else:
            description = _("No data for this period.")

    def draw(width, size):
        left, right = _tick_room(peak, size), 4
        top, bottom, plot_h = size / 2 + 2, size + 12, 160
        height = top + plot_h + bottom
        plot_w = width - left - right
        body = _y_axis(peak, size=size, width=width - right, left=left, top=top, plot_h=plot_h)
        slot = plot_w / max(len(points), 1)
        bar_w = max(slot * 0.7, 1)
        label_end = -1.0
        for i, (label, value) in enumerate(points):
            x = left + i * slot + (slot - bar_w) / 2
            h = plot_h * value / peak if peak else 0
            if value:
                body.append(
                    f'<rect x="{x:.1f}" y="{top + plot_h - h:.1f}" width="{bar_w:.1f}" '
                    f'height="{h:.1f}" fill="{BRAND}"/>'
                )
            w = text_width(label, size)
            lx = min(max(x + bar_w / 2 - w / 2, INSET), width - w - INSET)
            if lx > label_end + 8:
                body.append(_text(lx, height - 6, label, fill=MUTED))
                label_end = lx + w
        return _svg(width, height, title, description, "".join(body))

    wide, narrow = _both(draw)
    return Chart(
        title=title,
        description=description,
        svg=wide,
        svg_narrow=narrow,
        headers=["", value_label],
        rows=[[label, _n(value)] for label, value in points],
        numeric=(1,),
        empty=not any(values),
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
    """Weekday × hour: 7 rows (Monday first) × 24 hours, darker is more. The wide drawing has
    the counts in the cells; the narrow one only the shades (its cells are too small for
    legible digits) – the table alternative has every count."""
    peak = max((max(day) for day in rows), default=0)
    short_days = weekday_names(short=True)
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

    def draw(width, size):
        left = max(text_width(day, size) for day in short_days) + INSET + 6
        cell = (width - left) / 24
        numbers = width == WIDE
        row_h = cell if numbers else max(cell, size + 4)
        top = size + 6
        height = top + 7 * row_h + 2
        body = []
        for hour in range(0, 24, 3 if numbers else 6):
            body.append(
                _text(
                    left + hour * cell + cell / 2,
                    size,
                    f"{hour:02d}",
                    anchor="middle",
                    fill=MUTED,
                    size=size,
                    width=width,
                )
            )
        for d, day in enumerate(rows):
            y = top + d * row_h
            body.append(_text(INSET, y + row_h / 2 + size * 0.35, short_days[d]))
            for hour, value in enumerate(day):
                level = heat_level(value, peak)
                x = left + hour * cell
                body.append(
                    f'<rect x="{x:.1f}" y="{y:.1f}" width="{cell - 2:.1f}" '
                    f'height="{row_h - 2:.1f}" rx="2" fill="{HEAT[level]}"/>'
                )
                if value and numbers:
                    colour = "#ffffff" if level >= HEAT_DARK_FROM else INK
                    body.append(
                        _text(
                            x + (cell - 2) / 2,
                            y + (row_h - 2) / 2 + size * 0.35,
                            _n(value),
                            anchor="middle",
                            fill=colour,
                        )
                    )
        return _svg(width, height, title, description, "".join(body))

    day_names = weekday_names()
    wide, narrow = _both(draw)
    return Chart(
        title=title,
        description=description,
        svg=wide,
        svg_narrow=narrow,
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
    rings = _rings(boundary)
    lons = [p[0] for ring in rings for p in ring] + [c["lon"] for c in cells]
    lats = [p[1] for ring in rings for p in ring] + [c["lat"] for c in cells]
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

    def draw(width, size):
        height, pad = (300 if width == WIDE else 260), 28
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
                r = 10 + 14 * math.sqrt(c["count"] / peak)
                body.append(
                    f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{r:.1f}" fill="{ACCENT}" '
                    f'fill-opacity="0.85" stroke="#ffffff" stroke-width="1.5"/>'
                )
                body.append(
                    _text(x, y + size * 0.35, str(i), anchor="middle", weight="700", fill="#ffffff")
                )
        if not cells:
            body.append(
                _text(
                    INSET,
                    size + 8,
                    shorten(_("No incidents with a position in this period."), size, width - 6),
                    fill=MUTED,
                )
            )
        return _svg(width, height, title, description, "".join(body))

    wide, narrow = _both(draw)
    return Chart(
        title=title,
        description=description,
        svg=wide,
        svg_narrow=narrow,
        headers=["#", _("Incidents"), _("Latitude"), _("Longitude")],
        rows=[
            [str(i), _n(c["count"]), f"{c['lat']:.4f}", f"{c['lon']:.4f}"]
            for i, c in enumerate(cells, 1)
        ],
        numeric=(1,),
        empty=not cells,
    )


# --- The standard charts of a place's figures -------------------------------------------


def _point_label(bucket: str, start: str) -> str:
    day = dt.date.fromisoformat(start)
    if bucket == "day":
        return date_format(day, "j/n")
    if bucket == "week":
        return _("w. %(week)s") % {"week": day.isocalendar()[1]}
    return month_label(day)


def safety_trend(figures: dict) -> list[dict]:
    """The survey waves of the trend placed inside the period's window, oldest first.

    A wave is dated by its closing date, which for a wave still open is planned and may lie
    after the period (the October report showed a "Dec 2026" point). Its index counts the
    answers given up to the figures' freezing, so such a point is placed at the period's last
    day: a chart of a period shows nothing after it."""
    last_day = (dt.date.fromisoformat(figures["period"]["end"]) - dt.timedelta(days=1)).isoformat()
    waves = [
        {**w, "date": min(str(w["date"])[:10], last_day)} for w in figures["safety_index"]["trend"]
    ]
    return sorted(waves, key=lambda w: (w["date"], w.get("survey_id") or 0))


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
    trend = safety_trend(figures)
    if trend:
        charts["safety_trend"] = line_chart(
            [(month_label(dt.date.fromisoformat(w["date"])), w["index"]) for w in trend],
            title=_("Safety index per survey"),
            value_label=_("Safety index (0–100)"),
            y_max=100,
        )
    return charts


# Six series colours, each at least 3:1 against white (WCAG 1.4.11); white gaps between the
# stacked segments keep neighbours apart, and the table gives the exact numbers.
SERIES_COLOURS = ["#0b5a6b", "#9a3f00", "#5b3d8f", "#1e6b3a", "#a4161a", "#4d5766"]


def stacked_columns(
    *, title: str, description: str, starts: list[str], stacks: list, totals: list, empty_text: str
) -> tuple[SafeString, SafeString]:
    """Stacked columns, one per period starting on `starts` (ISO dates), one colour per stack
    (name, counts) with a wrapped legend; a month label under the first period of each
    quarter's first month. Drawn wide and narrow (`_both`)."""

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
        count = max(len(starts), 1)
        slot = plot_w / count
        bar_w = max(slot - (2 if slot > 4 else 0.5), 0.5)
        last_month, label_end = None, -1.0
        for i, start in enumerate(starts):
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
            day = dt.date.fromisoformat(start)
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
                    shorten(empty_text, size, plot_w - 10),
                    fill=MUTED,
                )
            )
        return _svg(width, math.ceil(height), title, description, "".join(body))

    return _both(draw)


def sparkline(values: list, *, label: str) -> SafeString:
    """A tiny line of values (e.g. incidents per month in a table cell), `label` its accessible
    name."""
    width, height, pad = 96, 24, 2
    peak = max(values + [1])
    step = (width - 2 * pad) / max(len(values) - 1, 1)
    coords = " ".join(
        f"{pad + i * step:.1f},{height - pad - (height - 2 * pad) * n / peak:.1f}"
        for i, n in enumerate(values)
    )
    return mark_safe(
        f'<svg xmlns="http://www.w3.org/2000/svg" class="sparkline" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" aria-label="{escape(label)}">'
        f'<polyline points="{coords}" fill="none" stroke="#0b5a6b" stroke-width="2"/></svg>'
    )
