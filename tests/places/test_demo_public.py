"""The demo's square has its public page on, with public events, resolved tips and figures."""

import pytest
from django.urls import reverse
from icalendar import Calendar

from demo import public as demo_public
from demo.core import DemoContext, seed_core
from demo.workspace import seed_workspace
from places.models import ActionItem, PlannedActivity, PublicTip

pytestmark = pytest.mark.django_db


def _counts():
    return (PublicTip.objects.count(), ActionItem.objects.count(), PlannedActivity.objects.count())


def test_demo_square_public_page(client):
    ctx = DemoContext()
    seed_core(ctx)
    seed_workspace(ctx)
    demo_public.seed(ctx)
    first = _counts()
    again = DemoContext()
    seed_core(again)
    seed_workspace(again)
    demo_public.seed(again)
    assert _counts() == first

    place = ctx.places["mollevangstorget"]
    assert place.public_page_enabled
    states = set(PublicTip.objects.filter(place=place).values_list("status", flat=True))
    assert states == {"received", "accepted", "declined"}
    html = client.get(reverse("public:page", args=[place.slug])).content.decode()
    assert "Ny armatur monterad" in html  # a resolved tip's "after" text
    assert "Trygghetsvandring – boende är välkomna" in html
    feed = client.get(reverse("public:calendar", args=[place.slug]))
    assert list(Calendar.from_ical(feed.content).walk("VEVENT"))
    tip = PublicTip.objects.filter(place=place, action_item__status="resolved").first()
    tracking = client.get(reverse("places_public:tip_status", args=[place.slug, tip.token]))
    assert "Åtgärdad" in tracking.content.decode()
