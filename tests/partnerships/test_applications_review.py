"""The reviewer assesses every criterion in one form and decides knowing how many are assessed."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from partnerships.models import CRITERIA, Assessment, PartnershipApplication, ReviewNote
from partnerships.services import applications as services
from places.models import Place
from tests.partnerships.applications_support import *  # noqa: F403

Status = PartnershipApplication.Status
CODES = [code for code, _label, _help in CRITERIA]
LABELS = {code: str(label) for code, label, _help in CRITERIA}
ALL_FOUR = {
    "verdict_mixed_actors": "met",
    "comment_mixed_actors": "Fastighetsägare, handlare och förening.",
    "verdict_established_trust": "partly",
    "comment_established_trust": "Samarbetet är bara ett år gammalt.",
    "verdict_commitment": "met",
    "comment_commitment": "Tydliga åtaganden i pengar och timmar.",
    "verdict_added_value": "not_met",
    "comment_added_value": "Mervärdet är inte beskrivet.",
}


@pytest.fixture
def en(client):
    client.cookies["django_language"] = "en"
    return client


def url(name, application):
    return reverse(f"partnerships:{name}", args=[application.pk])


def _verdicts(application, reviewer):
    return {
        a.criterion: (a.verdict, a.comment)
        for a in Assessment.objects.filter(application=application, reviewer=reviewer)
    }


def assess(application, reviewer, codes, verdict="met"):
    services.assessments_save(
        application=application,
        actor=reviewer,
        verdicts=dict.fromkeys(codes, (verdict, "")),
    )


# --- One form for every criterion ---------------------------------------------------------


def test_all_four_criteria_are_saved_with_one_press(client, in_review, reviewer):
    client.force_login(reviewer)
    response = client.post(url("assessments_save", in_review), ALL_FOUR)
    assert response.status_code == 302
    assert response["Location"] == url("application_review", in_review) + "#assessments"
    assert _verdicts(in_review, reviewer) == {
        code: (ALL_FOUR[f"verdict_{code}"], ALL_FOUR[f"comment_{code}"]) for code in CODES
    }
    page = client.get(response["Location"]).content.decode()
    assert "4 bedömningar är sparade." in page
    assert "4 av 4 kriterier bedömda" in page


def test_the_form_shows_my_saved_verdicts_and_saving_again_replaces_them(
    client, in_review, reviewer, second_reviewer
):
    assess(in_review, second_reviewer, CODES, verdict="not_met")
    client.force_login(reviewer)
    client.post(url("assessments_save", in_review), ALL_FOUR)
    page = client.get(url("application_review", in_review)).content.decode()
    assert re.search(r'value="partly"[^>]*id="id_verdict_established_trust_1"[^>]*checked', page)
    assert "Samarbetet är bara ett år gammalt.</textarea>" in page

    changed = {"verdict_established_trust": "met", "comment_established_trust": ""}
    assert client.post(url("assessments_save", in_review), changed).status_code == 302
    mine = _verdicts(in_review, reviewer)
    assert mine["established_trust"] == ("met", "")
    assert mine["mixed_actors"] == ("met", ALL_FOUR["comment_mixed_actors"])  # not sent: kept
    assert set(_verdicts(in_review, second_reviewer).values()) == {("not_met", "")}


def test_a_bad_value_keeps_everything_typed_and_saves_nothing(en, in_review, reviewer):
    assess(in_review, reviewer, ["mixed_actors"], verdict="partly")
    en.force_login(reviewer)
    data = {
        **ALL_FOUR,
        "comment_commitment": "Ring Kim på 070-123 45 67.",
        "verdict_added_value": "brilliant",
    }
    response = en.post(url("assessments_save", in_review), data)

    assert response.status_code == 400
    page = response.content.decode()
    assert "Nothing was saved." in page
    assert "a phone number" in page  # the screened comment's field error
    assert "Select a valid choice" in page  # the unknown verdict's field error
    for code in CODES:
        assert f"{data['comment_' + code]}</textarea>" in page
    assert re.search(r'value="met"[^>]*id="id_verdict_mixed_actors_0"[^>]*checked', page)
    assert re.search(r'value="met"[^>]*id="id_verdict_commitment_0"[^>]*checked', page)
    # The page knows what it shows is not saved, so leaving it warns.
    assert "data-unsaved" in page
    assert _verdicts(in_review, reviewer) == {"mixed_actors": ("partly", "")}


def test_a_comment_without_a_verdict_is_an_error_not_lost(en, in_review, reviewer):
    en.force_login(reviewer)
    data = {**ALL_FOUR, "verdict_added_value": ""}
    response = en.post(url("assessments_save", in_review), data)
    assert response.status_code == 400
    assert "Choose a verdict for your comment, or clear the comment." in response.content.decode()
    # A comment refused for its content still needs a verdict: both are said at once.
    data["comment_added_value"] = "Ring 070-123 45 67"
    page = en.post(url("assessments_save", in_review), data).content.decode()
    assert "Choose a verdict for your comment" in page and "a phone number" in page
    assert not Assessment.objects.exists()


def test_sending_no_verdict_at_all_says_so(en, in_review, reviewer):
    en.force_login(reviewer)
    response = en.post(url("assessments_save", in_review), {})
    assert response.status_code == 400
    assert "Choose a verdict for at least one criterion." in response.content.decode()
    assert not Assessment.objects.exists()


def test_the_service_writes_all_or_nothing(in_review, reviewer):
    with pytest.raises(ValidationError) as caught:
        services.assessments_save(
            application=in_review,
            actor=reviewer,
            verdicts={"mixed_actors": ("met", ""), "commitment": ("great", "")},
        )
    assert set(caught.value.message_dict) == {"commitment"}
    assert not Assessment.objects.exists()


def test_criteria_cannot_be_assessed_after_the_decision(en, rejected, reviewer):
    before = _verdicts(rejected, reviewer)
    en.force_login(reviewer)
    response = en.post(url("assessments_save", rejected), ALL_FOUR, follow=True)
    assert "Criteria can be assessed between submission and decision" in response.content.decode()
    assert _verdicts(rejected, reviewer) == before
    page = en.get(url("application_review", rejected)).content.decode()
    assert url("assessments_save", rejected) not in page


@pytest.mark.parametrize(
    ("actor", "status"),
    [("reviewer", 302), ("applicant", 403), ("co_applicant", 403), ("outsider", 404)],
)
def test_only_reviewers_assess(request, client, in_review, actor, status):
    client.force_login(request.getfixturevalue(actor))
    assert client.post(url("assessments_save", in_review), ALL_FOUR).status_code == status
    assert Assessment.objects.exists() == (status == 302)


def test_the_review_page_warns_with_its_own_script_only(client, in_review, reviewer):
    client.force_login(reviewer)
    page = client.get(url("application_review", in_review)).content.decode()
    assert "data-warn-unsaved" in page
    assert "js/unsaved_changes" in page
    # The CSP forbids inline script: every <script> loads a file or holds JSON data.
    tags = re.findall(r"<script[^>]*>", page)
    assert all("src=" in tag or 'type="application/json"' in tag for tag in tags)


# --- Deciding with criteria unassessed --------------------------------------------------------


def _approval_data(application, **overrides):
    plan = services.approval_proposal(application)
    data = {
        "place_name": "Sofielund",
        "place_slug": "sofielund",
        "place_kind": "district",
        "municipality": "Malmö",
        "year": str(plan.year),
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


def test_the_decision_shows_how_many_criteria_are_assessed(client, in_review, reviewer):
    assess(in_review, reviewer, CODES[:3])
    client.force_login(reviewer)
    review = client.get(url("application_review", in_review)).content.decode()
    assert "3 av 4 kriterier bedömda" in review
    assert LABELS["added_value"] in review.split("Inte bedömda än:")[1].split("</p>")[0]
    assert 'name="unassessed_reason"' in review  # the reject form asks why
    approve = client.get(url("application_approve", in_review)).content.decode()
    assert "3 av 4 kriterier bedömda" in approve
    assert 'name="unassessed_reason"' in approve


def test_with_every_criterion_assessed_no_extra_reason_is_asked(client, in_review, reviewer):
    assess(in_review, reviewer, CODES)
    client.force_login(reviewer)
    for name in ("application_review", "application_approve"):
        page = client.get(url(name, in_review)).content.decode()
        assert "4 av 4 kriterier bedömda" in page
        assert 'name="unassessed_reason"' not in page
    response = client.post(url("application_approve", in_review), _approval_data(in_review))
    assert response.status_code == 302
    assert not ReviewNote.objects.exists()


def test_approving_with_three_of_four_assessed_needs_a_reason(en, in_review, reviewer, applicant):
    assess(in_review, reviewer, CODES[:3])
    en.force_login(reviewer)
    response = en.post(url("application_approve", in_review), _approval_data(in_review))
    assert response.status_code == 400
    assert (
        "Only 3 of 4 criteria are assessed. Say why you decide before every criterion is "
        "assessed." in response.content.decode()
    )
    assert not Place.objects.exists()
    in_review.refresh_from_db()
    assert in_review.status == Status.IN_REVIEW

    why = "Mervärdet bedömdes muntligt vid beredningsmötet."
    response = en.post(
        url("application_approve", in_review), _approval_data(in_review, unassessed_reason=why)
    )
    assert response.status_code == 302
    in_review.refresh_from_db()
    assert in_review.status == Status.APPROVED
    assert in_review.place.slug == "sofielund"
    (note,) = ReviewNote.objects.filter(application=in_review)
    assert note.text == f"Decided with 3 of 4 criteria assessed: {why}"
    # The reason stays with the reviewers; the applicants see only the decision's reason.
    en.force_login(applicant)
    assert why not in en.get(url("application_detail", in_review)).content.decode()


def test_rejecting_with_three_of_four_assessed_needs_a_reason(en, in_review, reviewer):
    assess(in_review, reviewer, CODES[:3], verdict="not_met")
    en.force_login(reviewer)
    data = {"reason": "Förankringen saknas."}
    response = en.post(url("application_reject", in_review), data)
    assert response.status_code == 400
    page = response.content.decode()
    assert "Only 3 of 4 criteria are assessed." in page
    assert "Förankringen saknas.</textarea>" in page  # what was typed is kept
    assert re.search(r'<details class="decision" open>\s*<summary>Reject', page)
    in_review.refresh_from_db()
    assert in_review.status == Status.IN_REVIEW

    data["unassessed_reason"] = "Mervärdet spelar ingen roll när förankringen saknas."
    assert en.post(url("application_reject", in_review), data).status_code == 302
    in_review.refresh_from_db()
    assert in_review.status == Status.REJECTED
    assert ReviewNote.objects.filter(application=in_review).exists()


def test_the_services_refuse_a_decision_without_the_reason(in_review, reviewer):
    assess(in_review, reviewer, CODES[:3])
    with pytest.raises(ValidationError) as caught:
        services.application_reject(application=in_review, actor=reviewer, reason="Nej.")
    assert set(caught.value.message_dict) == {"unassessed_reason"}
    plan = services.approval_proposal(in_review, municipality="Malmö")
    plan.reason = "Ja."
    plan.unassessed_reason = "   "
    with pytest.raises(ValidationError):
        services.application_approve(application=in_review, actor=reviewer, plan=plan)
    in_review.refresh_from_db()
    assert in_review.status == Status.IN_REVIEW
    assert not Place.objects.exists()
    assert not ReviewNote.objects.exists()


def test_an_assessment_by_any_reviewer_counts(in_review, reviewer, second_reviewer):
    assess(in_review, reviewer, CODES[:2])
    assess(in_review, second_reviewer, CODES[1:])
    progress = services.assessment_progress(in_review)
    assert (progress.assessed, progress.total, progress.missing) == (4, 4, [])


def test_the_review_page_stays_within_its_query_budget_with_assessments(
    client, in_review, reviewer, second_reviewer, assert_max_queries
):
    assess(in_review, reviewer, CODES)
    assess(in_review, second_reviewer, CODES, verdict="partly")
    client.force_login(reviewer)
    with assert_max_queries(12):
        assert client.get(url("application_review", in_review)).status_code == 200


def test_the_demo_decides_only_after_assessing_every_criterion(db):
    from demo import applications as demo_applications
    from demo.core import DemoContext, seed_core

    ctx = DemoContext()
    seed_core(ctx)
    demo_applications.seed(ctx)
    decided = PartnershipApplication.objects.filter(status__in=[Status.APPROVED, Status.REJECTED])
    assert decided.count() == 2
    for application in decided:
        assert services.assessment_progress(application).is_complete
