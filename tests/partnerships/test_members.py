"""Members page: organisations with history, people and roles, last-manager protection."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import translation

from accounts.models import Organisation
from partnerships.models import Membership
from places.models import PlaceRole
from tests import clock
from tests import factories as f

pytestmark = pytest.mark.django_db


def on(years_back: int, month: int, day: int) -> dt.date:
    """A date in the year `years_back` years before the frozen clock's year."""
    return dt.date(clock.this_year() - years_back, month, day)


@pytest.fixture(autouse=True)
def english(client):
    """Assert on the English texts (requests and services); Swedish has its own test."""
    client.cookies["django_language"] = "en"
    with translation.override("en"):
        yield


def url(name, place, **kwargs):
    return reverse(f"members:{name}", kwargs={"place_slug": place.slug, **kwargs})


def role_of(user, place):
    return PlaceRole.objects.filter(user=user, place=place).values_list("role", flat=True).first()


# --- The page ---------------------------------------------------------------------------------


def test_manager_sees_organisations_people_emails_and_invitations(
    client, manager, reporter, place_a, municipality
):
    f.MembershipFactory(place=place_a, organisation=municipality, role="funder")
    f.MembershipFactory(
        place=place_a,
        organisation=f.OrganisationFactory(name="Gamla Bageriet AB"),
        since=on(2, 1, 1),
        until=on(1, 6, 30),
    )
    f.InvitationFactory(place=place_a, email="waiting@example.org")
    client.force_login(manager)
    response = client.get(url("member_list", place_a))
    text = response.content.decode()
    assert response.status_code == 200
    assert "Malmö stad" in text and "Funder" in text
    assert "Gamla Bageriet AB" in text and on(1, 6, 30).isoformat() in text  # history kept
    assert "reporter@example.org" in text
    assert "waiting@example.org" in text
    assert response.context["current_memberships"][0].organisation == municipality


def test_a_reader_sees_the_members_but_no_addresses_or_invitations(
    client, reader, manager, place_a
):
    f.InvitationFactory(place=place_a, email="waiting@example.org")
    client.force_login(reader)
    response = client.get(url("member_list", place_a))
    text = response.content.decode()
    assert response.status_code == 200
    assert manager.full_name in text
    assert "manager@example.org" not in text
    assert "waiting@example.org" not in text
    assert url("invitation_create", place_a) not in text


def test_member_list_access(client, reader_b, manager, place_a):
    target = url("member_list", place_a)
    assert client.get(target).status_code == 302
    client.force_login(reader_b)
    assert client.get(target).status_code == 404
    client.force_login(manager)
    assert client.post(target).status_code == 405


def test_member_list_query_count_does_not_grow(client, manager, place_a, count_queries):
    client.force_login(manager)

    def add(n):
        for _ in range(n):
            org = f.OrganisationFactory()
            f.MembershipFactory(place=place_a, organisation=org)
            f.MembershipFactory(
                place=place_a,
                organisation=org,
                since=on(3, 1, 1),
                until=on(3, 12, 31),
            )
            f.PlaceRoleFactory(place=place_a, role="reader", organisation=org)
            f.InvitationFactory(place=place_a, organisation=org)

    add(2)
    with count_queries() as small:
        client.get(url("member_list", place_a))
    add(10)
    with count_queries() as large:
        response = client.get(url("member_list", place_a))
    assert len(response.context["people"]) == 13
    assert len(small) == len(large) <= 12


# --- Roles ------------------------------------------------------------------------------------


def test_manager_changes_a_role(client, manager, reporter, place_a):
    client.force_login(manager)
    response = client.post(
        url("place_role_change", place_a, pk=PlaceRole.objects.get(user=reporter).pk),
        {"role": "reader"},
        follow=True,
    )
    assert role_of(reporter, place_a) == "reader"
    assert "now has the role Reader" in response.content.decode()


def test_the_last_manager_cannot_step_down(client, manager, place_a):
    client.force_login(manager)
    own = PlaceRole.objects.get(user=manager)
    response = client.post(
        url("place_role_change", place_a, pk=own.pk), {"role": "reader"}, follow=True
    )
    assert "the last manager of this place" in response.content.decode()
    assert role_of(manager, place_a) == "manager"


def test_the_last_manager_cannot_be_removed(client, manager, place_a):
    client.force_login(manager)
    own = PlaceRole.objects.get(user=manager)
    response = client.post(url("place_role_remove", place_a, pk=own.pk))
    assert response.status_code == 400
    assert "the last manager of this place" in response.content.decode()
    assert role_of(manager, place_a) == "manager"


def test_with_a_second_manager_one_may_step_down(client, manager, place_a):
    colleague = f.PlaceRoleFactory(place=place_a, role="manager").user
    client.force_login(manager)
    own = PlaceRole.objects.get(user=manager)
    response = client.post(url("place_role_change", place_a, pk=own.pk), {"role": "reporter"})
    assert role_of(manager, place_a) == "reporter"
    assert role_of(colleague, place_a) == "manager"
    # Stepped down: the members admin is no longer theirs, so they land on the place.
    assert response["Location"] == place_a.get_absolute_url()


def test_manager_removes_a_person_after_confirming(client, manager, reader, place_a):
    client.force_login(manager)
    target = url("place_role_remove", place_a, pk=PlaceRole.objects.get(user=reader).pk)
    page = client.get(target)
    assert page.status_code == 200 and "Remove" in page.content.decode()
    assert role_of(reader, place_a) == "reader"
    client.post(target)
    assert role_of(reader, place_a) is None
    assert client.get(url("member_list", place_a)).status_code == 200


def test_an_unknown_role_is_refused(client, manager, reader, place_a):
    client.force_login(manager)
    pk = PlaceRole.objects.get(user=reader).pk
    response = client.post(url("place_role_change", place_a, pk=pk), {"role": "owner"}, follow=True)
    assert "Choose a role." in response.content.decode()
    assert role_of(reader, place_a) == "reader"


@pytest.mark.parametrize("name", ["place_role_change", "place_role_remove"])
def test_role_actions_access(client, name, manager, reporter, reader, reader_b, place_a, place_b):
    target = url(name, place_a, pk=PlaceRole.objects.get(user=reader).pk)
    client.force_login(reader_b)
    assert client.post(target, {"role": "manager"}).status_code == 404
    client.force_login(reporter)
    assert client.post(target, {"role": "manager"}).status_code == 403
    client.force_login(manager)
    assert client.put(target).status_code == 405
    if name == "place_role_change":
        assert client.get(target).status_code == 405
    other_place_role = PlaceRole.objects.get(place=place_b)
    assert client.post(url(name, place_a, pk=other_place_role.pk)).status_code == 404
    assert role_of(reader, place_a) == "reader"


# --- Organisations ----------------------------------------------------------------------------


def test_manager_adds_an_organisation_from_the_register(client, manager, place_a, municipality):
    client.force_login(manager)
    response = client.post(
        url("membership_create", place_a),
        {"organisation": municipality.pk, "role": "funder", "since": on(0, 1, 1).isoformat()},
    )
    assert response.status_code == 302
    membership = Membership.objects.get(place=place_a, organisation=municipality)
    assert (membership.role, membership.since, membership.until) == (
        "funder",
        on(0, 1, 1),
        None,
    )


def test_manager_adds_a_new_organisation(client, manager, place_a):
    client.force_login(manager)
    client.post(
        url("membership_create", place_a),
        {
            "name": "Nya Kaféet AB",
            "org_number": "5566778899",
            "kind": "business",
            "role": "member",
            "since": clock.month_start().isoformat(),
        },
    )
    org = Organisation.objects.get(name="Nya Kaféet AB")
    assert org.org_number == "556677-8899"
    assert Membership.objects.filter(place=place_a, organisation=org).exists()


def test_a_bad_organisationsnummer_is_refused_and_nothing_is_created(client, manager, place_a):
    client.force_login(manager)
    response = client.post(
        url("membership_create", place_a),
        {
            "name": "Fel AB",
            "org_number": "5566778890",
            "kind": "business",
            "role": "member",
            "since": clock.month_start().isoformat(),
        },
    )
    assert response.status_code == 200
    assert "not a valid Swedish organisationsnummer" in response.content.decode()
    assert not Organisation.objects.filter(name="Fel AB").exists()
    assert not Membership.objects.exists()


def test_neither_an_organisation_nor_a_name_is_refused(client, manager, place_a):
    client.force_login(manager)
    response = client.post(
        url("membership_create", place_a),
        {"role": "member", "since": clock.month_start().isoformat()},
    )
    assert "Choose an organisation, or give the name of a new one." in response.content.decode()


def test_an_organisation_leaves_and_joins_again_with_history_kept(
    client, manager, place_a, municipality
):
    first = f.MembershipFactory(place=place_a, organisation=municipality, since=on(2, 1, 1))
    client.force_login(manager)
    end = url("membership_end", place_a, pk=first.pk)
    too_early = client.post(end, {"until": on(3, 12, 31).isoformat()})
    assert "on or after the start date" in too_early.content.decode()
    first.refresh_from_db()
    assert first.until is None

    client.post(end, {"until": on(1, 12, 31).isoformat()})
    first.refresh_from_db()
    assert first.until == on(1, 12, 31)

    overlapping = client.post(
        url("membership_create", place_a),
        {"organisation": municipality.pk, "role": "board", "since": on(1, 6, 1).isoformat()},
    )
    assert "must start after that" in overlapping.content.decode()
    client.post(
        url("membership_create", place_a),
        {"organisation": municipality.pk, "role": "board", "since": on(0, 1, 1).isoformat()},
    )
    history = list(
        Membership.objects.filter(place=place_a, organisation=municipality)
        .order_by("since")
        .values_list("role", "since", "until")
    )
    assert history == [
        ("member", on(2, 1, 1), on(1, 12, 31)),
        ("board", on(0, 1, 1), None),
    ]


def test_a_current_member_cannot_be_added_twice(client, manager, place_a, municipality):
    f.MembershipFactory(place=place_a, organisation=municipality)
    client.force_login(manager)
    form = {"organisation": municipality.pk, "role": "member", "since": on(0, 1, 1).isoformat()}
    response = client.post(url("membership_create", place_a), form)
    # Current members are not offered, so the choice itself is refused.
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert Membership.objects.filter(place=place_a).count() == 1


def test_membership_service_refuses_a_second_current_membership(place_a, municipality):
    from django.core.exceptions import ValidationError

    from partnerships.services.members import membership_create

    f.MembershipFactory(place=place_a, organisation=municipality, since=on(1, 3, 1))
    with pytest.raises(ValidationError, match="already a member since"):
        membership_create(place=place_a, organisation=municipality, role="board", since=on(0, 1, 1))
    assert Membership.objects.count() == 1


def test_ending_an_ended_membership_says_so(client, manager, place_a):
    ended = f.MembershipFactory(place=place_a, since=on(1, 1, 1), until=on(1, 1, 1))
    client.force_login(manager)
    end = url("membership_end", place_a, pk=ended.pk)
    response = client.post(end, {"until": on(1, 6, 1).isoformat()})
    assert "already ended" in response.content.decode()
    ended.refresh_from_db()
    assert ended.until == on(1, 1, 1)


@pytest.mark.parametrize("name", ["membership_create", "membership_end"])
def test_membership_actions_access(client, name, manager, reader, reader_b, place_a, place_b):
    membership = f.MembershipFactory(place=place_a)
    other = f.MembershipFactory(place=place_b)
    kwargs = {"pk": membership.pk} if name == "membership_end" else {}
    target = url(name, place_a, **kwargs)
    client.force_login(reader_b)
    assert client.get(target).status_code == 404
    client.force_login(reader)
    assert client.get(target).status_code == 403
    assert client.post(target, {"until": on(0, 1, 1).isoformat()}).status_code == 403
    client.force_login(manager)
    assert client.get(target).status_code == 200
    assert client.delete(target).status_code == 405
    if name == "membership_end":
        assert client.get(url(name, place_a, pk=other.pk)).status_code == 404
    membership.refresh_from_db()
    assert membership.until is None
