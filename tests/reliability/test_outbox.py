"""Messages that must reach someone: the broker down at commit, an SMTP failure half-way, a
duplicated dispatch (issue #23, rows 1 and 3). Eager tasks; the broker outage is the error
`apply_async` raises when Redis is gone."""

import datetime as dt
import smtplib

import pytest
import time_machine
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.urls import reverse
from django.utils import timezone
from kombu.exceptions import OperationalError

from partnerships.models import Invitation
from places.models import PlaceRole
from safety.models import SituationReport
from safety.services import reports
from tests import factories as f

pytestmark = pytest.mark.django_db

LATER = dt.timedelta(minutes=11)


@pytest.fixture
def broker_down():
    """Every publish fails as it does when Redis is stopped, until `.restore()`."""
    from celery.app.task import Task

    from amp_platform.celery import app

    try:
        from amp_platform.celery import _BrokerCircuit
    except ImportError:  # a build without the broker circuit
        _BrokerCircuit = None

    original = Task.apply_async

    def refused(self, *args, **kwargs):
        if app.conf.task_always_eager:
            return original(self, *args, **kwargs)
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    class Outage:
        def restore(self):
            app.conf.task_always_eager = True
            if _BrokerCircuit:
                _BrokerCircuit.reset()

    outage = Outage()
    Task.apply_async = refused
    app.conf.task_always_eager = False
    if _BrokerCircuit:
        _BrokerCircuit.reset()
    yield outage
    Task.apply_async = original
    outage.restore()


def sweep_later():
    """What beat does a little later: both sweepers, with the clock past their delays."""
    from places.outbox import outbox_sweep

    with time_machine.travel(timezone.now() + LATER, tick=False):
        reports.report_sweep()
        outbox_sweep()


def test_an_invitation_made_while_redis_is_down_is_mailed_after_it_returns(
    client, manager, place_a, broker_down, django_capture_on_commit_callbacks
):
    client.force_login(manager)
    url = reverse("members:invitation_create", kwargs={"place_slug": place_a.slug})
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"email": "new.person@example.org", "role": "reader"})
    assert response.status_code == 302
    invitation = Invitation.objects.get(email="new.person@example.org")
    assert mail.outbox == []

    broker_down.restore()
    with django_capture_on_commit_callbacks(execute=True):
        sweep_later()
    assert [m.to for m in mail.outbox] == [["new.person@example.org"]]
    assert invitation.token in mail.outbox[0].body
    # Nothing is sent twice, however often the sweeper runs.
    with django_capture_on_commit_callbacks(execute=True):
        sweep_later()
    assert len(mail.outbox) == 1


def test_a_report_made_ready_while_redis_is_down_still_notifies(
    place_a, manager, reader, broker_down, django_capture_on_commit_callbacks
):
    report = f.SituationReportFactory(place=place_a)
    with django_capture_on_commit_callbacks(execute=True):
        reports.report_generate(report_id=report.pk)
    report.refresh_from_db()
    assert report.status == "ready"
    assert mail.outbox == []

    broker_down.restore()
    with django_capture_on_commit_callbacks(execute=True):
        sweep_later()
    assert sorted(m.to[0] for m in mail.outbox) == sorted([manager.email, reader.email])


def test_a_report_regenerated_while_redis_is_down_is_made_by_the_sweeper(
    client, place_a, manager, broker_down, django_capture_on_commit_callbacks
):
    report = f.SituationReportFactory(place=place_a, status="ready", figures={"old": True})
    client.force_login(manager)
    url = reverse("safety:report_regenerate", kwargs={"place_slug": place_a.slug, "pk": report.pk})
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url).status_code == 302
    report.refresh_from_db()
    assert report.status == "pending"

    broker_down.restore()
    with django_capture_on_commit_callbacks(execute=True):
        sweep_later()
    report.refresh_from_db()
    assert report.status == "ready" and "old" not in report.figures


def test_the_sweeper_goes_by_the_last_enqueue_not_the_creation(place_a):
    old = f.SituationReportFactory(place=place_a)
    SituationReport.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - dt.timedelta(days=3), enqueued_at=timezone.now()
    )
    assert reports.report_sweep(now=timezone.now() + dt.timedelta(minutes=5)) == {
        "pending": 0,
        "failed": 0,
    }
    assert reports.report_sweep(now=timezone.now() + LATER)["pending"] == 1


def test_the_sweeper_retries_failed_reports_until_attempts_run_out(
    place_a, django_capture_on_commit_callbacks
):
    retried = f.SituationReportFactory(place=place_a, status="failed", attempts=2, error="boom")
    spent = f.SituationReportFactory(
        place=place_a,
        kind="weekly",
        status="failed",
        attempts=reports.MAX_ATTEMPTS,
        error="boom",
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert reports.report_sweep(now=timezone.now() + LATER)["failed"] == 1
    retried.refresh_from_db()
    spent.refresh_from_db()
    assert (retried.status, retried.error, retried.attempts) == ("ready", "", 3)
    assert spent.status == "failed"


class FailsOnThirdMessage(EmailBackend):
    """The mail server accepts two messages, then drops the connection."""

    accepted = 0

    def send_messages(self, messages):
        if FailsOnThirdMessage.accepted >= 2:
            raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
        FailsOnThirdMessage.accepted += len(messages)
        return super().send_messages(messages)


def test_an_smtp_error_after_two_accepted_mails_sends_the_rest_once(
    place_a, settings, django_capture_on_commit_callbacks
):
    from places.outbox import outbox_send

    readers = [f.UserFactory(email=f"reader{n}@example.org") for n in range(7)]
    for user in readers:
        PlaceRole.objects.create(user=user, place=place_a, role="reader")
    settings.EMAIL_BACKEND = f"{__name__}.FailsOnThirdMessage"
    FailsOnThirdMessage.accepted = 0
    report = f.SituationReportFactory(place=place_a)
    with django_capture_on_commit_callbacks(execute=True):
        reports.report_generate(report_id=report.pk)
    assert len(mail.outbox) == 2

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with django_capture_on_commit_callbacks(execute=True):
        sweep_later()
    outbox_send()  # a duplicated send task finds nothing left
    recipients = sorted(m.to[0] for m in mail.outbox)
    assert recipients == sorted(user.email for user in readers)


def test_a_double_dispatch_queues_each_notice_once(
    place_a, reader, django_capture_on_commit_callbacks
):
    from places.models import OutboxMessage

    report = f.SituationReportFactory(place=place_a, status="ready")
    with django_capture_on_commit_callbacks(execute=True):
        reports.report_notify_readers(report_id=report.pk)
        SituationReport.objects.filter(pk=report.pk).update(notified_at=None)
        reports.report_notify_readers(report_id=report.pk)
    assert OutboxMessage.objects.filter(kind="report_ready").count() == 1
    assert len(mail.outbox) == 1


def test_a_revoked_invitation_is_not_mailed_later(
    client, manager, place_a, broker_down, django_capture_on_commit_callbacks
):
    client.force_login(manager)
    url = reverse("members:invitation_create", kwargs={"place_slug": place_a.slug})
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"email": "changed.mind@example.org", "role": "reader"})
    invitation = Invitation.objects.get(email="changed.mind@example.org")
    revoke = reverse(
        "members:invitation_revoke", kwargs={"place_slug": place_a.slug, "pk": invitation.pk}
    )
    with django_capture_on_commit_callbacks(execute=True):
        client.post(revoke)
    broker_down.restore()
    with django_capture_on_commit_callbacks(execute=True):
        sweep_later()
    assert mail.outbox == []
