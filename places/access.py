"""The one access helper for place-scoped views (architecture §4).

An object the user may not see is a 404; an action the user may not do on an object they can
see is a 403.
"""

import functools
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
    # account's organisation: one place's role must not give rights at another (architecture §4).
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

    @property
    def sees_restricted_incidents(self) -> bool:
        """Whether restricted incidents here are shown in full: to staff, managers and people
        whose role here represents the police (architecture §4; `Incident.objects.visible_to`
        decides the same in SQL for many places at once)."""
        return self.is_manager or self.represents_police

    def require(self, role: str) -> None:
        if not self.allows(role):
            raise PermissionDenied


# Stand-ins that mark where a request's values go in the compiled statement.
_USER, _SLUG = -918_273_645, "\x01amp-access-slug\x01"


def _place_with_role_query(user_id, slug):
    """The place and the person's role there, in one statement (a page view's first query)."""
    role = PlaceRole.objects.filter(user_id=user_id, place=OuterRef("pk")).order_by()
    return Place.objects.filter(slug=slug).annotate(
        access_role=Subquery(role.values("role")[:1]),
        access_organisation=Subquery(role.values("organisation_id")[:1]),
        access_police=Exists(role.representing_police()),
    )[:1]


@functools.cache
def _compiled(alias: str) -> tuple[str, tuple]:
    """The statement compiled once per process and database (building and compiling it cost
    2 ms of every page view); the request's values replace the stand-ins."""
    query = _place_with_role_query(_USER, _SLUG).query
    return query.get_compiler(using=alias).as_sql()


def _place_with_role(user, slug: str):
    alias = "default"  # access is decided on the primary, never on a lagging replica
    sql, params = _compiled(alias)
    values = [user.pk if p == _USER else slug if p == _SLUG else p for p in params]
    return next(iter(Place.objects.raw(sql, values).using(alias)), None)


def place_access(user, slug: str, *, require: str | None = None) -> PlaceAccess:
    """Load a place by slug for `user`: 404 if they may not see it, 403 if below `require`."""
    if not user.is_authenticated:
        raise Http404
    if not isinstance(slug, str) or "\x00" in slug:
        # A slug from a query or a body (the API), not a URL: PostgreSQL refuses NUL bytes.
        raise Http404
    place = _place_with_role(user, slug)
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
