"""Charts that read at a glance (issue #19), on the seeded demo: every chart type – the
lägesbild's bars, line, weekday × hour and hotspot map, the safety index trend, the dashboard's
weekly stacks, plan and funding bars, the follow-up's columns – at phone and desktop width.

For each chart drawn on the page, no text element falls outside the SVG's viewBox (measured with
getBBox, so a clipped label fails) and every text is drawn at 12 px or more on the screen."""

import io

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.utils import translation
from django.utils.translation import gettext as _

from accounts.models import User
from partnerships.models import PartnershipApplication
from safety.models import SituationReport

from .conftest import assert_fits_the_screen, axe_check, login

# A live server: data is flushed between tests, so the default data is put back first.
pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

WIDTHS = [320, 390, 768, 1280]

# For every visible chart SVG: its viewBox, how large it is drawn, and each text's box (user
# units) and drawn font size (px). Charts whose figure is folded away or hidden are skipped.
MEASURE = """() => [...document.querySelectorAll('svg.chart')]
  .filter(svg => svg.getBoundingClientRect().width > 0)
  .map(svg => {
    const vb = svg.viewBox.baseVal;
    const scale = svg.getBoundingClientRect().width / vb.width;
    return {
      title: svg.querySelector('title').textContent,
      width: vb.width, height: vb.height, scale,
      texts: [...svg.querySelectorAll('text')].map(t => {
        const b = t.getBBox();
        return {text: t.textContent, x: b.x, y: b.y, w: b.width, h: b.height,
                px: parseFloat(getComputedStyle(t).fontSize) * scale};
      }),
    };
  })"""


# Chart boxes on the page in which neither drawing is shown at a readable size (a box that
# collapsed to nothing, or both drawings hidden).
COLLAPSED = """() => [...document.querySelectorAll('.chart-figure__svg')]
  .filter(box => box.offsetParent !== null)
  .filter(box => ![...box.querySelectorAll('svg')]
    .some(svg => svg.getBoundingClientRect().width >= 200))
  .map(box => box.querySelector('title').textContent)"""


def _check_charts(page, where):
    charts = page.evaluate(MEASURE)
    assert charts, f"no chart drawn on {where}"
    collapsed = page.evaluate(COLLAPSED)
    assert not collapsed, f"{where}: charts not drawn: {collapsed}"
    problems = []
    for chart in charts:
        for t in chart["texts"]:
            inside = (
                t["x"] >= -0.5
                and t["y"] >= -0.5
                and t["x"] + t["w"] <= chart["width"] + 0.5
                and t["y"] + t["h"] <= chart["height"] + 0.5
            )
            if not inside:
                problems.append(
                    f"{chart['title']}: {t['text']!r} outside the viewBox "
                    f"({t['x']:.1f}, {t['y']:.1f}, {t['w']:.1f} × {t['h']:.1f} "
                    f"in {chart['width']:.0f} × {chart['height']:.0f})"
                )
            if t["px"] < 11.95:
                problems.append(f"{chart['title']}: {t['text']!r} drawn at {t['px']:.1f} px")
    assert not problems, f"{where}:\n" + "\n".join(problems[:20])
    return {chart["title"] for chart in charts}


def test_every_chart_fits_and_reads_at_phone_and_desktop_width(new_page, live_server):
    with override_settings(DEBUG=True):
        call_command("seed_demo", stdout=io.StringIO())
    manager = User.objects.get(email="manager@example.org")
    reviewer = User.objects.get(email="reviewer@example.org")
    report = (
        SituationReport.objects.filter(
            place__slug="mollevangstorget", kind="monthly", status="ready"
        )
        .order_by("-period_start")
        .first()
    )
    approved = PartnershipApplication.objects.get(status="approved")
    square = "/places/mollevangstorget"
    pages = [
        (manager, f"{square}/reports/{report.pk}/"),
        (manager, f"{square}/"),
        (reviewer, f"/applications/{approved.pk}/follow-up/"),
    ]
    seen = set()
    for width in WIDTHS:
        page = new_page(viewport={"width": width, "height": 900})
        for user, path in pages:
            login(page, user)
            page.goto(page.live_server_url + path)
            page.wait_for_load_state("load")
            seen |= _check_charts(page, f"{path} at {width} px")
            if width in (320, 1280):
                axe_check(page)
                assert_fits_the_screen(page)
        page.context.close()
    # Every chart type was measured: the report's, the dashboard's own and the follow-up's.
    with translation.override("sv"):
        expected = [
            _("Incidents by category"),
            _("Incidents over the period"),
            _("Incidents by weekday and hour"),
            _("Hotspots (100 m squares)"),
            _("Activities: hours by kind"),
            _("Safety index per survey"),
            _("Incidents per week over the last 12 months, by category"),
            _("Planned versus done"),
            _("Funding %(year)s: committed and paid against the budget").split("%")[0],
            _("Incidents per month"),
        ]
    missing = [title for title in expected if not any(t.startswith(title) for t in seen)]
    assert not missing, f"not measured: {missing}; measured: {sorted(seen)}"
