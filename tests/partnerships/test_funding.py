"""Funding: the summary's arithmetic, commitments and payments, visibility, export, queries."""

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone, translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from partnerships.models import AnnualBudget, FundingCommitment, Payment
from partnerships.queries.funding import funding_summary
from partnerships.services.funding import payment_delete, payment_record
from tests import clock
from tests import factories as f

pytestmark = pytest.mark.django_db

# The session's frozen clock (tests/clock.py), not the import-time wall clock.
YEAR = clock.this_year()
PAST = dt.date(YEAR, 3, 31) if clock.today() > dt.date(YEAR, 3, 31) else dt.date(YEAR - 1, 12, 31)
FUTURE = clock.today() + dt.timedelta(days=30)


@pytest.fixture(autouse=True)
def english(client):
    """Assert on the English texts (requests and services); Swedish has its own test."""
    client.cookies["django_language"] = "en"
    with translation.override("en"):
        yield


def url(name, place, **kwargs):
    return reverse(f"members:{name}", kwargs={"place_slug": place.slug, **kwargs})


def pay(commitment, amount, by=None, on=None):
    return payment_record(
        commitment=commitment,
        amount_sek=Decimal(amount),
        paid_on=on or timezone.localdate(),
        actor=by,
    )


@pytest.fixture
def year_of_funding(place_a, municipality, property_owner, reader, manager):
    """A hand-checkable year at Möllevångstorget.

    Budget 1 000 000 (municipal share 500 000).
    - Malmö stad, cash 500 000, fully paid.
    - Fastighets AB Torget, cash 300 000, 100 000 paid, due in the past: 200 000 overdue.
    - Torgets Livs AB (the reader's shop), cash 50 000, withdrawn: does not count.
    - Vakt & Trygg AB, in kind 120 000 for 200 hours, nothing delivered yet, due later.
    - Another year's commitment that must not count.
    """
    AnnualBudget.objects.create(
        place=place_a,
        year=YEAR,
        target_sek=Decimal("1000000"),
        municipal_share_sek=Decimal("500000"),
    )
    city = f.FundingCommitmentFactory(
        place=place_a, organisation=municipality, amount_sek=Decimal("500000"), status="invoiced"
    )
    pay(city, "300000")
    pay(city, "200000")
    owner = f.FundingCommitmentFactory(
        place=place_a, organisation=property_owner, amount_sek=Decimal("300000"), due_date=PAST
    )
    pay(owner, "100000")
    shop = f.FundingCommitmentFactory(
        place=place_a,
        organisation=reader.organisation,
        amount_sek=Decimal("50000"),
        status="withdrawn",
    )
    guards = f.FundingCommitmentFactory(
        place=place_a,
        organisation=f.OrganisationFactory(name="Vakt & Trygg AB", kind="security_company"),
        kind="in_kind",
        amount_sek=Decimal("120000"),
        in_kind_hours=Decimal("200"),
        in_kind_description="Väktartimmar kvällstid",
        due_date=FUTURE,
    )
    f.FundingCommitmentFactory(place=place_a, organisation=municipality, year=YEAR - 1)
    return {"city": city, "owner": owner, "shop": shop, "guards": guards}


def test_funding_summary_on_hand_checked_numbers(place_a, year_of_funding, assert_max_queries):
    with assert_max_queries(2):
        summary = funding_summary(place=place_a, year=YEAR)
    assert summary["target_sek"] == Decimal("1000000")
    assert summary["municipal_target_sek"] == Decimal("500000")
    assert summary["committed_sek"] == Decimal("920000")  # 500 + 300 + 120 (withdrawn 50 out)
    assert summary["cash_committed_sek"] == Decimal("800000")
    assert summary["paid_sek"] == Decimal("600000")
    assert summary["outstanding_sek"] == Decimal("320000")
    assert summary["in_kind_value_sek"] == Decimal("120000")
    assert summary["in_kind_hours"] == Decimal("200")
    assert summary["municipal_committed_sek"] == Decimal("500000")
    assert summary["private_committed_sek"] == Decimal("420000")
    assert summary["coverage_pct"] == 92.0
    assert summary["paid_pct"] == 65.2  # 600 / 920
    assert summary["municipal_share_pct"] == 54.3  # 500 / 920
    assert summary["private_share_pct"] == 45.7
    assert summary["overdue_sek"] == Decimal("200000")
    assert summary["overdue_count"] == 1
    assert summary["commitments"] == 3


def test_summary_of_a_year_without_budget_or_commitments(place_a):
    summary = funding_summary(place=place_a, year=YEAR)
    assert summary["target_sek"] is None
    assert summary["committed_sek"] == 0
    assert summary["coverage_pct"] is None and summary["paid_pct"] is None


# --- Payments ---------------------------------------------------------------------------------


def test_partial_payments_add_up_and_the_last_one_marks_it_paid(place_a, manager):
    commitment = f.FundingCommitmentFactory(
        place=place_a, amount_sek=Decimal("150000"), status="invoiced"
    )
    pay(commitment, "50000", by=manager)
    commitment.refresh_from_db()
    assert (commitment.amount_paid, commitment.status) == (Decimal("50000"), "invoiced")
    pay(commitment, "100000", by=manager)
    commitment.refresh_from_db()
    assert (commitment.amount_paid, commitment.status) == (Decimal("150000"), "paid")
    assert not commitment.is_overdue


def test_a_payment_larger_than_outstanding_is_refused_and_nothing_changes(place_a):
    commitment = f.FundingCommitmentFactory(place=place_a, amount_sek=Decimal("100000"))
    pay(commitment, "60000")
    with pytest.raises(ValidationError, match="larger than what is outstanding"):
        pay(commitment, "40000.01")
    commitment.refresh_from_db()
    assert commitment.amount_paid == Decimal("60000")
    assert Payment.objects.count() == 1


def test_removing_a_payment_reopens_a_paid_commitment(place_a):
    commitment = f.FundingCommitmentFactory(place=place_a, amount_sek=Decimal("1000"))
    payment = pay(commitment, "1000")
    commitment.refresh_from_db()
    assert commitment.status == "paid"
    payment_delete(payment=payment)
    commitment.refresh_from_db()
    assert (commitment.amount_paid, commitment.status) == (Decimal("0"), "invoiced")


def test_no_payments_on_a_withdrawn_commitment(place_a):
    commitment = f.FundingCommitmentFactory(place=place_a, status="withdrawn")
    with pytest.raises(ValidationError, match="withdrawn"):
        pay(commitment, "10")
    assert not Payment.objects.exists()


def test_manager_records_a_payment_in_the_browser_form(client, manager, place_a):
    commitment = f.FundingCommitmentFactory(place=place_a, amount_sek=Decimal("250000"))
    client.force_login(manager)
    response = client.post(
        url("payment_create", place_a, pk=commitment.pk),
        {"amount_sek": "100 000", "paid_on": timezone.localdate().isoformat()},
        follow=True,
    )
    commitment.refresh_from_db()
    assert commitment.amount_paid == Decimal("100000")
    assert Payment.objects.get().recorded_by == manager
    assert "A payment of 100,000 kr was recorded." in response.content.decode()


def test_payment_with_htmx_swaps_the_commitment_panel(client, manager, place_a):
    commitment = f.FundingCommitmentFactory(place=place_a, amount_sek=Decimal("250000"))
    client.force_login(manager)
    response = client.post(
        url("payment_create", place_a, pk=commitment.pk),
        {"amount_sek": "1250,50", "paid_on": timezone.localdate().isoformat()},
        headers={"HX-Request": "true"},
    )
    text = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in text  # a fragment, not the page
    assert 'data-fact="paid">1,250.50&nbsp;kr' in text
    assert "A payment of 1,250.50 kr was recorded." in text


@pytest.mark.parametrize(
    "amount, message",
    [
        ("-500", "The amount cannot be negative."),
        ("0", "Enter an amount larger than 0 kr."),
        ("tusen", "Enter an amount in kronor"),
        ("300000", "larger than what is outstanding on the commitment (250,000 kr)"),
    ],
)
def test_bad_payment_amounts_get_clear_messages(client, manager, place_a, amount, message):
    commitment = f.FundingCommitmentFactory(place=place_a, amount_sek=Decimal("250000"))
    client.force_login(manager)
    response = client.post(
        url("payment_create", place_a, pk=commitment.pk),
        {"amount_sek": amount, "paid_on": timezone.localdate().isoformat()},
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Payment.objects.exists()
    commitment.refresh_from_db()
    assert commitment.amount_paid == 0


def test_a_payment_dated_in_the_future_is_refused(client, manager, place_a):
    commitment = f.FundingCommitmentFactory(place=place_a)
    client.force_login(manager)
    response = client.post(
        url("payment_create", place_a, pk=commitment.pk),
        {"amount_sek": "10", "paid_on": FUTURE.isoformat()},
    )
    assert "cannot be in the future" in response.content.decode()
    assert not Payment.objects.exists()


# --- Commitments and budget -------------------------------------------------------------------


def commitment_data(organisation, **overrides):
    data = {
        "organisation": organisation.pk,
        "year": YEAR,
        "kind": "cash",
        "amount_sek": "200 000",
        "status": "pledged",
        "due_date": FUTURE.isoformat(),
        "in_kind_hours": "",
        "in_kind_description": "",
    }
    data.update(overrides)
    return data


@pytest.fixture
def member_org(place_a, property_owner):
    f.MembershipFactory(place=place_a, organisation=property_owner)
    return property_owner


def test_manager_adds_a_cash_commitment(client, manager, place_a, member_org):
    client.force_login(manager)
    response = client.post(url("commitment_create", place_a), commitment_data(member_org))
    assert response.status_code == 302
    commitment = FundingCommitment.objects.get()
    assert (commitment.amount_sek, commitment.amount_paid, commitment.year) == (
        Decimal("200000"),
        0,
        YEAR,
    )


def test_manager_adds_work_in_kind_with_hours(client, manager, place_a, member_org):
    client.force_login(manager)
    missing = client.post(
        url("commitment_create", place_a), commitment_data(member_org, kind="in_kind")
    )
    assert "Give the number of hours for work in kind." in missing.content.decode()
    assert not FundingCommitment.objects.exists()
    client.post(
        url("commitment_create", place_a),
        commitment_data(
            member_org,
            kind="in_kind",
            in_kind_hours="150",
            in_kind_description="Städning av torget",
        ),
    )
    commitment = FundingCommitment.objects.get()
    assert (commitment.kind, commitment.in_kind_hours) == ("in_kind", Decimal("150"))


@pytest.mark.parametrize("year", [YEAR - 11, YEAR + 6, 1900])
def test_a_year_far_in_the_past_or_future_is_refused(client, manager, place_a, member_org, year):
    client.force_login(manager)
    response = client.post(
        url("commitment_create", place_a), commitment_data(member_org, year=year)
    )
    assert f"Choose a year between {YEAR - 10} and {YEAR + 5}." in response.content.decode()
    assert not FundingCommitment.objects.exists()


def test_a_negative_commitment_is_refused(client, manager, place_a, member_org):
    client.force_login(manager)
    response = client.post(
        url("commitment_create", place_a), commitment_data(member_org, amount_sek="-1")
    )
    assert "The amount cannot be negative." in response.content.decode()
    assert not FundingCommitment.objects.exists()


def test_an_organisation_that_was_never_a_member_cannot_commit(client, manager, place_a):
    client.force_login(manager)
    stranger = f.OrganisationFactory()
    response = client.post(url("commitment_create", place_a), commitment_data(stranger))
    assert "Select a valid choice" in response.content.decode()
    assert not FundingCommitment.objects.exists()


def test_a_commitment_cannot_be_lowered_below_what_is_paid(client, manager, place_a, member_org):
    commitment = f.FundingCommitmentFactory(
        place=place_a, organisation=member_org, amount_sek=Decimal("200000")
    )
    pay(commitment, "150000")
    client.force_login(manager)
    response = client.post(
        url("commitment_edit", place_a, pk=commitment.pk),
        commitment_data(member_org, amount_sek="100000", status="invoiced"),
    )
    assert "150,000 kr has already been paid" in response.content.decode()
    commitment.refresh_from_db()
    assert commitment.amount_sek == Decimal("200000")


def test_paid_status_needs_the_payments(client, manager, place_a, member_org):
    commitment = f.FundingCommitmentFactory(place=place_a, organisation=member_org)
    client.force_login(manager)
    response = client.post(
        url("commitment_edit", place_a, pk=commitment.pk),
        commitment_data(member_org, amount_sek="100000", status="paid"),
    )
    assert "Record the payments" in response.content.decode()
    commitment.refresh_from_db()
    assert commitment.status == "pledged"


def test_lowering_to_what_is_paid_marks_it_paid(client, manager, place_a, member_org):
    commitment = f.FundingCommitmentFactory(
        place=place_a, organisation=member_org, amount_sek=Decimal("200000")
    )
    pay(commitment, "150000")
    client.force_login(manager)
    client.post(
        url("commitment_edit", place_a, pk=commitment.pk),
        commitment_data(member_org, amount_sek="150000", status="invoiced"),
    )
    commitment.refresh_from_db()
    assert (commitment.amount_sek, commitment.status) == (Decimal("150000"), "paid")


def test_manager_sets_the_budget(client, manager, place_a):
    client.force_login(manager)
    response = client.post(
        url("budget_edit", place_a) + f"?year={YEAR}",
        {"year": YEAR, "target_sek": "1 200 000", "municipal_share_sek": "600000"},
    )
    assert response.status_code == 302
    budget = AnnualBudget.objects.get(place=place_a, year=YEAR)
    assert (budget.target_sek, budget.municipal_share_sek) == (
        Decimal("1200000"),
        Decimal("600000"),
    )
    client.post(
        url("budget_edit", place_a) + f"?year={YEAR}",
        {"year": YEAR, "target_sek": "1300000", "municipal_share_sek": "650000"},
    )
    assert AnnualBudget.objects.get(place=place_a, year=YEAR).target_sek == Decimal("1300000")


@pytest.mark.parametrize(
    "data, message",
    [
        (
            {"year": YEAR, "target_sek": "100", "municipal_share_sek": "200"},
            "cannot exceed the target",
        ),
        (
            {"year": YEAR + 20, "target_sek": "100", "municipal_share_sek": "0"},
            "Choose a year between",
        ),
        ({"year": YEAR, "target_sek": "-100", "municipal_share_sek": "0"}, "cannot be negative"),
    ],
)
def test_bad_budgets_are_refused(client, manager, place_a, data, message):
    client.force_login(manager)
    response = client.post(url("budget_edit", place_a), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not AnnualBudget.objects.exists()


# --- The funding page and visibility ----------------------------------------------------------


def test_manager_sees_every_commitment_and_the_totals(client, manager, place_a, year_of_funding):
    client.force_login(manager)
    response = client.get(url("funding", place_a))
    text = response.content.decode()
    assert response.status_code == 200
    assert {c.organisation.name for c in response.context["commitments"]} == {
        "Malmö stad",
        "Fastighets AB Torget",
        "Torgets Livs AB",
        "Vakt & Trygg AB",
    }
    assert "920,000&nbsp;kr" in text and "92 % of the budget" in text
    assert "Overdue" in text


def test_a_member_sees_only_its_own_organisation_and_the_totals(
    client, reader, place_a, year_of_funding
):
    client.force_login(reader)
    response = client.get(url("funding", place_a))
    text = response.content.decode()
    assert [c.organisation.name for c in response.context["commitments"]] == ["Torgets Livs AB"]
    assert "Fastighets AB Torget" not in text and "Malmö stad" not in text
    assert "920,000&nbsp;kr" in text  # the partnership's total is shared with every member
    assert url("commitment_create", place_a) not in text


def test_a_member_opens_its_own_commitment_but_not_others(client, reader, place_a, year_of_funding):
    client.force_login(reader)
    own = year_of_funding["shop"]
    assert client.get(url("commitment_detail", place_a, pk=own.pk)).status_code == 200
    other = year_of_funding["owner"]
    assert client.get(url("commitment_detail", place_a, pk=other.pk)).status_code == 404


def test_a_member_sees_commitments_only_where_its_role_represents_the_organisation(
    client, reader, place_a, place_b, year_of_funding
):
    """The reader represents Torgets Livs AB at place A only; at place B they read for no one,
    so the shop's commitment there stays hidden (an organisation at A gives no rights at B)."""
    shop = year_of_funding["shop"].organisation
    f.PlaceRoleFactory(user=reader, place=place_b, role="reader")
    at_b = f.FundingCommitmentFactory(place=place_b, organisation=shop, year=YEAR)
    client.force_login(reader)
    response = client.get(url("funding", place_b))
    assert response.status_code == 200
    assert list(response.context["commitments"]) == []
    assert client.get(url("commitment_detail", place_b, pk=at_b.pk)).status_code == 404
    response = client.get(url("funding", place_a))
    assert [c.organisation for c in response.context["commitments"]] == [shop]
    assert list(FundingCommitment.objects.visible_to(reader)) == [year_of_funding["shop"]]


def test_the_accounts_organisation_shows_no_commitments_at_a_place(
    client, place_a, property_owner, year_of_funding
):
    person = f.UserFactory(organisation=property_owner)
    f.PlaceRoleFactory(user=person, place=place_a, role="reader")  # represents no one here
    client.force_login(person)
    response = client.get(url("funding", place_a))
    assert list(response.context["commitments"]) == []
    assert "920,000&nbsp;kr" in response.content.decode()  # the totals are still shared
    owner = year_of_funding["owner"]
    assert client.get(url("commitment_detail", place_a, pk=owner.pk)).status_code == 404


def test_the_dashboard_lists_commitments_of_whom_the_role_represents(
    client, place_a, place_b, reader, year_of_funding
):
    shop = year_of_funding["shop"].organisation
    f.PlaceRoleFactory(user=reader, place=place_b, role="reader")
    f.FundingCommitmentFactory(place=place_b, organisation=shop, year=YEAR)
    client.force_login(reader)
    dashboard = reverse("places:overview", kwargs={"place_slug": place_b.slug})
    assert list(client.get(dashboard).context["commitments"]) == []
    dashboard = reverse("places:overview", kwargs={"place_slug": place_a.slug})
    assert list(client.get(dashboard).context["commitments"]) == [year_of_funding["shop"]]


def test_funding_page_access(client, reader_b, place_a, manager):
    target = url("funding", place_a)
    assert client.get(target).status_code == 302
    client.force_login(reader_b)
    assert client.get(target).status_code == 404
    client.force_login(manager)
    assert client.post(target).status_code == 405


def test_a_year_out_of_range_in_the_address_shows_a_message(client, manager, place_a):
    client.force_login(manager)
    response = client.get(url("funding", place_a) + "?year=1850")
    assert response.status_code == 200
    assert response.context["year"] == YEAR
    assert "Choose a year between" in response.content.decode()
    response = client.get(url("funding", place_a) + "?year=abc")
    assert response.status_code == 200 and response.context["year"] == YEAR


@pytest.mark.parametrize("name", ["commitment_create", "budget_edit"])
def test_manager_only_pages(client, name, manager, reporter, reader_b, place_a):
    target = url(name, place_a)
    client.force_login(reader_b)
    assert client.get(target).status_code == 404
    client.force_login(reporter)
    assert client.get(target).status_code == 403
    assert client.post(target, {}).status_code == 403
    client.force_login(manager)
    assert client.get(target).status_code == 200
    assert client.put(target).status_code == 405


@pytest.mark.parametrize("name", ["commitment_edit", "payment_create"])
def test_a_member_may_see_its_commitment_but_not_change_it(
    client, name, reader, manager, reader_b, place_a, year_of_funding
):
    own = year_of_funding["shop"]
    target = url(name, place_a, pk=own.pk)
    client.force_login(reader)
    assert (
        client.post(target, {"amount_sek": "1", "paid_on": clock.today().isoformat()}).status_code
        == 403
    )
    other = url(name, place_a, pk=year_of_funding["owner"].pk)
    assert client.post(other, {"amount_sek": "1"}).status_code == 404
    client.force_login(reader_b)
    assert client.post(target).status_code == 404
    client.force_login(manager)
    assert client.put(target).status_code == 405
    if name == "payment_create":
        assert client.get(target).status_code == 405
    own.refresh_from_db()
    assert own.amount_sek == Decimal("50000") and own.amount_paid == 0


def test_payment_delete_access(client, reader, manager, place_a, year_of_funding):
    commitment = year_of_funding["owner"]
    payment = commitment.payments.get()
    target = url("payment_delete", place_a, pk=commitment.pk, payment_pk=payment.pk)
    client.force_login(reader)
    assert client.post(target).status_code == 404  # the reader may not see this commitment
    client.force_login(manager)
    assert client.get(target).status_code == 405
    wrong = url("payment_delete", place_a, pk=year_of_funding["city"].pk, payment_pk=payment.pk)
    assert client.post(wrong).status_code == 404
    assert client.post(target).status_code == 302
    commitment.refresh_from_db()
    assert commitment.amount_paid == 0


def test_funding_page_query_count_does_not_grow(client, manager, place_a, count_queries):
    client.force_login(manager)

    def add(n):
        for _ in range(n):
            c = f.FundingCommitmentFactory(place=place_a, due_date=PAST)
            pay(c, "100")

    add(2)
    with count_queries() as small:
        client.get(url("funding", place_a))
    add(10)
    with count_queries() as large:
        response = client.get(url("funding", place_a))
    assert len(response.context["commitments"]) == 12
    assert len(small) == len(large) <= 12


def test_commitment_page_query_count_does_not_grow(client, manager, place_a, count_queries):
    commitment = f.FundingCommitmentFactory(place=place_a, amount_sek=Decimal("100000"))
    client.force_login(manager)
    pay(commitment, "1", by=manager)
    with count_queries() as small:
        client.get(url("commitment_detail", place_a, pk=commitment.pk))
    for _ in range(8):
        pay(commitment, "1", by=f.UserFactory())
    with count_queries() as large:
        client.get(url("commitment_detail", place_a, pk=commitment.pk))
    assert len(small) == len(large) <= 10


# --- CSV export -------------------------------------------------------------------------------


def read_csv(response):
    content = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(content), delimiter=";"))


def test_manager_exports_every_commitment_with_totals(client, manager, place_a, year_of_funding):
    client.force_login(manager)
    response = client.get(url("funding_export", place_a) + f"?year={YEAR}")
    assert response.streaming
    assert response["Content-Type"].startswith("text/csv")
    assert f"funding-mollevangstorget-{YEAR}.csv" in response["Content-Disposition"]
    rows = read_csv(response)
    assert rows[0][:3] == ["Organisation", "Organisationsnummer", "Kind of organisation"]
    body = [row for row in rows[1:] if len(row) > 2]
    assert len(body) == 4
    owner = next(row for row in body if row[0] == "Fastighets AB Torget")
    assert owner[5:11] == [
        "300000.00",
        "100000.00",
        "200000.00",
        "Pledged",
        PAST.isoformat(),
        "yes",
    ]
    assert ["Committed (SEK)", "920000.00"] in rows


def test_a_member_exports_only_its_own_rows(client, reader, place_a, year_of_funding):
    client.force_login(reader)
    rows = read_csv(client.get(url("funding_export", place_a)))
    body = [row for row in rows[1:] if len(row) > 2]
    assert [row[0] for row in body] == ["Torgets Livs AB"]


def test_export_access_and_queries(
    client, reader_b, manager, place_a, year_of_funding, count_queries
):
    target = url("funding_export", place_a)
    client.force_login(reader_b)
    assert client.get(target).status_code == 404
    client.force_login(manager)
    assert client.post(target).status_code == 405
    with count_queries() as queries:
        read_csv(client.get(target))
    assert len(queries) <= 8


def test_the_funding_page_speaks_swedish_with_swedish_numbers(
    client, manager, place_a, year_of_funding
):
    client.cookies["django_language"] = "sv"
    client.force_login(manager)
    text = client.get(url("funding", place_a)).content.decode()
    assert f"Finansiering {YEAR}" in text and "Utlovat" in text
    assert "920\u00a0000&nbsp;kr" in text  # no-break spaces: grouping and before kr
    assert "92 % av budgeten" in text
    assert "Kommunal och privat andel" in text


def test_commitment_page_access(client, reader, reader_b, manager, place_a, year_of_funding):
    own = url("commitment_detail", place_a, pk=year_of_funding["shop"].pk)
    other = url("commitment_detail", place_a, pk=year_of_funding["owner"].pk)
    assert client.get(own).status_code == 302  # anonymous: to the login page
    client.force_login(reader_b)
    assert client.get(own).status_code == 404
    client.force_login(reader)
    response = client.get(own)
    assert response.status_code == 200
    assert "Record a payment" not in response.content.decode()
    assert client.get(other).status_code == 404
    client.force_login(manager)
    assert "Record a payment" in client.get(other).content.decode()
    assert client.post(other).status_code == 405


amount_texts = st.one_of(
    st.text(max_size=20),
    st.decimals(min_value=-(10**7), max_value=10**7, places=2, allow_nan=False).map(str),
    st.integers(min_value=-(10**15), max_value=10**15).map(str),
)


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(amount=amount_texts)
def test_any_typed_amount_gives_a_payment_or_a_message_never_an_error(
    client, manager, place_a, amount
):
    commitment = FundingCommitment.objects.filter(
        place=place_a
    ).first() or f.FundingCommitmentFactory(place=place_a, amount_sek=Decimal("100000"))
    client.force_login(manager)
    response = client.post(
        url("payment_create", place_a, pk=commitment.pk),
        {"amount_sek": amount, "paid_on": timezone.localdate().isoformat()},
    )
    assert response.status_code in (200, 302)
    commitment.refresh_from_db()
    total = commitment.payments.aggregate(total=Sum("amount_sek"))["total"] or 0
    assert commitment.amount_paid == total <= commitment.amount_sek
    if response.status_code == 200:
        assert response.context["form"].errors


def test_overdue_is_one_rule_in_sql_and_on_a_loaded_commitment(place_a):
    """`FundingCommitment.overdue_q` (the summary, the reminder) and `is_overdue_on` (the pages)
    agree on every combination: due before the date, not withdrawn, money outstanding."""
    day = dt.date(YEAR, 6, 15)
    for due in (None, day - dt.timedelta(days=1), day, day + dt.timedelta(days=1)):
        for status in ("pledged", "invoiced", "withdrawn"):
            for paid in ("0", "40", "100"):
                f.FundingCommitmentFactory(
                    place=place_a,
                    amount_sek=Decimal("100"),
                    amount_paid=Decimal(paid),
                    status="paid" if paid == "100" and status != "withdrawn" else status,
                    due_date=due,
                )
    in_sql = set(
        FundingCommitment.objects.filter(FundingCommitment.overdue_q(day)).values_list(
            "pk", flat=True
        )
    )
    loaded = {c.pk for c in FundingCommitment.objects.all() if c.is_overdue_on(day)}
    assert in_sql == loaded and len(in_sql) == 4
