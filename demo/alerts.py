"""Demo data for the coordinated plan and alerts (issue #13): Möllevångstorget's plan in two
published versions with partial confirmations, and a past alert with answers and an
escalation. Idempotent: skipped once the place has a published version."""

import datetime as dt

from places.models import Notification, PlaceRole
from safety.models import (
    Alert,
    AlertAnswer,
    AlertDelivery,
    ContactLink,
    PlanConfirmation,
    PlanVersion,
)
from safety.services.alerts import _snapshot, plan_for

PLACE = "mollevangstorget"
# scenario title: [(organisation key, what they do, functional number)]
CHAINS = {
    "Störande grupp vid torget": [
        ("trygg_stad", "Väktare går dit, två och två", "040-12 34 50"),
        ("polisen", "Kommunpolisen bedömer och agerar", "114 14"),
        ("mollan_fastigheter", "Fastighetsjouren informerar hyresgästerna", "040-12 00 00"),
    ],
    "Brand och utrymning": [
        ("mollan_fastigheter", "Fastighetsjouren möter räddningstjänsten", "040-12 00 00"),
        ("trygg_stad", "Väktare hjälper till vid utrymningen", "040-12 34 50"),
    ],
    "Hot mot personal": [
        ("trygg_stad", "Väktare stöttar personalen", "040-12 34 50"),
        ("polisen", "Polisen", "114 14"),
    ],
}


def seed(ctx) -> None:
    place = ctx.places.get(PLACE)
    if place is None or PlanVersion.objects.filter(plan__place=place).exists():
        return
    plan = plan_for(place)
    scenarios = {s.title: s for s in plan.scenarios.all()}
    for title, chain in CHAINS.items():
        for position, (org_key, task, phone) in enumerate(chain, start=1):
            ContactLink.objects.get_or_create(
                scenario=scenarios[title],
                position=position,
                defaults={"organisation": ctx.orgs[org_key], "task": task, "phone": phone},
            )
    manager = ctx.users["manager"]
    first = PlanVersion.objects.create(
        plan=plan,
        number=1,
        content=_snapshot(plan),
        note="Första versionen efter samverkansmötet.",
        published_at=ctx.now - dt.timedelta(days=90),
        published_by=manager,
    )
    crowd = scenarios["Störande grupp vid torget"]
    crowd.steps += "\nMeddela butikerna runt torget via appen."
    crowd.save(update_fields=["steps"])
    second = PlanVersion.objects.create(
        plan=plan,
        number=2,
        content=_snapshot(plan),
        note="Butikerna informeras vid störande grupp.",
        published_at=ctx.now - dt.timedelta(days=12),
        published_by=manager,
    )
    roles = {r.user_id: r for r in PlaceRole.objects.filter(place=place).select_related("user")}
    # Everyone confirmed version 1; only the manager and the guards have confirmed version 2.
    for role in roles.values():
        PlanConfirmation.objects.get_or_create(
            version=first,
            user=role.user,
            defaults={
                "organisation_id": role.organisation_id,
                "confirmed_at": first.published_at + dt.timedelta(days=2),
            },
        )
    for key in ("manager", "reporter"):
        user = ctx.users[key]
        PlanConfirmation.objects.get_or_create(
            version=second,
            user=user,
            defaults={
                "organisation_id": roles[user.pk].organisation_id,
                "confirmed_at": second.published_at + dt.timedelta(days=1),
            },
        )
    _past_alert(ctx, place, crowd)
    ctx.say("Coordinated plan v1 and v2 (partly confirmed), one past alert with an escalation")


def _past_alert(ctx, place, scenario) -> None:
    reporter, manager, member = ctx.users["reporter"], ctx.users["manager"], ctx.users["member"]
    sent = (ctx.now - dt.timedelta(days=3)).replace(hour=21, minute=40, second=0, microsecond=0)
    alert = Alert.objects.create(
        place=place,
        scenario=scenario,
        text="Stökig grupp vid fontänen som kastar flaskor",
        severity=Alert.Severity.HIGH,
        lat=place.centre_lat,
        lon=place.centre_lon,
        sent_by=reporter,
        created_at=sent,
        escalation_level=2,
        closed_at=sent + dt.timedelta(minutes=48),
        closed_by=manager,
        outcome=Alert.Outcome.POLICE,
    )
    links = list(scenario.links.order_by("position"))
    rows = [
        AlertDelivery(
            alert=alert,
            channel=AlertDelivery.Channel.EMAIL,
            recipient=f"user:{user.pk}",
            user=user,
            status=AlertDelivery.Status.SENT,
            sent_at=sent + dt.timedelta(seconds=4),
        )
        for user in (manager, member)
    ] + [
        AlertDelivery(
            alert=alert,
            channel=AlertDelivery.Channel.SMS,
            recipient=f"link:{link.pk}",
            link=link,
            level=level,
            status=AlertDelivery.Status.SENT,
            sent_at=sent + dt.timedelta(minutes=0 if level == 1 else scenario.escalation_minutes),
        )
        for level, link in enumerate(links[:2], start=1)
    ]
    AlertDelivery.objects.bulk_create(rows)
    roles = {r.user_id: r.organisation_id for r in PlaceRole.objects.filter(place=place)}
    for user, answer, minutes in (
        (member, AlertAnswer.Answer.SEEN, 3),
        (manager, AlertAnswer.Answer.ACTING, 14),
    ):
        AlertAnswer.objects.create(
            alert=alert,
            user=user,
            organisation_id=roles.get(user.pk),
            answer=answer,
            answered_at=sent + dt.timedelta(minutes=minutes),
        )
    Notification.objects.bulk_create(
        [
            Notification(
                user=user,
                place=place,
                kind="alert",
                object_key=f"alert:{alert.pk}",
                title=f"Larm vid {place.name}: {alert.text}",
                url=alert.get_absolute_url(),
                created_at=sent,
                read_at=sent + dt.timedelta(minutes=5),
            )
            for user in (manager, member)
        ],
        ignore_conflicts=True,
    )
