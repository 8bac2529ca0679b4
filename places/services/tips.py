"""Tips from the public (issue #14): receive and moderate (following a tip afterwards is
tip_updates.py, which action items' status changes also call).

A tip is written by someone without an account; nothing about them is kept but the optional
e-mail address for updates, which is erased as soon as the tip is closed (declined, or its
action item resolved or closed). Moderation — accept, merge, decline — records who and when on
the tip, in one transaction with what it creates; mails go through the outbox.
"""

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..models import ActionItem, PublicTip
from .action_items import action_item_create
from .checks import position_warning
from .tip_updates import tip_close, tipper_mail_queue


class TipAlreadyReceived(Exception):
    """The same form was sent twice (its one-time token's digest is already stored)."""


def tip_submit(*, place, data: dict, photo=None, form_nonce: str | None) -> PublicTip:
    """Store a tip; `photo` is a processed ContentFile (places.photos)."""
    tip = PublicTip(
        place=place,
        category=data["category"],
        description=data["description"],
        lat=data["lat"],
        lon=data["lon"],
        location_note=data.get("location_note") or "",
        email=(data.get("email") or "").strip(),
        language=data.get("language") or "sv",
        form_nonce=form_nonce,
    )
    tip.full_clean(exclude=["photo", "form_nonce"])
    try:
        position_warning(place, tip.lat, tip.lon)  # far away is an error; just outside is fine
    except ValidationError as error:
        raise ValidationError({"lat": error.messages}) from None
    try:
        with transaction.atomic():
            if photo is not None:
                tip.photo.save(photo.name, photo, save=False)
            tip.save()
    except IntegrityError:
        raise TipAlreadyReceived from None
    return tip


def _lock_received(tip: PublicTip) -> PublicTip:
    locked = PublicTip.objects.select_for_update().select_related("place").get(pk=tip.pk)
    if locked.status != PublicTip.Status.RECEIVED:
        raise ValidationError(_("This tip has already been moderated."), code="moderated")
    return locked


def tip_accept(*, tip: PublicTip, actor, data: dict, base_url: str | None = None) -> ActionItem:
    """Accept: the tip becomes a public action item for `data['responsible_organisation']`,
    which is told by e-mail as for any new action item."""
    with transaction.atomic():
        locked = _lock_received(tip)
        photo = None
        if locked.photo:
            with locked.photo.open("rb") as handle:
                photo = ContentFile(handle.read(), name=locked.photo.name.rsplit("/", 1)[-1])
        item = action_item_create(
            place=locked.place,
            actor=actor,
            data={
                "category": data.get("category") or locked.category,
                "description": data.get("description") or locked.description,
                "lat": locked.lat,
                "lon": locked.lon,
                "location_note": locked.location_note,
                "responsible_organisation": data.get("responsible_organisation"),
                "due_date": data.get("due_date"),
            },
            photo=photo,
            base_url=base_url,
        )
        item.is_public = True
        item.save(update_fields=["is_public", "updated_at"])
        locked.status = PublicTip.Status.ACCEPTED
        locked.action_item = item
        locked.moderated_by = actor
        locked.moderated_at = timezone.now()
        locked.save(update_fields=["status", "action_item", "moderated_by", "moderated_at"])
        tipper_mail_queue(locked, "accepted", base_url)
    tip.refresh_from_db()
    return item


def tip_merge(*, tip: PublicTip, actor, action_item: ActionItem, base_url: str | None = None):
    """Merge into an existing action item of the same place: the tipper follows that item."""
    if action_item.place_id != tip.place_id:
        raise ValidationError({"action_item": _("Choose an action item of this place.")})
    with transaction.atomic():
        locked = _lock_received(tip)
        locked.status = PublicTip.Status.MERGED
        locked.action_item = action_item
        locked.moderated_by = actor
        locked.moderated_at = timezone.now()
        locked.save(update_fields=["status", "action_item", "moderated_by", "moderated_at"])
        if not action_item.is_public:
            action_item.is_public = True
            action_item.save(update_fields=["is_public", "updated_at"])
        tipper_mail_queue(locked, "accepted", base_url)
        if action_item.status in (ActionItem.Status.RESOLVED, ActionItem.Status.WONT_FIX):
            tip_close(locked, action_item.status, base_url)
    tip.refresh_from_db()


def tip_decline(*, tip: PublicTip, actor, reason: str, base_url: str | None = None) -> None:
    """Decline with a reason the tipper reads on the tracking page; the tip is closed."""
    with transaction.atomic():
        locked = _lock_received(tip)
        locked.status = PublicTip.Status.DECLINED
        locked.decline_reason = reason
        locked.moderated_by = actor
        locked.moderated_at = timezone.now()
        locked.full_clean(exclude=["photo", "form_nonce"])
        locked.save(update_fields=["status", "decline_reason", "moderated_by", "moderated_at"])
        tip_close(locked, "declined", base_url)
    tip.refresh_from_db()
