"""The demo seed: past weekly and monthly lägesbilder exist after seeding, and seeding twice
changes nothing."""

import io

import pytest
from django.core import mail

from demo import safety as demo
from demo.core import DemoContext, seed_core
from safety.models import ExternalEvent, Incident, SituationReport

pytestmark = pytest.mark.django_db


def test_seed_creates_ready_reports_once_and_sends_no_mail():
    ctx = DemoContext()
    seed_core(ctx)
    demo.seed(ctx)
    counts = (Incident.objects.count(), SituationReport.objects.count())
    reports = SituationReport.objects.filter(place__slug="mollevangstorget")
    assert reports.filter(kind="weekly", status="ready").count() == 8
    assert reports.filter(kind="monthly", status="ready").count() == 12
    latest = reports.filter(kind="monthly").order_by("-period_start").first()
    assert latest.figures["incidents"]["total"] > 0
    # The police's events near the square (issue #15) are in the lägesbilder beside its figures.
    assert latest.figures["external_events"]["total"] > 0
    events = ExternalEvent.objects.count()
    demo.seed(ctx)
    assert (Incident.objects.count(), SituationReport.objects.count()) == counts
    assert ExternalEvent.objects.count() == events
    assert mail.outbox == []


def test_the_square_has_a_measure_that_worked_and_one_that_did_not():
    from safety.effects import intervention_effects
    from safety.models import Intervention

    ctx = DemoContext()
    seed_core(ctx)
    demo.seed(ctx)
    place = ctx.places["mollevangstorget"]
    interventions = Intervention.objects.filter(place=place).order_by("title")
    effects = {
        e["title"]: e for e in intervention_effects(place=place, interventions=interventions)
    }
    lighting = effects["Ny belysning vid trapporna"]
    guards = effects["Väktarrunda fredagskvällar vid entrén"]
    assert lighting["status"] == "ok" and lighting["estimate"]["verdict"] == "decreased"
    assert lighting["complete"]
    assert guards["status"] == "ok" and guards["estimate"]["verdict"] == "unclear"
    demo.seed(ctx)
    assert Intervention.objects.filter(place=place).count() == 2


def test_seed_has_a_plan_in_two_versions_and_a_past_escalated_alert_once():
    from demo import alerts as demo_alerts
    from safety.models import Alert, PlanVersion
    from safety.services import alerts

    ctx = DemoContext()
    seed_core(ctx)
    demo_alerts.seed(ctx)
    demo_alerts.seed(ctx)
    place = ctx.places["mollevangstorget"]
    assert list(PlanVersion.objects.values_list("number", flat=True)) == [2, 1]
    coverage = alerts.plan_coverage(place)
    assert coverage["version"] == 2 and 0 < coverage["confirmed"] < coverage["organisations"]
    alert = Alert.objects.get()
    assert alert.escalation_level == 2 and alert.answers.count() == 2 and not alert.is_open
    assert mail.outbox == []


def test_seed_leaves_the_guard_file_at_its_one_question_and_the_next_month_asks_none(tmp_path):
    """Issue #19: the demo's guard file waits at its value mapping; answered once, last
    month's file (written by `guard_report_file`) checks clean with no question."""
    from django.core.management import call_command

    from demo import imports as demo_import
    from safety.guard_files import GUARD_WORDS
    from safety.models import IncidentImport
    from safety.services import imports

    ctx = DemoContext()
    seed_core(ctx)
    demo_import.seed(ctx)
    demo_import.seed(ctx)  # idempotent
    upload = IncidentImport.objects.get()
    assert upload.status == "checked"
    words = [word.casefold() for word, _n in upload.result["unknown"]["category"]]
    assert sorted(words) == sorted(GUARD_WORDS)
    imports.incident_import_set_values(upload=upload, field_name="category", chosen=GUARD_WORDS)
    validation = imports.incident_import_confirm(
        upload_id=upload.pk, actor=ctx.users["manager"], valid_only=True
    )
    assert validation.new_count == 19
    out = tmp_path / "next.csv"
    call_command("guard_report_file", "2", "--out", str(out), stdout=io.StringIO())
    second = imports.incident_import_upload(
        place=ctx.places["mollevangstorget"],
        actor=ctx.users["manager"],
        organisation=ctx.orgs["trygg_stad"],
        filename=out.name,
        data=out.read_bytes(),
    )
    assert imports.mapping_is_remembered(second)
    validation = imports.incident_import_validate(upload=second, actor=ctx.users["manager"])[1]
    assert validation.ok and validation.new_count == 18 and not validation.unknown_categories
