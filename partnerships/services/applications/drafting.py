"""The applicants' side of an application: the draft and its steps, the parties (and the
requests to co-applicants), the invited editors, what is still missing, submit and withdraw."""

from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.humanize.templatetags.humanize import intcomma
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from stdnum.se import orgnr

from accounts.models import Organisation, validate_org_number

from ...models import CRITERIA, ApplicationParty, PartnershipApplication
from .mail import applicant_recipients, notify, reviewer_recipients
from .permissions import can_edit
from .states import (
    EDITABLE_STATES,
    Status,
    TransitionError,
    lock,
    move,
    record,
    require_editor,
    start,
)


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


def organisation_for_applicant(*, actor, name="", org_number="", kind="") -> Organisation:
    """The organisation the user applies for: their own, or a new one they register.

    An existing organisation is never claimed by typing its number: that would let anyone see
    its applications. An administrator links the account instead; an invitation to a place
    never does (it sets whom the person represents at that place only).
    """
    if actor.organisation_id:
        return actor.organisation
    organisation = Organisation(name=name, org_number=org_number, kind=kind)
    organisation.full_clean()
    organisation.save()
    actor.organisation = organisation
    actor.save(update_fields=["organisation"])
    return organisation


def application_create(*, actor, title: str, organisation_data: dict | None = None):
    """Start a draft: the reference, the lead organisation as lead party, a timeline entry."""
    with transaction.atomic():
        lead = organisation_for_applicant(actor=actor, **(organisation_data or {}))
        for _attempt in range(3):
            application = PartnershipApplication(
                reference=_next_reference(timezone.localdate().year),
                title=title,
                lead_organisation=lead,
                created_by=actor,
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
        record(application, actor, "created")
    return application


def application_update(*, application, actor, data: dict):
    """Save one step of the draft. Only the applicant's editors, only while editable."""
    with transaction.atomic():
        locked = PartnershipApplication.objects.select_for_update().get(pk=application.pk)
        require_editor(actor, locked)
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
    actor,
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
        locked = lock(application)
        require_editor(actor, locked)
        at_once = role == ApplicationParty.Role.LEAD or organisation.pk in (
            represented_organisation_ids(locked, actor)
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
            event = record(locked, actor, "co_applicant_requested", note=organisation.name)
            notify(event, organisation_people(organisation.pk), base_url)
    return party


def party_accept(*, party, actor, base_url: str | None = None) -> bool:
    """One of the asked organisation's people accepts: it becomes a co-applicant party.

    Returns False, and changes nothing, when the request was answered already.
    """
    return _answer_request(
        party=party,
        actor=actor,
        consent=ApplicationParty.Consent.ACCEPTED,
        action="accepted",
        base_url=base_url,
    )


def party_decline(*, party, actor, base_url: str | None = None) -> bool:
    """One of the asked organisation's people declines. The request stays, declined, so the
    applicants see the answer; the organisation never becomes a party.

    Returns False, and changes nothing, when the request was answered already.
    """
    return _answer_request(
        party=party,
        actor=actor,
        consent=ApplicationParty.Consent.DECLINED,
        action="declined",
        base_url=base_url,
    )


def _answer_request(*, party, actor, consent, action, base_url) -> bool:
    if party.role != ApplicationParty.Role.CO_APPLICANT or actor.organisation_id != (
        party.organisation_id
    ):
        raise PermissionDenied
    with transaction.atomic():
        # The application's lock orders an answer against a submission, which refuses while
        # any request waits.
        locked = lock(party.application)
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
            consent=consent, consent_decided_by=actor, consent_decided_at=timezone.now()
        )
        # A person who declines never agreed to be named on the application: the timeline
        # names the organisation only (the party row keeps who answered, for the admin).
        named = actor if consent == ApplicationParty.Consent.ACCEPTED else None
        event = record(locked, named, f"co_applicant_{action}", note=current.organisation.name)
        notify(event, applicant_recipients(locked), base_url)
    party.refresh_from_db()
    return True


def party_update(*, party, actor, data: dict):
    with transaction.atomic():
        require_editor(actor, lock(party.application))
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


def party_remove(*, party, actor):
    with transaction.atomic():
        require_editor(actor, lock(party.application))
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
        locked = lock(application)
        require_editor(actor, locked)
        party_orgs = set(locked.parties.accepted().values_list("organisation_id", flat=True))
        if editor.organisation_id not in party_orgs:
            raise TransitionError(_("Only users of the applying organisations can be invited."))
        locked.collaborators.add(editor)
        event = record(locked, actor, "editor_invited", note=str(editor))
        notify(event, [editor], base_url)
    return locked


def application_remove_editor(*, application, actor, editor):
    with transaction.atomic():
        locked = lock(application)
        require_editor(actor, locked)
        locked.collaborators.remove(editor)
    return locked


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
    return intcomma(int(value))


def application_submit(*, application, actor, base_url: str | None = None):
    """Submit (or resubmit) when complete; otherwise refuse with the list of what is missing."""
    with transaction.atomic():
        locked, to_status = start(application, "submit")
        if not can_edit(actor, locked):
            raise PermissionDenied
        missing = application_missing(locked)
        if missing:
            raise TransitionError(
                _("The application is not complete yet. Still missing:"), missing=missing
            )
        resubmission = locked.status == Status.CHANGES_REQUESTED
        event = move(
            locked,
            actor,
            "submit",
            to_status,
            event_action="resubmitted" if resubmission else "submitted",
            submitted_at=timezone.now(),
        )
        notify(event, reviewer_recipients(locked) + applicant_recipients(locked), base_url)
    return locked


def application_withdraw(*, application, actor, note="", base_url: str | None = None):
    with transaction.atomic():
        locked, to_status = start(application, "withdraw")
        if not can_edit(actor, locked):
            raise PermissionDenied
        was_draft = locked.status == Status.DRAFT
        event = move(locked, actor, "withdraw", to_status, event_action="withdrawn", note=note)
        reviewers = [] if was_draft else reviewer_recipients(locked)
        notify(event, reviewers + applicant_recipients(locked), base_url)
    return locked
