"""Approval starts the partnership: exactly the right records, in one transaction."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.urls import reverse

from partnerships.models import (
    ApplicationEvent,
    FundingCommitment,
    Membership,
    PartnershipApplication,
)
from partnerships.services import applications as services
from places.models import Place, PlaceRole
from tests import clock
from tests import factories as f
from tests.partnerships.applications_support import *  # noqa: F403
from tests.partnerships.applications_support import assess_all

Status = PartnershipApplication.Status


def _counts():
    return (
        Place.objects.count(),
        Membership.objects.count(),
        FundingCommitment.objects.count(),
        PlaceRole.objects.count(),
        ApplicationEvent.objects.count(),
    )


@pytest.fixture(autouse=True)
def _all_criteria_assessed(in_review, reviewer):
    """Every criterion is assessed before these approvals; deciding with criteria unassessed is
    tested in test_applications_review.py."""
    assess_all(in_review, reviewer)


def _plan(application, reason="Alla fyra kriterier är uppfyllda."):
    plan = services.approval_proposal(application, municipality="Malmö")
    plan.reason = reason
    return plan


def test_approval_creates_exactly_the_place_members_commitments_and_managers(
    in_review, reviewer, applicant, lead_colleague, applicant_org, association
):
    other_user = f.UserFactory(email="elsewhere@example.org")
    before = _counts()
    place = services.application_approve(
        application=in_review, actor=reviewer, plan=_plan(in_review)
    )

    assert place.name == "Sofielund"
    assert place.boundary == in_review.area_boundary
    assert place.municipality == "Malmö"
    assert place.centre_lat is not None and place.centre_lon is not None
    memberships = {m.organisation: m.role for m in Membership.objects.filter(place=place)}
    assert memberships == {applicant_org: "board", association: "member"}
    commitments = sorted(
        (c.organisation.name, c.kind, c.amount_sek, c.in_kind_hours)
        for c in FundingCommitment.objects.filter(place=place)
    )
    assert commitments == [
        (association.name, "cash", Decimal("50000.00"), None),
        (association.name, "in_kind", Decimal("0.00"), Decimal("120.0")),
        (applicant_org.name, "cash", Decimal("200000.00"), None),
    ]
    roles = {(r.user, r.role, r.organisation) for r in PlaceRole.objects.filter(place=place)}
    assert roles == {
        (applicant, "manager", applicant_org),
        (lead_colleague, "manager", applicant_org),
    }
    assert not PlaceRole.objects.filter(user=other_user).exists()
    in_review.refresh_from_db()
    assert in_review.status == Status.APPROVED
    assert in_review.place == place
    assert in_review.decision_reason == "Alla fyra kriterier är uppfyllda."
    assert in_review.decided_at is not None
    # One place, two memberships, three commitments, two roles, one event – nothing else.
    assert _counts() == tuple(a + b for a, b in zip(before, (1, 2, 3, 2, 1), strict=True))


def test_the_reviewers_adjustments_are_what_gets_created(
    in_review, reviewer, applicant, lead_colleague, association
):
    plan = _plan(in_review)
    plan.place_name = "Sofielund Norra"
    plan.place_slug = "sofielund-norra"
    plan.managers = [lead_colleague]
    co = next(item for item in plan.parties if item.party.organisation == association)
    co.cash_sek = Decimal("0")
    co.in_kind_value_sek = Decimal("48000")
    co.membership_role = Membership.Role.FUNDER
    place = services.application_approve(application=in_review, actor=reviewer, plan=plan)

    assert (place.name, place.slug) == ("Sofielund Norra", "sofielund-norra")
    assert list(PlaceRole.objects.filter(place=place).values_list("user__email", flat=True)) == [
        "colleague@example.org"
    ]
    association_commitments = FundingCommitment.objects.filter(
        place=place, organisation=association
    )
    assert [(c.kind, c.amount_sek) for c in association_commitments] == [
        ("in_kind", Decimal("48000.00"))
    ]
    assert Membership.objects.get(place=place, organisation=association).role == "funder"


@pytest.mark.parametrize(
    "break_at",
    ["place_role", "commitment_db", "membership"],
)
def test_when_any_step_fails_nothing_is_created(in_review, reviewer, monkeypatch, break_at):
    before = _counts()
    if break_at == "place_role":
        # The very last record fails validation: everything before it must be rolled back.
        def fail(self, *args, **kwargs):
            raise ValidationError("boom")

        monkeypatch.setattr(PlaceRole, "full_clean", fail)
        expected = ValidationError
    elif break_at == "commitment_db":
        original = FundingCommitment.save
        calls = {"n": 0}

        def fail_second(self, *args, **kwargs):
            calls["n"] += 1
            if calls["n"] == 2:
                raise IntegrityError("database refused")
            return original(self, *args, **kwargs)

        monkeypatch.setattr(FundingCommitment, "save", fail_second)
        expected = IntegrityError
    else:

        def fail(self, *args, **kwargs):
            raise ValidationError({"role": "bad"})

        monkeypatch.setattr(Membership, "full_clean", fail)
        expected = ValidationError
    with pytest.raises(expected):
        services.application_approve(application=in_review, actor=reviewer, plan=_plan(in_review))
    assert _counts() == before
    in_review.refresh_from_db()
    assert in_review.status == Status.IN_REVIEW
    assert in_review.place is None
    assert in_review.decided_at is None


def test_a_manager_from_another_organisation_is_refused_and_nothing_created(
    in_review, reviewer, co_applicant
):
    plan = _plan(in_review)
    plan.managers = [*plan.managers, co_applicant]
    before = _counts()
    with pytest.raises(ValidationError):
        services.application_approve(application=in_review, actor=reviewer, plan=plan)
    assert _counts() == before


def test_a_taken_slug_is_refused_and_nothing_created(in_review, reviewer):
    f.PlaceFactory(slug="sofielund")
    plan = _plan(in_review)
    plan.place_slug = "sofielund"
    before = _counts()
    with pytest.raises(ValidationError):
        services.application_approve(application=in_review, actor=reviewer, plan=plan)
    assert _counts() == before


def test_proposal_suggests_a_free_slug(in_review):
    f.PlaceFactory(slug="sofielund")
    assert services.approval_proposal(in_review).place_slug == "sofielund-2"


# --- Through the page --------------------------------------------------------------------


def _post_data(in_review, **overrides):
    plan = services.approval_proposal(in_review)
    data = {
        "place_name": "Sofielund",
        "place_slug": "sofielund",
        "place_kind": "district",
        "municipality": "Malmö",
        "year": str(clock.this_year()),
        "reason": "Stark förankring och tydliga åtaganden.",
        "managers": [str(u.pk) for u in plan.managers],
        "parties-TOTAL_FORMS": str(len(plan.parties)),
        "parties-INITIAL_FORMS": str(len(plan.parties)),
    }
    for index, item in enumerate(plan.parties):
        data.update(
            {
                f"parties-{index}-membership_role": item.membership_role,
                f"parties-{index}-cash_sek": str(item.cash_sek),
                f"parties-{index}-in_kind_hours": str(item.in_kind_hours),
                f"parties-{index}-in_kind_value_sek": "0",
                f"parties-{index}-in_kind_description": "Städrundor" if item.in_kind_hours else "",
            }
        )
    data.update(overrides)
    return data


def test_reviewer_sees_the_proposal_before_confirming(client, in_review, reviewer, association):
    client.force_login(reviewer)
    response = client.get(reverse("partnerships:application_approve", args=[in_review.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert 'value="sofielund"' in page
    assert association.name in page
    assert 'value="50\u00a0000,00"' in page  # in Swedish, as people write it (issue #19)
    assert Place.objects.filter(slug="sofielund").count() == 0  # looking creates nothing


def test_approval_through_the_page_starts_the_partnership(
    client, in_review, reviewer, applicant, django_capture_on_commit_callbacks
):
    client.force_login(reviewer)
    url = reverse("partnerships:application_approve", args=[in_review.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, _post_data(in_review, **{"parties-1-cash_sek": "60000"}))
    assert response.status_code == 302
    place = Place.objects.get(slug="sofielund")
    assert FundingCommitment.objects.filter(place=place, amount_sek=Decimal("60000")).exists()
    # The lead applicant finds it under "My places".
    client.force_login(applicant)
    home = client.get(reverse("places:home"))
    assert "Sofielund" in home.content.decode()


def test_approval_page_without_a_reason_creates_nothing(client, in_review, reviewer):
    client.force_login(reviewer)
    url = reverse("partnerships:application_approve", args=[in_review.pk])
    before = _counts()
    response = client.post(url, _post_data(in_review, reason=""))
    assert response.status_code == 400
    assert _counts() == before


def test_approval_page_for_a_decided_application_refuses(client, rejected, reviewer):
    client.cookies["django_language"] = "en"
    client.force_login(reviewer)
    url = reverse("partnerships:application_approve", args=[rejected.pk])
    response = client.post(url, _post_data(rejected), follow=True)
    assert "Only an application in review can be approved" in response.content.decode()
    assert Place.objects.count() == 0


def test_approval_page_is_for_reviewers_only(client, in_review, applicant, outsider):
    url = reverse("partnerships:application_approve", args=[in_review.pk])
    client.force_login(applicant)
    assert client.get(url).status_code == 403
    assert client.post(url, _post_data(in_review)).status_code == 403
    client.force_login(outsider)
    assert client.get(url).status_code == 404
    assert Place.objects.count() == 0


def test_work_in_kind_without_a_description_is_refused_and_nothing_is_created(
    client, in_review, reviewer
):
    """Approval goes through the funding rules: hours in kind need a description."""
    client.force_login(reviewer)
    url = reverse("partnerships:application_approve", args=[in_review.pk])
    data = _post_data(
        in_review, **{"parties-0-in_kind_hours": "40", "parties-0-in_kind_description": ""}
    )
    response = client.post(url, data)
    assert response.status_code == 400
    assert "Beskriv insatsen i natura." in response.content.decode()
    assert not Place.objects.filter(slug="sofielund").exists()
    in_review.refresh_from_db()
    assert in_review.status == in_review.Status.IN_REVIEW
