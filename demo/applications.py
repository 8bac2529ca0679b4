"""Demo data for applications (Malmö stad's model): one application in each state.

The demo applicant (applicant@example.org, Husby Företagarförening) has an approved application
that started the place "Husby gård" – through the real approval service – one with changes
requested and a draft, which waits for Polismyndigheten (police@example.org) to answer whether
it is a co-applicant. Other organisations' applications fill the reviewer's queue
(reviewer@example.org): submitted, in review with assessments, rejected and withdrawn.

Idempotent: each application is looked up by its reference and created only once. No e-mail is
sent (the demo users are not real people).
"""

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from partnerships.models import (
    CRITERIA,
    ApplicationEvent,
    ApplicationParty,
    PartnershipApplication,
)
from partnerships.services import applications as services
from places.models import Activity, ActivityKind, Place


def _ring(lon, lat, dlon, dlat):
    return {
        "type": "Polygon",
        "coordinates": [
            [
                [lon - dlon, lat - dlat],
                [lon + dlon, lat - dlat],
                [lon + dlon, lat + dlat],
                [lon - dlon, lat + dlat],
                [lon - dlon, lat - dlat],
            ]
        ],
    }


ANSWERS = {
    "mixed_actors": (
        "Fastighetsägare, handlare och en förening står bakom förslaget och har tagit fram det "
        "tillsammans under våren."
    ),
    "established_trust": (
        "Vi har samverkat kring städdagar och trygghetsvandringar i två år och träffas varje "
        "månad. De boende deltar via föreningen."
    ),
    "commitment": (
        "Varje part bidrar med pengar eller timmar och tar ansvar för minst en aktivitet – se "
        "tabellen över åtaganden."
    ),
    "added_value": (
        "Tillsammans kan vi arbeta med hela stråket i stället för fastighet för fastighet, och "
        "samordna belysning, städning och evenemang."
    ),
}

# reference number: spec. Parties: (organisation key, money, hours, responsibility); the first
# is the lead, all have agreed. "requests" are co-applicants asked but not yet answering.
# "flow" is the list of transitions to run, in order.
APPLICATIONS = {
    1: {
        "title": "Tryggare Husby gård",
        "area_name": "Husby gård",
        "area_description": "Gården och gångstråken mellan centrum och bostadsområdet.",
        "boundary": _ring(17.9300, 59.4115, 0.0016, 0.0008),
        "created_by": "applicant",
        "parties": [
            ("husby_foretagare", "150000", "200", "Samordnar och leder trygghetsvandringar."),
            ("husby_hem", "250000", "100", "Belysning, städning och platsvård på gården."),
            ("husby_apotek", "20000", "20", "Deltar i evenemang och lägesbilden."),
        ],
        "requested": "420000",
        "flow": ["submit", "start_review", "approve"],
        "assessments": [
            ("mixed_actors", "met"),
            ("established_trust", "met"),
            ("commitment", "met"),
            ("added_value", "met"),
        ],
        "municipality": "Stockholm",
        "days_ago": 150,
        "followup": {
            "followup_numbers": "Tolv trygghetsvandringar och 38 åtgärdade åtgärdspunkter.",
            "followup_stories": (
                "Gårdsfesten i augusti samlade många boende och ledde till en ny läxhjälpsgrupp."
            ),
            "followup_unexpected": "Fler butiker vill gå med än vi räknade med.",
        },
    },
    2: {
        "title": "Trygga stråk i Husby",
        "area_name": "Husbystråket",
        "area_description": "Gångstråket från tunnelbanan till skolan.",
        "boundary": _ring(17.9250, 59.4090, 0.0020, 0.0006),
        "created_by": "applicant",
        "parties": [
            ("husby_foretagare", "50000", "80", "Trygghetsvandringar."),
            ("studieforbundet", "0", "120", "Kvällsaktiviteter för unga."),
        ],
        "requested": "100000",
        "flow": ["submit", "start_review", "request_changes"],
        "message": (
            "Beskriv hur de boende involveras och komplettera budgeten med fastighetsägarens "
            "del. Vilka resultat förväntar ni er efter ett år?"
        ),
        "days_ago": 20,
    },
    3: {
        "title": "Levande Husby torg",
        "area_name": "Husby torg",
        "created_by": "applicant",
        "parties": [("husby_foretagare", "0", "0", "")],
        "requests": [("polisen", "0", "24", "Deltar i trygghetsvandringarna på torget.")],
        "flow": [],
        "incomplete": True,
        "days_ago": 3,
    },
    4: {
        "title": "Sofielund i samverkan",
        "area_name": "Sofielund",
        "area_description": "Industri, verkstäder och bostäder kring Lantmannagatan.",
        "boundary": _ring(13.0140, 55.5880, 0.0030, 0.0015),
        "created_by": "manager",
        "parties": [
            ("mollan_fastigheter", "300000", "0", "Städning och belysning."),
            ("mollans_vanner", "0", "150", "Trygghetsvandringar och grannsamverkan."),
            ("mollans_livs", "25000", "40", "Torgdagar."),
        ],
        "requested": "325000",
        "flow": ["submit"],
        "days_ago": 9,
    },
    5: {
        "title": "Rörsjöstaden tillsammans",
        "area_name": "Rörsjöstaden",
        "area_description": "Kvarteren kring Rörsjöparken.",
        "boundary": _ring(13.0080, 55.6030, 0.0025, 0.0012),
        "created_by": "owner",
        "parties": [
            ("torghuset", "200000", "0", "Platsvård."),
            ("mollans_vanner", "0", "60", "Evenemang i parken."),
        ],
        "requested": "200000",
        "flow": ["submit", "start_review"],
        "assessments": [("mixed_actors", "met"), ("established_trust", "partly")],
        "note": "Fråga om föreningens förankring bland de boende vid nästa möte.",
        "days_ago": 16,
    },
    6: {
        "title": "Nattliv på Drottninggatan",
        "area_name": "Drottninggatan norra",
        "area_description": "Den norra delen av gatan kvällstid.",
        "boundary": _ring(18.0600, 59.3380, 0.0010, 0.0030),
        "created_by": "outsider",
        "parties": [
            ("citybutiken", "50000", "0", "Öppna skyltfönster kvällstid."),
            ("trygg_stad", "0", "300", "Extra väktarronder."),
        ],
        "requested": "50000",
        "flow": ["submit", "start_review", "reject"],
        "assessments": [
            ("mixed_actors", "partly"),
            ("established_trust", "not_met"),
            ("commitment", "met"),
            ("added_value", "partly"),
        ],
        "reason": (
            "Förslaget bygger främst på bevakning och saknar förankring hos de som bor i "
            "området (kriterium 2). Ni är välkomna att söka igen med fler aktörer."
        ),
        "days_ago": 45,
    },
    7: {
        "title": "Grönare Ängsgatan",
        "area_name": "Ängsgatan",
        "area_description": "En kort gata med förskola och lokaler i bottenvåningarna.",
        "boundary": _ring(13.0000, 55.5950, 0.0008, 0.0004),
        "created_by": "member",
        "parties": [
            ("mollans_livs", "10000", "10", "Planteringar."),
            ("mollans_vanner", "0", "30", "Planteringsdag."),
        ],
        "requested": "10000",
        "flow": ["submit", "withdraw"],
        "days_ago": 30,
    },
}


def seed(ctx) -> None:
    reviewer = ctx.users["reviewer"]
    year = timezone.localdate(ctx.now).year  # Stockholm, not UTC: at new year they differ
    created = 0
    with services.mail_muted():
        for number, spec in APPLICATIONS.items():
            reference = f"SAM-{year}-{number:04d}"
            existing = PartnershipApplication.objects.filter(reference=reference).first()
            if existing:
                if existing.place_id:
                    ctx.places[existing.place.slug] = existing.place
                continue
            application = _create(ctx, reference, spec)
            _run_flow(ctx, application, spec, reviewer)
            _backdate(application, ctx.now - dt.timedelta(days=spec["days_ago"]))
            created += 1
    ctx.say(f"{created} applications created ({len(APPLICATIONS)} in the demo)")


def _create(ctx, reference, spec):
    author = ctx.users[spec["created_by"]]
    lead_key = spec["parties"][0][0]
    application = PartnershipApplication(
        reference=reference,
        title=spec["title"],
        area_name=spec.get("area_name", ""),
        area_description=spec.get("area_description", ""),
        area_boundary=spec.get("boundary"),
        lead_organisation=ctx.orgs[lead_key],
        created_by=author,
    )
    if not spec.get("incomplete"):
        money = sum(Decimal(p[1]) for p in spec["parties"])
        application.purpose = "Ett tryggare, renare och mer levande " + spec["area_name"] + "."
        application.planned_activities = (
            "Trygghetsvandringar varje månad, städdagar vår och höst, belysningsinventering och "
            "två evenemang per år."
        )
        application.expected_results = (
            "Färre skadegörelser, högre trygghetsindex i mätningen och fler aktörer som deltar."
        )
        for code, _label, _help in CRITERIA:
            setattr(application, f"answer_{code}", ANSWERS[code])
        application.time_plan = "Start i januari, första uppföljning efter sex månader."
        application.requested_support_sek = Decimal(spec["requested"])
        application.budget_total_sek = money + Decimal(spec["requested"])
    application.full_clean()
    application.save()
    for index, (org_key, money, hours, responsibility) in enumerate(spec["parties"]):
        ApplicationParty.objects.create(
            application=application,
            organisation=ctx.orgs[org_key],
            role=ApplicationParty.Role.LEAD if index == 0 else ApplicationParty.Role.CO_APPLICANT,
            commits_money_sek=Decimal(money),
            commits_hours=Decimal(hours),
            commits_responsibility=responsibility,
            consent=ApplicationParty.Consent.ACCEPTED,
        )
    ApplicationEvent.objects.create(application=application, actor=author, action="created")
    for org_key, money, hours, responsibility in spec.get("requests", []):
        ApplicationParty.objects.create(
            application=application,
            organisation=ctx.orgs[org_key],
            role=ApplicationParty.Role.CO_APPLICANT,
            commits_money_sek=Decimal(money),
            commits_hours=Decimal(hours),
            commits_responsibility=responsibility,
            consent=ApplicationParty.Consent.PENDING,
        )
        ApplicationEvent.objects.create(
            application=application,
            actor=author,
            action="co_applicant_requested",
            note=ctx.orgs[org_key].name,
        )
    return application


def _run_flow(ctx, application, spec, reviewer):
    author = ctx.users[spec["created_by"]]
    for step in spec["flow"]:
        application.refresh_from_db()
        if step == "submit":
            services.application_submit(application=application, actor=author)
        elif step == "start_review":
            services.application_start_review(application=application, actor=reviewer)
            # Assessed in review, before any decision (a decision needs them or a reason).
            services.assessments_save(
                application=application,
                actor=reviewer,
                verdicts={code: (verdict, "") for code, verdict in spec.get("assessments", [])},
            )
        elif step == "request_changes":
            services.application_request_changes(
                application=application, actor=reviewer, message=spec["message"]
            )
        elif step == "reject":
            services.application_reject(
                application=application, actor=reviewer, reason=spec["reason"]
            )
        elif step == "withdraw":
            services.application_withdraw(application=application, actor=author)
        elif step == "approve":
            plan = services.approval_proposal(application, municipality=spec["municipality"])
            plan.reason = (
                "Alla fyra kriterier är uppfyllda: en blandad grupp med etablerad samverkan, "
                "tydliga åtaganden och ett mervärde som ingen part når ensam."
            )
            for item in plan.parties:
                # Value the hours in kind at 400 kr per hour for the demo.
                item.in_kind_value_sek = item.in_kind_hours * 400
            place = services.application_approve(application=application, actor=reviewer, plan=plan)
            ctx.places[place.slug] = place
            services.application_followup_update(
                application=application, actor=author, data=spec["followup"]
            )
    if spec.get("note"):
        services.review_note_add(application=application, actor=reviewer, text=spec["note"])


def _backdate(application, start):
    """Spread the timeline from `start` to now, so the queue shows days waiting and the
    approved place has a history for its follow-up."""
    application.refresh_from_db()
    shift = dt.timedelta(days=1)
    events = list(application.events.order_by("pk"))
    for index, event in enumerate(events):
        ApplicationEvent.objects.filter(pk=event.pk).update(created_at=start + index * shift)
    changes = {"created_at": start}
    if application.submitted_at:
        changes["submitted_at"] = start + shift
    if application.decided_at:
        changes["decided_at"] = start + (len(events) - 1) * shift
    PartnershipApplication.objects.filter(pk=application.pk).update(**changes)
    if application.place_id:
        place = application.place
        Place.objects.filter(pk=place.pk).update(created_at=changes.get("decided_at", start))
        _place_history(place, since=changes.get("decided_at", start), user=application.created_by)
        _followup_results(
            place, since=changes.get("decided_at", start), user=application.created_by
        )


def _place_history(place, *, since, user):
    """A few activities and incidents since the start, so the follow-up has figures."""
    if Activity.objects.filter(place=place).exists():
        return
    kinds = list(ActivityKind.objects.filter(is_active=True).order_by("order")[:3])
    if not kinds:
        return
    for week in range(0, 20, 2):
        Activity.objects.create(
            place=place,
            kind=kinds[week % len(kinds)],
            started_at=since + dt.timedelta(days=7 * week + 3, hours=17),
            duration_minutes=90,
            participants_count=4 + week % 5,
            description="Gemensam runda på gården.",
            logged_by=user,
        )
    from safety.models import Incident, IncidentCategory

    categories = list(IncidentCategory.objects.filter(code__in=["klotter", "nedskrapning"]))
    # Fewer incidents month by month: the story the follow-up is meant to show, if it holds.
    for month, count in enumerate([5, 4, 4, 2, 2]):
        for index in range(count):
            Incident.objects.create(
                place=place,
                category=categories[index % len(categories)],
                occurred_at=since + dt.timedelta(days=30 * month + 2 + index * 5, hours=21),
                description="Klotter på gårdens vägg." if index % 2 == 0 else "Skräp vid entrén.",
                reported_by=user,
            )


def _followup_results(place, *, since, user):
    """What the city's follow-up asks for (issue #18): a measure with its effect, and the
    members' social outcomes. Idempotent: a place with an intervention keeps its story."""
    import random

    from partnerships.models import Membership, SocialOutcome
    from safety.models import Incident, IncidentCategory, Intervention

    if Intervention.objects.filter(place=place).exists():
        return
    rng = random.Random(18)
    start = timezone.localtime(since).date() + dt.timedelta(days=88)
    lat, lon = place.centre_lat, place.centre_lon
    graffiti = IncidentCategory.objects.get(code="klotter")
    intervention = Intervention.objects.create(
        place=place,
        title="Belysning och klotterskydd vid gårdens port",
        description="Ny belysning och klotterskyddad yta vid porten mot torget.",
        starts_on=start,
        lat=lat,
        lon=lon,
        radius_m=30,
        window_weeks=12,
        created_by=user,
    )
    intervention.categories.set([graffiti])
    days = (timezone.localdate() - start).days
    rows = []
    # In the area: 30 before, 9 so far after; elsewhere on the estate about the same, 24 and 22.
    before = start - dt.timedelta(days=days)
    for count, first, offset in ((30, before, 0), (9, start, 0), (24, before, 1), (22, start, 1)):
        for _n in range(count):
            day = first + dt.timedelta(days=rng.randrange(max(days, 1)))
            rows.append(
                Incident(
                    place=place,
                    category=graffiti,
                    occurred_at=timezone.make_aware(dt.datetime.combine(day, dt.time(21, 30))),
                    description="Klotter på gårdens vägg.",
                    lat=lat + (0.0009 * offset) + rng.uniform(-0.0001, 0.0001),
                    lon=lon + (0.0012 * offset) + rng.uniform(-0.0001, 0.0001),
                    reported_by=user,
                )
            )
    Incident.objects.bulk_create(rows)
    year = timezone.localdate().year
    for index, membership in enumerate(Membership.objects.filter(place=place).order_by("pk")):
        SocialOutcome.objects.get_or_create(
            organisation=membership.organisation,
            place=place,
            year=year,
            defaults={
                "local_jobs_target": 2 + index,
                "local_jobs": 1 + index,
                "summer_jobs_target": 5,
                "summer_jobs": 6 - index,
                "local_purchases_target_sek": Decimal("80000"),
                "local_purchases_sek": Decimal(60000 + 15000 * index),
            },
        )
