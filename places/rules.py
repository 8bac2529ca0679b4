"""Who may do what in the place workspace (architecture §4), on top of `place_access`.

Managers and reporters create; authors and managers edit; people who represent the responsible
organisation at the place update an action item's status; readers read. Views call these after
`place_access(...)`, so an outsider has already had a 404, and turn a False into a 403.
"""

from django.db.models import Count, Q
from django.utils import timezone

from accounts.models import Organisation

from .access import PlaceAccess
from .models import ActionItem, Activity, Place

# Which organisations are members of a place on a date: memberships belong to partnerships,
# which ranks above places (docs/architecture.md, "Apps") and registers the answer here in its
# AppConfig.ready(). `provider(place=, on=)` returns a queryset of organisation ids (`.values`).
_member_organisations = None


def register_member_organisations(provider) -> None:
    global _member_organisations
    _member_organisations = provider


def _answering(place: Place) -> Q:
    """The organisations that may take part in or answer for work at the place: its current
    members, and the municipality the place lies in (public space is the municipality's)."""
    condition = Q(kind="municipality", name__icontains=place.municipality)
    if _member_organisations is not None:
        members = _member_organisations(place=place, on=timezone.localdate())
        condition = Q(pk__in=members) | condition
    return condition


def place_organisations(place: Place):
    """Organisations that may take part in or answer for work at the place (`_answering`)."""
    return Organisation.objects.filter(_answering(place)).order_by("name")


def roles_answering_for_work(roles) -> set[int]:
    """The roles (pks) whose organisation is one of `place_organisations` of the role's own
    place – the same rule for many roles in one query (the home's "my action items")."""
    roles = [role for role in roles if role.organisation_id]
    if not roles:
        return set()
    row = Organisation.objects.filter(pk__in={role.organisation_id for role in roles}).aggregate(
        **{
            f"role_{role.pk}": Count(
                "pk", filter=Q(pk=role.organisation_id) & _answering(role.place)
            )
            for role in roles
        }
    )
    return {role.pk for role in roles if row[f"role_{role.pk}"]}


def can_create(access: PlaceAccess) -> bool:
    return access.allows("reporter")


def can_edit_activity(access: PlaceAccess, user, activity: Activity) -> bool:
    if access.is_manager:
        return True
    return access.allows("reporter") and activity.logged_by_id == user.pk


def can_edit_action_item(access: PlaceAccess, user, item: ActionItem) -> bool:
    if access.is_manager:
        return True
    return access.allows("reporter") and item.created_by_id == user.pk


def can_change_status(access: PlaceAccess, item: ActionItem) -> bool:
    """Managers, and people whose role at the item's place represents the responsible
    organisation (their account's organisation gives no rights at a place)."""
    if access.is_manager:
        return True
    return (
        access.role is not None
        and item.responsible_organisation_id is not None
        and access.organisation_id == item.responsible_organisation_id
    )


def can_manage_plan(access: PlaceAccess) -> bool:
    return access.is_manager
