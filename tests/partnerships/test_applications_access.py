"""Who sees and does what: applicants, co-applicants, reviewers, outsiders (architecture §4)."""

import pytest
from django.urls import reverse

from partnerships.models import PartnershipApplication
from partnerships.services import applications as services
from tests.partnerships.applications_support import *  # noqa: F403

NOTE = "Intern: kontrollera fastighetsägarens åtagande."
ASSESSMENT_COMMENT = "Delvis: samarbetet är nytt."


@pytest.fixture
def en(client):
    client.cookies["django_language"] = "en"
    return client


@pytest.fixture
def with_internal_work(in_review, reviewer):
    services.review_note_add(application=in_review, actor=reviewer, text=NOTE)
    services.assessment_save(
        application=in_review,
        actor=reviewer,
        criterion="established_trust",
        verdict="partly",
        comment=ASSESSMENT_COMMENT,
    )
    return in_review


def url(name, application, *args):
    return reverse(f"partnerships:{name}", args=[application.pk, *args])


# --- Seeing an application --------------------------------------------------------------


@pytest.mark.parametrize(
    ("actor", "status"),
    [
        ("applicant", 200),
        ("lead_colleague", 200),
        ("co_applicant", 200),
        ("reviewer", 200),
        ("staff", 200),
        ("other_applicant", 404),
        ("outsider", 404),
        ("manager", 404),
    ],
)
def test_who_sees_an_application(request, client, submitted, actor, status):
    client.force_login(request.getfixturevalue(actor))
    assert client.get(url("application_detail", submitted)).status_code == status


def test_anonymous_is_sent_to_log_in(client, submitted):
    response = client.get(url("application_detail", submitted))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_applicant_never_sees_another_organisations_application_in_the_list(
    client, submitted, other_application, applicant
):
    client.force_login(applicant)
    page = client.get(reverse("partnerships:application_list")).content.decode()
    assert submitted.reference in page
    assert other_application.reference not in page


@pytest.mark.parametrize("actor", ["applicant", "co_applicant", "lead_colleague"])
def test_applicants_never_see_internal_notes_or_assessments(
    request, client, with_internal_work, actor
):
    client.force_login(request.getfixturevalue(actor))
    application = with_internal_work
    pages = [
        url("application_detail", application),
        reverse("partnerships:application_list"),
    ]
    for page_url in pages:
        page = client.get(page_url).content.decode()
        assert NOTE not in page
        assert ASSESSMENT_COMMENT not in page
    assert client.get(url("application_review", application)).status_code == 403


def test_internal_notes_stay_hidden_after_approval_on_the_follow_up(
    client, with_internal_work, reviewer, applicant
):
    plan = services.approval_proposal(with_internal_work, municipality="Malmö")
    plan.reason = "Godkänd."
    plan.unassessed_reason = "Övriga kriterier bedömdes vid mötet."
    services.application_approve(application=with_internal_work, actor=reviewer, plan=plan)
    client.force_login(applicant)
    for name in ("application_detail", "application_followup"):
        page = client.get(url(name, with_internal_work)).content.decode()
        assert NOTE not in page
        assert ASSESSMENT_COMMENT not in page


def test_reviewers_see_each_others_assessments_and_notes(
    client, with_internal_work, second_reviewer
):
    client.force_login(second_reviewer)
    page = client.get(url("application_review", with_internal_work)).content.decode()
    assert NOTE in page
    assert ASSESSMENT_COMMENT in page


# --- Editing ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("actor", "status"),
    [
        ("applicant", 200),
        ("lead_colleague", 200),
        ("co_applicant", 403),
        ("reviewer", 403),
        ("other_applicant", 404),
        ("outsider", 404),
    ],
)
def test_who_may_edit_a_draft(request, client, complete_draft, actor, status):
    client.force_login(request.getfixturevalue(actor))
    assert client.get(url("application_edit", complete_draft, "plan")).status_code == status


def test_reviewer_cannot_change_the_applicants_text(client, in_review, reviewer):
    # Even while changes are requested, the reviewer only asks; the applicant writes.
    services.application_request_changes(application=in_review, actor=reviewer, message="Mer.")
    client.force_login(reviewer)
    response = client.post(
        url("application_edit", in_review, "plan"),
        {"purpose": "Skrivet av granskaren", "planned_activities": "x", "expected_results": "y"},
    )
    assert response.status_code == 403
    in_review.refresh_from_db()
    assert in_review.purpose == "Ett tryggare och renare Sofielund."


def test_invited_co_applicant_may_edit(client, complete_draft, applicant, co_applicant):
    services.application_invite_editor(
        application=complete_draft, actor=applicant, editor=co_applicant
    )
    client.force_login(co_applicant)
    response = client.post(
        url("application_edit", complete_draft, "plan"),
        {"purpose": "Nytt syfte", "planned_activities": "Städdagar", "expected_results": "Renare"},
    )
    assert response.status_code == 302
    complete_draft.refresh_from_db()
    assert complete_draft.purpose == "Nytt syfte"


def test_only_users_of_the_applying_organisations_can_be_invited(
    complete_draft, applicant, outsider
):
    with pytest.raises(services.TransitionError):
        services.application_invite_editor(
            application=complete_draft, actor=applicant, editor=outsider
        )
    assert not complete_draft.collaborators.exists()


def test_a_submitted_application_is_not_editable(en, submitted, applicant):
    en.force_login(applicant)
    response = en.post(
        url("application_edit", submitted, "plan"),
        {"purpose": "Ändrat i smyg", "planned_activities": "x", "expected_results": "y"},
        follow=True,
    )
    assert "cannot be changed now" in response.content.decode()
    submitted.refresh_from_db()
    assert submitted.purpose == "Ett tryggare och renare Sofielund."


# --- Reviewer pages and actions ----------------------------------------------------------


@pytest.mark.parametrize(
    ("actor", "status"),
    [("reviewer", 200), ("staff", 200), ("applicant", 403), ("co_applicant", 403)],
)
def test_queue_is_for_reviewers(request, client, submitted, actor, status):
    client.force_login(request.getfixturevalue(actor))
    assert client.get(reverse("partnerships:application_queue")).status_code == status


@pytest.mark.parametrize(
    ("actor", "status"),
    [("reviewer", 200), ("applicant", 403), ("co_applicant", 403), ("outsider", 404)],
)
def test_review_page(request, client, submitted, actor, status):
    client.force_login(request.getfixturevalue(actor))
    assert client.get(url("application_review", submitted)).status_code == status


@pytest.mark.parametrize(
    "name",
    [
        "application_start_review",
        "application_request_changes",
        "application_reject",
        "review_note_add",
        "application_assign",
        "application_assign_self",
    ],
)
def test_reviewer_actions_refuse_applicants_and_outsiders(
    client, submitted, applicant, outsider, name
):
    client.force_login(applicant)
    assert client.post(url(name, submitted), {"message": "x", "reason": "x"}).status_code == 403
    client.force_login(outsider)
    assert client.post(url(name, submitted), {"message": "x", "reason": "x"}).status_code == 404
    submitted.refresh_from_db()
    assert submitted.status == PartnershipApplication.Status.SUBMITTED
    assert not submitted.review_notes.exists()


@pytest.mark.parametrize(
    ("name", "args"),
    [
        ("application_withdraw", ()),
        ("application_start_review", ()),
        ("application_request_changes", ()),
        ("application_reject", ()),
        ("review_note_add", ()),
        ("application_assign", ()),
        ("party_add", ()),
        ("editor_invite", ()),
        ("attachment_upload", ()),
        ("assessments_save", ()),
    ],
)
def test_post_only_actions_answer_405_to_get(client, submitted, reviewer, name, args):
    client.force_login(reviewer)
    assert client.get(url(name, submitted, *args)).status_code == 405


def test_detail_and_queue_answer_405_to_post(client, submitted, reviewer):
    client.force_login(reviewer)
    assert client.post(url("application_detail", submitted)).status_code == 405
    assert client.post(reverse("partnerships:application_queue")).status_code == 405
    assert client.post(reverse("partnerships:process")).status_code == 405


def test_refused_transition_through_a_page_shows_why(en, rejected, reviewer):
    en.force_login(reviewer)
    response = en.post(url("application_start_review", rejected), follow=True)
    assert "Only a submitted application can be taken into review" in response.content.decode()
    rejected.refresh_from_db()
    assert rejected.status == "rejected"


# --- Follow-up ---------------------------------------------------------------------------


def test_follow_up_is_written_by_the_partnership_and_read_by_the_city(
    client, approved, applicant, reviewer, outsider
):
    follow_up = url("application_followup", approved)
    data = {
        "followup_numbers": "12 trygghetsvandringar",
        "followup_stories": "Torgdagen samlade 300 besökare.",
        "followup_unexpected": "Fler föreningar vill vara med.",
    }
    client.force_login(reviewer)
    assert client.post(follow_up, data).status_code == 403
    client.force_login(applicant)
    assert client.post(follow_up, data).status_code == 302
    client.force_login(reviewer)
    page = client.get(follow_up).content.decode()
    assert "Torgdagen samlade 300 besökare." in page
    client.force_login(outsider)
    assert client.get(follow_up).status_code == 404


def test_follow_up_exists_only_for_approved_applications(client, in_review, applicant):
    client.force_login(applicant)
    assert client.get(url("application_followup", in_review)).status_code == 404


def test_the_process_page_is_public_in_both_languages(client):
    page = client.get(reverse("partnerships:process"), HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200
    client.cookies["django_language"] = "en"
    english = client.get(reverse("partnerships:process")).content.decode()
    assert "Added value together" in english
    assert "First contact" in english
    client.cookies["django_language"] = "sv"
    swedish = client.get(reverse("partnerships:process")).content.decode()
    assert "Mervärde tillsammans" in swedish
    assert "Första kontakt" in swedish
