"""Fixtures for the place workspace: member organisations, a responsible organisation's user,
activities and action items."""

import datetime as dt
import io

import pytest
from django.utils import timezone
from PIL import Image

from partnerships.models import Membership
from places.models import ActivityKind, PlaceRole
from tests import factories as f


@pytest.fixture
def walk_kind(db):
    return ActivityKind.objects.get(code="trygghetsvandring")


@pytest.fixture
def cleaning_kind(db):
    return ActivityKind.objects.get(code="stadning")


@pytest.fixture
def members(place_a, property_owner, municipality):
    """The property owner is a member of place A; Malmö stad is the place's municipality."""
    since = dt.date(timezone.localdate().year - 2, 1, 1)  # two years before the current moment
    Membership.objects.create(organisation=property_owner, place=place_a, since=since)
    return [property_owner, municipality]


@pytest.fixture
def city_user(place_a, municipality, members):
    """A reader at place A who works for the municipality (a responsible organisation)."""
    user = f.UserFactory(email="city@example.org", organisation=municipality)
    PlaceRole.objects.create(user=user, place=place_a, role="reader", organisation=municipality)
    return user


@pytest.fixture
def activity(place_a, manager, walk_kind, members):
    item = f.ActivityFactory(
        place=place_a, kind=walk_kind, logged_by=manager, lat=55.601, lon=13.002
    )
    item.organisations.set(members)
    return item


@pytest.fixture
def action_item(place_a, manager, municipality, members):
    return f.ActionItemFactory(
        place=place_a,
        created_by=manager,
        responsible_organisation=municipality,
        lat=55.6012,
        lon=13.0021,
    )


def image_bytes(fmt="JPEG", size=(2400, 1800), exif_gps=False) -> bytes:
    image = Image.new("RGB", size, (200, 120, 40))
    out = io.BytesIO()
    kwargs = {}
    if exif_gps:
        exif = Image.Exif()
        exif[0x010F] = "PhoneMaker"  # Make
        exif[0x8825] = {1: "N", 2: (55.0, 36.0, 4.5), 3: "E", 4: (13.0, 0.0, 7.2)}  # GPSInfo
        kwargs["exif"] = exif
    image.save(out, format=fmt, **kwargs)
    return out.getvalue()


def local(year, month, day, hour=12, minute=0):
    return timezone.make_aware(dt.datetime(year, month, day, hour, minute))
