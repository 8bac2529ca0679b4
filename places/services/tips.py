"""Tips from the public (issue #14): receive, moderate, follow.

A tip is written by someone without an account; nothing about them is kept but the optional
e-mail address for updates, which is erased as soon as the tip is closed (declined, or its
action item resolved or closed). Moderation — accept, merge, decline — records who and when on
the tip, in one transaction with what it creates; mails go through the outbox.
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from .links import absolute_url
from .models import ActionItem, PublicTip
from .outbox import Mail, outbox_add


class TipAlreadyReceived(Exception):
    """The same form was sent twice (its one-time token's digest is already stored)."""


def tracking_path(tip: PublicTip) -> str:
    return reverse(
        "places_public:tip_status", kwargs={"place_slug": tip.place.slug, "token": tip.token}
    )


def tip_submit(*, place, data: dict, photo=None, form_nonce: str | None) -> PublicTip:
    """Store a tip; `photo` is a processed ContentFile (places.photos)."""
    from .services import position_warning

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


def _queue_tipper_mail(tip: PublicTip, state: str, base_url: str | None) -> None:
    """Tell the tipper (if they left an address) what happened, in their language."""
    if not tip.email:
        return
    with translation.override(tip.language or "sv"):
        context = {
            "tip": tip,
            "place": tip.place,
            "state": state,
            "url": absolute_url(tracking_path(tip), base_url=base_url),
        }
        subject = render_to_string("places/email/tip_update_subject.txt", context)
        body = render_to_string("places/email/tip_update.txt", context)
    outbox_add(
        kind="public_tip_update",
        object_key=f"{tip.pk}:{state}",
        mails=[Mail(to=tip.email, subject=subject, body=body)],
    )


def _lock_received(tip: PublicTip) -> PublicTip:
    locked = PublicTip.objects.select_for_update().select_related("place").get(pk=tip.pk)
    if locked.status != PublicTip.Status.RECEIVED:
        raise ValidationError(_("This tip has already been moderated."), code="moderated")
    return locked


def tip_accept(*, tip: PublicTip, actor, data: dict, base_url: str | None = None) -> ActionItem:
    """Accept: the tip becomes a public action item for `data['responsible_organisation']`,
    which is told by e-mail as for any new action item."""
    from .services import action_item_create

    with transaction.atomic():
        locked = _lock_received(tip)
        photo = None
        if locked.photo:
            from django.core.files.base import ContentFile

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
        _queue_tipper_mail(locked, "accepted", base_url)
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
        _queue_tipper_mail(locked, "accepted", base_url)
        if action_item.status in (ActionItem.Status.RESOLVED, ActionItem.Status.WONT_FIX):
            _close(locked, action_item.status, base_url)
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
        _close(locked, "declined", base_url)
    tip.refresh_from_db()


def _close(tip: PublicTip, state: str, base_url: str | None) -> None:
    """Send the last update, then erase the address and the tip's own photo (an accepted tip's
    action item keeps its copy): nothing about the sender is kept once the tip is closed."""
    _queue_tipper_mail(tip, state, base_url)
    tip.email = ""
    tip.closed_at = timezone.now()
    if tip.photo:
        name, storage = tip.photo.name, tip.photo.storage
        transaction.on_commit(lambda: storage.delete(name))
        tip.photo = ""
    tip.save(update_fields=["email", "closed_at", "photo"])


def tips_close_for_item(item: ActionItem, base_url: str | None = None) -> None:
    """The action item was resolved or closed: close the tips that follow it (call inside the
    status change's transaction)."""
    for tip in (
        PublicTip.objects.select_for_update()
        .filter(action_item=item, closed_at__isnull=True)
        .select_related("place")
    ):
        _close(tip, item.status, base_url)


def tips_reopen_for_item(item: ActionItem) -> None:
    """A reopened item: its tips are open again (the erased address stays erased)."""
    PublicTip.objects.filter(action_item=item, closed_at__isnull=False).update(closed_at=None)
