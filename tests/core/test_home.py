import pytest

from places.models import PlaceRole
from tests import factories as f

pytestmark = pytest.mark.django_db


def _my_places_queries(client, user, count_queries):
    client.force_login(user)
    with count_queries() as ctx:
        response = client.get("/")
    assert response.status_code == 200
    return response, len(ctx)


def test_my_places_lists_each_role_with_a_flat_query_count(client, count_queries):
    user = f.UserFactory()
    first = f.PlaceFactory(name="Stortorget")
    PlaceRole.objects.create(user=user, place=first, role="manager")
    response, one = _my_places_queries(client, user, count_queries)
    assert "Stortorget" in response.content.decode()
    for _ in range(5):
        PlaceRole.objects.create(user=user, place=f.PlaceFactory(), role="reader")
    response, six = _my_places_queries(client, user, count_queries)
    assert response.content.decode().count('class="card place-card"') == 6
    assert six == one


def test_staff_see_every_place_with_a_flat_query_count(client, staff, count_queries):
    f.PlaceFactory(name="Lilla torg")
    response, few = _my_places_queries(client, staff, count_queries)
    assert "Lilla torg" in response.content.decode()
    f.PlaceFactory.create_batch(5)
    _response, many = _my_places_queries(client, staff, count_queries)
    assert many == few


def test_settings_page_saves_the_choice_to_switch_off_report_mails(
    client, reader, assert_max_queries
):
    client.force_login(reader)
    with assert_max_queries(8):
        assert client.get("/accounts/settings/").status_code == 200
    response = client.post(
        "/accounts/settings/",
        {"full_name": "Mona P", "preferred_language": "sv", "report_notifications": ""},
    )
    assert response.status_code == 302
    reader.refresh_from_db()
    assert reader.report_notifications is False and reader.full_name == "Mona P"


def test_settings_needs_a_login_and_refuses_other_methods(client, reader):
    assert client.get("/accounts/settings/").status_code == 302
    client.force_login(reader)
    assert client.put("/accounts/settings/").status_code == 405


def test_my_action_items_for_many_represented_organisations_with_a_flat_query_count(
    client, count_queries
):
    """Whether each role's organisation can be given work at its place is decided for all the
    roles in one query: a member gets "my action items", an outside organisation does not."""
    user = f.UserFactory()
    member = f.OrganisationFactory(name="Fastighets AB Torget")
    outsider = f.OrganisationFactory(name="Bolaget Utanför AB")
    first = f.PlaceFactory(name="Stortorget")
    f.MembershipFactory(organisation=member, place=first)
    PlaceRole.objects.create(user=user, place=first, role="reporter", organisation=member)
    PlaceRole.objects.create(
        user=user, place=f.PlaceFactory(), role="reporter", organisation=outsider
    )
    response, two = _my_places_queries(client, user, count_queries)
    assert response.content.decode().count("status=unresolved&amp;responsible_organisation=") == 1
    for _ in range(4):
        place = f.PlaceFactory()
        f.MembershipFactory(organisation=member, place=place)
        PlaceRole.objects.create(user=user, place=place, role="reporter", organisation=member)
    response, six = _my_places_queries(client, user, count_queries)
    assert response.content.decode().count("status=unresolved&amp;responsible_organisation=") == 5
    assert six == two
