"""Sign up by e-mail, verify, log in and land on "My places"; the admin login goes through
allauth."""

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse

from accounts.models import User
from places.models import PlaceRole

PASSWORD = "trygg-torg-2026-lösen"


def _in_english(client):
    # Test assertions read the English msgids; the client's logout() drops the cookie.
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


def _confirmation_link(message):
    match = re.search(r"https?://[^/\s]+(/accounts/confirm-email/[^\s]+/)", message.body)
    assert match, message.body
    return match.group(1)


@pytest.mark.django_db
def test_signup_verification_login_and_my_places(client, place_a):
    _in_english(client)
    response = client.post(
        reverse("account_signup"),
        {
            "email": "Ny.Medlem@Example.org",
            "full_name": "  Nora   Medlem ",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    user = User.objects.get(email="ny.medlem@example.org")
    assert user.preferred_language == "en"  # the language they signed up in
    assert user.full_name == "Nora Medlem"  # asked with the password, so greetings use it

    # Verification is mandatory: a login before it does not reach the places.
    client.logout()
    _in_english(client)
    response = client.post(
        reverse("account_login"), {"login": "ny.medlem@example.org", "password": PASSWORD}
    )
    assert response["Location"] == reverse("account_email_verification_sent")
    assert client.get(reverse("places:home")).context["user"].is_anonymous

    # Each attempt mailed a link; the person follows the latest one.
    assert mail.outbox
    assert mail.outbox[-1].to == ["ny.medlem@example.org"]
    link = _confirmation_link(mail.outbox[-1])
    assert client.get(link).status_code == 200
    response = client.post(link)
    assert response.status_code == 302

    client.logout()
    _in_english(client)
    response = client.post(
        reverse("account_login"), {"login": "NY.MEDLEM@example.org", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("places:home")

    # A new account sees no place until it gets a role …
    page = client.get(reverse("places:home"))
    assert page.status_code == 200
    assert "My places" in page.content.decode()
    assert place_a.name not in page.content.decode()
    assert "You do not have a role in any place yet." in page.content.decode()

    # … and sees the place with its role once an admin grants one.
    PlaceRole.objects.create(user=user, place=place_a, role="reporter")
    page = client.get(reverse("places:home")).content.decode()
    assert place_a.name in page
    assert "Reporter" in page


@pytest.mark.django_db
def test_the_outsider_does_not_see_the_square_on_my_places(
    client, outsider, reader, place_a, place_b
):
    client.force_login(outsider)
    page = client.get(reverse("places:home")).content.decode()
    assert place_a.name not in page
    assert place_b.name not in page

    client.force_login(reader)
    page = client.get(reverse("places:home")).content.decode()
    assert place_a.name in page
    assert place_b.name not in page


@pytest.mark.django_db
def test_the_admin_login_page_sends_people_to_the_allauth_login(client):
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    location = urlsplit(response["Location"])
    assert location.path == reverse("account_login")
    assert parse_qs(location.query)["next"] == ["/admin/"]

    # An anonymous visit to the admin ends on the same allauth login page.
    response = client.get("/admin/", follow=True)
    assert response.redirect_chain[-1][0].startswith(reverse("account_login"))
    assert response.status_code == 200


@pytest.mark.django_db
def test_staff_log_in_through_allauth_and_reach_the_admin(client, staff):
    response = client.post(
        reverse("account_login") + "?next=/admin/",
        {"login": "staff@example.org", "password": "pw-for-tests-1", "next": "/admin/"},
    )
    assert response.status_code == 302
    assert response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


@pytest.mark.django_db
def test_a_logged_in_non_staff_user_cannot_use_the_admin(client, reader):
    client.force_login(reader)
    response = client.get("/admin/", follow=True)
    assert response.status_code == 403
