"""The state machine of an application: its statuses, the legal transitions, why one is refused,
and the timeline every change writes.

    draft ──submit──▶ submitted ──start_review──▶ in_review ──request_changes──▶ changes_requested
                          ▲                            │ approve / reject               │
                          └────────────submit──────────┼────────────────────────────────┘
                                                       ▼
                                             approved | rejected
    withdraw: from draft, submitted, in_review or changes_requested (any state before a decision)

Every transition locks the row (`start`), checks the current state against `TRANSITIONS`, and
writes an `ApplicationEvent` (`move`/`record`). An illegal transition raises `TransitionError`
and changes nothing. The services that make the transitions live with the people who make them:
submit and withdraw in `drafting`, the reviewers' in `review`, approval in `approval`.
"""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _

from ...models import ApplicationEvent, PartnershipApplication
from .permissions import can_edit

Status = PartnershipApplication.Status

# action: (states it may start from, state it leads to)
TRANSITIONS = {
    "submit": ({Status.DRAFT, Status.CHANGES_REQUESTED}, Status.SUBMITTED),
    "start_review": ({Status.SUBMITTED}, Status.IN_REVIEW),
    "request_changes": ({Status.IN_REVIEW}, Status.CHANGES_REQUESTED),
    "approve": ({Status.IN_REVIEW}, Status.APPROVED),
    "reject": ({Status.IN_REVIEW}, Status.REJECTED),
    "withdraw": (
        {Status.DRAFT, Status.SUBMITTED, Status.IN_REVIEW, Status.CHANGES_REQUESTED},
        Status.WITHDRAWN,
    ),
}

# Why a transition was refused, per action (shown to the user as is).
REFUSALS = {
    "submit": _(
        "Only a draft or an application with requested changes can be submitted; this one is "
        "“%(status)s”."
    ),
    "start_review": _(
        "Only a submitted application can be taken into review; this one is “%(status)s”."
    ),
    "request_changes": _(
        "Changes can only be requested while the application is in review; it is “%(status)s”."
    ),
    "approve": _("Only an application in review can be approved; this one is “%(status)s”."),
    "reject": _("Only an application in review can be rejected; this one is “%(status)s”."),
    "withdraw": _(
        "An application can only be withdrawn before a decision; this one is “%(status)s”."
    ),
}

# Event actions and how the timeline names them.
EVENT_LABELS = {
    "created": _("Draft created"),
    "submitted": _("Submitted"),
    "resubmitted": _("Resubmitted with changes"),
    "review_started": _("Review started"),
    "assigned": _("Reviewer assigned"),
    "changes_requested": _("Changes requested"),
    "approved": _("Approved – the partnership has started"),
    "rejected": _("Rejected"),
    "withdrawn": _("Withdrawn"),
    "editor_invited": _("Editor invited"),
    "co_applicant_requested": _("Organisation asked to be a co-applicant"),
    "co_applicant_accepted": _("Co-applicant accepted"),
    "co_applicant_declined": _("Co-applicant declined"),
    "followup_updated": _("Follow-up updated"),
}

EDITABLE_STATES = {Status.DRAFT, Status.CHANGES_REQUESTED}
DECIDED_STATES = {Status.APPROVED, Status.REJECTED, Status.WITHDRAWN}
ASSESSABLE_STATES = {Status.SUBMITTED, Status.IN_REVIEW, Status.CHANGES_REQUESTED}


class TransitionError(Exception):
    """A refused state change or edit. `message` says why; `missing` lists what is lacking."""

    def __init__(self, message, missing=None):
        super().__init__(str(message))
        self.message = message
        self.missing = missing or []


def require_editor(user, application):
    """One of the applicant's editors (else PermissionDenied), while the state lets them edit
    (else TransitionError)."""
    if not can_edit(user, application):
        raise PermissionDenied
    if application.status not in EDITABLE_STATES:
        raise TransitionError(
            _(
                "The application is “%(status)s” and cannot be changed now. You can change it "
                "again if the city asks for changes."
            )
            % {"status": application.get_status_display()}
        )


def lock(application):
    return PartnershipApplication.objects.select_for_update().get(pk=application.pk)


def start(application, action):
    """Lock the row and check the transition is legal from its current state."""
    locked = lock(application)
    allowed_from, to_status = TRANSITIONS[action]
    if locked.status not in allowed_from:
        raise TransitionError(REFUSALS[action] % {"status": locked.get_status_display()})
    return locked, to_status


def record(application, actor, action, *, from_status="", to_status="", note=""):
    """Write a timeline event (`EVENT_LABELS` names it)."""
    event = ApplicationEvent(
        application=application,
        actor=actor,
        action=action,
        from_status=from_status,
        to_status=to_status,
        note=note,
    )
    event.full_clean()
    event.save()
    return event


def move(locked, actor, action, to_status, *, event_action=None, note="", **changes):
    """Change the locked row's status (and `changes`) and record the transition."""
    from_status = locked.status
    locked.status = to_status
    for name, value in changes.items():
        setattr(locked, name, value)
    locked.full_clean()
    locked.save()
    return record(
        locked,
        actor,
        event_action or action,
        from_status=from_status,
        to_status=to_status,
        note=note,
    )
