"""Writes for applications for collaboration support (Malmö stad's model, seed 004).

The state machine lives here and nowhere else:

    draft ──submit──▶ submitted ──start_review──▶ in_review ──request_changes──▶ changes_requested
                          ▲                            │ approve / reject               │
                          └────────────submit──────────┼────────────────────────────────┘
                                                       ▼
                                             approved | rejected
    withdraw: from draft, submitted, in_review or changes_requested (any state before a decision)

Every transition locks the row, checks the current state, writes an `ApplicationEvent` and
e-mails the people concerned once the transaction has committed. An illegal transition raises
`TransitionError` and changes nothing. Approval starts the partnership (place, memberships,
commitments, manager roles) in the same transaction, so it is all or nothing.
"""

import io
import logging
import secrets
import threading
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from stdnum.se import orgnr

from accounts.models import Organisation, validate_org_number
from places.geo import boundary_centre
from places.links import absolute_url
from places.models import Place, PlaceRole

from ..models import (
    CRITERIA,
    ApplicationAttachment,
    ApplicationEvent,
    ApplicationParty,
    Assessment,
    FundingCommitment,
    Membership,
    PartnershipApplication,
    ReviewNote,
)
from .funding import commitment_create
from .members import membership_create

logger = logging.getLogger(__name__)

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

MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
# Magic bytes → (content type, extension). The name a browser sends is never trusted.
ATTACHMENT_SIGNATURES = [
    (b"%PDF-", "application/pdf", "pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png", "png"),
    (b"\xff\xd8\xff", "image/jpeg", "jpg"),
]


class TransitionError(Exception):
    """A refused state change or edit. `message` says why; `missing` lists what is lacking."""

    def __init__(self, message, missing=None):
        super().__init__(str(message))
        self.message = message
        self.missing = missing or []


# --- Who may do what ------------------------------------------------------------------------


def is_reviewer(user) -> bool:
    return user.is_authenticated and user.has_perm("partnerships.review_application")


def can_edit(user, application) -> bool:
    """The applicant's editors: the creator, invited editors and users of the lead organisation.

    Users of co-applicant organisations can read the application; they edit only when invited.
    Reviewers never edit the applicant's text (they request changes instead).
    """
    if not user.is_authenticated:
        return False
    if application.created_by_id == user.pk:
        return True
    if user.organisation_id and user.organisation_id == application.lead_organisation_id:
        return True
    return application.collaborators.filter(pk=user.pk).exists()


def _require_editor(user, application):
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


def _require_reviewer(user):
    if not is_reviewer(user):
        raise PermissionDenied


# --- Creating and editing a draft -------------------------------------------------------------


def _next_reference(year: int) -> str:
    prefix = f"SAM-{year}-"
    last = (
        PartnershipApplication.objects.filter(reference__startswith=prefix)
        .order_by("-reference")
        .values_list("reference", flat=True)
        .first()
    )
    number = int(last.rsplit("-", 1)[1]) + 1 if last else 1
    return f"{prefix}{number:04d}"


def organisation_for_applicant(*, user, name="", org_number="", kind="") -> Organisation:
    """The organisation the user applies for: their own, or a new one they register.

    An existing organisation is never claimed by typing its number: that would let anyone see
    its applications. An administrator links the account instead; an invitation to a place
    never does (it sets whom the person represents at that place only).
    """
    if user.organisation_id:
        return user.organisation
    organisation = Organisation(name=name, org_number=org_number, kind=kind)
    organisation.full_clean()
    organisation.save()
    user.organisation = organisation
    user.save(update_fields=["organisation"])
    return organisation


def application_create(*, user, title: str, organisation_data: dict | None = None):
    """Start a draft: the reference, the lead organisation as lead party, a timeline entry."""
    with transaction.atomic():
        lead = organisation_for_applicant(user=user, **(organisation_data or {}))
        for _attempt in range(3):
            application = PartnershipApplication(
                reference=_next_reference(timezone.localdate().year),
                title=title,
                lead_organisation=lead,
                created_by=user,
            )
            application.full_clean()
            try:
                # A savepoint, so a reference taken by a concurrent draft can be retried.
                with transaction.atomic():
                    application.save()
                break
            except IntegrityError:
                continue
        else:  # pragma: no cover - three collisions in a row
            raise TransitionError(_("Could not create the application. Please try again."))
        ApplicationParty.objects.create(
            application=application,
            organisation=lead,
            role=ApplicationParty.Role.LEAD,
            consent=ApplicationParty.Consent.ACCEPTED,
        )
        _record(application, user, "created")
    return application


def application_update(*, application, user, data: dict):
    """Save one step of the draft. Only the applicant's editors, only while editable."""
    with transaction.atomic():
        locked = PartnershipApplication.objects.select_for_update().get(pk=application.pk)
        _require_editor(user, locked)
        editable = {
            "title",
            "area_name",
            "area_description",
            "area_boundary",
            "purpose",
            "planned_activities",
            "expected_results",
            "time_plan",
            "budget_total_sek",
            "requested_support_sek",
            "budget_notes",
        } | {f"answer_{code}" for code, _label, _help in CRITERIA}
        unknown = set(data) - editable
        if unknown:
            raise ValueError(f"Not editable by applicants: {sorted(unknown)}")
        for name, value in data.items():
            setattr(locked, name, value)
        locked.full_clean()
        locked.save()
    return locked


def represented_organisation_ids(application, user) -> set[int]:
    """The organisations the applicant's people act for (`User.organisation`): the user adding,
    the creator, the invited editors, and the parties, which have all agreed already."""
    people = (
        get_user_model()
        .objects.filter(
            Q(pk=user.pk)
            | Q(pk=application.created_by_id)
            | Q(applications_collaborating=application)
        )
        .exclude(organisation_id=None)
        .values_list("organisation_id", flat=True)
    )
    parties = application.parties.accepted().values_list("organisation_id", flat=True)
    return {application.lead_organisation_id, *people, *parties}


def organisation_people(organisation_id) -> list:
    """Everyone who acts for the organisation in applications: they answer its requests."""
    return list(get_user_model().objects.filter(organisation_id=organisation_id, is_active=True))


def party_add(
    *,
    application,
    user,
    organisation,
    role=ApplicationParty.Role.CO_APPLICANT,
    data,
    base_url: str | None = None,
):
    """Add an organisation with what it commits.

    An organisation the applicant's people act for is a party at once. Any other is only asked:
    the party waits (`consent` pending) until one of its people accepts, and until then it sees
    nothing of the application and its people are offered nowhere on it. Its people are told
    by e-mail once the transaction commits.
    """
    with transaction.atomic():
        locked = _locked(application)
        _require_editor(user, locked)
        at_once = role == ApplicationParty.Role.LEAD or organisation.pk in (
            represented_organisation_ids(locked, user)
        )
        party = ApplicationParty(
            application=locked,
            organisation=organisation,
            role=role,
            consent=ApplicationParty.Consent.ACCEPTED
            if at_once
            else ApplicationParty.Consent.PENDING,
            **data,
        )
        party.full_clean()
        party.save()
        if not at_once:
            event = _record(locked, user, "co_applicant_requested", note=organisation.name)
            _notify(event, organisation_people(organisation.pk), base_url)
    return party


def party_accept(*, party, user, base_url: str | None = None) -> bool:
    """One of the asked organisation's people accepts: it becomes a co-applicant party.

    Returns False, and changes nothing, when the request was answered already.
    """
    return _answer_request(
        party=party,
        user=user,
        consent=ApplicationParty.Consent.ACCEPTED,
        action="accepted",
        base_url=base_url,
    )


def party_decline(*, party, user, base_url: str | None = None) -> bool:
    """One of the asked organisation's people declines. The request stays, declined, so the
    applicants see the answer; the organisation never becomes a party.

    Returns False, and changes nothing, when the request was answered already.
    """
    return _answer_request(
        party=party,
        user=user,
        consent=ApplicationParty.Consent.DECLINED,
        action="declined",
        base_url=base_url,
    )


def _answer_request(*, party, user, consent, action, base_url) -> bool:
    if party.role != ApplicationParty.Role.CO_APPLICANT or user.organisation_id != (
        party.organisation_id
    ):
        raise PermissionDenied
    with transaction.atomic():
        # The application's lock orders an answer against a submission, which refuses while
        # any request waits.
        locked = _locked(party.application)
        current = ApplicationParty.objects.select_for_update().filter(pk=party.pk).first()
        if current is None:
            raise TransitionError(_("The applicants have withdrawn the request."))
        if current.consent != ApplicationParty.Consent.PENDING:
            return False
        if locked.status not in EDITABLE_STATES:
            raise TransitionError(
                _("The application is “%(status)s”; the request no longer needs an answer.")
                % {"status": locked.get_status_display()}
            )
        ApplicationParty.objects.filter(pk=party.pk, consent=current.consent).update(
            consent=consent, consent_decided_by=user, consent_decided_at=timezone.now()
        )
        # A person who declines never agreed to be named on the application: the timeline
        # names the organisation only (the party row keeps who answered, for the admin).
        actor = user if consent == ApplicationParty.Consent.ACCEPTED else None
        event = _record(locked, actor, f"co_applicant_{action}", note=current.organisation.name)
        _notify(event, applicant_recipients(locked), base_url)
    party.refresh_from_db()
    return True


def party_update(*, party, user, data: dict):
    with transaction.atomic():
        _require_editor(user, _locked(party.application))
        if not party.is_accepted:
            raise TransitionError(
                _(
                    "%(organisation)s has not accepted yet. Withdraw the request and ask again "
                    "to change what it is asked to commit."
                )
                % {"organisation": party.organisation.name}
            )
        for name in ("commits_money_sek", "commits_hours", "commits_responsibility"):
            if name in data:
                setattr(party, name, data[name])
        party.full_clean()
        party.save()
    return party


def party_remove(*, party, user):
    with transaction.atomic():
        _require_editor(user, _locked(party.application))
        if party.role == ApplicationParty.Role.LEAD:
            raise TransitionError(_("The lead organisation cannot be removed."))
        party.delete()


def organisation_find_or_register(*, name: str, org_number: str, kind: str) -> Organisation:
    """A co-applicant by organisationsnummer: the registered one, or a new registration."""
    validate_org_number(org_number)
    existing = Organisation.objects.filter(org_number=orgnr.format(orgnr.compact(org_number)))
    if existing.exists():
        return existing.get()
    organisation = Organisation(name=name, org_number=org_number, kind=kind)
    organisation.full_clean()
    organisation.save()
    return organisation


def application_invite_editor(*, application, actor, editor, base_url: str | None = None):
    """Let a user of one of the applying organisations edit the application too."""
    with transaction.atomic():
        locked = _locked(application)
        _require_editor(actor, locked)
        party_orgs = set(locked.parties.accepted().values_list("organisation_id", flat=True))
        if editor.organisation_id not in party_orgs:
            raise TransitionError(_("Only users of the applying organisations can be invited."))
        locked.collaborators.add(editor)
        event = _record(locked, actor, "editor_invited", note=str(editor))
        _notify(event, [editor], base_url)
    return locked


def application_remove_editor(*, application, actor, editor):
    with transaction.atomic():
        locked = _locked(application)
        _require_editor(actor, locked)
        locked.collaborators.remove(editor)
    return locked


def attachment_add(*, application, user, upload):
    """Store a PDF, PNG or JPEG (checked by its first bytes), at most 10 MB.

    Images are re-encoded, which drops EXIF metadata such as GPS positions (architecture §6). The
    stored name is random, so it says nothing and cannot be guessed.
    """
    if upload.size > MAX_ATTACHMENT_BYTES:
        raise ValidationError(
            _("The file is larger than %(max)s MB."), params={"max": 10}, code="too_large"
        )
    head = upload.read(16)
    upload.seek(0)
    detected = next(
        ((ctype, ext) for sig, ctype, ext in ATTACHMENT_SIGNATURES if head.startswith(sig)), None
    )
    if detected is None:
        raise ValidationError(_("Only PDF, PNG and JPEG files can be attached."), code="file_type")
    content_type, extension = detected
    content = upload.read()
    if content_type != "application/pdf":
        content = _reencode_image(content, "PNG" if extension == "png" else "JPEG")
    original_name = (upload.name or f"attachment.{extension}").rsplit("/", 1)[-1][:200]
    with transaction.atomic():
        _require_editor(user, _locked(application))
        attachment = ApplicationAttachment(
            application=application,
            original_name=original_name,
            content_type=content_type,
            size_bytes=len(content),
            uploaded_by=user,
        )
        attachment.file.save(f"{secrets.token_urlsafe(16)}.{extension}", ContentFile(content))
    return attachment


def _reencode_image(content: bytes, image_format: str) -> bytes:
    """Decode with the photo checks (format, decompression bombs) and write the pixels again:
    EXIF, GPS and any other metadata are gone."""
    from places.photos import decode_image

    try:
        image = decode_image(ContentFile(content))
        if image_format == "JPEG" and image.mode not in ("RGB", "L"):
            image = image.convert("RGB")
        out = io.BytesIO()
        image.save(out, format=image_format)
    except (ValidationError, OSError, ValueError):
        raise ValidationError(
            _("The image could not be read. Save it again as PNG or JPEG and retry."),
            code="bad_image",
        ) from None
    return out.getvalue()


def attachment_delete(*, attachment, user):
    with transaction.atomic():
        _require_editor(user, _locked(attachment.application))
        attachment.delete()
    attachment.file.delete(save=False)


# --- Completeness ---------------------------------------------------------------------------


def application_missing(application) -> list[str]:
    """What still stops submission, in the order the steps ask for it."""
    missing = []
    required = [
        ("title", _("a title")),
        ("area_name", _("the area's name")),
        ("area_description", _("a description of the area")),
        ("purpose", _("the purpose")),
        ("planned_activities", _("the planned activities")),
        ("expected_results", _("the expected results")),
    ]
    for name, label in required:
        if not (getattr(application, name) or "").strip():
            missing.append(str(_("Write %(what)s.") % {"what": label}))
    if not application.area_boundary:
        missing.append(str(_("Draw the area's boundary on the map.")))
    parties = list(application.parties.accepted().select_related("organisation"))
    kinds = {party.organisation.kind for party in parties}
    if len(parties) < 2 or len(kinds) < 2:
        missing.append(
            str(
                _(
                    "Add at least two organisations of different kinds (e.g. a property owner and "
                    "an association)."
                )
            )
        )
    # A request still waiting blocks submission rather than being left out: the applicants
    # named the organisation and its commitment, and an answer that came during the review
    # would change what the city is assessing.
    for name in application.parties.pending().values_list("organisation__name", flat=True):
        missing.append(
            str(
                _(
                    "%(organisation)s has not answered yet. Wait until it accepts being a "
                    "co-applicant, or withdraw the request."
                )
                % {"organisation": name}
            )
        )
    for code, label, _help in CRITERIA:
        if not application.criterion_answer(code).strip():
            missing.append(str(_("Answer the criterion “%(criterion)s”.") % {"criterion": label}))
    if not application.time_plan.strip():
        missing.append(str(_("Write the time plan.")))
    if application.budget_total_sek is None or application.requested_support_sek is None:
        missing.append(str(_("Give the total budget and the support requested from the city.")))
    else:
        committed = sum((party.commits_money_sek for party in parties), Decimal(0))
        if committed + application.requested_support_sek != application.budget_total_sek:
            missing.append(
                str(
                    _(
                        "The budget does not add up: the organisations' money "
                        "(%(committed)s kr) plus the support requested (%(requested)s kr) "
                        "should equal the total budget (%(total)s kr)."
                    )
                    % {
                        "committed": _kr(committed),
                        "requested": _kr(application.requested_support_sek),
                        "total": _kr(application.budget_total_sek),
                    }
                )
            )
    return missing


def _kr(value) -> str:
    from django.contrib.humanize.templatetags.humanize import intcomma

    return intcomma(int(value))


# --- Transitions ----------------------------------------------------------------------------


def _locked(application):
    return PartnershipApplication.objects.select_for_update().get(pk=application.pk)


def _start(application, action):
    """Lock the row and check the transition is legal from its current state."""
    locked = _locked(application)
    allowed_from, to_status = TRANSITIONS[action]
    if locked.status not in allowed_from:
        raise TransitionError(REFUSALS[action] % {"status": locked.get_status_display()})
    return locked, to_status


def _record(application, actor, action, *, from_status="", to_status="", note=""):
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


def _move(locked, actor, action, to_status, *, event_action=None, note="", **changes):
    from_status = locked.status
    locked.status = to_status
    for name, value in changes.items():
        setattr(locked, name, value)
    locked.full_clean()
    locked.save()
    return _record(
        locked,
        actor,
        event_action or action,
        from_status=from_status,
        to_status=to_status,
        note=note,
    )


def application_submit(*, application, actor, base_url: str | None = None):
    """Submit (or resubmit) when complete; otherwise refuse with the list of what is missing."""
    with transaction.atomic():
        locked, to_status = _start(application, "submit")
        if not can_edit(actor, locked):
            raise PermissionDenied
        missing = application_missing(locked)
        if missing:
            raise TransitionError(
                _("The application is not complete yet. Still missing:"), missing=missing
            )
        resubmission = locked.status == Status.CHANGES_REQUESTED
        event = _move(
            locked,
            actor,
            "submit",
            to_status,
            event_action="resubmitted" if resubmission else "submitted",
            submitted_at=timezone.now(),
        )
        _notify(event, reviewer_recipients(locked) + applicant_recipients(locked), base_url)
    return locked


def application_withdraw(*, application, actor, note="", base_url: str | None = None):
    with transaction.atomic():
        locked, to_status = _start(application, "withdraw")
        if not can_edit(actor, locked):
            raise PermissionDenied
        was_draft = locked.status == Status.DRAFT
        event = _move(locked, actor, "withdraw", to_status, event_action="withdrawn", note=note)
        reviewers = [] if was_draft else reviewer_recipients(locked)
        _notify(event, reviewers + applicant_recipients(locked), base_url)
    return locked


def application_start_review(*, application, actor, base_url: str | None = None):
    """Take a submitted application into review; it is assigned to the actor if unassigned."""
    _require_reviewer(actor)
    with transaction.atomic():
        locked, to_status = _start(application, "start_review")
        changes = {} if locked.assigned_reviewer_id else {"assigned_reviewer": actor}
        event = _move(
            locked, actor, "start_review", to_status, event_action="review_started", **changes
        )
        _notify(event, applicant_recipients(locked), base_url)
    return locked


def application_assign(*, application, actor, reviewer, base_url: str | None = None):
    """Assign to oneself or a colleague. Not once a decision is made."""
    _require_reviewer(actor)
    if reviewer is not None and not is_reviewer(reviewer):
        raise TransitionError(_("%(user)s is not a reviewer.") % {"user": reviewer})
    with transaction.atomic():
        locked = _locked(application)
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
        event = _record(locked, actor, "assigned", note=str(reviewer) if reviewer else "")
        if reviewer is not None:
            _notify(event, [reviewer], base_url)
    return locked


def application_request_changes(*, application, actor, message: str, base_url: str | None = None):
    _require_reviewer(actor)
    if not (message or "").strip():
        raise ValidationError({"message": _("Say what should be changed.")})
    with transaction.atomic():
        locked, to_status = _start(application, "request_changes")
        event = _move(
            locked,
            actor,
            "request_changes",
            to_status,
            event_action="changes_requested",
            note=message.strip(),
        )
        _notify(event, applicant_recipients(locked), base_url)
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
    _require_reviewer(actor)
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Give the reason for the decision.")})
    with transaction.atomic():
        locked, to_status = _start(application, "reject")
        _check_assessed_or_explained(locked, actor, unassessed_reason)
        event = _move(
            locked,
            actor,
            "reject",
            to_status,
            event_action="rejected",
            note=reason.strip(),
            decision_reason=reason.strip(),
            decided_at=timezone.now(),
        )
        _notify(event, applicant_recipients(locked), base_url)
    return locked


# --- Approval: the partnership starts -------------------------------------------------------


@dataclass
class PartyPlan:
    """What approval creates for one party; the reviewer can adjust every number."""

    party: ApplicationParty
    membership_role: str = Membership.Role.MEMBER
    cash_sek: Decimal = Decimal(0)
    in_kind_hours: Decimal = Decimal(0)
    in_kind_value_sek: Decimal = Decimal(0)
    in_kind_description: str = ""


@dataclass
class ApprovalPlan:
    place_name: str
    place_slug: str
    place_kind: str
    municipality: str
    description: str
    boundary: dict | None
    year: int
    reason: str = ""
    # Why the decision comes before every criterion is assessed (required then; internal).
    unassessed_reason: str = ""
    parties: list[PartyPlan] = field(default_factory=list)
    managers: list = field(default_factory=list)


def unique_place_slug(name: str) -> str:
    base = slugify(name)[:70] or "plats"
    slug, number = base, 2
    while Place.objects.filter(slug=slug).exists():
        slug = f"{base}-{number}"
        number += 1
    return slug


def lead_organisation_users(application):
    return (
        get_user_model()
        .objects.filter(organisation_id=application.lead_organisation_id, is_active=True)
        .order_by("full_name", "email")
    )


def approval_proposal(application, *, municipality: str = "") -> ApprovalPlan:
    """The records approval would create, filled in from the application."""
    parties = []
    for party in (
        application.parties.accepted().select_related("organisation").order_by("-role", "pk")
    ):
        is_lead = party.role == ApplicationParty.Role.LEAD
        parties.append(
            PartyPlan(
                party=party,
                membership_role=Membership.Role.BOARD if is_lead else Membership.Role.MEMBER,
                cash_sek=party.commits_money_sek,
                in_kind_hours=party.commits_hours,
                in_kind_value_sek=Decimal(0),
                in_kind_description=(party.commits_responsibility or "")[:300],
            )
        )
    name = application.area_name or application.title
    return ApprovalPlan(
        place_name=name,
        place_slug=unique_place_slug(name),
        place_kind=Place.Kind.DISTRICT,
        municipality=municipality,
        description=application.area_description,
        boundary=application.area_boundary,
        year=timezone.localdate().year,
        parties=parties,
        managers=list(lead_organisation_users(application)),
    )


def application_approve(
    *, application, actor, plan: ApprovalPlan, base_url: str | None = None
) -> Place:
    """Approve and start the partnership in ONE transaction.

    Creates the `Place` (boundary from the application), a `Membership` per party, a cash
    `FundingCommitment` per party that commits money and an in-kind one per party that commits
    hours, and manager `PlaceRole`s for the chosen users of the lead organisation. If any step
    fails, the transaction rolls back and nothing is created. Before every criterion is
    assessed, `plan.unassessed_reason` must say why.
    """
    _require_reviewer(actor)
    if not (plan.reason or "").strip():
        raise ValidationError({"reason": _("Give the reason for the decision.")})
    with transaction.atomic():
        locked, to_status = _start(application, "approve")
        _check_assessed_or_explained(locked, actor, plan.unassessed_reason)
        today = timezone.localdate()
        place = Place(
            name=plan.place_name,
            slug=plan.place_slug,
            kind=plan.place_kind,
            municipality=plan.municipality,
            description=plan.description,
            boundary=plan.boundary,
        )
        centre = boundary_centre(plan.boundary) if plan.boundary else None
        if centre:
            place.centre_lat, place.centre_lon = centre
        place.full_clean()
        place.save()
        party_orgs = set(locked.parties.accepted().values_list("organisation_id", flat=True))
        for item in plan.parties:
            if item.party.organisation_id not in party_orgs:
                raise ValidationError(_("Every membership must be for a party of the application."))
            # Through the same services as the members and funding pages: one set of rules
            # (a membership's dates, work in kind with hours and a description).
            membership_create(
                place=place,
                organisation=item.party.organisation,
                role=item.membership_role,
                since=today,
            )
            if item.cash_sek and item.cash_sek > 0:
                commitment_create(
                    place=place,
                    by=actor,
                    organisation_id=item.party.organisation_id,
                    year=plan.year,
                    kind=FundingCommitment.Kind.CASH,
                    amount_sek=item.cash_sek,
                )
            if (item.in_kind_hours and item.in_kind_hours > 0) or (
                item.in_kind_value_sek and item.in_kind_value_sek > 0
            ):
                commitment_create(
                    place=place,
                    by=actor,
                    organisation_id=item.party.organisation_id,
                    year=plan.year,
                    kind=FundingCommitment.Kind.IN_KIND,
                    amount_sek=item.in_kind_value_sek or Decimal(0),
                    in_kind_hours=item.in_kind_hours or None,
                    in_kind_description=item.in_kind_description,
                )
        for user in plan.managers:
            if user.organisation_id != locked.lead_organisation_id:
                raise ValidationError(
                    _("Only users of the lead organisation become managers at the start.")
                )
            role = PlaceRole(
                user=user,
                place=place,
                role=PlaceRole.Role.MANAGER,
                organisation_id=locked.lead_organisation_id,
            )
            role.full_clean()
            role.save()
        event = _move(
            locked,
            actor,
            "approve",
            to_status,
            event_action="approved",
            note=plan.reason.strip(),
            decision_reason=plan.reason.strip(),
            decided_at=timezone.now(),
            place=place,
        )
        _notify(event, applicant_recipients(locked), base_url)
    return place


# --- Review work: assessments and internal notes ----------------------------------------------


ASSESSABLE_STATES = {Status.SUBMITTED, Status.IN_REVIEW, Status.CHANGES_REQUESTED}
CRITERION_CODES = [code for code, _label, _help in CRITERIA]


def assessments_save(*, application, reviewer, verdicts: dict) -> list:
    """One reviewer's verdicts on several criteria, saved together or not at all.

    `verdicts` maps a criterion code to `(verdict, comment)`; saving again replaces the
    reviewer's earlier verdict on that criterion, criteria left out keep theirs. Every
    assessment is validated before any is written, so a bad value leaves them all as they were:
    the errors come back per criterion code.
    """
    _require_reviewer(reviewer)
    unknown = set(verdicts) - set(CRITERION_CODES)
    if unknown:
        raise ValueError(f"Unknown criteria: {sorted(unknown)}")
    with transaction.atomic():
        # The application row is the lock a decision takes too, so a decision never counts
        # assessments that are half saved.
        locked = _locked(application)
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
                application=locked, reviewer=reviewer, criterion__in=list(verdicts)
            )
        }
        assessments, errors = [], {}
        for code in CRITERION_CODES:
            if code not in verdicts:
                continue
            verdict, comment = verdicts[code]
            assessment = existing.get(code) or Assessment(
                application=locked, reviewer=reviewer, criterion=code
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


def assessment_save(*, application, reviewer, criterion: str, verdict: str, comment: str = ""):
    """One reviewer's verdict on one criterion; saving again replaces it."""
    (assessment,) = assessments_save(
        application=application, reviewer=reviewer, verdicts={criterion: (verdict, comment)}
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


def _check_assessed_or_explained(locked, actor, unassessed_reason: str) -> None:
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


def review_note_add(*, application, author, text: str):
    """An internal note between reviewers. Applicants never see these."""
    _require_reviewer(author)
    note = ReviewNote(application=application, author=author, text=text)
    note.full_clean()
    note.save()
    return note


# --- Follow-up (uppföljning) ----------------------------------------------------------------


def can_edit_followup(user, application) -> bool:
    """The partnership fills in the follow-up: the applicant's editors and the place's managers."""
    if application.status != Status.APPROVED:
        return False
    if can_edit(user, application):
        return True
    return bool(
        application.place_id
        and PlaceRole.objects.filter(
            user=user, place_id=application.place_id, role=PlaceRole.Role.MANAGER
        ).exists()
    )


def application_followup_update(*, application, user, data: dict):
    with transaction.atomic():
        locked = _locked(application)
        if not can_edit_followup(user, locked):
            raise PermissionDenied
        for name in ("followup_numbers", "followup_stories", "followup_unexpected"):
            setattr(locked, name, data.get(name, ""))
        locked.full_clean()
        locked.save()
        _record(locked, user, "followup_updated")
    return locked


# --- E-mail -------------------------------------------------------------------------------


def applicant_recipients(application) -> list:
    """The applying side: the creator, invited editors and users of the lead organisation."""
    users = get_user_model().objects.filter(
        Q(pk=application.created_by_id)
        | Q(applications_collaborating=application)
        | Q(organisation_id=application.lead_organisation_id),
        is_active=True,
    )
    return list(users.distinct())


def reviewer_recipients(application) -> list:
    """The assigned reviewer, or every reviewer while nobody is assigned."""
    if application.assigned_reviewer_id:
        return [application.assigned_reviewer]
    users = get_user_model().objects.filter(
        Q(groups__permissions__codename="review_application")
        | Q(user_permissions__codename="review_application"),
        is_active=True,
    )
    return list(users.distinct())


_quiet = threading.local()


@contextmanager
def mail_muted():
    """No e-mail for transitions made inside (demo data: the demo users are not real)."""
    _quiet.active = True
    try:
        yield
    finally:
        _quiet.active = False


def _notify(event, recipients, base_url: str | None):
    """Mail everyone concerned (except the one who acted): queued in the outbox in the
    transition's transaction, sent once it commits (places/outbox.py).

    The transitions take `base_url` from the view (the request's scheme and host), so the link
    opens on the host the reviewer or applicant is using; without it, SITE_URL.
    """
    if getattr(_quiet, "active", False):
        return
    ids = sorted({user.pk for user in recipients if user.pk != event.actor_id and user.email})
    if ids:
        event_mail_queue(event_id=event.pk, user_ids=ids, base_url=base_url)


def event_mail_queue(*, event_id: int, user_ids: list[int], base_url: str | None = None) -> int:
    """Queue the timeline event for each user in their own language. Returns mails queued.

    Links start with `base_url`, else SITE_URL. The outbox key is the event and the person, so
    nobody is told of one event twice; a mail server that fails delays the mail, never loses it.
    """
    from places.outbox import Mail, outbox_add

    event = ApplicationEvent.objects.select_related(
        "application", "application__lead_organisation", "actor"
    ).get(pk=event_id)
    application = event.application
    mails = []
    for user in get_user_model().objects.filter(pk__in=user_ids):
        with translation.override(user.preferred_language or settings.LANGUAGE_CODE):
            path = reverse("partnerships:application_detail", args=[application.pk])
            if event.action == "co_applicant_requested":
                # The asked organisation cannot open the application yet: it answers on its
                # applications page.
                path = reverse("partnerships:application_list")
            elif is_reviewer(user) and not can_edit(user, application):
                path = reverse("partnerships:application_review", args=[application.pk])
            label = EVENT_LABELS.get(event.action, event.action)
            subject = f"{application.reference}: {label}"
            body = render_to_string(
                "partnerships/applications/email/event.txt",
                {
                    "application": application,
                    "event": event,
                    "label": label,
                    "user": user,
                    "url": absolute_url(path, base_url=base_url),
                },
            )
        mails.append(
            Mail(
                to=user.email,
                subject=f"{settings.ACCOUNT_EMAIL_SUBJECT_PREFIX}{subject}",
                body=body,
                user=user,
            )
        )
    outbox_add(kind="application_event", object_key=str(event.pk), mails=mails)
    return len(mails)
