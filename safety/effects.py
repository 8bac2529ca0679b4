"""Did it work? The effect of an intervention (insats) on the incidents it should reduce.

For each intervention we count, in SQL and in one query for all the interventions asked about,
the incidents of its targeted categories

- in its area (a pin and a radius) in equal windows before and after its start (12 weeks by
  default; while the after-window is still running, the before-window is as long as the part of
  it that has passed), and
- in a comparison: the rest of the place in the same windows (positioned incidents outside the
  area), or the same area in the same weeks a year (52 weeks, so weekdays match) earlier.

**Estimate: difference in differences on the log scale.** With a, b the area's counts before
and after and c, d the comparison's, the ratio of rate ratios RR = (b / a) / (d / c) says how
the area changed beyond what the comparison did (RR 0.5: halved relative to the comparison).
Its 95 % interval is Poisson-based: the counts are treated as independent Poisson counts, so
var(log RR) ≈ 1/a + 1/b + 1/c + 1/d (the delta method; 0.5 is added to every count when one is
zero). "Events fewer than expected" is b − b / RR: the area's count after against what it
would have been had it changed like the comparison (a · d / c), with the interval from RR's.
We do not bootstrap: the counts are all the data we have, and the Poisson interval is the
honest one for them (it is wider still when incidents cluster, which we say in the text).

Too little data says so instead of a number: fewer than `MIN_AREA_EVENTS` incidents in the
area before and after together, or fewer than `MIN_COMPARISON_EVENTS` in either comparison
window, gives status "too_few"; an after-window shorter than `MIN_AFTER_DAYS` "too_early".

The safety index (place-wide – surveys have no area) before and after comes from
`surveys.queries.safety_index_in_periods`, again one query for every intervention.

The figures core (`safety.figures.place_figures`) calls `intervention_effects`, so the
dashboard and the lägesbild show the same numbers; the application's follow-up calls it too.
The windows depend only on the intervention and today's date, never on the page's period.
"""

import datetime as dt
import math

from django.db.models import Count, F, FloatField, Q, Value
from django.utils import timezone

from accounts.bounds import date_range
from amp_platform import raw_sql
from surveys.queries import safety_index_in_periods

from .models import Incident, Intervention
from .periods import local_midnight, local_tz

MIN_AREA_EVENTS = 10
MIN_COMPARISON_EVENTS = 5
MIN_AFTER_DAYS = 14
Z_95 = 1.959964
# An interval whose upper end is more than four times its lower end is "wide" (the text says
# the uncertainty is large).
WIDE_RATIO = 4.0
_METRES_PER_DEGREE = 111_320
LAST_YEAR_SHIFT = dt.timedelta(weeks=52)


def _range(start: dt.date, end: dt.date) -> Q:
    return Q(occurred_at__gte=local_midnight(start), occurred_at__lt=local_midnight(end))


def _shift(day: dt.date, delta: dt.timedelta) -> dt.date:
    """day + delta, held to the calendar (a stored date at either end must break no page)."""
    try:
        return day + delta
    except OverflowError:
        return dt.date.max if delta > dt.timedelta(0) else dt.date.min


def effect_windows(intervention, today: dt.date) -> dict:
    """The before and after windows (local dates, end exclusive) and the comparison's."""
    earliest, latest = date_range()
    start = min(max(intervention.starts_on, earliest), latest)
    full = dt.timedelta(weeks=intervention.window_weeks)
    after_end = min(_shift(start, full), today + dt.timedelta(days=1))
    length = max(after_end - start, dt.timedelta(0))
    before = (_shift(start, -length), start)
    after = (start, _shift(start, length))
    if intervention.comparison == Intervention.Comparison.LAST_YEAR:
        comparison_before = (_shift(before[0], -LAST_YEAR_SHIFT), _shift(start, -LAST_YEAR_SHIFT))
        comparison_after = (_shift(start, -LAST_YEAR_SHIFT), _shift(after[1], -LAST_YEAR_SHIFT))
    else:
        comparison_before, comparison_after = before, after
    return {
        "before": before,
        "after": after,
        "comparison_before": comparison_before,
        "comparison_after": comparison_after,
        "days": length.days,
        "complete": length >= full,
    }


def _squared_distance(intervention):
    """Squared distance in m² from the pin, on a local flat projection (fine within 2 km)."""
    k_lat = float(_METRES_PER_DEGREE)
    k_lon = k_lat * max(math.cos(math.radians(intervention.lat)), 0.01)
    dy = (F("lat") - Value(intervention.lat, output_field=FloatField())) * Value(k_lat)
    dx = (F("lon") - Value(intervention.lon, output_field=FloatField())) * Value(k_lon)
    return dy * dy + dx * dx


def estimate(a: int, b: int, c: int, d: int) -> dict:
    """The difference-in-differences estimate of RR = (b/a)/(d/c) with its Poisson interval."""
    h = 0.5 if min(a, b, c, d) == 0 else 0.0
    a_, b_, c_, d_ = a + h, b + h, c + h, d + h
    rate_ratio = (b_ / a_) / (d_ / c_)
    se = math.sqrt(1 / a_ + 1 / b_ + 1 / c_ + 1 / d_)
    low = math.exp(math.log(rate_ratio) - Z_95 * se)
    high = math.exp(math.log(rate_ratio) + Z_95 * se)
    expected = b_ / rate_ratio  # a · d / c: had the area changed like the comparison

    def fewer(ratio):
        return b_ - b_ / ratio

    if high < 1:
        verdict = "decreased"
    elif low > 1:
        verdict = "increased"
    else:
        verdict = "unclear"
    return {
        "rate_ratio": round(rate_ratio, 3),
        "low": round(low, 3),
        "high": round(high, 3),
        "pct": round((rate_ratio - 1) * 100, 1),
        "pct_low": round((low - 1) * 100, 1),
        "pct_high": round((high - 1) * 100, 1),
        "expected": round(expected, 1),
        "difference": round(fewer(rate_ratio), 1),
        "difference_low": round(fewer(low), 1),
        "difference_high": round(fewer(high), 1),
        "verdict": verdict,
        "wide": high / low > WIDE_RATIO,
    }


def _status(counts: dict, windows: dict) -> str:
    if windows["days"] < MIN_AFTER_DAYS:
        return "too_early"
    if (
        counts["area_before"] + counts["area_after"] < MIN_AREA_EVENTS
        or counts["comparison_before"] < MIN_COMPARISON_EVENTS
        or counts["comparison_after"] < MIN_COMPARISON_EVENTS
    ):
        return "too_few"
    return "ok"


def _category_rows(ids) -> dict[int, list[dict]]:
    through = Intervention.categories.through
    rows = (
        through.objects.filter(intervention_id__in=ids)
        .values(
            "intervention_id",
            "incidentcategory_id",
            "incidentcategory__code",
            "incidentcategory__name_sv",
            "incidentcategory__name_en",
        )
        .order_by("incidentcategory__order", "incidentcategory__name_sv")
    )
    result: dict[int, list[dict]] = {}
    for row in rows:
        result.setdefault(row["intervention_id"], []).append(
            {
                "id": row["incidentcategory_id"],
                "code": row["incidentcategory__code"],
                "name_sv": row["incidentcategory__name_sv"],
                "name_en": row["incidentcategory__name_en"],
            }
        )
    return result


def intervention_effects(*, place, interventions, now: dt.datetime | None = None) -> list[dict]:
    """The effect of each intervention of `place` as JSON-ready data, in the order given.

    Three queries whatever the number of interventions or incidents: the targeted categories,
    one conditional aggregate over the place's incidents, one over its survey responses.
    """
    interventions = list(interventions)
    if not interventions:
        return []
    now = now or timezone.now()
    today = timezone.localtime(now, local_tz()).date()
    categories = _category_rows([i.pk for i in interventions])
    aggregates, annotations, spans = {}, {}, Q()
    windows = {}
    for intervention in interventions:
        key = f"i{intervention.pk}"
        win = windows[intervention.pk] = effect_windows(intervention, today)
        targeted = Q(category_id__in=[c["id"] for c in categories.get(intervention.pk, [])])
        annotations[f"{key}_d2"] = _squared_distance(intervention)
        radius2 = float(intervention.radius_m) ** 2
        inside = Q(**{f"{key}_d2__lte": radius2})
        outside = Q(**{f"{key}_d2__gt": radius2})
        aggregates[f"{key}_area_before"] = Count(
            "occurred_at", filter=targeted & inside & _range(*win["before"])
        )
        aggregates[f"{key}_area_after"] = Count(
            "occurred_at", filter=targeted & inside & _range(*win["after"])
        )
        comparison_area = (
            inside if intervention.comparison == Intervention.Comparison.LAST_YEAR else outside
        )
        aggregates[f"{key}_comparison_before"] = Count(
            "occurred_at", filter=targeted & comparison_area & _range(*win["comparison_before"])
        )
        aggregates[f"{key}_comparison_after"] = Count(
            "occurred_at", filter=targeted & comparison_area & _range(*win["comparison_after"])
        )
        for name in ("before", "after", "comparison_before", "comparison_after"):
            if win[name][1] > win[name][0]:
                spans |= _range(*win[name])
    row = (
        Incident.objects.filter(place=place, lat__isnull=False, lon__isnull=False)
        .filter(spans or Q(pk__in=[]))
        .annotate(**annotations)
        .aggregate(**aggregates)
    )
    periods = {}
    for intervention in interventions:
        win = windows[intervention.pk]
        for name in ("before", "after"):
            start, end = win[name]
            periods[f"{intervention.pk}_{name}"] = (local_midnight(start), local_midnight(end))
    indexes = safety_index_in_periods(place=place, periods=periods)

    effects = []
    for intervention in interventions:
        key = f"i{intervention.pk}"
        win = windows[intervention.pk]
        counts = {
            name: row[f"{key}_{name}"] or 0
            for name in ("area_before", "area_after", "comparison_before", "comparison_after")
        }
        status = "not_started" if intervention.starts_on > today else _status(counts, win)
        before_index = indexes.get(f"{intervention.pk}_before")
        after_index = indexes.get(f"{intervention.pk}_after")
        effects.append(
            {
                "id": intervention.pk,
                "title": intervention.title,
                "starts_on": intervention.starts_on.isoformat(),
                "ends_on": intervention.ends_on.isoformat() if intervention.ends_on else None,
                "radius_m": intervention.radius_m,
                "comparison": intervention.comparison,
                "window_weeks": intervention.window_weeks,
                "categories": [
                    {k: c[k] for k in ("code", "name_sv", "name_en")}
                    for c in categories.get(intervention.pk, [])
                ],
                "windows": {
                    name: {"start": win[name][0].isoformat(), "end": win[name][1].isoformat()}
                    for name in ("before", "after", "comparison_before", "comparison_after")
                },
                "days": win["days"],
                "complete": win["complete"],
                "counts": counts,
                "status": status,
                "estimate": estimate(*counts.values()) if status == "ok" else None,
                "method": "poisson_log_rate_ratio",
                "safety_index": {
                    "before": before_index["index"] if before_index else None,
                    "after": after_index["index"] if after_index else None,
                    "responses_before": before_index["responses"] if before_index else 0,
                    "responses_after": after_index["responses"] if after_index else 0,
                },
            }
        )
    return effects


def relevant_interventions(place, start: dt.date, end: dt.date):
    """Interventions to show for the local dates [start, end): those that started or ended in
    it, and those whose after-window (the weeks the effect is measured over) overlaps it."""
    # Written as SQL (issue #20), the statement the ORM built with `.only()`, the instances made
    # as it makes them: the figures core asks this on every cold dashboard and lägesbild.
    columns, make = raw_sql.instances(
        Intervention,
        only={
            "title", "starts_on", "ends_on", "lat", "lon", "radius_m", "comparison",
            "window_weeks", "place_id",
        },
    )  # fmt: skip
    candidates = raw_sql.read(
        Intervention,
        f"SELECT {', '.join(raw_sql.quote(column) for column in columns)} "
        f"FROM {Intervention._meta.db_table} WHERE place_id = %s AND starts_on < %s "
        "ORDER BY starts_on DESC, id ASC",
        [place.pk, raw_sql.param(Intervention, end)],
    )
    chosen = []
    for row in candidates:
        intervention = make(row)
        window_end = _shift(intervention.starts_on, dt.timedelta(weeks=intervention.window_weeks))
        ended_in = intervention.ends_on is not None and start <= intervention.ends_on < end
        if window_end > start or ended_in:
            chosen.append(intervention)
    return chosen
