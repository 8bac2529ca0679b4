"""Demo data for funding and invitations (AMP's 50/50 rule of thumb).

This year: paid, partly paid, overdue and in-kind commitments with their payments; last year
at Möllevångstorget fully paid, for the year switch. Invitations: pending, expired and
accepted. Idempotent: budgets by (place, year), commitments only when a place has none for the
year, invitations by (place, e-mail).
"""

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from partnerships.models import AnnualBudget, FundingCommitment, Invitation, Payment, SocialOutcome

# slug: (target, [(org key, kind, amount, paid, status, due in days from today, hours, work)])
# Negative due days are in the past: with money outstanding, those commitments are overdue.
IN_KIND_GUARDS = "Väktartimmar kvällstid och städning av torget"
FUNDING = {
    "mollevangstorget": (
        Decimal("1200000"),
        [
            ("malmo_stad", "cash", "600000", ["300000", "300000"], "paid", -120, None, ""),
            ("mollan_fastigheter", "cash", "250000", ["250000"], "paid", -90, None, ""),
            ("torghuset", "cash", "150000", ["75000"], "invoiced", -50, None, ""),
            ("mollans_livs", "cash", "30000", [], "confirmed", -20, None, ""),
            ("trygg_stad", "in_kind", "120000", ["80000"], "confirmed", 40, "200", IN_KIND_GUARDS),
            (
                "regiontrafik",
                "in_kind",
                "40000",
                [],
                "pledged",
                70,
                "60",
                "Städning vid hållplatsen",
            ),
        ],
    ),
    "drottninggatan": (
        Decimal("2000000"),
        [
            ("stockholms_stad", "cash", "1000000", ["1000000"], "paid", -150, None, ""),
            ("drottninghuset", "cash", "600000", ["300000"], "invoiced", -30, None, ""),
            ("citybutiken", "cash", "100000", [], "pledged", 35, None, ""),
        ],
    ),
    "husby-centrum": (
        Decimal("900000"),
        [
            ("stockholms_stad", "cash", "450000", ["450000"], "paid", -100, None, ""),
            ("husby_hem", "cash", "300000", ["150000", "150000"], "paid", -60, None, ""),
            (
                "husby_foretagare",
                "in_kind",
                "60000",
                [],
                "confirmed",
                25,
                "150",
                "Kvällsvandringar och städdagar",
            ),
        ],
    ),
}

# Last year at Möllevångstorget: all paid, so the year switch shows a finished year.
LAST_YEAR = {
    "mollevangstorget": (
        Decimal("1100000"),
        [
            ("malmo_stad", "550000"),
            ("mollan_fastigheter", "250000"),
            ("torghuset", "150000"),
            ("mollans_livs", "25000"),
        ],
    )
}

# (place slug, e-mail, role, organisation key, invited by, state)
INVITATIONS = [
    ("mollevangstorget", "ny.vaktare@example.org", "reporter", "trygg_stad", "manager", "pending"),
    ("mollevangstorget", "lena.torg@example.org", "reader", "torghuset", "manager", "expired"),
    ("mollevangstorget", "owner@example.org", "reader", "torghuset", "manager", "accepted"),
    (
        "drottninggatan",
        "ny.butik@example.org",
        "reader",
        "citybutiken",
        "manager_stockholm",
        "pending",
    ),
]


def _commit(ctx, place, year, org_key, kind, amount, payments, status, due, hours, work):
    amount = Decimal(amount)
    paid_amounts = [Decimal(p) for p in payments]
    commitment = FundingCommitment.objects.create(
        organisation=ctx.orgs[org_key],
        place=place,
        year=year,
        kind=kind,
        amount_sek=amount,
        in_kind_hours=Decimal(hours) if hours else None,
        in_kind_description=work,
        status=status,
        amount_paid=sum(paid_amounts, Decimal("0")),
        due_date=due,
    )
    today = timezone.localdate(ctx.now)
    for index, paid in enumerate(paid_amounts):
        # Payments spread before today, the latest last; amount_paid is their sum (above).
        paid_on = min(due + dt.timedelta(days=10 * index), today - dt.timedelta(days=1))
        Payment.objects.create(
            commitment=commitment,
            amount_sek=paid,
            paid_on=paid_on,
            recorded_by=ctx.users.get("manager"),
        )
    return commitment


def _seed_year(ctx, slug, year, target, rows) -> None:
    place = ctx.places[slug]
    AnnualBudget.objects.get_or_create(
        place=place,
        year=year,
        defaults={"target_sek": target, "municipal_share_sek": target / 2},
    )
    if FundingCommitment.objects.filter(place=place, year=year).exists():
        return
    for row in rows:
        _commit(ctx, place, year, *row)


def _seed_invitations(ctx) -> None:
    now = ctx.now
    for slug, email, role, org_key, inviter, state in INVITATIONS:
        created = now - dt.timedelta(days={"pending": 2, "expired": 20, "accepted": 40}[state])
        defaults = {
            "role": role,
            "organisation": ctx.orgs[org_key],
            "invited_by": ctx.users.get(inviter),
            "created_at": created,
            "expires_at": created + dt.timedelta(days=14),
            "sent_at": created,
        }
        if state == "accepted":
            defaults["accepted_at"] = created + dt.timedelta(days=1)
            defaults["accepted_by"] = ctx.users.get("owner")
        Invitation.objects.get_or_create(place=ctx.places[slug], email=email, defaults=defaults)


def seed(ctx) -> None:
    today = timezone.localdate(ctx.now)
    year = today.year
    for slug, (target, rows) in FUNDING.items():
        dated = [
            (org, kind, amount, payments, status, today + dt.timedelta(days=due), hours, work)
            for org, kind, amount, payments, status, due, hours, work in rows
        ]
        _seed_year(ctx, slug, year, target, dated)
    for slug, (target, rows) in LAST_YEAR.items():
        due = dt.date(year - 1, 3, 31)
        dated = [(org, "cash", amount, [amount], "paid", due, None, "") for org, amount in rows]
        _seed_year(ctx, slug, year - 1, target, dated)
    _seed_invitations(ctx)
    seed_social_outcomes(ctx)
    ctx.say(
        f"{FundingCommitment.objects.count()} funding commitments, "
        f"{Payment.objects.count()} payments, {Invitation.objects.count()} invitations"
    )


# Social clauses at the square (issue #18): (organisation, year offset, local jobs target/result,
# internships, summer jobs, local purchases SEK target/result) – counts and amounts only.
SOCIAL_OUTCOMES = {
    "mollevangstorget": [
        ("mollan_fastigheter", 0, (3, 2), (4, 4), (6, 7), ("250000", "180000")),
        ("torghuset", 0, (1, 1), (2, 1), (4, 4), ("120000", "135000")),
        ("malmo_stad", 0, (None, None), (5, 3), (20, 18), (None, None)),
        ("mollan_fastigheter", -1, (2, 2), (3, 3), (5, 5), ("200000", "210000")),
        ("torghuset", -1, (1, 0), (2, 2), (3, 4), ("100000", "90000")),
    ],
}


def seed_social_outcomes(ctx) -> None:
    """Targets and results under social clauses for the square's members, this year and last.
    Idempotent: one row per organisation, place and year (get_or_create)."""
    year = timezone.localdate(ctx.now).year
    for slug, rows in SOCIAL_OUTCOMES.items():
        place = ctx.places.get(slug)
        if place is None:
            continue
        for org_key, offset, jobs, internships, summer, purchases in rows:
            SocialOutcome.objects.get_or_create(
                organisation=ctx.orgs[org_key],
                place=place,
                year=year + offset,
                defaults={
                    "local_jobs_target": jobs[0],
                    "local_jobs": jobs[1],
                    "internships_target": internships[0],
                    "internships": internships[1],
                    "summer_jobs_target": summer[0],
                    "summer_jobs": summer[1],
                    "local_purchases_target_sek": Decimal(purchases[0]) if purchases[0] else None,
                    "local_purchases_sek": Decimal(purchases[1]) if purchases[1] else None,
                },
            )
