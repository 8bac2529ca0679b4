"""Charts that read at a glance and changes that do not mislead (issue #19): only points inside
the window, in date order; whole-number ticks for counts; Swedish months in lower case; a change
against a period with nothing recorded says so instead of a coloured number."""

import re

from django.template import Context, Template
from django.utils import translation

from places.charts import charts_for_figures, line_chart, safety_trend
from safety.dashboard import change_badge
from safety.dashboard_charts import weekly_categories_chart

OCTOBER = {"start": "2026-10-01", "end": "2026-11-01", "days": 31}


def _figures(trend):
    return {
        "period": OCTOBER,
        "incidents": {
            "by_category": [],
            "series": {"bucket": "day", "points": []},
        },
        "weekday_hour": {"rows": [[0] * 24 for _ in range(7)]},
        "hotspots": {"cells": []},
        "activities": {"by_kind": []},
        "safety_index": {"trend": trend},
    }


def _texts(svg) -> list[str]:
    return re.findall(r"<text[^>]*>([^<]*)</text>", svg)


def test_the_safety_trend_shows_nothing_after_the_period_and_runs_in_date_order():
    # The autumn wave closes in December: its point belongs to October, not "dec 2026".
    trend = [
        {"survey_id": 2, "title": "Hösten", "date": "2026-12-20", "index": 58.6, "responses": 47},
        {"survey_id": 1, "title": "Våren", "date": "2026-04-22", "index": 46.7, "responses": 30},
    ]
    assert [w["date"] for w in safety_trend(_figures(trend))] == ["2026-04-22", "2026-10-31"]
    with translation.override("sv"):
        chart = charts_for_figures(_figures(trend))["safety_trend"]
    for svg in (chart.svg, chart.svg_narrow):
        labels = [t for t in _texts(svg) if "2026" in t]
        assert labels == ["apr 2026", "okt 2026"], labels
    assert [row[0] for row in chart.rows] == ["apr 2026", "okt 2026"]


def test_counts_get_whole_number_ticks():
    chart = line_chart(
        [(f"{d}/10", n) for d, n in enumerate([3, 7, 25, 1], 1)], title="t", value_label="n"
    )
    ticks = [t for t in _texts(chart.svg) if "/" not in t]
    assert ticks and all(re.fullmatch(r"\d+", t) for t in ticks), ticks
    weeks = [{"start": f"2026-0{m}-0{d}", "count": 25} for m in (1, 2) for d in (5, 6)]
    weekly = weekly_categories_chart(
        {
            "points": weeks,
            "categories": [{"name_sv": "Klotter", "name_en": "Graffiti", "counts": [25] * 4}],
        }
    )
    ticks = [t for t in _texts(weekly.svg) if re.fullmatch(r"[\d,\s\u00a0]+", t)]
    assert ticks and all("," not in t for t in ticks), ticks


def _change(delta, than, good="down", no_data=""):
    template = Template("{% load safety_tags %}{% change delta than good no_data %}")
    return template.render(
        Context({"delta": delta, "than": than, "good": good, "no_data": no_data})
    )


def test_a_change_against_nothing_recorded_says_so_in_no_colour():
    with translation.override("sv"):
        html = _change(
            {"diff": 54, "pct": None},
            "samma period förra året",
            "down",
            "inga uppgifter förra året",
        )
        assert "inga uppgifter förra året" in html and "54" not in html
        assert "change--bad" not in html and "change--good" not in html
        # The same rule on the dashboard.
        badge = change_badge({"diff": 54, "pct": None}, higher_is_better=False)
        assert badge["tone"] == "" and "54" not in badge["text"]


def test_arrow_colours_follow_one_rule():
    more_incidents = _change({"diff": 5, "pct": 50.0}, "last month", "down")
    fewer_incidents = _change({"diff": -5, "pct": -50.0}, "last month", "down")
    assert "change--bad" in more_incidents and "change--good" in fewer_incidents
    assert change_badge({"diff": 5, "pct": 50.0}, higher_is_better=False)["tone"] == "bad"
    # A higher safety index is better news, on the dashboard as in the report.
    assert (
        change_badge({"diff": 5.3, "pct": None}, higher_is_better=True, points=True)["tone"]
        == "good"
    )
