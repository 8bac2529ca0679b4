"""The application state machine: every legal transition, every illegal one refused unchanged."""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from partnerships.models import ApplicationEvent, PartnershipApplication
from partnerships.services import applications as services
from places.models import Place
from tests.partnerships.applications_support import *  # noqa: F403
from tests.partnerships.applications_support import STATE_FIXTURES

Status = PartnershipApplication.Status


@pytest.fixture(autouse=True)
def _english():
    """Messages are asserted in English; mails still follow each recipient's language."""
    with translation.override("en"):
        yield


LEGAL = {
    ("draft", "submit"): "submitted",
    ("changes_requested", "submit"): "submitted",
    ("submitted", "start_review"): "in_review",
    ("in_review", "request_changes"): "changes_requested",
    ("in_review", "approve"): "approved",
    ("in_review", "reject"): "rejected",
    ("draft", "withdraw"): "withdrawn",
    ("submitted", "withdraw"): "withdrawn",
    ("in_review", "withdraw"): "withdrawn",
    ("changes_requested", "withdraw"): "withdrawn",
}
ACTIONS = ["submit", "start_review", "request_changes", "approve", "reject", "withdraw"]
ILLEGAL = [
    (state, action)
    for state in STATE_FIXTURES
    for action in ACTIONS
    if (state, action) not in LEGAL
]


def run(action, application, *, applicant, reviewer):
    if action == "submit":
        return services.application_submit(application=application, actor=applicant)
    if action == "withdraw":
        return services.application_withdraw(application=application, actor=applicant)
    if action == "start_review":
        return services.application_start_review(application=application, actor=reviewer)
    if action == "request_changes":
        return services.application_request_changes(
            application=application, actor=reviewer, message="Förtydliga tidplanen."
        )
    # The decisions come before any assessment here, so they say why (the rule has its own
    # tests in test_applications_review.py); a refused transition is refused before that.
    if action == "reject":
        return services.application_reject(
            application=application,
            actor=reviewer,
            reason="Kriterierna är inte uppfyllda.",
            unassessed_reason="Bedömt vid mötet.",
        )
    plan = services.approval_proposal(application, municipality="Malmö")
    plan.reason = "Kriterierna är uppfyllda."
    plan.unassessed_reason = "Bedömt vid mötet."
    return services.application_approve(application=application, actor=reviewer, plan=plan)


@pytest.mark.parametrize(("state", "action"), sorted(LEGAL))
def test_legal_transition_moves_state_and_writes_one_event(
    request, state, action, applicant, reviewer, django_capture_on_commit_callbacks
):
    application = request.getfixturevalue(STATE_FIXTURES[state])
    assert application.status == state
    events_before = ApplicationEvent.objects.filter(application=application).count()
    with django_capture_on_commit_callbacks(execute=True):
        run(action, application, applicant=applicant, reviewer=reviewer)
    application.refresh_from_db()
    assert application.status == LEGAL[(state, action)]
    events = ApplicationEvent.objects.filter(application=application).order_by("pk")
    assert events.count() == events_before + 1
    last = events.last()
    assert (last.from_status, last.to_status) == (state, LEGAL[(state, action)])
    assert last.actor == (applicant if action in ("submit", "withdraw") else reviewer)


@pytest.mark.parametrize(("state", "action"), ILLEGAL)
def test_illegal_transition_is_refused_and_changes_nothing(
    request, state, action, applicant, reviewer, django_capture_on_commit_callbacks
):
    application = request.getfixturevalue(STATE_FIXTURES[state])
    before = PartnershipApplication.objects.values().get(pk=application.pk)
    events_before = ApplicationEvent.objects.count()
    places_before = Place.objects.count()
    mail.outbox.clear()
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(services.TransitionError) as refused,
    ):
        run(action, application, applicant=applicant, reviewer=reviewer)
    assert application.get_status_display() in refused.value.message
    assert PartnershipApplication.objects.values().get(pk=application.pk) == before
    assert ApplicationEvent.objects.count() == events_before
    assert Place.objects.count() == places_before
    assert mail.outbox == []


def test_resubmission_is_recorded_as_resubmitted(changes_requested, applicant):
    services.application_submit(application=changes_requested, actor=applicant)
    last = changes_requested.events.order_by("pk").last()
    assert (last.action, last.from_status, last.to_status) == (
        "resubmitted",
        "changes_requested",
        "submitted",
    )


def test_incomplete_draft_is_refused_with_what_is_missing(draft, applicant):
    with pytest.raises(services.TransitionError) as refused:
        services.application_submit(application=draft, actor=applicant)
    missing = " ".join(refused.value.missing)
    assert "boundary" in missing
    assert "two organisations of different kinds" in missing
    for _code, label, _help in services.CRITERIA:
        assert str(label) in missing
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT
    assert draft.submitted_at is None


def test_budget_that_does_not_add_up_blocks_submission(complete_draft, applicant):
    complete_draft.budget_total_sek = 999_999
    complete_draft.save()
    missing = services.application_missing(complete_draft)
    assert len(missing) == 1
    assert "does not add up" in missing[0]
    assert "250" in missing[0]  # the requested support is named


def test_two_organisations_of_the_same_kind_are_not_a_mixed_group(
    complete_draft, association, applicant
):
    association.kind = "property_owner"
    association.save()
    missing = services.application_missing(complete_draft)
    assert any("different kinds" in item for item in missing)


def test_applicant_cannot_do_the_reviewers_transitions(submitted, applicant):
    with pytest.raises(PermissionDenied):
        services.application_start_review(application=submitted, actor=applicant)
    submitted.refresh_from_db()
    assert submitted.status == Status.SUBMITTED


def test_reviewer_cannot_submit_or_withdraw_for_the_applicant(complete_draft, reviewer):
    with pytest.raises(PermissionDenied):
        services.application_submit(application=complete_draft, actor=reviewer)
    with pytest.raises(PermissionDenied):
        services.application_withdraw(application=complete_draft, actor=reviewer)
    complete_draft.refresh_from_db()
    assert complete_draft.status == Status.DRAFT


def test_co_applicant_who_is_not_invited_cannot_submit(complete_draft, co_applicant):
    with pytest.raises(PermissionDenied):
        services.application_submit(application=complete_draft, actor=co_applicant)


def test_request_changes_and_decisions_need_a_message(in_review, reviewer):
    with pytest.raises(ValidationError):
        services.application_request_changes(application=in_review, actor=reviewer, message=" ")
    with pytest.raises(ValidationError):
        services.application_reject(application=in_review, actor=reviewer, reason="")
    in_review.refresh_from_db()
    assert in_review.status == Status.IN_REVIEW


def test_start_review_assigns_the_reviewer_when_unassigned(submitted, reviewer):
    services.application_start_review(application=submitted, actor=reviewer)
    submitted.refresh_from_db()
    assert submitted.assigned_reviewer == reviewer


def test_assignment_to_a_colleague(submitted, reviewer, second_reviewer, applicant):
    services.application_assign(application=submitted, actor=reviewer, reviewer=second_reviewer)
    submitted.refresh_from_db()
    assert submitted.assigned_reviewer == second_reviewer
    assert submitted.events.order_by("pk").last().action == "assigned"
    with pytest.raises(services.TransitionError):
        services.application_assign(application=submitted, actor=reviewer, reviewer=applicant)


def test_assignment_is_refused_after_the_decision(rejected, reviewer):
    with pytest.raises(services.TransitionError):
        services.application_assign(application=rejected, actor=reviewer, reviewer=reviewer)


# --- E-mail to those concerned ----------------------------------------------------------------


def test_submission_mails_the_reviewers_not_the_submitter(
    complete_draft, applicant, lead_colleague, reviewer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.application_submit(application=complete_draft, actor=applicant)
    recipients = sorted(address for message in mail.outbox for address in message.to)
    assert recipients == ["colleague@example.org", "reviewer@example.org"]
    assert all(complete_draft.reference in message.subject for message in mail.outbox)


def test_change_request_mails_the_applicants_the_message_in_their_language(
    in_review, applicant, reviewer, django_capture_on_commit_callbacks
):
    applicant.preferred_language = "en"
    applicant.save()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.application_request_changes(
            application=in_review, actor=reviewer, message="Lägg till en tidplan per kvartal."
        )
    (message,) = mail.outbox
    assert message.to == ["applicant@example.org"]
    assert "Changes requested" in message.subject
    assert "Lägg till en tidplan per kvartal." in message.body
    assert f"/applications/{in_review.pk}/" in message.body


def test_decision_mail_carries_the_reason(
    in_review, applicant, reviewer, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.application_reject(
            application=in_review,
            actor=reviewer,
            reason="Området saknar förankring.",
            unassessed_reason="Bedömt vid mötet.",
        )
    (message,) = mail.outbox
    assert "Området saknar förankring." in message.body
    assert "Avslagen" in message.subject  # the applicant's language is Swedish


def test_a_failing_mail_server_does_not_undo_the_transition(
    complete_draft, applicant, reviewer, monkeypatch, django_capture_on_commit_callbacks
):
    def broken(*args, **kwargs):
        raise OSError("SMTP down")

    monkeypatch.setattr("django.core.mail.backends.locmem.EmailBackend.send_messages", broken)
    with django_capture_on_commit_callbacks(execute=True):
        services.application_submit(application=complete_draft, actor=applicant)
    complete_draft.refresh_from_db()
    assert complete_draft.status == Status.SUBMITTED


def test_mails_sent_during_a_request_link_to_that_host_and_port(
    client, complete_draft, applicant, reviewer, settings, django_capture_on_commit_callbacks
):
    from django.urls import reverse

    settings.ALLOWED_HOSTS = ["localhost", "testserver"]
    settings.SITE_URL = "http://127.0.0.1:8000"
    client.force_login(applicant)
    submit = reverse("partnerships:application_submit", args=[complete_draft.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(submit, HTTP_HOST="localhost:9000")
    assert response.status_code == 302
    to_reviewer = next(m for m in mail.outbox if m.to == [reviewer.email])
    review = reverse("partnerships:application_review", args=[complete_draft.pk])
    assert f"http://localhost:9000{review}" in to_reviewer.body
    assert "127.0.0.1:8000" not in to_reviewer.body


def test_mails_sent_without_a_request_link_to_site_url(
    complete_draft, applicant, reviewer, settings, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "https://amp.example.org"
    with django_capture_on_commit_callbacks(execute=True):
        services.application_submit(application=complete_draft, actor=applicant)
    to_reviewer = next(m for m in mail.outbox if m.to == [reviewer.email])
    assert f"https://amp.example.org/applications/{complete_draft.pk}/review/" in to_reviewer.body
