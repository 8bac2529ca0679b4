"""Writes for applications for collaboration support (Malmö stad's model, seed 004), by concern:

- `permissions`: who may see and act on an application;
- `states`: the state machine (statuses, legal transitions, the timeline);
- `drafting`: the applicants' draft, parties, editors, completeness, submit and withdraw;
- `attachments`: the files attached to an application;
- `review`: the reviewers' work and decisions short of approval;
- `approval`: the decision that starts the partnership;
- `followup`: the partnership's follow-up once approved;
- `mail`: who is told of each timeline event, through the outbox.

The names below are the package's API (views, the demo and tests use them from here).
"""

from ...models import CRITERIA
from .approval import (
    ApprovalPlan,
    PartyPlan,
    application_approve,
    approval_proposal,
    lead_organisation_users,
    unique_place_slug,
)
from .attachments import (
    ATTACHMENT_SIGNATURES,
    MAX_ATTACHMENT_BYTES,
    attachment_add,
    attachment_delete,
)
from .drafting import (
    application_create,
    application_invite_editor,
    application_missing,
    application_remove_editor,
    application_submit,
    application_update,
    application_withdraw,
    organisation_find_or_register,
    organisation_for_applicant,
    organisation_people,
    party_accept,
    party_add,
    party_decline,
    party_remove,
    party_update,
    represented_organisation_ids,
)
from .followup import application_followup_update
from .mail import (
    applicant_recipients,
    event_mail_queue,
    mail_muted,
    reviewer_recipients,
)
from .permissions import can_edit, can_edit_followup, is_reviewer
from .review import (
    CRITERION_CODES,
    AssessmentProgress,
    application_assign,
    application_reject,
    application_request_changes,
    application_start_review,
    assessment_progress,
    assessment_save,
    assessments_save,
    progress_of,
    review_note_add,
)
from .states import (
    ASSESSABLE_STATES,
    DECIDED_STATES,
    EDITABLE_STATES,
    EVENT_LABELS,
    REFUSALS,
    TRANSITIONS,
    TransitionError,
)

__all__ = [
    "ASSESSABLE_STATES",
    "ATTACHMENT_SIGNATURES",
    "CRITERIA",
    "CRITERION_CODES",
    "DECIDED_STATES",
    "EDITABLE_STATES",
    "EVENT_LABELS",
    "MAX_ATTACHMENT_BYTES",
    "REFUSALS",
    "TRANSITIONS",
    "ApprovalPlan",
    "AssessmentProgress",
    "PartyPlan",
    "TransitionError",
    "applicant_recipients",
    "application_approve",
    "application_assign",
    "application_create",
    "application_followup_update",
    "application_invite_editor",
    "application_missing",
    "application_reject",
    "application_remove_editor",
    "application_request_changes",
    "application_start_review",
    "application_submit",
    "application_update",
    "application_withdraw",
    "approval_proposal",
    "assessment_progress",
    "assessment_save",
    "assessments_save",
    "attachment_add",
    "attachment_delete",
    "can_edit",
    "can_edit_followup",
    "event_mail_queue",
    "is_reviewer",
    "lead_organisation_users",
    "mail_muted",
    "organisation_find_or_register",
    "organisation_for_applicant",
    "organisation_people",
    "party_accept",
    "party_add",
    "party_decline",
    "party_remove",
    "party_update",
    "progress_of",
    "represented_organisation_ids",
    "review_note_add",
    "reviewer_recipients",
    "unique_place_slug",
]
