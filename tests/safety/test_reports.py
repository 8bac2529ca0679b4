"""Situation reports: dispatcher, generation, failures, notifications, command, retention."""

import datetime as dt
from io import StringIO

import pytest
import time_machine
from django.core import mail
from django.core.management import CommandError, call_command
from django.db import OperationalError
from django.urls import reverse

from partnerships.queries.funding import funding_summary
from partnerships.services.funding import payment_record
from places.models import PlaceRole
from safety.models import Incident, SituationReport
from safety.periods import parse_period
from safety.services import reports as report_services
from safety.services import retention
from tests import factories as f

from .conftest import local

pytestmark = pytest.mark.django_db(transaction=False)
# Pinned on purpose: the reports are of October 2026 and week 47 (the dispatcher's windows), so
# every test runs at or travels from this moment, never the session's frozen clock.
NOW = local(2026, 11, 22, 12)


@pytest.fixture(autouse=True)
def _pinned(time_machine):
    time_machine.move_to(NOW, tick=False)


@pytest.fixture
def monday():
    """Monday 23 November 2026, early morning: week 47 and October have ended."""
    with time_machine.travel(local(2026, 11, 23, 5, 15), tick=False):
        yield


@pytest.fixture
def old_place(place_a):
    """A place that has existed for a year, so every recent period concerns it."""
    place_a.__class__.objects.filter(pk=place_a.pk).update(created_at=local(2025, 11, 1))
    place_a.refresh_from_db()
    return place_a


def reports(place):
    return set(
        SituationReport.objects.filter(place=place).values_list("kind", "period_start", "status")
    )


def test_dispatcher_run_twice_gives_each_report_once(
    monday, old_place, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        created = report_services.dispatch_due_reports()
    first = reports(old_place)
    with django_capture_on_commit_callbacks(execute=True):
        again = report_services.dispatch_due_reports()
    assert again == []
    assert reports(old_place) == first
    kinds = {kind for kind, _start, _status in first}
    assert kinds == {"weekly", "monthly", "quarterly"}
    # The latest week (16–22 November) and month (October) are among them, all generated.
    assert ("weekly", dt.date(2026, 11, 16), "ready") in first
    assert ("monthly", dt.date(2026, 10, 1), "ready") in first
    assert ("quarterly", dt.date(2026, 7, 1), "ready") in first
    assert len(created) == len(first) == 6 + 3 + 2
    # November has not ended: no report for it.
    assert not SituationReport.objects.filter(
        period_start=dt.date(2026, 11, 1), kind="monthly"
    ).exists()


def test_dispatcher_catches_up_after_a_gap(old_place, django_capture_on_commit_callbacks):
    with (
        time_machine.travel(local(2026, 10, 5, 5, 15), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        report_services.dispatch_due_reports(kinds=("weekly",))
    # Beat was down for three weeks; the next run creates the missed weeks.
    with (
        time_machine.travel(local(2026, 10, 27, 5, 15), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        created = report_services.dispatch_due_reports(kinds=("weekly",))
    starts = sorted(r.period_start for r in created)
    assert starts == [dt.date(2026, 10, 5), dt.date(2026, 10, 12), dt.date(2026, 10, 19)]
    weeks = SituationReport.objects.filter(place=old_place, kind="weekly")
    assert weeks.count() == weeks.values("period_start").distinct().count() == 9


def test_dispatcher_skips_periods_before_the_place_existed_and_inactive_places(
    monday, place_a, place_b
):
    place_b.is_active = False
    place_b.save()
    report_services.dispatch_due_reports()
    assert not SituationReport.objects.filter(place=place_b).exists()
    # place_a was created "today" (23 November): only the week that ended yesterday? No – it
    # ended before the place existed as well, so nothing yet.
    assert not SituationReport.objects.filter(place=place_a).exists()


def test_generation_freezes_the_figures_and_is_idempotent(place_a, vandalism):
    f.IncidentFactory(place=place_a, category=vandalism, occurred_at=local(2026, 10, 14, 22, 15))
    report = f.SituationReportFactory(
        place=place_a, period_start=dt.date(2026, 10, 1), period_end=dt.date(2026, 11, 1)
    )
    generated = report_services.report_generate(report_id=report.pk, notify=False)
    assert generated.status == "ready"
    assert generated.figures["incidents"]["total"] == 1
    assert generated.attempts == 1
    # A redelivered task changes nothing: not recomputed, not counted again.
    f.IncidentFactory(place=place_a, category=vandalism, occurred_at=local(2026, 10, 15, 12, 0))
    assert report_services.report_generate(report_id=report.pk, notify=False) is None
    report.refresh_from_db()
    assert report.figures["incidents"]["total"] == 1
    assert report.attempts == 1


def test_a_past_months_funding_is_as_of_its_last_day_not_the_day_it_is_generated(place_a):
    """Generated on 22 November, the September report says what was overdue on 30 September:
    a payment made in October does not count, a commitment due in October is not overdue."""
    paid_late = f.FundingCommitmentFactory(
        place=place_a, year=2026, amount_sek=100000, due_date=dt.date(2026, 9, 10)
    )
    payment_record(commitment=paid_late, amount_sek=30000, paid_on=dt.date(2026, 9, 5), actor=None)
    payment_record(
        commitment=paid_late, amount_sek=70000, paid_on=dt.date(2026, 10, 15), actor=None
    )
    f.FundingCommitmentFactory(
        place=place_a, year=2026, amount_sek=50000, due_date=dt.date(2026, 10, 20)
    )
    report = f.SituationReportFactory(
        place=place_a, period_start=dt.date(2026, 9, 1), period_end=dt.date(2026, 10, 1)
    )
    funding = report_services.report_generate(report_id=report.pk, notify=False).figures["funding"]
    assert funding["overdue_count"] == 1
    assert float(funding["overdue_sek"]) == 70000
    assert float(funding["paid_sek"]) == 30000
    # Today the first is paid and the second overdue.
    today = funding_summary(place=place_a, year=2026)
    assert (today["overdue_count"], today["overdue_sek"], today["paid_sek"]) == (1, 50000, 100000)


def test_transient_errors_are_retried_and_a_final_failure_is_recorded(
    place_a, monkeypatch, django_capture_on_commit_callbacks
):
    calls = []

    def flaky(**kwargs):
        calls.append(1)
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(report_services, "place_figures", flaky)
    report = f.SituationReportFactory(place=place_a)
    from safety.tasks import generate_situation_report

    # Eager tasks only run Celery's retry loop when they do not re-raise at once (a worker
    # always runs it; see test_worker.py for the real thing).
    monkeypatch.setitem(generate_situation_report.app.conf, "task_eager_propagates", False)
    result = generate_situation_report.delay(report.pk)
    assert result.state == "FAILURE"
    report.refresh_from_db()
    assert len(calls) == 6  # the first try and five retries
    assert report.status == "failed"
    assert "OperationalError" in report.error
    assert report.attempts == 6


def test_a_failed_report_is_shown_to_managers_and_can_be_regenerated(
    client, place_a, manager, reader, monkeypatch, django_capture_on_commit_callbacks
):
    report = f.SituationReportFactory(place=place_a, status="failed", error="ValueError: boom")
    client.force_login(reader)
    page = client.get(reverse("safety:report_list", kwargs={"place_slug": place_a.slug}))
    assert "boom" not in page.content.decode()
    client.force_login(manager)
    page = client.get(reverse("safety:report_list", kwargs={"place_slug": place_a.slug}))
    assert "ValueError: boom" in page.content.decode()
    url = reverse("safety:report_regenerate", kwargs={"place_slug": place_a.slug, "pk": report.pk})
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url)
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == "ready" and report.error == ""


def test_a_report_marked_ready_without_its_figures_has_no_pdf_and_the_admin_refuses_it(
    client, place_a, manager, staff
):
    # Marked ready by hand (a database edit, an old admin): nothing was ever generated.
    report = f.SituationReportFactory(place=place_a, status="ready", figures={})
    client.force_login(manager)
    kwargs = {"place_slug": place_a.slug, "pk": report.pk}
    page = client.get(reverse("safety:report_detail", kwargs=kwargs))
    assert page.status_code == 200
    assert reverse("safety:report_pdf", kwargs=kwargs) not in page.content.decode()
    assert client.get(reverse("safety:report_pdf", kwargs=kwargs)).status_code == 404
    # The admin keeps it from happening: a report becomes ready when it is generated.
    pending = f.SituationReportFactory(
        place=place_a,
        period_start=report.period_end,
        period_end=report.period_end + dt.timedelta(days=7),
        kind="weekly",
    )
    client.force_login(staff)
    url = reverse("admin:safety_situationreport_change", args=[pending.pk])
    form = client.get(url).context["adminform"].form
    data = {name: form[name].value() for name in form.fields}
    data = {key: "" if value is None else value for key, value in data.items()}
    data["status"] = "ready"
    response = client.post(url, data)
    assert response.status_code == 200
    assert set(response.context["adminform"].form.errors) == {"status"}
    pending.refresh_from_db()
    assert pending.status == "pending"


def test_manager_generates_the_month_report_from_the_list(
    client, place_a, manager, django_capture_on_commit_callbacks
):
    client.force_login(manager)
    url = reverse("safety:report_generate", kwargs={"place_slug": place_a.slug})
    with time_machine.travel(local(2026, 11, 22, 12), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(url, {"period": "2026-10"})
        refused = client.post(url, {"period": "2026-11"})  # not ended: not a choice
    report = SituationReport.objects.get(place=place_a, kind="monthly")
    assert response["Location"] == report.get_absolute_url()
    assert (report.period_start, report.period_end, report.status) == (
        dt.date(2026, 10, 1),
        dt.date(2026, 11, 1),
        "ready",
    )
    assert refused.status_code == 302
    assert SituationReport.objects.filter(place=place_a).count() == 1


def test_report_request_refuses_a_period_not_ended(place_a):
    from django.core.exceptions import ValidationError

    with time_machine.travel(local(2026, 11, 22, 12), tick=False), pytest.raises(ValidationError):
        report_services.report_request(place=place_a, period=parse_period("2026-11"))


# --- Notifications ------------------------------------------------------------------------


def test_each_reader_gets_one_email_in_their_language_without_details(
    place_a,
    manager,
    reporter,
    reader,
    police_reader,
    reader_b,
    incident,
    restricted_incident,
    django_capture_on_commit_callbacks,
):
    reader.preferred_language = "en"
    reader.save()
    police_reader.report_notifications = False
    police_reader.save()
    report = f.SituationReportFactory(
        place=place_a,
        period_start=dt.date(2026, 11, 9),
        period_end=dt.date(2026, 11, 16),
        kind="weekly",
    )
    with django_capture_on_commit_callbacks(execute=True):
        report_services.report_generate(report_id=report.pk)
    # Again, and a direct second notification: the notified_at guard holds.
    assert report_services.report_notify_readers(report_id=report.pk) == 0
    recipients = sorted(m.to[0] for m in mail.outbox)
    assert recipients == sorted([manager.email, reporter.email, reader.email])
    by_recipient = {m.to[0]: m for m in mail.outbox}
    english = by_recipient[reader.email]
    swedish = by_recipient[manager.email]
    assert "is ready" in english.subject and "Situation report" in english.subject
    assert "Lägesbild" in swedish.subject and "klar" in swedish.subject
    link = "http://127.0.0.1:8000" + report.get_absolute_url()
    for message in mail.outbox:
        assert link in message.body
        for text in (incident.description, restricted_incident.description, "Skadegörelse"):
            assert text not in message.body and text not in message.subject
    report.refresh_from_db()
    assert report.notified_at is not None


def test_regenerating_does_not_email_again(place_a, reader, django_capture_on_commit_callbacks):
    with time_machine.travel(local(2026, 11, 22, 12), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            report, _created = report_services.report_request(
                place=place_a, period=parse_period("2026-10")
            )
        with django_capture_on_commit_callbacks(execute=True):
            report_services.report_request(
                place=place_a, period=parse_period("2026-10"), regenerate=True
            )
    assert [m.to[0] for m in mail.outbox] == [reader.email]


def test_a_failed_send_keeps_the_notices_for_the_next_run(
    place_a, reader, monkeypatch, django_capture_on_commit_callbacks
):
    from places.models import OutboxMessage
    from places.outbox import outbox_send

    report = f.SituationReportFactory(place=place_a, status="ready")

    def broken(self, messages):
        raise OSError("connection refused")

    monkeypatch.setattr("django.core.mail.backends.locmem.EmailBackend.send_messages", broken)
    with django_capture_on_commit_callbacks(execute=True):
        assert report_services.report_notify_readers(report_id=report.pk) == 1
    report.refresh_from_db()
    assert report.notified_at is not None  # queued: the guard stays, the notice waits
    (notice,) = OutboxMessage.objects.filter(kind="report_ready")
    assert notice.status == "pending" and "connection refused" in notice.last_error
    monkeypatch.undo()
    OutboxMessage.objects.update(next_attempt_at=notice.created_at)
    assert outbox_send() == 1
    assert [m.to for m in mail.outbox] == [[reader.email]]
    assert report_services.report_notify_readers(report_id=report.pk) == 0


# --- The command ------------------------------------------------------------------------


def run(*args):
    out = StringIO()
    call_command("generate_reports", *args, stdout=out)
    return out.getvalue()


def test_command_creates_then_skips(place_a, vandalism):
    f.IncidentFactory(place=place_a, category=vandalism, occurred_at=local(2026, 10, 3, 12))
    with time_machine.travel(local(2026, 11, 22, 12), tick=False):
        first = run("--place", place_a.slug, "--period", "2026-10")
        second = run("--place", place_a.slug, "--period", "2026-10")
        weekly = run("--place", place_a.slug, "--period", "2026-W43")
    assert "created  mollevangstorget monthly 2026-10" in first
    assert "skipped  mollevangstorget monthly 2026-10: already ready" in second
    assert "1 created, 1 generated" in weekly
    report = SituationReport.objects.get(place=place_a, kind="monthly")
    assert report.figures["incidents"]["total"] == 1
    assert SituationReport.objects.get(kind="weekly").period_start == dt.date(2026, 10, 19)


def test_command_refuses_a_period_not_ended_and_bad_input(place_a):
    with time_machine.travel(local(2026, 11, 22, 12), tick=False):
        with pytest.raises(CommandError, match="has not ended yet"):
            run("--period", "2026-11")
        with pytest.raises(CommandError, match="has not ended yet"):
            run("--period", "2026-W47")
        with pytest.raises(CommandError, match="not a period"):
            run("--period", "2026-13")
        with pytest.raises(CommandError, match="No place"):
            run("--place", "nowhere", "--period", "2026-10")
        with pytest.raises(CommandError, match="monthly period, not weekly"):
            run("--kind", "weekly", "--period", "2026-10")
    assert not SituationReport.objects.exists()


def test_command_without_options_covers_the_dispatch_window(old_place):
    with time_machine.travel(local(2026, 11, 23, 5), tick=False):
        output = run("--kind", "monthly")
    assert output.count("created ") == 3
    assert (
        SituationReport.objects.filter(place=old_place, kind="monthly", status="ready").count() == 3
    )


# --- Retention ----------------------------------------------------------------------------


def test_retention_clears_old_free_text_and_keeps_the_counts(place_a, vandalism, settings):
    settings.FREE_TEXT_RETENTION_DAYS = 365
    now = NOW
    old = f.IncidentFactory(
        place=place_a,
        category=vandalism,
        occurred_at=local(2025, 11, 1),
        description="Krossad ruta.",
        location_note="Vid trappan",
    )
    recent = f.IncidentFactory(place=place_a, category=vandalism, occurred_at=local(2026, 10, 1))
    old_activity = f.ActivityFactory(place=place_a, started_at=local(2025, 6, 1))
    closed = f.ActionItemFactory(place=place_a, status="resolved", resolved_at=local(2025, 1, 1))
    still_open = f.ActionItemFactory(place=place_a, created_at=local(2024, 1, 1))
    counts = retention.free_text_clear_expired(now=now)
    assert counts["incidents"] == 1 and counts["activities"] == 1 and counts["action_items"] == 1
    old.refresh_from_db()
    recent.refresh_from_db()
    old_activity.refresh_from_db()  # noqa: E702
    closed.refresh_from_db()
    still_open.refresh_from_db()  # noqa: E702
    assert (old.description, old.location_note) == ("", "")
    assert recent.description != ""
    assert old_activity.description == ""
    assert closed.description == "" and still_open.description != ""
    assert Incident.objects.filter(place=place_a).count() == 2
    # Nothing left to clear the second time.
    assert retention.free_text_clear_expired(now=now)["incidents"] == 0


def test_report_recipients_are_everyone_with_a_role(place_a, manager, reporter, reader, outsider):
    PlaceRole.objects.filter(user=reporter).update(role="reporter")
    emails = {u.email for u in report_services.report_recipients(place_a)}
    assert emails == {manager.email, reporter.email, reader.email}
