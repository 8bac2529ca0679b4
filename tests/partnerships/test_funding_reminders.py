"""The weekly reminder: each manager gets the overdue commitments of their places once a week."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core import mail
from django.utils import timezone

from partnerships.models import FundingReminder
from partnerships.services.funding import funding_reminders_send
from partnerships.tasks import send_funding_reminders
from tests import clock
from tests import factories as f

pytestmark = pytest.mark.django_db


def monday() -> dt.datetime:
    """08:00 in Stockholm on the Monday of the frozen clock's week, when the weekly task runs."""
    return clock.local(clock.today() - dt.timedelta(days=clock.today().weekday()), 8)


def days_from_monday(days: int) -> dt.date:
    return monday().date() + dt.timedelta(days=days)


@pytest.fixture
def overdue(place_a, property_owner):
    return f.FundingCommitmentFactory(
        place=place_a,
        organisation=property_owner,
        year=monday().year,
        amount_sek=Decimal("300000"),
        amount_paid=Decimal("100000"),
        status="invoiced",
        due_date=days_from_monday(-54),
    )


@pytest.fixture
def second_manager(place_a):
    user = f.UserFactory(email="second.manager@example.org", preferred_language="en")
    f.PlaceRoleFactory(user=user, place=place_a, role="manager")
    return user


def test_the_task_run_twice_in_a_week_sends_one_mail_per_manager(
    time_machine, overdue, manager, second_manager, reader
):
    time_machine.move_to(monday())
    assert send_funding_reminders() == 2
    time_machine.move_to(monday() + dt.timedelta(days=3))
    assert send_funding_reminders() == 0
    assert sorted(m.to[0] for m in mail.outbox) == [
        "manager@example.org",
        "second.manager@example.org",
    ]
    assert FundingReminder.objects.count() == 2


def test_next_week_the_reminder_comes_again(time_machine, overdue, manager):
    time_machine.move_to(monday())
    send_funding_reminders()
    time_machine.move_to(monday() + dt.timedelta(days=7))
    send_funding_reminders()
    assert len(mail.outbox) == 2


def test_the_mail_lists_what_is_overdue_in_the_managers_language(
    time_machine, overdue, manager, second_manager
):
    time_machine.move_to(monday())
    send_funding_reminders()
    swedish = next(m for m in mail.outbox if m.to == ["manager@example.org"])
    english = next(m for m in mail.outbox if m.to == ["second.manager@example.org"])
    assert "Fastighets AB Torget" in swedish.body
    assert "Möllevångstorget" in swedish.body
    assert "/places/mollevangstorget/funding/" in swedish.body
    assert "200,000 kr outstanding" in english.body
    assert english.subject == "Overdue funding commitments"


def test_a_manager_of_two_places_gets_one_mail_for_both(time_machine, overdue, manager, place_b):
    f.PlaceRoleFactory(user=manager, place=place_b, role="manager")
    f.FundingCommitmentFactory(
        place=place_b,
        year=monday().year,
        due_date=days_from_monday(-53),
        organisation__name="Citybutiken AB",
    )
    time_machine.move_to(monday())
    assert funding_reminders_send(today=monday().date()) == 1
    (message,) = mail.outbox
    assert "Möllevångstorget" in message.body and "Drottninggatan" in message.body


def test_paid_withdrawn_and_not_yet_due_commitments_send_nothing(place_a, manager):
    f.FundingCommitmentFactory(
        place=place_a,
        amount_sek=Decimal("10"),
        amount_paid=Decimal("10"),
        status="paid",
        due_date=days_from_monday(-326),
    )
    f.FundingCommitmentFactory(place=place_a, status="withdrawn", due_date=days_from_monday(-326))
    f.FundingCommitmentFactory(place=place_a, due_date=days_from_monday(38))
    assert funding_reminders_send(today=monday().date()) == 0
    assert mail.outbox == []


def test_a_failed_send_is_sent_later_without_doubling(monkeypatch, overdue, manager):
    from django.core.mail.backends.locmem import EmailBackend

    from places.models import OutboxMessage
    from places.outbox import outbox_send

    def smtp_down(self, messages):
        raise OSError("smtp down")

    monkeypatch.setattr(EmailBackend, "send_messages", smtp_down)
    today = monday().date()
    assert funding_reminders_send(today=today) == 1  # claimed and queued, not yet sent
    assert FundingReminder.objects.count() == 1 and mail.outbox == []
    monkeypatch.undo()
    OutboxMessage.objects.update(next_attempt_at=timezone.now())
    assert outbox_send() == 1  # what the outbox sweeper does a few minutes later
    assert funding_reminders_send(today=today) == 0
    assert len(mail.outbox) == 1


def test_the_reminder_is_in_the_beat_schedule(settings):
    entries = [e["task"] for e in settings.CELERY_BEAT_SCHEDULE.values()]
    assert "partnerships.send_funding_reminders" in entries
