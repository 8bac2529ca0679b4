"""Approval: the decision that starts the partnership (place, memberships, commitments, manager
roles) in the same transaction as the state change, so it is all or nothing."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from places.geo import boundary_centre
from places.models import Place, PlaceRole

from ...models import ApplicationParty, FundingCommitment, Membership
from ..funding import commitment_create
from ..members import membership_create
from .mail import applicant_recipients, notify
from .permissions import require_reviewer
from .review import check_assessed_or_explained
from .states import move, start


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
    require_reviewer(actor)
    if not (plan.reason or "").strip():
        raise ValidationError({"reason": _("Give the reason for the decision.")})
    with transaction.atomic():
        locked, to_status = start(application, "approve")
        check_assessed_or_explained(locked, actor, plan.unassessed_reason)
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
        event = move(
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
        notify(event, applicant_recipients(locked), base_url)
    return place
