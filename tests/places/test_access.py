"""Access matrix of every workspace view (architecture §4): allowed, 404 for an outsider (and for a
reader of another place), 403 for a role that may see but not act, 405 for a wrong method."""

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from tests import factories as f
from tests.places.conftest import image_bytes

pytestmark = pytest.mark.django_db

OK, REDIRECT, FORBIDDEN, NOT_FOUND, NOT_ALLOWED = 200, 302, 403, 404, 405


@pytest.fixture
def world(
    place_a, manager, reporter, reader, city_user, reader_b, outsider, staff, activity, action_item
):
    action_item.photo.save("p.jpg", ContentFile(image_bytes(size=(20, 20))), save=True)
    plan = f.PlannedActivityFactory(place=place_a, kind=activity.kind)
    return {
        "place": place_a,
        "activity": activity,
        "item": action_item,
        "plan": plan,
        "actors": {
            "manager": manager,
            "reporter": reporter,
            "reader": reader,
            "city": city_user,
            "reader_b": reader_b,
            "outsider": outsider,
            "staff": staff,
        },
    }


def _url(world, name, obj=None):
    kwargs = {"place_slug": world["place"].slug}
    if obj:
        kwargs["pk"] = world[obj].pk
    return reverse(f"places:{name}", kwargs=kwargs)


# (url name, object, expected per actor for GET) — "city" is a reader from the organisation
# responsible for the action item.
READ_VIEWS = [
    ("activity_list", None),
    ("activity_export", None),
    ("activity_detail", "activity"),
    ("action_item_list", None),
    ("action_item_export", None),
    ("action_item_map_data", None),
    ("action_item_detail", "item"),
    ("action_item_photo", "item"),
    ("plan", None),
]


@pytest.mark.parametrize(("name", "obj"), READ_VIEWS)
@pytest.mark.parametrize(
    ("actor", "expected"),
    [
        ("manager", OK),
        ("reporter", OK),
        ("reader", OK),
        ("city", OK),
        ("staff", OK),
        ("reader_b", NOT_FOUND),
        ("outsider", NOT_FOUND),
    ],
)
def test_reading(client, world, name, obj, actor, expected):
    client.force_login(world["actors"][actor])
    assert client.get(_url(world, name, obj)).status_code == expected


# Pages that change something: GET shows the form (or confirmation) to those allowed.
WRITE_VIEWS = {
    # name, object: manager, reporter (not the author), reader, city, reader_b, outsider
    ("activity_create", None): (OK, OK, FORBIDDEN, FORBIDDEN, NOT_FOUND, NOT_FOUND),
    ("activity_edit", "activity"): (OK, FORBIDDEN, FORBIDDEN, FORBIDDEN, NOT_FOUND, NOT_FOUND),
    ("activity_delete", "activity"): (OK, FORBIDDEN, FORBIDDEN, FORBIDDEN, NOT_FOUND, NOT_FOUND),
    ("activity_findings", "activity"): (OK, OK, FORBIDDEN, FORBIDDEN, NOT_FOUND, NOT_FOUND),
    ("action_item_create", None): (OK, OK, FORBIDDEN, FORBIDDEN, NOT_FOUND, NOT_FOUND),
    ("action_item_edit", "item"): (OK, FORBIDDEN, FORBIDDEN, FORBIDDEN, NOT_FOUND, NOT_FOUND),
    ("planned_activity_create", None): (OK, FORBIDDEN, FORBIDDEN, FORBIDDEN, NOT_FOUND, NOT_FOUND),
    ("planned_activity_edit", "plan"): (OK, FORBIDDEN, FORBIDDEN, FORBIDDEN, NOT_FOUND, NOT_FOUND),
    ("planned_activity_delete", "plan"): (
        OK, FORBIDDEN, FORBIDDEN, FORBIDDEN, NOT_FOUND, NOT_FOUND,
    ),
}  # fmt: skip
ACTORS = ("manager", "reporter", "reader", "city", "reader_b", "outsider")


@pytest.mark.parametrize(("view", "expected"), WRITE_VIEWS.items(), ids=lambda v: str(v))
def test_writing_pages(client, world, view, expected):
    name, obj = view
    for actor, status in zip(ACTORS, expected, strict=True):
        client.force_login(world["actors"][actor])
        assert client.get(_url(world, name, obj)).status_code == status, actor


@pytest.mark.parametrize(("view", "expected"), WRITE_VIEWS.items(), ids=lambda v: str(v))
def test_refused_posts_change_nothing(client, world, view, expected):
    """A reader who tries to change something gets 403 and nothing happens."""
    from places.models import ActionItem, Activity, PlannedActivity

    name, obj = view
    before = (Activity.objects.count(), ActionItem.objects.count(), PlannedActivity.objects.count())
    client.force_login(world["actors"]["reader"])
    assert client.post(_url(world, name, obj), {}).status_code == FORBIDDEN
    client.force_login(world["actors"]["outsider"])
    assert client.post(_url(world, name, obj), {}).status_code == NOT_FOUND
    after = (Activity.objects.count(), ActionItem.objects.count(), PlannedActivity.objects.count())
    assert before == after


def test_the_author_may_edit_and_delete_their_own_activity(client, world):
    reporter = world["actors"]["reporter"]
    own = f.ActivityFactory(place=world["place"], kind=world["activity"].kind, logged_by=reporter)
    client.force_login(reporter)
    slug = world["place"].slug
    assert client.get(reverse("places:activity_edit", args=[slug, own.pk])).status_code == OK
    assert client.get(reverse("places:activity_delete", args=[slug, own.pk])).status_code == OK


def test_the_author_may_edit_their_own_action_item(client, world):
    reporter = world["actors"]["reporter"]
    own = f.ActionItemFactory(place=world["place"], created_by=reporter)
    client.force_login(reporter)
    url = reverse("places:action_item_edit", args=[world["place"].slug, own.pk])
    assert client.get(url).status_code == OK


@pytest.mark.parametrize(
    ("actor", "expected"),
    [
        ("manager", REDIRECT),
        ("city", REDIRECT),  # the responsible organisation's user
        ("reporter", FORBIDDEN),  # another organisation
        ("reader", FORBIDDEN),
        ("reader_b", NOT_FOUND),
        ("outsider", NOT_FOUND),
    ],
)
def test_changing_the_status(client, world, actor, expected):
    client.force_login(world["actors"][actor])
    response = client.post(_url(world, "action_item_status", "item"), {"status": "in_progress"})
    assert response.status_code == expected
    world["item"].refresh_from_db()
    assert (world["item"].status == "in_progress") == (expected == REDIRECT)


@pytest.mark.parametrize(
    ("name", "obj", "method"),
    [
        ("activity_list", None, "post"),
        ("activity_export", None, "post"),
        ("activity_detail", "activity", "post"),
        ("activity_create", None, "put"),
        ("activity_edit", "activity", "delete"),
        ("activity_delete", "activity", "put"),
        ("activity_findings", "activity", "patch"),
        ("action_item_list", None, "post"),
        ("action_item_export", None, "delete"),
        ("action_item_map_data", None, "post"),
        ("action_item_detail", "item", "post"),
        ("action_item_create", None, "put"),
        ("action_item_edit", "item", "delete"),
        ("action_item_status", "item", "get"),
        ("action_item_photo", "item", "post"),
        ("plan", None, "post"),
        ("planned_activity_create", None, "put"),
        ("planned_activity_edit", "plan", "delete"),
        ("planned_activity_delete", "plan", "put"),
    ],
)
def test_wrong_method(client, world, name, obj, method):
    client.force_login(world["actors"]["manager"])
    assert getattr(client, method)(_url(world, name, obj)).status_code == NOT_ALLOWED


@pytest.mark.parametrize(
    ("name", "obj"), [("activity_list", None), ("action_item_detail", "item"), ("plan", None)]
)
def test_anonymous_visitors_are_sent_to_log_in(client, world, name, obj):
    response = client.get(_url(world, name, obj))
    assert response.status_code == REDIRECT
    assert "/accounts/login/" in response["Location"]


def test_objects_of_another_place_are_404_even_for_a_manager(client, world, place_b):
    other = f.ActionItemFactory(place=place_b)
    client.force_login(world["actors"]["manager"])
    url = reverse("places:action_item_detail", args=[world["place"].slug, other.pk])
    assert client.get(url).status_code == NOT_FOUND
