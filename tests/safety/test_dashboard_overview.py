"""The overview across places: who sees which places, the figures per row, sorting, speed."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from partnerships.models import Membership
from places.models import ActivityKind, PlaceRole
from tests import factories as f

from .conftest import local
from .test_dashboard_support import frozen  # noqa: F401

# Pinned at test_dashboard_support.NOW (a known November, see there): every date here is
# relative to that moment, never to the session's frozen clock.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]
URL = "/overview/"


def places_in(response):
    return [row["place"].name for row in response.context["rows"]]


def test_the_overview_is_linked_from_the_header(client, reader):
    client.force_login(reader)
    assert reverse("overview") == URL
    assert f'href="{URL}"' in client.get("/").content.decode()


def test_a_member_compares_only_its_own_places(client, place_a, place_b, reader):
    client.force_login(reader)
    response = client.get(URL)
    assert response.status_code == 200
    assert places_in(response) == ["Möllevångstorget"]


def test_a_user_with_several_places_sees_them_all(client, place_a, place_b, reader):
    PlaceRole.objects.create(user=reader, place=place_b, role="reader")
    client.force_login(reader)
    assert places_in(client.get(URL)) == ["Drottninggatan", "Möllevångstorget"]


def test_staff_see_every_active_place(client, place_a, place_b, staff):
    f.PlaceFactory(name="Nedlagda torget", is_active=False)
    client.force_login(staff)
    assert places_in(client.get(URL)) == ["Drottninggatan", "Möllevångstorget"]


def test_a_reviewer_sees_places_where_the_city_is_a_member_without_a_link(
    client, place_a, place_b, reviewer, municipality
):
    Membership.objects.create(organisation=municipality, place=place_a, role="funder")
    Membership.objects.create(
        organisation=municipality,
        place=place_b,
        since=dt.date(2020, 1, 1),
        until=dt.date(2024, 12, 31),  # no longer a member
    )
    client.force_login(reviewer)
    response = client.get(URL)
    assert places_in(response) == ["Möllevångstorget"]
    # No role at the place: its dashboard would be a 404, so the row does not link there.
    assert response.context["rows"][0]["url"] is None
    assert 'href="/places/mollevangstorget/"' not in response.content.decode()


def test_an_outsider_gets_an_empty_overview(client, place_a, outsider):
    client.force_login(outsider)
    response = client.get(URL)
    assert response.status_code == 200
    assert response.context["rows"] == []


def test_anonymous_is_sent_to_log_in_and_post_is_refused(client, reader):
    response = client.get(URL)
    assert response.status_code == 302 and reverse("account_login") in response["Location"]
    client.force_login(reader)
    assert client.post(URL).status_code == 405


@pytest.mark.usefixtures("few_answers_suffice")
def test_a_row_has_the_places_figures(client, place_a, staff):
    walk = ActivityKind.objects.get(code="trygghetsvandring")
    # Aug–Oct 2026 are the three whole months; May–Jul the three before.
    for month in (8, 9, 10):
        f.IncidentFactory.create_batch(4, place=place_a, occurred_at=local(2026, month, 10, 12))
    f.IncidentFactory.create_batch(6, place=place_a, occurred_at=local(2026, 6, 10, 12))
    f.IncidentFactory(place=place_a, occurred_at=local(2026, 11, 10, 12))  # this month: not counted
    f.ActivityFactory.create_batch(2, place=place_a, kind=walk, started_at=local(2026, 9, 7, 18))
    f.PlannedActivityFactory(place=place_a, kind=walk, recurrence="monthly")
    question = f.QuestionFactory(survey=f.SurveyFactory(place=place_a))
    for value in (3, 5):
        f.AnswerFactory(
            question=question,
            response=f.ResponseFactory(survey=question.survey, submitted_at=local(2026, 9, 1, 12)),
            value_number=value,
        )
    f.AnnualBudgetFactory(place=place_a, year=2026, target_sek=Decimal("800000"))
    f.FundingCommitmentFactory(place=place_a, year=2026, amount_sek=Decimal("200000"))
    f.FundingCommitmentFactory(
        place=place_a, year=2026, amount_sek=Decimal("1"), status="withdrawn"
    )
    client.force_login(staff)
    [row] = client.get(URL).context["rows"]
    assert row["incidents_per_month"] == 4.0
    assert row["trend"] == {"diff": 6, "pct": 100.0}  # 12 against 6
    assert [m["count"] for m in row["months"]][-3:] == [4, 4, 4]
    assert row["safety_index"] == 75.0
    assert row["activities"] == 2 and row["hours"] == 2.0
    assert (row["planned"], row["done"], row["plan_pct"]) == (3, 1, 33)
    assert row["coverage_pct"] == 25
    assert row["url"] == "/places/mollevangstorget/"


def test_sorting_by_a_column_keeps_places_without_a_value_last(client, staff):
    quiet = f.PlaceFactory(name="Lugna torget")
    busy = f.PlaceFactory(name="Stora torget")
    empty = f.PlaceFactory(name="Anna torget")
    f.IncidentFactory.create_batch(3, place=busy, occurred_at=local(2026, 10, 1, 12))
    f.IncidentFactory(place=quiet, occurred_at=local(2026, 10, 1, 12))
    f.AnnualBudgetFactory(
        place=quiet, year=2026, target_sek=Decimal("100"), municipal_share_sek=Decimal("0")
    )
    client.force_login(staff)
    assert places_in(client.get(URL + "?sort=incidents&dir=desc")) == [
        busy.name,
        quiet.name,
        empty.name,
    ]
    assert places_in(client.get(URL + "?sort=incidents&dir=asc")) == [
        empty.name,
        quiet.name,
        busy.name,
    ]
    assert places_in(client.get(URL + "?sort=funding&dir=desc"))[0] == quiet.name
    # The active column says how it is sorted, for screen readers too.
    html = client.get(URL + "?sort=incidents&dir=desc").content.decode()
    assert 'aria-sort="descending"' in html
    # Nonsense falls back to sorting by name.
    assert places_in(client.get(URL + "?sort=drop+table&dir=x")) == [
        empty.name,
        quiet.name,
        busy.name,
    ]


def _fill(place, walk):
    f.IncidentFactory(place=place, occurred_at=local(2026, 9, 3, 12))
    f.ActivityFactory(place=place, kind=walk, started_at=local(2026, 9, 7, 18))
    f.PlannedActivityFactory(place=place, kind=walk, recurrence="weekly", weekday=0)
    f.ActionItemFactory(place=place)
    f.AnnualBudgetFactory(place=place, year=2026)
    f.FundingCommitmentFactory(place=place, year=2026)
    question = f.QuestionFactory(survey=f.SurveyFactory(place=place))
    f.AnswerFactory(question=question, response=f.ResponseFactory(survey=question.survey))


def test_the_overview_takes_the_same_queries_for_2_and_12_places(client, staff, count_queries):
    from django.core.cache import cache

    walk = ActivityKind.objects.get(code="trygghetsvandring")
    for _i in range(2):
        _fill(f.PlaceFactory(), walk)
    client.force_login(staff)
    client.get(URL)
    cache.clear()
    with count_queries() as small:
        client.get(URL)
    for _i in range(10):
        _fill(f.PlaceFactory(), walk)
    cache.clear()
    with count_queries() as large:
        response = client.get(URL)
    assert len(response.context["rows"]) == 12
    assert len(large) == len(small)
    # Warm: only the rows of places that changed are computed again.
    with count_queries() as warm:
        client.get(URL)
    assert len(warm) < len(large)
