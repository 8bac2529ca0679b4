"""Writes for the people and organisations of a place partnership.

Every function validates, writes in one transaction and queues mail in the outbox in that
transaction (places/outbox.py), sent once it commits. Rule violations raise ValidationError with
a translated message and leave the database as it was.
"""

import datetime as dt
import hashlib

from allauth.account.models import EmailAddress
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from accounts.models import Organisation
from places.models import ROLE_RANK, Place, PlaceRole, role_abilities

from ..models import Invitation, Membership

MANAGER = PlaceRole.Role.MANAGER


# --- Invitations -----------------------------------------------------------------------------


def invitation_outbox_key(invitation: Invitation) -> str:
    """The outbox key of the mail carrying this invitation's current link: a resend (a new
    link) is a new message, the same link is never mailed twice."""
    token_digest = hashlib.sha256(invitation.token.encode()).hexdigest()[:16]
    return f"{invitation.pk}:{token_digest}"


def invitation_mail_queue(
    invitation: Invitation, *, language: str | None = None, base_url: str | None = None
) -> str | None:
    """Queue the invitation mail in the outbox (inside the transaction that creates or resends
    the invitation; it is sent once that commits). The link starts with `base_url` (the
    inviting request's scheme and host), else SITE_URL. Returns the outbox key, or None for an
    invitation that is no longer pending."""
    from django.template.loader import render_to_string
    from django.urls import reverse
    from django.utils import translation

    from places.links import absolute_url
    from places.outbox import Mail, outbox_add

    if invitation.accepted_at or invitation.revoked_at or invitation.expires_at <= timezone.now():
        return None
    language = language or get_language() or "sv"
    with translation.override(language if language in ("sv", "en") else "sv"):
        context = {
            "invitation": invitation,
            "role": invitation.get_role_display(),
            "abilities": role_abilities(invitation.role),
            "url": absolute_url(
                reverse("invitations:accept", kwargs={"token": invitation.token}),
                base_url=base_url,
            ),
            "expires_at": timezone.localtime(invitation.expires_at),
        }
        subject = render_to_string("partnerships/members/email/invitation_subject.txt", context)
        body = render_to_string("partnerships/members/email/invitation_body.txt", context)
    key = invitation_outbox_key(invitation)
    outbox_add(
        kind="invitation",
        object_key=key,
        mails=[Mail(to=invitation.email, subject=subject, body=body)],
    )
    Invitation.objects.filter(pk=invitation.pk, sent_at__isnull=True).update(sent_at=timezone.now())
    return key


def _cancel_invitation_mail(invitation: Invitation) -> None:
    """A link that no longer works is not mailed any more."""
    from places.outbox import outbox_cancel

    outbox_cancel(kind="invitation", object_key_prefix=f"{invitation.pk}:")


def invitation_create(
    *,
    place: Place,
    email: str,
    role: str,
    organisation: Organisation | None = None,
    actor,
    base_url: str | None = None,
) -> Invitation:
    """Invite `email` to `role` at `place` and mail them a single-use link, valid 14 days.

    The link starts with `base_url` (the inviting request's scheme and host), else SITE_URL.

    Refused when the address already has a role at the place (change that role instead) or an
    invitation is still pending (resend it instead). An expired, unanswered invitation to the
    same address is closed (revoked) so that the new one can take its place.
    """
    email = (email or "").strip().lower()
    if role not in ROLE_RANK:
        raise ValidationError({"role": _("Choose a role.")})
    existing = (
        PlaceRole.objects.filter(place=place, user__email__iexact=email)
        .select_related("user")
        .first()
    )
    if existing:
        if existing.role == role:
            message = _("%(email)s already has the role %(role)s at this place.")
        else:
            message = _(
                "%(email)s already has a role at this place (%(role)s). Change the role in the "
                "list of people instead."
            )
        raise ValidationError(
            {"email": message % {"email": email, "role": existing.get_role_display()}}
        )
    now = timezone.now()
    with transaction.atomic():
        open_invitations = Invitation.objects.select_for_update().filter(
            place=place, email__iexact=email, accepted_at__isnull=True, revoked_at__isnull=True
        )
        for previous in open_invitations:
            if previous.expires_at > now:
                raise ValidationError(
                    {
                        "email": _(
                            "An invitation to %(email)s is already waiting for an answer. "
                            "Resend it from the list instead."
                        )
                        % {"email": email}
                    }
                )
            previous.revoked_at = now
            previous.save(update_fields=["revoked_at"])
            _cancel_invitation_mail(previous)
        invitation = Invitation(
            place=place,
            email=email,
            role=role,
            organisation=organisation,
            invited_by=actor,
        )
        invitation.full_clean()
        invitation.save()
        invitation_mail_queue(invitation, base_url=base_url)
    return invitation


def invitation_resend(*, invitation: Invitation, base_url: str | None = None) -> Invitation:
    """Mail the invitation again with a fresh link valid 14 more days; the old link stops
    working. Only for invitations that are not accepted or revoked (an expired one may be
    resent)."""
    with transaction.atomic():
        invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if invitation.accepted_at or invitation.revoked_at:
            raise ValidationError(
                _("This invitation was already accepted or revoked and cannot be resent.")
            )
        invitation.token = Invitation._meta.get_field("token").get_default()
        invitation.expires_at = Invitation._meta.get_field("expires_at").get_default()
        invitation.sent_at = None
        invitation.save(update_fields=["token", "expires_at", "sent_at"])
        _cancel_invitation_mail(invitation)
        invitation_mail_queue(invitation, base_url=base_url)
    return invitation


def invitation_revoke(*, invitation: Invitation) -> Invitation:
    """Withdraw an unanswered invitation: its link stops working at once, and a mail not sent
    yet is not sent."""
    with transaction.atomic():
        updated = Invitation.objects.filter(
            pk=invitation.pk, accepted_at__isnull=True, revoked_at__isnull=True
        ).update(revoked_at=timezone.now())
        if not updated:
            raise ValidationError(_("This invitation was already accepted or revoked."))
        _cancel_invitation_mail(invitation)
    invitation.refresh_from_db()
    return invitation


def invitation_problem(invitation: Invitation | None) -> str | None:
    """Why a link can no longer be used, as a message for the invitee; None if it can."""
    if invitation is None:
        return _("This invitation link is not valid. Check that you copied the whole link.")
    if invitation.accepted_at:
        return _("This invitation has already been used. Each link works only once.")
    if invitation.revoked_at:
        return _("This invitation was withdrawn by the place manager.")
    if invitation.expires_at <= timezone.now():
        return _(
            "This invitation expired on %(date)s. Ask the place manager to send you a new one."
        ) % {"date": date_format(timezone.localtime(invitation.expires_at), "DATE_FORMAT")}
    return None


def user_owns_address(user, email: str) -> bool:
    """True when `email` is the user's login address or one of their verified addresses."""
    if user.email.lower() == email.lower():
        return True
    return EmailAddress.objects.filter(user=user, email__iexact=email, verified=True).exists()


def invitation_accept(*, invitation: Invitation, actor) -> PlaceRole:
    """Give `actor` (the invitee) the invited role at the place and use up the link.

    The actor must own the invited address. The conditional UPDATE makes a link single-use even
    when two requests race. The invited organisation is whom the actor represents at this place
    only: it goes on the place role, never on the account, so an invitation to one place can
    give no rights at another (architecture §4).
    """
    problem = invitation_problem(invitation)
    if problem:
        raise ValidationError(problem, code="unusable")
    if not user_owns_address(actor, invitation.email):
        raise ValidationError(
            _(
                "This invitation was sent to %(invited)s, but you are logged in as %(current)s. "
                "Log out and sign up or log in with the invited address."
            )
            % {"invited": invitation.email, "current": actor.email},
            code="wrong_user",
        )
    now = timezone.now()
    with transaction.atomic():
        claimed = Invitation.objects.filter(
            pk=invitation.pk,
            accepted_at__isnull=True,
            revoked_at__isnull=True,
            expires_at__gt=now,
        ).update(accepted_at=now, accepted_by=actor)
        if not claimed:
            invitation.refresh_from_db()
            raise ValidationError(
                invitation_problem(invitation) or _("This invitation cannot be used."),
                code="unusable",
            )
        role = PlaceRole.objects.filter(user=actor, place=invitation.place).first()
        if role is None:
            role = PlaceRole.objects.create(
                user=actor,
                place=invitation.place,
                role=invitation.role,
                organisation=invitation.organisation,
            )
        else:
            # A role given by an admin after the invitation was sent: the invitation decides,
            # under the same last-manager rule as any change.
            if role.role != invitation.role:
                role = place_role_change(place_role=role, role=invitation.role)
            if invitation.organisation_id and role.organisation_id != invitation.organisation_id:
                role.organisation_id = invitation.organisation_id
                role.save(update_fields=["organisation"])
    invitation.refresh_from_db()
    return role


def invitation_join(
    *, invitation: Invitation, full_name: str, password: str, language: str = "sv"
) -> PlaceRole:
    """A new person joins from the invitation link in one step: an account for the invited
    address, already verified (the link reached that inbox, so a second mail would prove
    nothing), and the invited role. All or nothing.

    Refused when the address already has an account (that person logs in instead), so a link
    can never set the password of an existing account.
    """
    from django.contrib.auth import get_user_model

    user_model = get_user_model()
    problem = invitation_problem(invitation)
    if problem:
        raise ValidationError(problem, code="unusable")
    with transaction.atomic():
        if (
            user_model.objects.filter(email__iexact=invitation.email).exists()
            or EmailAddress.objects.filter(email__iexact=invitation.email).exists()
        ):
            raise ValidationError(
                _("An account with %(email)s already exists. Log in to accept the invitation.")
                % {"email": invitation.email},
                code="account_exists",
            )
        user = user_model.objects.create_user(
            email=invitation.email,
            password=password,
            full_name=full_name,
            preferred_language=language if language in ("sv", "en") else "sv",
        )
        EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=True)
        return invitation_accept(invitation=invitation, actor=user)


# --- People and their roles --------------------------------------------------------------------


def _check_not_last_manager(place_role: PlaceRole) -> None:
    """Lock the place's managers and refuse to leave the place without one."""
    managers = list(
        PlaceRole.objects.select_for_update()
        .filter(place_id=place_role.place_id, role=MANAGER)
        .values_list("pk", flat=True)
    )
    if managers == [place_role.pk]:
        raise ValidationError(
            _("%(person)s is the last manager of this place. Make someone else manager first.")
            % {"person": place_role.user},
            code="last_manager",
        )


def place_role_change(*, place_role: PlaceRole, role: str) -> PlaceRole:
    """Change a person's role at a place; the last manager cannot be demoted."""
    if role not in ROLE_RANK:
        raise ValidationError({"role": _("Choose a role.")})
    with transaction.atomic():
        place_role = (
            PlaceRole.objects.select_for_update().select_related("user").get(pk=place_role.pk)
        )
        if place_role.role == role:
            return place_role
        if place_role.role == MANAGER:
            _check_not_last_manager(place_role)
        place_role.role = role
        place_role.full_clean()
        place_role.save(update_fields=["role"])
    return place_role


def place_role_remove(*, place_role: PlaceRole) -> None:
    """Take a person's access to a place away; the last manager cannot be removed."""
    with transaction.atomic():
        place_role = (
            PlaceRole.objects.select_for_update().select_related("user").get(pk=place_role.pk)
        )
        if place_role.role == MANAGER:
            _check_not_last_manager(place_role)
        place_role.delete()


# --- Member organisations -------------------------------------------------------------------


def membership_create(
    *, place: Place, organisation: Organisation, role: str, since: dt.date
) -> Membership:
    """An organisation joins the partnership from `since`. Earlier memberships stay as history."""
    with transaction.atomic():
        current = (
            Membership.objects.select_for_update()
            .filter(place=place, organisation=organisation, until__isnull=True)
            .first()
        )
        if current:
            raise ValidationError(
                {
                    "organisation": _("%(organisation)s is already a member since %(date)s.")
                    % {
                        "organisation": organisation,
                        "date": date_format(current.since, "DATE_FORMAT"),
                    }
                }
            )
        last = (
            Membership.objects.filter(place=place, organisation=organisation)
            .order_by("-until")
            .first()
        )
        if last and last.until and since <= last.until:
            raise ValidationError(
                {
                    "since": _(
                        "The previous membership ended on %(date)s; the new one must start "
                        "after that."
                    )
                    % {"date": date_format(last.until, "DATE_FORMAT")}
                }
            )
        membership = Membership(place=place, organisation=organisation, role=role, since=since)
        membership.full_clean()
        membership.save()
    return membership


def organisation_create_member(
    *, place: Place, name: str, org_number: str, kind: str, role: str, since: dt.date
) -> Membership:
    """Register a new organisation and make it a member in one step (both or neither)."""
    with transaction.atomic():
        organisation = Organisation(name=name, org_number=org_number, kind=kind)
        organisation.full_clean()
        organisation.save()
        return membership_create(place=place, organisation=organisation, role=role, since=since)


def membership_end(*, membership: Membership, until: dt.date) -> Membership:
    """An organisation leaves the partnership on `until`; the row stays as history."""
    with transaction.atomic():
        membership = Membership.objects.select_for_update().get(pk=membership.pk)
        if membership.until is not None:
            raise ValidationError(_("This membership has already ended."))
        if until < membership.since:
            raise ValidationError(
                {
                    "until": _("The end date must be on or after the start date (%(date)s).")
                    % {"date": date_format(membership.since, "DATE_FORMAT")}
                }
            )
        membership.until = until
        membership.full_clean()
        membership.save(update_fields=["until"])
    return membership
