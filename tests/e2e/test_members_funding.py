"""Browser journey: the manager invites a reporter who signs up from the link and lands on the
place; the manager records a payment and the funding summary changes. axe-core on every page."""

import re
from decimal import Decimal

import pytest
from django.core import mail
from django.utils import timezone

from partnerships.models import AnnualBudget, FundingCommitment, Invitation
from places.models import PlaceRole
from tests import factories as f
from tests.e2e.conftest import assert_fits_the_screen, axe_check, login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_manager_invites_a_reporter_who_signs_up_and_lands_on_the_place(
    page, new_page, manager, place_a, property_owner
):
    f.MembershipFactory(place=place_a, organisation=property_owner, role="board")
    login(page, manager)
    page.goto(page.live_server_url + "/places/mollevangstorget/members/")
    page.get_by_role("heading", name="Personer").wait_for()
    axe_check(page)

    page.get_by_role("link", name="Bjud in en person").click()
    page.get_by_label("E-postadress").fill("ny.rapportor@example.org")
    page.get_by_label("Roll").select_option("reporter")
    page.get_by_label("Företrädd organisation").select_option(label="Fastighets AB Torget")
    axe_check(page)
    page.get_by_role("button", name="Skicka inbjudan").click()
    page.get_by_text("En inbjudan skickades till ny.rapportor@example.org").wait_for()
    assert "ny.rapportor@example.org" in page.inner_text("#invitations-heading + .table-wrap")
    axe_check(page)

    (invitation_mail,) = mail.outbox
    link = re.search(r"https?://\S+/invitations/[\w-]+/", invitation_mail.body).group(0)
    # The mail links to the host and port the manager invited from, not SITE_URL.
    assert link.startswith(page.live_server_url + "/invitations/")

    invitee = new_page()
    invitee.goto(link)
    invitee.get_by_text("Du är inbjuden till").wait_for()
    assert "Rapportör" in invitee.inner_text("main")
    axe_check(invitee)
    # One step: name and password; the address is the invitation's and needs no second mail.
    invitee.get_by_role("link", name="Gå med: ange namn och välj lösenord").click()
    assert invitee.locator("#id_email").input_value() == "ny.rapportor@example.org"
    axe_check(invitee)
    invitee.get_by_label("Ditt fullständiga namn").fill("Rut Rapportör")
    invitee.locator("input[name=password1]").fill("Torget-kvall-2026")
    invitee.locator("input[name=password2]").fill("Torget-kvall-2026")
    invitee.get_by_role("button", name="Gå med och gå till platsen").click()
    invitee.wait_for_url("**/places/mollevangstorget/")
    assert len(mail.outbox) == 1  # the invitation only: no verification mail
    invitee.get_by_text("Välkommen till Möllevångstorget, Rut!").wait_for()
    assert invitee.locator(".messages li").count() == 1
    assert "Rapportör" in invitee.inner_text(".place-header")
    axe_check(invitee)
    # As a reporter they see who is in, without the manager's controls.
    invitee.get_by_role("link", name="Medlemmar").click()
    invitee.get_by_role("heading", name="Personer").wait_for()
    assert invitee.get_by_role("link", name="Bjud in en person").count() == 0
    axe_check(invitee)

    role = PlaceRole.objects.get(user__email="ny.rapportor@example.org")
    assert (role.place, role.role, role.organisation) == (place_a, "reporter", property_owner)
    assert Invitation.objects.get().accepted_by == role.user


def test_manager_records_a_payment_and_the_summary_changes(page, manager, place_a, municipality):
    year = timezone.localdate().year
    AnnualBudget.objects.create(
        place=place_a,
        year=year,
        target_sek=Decimal("1000000"),
        municipal_share_sek=Decimal("500000"),
    )
    f.MembershipFactory(place=place_a, organisation=municipality, role="funder")
    commitment = f.FundingCommitmentFactory(
        place=place_a,
        organisation=municipality,
        year=year,
        amount_sek=Decimal("500000"),
        status="invoiced",
    )
    login(page, manager)
    page.goto(page.live_server_url + f"/places/mollevangstorget/funding/?year={year}")
    paid = page.locator("[data-kpi=paid] .kpi__value")
    assert paid.inner_text() == "0\u00a0kr"
    axe_check(page)

    page.get_by_role("link", name="Malmö stad").click()
    page.get_by_role("heading", name=f"Malmö stad · {year}").wait_for()
    axe_check(page)
    page.get_by_label("Belopp (kr)").fill("125 000")
    page.get_by_role("button", name="Registrera betalning").click()
    page.get_by_text("En betalning på 125\u00a0000 kr registrerades.").wait_for()
    assert page.locator("[data-fact=outstanding]").inner_text() == "375\u00a0000\u00a0kr"
    axe_check(page)

    page.get_by_role("link", name=f"Tillbaka till finansiering {year}").click()
    assert page.locator("[data-kpi=paid] .kpi__value").inner_text() == "125\u00a0000\u00a0kr"
    assert "25 % av det utlovade" in page.inner_text("[data-kpi=paid]")
    axe_check(page)
    commitment.refresh_from_db()
    assert commitment.amount_paid == Decimal("125000")
    assert FundingCommitment.objects.get().payments.count() == 1


def test_manager_adds_an_organisation_sets_the_budget_and_records_work_in_kind(
    phone_page, manager, place_a
):
    page = phone_page
    year = timezone.localdate().year
    login(page, manager, language="en")
    page.goto(page.live_server_url + "/places/mollevangstorget/members/")
    page.get_by_role("link", name="Add an organisation").click()
    page.get_by_label("Name of the new organisation").fill("Möllans Städ AB")
    page.get_by_label("Organisationsnummer").fill("556677-8899")
    page.get_by_label("Kind of organisation").select_option("business")
    page.get_by_label("Role in the partnership").select_option("funder")
    axe_check(page)
    page.get_by_role("button", name="Add as member").click()
    page.get_by_text("Möllans Städ AB is now a member.").wait_for()
    axe_check(page)

    # On a phone the place's less used tabs are under "More" (issue #16).
    page.get_by_text("More", exact=True).click()
    page.get_by_role("link", name="Funding", exact=True).click()
    page.get_by_role("link", name="Set the budget").click()
    page.get_by_label("Target (SEK)").fill("800 000")
    page.get_by_label("Municipal share (SEK)").fill("400 000")
    axe_check(page)
    page.get_by_role("button", name="Save").click()
    page.get_by_text(f"The budget for {year} was saved.").wait_for()

    page.get_by_role("link", name="Add a commitment").click()
    page.get_by_label("Organisation:", exact=True).select_option(label="Möllans Städ AB")
    page.get_by_label("Kind:", exact=True).select_option("in_kind")
    page.get_by_label("Amount (SEK)").fill("90 000")
    axe_check(page)
    page.get_by_role("button", name="Save").click()
    # Work in kind needs its hours: a clear message, nothing saved.
    page.get_by_text("Give the number of hours for work in kind.", exact=True).wait_for()
    page.locator("#error-summary a[href='#id_in_kind_hours']").wait_for()
    assert not FundingCommitment.objects.exists()
    axe_check(page)
    page.get_by_label("Hours in kind").fill("120")
    page.get_by_label("Work in kind").fill("Städning av torget varje lördag")
    page.get_by_role("button", name="Save").click()
    page.get_by_text("The commitment of Möllans Städ AB was saved.").wait_for()
    assert "11 % of the budget" in page.inner_text("[data-kpi=committed]")
    assert "120 hours" in page.inner_text("[data-kpi=in-kind]")
    assert_fits_the_screen(page)
    axe_check(page)
