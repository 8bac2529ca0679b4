"""What a tipper hears after moderation (issue #14): the tracking page's address, the update
mail in the tipper's language, and closing a tip — the last update, then its e-mail address and
photo erased — also when the action item it follows is resolved, closed or reopened."""

from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from ..links import absolute_url
from ..models import ActionItem, PublicTip
from ..outbox import Mail, outbox_add


def tracking_path(tip: PublicTip) -> str:
    return reverse(
        "places_public:tip_status", kwargs={"place_slug": tip.place.slug, "token": tip.token}
    )


def tipper_mail_queue(tip: PublicTip, state: str, base_url: str | None) -> None:
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


def tip_close(tip: PublicTip, state: str, base_url: str | None) -> None:
    """Send the last update, then erase the address and the tip's own photo (an accepted tip's
    action item keeps its copy): nothing about the sender is kept once the tip is closed."""
    tipper_mail_queue(tip, state, base_url)
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
        tip_close(tip, item.status, base_url)


def tips_reopen_for_item(item: ActionItem) -> None:
    """A reopened item: its tips are open again (the erased address stays erased)."""
    PublicTip.objects.filter(action_item=item, closed_at__isnull=False).update(closed_at=None)
