"""Fixtures for the application tests: a lead applicant, a co-applicant and complete drafts."""

from decimal import Decimal

import pytest

from accounts.models import Organisation
from partnerships.models import CRITERIA, ApplicationParty
from partnerships.services import applications as services
from tests import factories as f
from tests.factories import SQUARE_BOUNDARY


@pytest.fixture
def association(db):
    return f.OrganisationFactory(name="Föreningen Sofielunds Vänner", kind="association")


@pytest.fixture
def applicant_org(db):
    return f.OrganisationFactory(name="Sofielund Fastigheter AB", kind="property_owner")


@pytest.fixture
def applicant(applicant_org):
    return f.UserFactory(
        email="applicant@example.org", full_name="Amir Karimi", organisation=applicant_org
    )


@pytest.fixture
def lead_colleague(applicant_org):
    return f.UserFactory(
        email="colleague@example.org", full_name="Kim Lead", organisation=applicant_org
    )


@pytest.fixture
def co_applicant(association):
    """A user of the co-applicant organisation: may read, edits only when invited."""
    return f.UserFactory(email="co@example.org", full_name="Cia Co", organisation=association)


@pytest.fixture
def other_applicant(db):
    """An applicant of another organisation with its own application."""
    org = f.OrganisationFactory(name="Annan Fastighet AB", kind="property_owner")
    return f.UserFactory(email="other@example.org", organisation=org)


@pytest.fixture
def second_reviewer(db, municipality):
    from django.contrib.auth.models import Group

    user = f.UserFactory(
        email="reviewer2@example.org", full_name="Rut Två", organisation=municipality
    )
    user.groups.add(Group.objects.get(name="Reviewers"))
    return user


def fill_complete(application, co_org):
    """Fill every section so the application can be submitted."""
    application.area_name = "Sofielund"
    application.area_description = "Industriområde och bostäder kring Lantmannagatan."
    application.area_boundary = SQUARE_BOUNDARY
    application.purpose = "Ett tryggare och renare Sofielund."
    application.planned_activities = "Trygghetsvandringar varje månad, städdagar."
    application.expected_results = "Färre skadegörelser och fler som trivs."
    for code, _label, _help in CRITERIA:
        setattr(application, f"answer_{code}", f"Svar om {code}.")
    application.time_plan = "Start i januari, uppföljning i juni."
    application.budget_total_sek = Decimal("500000")
    application.requested_support_sek = Decimal("250000")
    application.save()
    lead = application.parties.get(role=ApplicationParty.Role.LEAD)
    lead.commits_money_sek = Decimal("200000")
    lead.commits_hours = Decimal("0")
    lead.save()
    ApplicationParty.objects.create(
        application=application,
        organisation=co_org,
        role=ApplicationParty.Role.CO_APPLICANT,
        commits_money_sek=Decimal("50000"),
        commits_hours=Decimal("120"),
        commits_responsibility="Ansvarar för städdagarna.",
        consent=ApplicationParty.Consent.ACCEPTED,
    )
    return application


def assess_all(application, reviewer, verdict="met"):
    """The reviewer's verdict on every criterion, as before a decision."""
    return services.assessments_save(
        application=application,
        actor=reviewer,
        verdicts={code: (verdict, "") for code, _label, _help in CRITERIA},
    )


@pytest.fixture
def draft(applicant):
    return services.application_create(actor=applicant, title="Tryggare Sofielund")


@pytest.fixture
def complete_draft(draft, association):
    return fill_complete(draft, association)


@pytest.fixture
def submitted(complete_draft, applicant):
    return services.application_submit(application=complete_draft, actor=applicant)


@pytest.fixture
def in_review(submitted, reviewer):
    return services.application_start_review(application=submitted, actor=reviewer)


@pytest.fixture
def changes_requested(in_review, reviewer):
    return services.application_request_changes(
        application=in_review, actor=reviewer, message="Beskriv budgeten tydligare."
    )


@pytest.fixture
def rejected(in_review, reviewer):
    assess_all(in_review, reviewer, verdict="not_met")
    return services.application_reject(
        application=in_review, actor=reviewer, reason="Området saknar förankring."
    )


@pytest.fixture
def approved(in_review, reviewer, applicant):
    assess_all(in_review, reviewer)
    plan = services.approval_proposal(in_review, municipality="Malmö")
    plan.reason = "Alla kriterier uppfyllda."
    services.application_approve(application=in_review, actor=reviewer, plan=plan)
    in_review.refresh_from_db()
    return in_review


@pytest.fixture
def withdrawn(submitted, applicant):
    return services.application_withdraw(application=submitted, actor=applicant)


@pytest.fixture
def other_application(other_applicant):
    return services.application_create(actor=other_applicant, title="Annan ansökan")


STATE_FIXTURES = {
    "draft": "complete_draft",
    "submitted": "submitted",
    "in_review": "in_review",
    "changes_requested": "changes_requested",
    "approved": "approved",
    "rejected": "rejected",
    "withdrawn": "withdrawn",
}

__all__ = [
    "Organisation",
    "applicant",
    "applicant_org",
    "approved",
    "assess_all",
    "association",
    "changes_requested",
    "co_applicant",
    "complete_draft",
    "draft",
    "fill_complete",
    "in_review",
    "lead_colleague",
    "other_applicant",
    "other_application",
    "rejected",
    "second_reviewer",
    "submitted",
    "withdrawn",
]
