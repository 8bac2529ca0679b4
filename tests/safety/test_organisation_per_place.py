"""Whom a person represents is per place (architecture §4): a police role at one place opens nothing
restricted at another, and an invitation never changes the account's organisation."""

import re

import pytest
from django.core import mail
from django.db import transaction
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accounts.models import Organisation, User
from places.access import place_access
from places.models import Place, PlaceRole
from safety.models import Incident
from safety.services.incidents import incident_create
from tests import factories as f

pytestmark = pytest.mark.django_db


def _link(message) -> str:
    return re.search(r"https?://\S+(/invitations/[\w-]+/)", message.body).group(1)


def _invite(client, manager, place, email, organisation, capture):
    """The manager invites `email` through the members page; returns the mailed link."""
    client.force_login(manager)
    with capture(execute=True):
        response = client.post(
            reverse("members:invitation_create", kwargs={"place_slug": place.slug}),
            {"email": email, "role": "reader", "organisation": organisation.pk},
        )
    assert response.status_code == 302
    client.logout()
    return _link(mail.outbox[-1])


def _listed(client, place) -> set[int]:
    response = client.get(reverse("safety:incident_list", kwargs={"place_slug": place.slug}))
    assert response.status_code == 200
    return {incident.pk for incident in response.context["page"].object_list}


def test_a_police_invitation_at_one_place_opens_nothing_restricted_at_another(
    client, place_a, place_b, manager, reader_b, police_org, django_capture_on_commit_callbacks
):
    """The reproduction of issue #11: invited for Polismyndigheten at the square, then as a
    shop's reader at the street, the account must not read the street's restricted incidents."""
    capture = django_capture_on_commit_callbacks
    f.MembershipFactory(place=place_a, organisation=police_org)
    shop = f.OrganisationFactory(name="Gatans Skor AB", kind=Organisation.Kind.BUSINESS)
    f.MembershipFactory(place=place_b, organisation=shop)
    manager_b = f.UserFactory(email="manager-b@example.org")
    PlaceRole.objects.create(user=manager_b, place=place_b, role="manager", organisation=shop)
    restricted_a = f.IncidentFactory(place=place_a, visibility="restricted")
    restricted_b = f.IncidentFactory(place=place_b, visibility="restricted")
    open_b = f.IncidentFactory(place=place_b)

    # The square's manager invites a new address representing the police; it signs up.
    link = _invite(client, manager, place_a, "polis@example.org", police_org, capture)
    client.get(link)
    # Joining in one step from the link: name and password (the link proved the address).
    joined = client.post(
        link.rstrip("/") + "/join/",
        {
            "full_name": "Pia Polis",
            "password1": "a-Long-pass-1234",
            "password2": "a-Long-pass-1234",
        },
        follow=True,
    )
    assert joined.status_code == 200
    person = User.objects.get(email="polis@example.org")
    assert PlaceRole.objects.get(user=person, place=place_a).organisation == police_org

    # The street's manager invites the same account as an ordinary reader for a shop.
    link = _invite(client, manager_b, place_b, "polis@example.org", shop, capture)
    client.force_login(person)
    assert client.get(link, follow=True).status_code == 200
    assert PlaceRole.objects.get(user=person, place=place_b).organisation == shop

    # At the street the account is a shop's reader, like the street's other readers.
    assert client.get(restricted_b.get_absolute_url()).status_code == 404
    assert _listed(client, place_b) == {open_b.pk}
    client.force_login(reader_b)
    assert client.get(restricted_b.get_absolute_url()).status_code == 404

    # At the square it still represents the police.
    client.force_login(person)
    assert client.get(restricted_a.get_absolute_url()).status_code == 200
    assert restricted_a.pk in _listed(client, place_a)
    person.refresh_from_db()
    assert person.organisation is None  # neither invitation set anything on the account


def test_an_accounts_police_organisation_opens_nothing_restricted(
    client, place_a, police_org, restricted_incident
):
    """Only the role at the place counts, not the organisation on the account."""
    person = f.UserFactory(organisation=police_org)
    PlaceRole.objects.create(user=person, place=place_a, role="reader")
    client.force_login(person)
    assert client.get(restricted_incident.get_absolute_url()).status_code == 404
    assert restricted_incident.pk not in _listed(client, place_a)


def test_the_restricted_note_follows_the_role_at_the_place(client, place_a, place_b, police_reader):
    PlaceRole.objects.create(user=police_reader, place=place_b, role="reader")
    client.force_login(police_reader)
    note = "Some incidents are restricted"
    client.cookies["django_language"] = "en"
    url = "safety:incident_list"
    assert note not in client.get(reverse(url, args=[place_a.slug])).content.decode()
    assert note in client.get(reverse(url, args=[place_b.slug])).content.decode()


def test_a_reporter_reports_for_whom_their_role_at_the_place_represents(
    place_a, place_b, vandalism, police_org
):
    person = f.UserFactory(organisation=police_org)
    guards = f.OrganisationFactory(kind=Organisation.Kind.SECURITY_COMPANY)
    PlaceRole.objects.create(user=person, place=place_a, role="reporter", organisation=guards)
    PlaceRole.objects.create(user=person, place=place_b, role="reporter")
    data = {"category": vandalism, "visibility": "members"}
    at_a = incident_create(place=place_a, actor=person, data=data)
    at_b = incident_create(place=place_b, actor=person, data=data)
    assert at_a.reporting_organisation == guards
    assert at_b.reporting_organisation is None  # not the account's police organisation


# --- The rule as a property over random people, places, roles and organisations ----------------

USERS = 3
PLACES = 2
ROLES = [None, "reader", "reporter", "manager"]
ORGANISATIONS = [None, "police", "shop"]

assignments = st.tuples(st.sampled_from(ROLES), st.sampled_from(ORGANISATIONS))
worlds = st.fixed_dictionaries(
    {
        # roles[user][place] = (role or None, organisation represented there)
        "roles": st.lists(
            st.lists(assignments, min_size=PLACES, max_size=PLACES),
            min_size=USERS,
            max_size=USERS,
        ),
        # The account's own organisation, which must never matter at a place.
        "accounts": st.lists(st.sampled_from(ORGANISATIONS), min_size=USERS, max_size=USERS),
        "staff": st.lists(
            st.sampled_from([False, False, False, True]), min_size=USERS, max_size=USERS
        ),
        # Per place, one restricted and one members' incident, each by a user or by no one.
        "reporters": st.lists(
            st.sampled_from([None, *range(USERS)]), min_size=2 * PLACES, max_size=2 * PLACES
        ),
    }
)


def _expected(world, user, place, visibility, reporter) -> bool:
    """architecture §4 written out plainly, to check the SQL against."""
    if world["staff"][user]:
        return True
    role, organisation = world["roles"][user][place]
    if role is None:
        return False
    if visibility == "members":
        return True
    return role == "manager" or organisation == "police" or reporter == user


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(world=worlds)
def test_restricted_incidents_follow_the_role_at_their_own_place(vandalism, world):
    with transaction.atomic():
        organisations = {
            "police": f.OrganisationFactory(kind=Organisation.Kind.POLICE),
            "shop": f.OrganisationFactory(kind=Organisation.Kind.BUSINESS),
            None: None,
        }
        places = [f.PlaceFactory() for _ in range(PLACES)]
        users = [
            User.objects.create(
                email=f"person{index}@example.org",
                is_staff=world["staff"][index],
                organisation=organisations[world["accounts"][index]],
            )
            for index in range(USERS)
        ]
        PlaceRole.objects.bulk_create(
            PlaceRole(
                user=users[u],
                place=places[p],
                role=role,
                organisation=organisations[organisation],
            )
            for u in range(USERS)
            for p, (role, organisation) in enumerate(world["roles"][u])
            if role is not None
        )
        incidents = {}
        for index, reporter in enumerate(world["reporters"]):
            place, visibility = index // 2, ("restricted", "members")[index % 2]
            incident = f.IncidentFactory(
                place=places[place],
                category=vandalism,
                visibility=visibility,
                reported_by=users[reporter] if reporter is not None else None,
            )
            incidents[incident.pk] = (place, visibility, reporter)

        for u, user in enumerate(users):
            visible = set(
                Incident.objects.visible_to(user)
                .filter(pk__in=incidents)
                .values_list("pk", flat=True)
            )
            expected = {pk for pk, facts in incidents.items() if _expected(world, u, *facts)}
            assert visible == expected, (u, world)
            for p, place in enumerate(places):
                role, organisation = world["roles"][u][p]
                if role is None and not user.is_staff:
                    continue
                # The views' flag and the queryset use the same rule.
                access = place_access(user, place.slug)
                assert access.represents_police == (organisation == "police" and role is not None)
        transaction.set_rollback(True)
    assert not Place.objects.filter(slug__in=[p.slug for p in places]).exists()
