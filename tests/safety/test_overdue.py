"""The dashboard, the overview, the figures core, the queryset and the property count the same
action items as overdue (`places.models.ActionItem.overdue_q`, the one definition)."""

import datetime as dt

import pytest
from django.utils import timezone

from places.models import ActionItem
from safety.figures import place_figures
from safety.queries import comparison_rows, open_action_items
from tests import factories as f

pytestmark = pytest.mark.django_db


def test_dashboard_queryset_and_property_agree_on_due_today_yesterday_and_done(place_a):
    today = timezone.localdate()
    yesterday = today - dt.timedelta(days=1)
    # Written two days ago (the figures core counts what was created before its moment).
    position = {"lat": 55.59, "lon": 13.01, "created_at": timezone.now() - dt.timedelta(days=2)}
    late = f.ActionItemFactory(place=place_a, due_date=yesterday, **position)
    f.ActionItemFactory(place=place_a, due_date=today, **position)
    f.ActionItemFactory(
        place=place_a,
        due_date=yesterday,
        status=ActionItem.Status.RESOLVED,
        resolved_at=timezone.now() - dt.timedelta(hours=1),
        **position,
    )

    items = ActionItem.objects.filter(place=place_a)
    by_property = [item.pk for item in items if item.is_overdue]
    by_queryset = list(items.overdue().values_list("pk", flat=True))
    assert by_property == by_queryset == [late.pk]

    dashboard = open_action_items(place=place_a, today=today)
    assert (dashboard["open"], dashboard["overdue"]) == (2, 1)
    assert [p["id"] for p in dashboard["positions"] if p["overdue"]] == [late.pk]
    assert [item["id"] for item in dashboard["shown"] if item["overdue"]] == [late.pk]

    (row,) = comparison_rows(places=[place_a], today=today)
    assert (row["open_action_items"], row["overdue_action_items"]) == (2, 1)

    # A period running to today: the figures core counts what is open now, as of today.
    tomorrow = today + dt.timedelta(days=1)
    figures = place_figures(place=place_a, start=today - dt.timedelta(days=30), end=tomorrow)
    assert (figures["action_items"]["open"], figures["action_items"]["overdue"]) == (2, 1)
