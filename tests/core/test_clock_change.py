"""A time typed on the nights the clocks change (issue #11: never a 500, whatever the clock).

At 02:30 on the last Sunday of October the wall clock in Stockholm shows 02:30 twice; on the last
Sunday of March it never does. A guard on a night shift types what the clock says.
"""

import datetime as dt
import zoneinfo

import pytest
import time_machine
from django.urls import reverse

from places.models import Activity, ActivityKind, PlaceRole
from tests import clock
from tests import factories as f

STOCKHOLM = zoneinfo.ZoneInfo("Europe/Stockholm")


def _last_sunday(year: int, month: int) -> dt.date:
    day = dt.date(year, month + 1, 1) - dt.timedelta(days=1)
    return day - dt.timedelta(days=(day.weekday() + 1) % 7)


def _clock_change_nights():
    year = clock.this_year() + 1
    return [
        pytest.param(_last_sunday(year, 10), id="clocks-go-back"),
        pytest.param(_last_sunday(year, 3), id="clocks-go-forward"),
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("night", _clock_change_nights())
def test_an_activity_logged_at_half_past_two_on_the_night_the_clocks_change(client, night):
    # After the change, so "now" is past the typed time either way.
    with time_machine.travel(dt.datetime.combine(night, dt.time(4, 0), STOCKHOLM), tick=False):
        place = f.PlaceFactory()
        reporter = f.UserFactory()
        PlaceRole.objects.create(user=reporter, place=place, role="reporter")
        client.force_login(reporter)
        kind = ActivityKind.objects.get(code="trygghetsvandring")
        response = client.post(
            reverse("places:activity_create", args=[place.slug]),
            {
                "kind": kind.pk,
                "started_at": f"{night:%Y-%m-%d}T02:30",
                "duration_minutes": "60",
                "participants_count": "2",
                "description": "Nattrunda vid torget.",
            },
        )
    assert response.status_code == 302, response.context["form"].errors
    activity = Activity.objects.get()
    local = activity.started_at.astimezone(STOCKHOLM)
    if night.month == 10:
        # Of the two 02:30s, the first: still summer time.
        assert (local.hour, local.minute, local.utcoffset()) == (2, 30, dt.timedelta(hours=2))
    else:
        # 02:30 never happened: read in the winter offset it is 03:30 summer time.
        assert (local.hour, local.minute, local.utcoffset()) == (3, 30, dt.timedelta(hours=2))
