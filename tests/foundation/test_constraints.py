"""The database itself keeps the rules that matter, even when forms are bypassed."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from partnerships import models as pm
from places import models as plm
from surveys import models as svm
from tests import clock
from tests import factories as f

pytestmark = pytest.mark.django_db


def refused_by_database(create):
    """Run `create` in its own savepoint and expect the database to refuse it."""
    with pytest.raises(IntegrityError), transaction.atomic():
        create()


def test_one_role_per_person_and_place(place_a, reader):
    refused_by_database(
        lambda: plm.PlaceRole.objects.create(user=reader, place=place_a, role="manager")
    )
    assert plm.PlaceRole.objects.get(user=reader, place=place_a).role == "reader"


def test_a_role_must_be_one_of_the_three(place_a):
    user = f.UserFactory()
    refused_by_database(
        lambda: plm.PlaceRole.objects.create(user=user, place=place_a, role="owner")
    )


def test_paid_cannot_exceed_the_commitment(place_a, property_owner):
    refused_by_database(
        lambda: pm.FundingCommitment.objects.create(
            organisation=property_owner,
            place=place_a,
            year=clock.this_year(),
            amount_sek=Decimal("1000"),
            amount_paid=Decimal("1000.01"),
        )
    )
    assert not pm.FundingCommitment.objects.exists()


def test_a_commitment_amount_cannot_be_negative(place_a, property_owner):
    refused_by_database(
        lambda: pm.FundingCommitment.objects.create(
            organisation=property_owner,
            place=place_a,
            year=clock.this_year(),
            amount_sek=Decimal("-1"),
        )
    )


def test_the_municipal_share_cannot_exceed_the_target(place_a):
    refused_by_database(
        lambda: pm.AnnualBudget.objects.create(
            place=place_a,
            year=clock.this_year(),
            target_sek=Decimal("100000"),
            municipal_share_sek=Decimal("100001"),
        )
    )
    assert not pm.AnnualBudget.objects.exists()


def test_one_budget_per_place_and_year(place_a):
    year = clock.this_year()
    f.AnnualBudgetFactory(place=place_a, year=year)
    refused_by_database(lambda: f.AnnualBudgetFactory(place=place_a, year=year))


def test_a_payment_must_be_positive():
    commitment = f.FundingCommitmentFactory()
    refused_by_database(
        lambda: pm.Payment.objects.create(commitment=commitment, amount_sek=Decimal("0"))
    )


def test_a_membership_cannot_end_before_it_starts(place_a, property_owner):
    refused_by_database(
        lambda: pm.Membership.objects.create(
            organisation=property_owner,
            place=place_a,
            since=dt.date(clock.this_year(), 3, 1),
            until=dt.date(clock.this_year(), 2, 1),
        )
    )


def test_one_current_membership_per_organisation_and_place(place_a, property_owner):
    f.MembershipFactory(organisation=property_owner, place=place_a)
    refused_by_database(lambda: f.MembershipFactory(organisation=property_owner, place=place_a))
    # History is kept: an ended membership beside the current one is fine.
    f.MembershipFactory(
        organisation=property_owner,
        place=place_a,
        since=dt.date(clock.this_year() - 6, 1, 1),
        until=dt.date(clock.this_year() - 5, 12, 31),
    )


def test_a_planned_activity_cannot_end_before_it_starts(place_a):
    refused_by_database(
        lambda: f.PlannedActivityFactory(
            place=place_a,
            starts_on=dt.date(clock.this_year(), 6, 1),
            ends_on=dt.date(clock.this_year(), 5, 1),
        )
    )


def test_organisationsnummer_are_unique():
    org = f.OrganisationFactory()
    refused_by_database(lambda: f.OrganisationFactory(org_number=org.org_number))


def test_e_mail_addresses_are_unique_whatever_their_case(reader):
    refused_by_database(lambda: type(reader).objects.create(email="READER@example.org"))


def test_a_survey_closes_after_it_opens(place_a):
    opens = clock.frozen_now() + dt.timedelta(days=1)
    refused_by_database(
        lambda: svm.Survey.objects.create(
            place=place_a, title="Trygghetsmätning", opens_at=opens, closes_at=opens
        )
    )
