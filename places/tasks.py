"""Background jobs of the place workspace."""

from celery import shared_task
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from .links import absolute_url
from .models import ActionItem

NOTIFIED_KEY = "places:assigned:{item}:{org}:{stamp}"
NOTIFIED_TTL = 7 * 24 * 3600


@shared_task(
    name="places.notify_action_items_assigned",
    soft_time_limit=60,
    time_limit=90,
    autoretry_for=(ConnectionError, TimeoutError),
    retry_backoff=True,
    max_retries=5,
)
def notify_action_items_assigned(
    action_item_ids: list[int], organisation_id: int, base_url: str | None = None
) -> int:
    """E-mail the people whose role at the items' place represents `organisation_id` that these
    action items were assigned to their organisation. Links start with `base_url` (the scheme
    and host of the request that assigned them) or, without one, SITE_URL.

    Runs on commit after an action item is created or reassigned. Changes nothing in the
    database. Idempotent: an item still assigned to that organisation is announced once per
    assignment (a cache key per item, organisation and last change, set once all mails are
    sent), and items reassigned or
    deleted in the meantime are skipped. Returns the number of e-mails sent.
    """
    items = list(
        ActionItem.objects.filter(
            pk__in=action_item_ids, responsible_organisation_id=organisation_id
        )
        .select_related("place", "responsible_organisation")
        .order_by("pk")
    )
    keys = {
        item.pk: NOTIFIED_KEY.format(
            item=item.pk, org=organisation_id, stamp=item.updated_at.isoformat()
        )
        for item in items
    }
    already = cache.get_many(list(keys.values()))
    fresh = [item for item in items if keys[item.pk] not in already]
    if not fresh:
        return 0
    place = fresh[0].place
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
    sent = 0
    for user in recipients:
        with translation.override(user.preferred_language or settings.LANGUAGE_CODE):
            context = {
                "user": user,
                "place": place,
                "organisation": fresh[0].responsible_organisation,
                "items": [
                    {
                        "item": item,
                        "url": absolute_url(
                            reverse(
                                "places:action_item_detail",
                                kwargs={"slug": place.slug, "pk": item.pk},
                            ),
                            base_url=base_url,
                        ),
                    }
                    for item in fresh
                ],
            }
            subject = render_to_string("places/email/action_items_assigned_subject.txt", context)
            body = render_to_string("places/email/action_items_assigned.txt", context)
        send_mail(" ".join(subject.split()), body, None, [user.email])
        sent += 1
    # Marked only after every mail went out: a retry may repeat a mail but never loses one.
    cache.set_many({keys[item.pk]: 1 for item in fresh}, NOTIFIED_TTL)
    return sent
