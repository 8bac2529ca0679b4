"""Read-side queries for a place's members: its organisations, its people and open invitations."""

import datetime as dt

from django.db.models import Case, F, Q, Value, When

from places.models import PlaceRole

from ..models import Invitation, Membership


def place_memberships(*, place):
    """All memberships of the place, current first, then history (newest end first)."""
    return (
        Membership.objects.filter(place=place)
        .select_related("organisation")
        .order_by(F("until").desc(nulls_first=True), "organisation__name", "-since")
    )


def place_people(*, place):
    """Everyone with a role at the place, managers first."""
    return (
        PlaceRole.objects.filter(place=place)
        .select_related("user", "organisation")
        .order_by(
            Case(
                When(role=PlaceRole.Role.MANAGER, then=Value(0)),
                When(role=PlaceRole.Role.REPORTER, then=Value(1)),
                default=Value(2),
            ),
            "user__full_name",
            "user__email",
        )
    )


def place_invitations(*, place):
    """Invitations not yet accepted or revoked (pending and expired), newest first."""
    return (
        Invitation.objects.filter(place=place, accepted_at__isnull=True, revoked_at__isnull=True)
        .select_related("organisation", "invited_by")
        .order_by("-created_at")
    )


def member_organisations(*, place, on: dt.date):
    """The organisations (ids, as a subquery) that are members of the place on the date; places
    asks this through `places.rules.register_member_organisations`."""
    return (
        Membership.objects.filter(place=place, since__lte=on)
        .filter(Q(until__isnull=True) | Q(until__gte=on))
        .values("organisation_id")
    )
