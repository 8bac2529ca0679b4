"""Demo data for the public side (issue #14): Möllevångstorget's public page is on, with public
events (the monthly trygghetsvandring residents may join, a market day), tips from the public in
every state — two fixed ("Ni tipsade – vi åtgärdade"), one being dealt with, one waiting, one
declined — and a few resolved action items made public. The figures come from the incidents and
surveys the other demo modules seed.

Called by `seed_demo` after the other area seeds. Idempotent: tips are looked up by text.
"""

import datetime as dt

from django.utils import timezone

from places.models import (
    ActionItem,
    ActionItemStatusChange,
    ActivityKind,
    PlannedActivity,
    PublicTip,
)

SLUG = "mollevangstorget"

# (category, text, days ago, final state, responsible org key, resolution note, offset m N/E)
TIPS = [
    (
        "belysning",
        "Lampan i gången mellan torget och Bergsgatan är trasig, det är helt mörkt på kvällen.",
        40,
        "resolved",
        "malmo_stad",
        "Ny armatur monterad och kontrollerad på kvällen.",
        (60, -40),
    ),
    (
        "nedskrapning",
        "Papperskorgarna vid busshållplatsen är överfulla varje måndag morgon.",
        25,
        "resolved",
        "malmo_stad",
        "Tömning även söndag kväll från och med nu.",
        (-30, 50),
    ),
    (
        "klotter",
        "Nytt klotter på elskåpet vid torgets sydöstra hörn.",
        6,
        "in_progress",
        "torghuset",
        "",
        (-50, 70),
    ),
    (
        "vegetation",
        "Buskarna vid lekplatsen skymmer sikten mot gångvägen.",
        2,
        "received",
        "",
        "",
        (20, 20),
    ),
    (
        "trafik",
        "Det är för många bilar på Södra Förstadsgatan.",
        12,
        "declined",
        "",
        "Gatan ligger utanför torget; vi har skickat tipset vidare till staden.",
        (0, 0),
    ),
]


def _offset(place, north_m, east_m):
    import math

    lat = place.centre_lat + north_m / 111_320
    lon = place.centre_lon + east_m / (111_320 * math.cos(math.radians(place.centre_lat)))
    return round(lat, 6), round(lon, 6)


def _public_plans(place, today):
    walk = ActivityKind.objects.filter(code="trygghetsvandring").first()
    event = ActivityKind.objects.filter(code="evenemang").first() or walk
    if walk is None:
        return
    PlannedActivity.objects.filter(
        place=place, title="Trygghetsvandring med polis och stad"
    ).update(is_public=True, public_time=dt.time(18, 30))
    PlannedActivity.objects.get_or_create(
        place=place,
        title="Trygghetsvandring – boende är välkomna",
        defaults={
            "kind": walk,
            "recurrence": PlannedActivity.Recurrence.MONTHLY,
            "starts_on": today.replace(day=min(today.day, 28)),
            "is_public": True,
            "public_time": dt.time(18, 0),
        },
    )
    PlannedActivity.objects.get_or_create(
        place=place,
        title="Torgdag med marknad och musik",
        defaults={
            "kind": event,
            "recurrence": PlannedActivity.Recurrence.MONTHLY,
            "starts_on": (today + dt.timedelta(days=10)).replace(day=1) + dt.timedelta(days=13),
            "is_public": True,
            "public_time": dt.time(11, 0),
        },
    )


def _tip(place, ctx, row, now):
    category, text, days, state, org_key, note, (north, east) = row
    if PublicTip.objects.filter(place=place, description=text).exists():
        return 0
    manager = ctx.users.get("manager")
    received = now - dt.timedelta(days=days, hours=3)
    lat, lon = _offset(place, north, east)
    tip = PublicTip(
        place=place,
        category=category,
        description=text,
        lat=lat,
        lon=lon,
        language="sv",
        created_at=received,
    )
    if state == "received":
        tip.email = "boende@example.net"
        tip.save()
        return 1
    tip.moderated_by = manager
    tip.moderated_at = received + dt.timedelta(hours=20)
    if state == "declined":
        tip.status = PublicTip.Status.DECLINED
        tip.decline_reason = note
        tip.closed_at = tip.moderated_at
        tip.save()
        return 1
    item = ActionItem.objects.create(
        place=place,
        category=category,
        description=text,
        lat=lat,
        lon=lon,
        responsible_organisation=ctx.orgs.get(org_key),
        created_by=manager,
        created_at=tip.moderated_at,
        is_public=True,
        due_date=(tip.moderated_at + dt.timedelta(days=14)).date(),
    )
    changed = tip.moderated_at + dt.timedelta(days=2)
    ActionItemStatusChange.objects.create(
        action_item=item,
        from_status="open",
        to_status="in_progress",
        changed_by=manager,
        changed_at=changed,
        note="Beställt hos entreprenören.",
    )
    item.status = ActionItem.Status.IN_PROGRESS
    if state == "resolved":
        changed += dt.timedelta(days=5)
        ActionItemStatusChange.objects.create(
            action_item=item,
            from_status="in_progress",
            to_status="resolved",
            changed_by=manager,
            changed_at=changed,
            note=note,
        )
        item.status = ActionItem.Status.RESOLVED
        item.resolved_at = changed
        tip.closed_at = changed
    item.save(update_fields=["status", "resolved_at"])
    tip.status = PublicTip.Status.ACCEPTED
    tip.action_item = item
    tip.save()
    return 1


def seed(ctx) -> None:
    place = ctx.places.get(SLUG)
    if place is None:
        return
    now = ctx.now or timezone.now()
    today = timezone.localdate(now)
    place.public_page_enabled = True
    place.save(update_fields=["public_page_enabled"])
    _public_plans(place, today)
    created = sum(_tip(place, ctx, row, now) for row in TIPS)
    # A few of the walks' resolved findings are shown too ("vi åtgärdade").
    ids = list(
        ActionItem.objects.filter(
            place=place, status=ActionItem.Status.RESOLVED, category__in=["belysning", "klotter"]
        )
        .order_by("-resolved_at")
        .values_list("pk", flat=True)[:3]
    )
    ActionItem.objects.filter(pk__in=ids).update(is_public=True)
    ctx.say(f"public side: {SLUG} public page on, {created} tips from the public")
