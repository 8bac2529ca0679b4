"""Shared data and fixtures of the dashboard and cache tests (no tests of its own).

A small but complete place: every panel of the dashboard has something to show. Time is frozen
at Sunday 22 November 2026, 09:00 in Stockholm: pinned on purpose, because the hand-checked
figures follow this November's weeks and months; the files using `frozen` write every date
relative to this moment, never to the session's frozen clock.
"""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine

from partnerships.models import AnnualBudget
from places.models import ActivityKind
from safety.models import IncidentCategory, SituationReport
from tests import factories as f

from .conftest import local

NOW = local(2026, 11, 22, 9, 0)


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield NOW


def build_place_data(place, *, scale=1, organisation=None, other_organisation=None):
    """Incidents (one restricted, with positions), activities, an action item, a plan, a survey
    with answers and funding for `place`. `scale` multiplies the rows for query-count tests."""
    vandalism = IncidentCategory.objects.get(code="skadegorelse")
    graffiti = IncidentCategory.objects.get(code="klotter")
    walk = ActivityKind.objects.get(code="trygghetsvandring")
    for i in range(3 * scale):
        f.IncidentFactory(
            place=place,
            category=vandalism if i % 2 else graffiti,
            occurred_at=local(2026, 11, 1 + i % 20, 22, 15),
            lat=55.6010 + i * 0.0001,
            lon=13.0010,
        )
        f.IncidentFactory(
            place=place, category=vandalism, occurred_at=local(2026, 10, 10 + i % 15, 14)
        )
        f.ActivityFactory(place=place, kind=walk, started_at=local(2026, 11, 2 + i % 15, 18))
        f.ActionItemFactory(place=place, lat=55.6012, lon=13.0015, due_date=dt.date(2026, 11, 1))
        SituationReport.objects.get_or_create(
            place=place,
            kind="monthly",
            period_start=dt.date(2025 - i % 20, 1, 1),
            defaults={"period_end": dt.date(2025 - i % 20, 2, 1), "status": "ready"},
        )
    question = f.QuestionFactory(survey=f.SurveyFactory(place=place))
    for value in (4, 5) * scale:
        f.AnswerFactory(
            question=question,
            response=f.ResponseFactory(survey=question.survey, submitted_at=local(2026, 11, 5, 12)),
            value_number=value,
        )
    f.PlannedActivityFactory(
        place=place, kind=walk, recurrence="weekly", weekday=0, starts_on=dt.date(2026, 1, 1)
    )
    AnnualBudget.objects.get_or_create(
        place=place, year=2026, defaults={"target_sek": Decimal("1000000")}
    )
    if organisation:
        f.FundingCommitmentFactory(
            place=place, organisation=organisation, year=2026, amount_sek=Decimal("250000")
        )
    if other_organisation:
        f.FundingCommitmentFactory(
            place=place, organisation=other_organisation, year=2026, amount_sek=Decimal("400000")
        )
