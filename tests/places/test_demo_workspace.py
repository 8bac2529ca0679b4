"""The workspace demo data exercises every part and can be seeded twice."""

import datetime as dt

import pytest
from django.utils import timezone

from demo.core import DemoContext, seed_core
from demo.workspace import seed_workspace
from places.models import ActionItem, ActionItemStatusChange, Activity, PlannedActivity
from places.privacy import find_personal_data
from places.queries import plan_vs_done

pytestmark = pytest.mark.django_db


def _counts():
    return (
        PlannedActivity.objects.count(),
        Activity.objects.count(),
        ActionItem.objects.count(),
        ActionItemStatusChange.objects.count(),
    )


def test_seeding_twice_gives_the_same_rows_and_covers_every_part(time_machine):
    # Pinned late in a year, so that the year's plan has both done and missed rounds whatever
    # the session's clock; the dates below are relative to this moment.
    now = timezone.make_aware(dt.datetime(2026, 11, 22, 9))
    time_machine.move_to(now, tick=False)
    ctx = DemoContext()
    seed_core(ctx)
    seed_workspace(ctx)
    first = _counts()
    again = DemoContext()
    seed_core(again)
    seed_workspace(again)
    assert _counts() == first

    place = ctx.places["mollevangstorget"]
    activities = Activity.objects.filter(place=place)
    assert activities.count() > 100
    assert activities.filter(lat__isnull=False).exists()
    assert activities.filter(organisations__isnull=False).exists()
    items = ActionItem.objects.filter(place=place)
    assert items.exclude(source_activity=None).count() == items.count() > 10
    statuses = set(items.values_list("status", flat=True))
    assert {"open", "in_progress", "resolved"} <= statuses
    assert items.overdue().exists()
    assert items.filter(status="resolved", resolved_at__isnull=False).exists()

    year = plan_vs_done(place=place, start=dt.date(now.year, 1, 1), end=dt.date(now.year + 1, 1, 1))
    assert year["done"] > 0
    assert year["missing"] > 0  # the plan has gaps
    titles = {row["title"] for row in year["rows"]}
    assert "Belysningskontroll inför mörkerperioden" in titles

    # A paused webhook with a delivery log (issue #15): paused, so the demo sends nothing.
    from places.models import Webhook

    hook = Webhook.objects.get(place=place)
    assert hook.is_active is False
    assert hook.deliveries.count() == 3

    for text in activities.values_list("description", flat=True):
        assert find_personal_data(text) == []
    for text in items.values_list("description", flat=True):
        assert find_personal_data(text) == []
