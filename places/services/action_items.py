"""Writes of the place workspace: activities, action items (åtgärdspunkter) and the plan.

Each service validates (`full_clean` plus the rules below), writes in one transaction and
queues e-mail in the outbox in that transaction (places/outbox.py), so a failed save sends
nothing and a saved change is always announced. Views check who may act (places.rules) before
calling these.
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .geo import boundary_centre, distance_m, point_in_boundary
from .models import ActionItem, ActionItemStatusChange, Activity, PlannedActivity
from .rules import place_organisations

# A pin further than this from the place is a mistake (wrong map, a GPS glitch); closer pins
# outside the boundary are saved with a warning, since walks often cover the surroundings.
MAX_PIN_DISTANCE_M = 20_000


def place_centre(place) -> tuple[float, float] | None:
    if place.centre_lat is not None and place.centre_lon is not None:
        return place.centre_lat, place.centre_lon
    return boundary_centre(place.boundary) if place.boundary else None


def position_warning(place, lat, lon) -> str | None:
    """Refuse a pin far from the place; return a warning for one just outside its boundary."""
    if lat is None or lon is None:
        return None
    centre = place_centre(place)
    if centre is None:
        return None
    distance = distance_m(centre[0], centre[1], lat, lon)
    if distance > MAX_PIN_DISTANCE_M:
        raise ValidationError(
            _(
                "The pin is %(km)s km from %(place)s. Set it on the place, or leave the "
                "position empty."
            ),
            code="pin_too_far",
            params={"km": round(distance / 1000), "place": place.name},
        )
    if place.boundary and not point_in_boundary(place.boundary, lat, lon):
        return str(
            _(
                "The position is outside the boundary of %(place)s (about %(m)s m from its "
                "centre). It was saved; check it on the map."
            )
            % {"place": place.name, "m": int(round(distance, -1))}
        )
    return None


def pin_rule(place) -> dict:
    """The data of `position_warning`'s rule for static/js/forms.js, which checks a pin while
    it is set (rendered with json_script inside the map config): the same centre, boundary and
    distance, so the page and the server cannot disagree."""
    centre = place_centre(place)
    return {
        "centre": list(centre) if centre else None,
        "boundary": place.boundary or None,
        "maxDistanceM": MAX_PIN_DISTANCE_M,
        "tooFar": str(
            _("The pin is far from %(place)s. Set it on the place, or leave the position empty.")
            % {"place": place.name}
        ),
        "outside": str(
            _(
                "The position is outside the boundary of %(place)s. It can be saved; check it "
                "on the map."
            )
            % {"place": place.name}
        ),
    }


def validate_position(lat, lon) -> None:
    if (lat is None) != (lon is None):
        raise ValidationError(
            _("Give both latitude and longitude, or neither."), code="half_position"
        )


def validate_organisations(place, organisations, field="organisations") -> None:
    allowed = set(place_organisations(place).values_list("pk", flat=True))
    outside = [org for org in organisations if org.pk not in allowed]
    if outside:
        raise ValidationError(
            {
                field: _(
                    "%(names)s is not a member organisation of this place or its municipality."
                )
                % {"names": ", ".join(org.name for org in outside)}
            }
        )


# --- Activities ---------------------------------------------------------------------------


def _activity_check(activity: Activity, organisations) -> None:
    # The time's range (2000 to a day ahead) is the model's validator: accounts.bounds.
    activity.full_clean()
    errors = {}
    try:
        validate_position(activity.lat, activity.lon)
        position_warning(activity.place, activity.lat, activity.lon)
    except ValidationError as error:
        errors["lat"] = error.messages
    if errors:
        raise ValidationError(errors)
    validate_organisations(activity.place, organisations)


ACTIVITY_FIELDS = (
    "kind",
    "started_at",
    "duration_minutes",
    "participants_count",
    "description",
    "lat",
    "lon",
    "location_note",
)


def saved_before(model, *, form_key=None, client_id=None):
    """The row an earlier submission of the same form saved (by its one-time form key or the
    id a phone gave it offline), or None."""
    if client_id and (existing := model.objects.filter(client_id=client_id).first()):
        return existing
    if form_key and (existing := model.objects.filter(form_key=form_key).first()):
        return existing
    return None


def activity_create(
    *,
    place,
    actor,
    data: dict,
    form_key: str | None = None,
    client_id=None,
    findings: list[dict] | None = None,
    base_url: str | None = None,
) -> Activity:
    """Log an activity at `place` by `actor`. `data` holds the model fields and `organisations`;
    `findings` (a walk's, optional) become its action items in the same transaction.

    `form_key` is the digest of the form's one-time key (places/form_keys.py) and `client_id`
    the id a phone gave a form queued offline (issue #16): a form sent twice raises
    `AlreadySaved` with the activity the first submission logged, and creates nothing."""
    from .form_keys import AlreadySaved

    organisations = list(data.get("organisations") or [])
    activity = Activity(
        place=place,
        logged_by=actor,
        form_key=form_key,
        client_id=client_id,
        **{k: data[k] for k in ACTIVITY_FIELDS if k in data},
    )
    if existing := saved_before(Activity, form_key=form_key, client_id=client_id):
        raise AlreadySaved(existing)
    _activity_check(activity, organisations)
    try:
        with transaction.atomic():
            activity.save()
            activity.organisations.set(organisations)
            if findings:
                action_items_record_findings(
                    activity=activity, actor=actor, findings=findings, base_url=base_url
                )
    except IntegrityError:
        existing = saved_before(Activity, form_key=form_key, client_id=client_id)
        if existing is None:
            raise
        raise AlreadySaved(existing) from None
    return activity


def activity_update(*, activity: Activity, data: dict) -> Activity:
    """Change an activity (its author or a manager)."""
    for key in ACTIVITY_FIELDS:
        if key in data:
            setattr(activity, key, data[key])
    organisations = list(data.get("organisations") or [])
    _activity_check(activity, organisations)
    with transaction.atomic():
        activity.save()
        activity.organisations.set(organisations)
    return activity


def activity_delete(*, activity: Activity) -> None:
    """Delete an activity. Action items found on it stay; they only lose the link."""
    activity.delete()


# --- Action items -------------------------------------------------------------------------

ACTION_ITEM_FIELDS = (
    "category",
    "description",
    "lat",
    "lon",
    "location_note",
    "responsible_organisation",
    "due_date",
    "is_public",
    "photo_is_public",
)


def _action_item_check(item: ActionItem) -> None:
    item.full_clean(exclude=["photo"])
    errors = {}
    try:
        validate_position(item.lat, item.lon)
        position_warning(item.place, item.lat, item.lon)
    except ValidationError as error:
        errors["lat"] = error.messages
    if errors:
        raise ValidationError(errors)
    if item.responsible_organisation_id:
        validate_organisations(
            item.place, [item.responsible_organisation], field="responsible_organisation"
        )


def action_items_assigned_queue(
    *, action_item_ids: list[int], organisation_id: int, base_url: str | None, send: bool = True
) -> str | None:
    """Queue the mail telling the people whose role at the items' place represents
    `organisation_id` that these items were assigned to it (call inside the transaction that
    assigns them). One outbox row per person and assignment: the key holds the items and their
    last change, so a repeated call queues nothing and a later reassignment mails again.
    Returns the outbox key, or None when no item is (still) assigned to the organisation."""
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.template.loader import render_to_string
    from django.urls import reverse
    from django.utils import translation

    from .links import absolute_url
    from .outbox import Mail, outbox_add

    items = list(
        ActionItem.objects.filter(
            pk__in=action_item_ids, responsible_organisation_id=organisation_id
        )
        .select_related("place", "responsible_organisation")
        .order_by("pk")
    )
    if not items:
        return None
    place = items[0].place
    stamp = max(item.updated_at for item in items).isoformat()
    key = f"{organisation_id}:{','.join(str(item.pk) for item in items)}:{stamp}"
    recipients = (
        get_user_model()
        # One filter() call: the role at this place must be the one that represents the
        # organisation, whatever organisation the account has elsewhere.
        .objects.filter(
            is_active=True,
            place_roles__place=place,
            place_roles__organisation_id=organisation_id,
        )
        .distinct()
        .order_by("pk")
    )
    mails = []
    for user in recipients:
        with translation.override(user.preferred_language or settings.LANGUAGE_CODE):
            context = {
                "user": user,
                "place": place,
                "organisation": items[0].responsible_organisation,
                "items": [
                    {
                        "item": item,
                        "url": absolute_url(
                            reverse(
                                "places:action_item_detail",
                                kwargs={"place_slug": place.slug, "pk": item.pk},
                            ),
                            base_url=base_url,
                        ),
                    }
                    for item in items
                ],
            }
            subject = render_to_string("places/email/action_items_assigned_subject.txt", context)
            body = render_to_string("places/email/action_items_assigned.txt", context)
        mails.append(Mail(to=user.email, subject=subject, body=body, user=user))
    outbox_add(kind="action_items_assigned", object_key=key, mails=mails, send=send)
    # The bell (issue #13): one in-app notification per item and person.
    from .notifications import notify

    for item in items:
        with translation.override(settings.LANGUAGE_CODE):
            # The category, never the description: notifications outlive free-text retention.
            title = _("Action item for %(organisation)s: %(title)s") % {
                "organisation": item.responsible_organisation.name,
                "title": item.get_category_display(),
            }
        notify(
            users=recipients,
            kind="action_item_assigned",
            object_key=f"actionitem:{item.pk}:{organisation_id}",
            title=title,
            url=reverse(
                "places:action_item_detail", kwargs={"place_slug": place.slug, "pk": item.pk}
            ),
            place=place,
        )
    return key


def _queue_assignment_mails(items: list[ActionItem], base_url: str | None) -> None:
    """Queue the mail to each responsible organisation in this transaction; it is sent once
    the transaction commits. Links start with `base_url` (the request's scheme and host) or
    SITE_URL."""
    by_org: dict[int, list[int]] = {}
    for item in items:
        if item.responsible_organisation_id:
            by_org.setdefault(item.responsible_organisation_id, []).append(item.pk)
    for org_id, item_ids in by_org.items():
        action_items_assigned_queue(
            action_item_ids=item_ids, organisation_id=org_id, base_url=base_url
        )


def _build_action_item(*, place, actor, data: dict, source_activity=None) -> ActionItem:
    item = ActionItem(
        place=place,
        created_by=actor,
        source_activity=source_activity,
        **{k: data[k] for k in ACTION_ITEM_FIELDS if k in data},
    )
    _action_item_check(item)
    return item


def action_item_create(
    *, place, actor, data: dict, photo=None, source_activity=None, base_url: str | None = None
) -> ActionItem:
    """Record one action item; `photo` is a processed ContentFile (places.photos). The mail to
    the responsible organisation links to `base_url` (else SITE_URL)."""
    item = _build_action_item(place=place, actor=actor, data=data, source_activity=source_activity)
    with transaction.atomic():
        if photo is not None:
            item.photo.save(photo.name, photo, save=False)
        item.save()
        _queue_assignment_mails([item], base_url)
    return item


def action_items_record_findings(
    *, activity: Activity, actor, findings: list[dict], base_url: str | None = None
) -> list:
    """Record a walk's findings as action items in one go: all are saved or none is.

    Each finding is a dict of action item fields plus an optional processed `photo`.
    """
    items = []
    errors = {}
    for index, finding in enumerate(findings):
        try:
            items.append(
                (
                    _build_action_item(
                        place=activity.place, actor=actor, data=finding, source_activity=activity
                    ),
                    finding.get("photo"),
                )
            )
        except ValidationError as error:
            errors[index] = error
    if errors:
        first = min(errors)
        raise errors[first]
    with transaction.atomic():
        for item, photo in items:
            if photo is not None:
                item.photo.save(photo.name, photo, save=False)
            item.save()
        _queue_assignment_mails([item for item, _photo in items], base_url)
    return [item for item, _photo in items]


def action_item_update(
    *,
    item: ActionItem,
    data: dict,
    photo=None,
    remove_photo=False,
    base_url: str | None = None,
):
    """Change an action item's details (its author or a manager). A new responsible
    organisation is told by e-mail."""
    previous_org = item.responsible_organisation_id
    for key in ACTION_ITEM_FIELDS:
        if key in data:
            setattr(item, key, data[key])
    _action_item_check(item)
    with transaction.atomic():
        if remove_photo and item.photo:
            old = item.photo.name
            item.photo = ""
            transaction.on_commit(lambda: item.photo.storage.delete(old))
        if photo is not None:
            item.photo.save(photo.name, photo, save=False)
        item.save()
        if item.responsible_organisation_id and item.responsible_organisation_id != previous_org:
            _queue_assignment_mails([item], base_url)
    return item


CLOSED = (ActionItem.Status.RESOLVED, ActionItem.Status.WONT_FIX)


def action_item_set_status(*, item: ActionItem, actor, status: str, note: str = "", client_id=None):
    """Move an action item to `status`, recording who and when. Resolving or closing stamps
    `resolved_at`; reopening clears it. `client_id` is the id a phone gave a change queued
    offline (issue #16): sent again, it raises `AlreadySaved` with the change recorded first."""
    from .form_keys import AlreadySaved

    if status not in ActionItem.Status.values:
        raise ValidationError({"status": _("Choose a valid status.")})
    if existing := saved_before(ActionItemStatusChange, client_id=client_id):
        raise AlreadySaved(existing)
    change = ActionItemStatusChange(
        action_item=item,
        from_status=item.status,
        to_status=status,
        changed_by=actor,
        note=note,
        client_id=client_id,
    )
    change.full_clean(exclude=["action_item", "client_id"])
    with transaction.atomic():
        # Lock the row so two people changing it at once both get recorded in order.
        locked = ActionItem.objects.select_for_update().get(pk=item.pk)
        if locked.status == status:
            raise ValidationError({"status": _("The action item already has this status.")})
        change.from_status = locked.status
        locked.status = status
        if status in CLOSED:
            locked.resolved_at = locked.resolved_at or timezone.now()
        else:
            locked.resolved_at = None
        locked.save(update_fields=["status", "resolved_at", "updated_at"])
        change.save()
        # Tips from the public that follow this item: told, and their e-mail erased on close.
        from .tips import tips_close_for_item, tips_reopen_for_item

        if status in CLOSED:
            tips_close_for_item(locked)
        else:
            tips_reopen_for_item(locked)
    item.status, item.resolved_at = locked.status, locked.resolved_at
    return change


# --- Activity plan (årshjul) ---------------------------------------------------------------

PLAN_FIELDS = (
    "kind",
    "title",
    "recurrence",
    "weekday",
    "month",
    "starts_on",
    "ends_on",
    "is_active",
    "is_public",
    "public_time",
)


def _normalise_plan(plan: PlannedActivity) -> None:
    # A monthly plan has no weekday or month; a weekly one no month; a yearly one no weekday.
    if plan.recurrence != PlannedActivity.Recurrence.WEEKLY:
        plan.weekday = None
    if plan.recurrence != PlannedActivity.Recurrence.YEARLY:
        plan.month = None


def planned_activity_create(*, place, data: dict) -> PlannedActivity:
    """Add a recurring activity to the place's plan."""
    plan = PlannedActivity(place=place, **{k: data[k] for k in PLAN_FIELDS if k in data})
    _normalise_plan(plan)
    plan.full_clean()
    plan.save()
    return plan


def planned_activity_update(*, plan: PlannedActivity, data: dict) -> PlannedActivity:
    for key in PLAN_FIELDS:
        if key in data:
            setattr(plan, key, data[key])
    _normalise_plan(plan)
    plan.full_clean()
    plan.save()
    return plan


def planned_activity_delete(*, plan: PlannedActivity) -> None:
    """Remove a plan entry; logged activities stay, without the link."""
    plan.delete()
