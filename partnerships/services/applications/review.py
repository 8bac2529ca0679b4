"""The reviewers' work: taking an application into review, assigning it, assessing the four
criteria, internal notes, and the decisions short of approval (request changes, reject)."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ...models import CRITERIA, Assessment, ReviewNote
from .mail import applicant_recipients, notify
from .permissions import is_reviewer, require_reviewer
from .states import (
    ASSESSABLE_STATES,
    DECIDED_STATES,
    Status,
    TransitionError,
    lock,
    move,
    record,
    start,
)

CRITERION_CODES = [code for code, _label, _help in CRITERIA]


def application_start_review(*, application, actor, base_url: str | None = None):
    """Take a submitted application into review; it is assigned to the actor if unassigned."""
    require_reviewer(actor)
    with transaction.atomic():
        locked, to_status = start(application, "start_review")
        changes = {} if locked.assigned_reviewer_id else {"assigned_reviewer": actor}
        event = move(
            locked, actor, "start_review", to_status, event_action="review_started", **changes
        )
        notify(event, applicant_recipients(locked), base_url)
    return locked


def application_assign(*, application, actor, reviewer, base_url: str | None = None):
    """Assign to oneself or a colleague. Not once a decision is made."""
    require_reviewer(actor)
    if reviewer is not None and not is_reviewer(reviewer):
        raise TransitionError(_("%(user)s is not a reviewer.") % {"user": reviewer})
    with transaction.atomic():
        locked = lock(application)
        if locked.status in DECIDED_STATES or locked.status == Status.DRAFT:
            raise TransitionError(
                _(
                    "Reviewers can only be assigned between submission and decision; this "
                    "application is “%(status)s”."
                )
                % {"status": locked.get_status_display()}
            )
        locked.assigned_reviewer = reviewer
        locked.save(update_fields=["assigned_reviewer", "updated_at"])
        event = record(locked, actor, "assigned", note=str(reviewer) if reviewer else "")
        if reviewer is not None:
            notify(event, [reviewer], base_url)
    return locked


def application_request_changes(*, application, actor, message: str, base_url: str | None = None):
    require_reviewer(actor)
    if not (message or "").strip():
        raise ValidationError({"message": _("Say what should be changed.")})
    with transaction.atomic():
        locked, to_status = start(application, "request_changes")
        event = move(
            locked,
            actor,
            "request_changes",
            to_status,
            event_action="changes_requested",
            note=message.strip(),
        )
        notify(event, applicant_recipients(locked), base_url)
    return locked


def application_reject(
    *,
    application,
    actor,
    reason: str,
    unassessed_reason: str = "",
    base_url: str | None = None,
):
    """Reject with a reason the applicants see. Before every criterion is assessed, also say
    why (`unassessed_reason`, kept internal)."""
    require_reviewer(actor)
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Give the reason for the decision.")})
    with transaction.atomic():
        locked, to_status = start(application, "reject")
        check_assessed_or_explained(locked, actor, unassessed_reason)
        event = move(
            locked,
            actor,
            "reject",
            to_status,
            event_action="rejected",
            note=reason.strip(),
            decision_reason=reason.strip(),
            decided_at=timezone.now(),
        )
        notify(event, applicant_recipients(locked), base_url)
    return locked


def assessments_save(*, application, actor, verdicts: dict) -> list:
    """One reviewer's verdicts on several criteria, saved together or not at all.

    `verdicts` maps a criterion code to `(verdict, comment)`; saving again replaces the
    reviewer's earlier verdict on that criterion, criteria left out keep theirs. Every
    assessment is validated before any is written, so a bad value leaves them all as they were:
    the errors come back per criterion code.
    """
    require_reviewer(actor)
    unknown = set(verdicts) - set(CRITERION_CODES)
    if unknown:
        raise ValueError(f"Unknown criteria: {sorted(unknown)}")
    with transaction.atomic():
        # The application row is the lock a decision takes too, so a decision never counts
        # assessments that are half saved.
        locked = lock(application)
        if locked.status not in ASSESSABLE_STATES:
            raise TransitionError(
                _(
                    "Criteria can be assessed between submission and decision; this application "
                    "is “%(status)s”."
                )
                % {"status": locked.get_status_display()}
            )
        existing = {
            assessment.criterion: assessment
            for assessment in Assessment.objects.filter(
                application=locked, reviewer=actor, criterion__in=list(verdicts)
            )
        }
        assessments, errors = [], {}
        for code in CRITERION_CODES:
            if code not in verdicts:
                continue
            verdict, comment = verdicts[code]
            assessment = existing.get(code) or Assessment(
                application=locked, reviewer=actor, criterion=code
            )
            assessment.verdict = verdict
            assessment.comment = comment or ""
            try:
                assessment.full_clean()
            except ValidationError as error:
                errors[code] = error.messages
            assessments.append(assessment)
        if errors:
            raise ValidationError(errors)
        for assessment in assessments:
            assessment.save()
    return assessments


def assessment_save(*, application, actor, criterion: str, verdict: str, comment: str = ""):
    """One reviewer's verdict on one criterion; saving again replaces it."""
    (assessment,) = assessments_save(
        application=application, actor=actor, verdicts={criterion: (verdict, comment)}
    )
    return assessment


@dataclass(frozen=True)
class AssessmentProgress:
    """How many of the criteria at least one reviewer has given a verdict on."""

    assessed: int
    total: int
    missing: list  # labels of the criteria nobody has assessed yet, in the published order

    @property
    def is_complete(self) -> bool:
        return not self.missing


def progress_of(assessed_codes) -> AssessmentProgress:
    """The progress, given the codes of the criteria that have at least one verdict."""
    assessed = set(assessed_codes)
    return AssessmentProgress(
        assessed=len(assessed & set(CRITERION_CODES)),
        total=len(CRITERIA),
        missing=[label for code, label, _help in CRITERIA if code not in assessed],
    )


def assessment_progress(application) -> AssessmentProgress:
    return progress_of(
        Assessment.objects.filter(application=application)
        .values_list("criterion", flat=True)
        .distinct()
    )


def check_assessed_or_explained(locked, actor, unassessed_reason: str) -> None:
    """A decision before every criterion is assessed needs a reason; it is kept as an internal
    note, since the applicants see the decision's reason but never the assessment work."""
    progress = assessment_progress(locked)
    if progress.is_complete:
        return
    reason = (unassessed_reason or "").strip()
    if not reason:
        raise ValidationError(
            {
                "unassessed_reason": _(
                    "Only %(assessed)s of %(total)s criteria are assessed. Say why you decide "
                    "before every criterion is assessed."
                )
                % {"assessed": progress.assessed, "total": progress.total}
            }
        )
    note = ReviewNote(
        application=locked,
        author=actor,
        text=_("Decided with %(assessed)s of %(total)s criteria assessed: %(reason)s")
        % {"assessed": progress.assessed, "total": progress.total, "reason": reason},
    )
    try:
        note.full_clean()
    except ValidationError as error:
        raise ValidationError({"unassessed_reason": error.messages}) from None
    note.save()


def review_note_add(*, application, actor, text: str):
    """An internal note between reviewers. Applicants never see these."""
    require_reviewer(actor)
    note = ReviewNote(application=application, author=actor, text=text)
    note.full_clean()
    note.save()
    return note
