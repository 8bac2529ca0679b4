"""`amp_platform.raw_sql.compiled`: a statement built once by the ORM and run again with other
values gives what the ORM gives for those values, and refuses a statement it cannot reuse."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.db.models import Count, Q, Value
from django.db.models.expressions import RawSQL
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from amp_platform import raw_sql
from partnerships.models import FundingCommitment
from partnerships.queries.funding import _funding_totals
from places.models import ActionItem
from safety.figures import _action_item_counts
from tests import factories as f

pytestmark = pytest.mark.django_db


def _due(*, place: int, on: dt.date, since: dt.datetime):
    return (
        ActionItem.objects.filter(place=place, created_at__gte=since)
        .values(one=Value(1))
        .annotate(overdue=Count("id", filter=ActionItem.overdue_q(on)), all=Count("id"))
        .order_by()
    )


def test_the_values_are_substituted_where_the_stand_ins_were():
    today = timezone.localdate()
    a, b = f.PlaceFactory(), f.PlaceFactory()
    for days in (-3, -1, 2):
        f.ActionItemFactory(place=a, due_date=today + dt.timedelta(days=days))
    f.ActionItemFactory(place=b, due_date=today - dt.timedelta(days=9))
    statement = raw_sql.compiled(
        "test.due", ActionItem, _due, place=int, on=dt.date, since=dt.datetime
    )
    assert sorted(name for name, _type in statement.positions.values()) == ["on", "place", "since"]
    long_ago = timezone.now() - dt.timedelta(days=1)
    for place, on, since in [
        (a, today, long_ago),
        (a, today + dt.timedelta(days=5), long_ago),
        (b, today, long_ago),
        (a, today, timezone.now() + dt.timedelta(days=1)),  # none created since
        (f.PlaceFactory(), today, long_ago),  # no rows: still one row of zeros
    ]:
        values = {"place": place.pk, "on": on, "since": since}
        assert statement.dicts(**values) == list(_due(**values))
    assert statement.dicts(place=a.pk, on=today, since=long_ago)[0]["overdue"] == 2


def test_built_once_per_process_and_database():
    calls = []

    def build(**values):
        calls.append(values)
        return _due(**values)

    first = raw_sql.compiled(
        "test.once", ActionItem, build, place=int, on=dt.date, since=dt.datetime
    )
    again = raw_sql.compiled(
        "test.once", ActionItem, build, place=int, on=dt.date, since=dt.datetime
    )
    assert first is again
    assert len(calls) == 2  # the two sets of stand-ins, once
    place = f.PlaceFactory()
    with CaptureQueriesContext(connection) as queries:
        first.rows(place=place.pk, on=timezone.localdate(), since=timezone.now())
    assert len(queries) == 1


def test_funding_totals_and_action_item_counts_as_the_orm_gives_them():
    today = timezone.localdate()
    place = f.PlaceFactory()
    municipality = f.OrganisationFactory(kind="municipality")
    late = f.FundingCommitmentFactory(
        place=place, organisation=municipality, due_date=today - dt.timedelta(days=10)
    )
    f.PaymentFactory(commitment=late, amount_sek=Decimal("30000.50"), paid_on=today)
    late.amount_paid = Decimal("30000.50")
    late.save()
    f.FundingCommitmentFactory(place=place, kind=FundingCommitment.Kind.IN_KIND, in_kind_hours=12)
    funding = raw_sql.compiled(
        "test.funding", FundingCommitment, _funding_totals, place=int, year=int, as_of=dt.date
    )
    for as_of in (today, today - dt.timedelta(days=1), today - dt.timedelta(days=20)):
        values = {"place": place.pk, "year": today.year, "as_of": as_of}
        orm = list(_funding_totals(**values))
        assert funding.dicts(**values) == orm
        # the same types and digits (a Decimal's places show in a frozen report)
        assert [repr(v) for v in funding.rows(**values)[0]] == [repr(v) for v in orm[0].values()]
    f.ActionItemFactory(place=place, due_date=today - dt.timedelta(days=2))
    counts = raw_sql.compiled(
        "test.action_items",
        ActionItem,
        _action_item_counts,
        place=int,
        as_of_at=dt.datetime,
        as_of_date=dt.date,
        start_at=dt.datetime,
        end_at=dt.datetime,
    )
    now = timezone.now()
    values = {
        "place": place.pk,
        "as_of_at": now + dt.timedelta(minutes=1),
        "as_of_date": today,
        "start_at": now - dt.timedelta(days=30),
        "end_at": now + dt.timedelta(hours=1),
    }
    assert counts.dicts(**values) == list(_action_item_counts(**values))
    assert counts.dicts(**values)[0]["overdue"] == 1


@pytest.mark.parametrize(
    "build, message",
    [
        # a value the ORM derived from the stand-in: not the value's position
        (
            lambda place, on: ActionItem.objects.filter(
                place=place, due_date__lt=on + dt.timedelta(days=1)
            ).values("id"),
            "derived",
        ),
        # a value not used at all
        (lambda place, on: ActionItem.objects.filter(place=place).values("id"), "not found"),
        # a value written into the SQL text
        (
            lambda place, on: (
                ActionItem.objects.filter(due_date__lt=on)
                .annotate(p=RawSQL(str(place), ()))
                .values("id", "p")
            ),
            "SQL depends",
        ),
        # a value that changes the statement's shape
        (
            lambda place, on: ActionItem.objects.filter(
                Q(place=place) if place > 30_000 else Q(place__isnull=True), due_date__lt=on
            ).values("id"),
            "SQL depends",
        ),
    ],
)
def test_refuses_a_statement_it_cannot_reuse(build, message):
    with pytest.raises(ValueError, match=message):
        raw_sql.compiled(f"test.refused.{message}", ActionItem, build, place=int, on=dt.date)
    assert not any(key[0] == f"test.refused.{message}" for key in raw_sql._compiled)


def test_the_values_asked_for():
    statement = raw_sql.compiled(
        "test.due", ActionItem, _due, place=int, on=dt.date, since=dt.datetime
    )
    with pytest.raises(TypeError):
        statement.rows(place=1, on=timezone.localdate())
