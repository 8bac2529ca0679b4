"""The application journey in a browser: draft, a co-applicant that accepts, submit, changes
requested, resubmit, approval.

The applicant and the co-applicant work in Swedish, the city's reviewer in English; axe-core
runs on every page.
"""

import re

import pytest
from playwright.sync_api import expect

from partnerships.models import PartnershipApplication
from tests import factories as f
from tests.e2e.conftest import PHONE, assert_fits_the_screen, axe_check, login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def save_and_continue(page):
    page.get_by_role("button", name="Spara och fortsätt").click()


def test_applicant_and_reviewer_take_an_application_from_draft_to_a_new_place(
    page, new_page, reviewer
):
    lead_org = f.OrganisationFactory(name="Sofielund Fastigheter AB", kind="property_owner")
    applicant = f.UserFactory(
        email="applicant@example.org", full_name="Amir Karimi", organisation=lead_org
    )
    association = f.OrganisationFactory(
        name="Föreningen Sofielunds Vänner",
        org_number=f.valid_org_number(5151),
        kind="association",
    )
    association_chair = f.UserFactory(
        email="cia@example.org", full_name="Cia Ordförande", organisation=association
    )
    base = page.live_server_url

    # --- The applicant drafts, step by step (Swedish) ---------------------------------------
    login(page, applicant, language="sv")
    page.goto(base + "/samverkan/")
    axe_check(page)
    page.get_by_role("link", name="Mina ansökningar").first.click()
    page.get_by_role("heading", name="Mina ansökningar").wait_for()
    axe_check(page)
    page.get_by_role("link", name="Påbörja en ansökan").click()
    axe_check(page)
    page.get_by_label("Ansökans titel").fill("Tryggare Sofielund")
    page.get_by_role("button", name="Skapa utkast").click()

    page.get_by_role("heading", name=re.compile("Steg 1 av 6")).wait_for()
    page.get_by_label("Områdets namn").fill("Sofielund")
    page.get_by_label("Beskrivning av området").fill("Verkstäder och bostäder.")
    # Draw the boundary: four clicks on the map write a closed polygon into the textarea.
    page.locator("#boundary-map").scroll_into_view_if_needed()
    map_box = page.locator("#boundary-map").bounding_box()
    for dx, dy in [(0.4, 0.4), (0.6, 0.4), (0.6, 0.6), (0.4, 0.6)]:
        page.mouse.click(
            map_box["x"] + map_box["width"] * dx, map_box["y"] + map_box["height"] * dy
        )
    expect(page.get_by_label("Avgränsning (GeoJSON)")).to_have_value(re.compile('"Polygon"'))
    axe_check(page)
    save_and_continue(page)

    page.get_by_role("heading", name=re.compile("Steg 2 av 6")).wait_for()
    axe_check(page)
    lead = page.locator("section.party").first
    lead.get_by_label("Pengar (kr/år)").fill("100000")
    lead.get_by_role("button", name="Spara åtaganden").click()
    add = page.locator("section", has=page.get_by_role("heading", name="Lägg till en organisation"))
    add.get_by_label("Organisationens namn").fill("Föreningen Sofielunds Vänner")
    add.get_by_label("Organisationsnummer").fill(f.valid_org_number(5151))
    add.get_by_label("Typ av organisation").select_option("association")
    add.get_by_label("Pengar (kr/år)").fill("50000")
    add.get_by_label("Timmar (per år)").fill("120")
    add.get_by_role("button", name="Lägg till organisation").click()
    # Nobody at Amir's company acts for the association: it is asked, not added.
    expect(
        page.get_by_text("Föreningen Sofielunds Vänner har tillfrågats som medsökande.")
    ).to_be_visible()
    expect(page.get_by_text("Väntar på svar från Föreningen Sofielunds Vänner.")).to_be_visible()
    expect(page.locator("main")).not_to_contain_text("Cia Ordförande")
    axe_check(page)

    # --- The association's chair accepts on her applications page ---------------------------
    chair = new_page(language="sv")
    login(chair, association_chair, language="sv")
    chair.goto(base + "/applications/")
    request = chair.locator("section.co-applicant-request")
    expect(request).to_contain_text(
        "Sofielund Fastigheter AB frågar om Föreningen Sofielunds Vänner vill vara medsökande"
    )
    expect(request).to_contain_text("120")
    axe_check(chair)
    request.get_by_role("button", name=re.compile("Tacka ja")).click()
    expect(chair.get_by_role("heading", name="Tryggare Sofielund")).to_be_visible()
    expect(chair.locator("main")).to_contain_text("Medsökande har tackat ja")
    axe_check(chair)

    page.reload()
    expect(page.locator("main")).not_to_contain_text("Väntar på svar")
    page.get_by_role("button", name="Fortsätt", exact=True).click()

    page.get_by_label("Syfte").fill("Ett tryggare och renare Sofielund.")
    page.get_by_label("Planerade aktiviteter").fill("Trygghetsvandringar och städdagar.")
    page.get_by_label("Förväntade resultat").fill("Färre skadegörelser.")
    axe_check(page)
    save_and_continue(page)

    page.get_by_role("heading", name=re.compile("Steg 4 av 6")).wait_for()
    for textarea in page.locator("form.form textarea").all():
        textarea.fill("Vi har samverkat i två år och delar ansvaret.")
    axe_check(page)
    save_and_continue(page)

    page.get_by_label("Tidplan").fill("Start i januari, uppföljning i juni.")
    page.get_by_label("Total budget (kr)").fill("300000")
    page.get_by_label("Sökt stöd från staden (kr)").fill("150000")
    axe_check(page)
    save_and_continue(page)

    page.get_by_role("heading", name=re.compile("Steg 6 av 6")).wait_for()
    page.get_by_label("Fil").set_input_files(
        {"name": "avsiktsforklaring.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    page.get_by_role("button", name="Bifoga fil").click()
    expect(page.get_by_role("link", name="avsiktsforklaring.pdf")).to_be_visible()
    axe_check(page)
    page.get_by_role("button", name="Fortsätt till kontroll och inskickning").click()

    page.get_by_role("heading", name="Kontrollera och skicka in", exact=True).wait_for()
    expect(page.get_by_text("Allt staden behöver finns med")).to_be_visible()
    axe_check(page)
    page.get_by_role("button", name="Skicka in ansökan").click()
    expect(page.locator("main")).to_contain_text("Inskickad")
    axe_check(page)
    application = PartnershipApplication.objects.get()

    # --- The reviewer assesses on a phone and asks for changes (English) -------------------
    city = new_page(viewport=PHONE, language="en")
    login(city, reviewer, language="en")
    city.goto(base + "/applications/review/")
    axe_check(city)
    city.get_by_role("link", name=application.reference).click()
    city.get_by_role("button", name="Start review").click()
    expect(city.get_by_text("Review started.")).to_be_visible()
    expect(city.get_by_text("0 of 4 criteria assessed")).to_be_visible()
    # Two criteria, one press: both are saved.
    mixed = city.locator("#criterion-mixed_actors")
    mixed.get_by_label("Met", exact=True).check()
    trust = city.locator("#criterion-established_trust")
    trust.get_by_label("Partly met", exact=True).check()
    trust.get_by_role("textbox").fill("Samarbetet är nytt.")
    expect(city.get_by_text("You have unsaved changes.")).to_be_visible()
    city.get_by_role("button", name="Save the assessments").click()
    expect(city.get_by_text("2 assessments saved.")).to_be_visible()
    expect(city.get_by_text("2 of 4 criteria assessed")).to_be_visible()
    expect(city.get_by_text("You have unsaved changes.")).to_be_hidden()
    assert_fits_the_screen(city)
    axe_check(city)
    # A change not saved yet: leaving the page asks first; staying keeps it.
    dialogs = []
    city.on("dialog", lambda dialog: (dialogs.append(dialog.type), dialog.dismiss()))
    commitment = city.locator("#criterion-commitment")
    commitment.get_by_label("Met", exact=True).check()
    city.locator("main").get_by_role("link", name="Review queue").click()
    city.wait_for_timeout(500)
    assert dialogs == ["beforeunload"]
    assert "/review/#assessments" in city.url
    expect(commitment.get_by_label("Met", exact=True)).to_be_checked()
    city.get_by_role("button", name="Save the assessments").click()
    expect(city.get_by_text("3 assessments saved.")).to_be_visible()
    expect(city.get_by_text("3 of 4 criteria assessed")).to_be_visible()
    city.get_by_role("textbox", name="Internal note").fill("Kontrollera föreningens förankring.")
    city.get_by_role("button", name="Add note").click()
    axe_check(city)
    city.get_by_text("Request changes", exact=True).click()
    city.get_by_label("What should be changed").fill("Beskriv hur de boende involveras.")
    city.get_by_role("button", name="Send the request").click()
    expect(city.locator("main")).to_contain_text("Changes requested")
    axe_check(city)
    assert dialogs == ["beforeunload"]  # once saved, leaving asks nothing

    # --- The applicant answers and resubmits ------------------------------------------------
    page.goto(base + f"/applications/{application.pk}/")
    expect(page.get_by_role("heading", name="Staden begär komplettering")).to_be_visible()
    expect(page.locator("main")).to_contain_text("Beskriv hur de boende involveras.")
    expect(page.locator("main")).not_to_contain_text("Kontrollera föreningens förankring.")
    axe_check(page)
    page.goto(base + f"/applications/{application.pk}/edit/plan/")
    page.get_by_label("Planerade aktiviteter").fill(
        "Trygghetsvandringar med de boende varje månad och städdagar."
    )
    save_and_continue(page)
    page.goto(base + f"/applications/{application.pk}/submit/")
    page.get_by_role("button", name="Skicka in ansökan igen").click()
    expect(page.locator("main")).to_contain_text("Inskickad igen med ändringar")

    # --- The reviewer approves; the partnership starts ---------------------------------------
    city.goto(base + f"/applications/{application.pk}/review/")
    city.get_by_role("button", name="Start review").click()
    added_value = city.locator("#criterion-added_value")
    added_value.get_by_label("Met", exact=True).check()
    added_value.get_by_role("textbox").fill("Hela stråket i stället för fastighet för fastighet.")
    city.get_by_role("button", name="Save the assessments").click()
    expect(city.get_by_text("4 of 4 criteria assessed")).to_be_visible()
    city.get_by_role("link", name="Approve and start the partnership…").click()
    expect(city.get_by_label("Name of the place")).to_have_value("Sofielund")
    expect(city.get_by_text("4 of 4 criteria assessed")).to_be_visible()
    expect(city.get_by_label("Why decide before every criterion is assessed?")).to_have_count(0)
    axe_check(city)
    city.get_by_label("Reason for the decision").fill(
        "Alla fyra kriterier är uppfyllda och de boende är involverade."
    )
    # Hours in kind need a description of the work (the funding rule, also at approval).
    city.get_by_role("button", name="Approve and start the partnership").click()
    work = city.get_by_label("Work in kind")
    for index in range(work.count()):
        if not work.nth(index).input_value():
            work.nth(index).fill("Städrundor på gården")
    city.get_by_role("button", name="Approve and start the partnership").click()
    expect(city.get_by_text("Approved. The partnership “Sofielund” has started.")).to_be_visible()
    axe_check(city)

    # --- The lead applicant's home is now the new place (their only one) ---------------------
    page.goto(base + "/")
    expect(page.get_by_role("heading", name="Sofielund", level=1)).to_be_visible()
    page.get_by_role("link", name="Platsens översikt och siffror").click()
    page.get_by_role("heading", name="Sofielund", level=1).wait_for()
    expect(page.locator("main")).to_contain_text("Platsansvarig")
    axe_check(page)
    page.goto(base + f"/applications/{application.pk}/")
    expect(page.get_by_role("heading", name="Beslut: beviljad")).to_be_visible()
    axe_check(page)
    page.get_by_role("link", name="Uppföljning").click()
    page.get_by_label("Historier").fill("Första städdagen samlade trettio grannar.")
    page.get_by_role("button", name="Spara uppföljningen").click()
    expect(page.get_by_text("Uppföljningen är sparad.")).to_be_visible()
    axe_check(page)
