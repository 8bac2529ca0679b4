"""Fixtures for the safety tests: local times, seeded categories and incidents."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from places.models import ActivityKind
from safety.models import IncidentCategory
from tests import factories as f
from tests.conftest import ensure_default_data  # noqa: F401  (re-exported: older imports)

STOCKHOLM = ZoneInfo("Europe/Stockholm")


def local(year, month, day, hour=0, minute=0, fold=0):
    """An aware Europe/Stockholm datetime (fold=1 picks the second 02:xx in October)."""
    return dt.datetime(year, month, day, hour, minute, tzinfo=STOCKHOLM, fold=fold)


def days_before(days, hour, minute=0):
    """A Stockholm time `days` days before the current moment's date: the frozen clock's, or a
    test's own pinned moment when it travels there before asking for the fixture."""
    date = timezone.localdate() - dt.timedelta(days=days)
    return local(date.year, date.month, date.day, hour, minute)


@pytest.fixture
def vandalism(db):
    return IncidentCategory.objects.get(code="skadegorelse")


@pytest.fixture
def graffiti(db):
    return IncidentCategory.objects.get(code="klotter")


@pytest.fixture
def walk_kind(db):
    return ActivityKind.objects.get(code="trygghetsvandring")


@pytest.fixture
def cleaning_kind(db):
    return ActivityKind.objects.get(code="stadning")


@pytest.fixture
def incident(place_a, vandalism, reporter):
    return f.IncidentFactory(
        place=place_a,
        category=vandalism,
        reported_by=reporter,
        reporting_organisation=reporter.organisation,
        occurred_at=days_before(2, 22, 15),
        description="Krossad glasruta vid busshållplatsen.",
    )


@pytest.fixture
def restricted_incident(place_a, graffiti, reporter):
    return f.IncidentFactory(
        place=place_a,
        category=graffiti,
        reported_by=reporter,
        reporting_organisation=reporter.organisation,
        occurred_at=days_before(3, 1, 30),
        visibility="restricted",
        severity="high",
        description="Misstänkt narkotikahandel vid trappan.",
    )
