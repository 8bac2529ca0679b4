"""Demo data for funding: budgets and commitments (AMP's 50/50 rule of thumb)."""

import datetime as dt
from decimal import Decimal

from partnerships.models import AnnualBudget, FundingCommitment

# slug: (target, [(org key, kind, amount, paid share, hours)])
FUNDING = {
    "mollevangstorget": (
        Decimal("1200000"),
        [
            ("malmo_stad", "cash", Decimal("600000"), Decimal("1"), None),
            ("mollan_fastigheter", "cash", Decimal("250000"), Decimal("1"), None),
            ("torghuset", "cash", Decimal("150000"), Decimal("0.5"), None),
            ("mollans_livs", "cash", Decimal("30000"), Decimal("0"), None),
            ("trygg_stad", "in_kind", Decimal("120000"), Decimal("0"), Decimal("200")),
        ],
    ),
    "drottninggatan": (
        Decimal("2000000"),
        [
            ("stockholms_stad", "cash", Decimal("1000000"), Decimal("1"), None),
            ("drottninghuset", "cash", Decimal("600000"), Decimal("0.5"), None),
            ("citybutiken", "cash", Decimal("100000"), Decimal("0"), None),
        ],
    ),
    "husby-centrum": (
        Decimal("900000"),
        [
            ("stockholms_stad", "cash", Decimal("450000"), Decimal("1"), None),
            ("husby_hem", "cash", Decimal("300000"), Decimal("1"), None),
            ("husby_foretagare", "in_kind", Decimal("60000"), Decimal("0"), Decimal("150")),
        ],
    ),
}


def seed(ctx) -> None:
    year = ctx.now.year
    for slug, (target, commitments) in FUNDING.items():
        place = ctx.places[slug]
        AnnualBudget.objects.get_or_create(
            place=place,
            year=year,
            defaults={"target_sek": target, "municipal_share_sek": target / 2},
        )
        if FundingCommitment.objects.filter(place=place, year=year).exists():
            continue
        for org_key, kind, amount, paid_share, hours in commitments:
            paid = (amount * paid_share).quantize(Decimal("1"))
            FundingCommitment.objects.create(
                organisation=ctx.orgs[org_key],
                place=place,
                year=year,
                kind=kind,
                amount_sek=amount,
                in_kind_hours=hours,
                in_kind_description="Väktartimmar och städning" if kind == "in_kind" else "",
                status="paid" if paid == amount else ("invoiced" if paid else "confirmed"),
                amount_paid=paid,
                due_date=dt.date(year, 3, 31),
            )
    ctx.say(f"{FundingCommitment.objects.count()} funding commitments")
