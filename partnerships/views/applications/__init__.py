"""Applications for collaboration support: the public process, the applicant, the reviewer.

By concern, the same shape as `partnerships.services.applications`: `permissions` (loading what
the user may see or act on), `states` (refusals and the timeline), `process` (the public page),
`drafting` (the applicant's pages), `attachments`, `review`, `approval` and `followup`. The URLconf
(`partnerships.urls.applications`) names the views from here.
"""

from .approval import application_approve
from .attachments import attachment_delete, attachment_download, attachment_upload
from .drafting import (
    STEP_KEYS,
    STEPS,
    application_create,
    application_detail,
    application_edit,
    application_list,
    application_submit,
    application_withdraw,
    co_applicant_accept,
    co_applicant_decline,
    editor_invite,
    editor_remove,
    party_add,
    party_remove,
    party_update,
)
from .followup import application_followup
from .process import process
from .review import (
    application_assign,
    application_assign_self,
    application_queue,
    application_reject,
    application_request_changes,
    application_review,
    application_start_review,
    assessments_save,
    review_note_add,
)

__all__ = [
    "STEPS",
    "STEP_KEYS",
    "application_approve",
    "application_assign",
    "application_assign_self",
    "application_create",
    "application_detail",
    "application_edit",
    "application_followup",
    "application_list",
    "application_queue",
    "application_reject",
    "application_request_changes",
    "application_review",
    "application_start_review",
    "application_submit",
    "application_withdraw",
    "assessments_save",
    "attachment_delete",
    "attachment_download",
    "attachment_upload",
    "co_applicant_accept",
    "co_applicant_decline",
    "editor_invite",
    "editor_remove",
    "party_add",
    "party_remove",
    "party_update",
    "process",
    "review_note_add",
]
