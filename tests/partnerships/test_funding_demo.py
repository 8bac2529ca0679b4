"""The funding demo: a realistic year, consistent with the payments, and idempotent."""

import pytest
from django.db.models import Sum

from demo import funding as demo_funding
from demo.core import DemoContext, seed_core
from partnerships.models import FundingCommitment, Invitation, Payment
from partnerships.queries.funding import funding_summary
from tests import clock

pytestmark = pytest.mark.django_db


def run_seed():
    ctx = DemoContext()
    seed_core(ctx)
    demo_funding.seed(ctx)
    return ctx


def test_demo_funding_has_a_mix_and_is_idempotent():
    ctx = run_seed()
    counts = (
        FundingCommitment.objects.count(),
        Payment.objects.count(),
        Invitation.objects.count(),
    )
    run_seed()
    assert (
        FundingCommitment.objects.count(),
        Payment.objects.count(),
        Invitation.objects.count(),
    ) == counts

    commitments = list(FundingCommitment.objects.annotate(payment_sum=Sum("payments__amount_sek")))
    for c in commitments:
        assert c.amount_paid == (c.payment_sum or 0), c
    assert any(c.status == "paid" for c in commitments)
    assert any(0 < c.amount_paid < c.amount_sek for c in commitments)
    assert any(c.is_overdue for c in commitments)
    assert any(c.kind == "in_kind" and c.in_kind_hours for c in commitments)

    invitations = list(Invitation.objects.all())
    assert any(i.is_pending for i in invitations)
    assert any(i.accepted_at for i in invitations)
    assert any(not i.is_pending and not i.accepted_at for i in invitations)  # expired

    summary = funding_summary(place=ctx.places["mollevangstorget"], year=clock.this_year())
    assert summary["municipal_share_pct"] and summary["overdue_count"] == 2
