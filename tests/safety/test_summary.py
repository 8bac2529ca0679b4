"""The automatic summary and the report page in Swedish and English; chart accessibility."""

import datetime as dt

import pytest
from django.utils import translation

from places.charts import bar_chart, charts_for_figures, heat_table
from safety.figures import place_figures
from safety.services.reports import report_generate
from safety.summary import report_summary
from tests import factories as f

from .conftest import local

pytestmark = pytest.mark.django_db
# Pinned on purpose: the sentences are checked by hand on October 2026 (its weekdays and its
# DST night), so the whole file runs late in November 2026, never at the session's clock.
NOW = local(2026, 11, 22, 12)


@pytest.fixture(autouse=True)
def _pinned(time_machine):
    time_machine.move_to(NOW, tick=False)


@pytest.fixture
def october_figures(place_a, vandalism, graffiti):
    # Vandalism 10 → 14 from September to October; graffiti 5 → 6. 1 October 2026 is a
    # Thursday, so every weekday has two incidents at 22, and Thursday 15 October a third.
    for day in range(10):
        f.IncidentFactory(
            place=place_a, category=vandalism, occurred_at=local(2026, 9, day + 1, 22)
        )
    for day in range(14):
        f.IncidentFactory(
            place=place_a, category=vandalism, occurred_at=local(2026, 10, day + 1, 22)
        )
    for day in range(5):
        f.IncidentFactory(place=place_a, category=graffiti, occurred_at=local(2026, 9, day + 1, 12))
        f.IncidentFactory(
            place=place_a, category=graffiti, occurred_at=local(2026, 10, day + 1, 12)
        )
    f.IncidentFactory(place=place_a, category=graffiti, occurred_at=local(2026, 10, 15, 22, 40))
    return place_figures(
        place=place_a, start=dt.date(2026, 10, 1), end=dt.date(2026, 11, 1), now=NOW
    )


def test_summary_in_swedish(october_figures):
    with translation.override("sv"):
        sentences = report_summary(october_figures)
    assert sentences[0] == "20 händelser rapporterades, 33 % fler än förra månaden (15)."
    assert sentences[1] == (
        "Skadegörelse ökade med 40 % jämfört med förra månaden (från 10 till 14)."
    )
    assert sentences[2] == "Skadegörelse var den vanligaste kategorin (14 händelser)."
    assert "Flest händelser inträffade på torsdagar mellan 22 och 23." in sentences


def test_no_busiest_time_when_the_peak_is_shared(place_a, vandalism):
    for day in (5, 6):  # Monday and Tuesday, 22:00
        f.IncidentFactory(place=place_a, category=vandalism, occurred_at=local(2026, 10, day, 22))
        f.IncidentFactory(place=place_a, category=vandalism, occurred_at=local(2026, 10, day, 22))
    figures = place_figures(place=place_a, start=dt.date(2026, 10, 1), end=dt.date(2026, 11, 1))
    with translation.override("en"):
        assert not any("Most incidents happened" in s for s in report_summary(figures))


def test_summary_in_english(october_figures):
    with translation.override("en"):
        sentences = report_summary(october_figures)
    assert sentences[0] == "20 incidents were reported, 33% more than last month (15)."
    assert sentences[1] == "Vandalism rose by 40% compared with last month (from 10 to 14)."


def test_report_page_in_both_languages(client, place_a, reader, october_figures):
    report = f.SituationReportFactory(
        place=place_a, period_start=dt.date(2026, 10, 1), period_end=dt.date(2026, 11, 1)
    )
    report_generate(report_id=report.pk, notify=False)
    client.force_login(reader)
    swedish = client.get(report.get_absolute_url()).content.decode()
    assert "Lägesbild oktober 2026" in swedish and "Skadegörelse ökade med 40" in swedish
    client.cookies["django_language"] = "en"
    english = client.get(report.get_absolute_url()).content.decode()
    assert "Situation report October 2026" in english and "Vandalism rose by 40" in english


def test_charts_are_labelled_svg_with_a_table(october_figures):
    with translation.override("en"):
        charts = charts_for_figures(october_figures)
    chart = charts["categories"]
    assert 'role="img"' in chart.svg and "<title" in chart.svg and "<desc" in chart.svg
    assert "style=" not in chart.svg  # the CSP forbids inline styles
    assert chart.rows == [["Vandalism", "14", "10"], ["Graffiti", "6", "5"]]
    assert "Vandalism: 14" in chart.description
    heat = charts["weekday_hour"]
    assert heat.rows[22][1:] == ["2", "2", "2", "3", "2", "2", "2"]  # 22:00, Monday to Sunday


def test_chart_text_is_escaped():
    chart = bar_chart([("<script>alert(1)</script>", 3)], title="T & <b>", value_label="n")
    assert "<script>" not in chart.svg and "&lt;script&gt;" in chart.svg
    assert "T &amp; &lt;b&gt;" in chart.svg


def test_empty_heat_table_says_so():
    chart = heat_table([[0] * 24 for _ in range(7)], title="t")
    assert chart.empty and chart.description
