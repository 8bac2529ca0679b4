"""Consent before someone else's organisation is a co-applicant (issue #11, section 3).

An applicant may ask any registered organisation, e.g. Polismyndigheten by its public
organisationsnummer. Until one of its people accepts, that organisation sees nothing of the
application and its people are offered nowhere on it.
"""

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from partnerships.forms.applications import InviteEditorForm
from partnerships.models import (
    ApplicationEvent,
    ApplicationParty,
    Membership,
    PartnershipApplication,
)
from partnerships.queries.applications import review_queue
from partnerships.services import applications as services
from tests import factories as f
from tests.partnerships.applications_support import *  # noqa: F403

Consent = ApplicationParty.Consent


@pytest.fixture
def en(client):
    client.cookies["django_language"] = "en"
    return client


@pytest.fixture
def police_officer(police_org):
    """Someone who acts for Polismyndigheten in applications."""
    return f.UserFactory(
        email="petra.polis@example.org",
        full_name="Petra Polis",
        organisation=police_org,
        preferred_language="en",
    )


@pytest.fixture
def police_colleague(police_org):
    return f.UserFactory(
        email="pelle.polis@example.org",
        full_name="Pelle Polis",
        organisation=police_org,
        preferred_language="sv",
    )


def url(name, *args):
    return reverse(f"partnerships:{name}", args=args)


def ask(client, application, organisation, *, hours="24"):
    """The applicant adds an organisation by its organisationsnummer on the parties step."""
    return client.post(
        url("party_add", application.pk),
        {
            "name": "Vilket namn som helst",
            "org_number": organisation.org_number,
            "kind": organisation.kind,
            "commits_money_sek": "0",
            "commits_hours": hours,
            "commits_responsibility": "Deltar i trygghetsvandringar.",
        },
    )


def police_party(application, police_org):
    return ApplicationParty.objects.get(application=application, organisation=police_org)


@pytest.fixture
def asked(client, draft, applicant, police_org, police_officer):
    """The applicant has asked Polismyndigheten to be a co-applicant on the draft."""
    client.force_login(applicant)
    assert ask(client, draft, police_org).status_code == 302
    client.logout()
    return police_party(draft, police_org)


# --- The reproduction -----------------------------------------------------------------------


def test_asking_polismyndigheten_shows_it_nothing_and_offers_its_people_nowhere(
    client, draft, applicant, police_org, police_officer
):
    client.force_login(applicant)
    assert ask(client, draft, police_org).status_code == 302
    assert police_party(draft, police_org).consent == Consent.PENDING

    parties_step = client.get(url("application_edit", draft.pk, "parties")).content.decode()
    assert "Polismyndigheten" in parties_step  # the applicant sees whom they asked …
    assert "Petra Polis" not in parties_step  # … but not who works there
    assert police_officer.email not in parties_step
    assert police_officer not in InviteEditorForm(application=draft).fields["editor"].queryset
    refused = client.post(url("editor_invite", draft.pk), {"editor": police_officer.pk})
    assert refused.status_code == 400
    assert not draft.collaborators.exists()
    with pytest.raises(services.TransitionError):
        services.application_invite_editor(
            application=draft, actor=applicant, editor=police_officer
        )
    detail = client.get(url("application_detail", draft.pk)).content.decode()
    assert "Petra Polis" not in detail

    client.force_login(police_officer)
    assert client.get(url("application_detail", draft.pk)).status_code == 404
    assert client.get(url("application_edit", draft.pk, "plan")).status_code == 404
    mine = client.get(url("application_list")).content.decode()
    assert f'href="{url("application_detail", draft.pk)}"' not in mine
    assert not PartnershipApplication.objects.visible_to(police_officer).exists()


def test_the_request_is_recorded_and_mailed_to_the_organisations_people_in_their_language(
    client,
    draft,
    applicant,
    police_org,
    police_officer,
    police_colleague,
    django_capture_on_commit_callbacks,
):
    client.force_login(applicant)
    with django_capture_on_commit_callbacks(execute=True):
        ask(client, draft, police_org)
    event = draft.events.get(action="co_applicant_requested")
    assert (event.actor, event.note) == (applicant, "Polismyndigheten")
    by_address = {message.to[0]: message for message in mail.outbox}
    assert set(by_address) == {police_officer.email, police_colleague.email}
    english, swedish = by_address[police_officer.email], by_address[police_colleague.email]
    assert "Organisation asked to be a co-applicant" in english.subject
    assert "Organisation tillfrågad som medsökande" in swedish.subject
    assert "asks Polismyndigheten to be a co-applicant" in english.body
    # The link leads to where they answer; the application itself is closed to them.
    # The link starts with the host of the request that asked (not SITE_URL).
    answer_page = "http://testserver" + url("application_list")
    assert answer_page in english.body and answer_page in swedish.body
    assert url("application_detail", draft.pk) not in english.body


# --- Answering --------------------------------------------------------------------------


def test_police_accept_and_then_see_the_application_and_can_be_invited(
    en, draft, applicant, asked, police_officer, django_capture_on_commit_callbacks
):
    en.force_login(police_officer)
    page = en.get(url("application_list")).content.decode()
    assert "Asked to be a co-applicant" in page
    assert draft.title in page
    assert "Sofielund Fastigheter AB asks Polismyndigheten to be a co-applicant" in page

    with django_capture_on_commit_callbacks(execute=True):
        response = en.post(url("co_applicant_accept", asked.pk))
    assert response.status_code == 302
    assert response["Location"] == url("application_detail", draft.pk)
    asked.refresh_from_db()
    assert asked.consent == Consent.ACCEPTED
    assert asked.consent_decided_by == police_officer
    assert asked.consent_decided_at == timezone.now()
    event = draft.events.get(action="co_applicant_accepted")
    assert (event.actor, event.note) == (police_officer, "Polismyndigheten")
    assert [message.to for message in mail.outbox] == [[applicant.email]]

    assert en.get(url("application_detail", draft.pk)).status_code == 200
    assert "Asked to be a co-applicant" not in en.get(url("application_list")).content.decode()
    en.force_login(applicant)
    assert police_officer in InviteEditorForm(application=draft).fields["editor"].queryset
    assert "Petra Polis" in en.get(url("application_edit", draft.pk, "parties")).content.decode()
    timeline = en.get(url("application_detail", draft.pk)).content.decode()
    assert "Medsökande har tackat ja" in timeline  # the applicant reads Swedish


def test_a_second_accept_does_nothing_twice(client, draft, asked, police_officer):
    client.force_login(police_officer)
    client.post(url("co_applicant_accept", asked.pk))
    asked.refresh_from_db()
    answered_at = asked.consent_decided_at
    again = client.post(url("co_applicant_accept", asked.pk))
    assert again.status_code == 302
    assert draft.events.filter(action="co_applicant_accepted").count() == 1
    asked.refresh_from_db()
    assert asked.consent_decided_at == answered_at
    assert services.party_decline(party=asked, actor=police_officer) is False
    asked.refresh_from_db()
    assert asked.consent == Consent.ACCEPTED


def test_police_decline_and_see_nothing_while_the_applicant_sees_the_answer(
    en, draft, applicant, asked, police_officer, django_capture_on_commit_callbacks
):
    en.force_login(police_officer)
    with django_capture_on_commit_callbacks(execute=True):
        response = en.post(url("co_applicant_decline", asked.pk))
    assert response.status_code == 302
    assert response["Location"] == url("application_list")
    asked.refresh_from_db()
    assert (asked.consent, asked.consent_decided_by) == (Consent.DECLINED, police_officer)
    assert en.get(url("application_detail", draft.pk)).status_code == 404
    assert "Asked to be a co-applicant" not in en.get(url("application_list")).content.decode()

    event = draft.events.get(action="co_applicant_declined")
    # The organisation declined; the person who answered is not named on the application.
    assert (event.actor, event.note) == (None, "Polismyndigheten")
    assert [message.to for message in mail.outbox] == [[applicant.email]]
    en.force_login(applicant)
    parties_step = en.get(url("application_edit", draft.pk, "parties")).content.decode()
    assert "Tackat nej" in parties_step  # the applicant reads Swedish
    assert "Polismyndigheten tackade nej den" in parties_step
    assert "Petra Polis" not in parties_step
    detail = en.get(url("application_detail", draft.pk)).content.decode()
    assert "Medsökande har tackat nej" in detail
    assert "Petra Polis" not in detail
    assert police_officer not in InviteEditorForm(application=draft).fields["editor"].queryset


def test_the_applicant_sees_the_request_waiting_on_the_parties_step(
    client, draft, asked, applicant
):
    client.force_login(applicant)
    page = client.get(url("application_edit", draft.pk, "parties")).content.decode()
    assert "Väntar på svar" in page
    assert "Väntar på svar från Polismyndigheten" in page
    assert "Dra tillbaka förfrågan till Polismyndigheten" in page
    # What it is asked to commit is shown, but is not a commitment until it accepts.
    assert f'action="{url("party_update", draft.pk, asked.pk)}"' not in page


# --- Access -----------------------------------------------------------------------------


@pytest.mark.parametrize("actor", ["applicant", "co_applicant", "outsider", "reviewer", "staff"])
@pytest.mark.parametrize("name", ["co_applicant_accept", "co_applicant_decline"])
def test_only_the_asked_organisations_people_can_answer(request, client, asked, actor, name):
    client.force_login(request.getfixturevalue(actor))
    assert client.post(url(name, asked.pk)).status_code == 404
    asked.refresh_from_db()
    assert asked.consent == Consent.PENDING
    answers = ["co_applicant_accepted", "co_applicant_declined"]
    assert not ApplicationEvent.objects.filter(action__in=answers).exists()


@pytest.mark.parametrize("name", ["co_applicant_accept", "co_applicant_decline"])
def test_answering_is_post_only(client, asked, police_officer, name):
    client.force_login(police_officer)
    assert client.get(url(name, asked.pk)).status_code == 405
    asked.refresh_from_db()
    assert asked.consent == Consent.PENDING


def test_anonymous_is_sent_to_log_in(client, asked):
    response = client.post(url("co_applicant_accept", asked.pk))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_a_withdrawn_request_cannot_be_answered(client, draft, applicant, asked, police_officer):
    client.force_login(applicant)
    client.post(url("party_remove", draft.pk, asked.pk))
    assert not ApplicationParty.objects.filter(pk=asked.pk).exists()
    client.force_login(police_officer)
    assert client.post(url("co_applicant_accept", asked.pk)).status_code == 404
    assert client.get(url("application_detail", draft.pk)).status_code == 404


def test_a_withdrawn_application_needs_no_answer(en, draft, applicant, asked, police_officer):
    services.application_withdraw(application=draft, actor=applicant)
    en.force_login(police_officer)
    assert draft.title not in en.get(url("application_list")).content.decode()
    page = en.post(url("co_applicant_accept", asked.pk), follow=True).content.decode()
    assert "no longer needs an answer" in page
    asked.refresh_from_db()
    assert asked.consent == Consent.PENDING
    assert en.get(url("application_detail", draft.pk)).status_code == 404


# --- Who is added at once -----------------------------------------------------------------


def test_an_editors_own_organisation_is_added_at_once(
    client, complete_draft, applicant, association, co_applicant, django_capture_on_commit_callbacks
):
    """The association's Cia edits the application; her organisation was taken off and she
    puts it back: she acts for it, so nobody needs to be asked."""
    services.application_invite_editor(
        application=complete_draft, actor=applicant, editor=co_applicant
    )
    services.party_remove(
        party=complete_draft.parties.get(organisation=association), actor=applicant
    )
    client.force_login(co_applicant)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert ask(client, complete_draft, association).status_code == 302
    party = complete_draft.parties.get(organisation=association)
    assert party.consent == Consent.ACCEPTED
    assert not complete_draft.events.filter(action="co_applicant_requested").exists()
    assert mail.outbox == []


def test_the_applicants_own_organisation_is_added_at_once(client, draft, applicant):
    """The creator now acts for another organisation too (User.organisation changed)."""
    new_employer = f.OrganisationFactory(name="Sofielund Förvaltning AB", kind="business")
    applicant.organisation = new_employer
    applicant.save()
    client.force_login(applicant)
    assert ask(client, draft, new_employer).status_code == 302
    assert draft.parties.get(organisation=new_employer).consent == Consent.ACCEPTED


def test_an_organisation_nobody_represents_is_asked_even_when_new(client, draft, applicant):
    client.force_login(applicant)
    client.post(
        url("party_add", draft.pk),
        {
            "name": "Nya Föreningen",
            "org_number": f.valid_org_number(4242),
            "kind": "association",
            "commits_money_sek": "0",
            "commits_hours": "10",
        },
    )
    party = draft.parties.get(organisation__name="Nya Föreningen")
    assert party.consent == Consent.PENDING


def test_asking_again_says_what_became_of_the_first_request(
    client, draft, applicant, asked, police_org, police_officer
):
    client.force_login(applicant)
    page = ask(client, draft, police_org).content.decode()
    assert "redan tillfrågad" in page
    services.party_decline(party=asked, actor=police_officer)
    page = ask(client, draft, police_org).content.decode()
    assert "har tackat nej" in page
    assert draft.parties.filter(organisation=police_org).count() == 1


# --- Submission, review and approval count only parties that agreed ----------------------


def test_a_waiting_request_blocks_submission_until_answered(
    client, complete_draft, applicant, police_org, police_officer
):
    client.force_login(applicant)
    ask(client, complete_draft, police_org)
    party = police_party(complete_draft, police_org)
    with pytest.raises(services.TransitionError) as refused:
        services.application_submit(application=complete_draft, actor=applicant)
    assert any("Polismyndigheten" in item for item in refused.value.missing)
    complete_draft.refresh_from_db()
    assert complete_draft.status == PartnershipApplication.Status.DRAFT

    assert services.party_accept(party=party, actor=police_officer) is True
    services.application_submit(application=complete_draft, actor=applicant)
    complete_draft.refresh_from_db()
    assert complete_draft.status == PartnershipApplication.Status.SUBMITTED


def test_a_declined_organisation_is_left_out_of_review_and_approval(
    client, changes_requested, applicant, reviewer, police_org, police_officer
):
    application = changes_requested
    client.force_login(applicant)
    ask(client, application, police_org)
    services.party_decline(party=police_party(application, police_org), actor=police_officer)
    services.application_submit(application=application, actor=applicant)
    services.application_start_review(application=application, actor=reviewer)

    (row,) = review_queue(reviewer, status="all")
    assert row.party_count == 2
    client.force_login(reviewer)
    review = client.get(url("application_review", application.pk))
    assert police_org not in {party.organisation for party in review.context["parties"]}
    assess_all(application, reviewer)  # noqa: F405
    plan = services.approval_proposal(application, municipality="Malmö")
    assert police_org not in {item.party.organisation for item in plan.parties}
    plan.reason = "Godkänd."
    place = services.application_approve(application=application, actor=reviewer, plan=plan)
    assert not Membership.objects.filter(place=place, organisation=police_org).exists()
    assert Membership.objects.filter(place=place).count() == 2


# --- The data keeps the rule --------------------------------------------------------------


def test_the_database_refuses_a_lead_that_has_not_agreed_and_a_decline_without_a_time(draft):
    from django.db import IntegrityError, transaction

    lead = draft.parties.get()
    with pytest.raises(IntegrityError), transaction.atomic():
        ApplicationParty.objects.filter(pk=lead.pk).update(consent=Consent.PENDING)
    other = f.OrganisationFactory(kind="association")
    with pytest.raises(IntegrityError), transaction.atomic():
        ApplicationParty.objects.create(
            application=draft, organisation=other, consent=Consent.DECLINED
        )


def test_the_requests_page_has_a_fixed_number_of_queries(
    client, applicant, police_org, police_officer, count_queries
):
    def ask_with_new_draft():
        application = services.application_create(actor=applicant, title="Tryggare torg")
        services.party_add(
            application=application, actor=applicant, organisation=police_org, data={}
        )

    ask_with_new_draft()
    client.force_login(police_officer)
    with count_queries() as one:
        assert client.get(url("application_list")).status_code == 200
    ask_with_new_draft()
    ask_with_new_draft()
    with count_queries() as three:
        page = client.get(url("application_list")).content.decode()
    assert page.count("Tryggare torg") == 3
    assert len(three) == len(one)
