"""One definition of an overdue action item (`ActionItem.overdue_q`): the queryset and the
property say the same for every status and due date around the day asked about."""

import datetime as dt

import pytest
from django.utils import timezone

from places.models import ActionItem
from tests import clock
from tests import factories as f

pytestmark = pytest.mark.django_db

# The day asked about: the session's frozen date, as every test writes dates.
TODAY = clock.today()


def test_the_queryset_and_the_property_agree_for_every_status_and_due_date(place_a):
    due_dates = [None, TODAY - dt.timedelta(days=30), TODAY - dt.timedelta(days=1), TODAY]
    due_dates.append(TODAY + dt.timedelta(days=1))
    items = [
        f.ActionItemFactory(place=place_a, status=status, due_date=due)
        for status in ActionItem.Status.values
        for due in due_dates
    ]
    in_sql = set(
        ActionItem.objects.filter(place=place_a).overdue(TODAY).values_list("pk", flat=True)
    )
    in_python = {item.pk for item in items if item.is_overdue_on(TODAY)}
    assert in_sql == in_python
    # Open or in progress and due before the day: due today is not overdue yet.
    assert in_python == {
        item.pk
        for item in items
        if item.status in ("open", "in_progress") and item.due_date in due_dates[1:3]
    }


def test_is_overdue_is_the_rule_for_today(place_a):
    today = timezone.localdate()
    yesterday = f.ActionItemFactory(place=place_a, due_date=today - dt.timedelta(days=1))
    due_today = f.ActionItemFactory(place=place_a, due_date=today)
    assert yesterday.is_overdue and not due_today.is_overdue
    assert list(ActionItem.objects.filter(place=place_a).overdue()) == [yesterday]
