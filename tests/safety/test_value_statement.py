"""The yearly value statement of a member organisation (issue #18): page, PDF and access."""

from decimal import Decimal

import pytest
from django.urls import reverse

from partnerships.models import SocialOutcome
from places.models import PlaceRole
from tests import clock
from tests import factories as f


@pytest.fixture
def members(place_a, property_owner):
    shop = f.OrganisationFactory(name="Torgets Livs AB", kind="business")
    for organisation in (property_owner, shop):
        f.MembershipFactory(organisation=organisation, place=place_a)
    f.FundingCommitmentFactory(
        organisation=property_owner,
        place=place_a,
        year=clock.this_year(),
        amount_sek=Decimal("250000"),
    )
    SocialOutcome.objects.create(
        organisation=property_owner,
        place=place_a,
        year=clock.this_year(),
        summer_jobs_target=6,
        summer_jobs=7,
    )
    return property_owner, shop


def _url(place, pdf=False):
    name = "safety:value_statement_pdf" if pdf else "safety:value_statement"
    return reverse(name, kwargs={"place_slug": place.slug})


def test_a_manager_sees_every_members_statement(client, place_a, manager, members):
    owner, shop = members
    client.force_login(manager)
    page = client.get(_url(place_a), {"organisation": owner.pk, "year": clock.this_year()})
    assert page.status_code == 200
    text = page.content.decode()
    assert "250" in text and owner.name in text
    assert client.get(_url(place_a), {"organisation": shop.pk}).status_code == 200
    pdf = client.get(_url(place_a, pdf=True), {"organisation": owner.pk})
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")


def test_a_member_sees_only_its_own_organisations(client, place_a, reader, members):
    owner, shop = members
    PlaceRole.objects.filter(user=reader, place=place_a).update(organisation=shop)
    client.force_login(reader)
    assert client.get(_url(place_a)).status_code == 200
    assert client.get(_url(place_a), {"organisation": shop.pk}).status_code == 200
    assert client.get(_url(place_a), {"organisation": owner.pk}).status_code == 404
    assert client.get(_url(place_a, pdf=True), {"organisation": owner.pk}).status_code == 404


def test_outsiders_get_404(client, place_a, outsider, members):
    client.force_login(outsider)
    assert client.get(_url(place_a)).status_code == 404
    assert client.get(_url(place_a, pdf=True)).status_code == 404


def test_a_year_not_begun_is_a_field_error(client, place_a, manager, members):
    client.force_login(manager)
    response = client.get(_url(place_a), {"year": clock.this_year() + 1})
    assert response.status_code == 400
    assert "year" in response.context["form"].errors


@pytest.mark.parametrize("extra", [0, 8])
def test_the_statement_takes_the_same_queries(
    client, place_a, manager, members, extra, count_queries, walk_kind
):
    owner, _shop = members
    for n in range(extra):
        activity = f.ActivityFactory(place=place_a, kind=walk_kind, started_at=clock.days_ago(n))
        activity.organisations.add(owner)
    client.force_login(manager)
    with count_queries() as ctx:
        client.get(_url(place_a), {"organisation": owner.pk})
    assert len(ctx) <= 40
