"""Read-side queries for funding: totals aggregated in SQL."""

from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.db.models.functions import Coalesce

from .models import AnnualBudget, FundingCommitment, Organisation

ZERO = Decimal("0")


def _sum(field, **filters):
    condition = Q(**filters) if filters else None
    return Coalesce(Sum(field, filter=condition), ZERO)


def funding_summary(*, place, year: int) -> dict:
    """A place's funding for one year: committed/paid against the budget, municipal vs private.

    Totals only – safe to show every member (DESIGN §4). Withdrawn commitments do not count.
    Returns keys: year, target_sek, municipal_target_sek, committed_sek, paid_sek,
    cash_committed_sek, in_kind_value_sek, in_kind_hours, municipal_committed_sek,
    private_committed_sek, commitments, coverage_pct (committed/target), paid_pct
    (paid/committed), municipal_share_pct (municipal/committed).
    """
    budget = AnnualBudget.objects.filter(place=place, year=year).first()
    municipal = Organisation.Kind.MUNICIPALITY
    totals = (
        FundingCommitment.objects.filter(place=place, year=year)
        .exclude(status=FundingCommitment.Status.WITHDRAWN)
        .aggregate(
            committed_sek=_sum("amount_sek"),
            paid_sek=_sum("amount_paid"),
            cash_committed_sek=_sum("amount_sek", kind=FundingCommitment.Kind.CASH),
            in_kind_value_sek=_sum("amount_sek", kind=FundingCommitment.Kind.IN_KIND),
            in_kind_hours=_sum("in_kind_hours", kind=FundingCommitment.Kind.IN_KIND),
            municipal_committed_sek=_sum("amount_sek", organisation__kind=municipal),
            commitments=Count("id"),
        )
    )
    committed = totals["committed_sek"]
    target = budget.target_sek if budget else None

    def pct(part, whole):
        return round(float(part) / float(whole) * 100, 1) if whole else None

    return {
        "year": year,
        "target_sek": target,
        "municipal_target_sek": budget.municipal_share_sek if budget else None,
        **totals,
        "private_committed_sek": committed - totals["municipal_committed_sek"],
        "coverage_pct": pct(committed, target),
        "paid_pct": pct(totals["paid_sek"], committed),
        "municipal_share_pct": pct(totals["municipal_committed_sek"], committed),
    }
