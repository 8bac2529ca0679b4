"""Invitation lifecycle: invite, accept by signup and by login, expiry, reuse, revoke, resend."""

import datetime as dt
import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.urls import reverse
from django.utils import timezone, translation

from partnerships.models import Invitation
from partnerships.tasks import send_invitation
from places.models import PlaceRole
from tests import factories as f

pytestmark = pytest.mark.django_db


def invite_url(place):
    return reverse("members:invitation_create", kwargs={"place_slug": place.slug})


def accept_url(invitation):
    return reverse("invitations:accept", kwargs={"token": invitation.token})


def link_in(message) -> str:
    return re.search(r"https?://\S+(/invitations/[\w-]+/)", message.body).group(1)


@pytest.fixture(autouse=True)
def english(client):
    """Assert on the English texts (requests and services); Swedish has its own test."""
    client.cookies["django_language"] = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def invitation(place_a, manager):
    return f.InvitationFactory(
        place=place_a, email="new.person@example.org", role="reporter", invited_by=manager
    )


def test_manager_invites_a_person_who_gets_a_mail_with_the_link(
    client, manager, place_a, property_owner, django_capture_on_commit_callbacks
):
    f.MembershipFactory(place=place_a, organisation=property_owner)
    client.force_login(manager)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            invite_url(place_a),
            {
                "email": "New.Person@Example.org",
                "role": "reporter",
                "organisation": property_owner.pk,
            },
            follow=True,
        )
    assert "new.person@example.org" in response.content.decode()
    invitation = Invitation.objects.get(place=place_a)
    assert (invitation.email, invitation.role, invitation.organisation) == (
        "new.person@example.org",
        "reporter",
        property_owner,
    )
    assert invitation.expires_at - timezone.now() > dt.timedelta(days=13, hours=23)
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["new.person@example.org"]
    assert "Möllevångstorget" in mail.outbox[0].subject
    assert link_in(mail.outbox[0]) == accept_url(invitation)


def test_inviting_an_address_that_already_has_the_role_is_refused(
    client, manager, reporter, place_a
):
    client.force_login(manager)
    response = client.post(
        invite_url(place_a), {"email": "REPORTER@example.org", "role": "reporter"}
    )
    assert response.status_code == 200
    assert "already has the role Reporter" in response.content.decode()
    assert not Invitation.objects.exists()
    assert mail.outbox == []


def test_a_second_pending_invitation_to_the_same_address_is_refused(client, manager, invitation):
    client.force_login(manager)
    response = client.post(
        invite_url(invitation.place), {"email": invitation.email, "role": "reader"}
    )
    assert "already waiting for an answer" in response.content.decode()
    assert Invitation.objects.count() == 1


def test_an_expired_invitation_can_be_replaced_by_a_new_one(client, manager, invitation):
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now())
    client.force_login(manager)
    response = client.post(
        invite_url(invitation.place), {"email": invitation.email, "role": "reader"}
    )
    assert response.status_code == 302
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None
    assert Invitation.objects.get(revoked_at__isnull=True).role == "reader"


def join_url(invitation):
    return reverse("invitations:join", kwargs={"token": invitation.token})


def _join(client, invitation, **overrides):
    data = {
        "full_name": "Sara Blom",
        "password1": "a-Long-pass-1234",
        "password2": "a-Long-pass-1234",
        **overrides,
    }
    return client.post(join_url(invitation), data, follow=True)


def _sign_up(client, email, next_url):
    return client.post(
        reverse("account_signup"),
        {
            "email": email,
            "full_name": "Someone Else",
            "password1": "a-Long-pass-1234",
            "password2": "a-Long-pass-1234",
            "next": next_url,
        },
    )


def _confirm(client, message):
    url = re.search(r"https?://\S+(/accounts/confirm-email/\S+/)", message.body).group(1)
    return client.post(url, follow=True)


def test_invitee_joins_in_one_step_and_lands_on_the_place(client, invitation, place_a):
    page = client.get(accept_url(invitation))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Möllevångstorget" in text and "Reporter" in text
    assert join_url(invitation) in text
    form = client.get(join_url(invitation)).content.decode()
    # One step: the name and a password; the invited address is shown, not typed.
    assert 'name="full_name"' in form and 'name="password1"' in form
    assert 'name="email"' not in form and "new.person@example.org" in form

    response = _join(client, invitation)
    assert response.redirect_chain[-1][0] == place_a.get_absolute_url()
    role = PlaceRole.objects.get(place=place_a, user__email=invitation.email)
    assert role.role == "reporter"
    assert role.user.full_name == "Sara Blom"
    # The link proved the address: verified, and no second (verification) mail.
    assert EmailAddress.objects.get(user=role.user).verified
    assert mail.outbox == []
    invitation.refresh_from_db()
    assert invitation.accepted_by == role.user
    # One welcome message, by name, saying what a reporter can do there.
    shown = [str(m) for m in response.context["messages"]]
    assert len(shown) == 1
    assert shown[0].startswith("Welcome to Möllevångstorget, Sara!")
    assert "log activities and incidents" in shown[0]
    assert response.wsgi_request.user == role.user


def test_joining_shows_every_problem_and_creates_nothing(client, invitation):
    response = _join(client, invitation, full_name=" ", password2="something-else-9")
    assert response.status_code == 200
    text = response.content.decode()
    assert 'id="error-summary"' in text and 'href="#id_full_name"' in text
    assert not PlaceRole.objects.filter(user__email=invitation.email).exists()
    assert not EmailAddress.objects.filter(email=invitation.email).exists()


def test_the_join_link_never_sets_the_password_of_an_existing_account(client, invitation):
    person = f.UserFactory(email=invitation.email)
    response = client.post(
        join_url(invitation),
        {"full_name": "X", "password1": "a-Long-pass-1234", "password2": "a-Long-pass-1234"},
    )
    assert response.status_code == 302 and response["Location"] == accept_url(invitation)
    person.refresh_from_db()
    assert not person.check_password("a-Long-pass-1234")
    # The link's page offers only to log in.
    assert join_url(invitation) not in client.get(accept_url(invitation)).content.decode()


def test_someone_logged_in_is_sent_from_the_join_page_to_accepting(client, invitation, outsider):
    client.force_login(outsider)
    response = client.get(join_url(invitation))
    assert response.status_code == 302 and response["Location"] == accept_url(invitation)
    assert not PlaceRole.objects.filter(user=outsider).exists()


def test_a_used_or_unknown_join_link_grants_nothing(client, invitation):
    _join(client, invitation)
    client.logout()
    again = client.post(
        join_url(invitation),
        {"full_name": "Y", "password1": "a-Long-pass-1234", "password2": "a-Long-pass-1234"},
    )
    assert again.status_code == 410
    unknown = client.get(reverse("invitations:join", kwargs={"token": "not-a-token"}))
    assert unknown.status_code == 404


def test_signing_up_with_another_address_does_not_take_the_invitation(client, invitation):
    client.get(accept_url(invitation))
    _sign_up(client, "someone.else@example.org", accept_url(invitation))
    response = _confirm(client, mail.outbox[0])
    assert response.status_code == 403
    assert "was sent to new.person@example.org" in response.content.decode()
    invitation.refresh_from_db()
    assert invitation.accepted_at is None
    assert not PlaceRole.objects.filter(user__email="someone.else@example.org").exists()


def test_existing_user_logs_in_from_the_link_and_gets_the_role(client, invitation, place_a):
    person = f.UserFactory(email=invitation.email)
    client.get(accept_url(invitation))
    response = client.post(
        reverse("account_login"),
        {"login": invitation.email, "password": "pw-for-tests-1", "next": accept_url(invitation)},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == place_a.get_absolute_url()
    assert PlaceRole.objects.get(user=person, place=place_a).role == "reporter"
    # allauth's "signed in as" is not stacked on top of the welcome.
    shown = [str(m) for m in response.context["messages"]]
    assert len(shown) == 1 and shown[0].startswith("Welcome to Möllevångstorget")


def test_the_invited_organisation_is_represented_at_that_place_only(
    client, invitation, property_owner
):
    Invitation.objects.filter(pk=invitation.pk).update(organisation=property_owner)
    person = f.UserFactory(email=invitation.email)
    client.force_login(person)
    client.get(accept_url(invitation))
    assert PlaceRole.objects.get(user=person).organisation == property_owner
    person.refresh_from_db()
    assert person.organisation is None  # the account's organisation is for applications only


def test_accepting_keeps_the_accounts_own_organisation(client, invitation, property_owner):
    Invitation.objects.filter(pk=invitation.pk).update(organisation=property_owner)
    own = f.OrganisationFactory(name="Egen Förening", kind="association")
    person = f.UserFactory(email=invitation.email, organisation=own)
    client.force_login(person)
    client.get(accept_url(invitation))
    person.refresh_from_db()
    assert person.organisation == own
    assert PlaceRole.objects.get(user=person).organisation == property_owner


def test_accepting_over_a_role_given_meanwhile_sets_the_invited_organisation(
    client, invitation, place_a, property_owner
):
    Invitation.objects.filter(pk=invitation.pk).update(organisation=property_owner)
    person = f.UserFactory(email=invitation.email)
    PlaceRole.objects.create(user=person, place=place_a, role="reporter")  # by an admin
    client.force_login(person)
    client.get(accept_url(invitation))
    role = PlaceRole.objects.get(user=person, place=place_a)
    assert (role.role, role.organisation) == ("reporter", property_owner)


def test_logged_in_with_another_address_gets_a_clear_message_and_nothing_changes(
    client, invitation, outsider
):
    client.force_login(outsider)
    response = client.get(accept_url(invitation))
    assert response.status_code == 403
    text = response.content.decode()
    assert "new.person@example.org" in text and "outsider@example.org" in text
    invitation.refresh_from_db()
    assert invitation.accepted_at is None
    assert not PlaceRole.objects.filter(user=outsider).exists()


def test_a_used_link_cannot_be_used_again(client, invitation, place_a):
    person = f.UserFactory(email=invitation.email)
    client.force_login(person)
    client.get(accept_url(invitation))
    PlaceRole.objects.filter(user=person).delete()  # e.g. removed later by the manager
    response = client.get(accept_url(invitation))
    assert response.status_code == 410
    assert "already been used" in response.content.decode()
    assert not PlaceRole.objects.filter(user=person).exists()


def test_an_expired_link_says_so_and_grants_nothing(client, invitation, time_machine):
    person = f.UserFactory(email=invitation.email)
    time_machine.move_to(timezone.now() + dt.timedelta(days=15))
    client.force_login(person)
    response = client.get(accept_url(invitation))
    assert response.status_code == 410
    assert "expired on" in response.content.decode()
    assert not PlaceRole.objects.filter(user=person).exists()


def test_the_link_still_works_on_day_13(client, invitation, time_machine, place_a):
    person = f.UserFactory(email=invitation.email)
    time_machine.move_to(timezone.now() + dt.timedelta(days=13))
    client.force_login(person)
    assert client.get(accept_url(invitation)).status_code == 302
    assert PlaceRole.objects.filter(user=person, place=place_a).exists()


def test_an_unknown_link_is_a_404_with_a_message(client):
    response = client.get(reverse("invitations:accept", kwargs={"token": "not-a-token"}))
    assert response.status_code == 404
    assert "not valid" in response.content.decode()


def test_manager_revokes_an_invitation_and_its_link_stops_working(client, manager, invitation):
    client.force_login(manager)
    url = reverse(
        "members:invitation_revoke",
        kwargs={"place_slug": invitation.place.slug, "pk": invitation.pk},
    )
    client.post(url)
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None
    client.logout()
    client.cookies["django_language"] = "en"
    response = client.get(accept_url(invitation))
    assert response.status_code == 410
    assert "withdrawn" in response.content.decode()


def test_revoking_twice_says_so_and_changes_nothing(client, manager, invitation):
    client.force_login(manager)
    url = reverse(
        "members:invitation_revoke",
        kwargs={"place_slug": invitation.place.slug, "pk": invitation.pk},
    )
    client.post(url)
    first = Invitation.objects.get().revoked_at
    response = client.post(url, follow=True)
    assert "already accepted or revoked" in response.content.decode()
    assert Invitation.objects.get().revoked_at == first


def test_manager_resends_an_expired_invitation_with_a_fresh_link(
    client, manager, invitation, django_capture_on_commit_callbacks
):
    Invitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - dt.timedelta(days=1), sent_at=timezone.now()
    )
    old_link = accept_url(invitation)
    client.force_login(manager)
    url = reverse(
        "members:invitation_resend",
        kwargs={"place_slug": invitation.place.slug, "pk": invitation.pk},
    )
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url)
    invitation.refresh_from_db()
    assert invitation.is_pending
    assert len(mail.outbox) == 1
    assert link_in(mail.outbox[0]) == accept_url(invitation) != old_link
    client.logout()
    assert client.get(old_link).status_code == 404


def test_the_mail_task_sends_once_however_often_it_runs(invitation):
    assert send_invitation(invitation.pk) is True
    assert send_invitation(invitation.pk) is False
    assert len(mail.outbox) == 1


def test_the_mail_task_skips_a_revoked_invitation(invitation):
    Invitation.objects.filter(pk=invitation.pk).update(revoked_at=timezone.now())
    assert send_invitation(invitation.pk) is False
    assert mail.outbox == []


def test_the_link_opens_on_the_host_and_port_the_manager_invited_from(
    client, manager, place_a, settings, django_capture_on_commit_callbacks
):
    settings.ALLOWED_HOSTS = ["localhost", "testserver"]
    settings.SITE_URL = "http://127.0.0.1:8000"
    client.force_login(manager)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            invite_url(place_a),
            {"email": "port@example.org", "role": "reader"},
            HTTP_HOST="localhost:9000",
        )
    invitation = Invitation.objects.get(email="port@example.org")
    assert f"http://localhost:9000{accept_url(invitation)}" in mail.outbox[0].body
    Invitation.objects.filter(pk=invitation.pk).update(sent_at=timezone.now())
    resend = reverse(
        "members:invitation_resend", kwargs={"place_slug": place_a.slug, "pk": invitation.pk}
    )
    with django_capture_on_commit_callbacks(execute=True):
        client.post(resend, HTTP_HOST="localhost:9000")
    invitation.refresh_from_db()
    assert f"http://localhost:9000{accept_url(invitation)}" in mail.outbox[1].body


def test_without_a_request_the_link_starts_with_site_url(invitation, settings):
    settings.SITE_URL = "https://amp.example.org"
    send_invitation(invitation.pk)
    assert f"https://amp.example.org{accept_url(invitation)}" in mail.outbox[0].body


def test_invitation_mail_is_in_the_inviters_language(invitation):
    send_invitation(invitation.pk, "en")
    assert "Invitation to Möllevångstorget" in mail.outbox[0].subject
    assert "as Reporter" in mail.outbox[0].body


def test_the_mail_says_who_invited_where_as_what_and_until_when(
    invitation, manager, property_owner
):
    from django.utils.formats import date_format

    manager.full_name = "Maja Manager"
    manager.save(update_fields=["full_name"])
    Invitation.objects.filter(pk=invitation.pk).update(organisation=property_owner)
    send_invitation(invitation.pk, "en")
    body = mail.outbox[0].body
    assert "Maja Manager invites you to the place partnership Möllevångstorget as Reporter" in body
    assert f"You will represent {property_owner.name} at this place." in body
    assert "You can log activities and incidents" in body  # what the role can do
    invitation.refresh_from_db()
    until = date_format(timezone.localtime(invitation.expires_at), "DATE_FORMAT")
    assert f"valid until {until}" in body
    assert "name and a password in one step" in body


# --- Access matrix --------------------------------------------------------------------------


def test_invite_page_access(client, manager, reporter, reader_b, place_a):
    url = invite_url(place_a)
    assert client.get(url).status_code == 302  # anonymous: to the login page
    client.force_login(reader_b)
    assert client.get(url).status_code == 404
    client.force_login(reporter)
    assert client.get(url).status_code == 403
    assert client.post(url, {"email": "x@example.org", "role": "reader"}).status_code == 403
    client.force_login(manager)
    assert client.get(url).status_code == 200
    assert client.put(url).status_code == 405
    assert not Invitation.objects.exists()


@pytest.mark.parametrize("action", ["invitation_resend", "invitation_revoke"])
def test_resend_and_revoke_access(client, action, manager, reporter, reader_b, invitation, place_b):
    url = reverse(
        f"members:{action}", kwargs={"place_slug": invitation.place.slug, "pk": invitation.pk}
    )
    client.force_login(reader_b)
    assert client.post(url).status_code == 404
    client.force_login(reporter)
    assert client.post(url).status_code == 403
    client.force_login(manager)
    assert client.get(url).status_code == 405
    other = f.InvitationFactory(place=place_b)
    other_url = reverse(
        f"members:{action}", kwargs={"place_slug": "mollevangstorget", "pk": other.pk}
    )
    assert client.post(other_url).status_code == 404
    invitation.refresh_from_db()
    assert invitation.revoked_at is None
    assert client.post(url).status_code == 302


def test_accept_link_answers_get_only(client, invitation):
    assert client.post(accept_url(invitation)).status_code == 405


def test_the_invitation_speaks_swedish(client, invitation, outsider):
    client.cookies["django_language"] = "sv"
    text = client.get(accept_url(invitation)).content.decode()
    assert (
        "Du är inbjuden till <strong>Möllevångstorget</strong> som <strong>Rapportör</strong>"
        in text
    )
    client.force_login(outsider)
    text = client.get(accept_url(invitation)).content.decode()
    assert "men du är inloggad som outsider@example.org" in text
    send_invitation(invitation.pk, "sv")
    assert mail.outbox[0].subject == "Inbjudan till Möllevångstorget"
