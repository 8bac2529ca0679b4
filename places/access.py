"""The one access helper for place-scoped views (DESIGN §4).

An object the user may not see is a 404; an action the user may not do on an object they can
see is a 403.
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Subquery
from django.http import Http404

from .models import ROLE_RANK, Place, PlaceRole


@dataclass
class PlaceAccess:
    place: Place
    role: str | None  # None for staff without a role
    is_staff: bool
    # Who the person represents at this place (their role's organisation), never their
    # account's organisation: one place's role must not give rights at another (DESIGN §4).
    organisation_id: int | None = None
    represents_police: bool = False

    def allows(self, role: str) -> bool:
        if self.is_staff:
            return True
        return self.role is not None and ROLE_RANK[self.role] >= ROLE_RANK[role]

    @property
    def is_manager(self) -> bool:
        return self.allows("manager")

    @property
    def is_reporter(self) -> bool:
        return self.allows("reporter")

    def require(self, role: str) -> None:
        if not self.allows(role):
            raise PermissionDenied


def place_access(user, slug: str, *, require: str | None = None) -> PlaceAccess:
    """Load a place by slug for `user`: 404 if they may not see it, 403 if below `require`."""
    if not user.is_authenticated:
        raise Http404
    if not isinstance(slug, str) or "\x00" in slug:
        # A slug from a query or a body (the API), not a URL: PostgreSQL refuses NUL bytes.
        raise Http404
    # One statement: the place and the person's role there (a page view's first query).
    role = PlaceRole.objects.filter(user=user, place=OuterRef("pk"))
    police = role.representing_police()
    place = (
        Place.objects.filter(slug=slug)
        .annotate(
            access_role=Subquery(role.values("role")[:1]),
            access_organisation=Subquery(role.values("organisation_id")[:1]),
            access_police=Exists(police),
        )
        .first()
    )
    if place is None:
        raise Http404
    if place.access_role is None and not user.is_staff:
        raise Http404
    role, organisation_id, represents_police = (
        place.access_role,
        place.access_organisation,
        bool(place.access_police),
    )
    access = PlaceAccess(
        place=place,
        role=role,
        is_staff=user.is_staff,
        organisation_id=organisation_id,
        represents_police=represents_police,
    )
    if require:
        access.require(require)
    return access
