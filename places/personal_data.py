"""What the place workspace holds about a person (see accounts.personal_data)."""

from django.utils.translation import gettext_lazy as _

from accounts.personal_data import erasure_check, section

from .models import (
    ActionItem,
    ActionItemStatusChange,
    Activity,
    NameConfirmation,
    PlaceRole,
    VisitorCount,
)


@section("place_roles", _("Roles at places"))
def _roles(user):
    roles = PlaceRole.objects.filter(user=user).select_related("place", "organisation")
    for role in roles.order_by("pk").iterator(chunk_size=500):
        yield {
            "place": role.place.name,
            "role": role.role,
            "organisation_represented": role.organisation.name if role.organisation else "",
            "since": role.created_at,
        }


@section("activities", _("Activities you logged"))
def _activities(user):
    activities = Activity.objects.filter(logged_by=user).select_related("place", "kind")
    for activity in activities.order_by("pk").iterator(chunk_size=500):
        yield {
            "id": activity.pk,
            "place": activity.place.name,
            "kind": activity.kind.name_sv,
            "started_at": activity.started_at,
            "duration_minutes": activity.duration_minutes,
            "participants": activity.participants_count,
            "note": activity.description,
            "location": activity.location_note,
            "lat": activity.lat,
            "lon": activity.lon,
        }


@section("action_items", _("Action items you recorded"))
def _action_items(user):
    items = ActionItem.objects.filter(created_by=user).select_related("place")
    for item in items.order_by("pk").iterator(chunk_size=500):
        yield {
            "id": item.pk,
            "place": item.place.name,
            "category": item.category,
            "description": item.description,
            "location": item.location_note,
            "status": item.status,
            "due_date": item.due_date,
            "created_at": item.created_at,
        }


@section("status_changes", _("Status changes you made"))
def _status_changes(user):
    changes = ActionItemStatusChange.objects.filter(changed_by=user)
    for change in changes.order_by("pk").iterator(chunk_size=500):
        yield {
            "action_item": change.action_item_id,
            "from": change.from_status,
            "to": change.to_status,
            "note": change.note,
            "changed_at": change.changed_at,
        }


@section("name_confirmations", _("Words you confirmed are not a person"))
def _name_confirmations(user):
    confirmations = NameConfirmation.objects.filter(user=user).select_related("place")
    for confirmation in confirmations.order_by("pk").iterator(chunk_size=500):
        yield {
            "word": confirmation.token,
            "field": confirmation.field_label or confirmation.field,
            "record": confirmation.record,
            "place": confirmation.place.name if confirmation.place else "",
            "confirmed_at": confirmation.confirmed_at,
        }


@erasure_check
def _last_manager(user) -> list[str]:
    """A place must keep a manager: its last one cannot leave by deleting the account."""
    managed = PlaceRole.objects.managers().filter(user=user).values("place")
    alone = (
        PlaceRole.objects.managers().filter(place__in=managed).exclude(user=user).values("place")
    )
    places = (
        PlaceRole.objects.managers()
        .filter(user=user)
        .exclude(place__in=alone)
        .select_related("place")
        .order_by("place__name")
    )
    return [
        _(
            "You are the last manager of %(place)s. Make someone else its manager (Members) "
            "before you delete your account."
        )
        % {"place": role.place.name}
        for role in places
    ]


@section("visitor_counts", _("Visitors you counted"))
def _visitor_counts(user):
    counts = VisitorCount.objects.filter(recorded_by=user).select_related("place")
    for count in counts.order_by("pk").iterator(chunk_size=500):
        yield {
            "place": count.place.name,
            "counted_at": count.counted_at,
            "duration_minutes": count.duration_minutes,
            "people": count.people,
            "source": count.source,
            "sensor": count.sensor,
            "location": count.location_note,
        }
