"""Read-side queries for a place's money: funding totals aggregated in SQL, social outcomes."""

import datetime as dt
from decimal import Decimal

from django.db.models import Count, F, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from accounts.models import Organisation, User
from amp_platform.raw_sql import compiled, rows_for_viewer

from ..models import AnnualBudget, FundingCommitment, Payment, SocialOutcome

ZERO = Decimal("0")


def _sum(field, **filters):
    condition = Q(**filters) if filters else None
    return Coalesce(Sum(field, filter=condition), ZERO)


def percent_of(part, whole) -> float | None:
    """`part` as a percentage of `whole`, to one decimal; None without a whole."""
    return round(float(part) / float(whole) * 100, 1) if whole else None


def coverage_pct(committed, target) -> float | None:
    """How much of the year's budget target is committed, in percent: the one rounding, used
    by the funding page, the lägesbild and the overview of places."""
    return percent_of(committed, target)


def paid_by(as_of: dt.date):
    """What a commitment had been paid by the end of `as_of`: its amount paid less the
    payments dated later (a payment is never dated in the future, so for today it is
    `amount_paid`)."""
    later = (
        Payment.objects.filter(commitment=OuterRef("pk"), paid_on__gt=as_of)
        .order_by()
        .values("commitment")
        .annotate(total=Sum("amount_sek"))
        .values("total")
    )
    return F("amount_paid") - Coalesce(Subquery(later), ZERO)


def _funding_totals(*, place: int, year: int, as_of: dt.date):
    """The totals of `funding_summary` as one row (see `amp_platform.raw_sql.compiled`)."""
    municipal = Organisation.Kind.MUNICIPALITY
    overdue = FundingCommitment.overdue_q(as_of, paid="paid_as_of")
    return (
        FundingCommitment.objects.filter(place=place, year=year)
        .exclude(status=FundingCommitment.Status.WITHDRAWN)
        .annotate(paid_as_of=paid_by(as_of))
        .values(one=Value(1))
        .annotate(
            committed_sek=_sum("amount_sek"),
            paid_sek=_sum("paid_as_of"),
            cash_committed_sek=_sum("amount_sek", kind=FundingCommitment.Kind.CASH),
            in_kind_value_sek=_sum("amount_sek", kind=FundingCommitment.Kind.IN_KIND),
            in_kind_hours=_sum("in_kind_hours", kind=FundingCommitment.Kind.IN_KIND),
            municipal_committed_sek=_sum("amount_sek", organisation__kind=municipal),
            commitments=Count("id"),
            overdue_sek=Coalesce(Sum(F("amount_sek") - F("paid_as_of"), filter=overdue), ZERO),
            overdue_count=Count("id", filter=overdue),
        )
        .order_by()
    )


def _annual_budget(*, place: int, year: int):
    """The year's budget of `funding_summary` (see `amp_platform.raw_sql.compiled`)."""
    return (
        AnnualBudget.objects.filter(place=place, year=year)
        .order_by("pk")
        .values("target_sek", "municipal_share_sek")[:1]
    )


def funding_summary(*, place, year: int, as_of: dt.date | None = None) -> dict:
    """A place's funding for one year as of a date (default today): committed/paid against the
    budget, municipal vs private.

    Totals only – safe to show every member (architecture §4). Withdrawn commitments do not count.
    Paid and overdue are as of `as_of`: payments dated later are left out, and overdue is
    `FundingCommitment.overdue_q` on that date, so a frozen report says what was true at its
    period's end, whatever the day it is generated. Returns keys: year, target_sek,
    municipal_target_sek, committed_sek, paid_sek, cash_committed_sek, in_kind_value_sek,
    in_kind_hours, municipal_committed_sek, private_committed_sek, commitments, coverage_pct
    (committed/target), paid_pct (paid/committed), municipal_share_pct (municipal/committed),
    private_share_pct, outstanding_sek (committed − paid), overdue_sek and overdue_count (past
    due, money outstanding). Two queries, whatever the number of commitments.
    """
    as_of = as_of or timezone.localdate()
    budget = compiled(
        "partnerships.annual_budget", AnnualBudget, _annual_budget, place=int, year=int
    ).dicts(place=place.pk, year=year)
    target, municipal_target = (
        (budget[0]["target_sek"], budget[0]["municipal_share_sek"]) if budget else (None, None)
    )
    # Built by the ORM once per process (overdue keeps its one definition) and run again as
    # SQL with this place, year and date: building it cost more than the database's answer.
    totals = compiled(
        "partnerships.funding_summary",
        FundingCommitment,
        _funding_totals,
        place=int,
        year=int,
        as_of=dt.date,
    ).dicts(place=place.pk, year=year, as_of=as_of)[0]
    del totals["one"]
    committed = totals["committed_sek"]
    return {
        "year": year,
        "target_sek": target,
        "municipal_target_sek": municipal_target,
        **totals,
        "private_committed_sek": committed - totals["municipal_committed_sek"],
        "coverage_pct": coverage_pct(committed, target),
        "paid_pct": percent_of(totals["paid_sek"], committed),
        "municipal_share_pct": percent_of(totals["municipal_committed_sek"], committed),
        "private_share_pct": percent_of(committed - totals["municipal_committed_sek"], committed),
        "outstanding_sek": committed - totals["paid_sek"],
    }


def funding_years(*, place) -> list[int]:
    """Years with a budget or commitments at the place, newest first, plus the current year."""
    years = set(AnnualBudget.objects.filter(place=place).values_list("year", flat=True))
    years |= set(
        FundingCommitment.objects.filter(place=place).values_list("year", flat=True).distinct()
    )
    years.add(timezone.localdate().year)
    return sorted(years, reverse=True)


def place_commitments(*, user, place, year: int):
    """The commitments of `place` and `year` that `user` may see (architecture §4), one query."""
    return (
        FundingCommitment.objects.visible_to(user)
        .filter(place=place, year=year)
        .select_related("organisation")
        .order_by("organisation__name", "pk")
    )


def _commitment_rows(*, place: int, year: int, user: int | None = None):
    """What `commitment_rows` lists: `user` is the person's key, None for staff. `visible_to`
    decides from the key and the staff flag, so an unsaved stand-in builds the same statement."""
    return (
        place_commitments(user=User.stand_in(user), place=place, year=year)
        .annotate(organisation_name=F("organisation__name"))
        .values_list("pk", "organisation_name", "kind", "status", "amount_sek", "amount_paid")
    )


def commitment_rows(*, user, place, year: int) -> list[dict]:
    """The rows of `place_commitments` as the dashboard's table shows them (organisation, kind,
    status, committed, paid), built by the ORM once per process for staff and once for everyone
    else: building the query and the instances cost more than the database's answer."""
    kinds, statuses = dict(FundingCommitment.Kind.choices), dict(FundingCommitment.Status.choices)
    rows = rows_for_viewer(
        "partnerships.commitment_rows",
        FundingCommitment,
        _commitment_rows,
        user=user,
        place=place.pk,
        year=year,
    )
    return [
        {
            "id": pk,
            "organisation": organisation,
            "kind": kinds.get(kind, kind),
            "status": statuses.get(status, status),
            "amount_sek": amount,
            "amount_paid": paid,
        }
        for pk, organisation, kind, status, amount, paid in rows
    ]


# --- Social outcomes (issue #18) -------------------------------------------------------------

SOCIAL_OUTCOME_FIELDS = (
    "local_jobs_target",
    "local_jobs",
    "internships_target",
    "internships",
    "summer_jobs_target",
    "summer_jobs",
    "local_purchases_target_sek",
    "local_purchases_sek",
)


def social_outcomes(
    *, place, year: int | None = None, since_year: int | None = None, organisation=None
) -> dict:
    """Targets and results per organisation (and year) and their totals, two queries:
    {rows: [SocialOutcome with organisation], totals: {field: sum or None}}. A total is None
    when no row gives that figure (unknown, not zero)."""
    outcomes = SocialOutcome.objects.filter(place=place)
    if year is not None:
        outcomes = outcomes.filter(year=year)
    if since_year is not None:
        outcomes = outcomes.filter(year__gte=since_year)
    if organisation is not None:
        outcomes = outcomes.filter(organisation=organisation)
    rows = list(outcomes.select_related("organisation").order_by("-year", "organisation__name"))
    totals = outcomes.aggregate(**{name: Sum(name) for name in SOCIAL_OUTCOME_FIELDS})
    return {"rows": rows, "totals": totals}
