"""Writes of action items (åtgärdspunkter): create (also from an activity's findings), update,
change status (which tells the public tips following the item), and the mail telling an
organisation that items were assigned to it."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from ..form_keys import AlreadySaved
from ..links import absolute_url
from ..models import ActionItem, ActionItemStatusChange, Activity
from ..outbox import Mail, outbox_add
from .checks import position_warning, saved_before, validate_organisations, validate_position
from .notifications import notify
from .tip_updates import tips_close_for_item, tips_reopen_for_item

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
        if status in CLOSED:
            tips_close_for_item(locked)
        else:
            tips_reopen_for_item(locked)
    item.status, item.resolved_at = locked.status, locked.resolved_at
    return change
