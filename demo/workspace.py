"""Demo data for the place workspace: a year of activities, the activity plan (årshjul) with
some gaps, trygghetsvandringar with findings, action items in every state (some overdue) and
their status history.

Called by `seed_demo` after `seed_core`. Idempotent: plan entries are looked up by title, and
the year of activities and action items is created only for a place that has no activities yet.
"""

import datetime as dt

from django.utils import timezone

from places.geo import boundary_rings, point_in_boundary
from places.models import (
    ActionItem,
    ActionItemStatusChange,
    Activity,
    ActivityKind,
    PlannedActivity,
    VisitorCount,
    Webhook,
    WebhookDelivery,
)

# Per place: who logs, who takes part, who answers for public and private ground.
CAST = {
    "mollevangstorget": {
        "manager": "manager",
        "guard": "reporter",
        "city": "malmo_stad",
        "police": "polisen",
        "owners": ["mollan_fastigheter", "torghuset"],
        "guards": "trygg_stad",
        "others": ["mollans_livs", "mollans_vanner", "regiontrafik"],
        "resolvers": {"malmo_stad": "city", "torghuset": "owner", "mollan_fastigheter": "manager"},
        "scale": 1.0,
    },
    "drottninggatan": {
        "manager": "manager_stockholm",
        "guard": "manager_stockholm",
        "city": "stockholms_stad",
        "police": "polisen",
        "owners": ["drottninghuset"],
        "guards": "trygg_stad",
        "others": ["citybutiken", "citysamverkan"],
        "resolvers": {},
        "scale": 0.5,
    },
    "husby-centrum": {
        "manager": "manager_stockholm",
        "guard": "manager_stockholm",
        "city": "stockholms_stad",
        "police": "polisen",
        "owners": ["husby_hem"],
        "guards": None,
        "others": ["husby_apotek", "husby_foretagare", "studieforbundet"],
        "resolvers": {},
        "scale": 0.5,
    },
}

# (kind code, title, recurrence, weekday, month)
PLAN = [
    ("trygghetsvandring", "Trygghetsvandring med polis och stad", "monthly", None, None),
    ("vaktrond", "Väktarrond fredag kväll", "weekly", 4, None),
    ("stadning", "Städrunda måndag morgon", "weekly", 0, None),
    ("samverkansmote", "Samverkansmöte", "monthly", None, None),
    ("belysningsatgard", "Belysningskontroll inför mörkerperioden", "yearly", None, 10),
]

# (category, description, location, public ground?)
FINDINGS = [
    ("belysning", "Gatlampan vid busshållplatsen är släckt.", "Busshållplatsen, norra sidan", True),
    ("belysning", "Mörk passage, två armaturer ur funktion.", "Passagen mot Bergsgatan", False),
    ("klotter", "Nytt klotter på fasaden vid entrén.", "Fasaden vid port 12", False),
    ("klotter", "Taggar på elskåpet.", "Elskåpet vid torgets sydöstra hörn", True),
    ("vegetation", "Buskarna skymmer sikten mot gångvägen.", "Gångvägen bakom förskolan", True),
    ("nedskrapning", "Överfulla papperskorgar efter helgen.", "Torgets mitt", True),
    ("skadegorelse", "Krossad glasruta i busskuren.", "Busskuren vid torget", True),
    ("skadegorelse", "Trasig cykelställsbåge.", "Cykelstället vid livsmedelsbutiken", False),
    ("trafik", "Bilar parkerar på gångbanan vid lastzonen.", "Lastzonen på östra sidan", True),
    (
        "tillganglighet",
        "Trasig kantsten gör det svårt med rullstol.",
        "Övergångsstället mot parken",
        True,
    ),
    ("ovrigt", "Otydlig skyltning till tunnelbanan.", "Entrén till gångtunneln", True),
]

NOTES = {
    "trygghetsvandring": [
        "Kvällsvandring runt torget med polisen och staden. Lugnt, men flera mörka stråk.",
        "Trygghetsvandring med boende och handlare. Fokus på belysning och sikt.",
        "Vandring efter stängning. Gick igenom passager och baksidor.",
    ],
    "vaktrond": [
        "Rond kl 22–02. Lugnt.",
        "Rond kl 22–02. Ordningsstörning vid kiosken, polis kontaktad.",
        "",
    ],
    "stadning": ["Plockade skräp runt torget och tömde papperskorgar.", ""],
    "samverkansmote": ["Månadsmöte: lägesbild, åtgärdspunkter och kommande evenemang."],
    "belysningsatgard": ["Gick igenom all belysning inför hösten tillsammans med staden."],
    "klotterborttagning": ["Sanerade klotter på två fasader och ett elskåp."],
    "evenemang": ["Torgdag med marknad och musik. Många besökare, lugnt."],
}


def _local(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def _point(place, rng):
    """A random point inside the place's boundary (or near its centre)."""
    rings = boundary_rings(place.boundary) if place.boundary else []
    if not rings:
        return place.centre_lat, place.centre_lon
    lons = [p[0] for p in rings[0]]
    lats = [p[1] for p in rings[0]]
    for _attempt in range(50):
        lat = rng.uniform(min(lats), max(lats))
        lon = rng.uniform(min(lons), max(lons))
        if point_in_boundary(place.boundary, lat, lon):
            return round(lat, 6), round(lon, 6)
    return place.centre_lat, place.centre_lon


def _seed_plan(place, kinds, start: dt.date) -> int:
    created = 0
    for code, title, recurrence, weekday, month in PLAN:
        _plan, was_created = PlannedActivity.objects.get_or_create(
            place=place,
            title=title,
            defaults={
                "kind": kinds[code],
                "recurrence": recurrence,
                "weekday": weekday,
                "month": month,
                "starts_on": start,
            },
        )
        created += was_created
    return created


def _year_of_activities(place, cast, ctx, kinds, start: dt.date, today: dt.date):
    """Activities following the plan, with gaps, plus unplanned work. Returns
    (activities, organisation lists, walks)."""
    rng = ctx.rng
    orgs = ctx.orgs
    manager = ctx.users.get(cast["manager"])
    guard = ctx.users.get(cast["guard"]) or manager
    city, police = orgs.get(cast["city"]), orgs.get(cast["police"])
    owners = [orgs[key] for key in cast["owners"] if key in orgs]
    guards = orgs.get(cast["guards"]) if cast["guards"] else None
    others = [orgs[key] for key in cast["others"] if key in orgs]
    scale = cast["scale"]
    planned = []  # (kind code, started_at, minutes, participants, organisations, user)

    # Walks: the first Tuesday evening of each month, except two months that were missed.
    months = []
    day = start
    while day <= today:
        months.append(day)
        day = (day.replace(day=28) + dt.timedelta(days=5)).replace(day=1)
    missed = set(rng.sample(range(1, len(months) - 1), 2))
    for index, month_start in enumerate(months):
        walk_day = month_start + dt.timedelta(days=(1 - month_start.weekday()) % 7)
        if index in missed or walk_day > today:
            continue
        planned.append(
            ("trygghetsvandring", _local(walk_day, 18), 90, rng.randint(5, 12),
             [o for o in (city, police, *owners[:1]) if o], manager)
        )  # fmt: skip
        meeting_day = month_start + dt.timedelta(days=(2 - month_start.weekday()) % 7 + 14)
        if meeting_day <= today and rng.random() < 0.9:
            planned.append(
                ("samverkansmote", _local(meeting_day, 8, 30), 60, rng.randint(6, 14),
                 [o for o in (city, police, *owners, *others[:1]) if o], manager)
            )  # fmt: skip
    # Weekly: guard rounds on Friday nights and cleaning on Monday mornings, a few missed.
    day = start
    while day <= today:
        if day.weekday() == 4 and guards and rng.random() < 0.85 * (1 if scale == 1 else 0.6):
            planned.append(("vaktrond", _local(day, 22), 240, 2, [guards], guard))
        if day.weekday() == 0 and rng.random() < 0.8 * scale:
            planned.append(("stadning", _local(day, 7), 120, 3, owners[:1], manager))
        day += dt.timedelta(days=1)
    # The yearly lighting check in October (done this year), and unplanned work.
    october = dt.date(today.year if today.month >= 10 else today.year - 1, 10, 14)
    if start <= october <= today:
        planned.append(("belysningsatgard", _local(october, 17), 120, 4, [city, *owners], manager))
    for _n in range(int(18 * scale)):
        day = start + dt.timedelta(days=rng.randrange((today - start).days))
        code = rng.choice(["klotterborttagning", "klotterborttagning", "evenemang", "platsvard"])
        planned.append((code, _local(day, rng.randint(9, 16)), rng.choice([60, 90, 180]),
                        rng.randint(1, 6), [rng.choice(owners or others)], manager))  # fmt: skip

    activities, org_lists = [], []
    for code, started_at, minutes, participants, organisations, user in planned:
        if started_at > ctx.now:
            continue
        lat, lon = _point(place, rng) if code != "samverkansmote" else (None, None)
        notes = NOTES.get(code, [""])
        activities.append(
            Activity(
                place=place,
                kind=kinds[code],
                started_at=started_at,
                duration_minutes=minutes,
                participants_count=participants,
                description=rng.choice(notes),
                lat=lat,
                lon=lon,
                logged_by=user,
            )
        )
        org_lists.append([o for o in organisations if o])
    return activities, org_lists


def _findings(place, cast, ctx, walks, today):
    """Action items found on the walks: old ones mostly dealt with, recent ones open, some
    overdue. Returns the number of items."""
    rng = ctx.rng
    orgs = ctx.orgs
    city = orgs.get(cast["city"])
    owners = [orgs[key] for key in cast["owners"] if key in orgs]
    count = 0
    for walk in walks:
        walked_on = timezone.localtime(walk.started_at).date()
        age = (today - walked_on).days
        for category, description, location, public in rng.sample(FINDINGS, rng.randint(1, 3)):
            responsible = city if public or not owners else rng.choice(owners)
            lat, lon = _point(place, rng)
            due = walked_on + dt.timedelta(days=rng.choice([14, 21, 30, 45]))
            item = ActionItem.objects.create(
                place=place,
                category=category,
                description=description,
                location_note=location,
                lat=lat,
                lon=lon,
                responsible_organisation=responsible,
                due_date=due,
                source_activity=walk,
                created_by=walk.logged_by,
                created_at=walk.started_at + dt.timedelta(hours=2),
            )
            count += 1
            # The older the finding, the likelier it has been dealt with; some stay overdue.
            roll = rng.random()
            resolved_share, started_share = (0.75, 0.85) if age > 60 else (0.4, 0.75)
            if age <= 20:
                resolved_share, started_share = 0.0, 0.3
            if roll < resolved_share:
                final = "wont_fix" if roll < 0.04 else "resolved"
            elif roll < started_share:
                final = "in_progress"
            else:
                final = "open"
            _history(item, final, cast, ctx, walked_on)
    return count


def _history(item, final, cast, ctx, found_on):
    if final == "open":
        return
    resolver_key = cast["resolvers"].get(
        next((k for k, o in ctx.orgs.items() if o == item.responsible_organisation), ""),
        cast["manager"],
    )
    who = ctx.users.get(resolver_key) or ctx.users.get(cast["manager"])
    steps = ["in_progress"] if final == "in_progress" else ["in_progress", final]
    when = _local(found_on + dt.timedelta(days=ctx.rng.randint(2, 6)), 10)
    previous = "open"
    notes = {
        "in_progress": "Beställt hos entreprenören.",
        "resolved": "Åtgärdat och kontrollerat på plats.",
        "wont_fix": "Ingår i ombyggnaden nästa år.",
    }
    for status in steps:
        ActionItemStatusChange.objects.create(
            action_item=item,
            from_status=previous,
            to_status=status,
            changed_by=who,
            changed_at=when,
            note=notes[status],
        )
        previous = status
        when += dt.timedelta(days=ctx.rng.randint(3, 15))
    item.status = final
    item.resolved_at = None if final == "in_progress" else when - dt.timedelta(days=1)
    item.save(update_fields=["status", "resolved_at"])


def seed_workspace(ctx) -> None:
    """Plan, a year of activities and the walks' action items for every demo place."""
    kinds = {kind.code: kind for kind in ActivityKind.objects.all()}
    today = timezone.localdate(ctx.now)
    start = (today.replace(day=1) - dt.timedelta(days=335)).replace(day=1)
    totals = {"plans": 0, "activities": 0, "action_items": 0}
    for slug, cast in CAST.items():
        place = ctx.places.get(slug)
        if place is None:
            continue
        totals["plans"] += _seed_plan(place, kinds, start)
        if Activity.objects.filter(place=place).exists():
            continue
        activities, org_lists = _year_of_activities(place, cast, ctx, kinds, start, today)
        Activity.objects.bulk_create(activities)
        through = Activity.organisations.through
        through.objects.bulk_create(
            [
                through(activity_id=activity.pk, organisation_id=org.pk)
                for activity, orgs in zip(activities, org_lists, strict=True)
                for org in {o.pk: o for o in orgs}.values()
            ]
        )
        walks = [a for a in activities if a.kind.code == "trygghetsvandring"]
        totals["activities"] += len(activities)
        totals["action_items"] += _findings(place, cast, ctx, walks, today)
    ctx.say(
        "workspace: {plans} plan entries, {activities} activities, "
        "{action_items} action items".format(**totals)
    )
    seed_visitors(ctx)
    seed_webhooks(ctx)


def seed_webhooks(ctx) -> None:
    """A paused webhook at the square with a short delivery log (issue #15). Paused, so seeding
    and the demo send nothing to the made-up address. Idempotent."""
    from places.services.webhooks import new_secret

    place = ctx.places.get("mollevangstorget")
    if place is None or Webhook.objects.filter(place=place).exists():
        return
    hook = Webhook.objects.create(
        place=place,
        url="https://est.malmo.example/amp-webhook",
        events=["incident.created", "report.ready"],
        secret=new_secret(),
        is_active=False,
        created_by=ctx.users.get("manager"),
    )
    for days_ago, status, code in ((1, "sent", 200), (2, "sent", 200), (3, "failed", 503)):
        moment = ctx.now - dt.timedelta(days=days_ago)
        WebhookDelivery.objects.create(
            webhook=hook,
            event="incident.created",
            event_key=f"incident.created:demo:{days_ago}",
            payload={"event": "incident.created", "place": {"id": place.pk, "slug": place.slug}},
            status=status,
            attempts=1 if status == "sent" else 8,
            response_status=code,
            last_error="" if status == "sent" else f"HTTP {code}",
            created_at=moment,
            sent_at=moment if status == "sent" else None,
        )
    ctx.say("1 webhook (paused) with 3 deliveries")


# Visitors per hour of the day on the square in summer (sensor at the stairs), and the weekday
# and weekend factors: evenings are busy, nights quiet.
SUMMER_HOURLY = [40, 25, 15, 8, 5, 6, 20, 60, 110, 150, 190, 260, 330, 320, 300, 310, 340,
                 380, 400, 390, 330, 240, 150, 80]  # fmt: skip


def last_summer(today: dt.date) -> tuple[dt.date, dt.date]:
    """June–August of the latest summer that has begun: [1 June, 1 September)."""
    year = today.year if today >= dt.date(today.year, 6, 1) else today.year - 1
    return dt.date(year, 6, 1), dt.date(year, 9, 1)


def seed_visitors(ctx) -> None:
    """Summer sensor counts per hour at Möllevångstorget and a few manual counts in the last
    weeks (issue #18). Idempotent: a place with counts keeps them."""
    place = ctx.places.get("mollevangstorget")
    if place is None or VisitorCount.objects.filter(place=place).exists():
        return
    today = timezone.localdate(ctx.now)
    start, end = last_summer(today)
    end = min(end, today)
    rng = ctx.rng
    rows = []
    day = start
    while day < end:
        weekend = 1.3 if day.weekday() >= 4 else 1.0
        for hour, base in enumerate(SUMMER_HOURLY):
            rows.append(
                VisitorCount(
                    place=place,
                    counted_at=_local(day, hour),
                    duration_minutes=60,
                    people=max(0, round(base * weekend * rng.uniform(0.8, 1.2))),
                    source=VisitorCount.Source.SENSOR,
                    sensor="Sensor trapporna",
                )
            )
        day += dt.timedelta(days=1)
    manager = ctx.users.get("manager")
    for days_ago in (3, 10, 17, 24):
        people = rng.randrange(60, 140)
        rows.append(
            VisitorCount(
                place=place,
                counted_at=_local(today - dt.timedelta(days=days_ago), 17, 0),
                duration_minutes=15,
                people=people,
                staying=people // 3,
                passing=people - people // 3,
                location_note="Norra sidan av torget",
                source=VisitorCount.Source.MANUAL,
                recorded_by=manager,
            )
        )
    VisitorCount.objects.bulk_create(rows, batch_size=1000)
    ctx.say(f"{len(rows)} visitor counts")
