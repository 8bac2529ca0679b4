"""What partnerships hold about a person (see accounts.personal_data)."""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.personal_data import erasure_step, section

from .models import (
    ApplicationEvent,
    Assessment,
    Invitation,
    PartnershipApplication,
    Payment,
    ReviewNote,
    SocialOutcome,
)


@section("applications", _("Applications you started or edit"))
def _applications(user):
    applications = PartnershipApplication.objects.filter(
        Q(created_by=user) | Q(collaborators=user)
    ).distinct()
    for application in applications.order_by("pk").iterator(chunk_size=500):
        yield {
            "reference": application.reference,
            "title": application.title,
            "status": application.status,
            "started_by_you": application.created_by_id == user.pk,
            "created_at": application.created_at,
        }


@section("application_events", _("What you did on applications"))
def _events(user):
    events = ApplicationEvent.objects.filter(actor=user).select_related("application")
    for event in events.order_by("pk").iterator(chunk_size=500):
        yield {
            "application": event.application.reference,
            "action": event.action,
            "note": event.note,
            "at": event.created_at,
        }


@section("assessments", _("Your assessments"))
def _assessments(user):
    assessments = Assessment.objects.filter(reviewer=user).select_related("application")
    for assessment in assessments.order_by("pk").iterator(chunk_size=500):
        yield {
            "application": assessment.application.reference,
            "criterion": assessment.criterion,
            "verdict": assessment.verdict,
            "comment": assessment.comment,
            "updated_at": assessment.updated_at,
        }


@section("review_notes", _("Your internal review notes"))
def _review_notes(user):
    notes = ReviewNote.objects.filter(author=user).select_related("application")
    for note in notes.order_by("pk").iterator(chunk_size=500):
        yield {
            "application": note.application.reference,
            "note": note.text,
            "created_at": note.created_at,
        }


@section("payments", _("Payments you recorded"))
def _payments(user):
    payments = Payment.objects.filter(recorded_by=user).select_related(
        "commitment__organisation", "commitment__place"
    )
    for payment in payments.order_by("pk").iterator(chunk_size=500):
        yield {
            "organisation": payment.commitment.organisation.name,
            "place": payment.commitment.place.name,
            "amount_sek": payment.amount_sek,
            "paid_on": payment.paid_on,
        }


@section("invitations", _("Invitations sent to you"))
def _invitations(user):
    # Invitations the person sent are about other people's addresses: not theirs to export.
    invitations = Invitation.objects.filter(email__iexact=user.email).select_related("place")
    for invitation in invitations.order_by("pk").iterator(chunk_size=500):
        yield {
            "place": invitation.place.name,
            "role": invitation.role,
            "created_at": invitation.created_at,
            "accepted_at": invitation.accepted_at,
        }


@erasure_step
def _invitations_to_the_address(user) -> None:
    """Invitations name the person by e-mail address, not by key: delete them with the
    account (who invited whom to which role is kept nowhere else)."""
    Invitation.objects.filter(email__iexact=user.email).delete()


@section("social_outcomes", _("Social outcomes you recorded"))
def _social_outcomes(user):
    outcomes = SocialOutcome.objects.filter(updated_by=user).select_related("place", "organisation")
    for outcome in outcomes.order_by("pk").iterator(chunk_size=500):
        yield {
            "place": outcome.place.name,
            "organisation": outcome.organisation.name,
            "year": outcome.year,
            "updated_at": outcome.updated_at,
        }
