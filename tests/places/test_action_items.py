"""Action items: findings of a walk, standalone items, status changes by the responsible
organisation, e-mail on assignment, the photo, the list, map data and export."""

import csv
import datetime as dt
import io

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from places import services
from places.models import ActionItem, ActionItemStatusChange, PlaceRole
from tests import factories as f
from tests.places.conftest import image_bytes

pytestmark = pytest.mark.django_db


def url(name, place, **kwargs):
    return reverse(f"places:{name}", kwargs={"place_slug": place.slug, **kwargs})


def finding_post(rows, total=None):
    data = {
        "finding-TOTAL_FORMS": str(total if total is not None else len(rows)),
        "finding-INITIAL_FORMS": "0",
        "finding-MIN_NUM_FORMS": "0",
        "finding-MAX_NUM_FORMS": "20",
    }
    for index, row in enumerate(rows):
        for key, value in row.items():
            data[f"finding-{index}-{key}"] = value
    return data


def test_a_walk_records_two_findings_in_one_go(
    client, place_a, manager, activity, members, city_user, django_capture_on_commit_callbacks
):
    owner, city = members
    client.force_login(manager)
    due = (timezone.localdate() + dt.timedelta(days=14)).isoformat()
    data = finding_post(
        [
            {
                "category": "belysning",
                "description": "Trasig lampa i passagen.",
                "responsible_organisation": city.pk,
                "due_date": due,
                "lat": "55.6011",
                "lon": "13.0011",
            },
            {
                "category": "vegetation",
                "description": "Buskarna skymmer entrén.",
                "responsible_organisation": owner.pk,
            },
            {},  # an empty row is skipped
        ]
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("activity_findings", place_a, pk=activity.pk), data)
    assert response.status_code == 302
    items = list(ActionItem.objects.order_by("pk"))
    assert [i.category for i in items] == ["belysning", "vegetation"]
    assert all(i.source_activity == activity and i.created_by == manager for i in items)
    assert items[0].due_date.isoformat() == due
    # The municipality's user is told about the lamp; the owner's users (the manager) about
    # the bushes.
    by_recipient = {m.to[0]: m for m in mail.outbox}
    assert set(by_recipient) == {"city@example.org", "manager@example.org"}
    city_mail = by_recipient["city@example.org"]
    assert "Trasig lampa" in city_mail.body and "Buskarna" not in city_mail.body
    assert url("action_item_detail", place_a, pk=items[0].pk) in city_mail.body


def test_one_bad_finding_saves_none(client, place_a, manager, activity, members):
    client.force_login(manager)
    data = finding_post(
        [
            {"category": "belysning", "description": "Trasig lampa."},
            {"category": "klotter", "description": "Klotter, ring 070-123 45 67"},
        ]
    )
    response = client.post(url("activity_findings", place_a, pk=activity.pk), data)
    assert response.status_code == 200
    assert "Texten innehåller ett telefonnummer" in response.content.decode()
    assert not ActionItem.objects.exists()


def test_an_empty_findings_form_asks_for_one(client, place_a, manager, activity):
    client.force_login(manager)
    response = client.post(
        url("activity_findings", place_a, pk=activity.pk), finding_post([{}, {}])
    )
    assert response.status_code == 200
    assert response.context["formset"].non_form_errors()
    assert not ActionItem.objects.exists()


def test_the_findings_page_offers_more_rows_without_javascript(client, place_a, manager, activity):
    client.force_login(manager)
    response = client.get(url("activity_findings", place_a, pk=activity.pk), {"rows": "5"})
    assert response.context["formset"].total_form_count() == 5
    assert (
        client.get(url("activity_findings", place_a, pk=activity.pk), {"rows": "x"}).status_code
        == 200
    )


def test_a_responsible_organisation_that_is_not_a_member_is_refused(place_a, manager, members):
    stranger = f.OrganisationFactory(name="Främling AB")
    with pytest.raises(ValidationError) as error:
        services.action_item_create(
            place=place_a,
            actor=manager,
            data={
                "category": "klotter",
                "description": "Klotter.",
                "responsible_organisation": stranger,
            },
        )
    assert "Främling AB" in str(error.value.message_dict["responsible_organisation"])
    assert not ActionItem.objects.exists()


def test_the_form_only_offers_members_and_the_municipality(client, place_a, manager, members):
    f.OrganisationFactory(name="Lunds kommun", kind="municipality")
    client.force_login(manager)
    response = client.get(url("action_item_create", place_a))
    offered = list(response.context["form"].fields["responsible_organisation"].queryset)
    assert set(offered) == set(members)


def test_a_standalone_item_with_a_photo_is_stored_without_exif(client, place_a, reporter, members):
    client.force_login(reporter)
    photo = SimpleUploadedFile(
        "IMG_0001.JPG", image_bytes(exif_gps=True), content_type="image/jpeg"
    )
    response = client.post(
        url("action_item_create", place_a),
        {
            "category": "skadegorelse",
            "description": "Krossad glasruta i busskuren.",
            "responsible_organisation": members[1].pk,
            "photo": photo,
        },
    )
    assert response.status_code == 302
    item = ActionItem.objects.get()
    assert item.created_by == reporter
    assert item.photo.name.endswith(".jpg") and "IMG_0001" not in item.photo.name
    with Image.open(item.photo.path) as stored:
        assert stored.format == "JPEG"
        assert max(stored.size) == 1600
        assert not stored.getexif()
        assert "exif" not in stored.info


def test_a_non_image_is_refused_with_a_clear_message(client, place_a, reporter, members):
    client.force_login(reporter)
    fake = SimpleUploadedFile("lampa.jpg", b"%PDF-1.4 not an image", content_type="image/jpeg")
    response = client.post(
        url("action_item_create", place_a),
        {"category": "belysning", "description": "Trasig lampa.", "photo": fake},
    )
    assert response.status_code == 200
    assert "Filen är inte en bild som vi kan läsa" in response.content.decode()
    assert not ActionItem.objects.exists()


# --- Status -------------------------------------------------------------------------------


def test_the_responsible_organisation_resolves_an_item(client, place_a, city_user, action_item):
    client.force_login(city_user)
    detail = client.get(url("action_item_detail", place_a, pk=action_item.pk))
    assert detail.context["can_change_status"]
    assert not detail.context["can_edit"]
    response = client.post(
        url("action_item_status", place_a, pk=action_item.pk),
        {"status": "resolved", "note": "Lampan bytt."},
    )
    assert response.status_code == 302
    action_item.refresh_from_db()
    assert action_item.status == "resolved"
    assert action_item.resolved_at is not None
    change = ActionItemStatusChange.objects.get()
    assert (change.from_status, change.to_status, change.changed_by) == (
        "open",
        "resolved",
        city_user,
    )
    page = client.get(url("action_item_detail", place_a, pk=action_item.pk)).content.decode()
    assert "Lampan bytt." in page


def test_representing_the_organisation_at_another_place_gives_no_status_rights(
    client, place_a, place_b, municipality, action_item
):
    """Malmö stad is responsible for the item at place A. A person who represents the city at
    place B only, and whose account is the city's, may read the item at A but not answer for
    it there; at B they answer for the city's items."""
    person = f.UserFactory(organisation=municipality)
    PlaceRole.objects.create(user=person, place=place_a, role="reader")
    PlaceRole.objects.create(user=person, place=place_b, role="reader", organisation=municipality)
    item_b = f.ActionItemFactory(place=place_b, responsible_organisation=municipality)
    client.force_login(person)
    detail = client.get(url("action_item_detail", place_a, pk=action_item.pk))
    assert detail.status_code == 200 and not detail.context["can_change_status"]
    status = url("action_item_status", place_a, pk=action_item.pk)
    assert client.post(status, {"status": "resolved"}).status_code == 403
    action_item.refresh_from_db()
    assert action_item.status == "open"
    status = url("action_item_status", place_b, pk=item_b.pk)
    assert client.post(status, {"status": "resolved"}).status_code == 302
    item_b.refresh_from_db()
    assert item_b.status == "resolved"


def test_the_role_not_the_account_decides_who_answers_for_an_item(
    client, place_a, action_item, municipality, members
):
    person = f.UserFactory()  # no organisation on the account
    PlaceRole.objects.create(user=person, place=place_a, role="reader", organisation=municipality)
    client.force_login(person)
    status = url("action_item_status", place_a, pk=action_item.pk)
    assert client.post(status, {"status": "in_progress"}).status_code == 302


def test_reopening_clears_resolved_at_and_keeps_the_history(place_a, manager, action_item):
    services.action_item_set_status(item=action_item, actor=manager, status="resolved")
    services.action_item_set_status(
        item=action_item, actor=manager, status="in_progress", note="Lampan slocknade igen."
    )
    action_item.refresh_from_db()
    assert action_item.status == "in_progress"
    assert action_item.resolved_at is None
    assert [c.to_status for c in action_item.status_changes.order_by("changed_at", "pk")] == [
        "resolved",
        "in_progress",
    ]


def test_the_same_status_again_is_refused(place_a, manager, action_item):
    with pytest.raises(ValidationError):
        services.action_item_set_status(item=action_item, actor=manager, status="open")
    assert not ActionItemStatusChange.objects.exists()


def test_a_status_note_is_screened(client, place_a, city_user, action_item):
    client.force_login(city_user)
    response = client.post(
        url("action_item_status", place_a, pk=action_item.pk),
        {"status": "resolved", "note": "Ägaren nås på kalle@example.se"},
    )
    assert response.status_code == 400
    action_item.refresh_from_db()
    assert action_item.status == "open"


def test_reassigning_an_item_tells_the_new_organisation(
    client, place_a, manager, action_item, members, django_capture_on_commit_callbacks
):
    owner = members[0]
    client.force_login(manager)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url("action_item_edit", place_a, pk=action_item.pk),
            {
                "category": action_item.category,
                "description": action_item.description,
                "responsible_organisation": owner.pk,
                "due_date": action_item.due_date.isoformat(),
                "lat": "",
                "lon": "",
            },
        )
    assert response.status_code == 302
    assert [m.to for m in mail.outbox] == [["manager@example.org"]]


def test_the_assignment_mail_links_to_the_host_the_item_was_logged_on(
    client, place_a, manager, city_user, municipality, settings, django_capture_on_commit_callbacks
):
    settings.ALLOWED_HOSTS = ["localhost", "testserver"]
    settings.SITE_URL = "http://127.0.0.1:8000"
    client.force_login(manager)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url("action_item_create", place_a),
            {
                "category": "belysning",
                "description": "Trasig lampa vid busshållplatsen.",
                "responsible_organisation": municipality.pk,
                "lat": "",
                "lon": "",
            },
            HTTP_HOST="localhost:9000",
        )
    assert response.status_code == 302
    item = ActionItem.objects.get(description="Trasig lampa vid busshållplatsen.")
    (message,) = mail.outbox
    path = reverse("places:action_item_detail", kwargs={"place_slug": place_a.slug, "pk": item.pk})
    assert f"http://localhost:9000{path}" in message.body


def test_the_assignment_task_without_a_request_links_to_site_url(
    place_a, action_item, city_user, settings
):
    from places.tasks import notify_action_items_assigned

    settings.SITE_URL = "https://amp.example.org"
    notify_action_items_assigned([action_item.pk], action_item.responsible_organisation_id)
    assert "https://amp.example.org/" in mail.outbox[0].body


def test_the_assignment_task_is_idempotent(place_a, action_item, city_user):
    from places.tasks import notify_action_items_assigned

    assert (
        notify_action_items_assigned([action_item.pk], action_item.responsible_organisation_id) == 1
    )
    assert (
        notify_action_items_assigned([action_item.pk], action_item.responsible_organisation_id) == 0
    )
    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject.startswith("[AMP]")


def test_the_assignment_mail_is_in_the_recipients_language(place_a, action_item, city_user):
    from places.tasks import notify_action_items_assigned

    city_user.preferred_language = "en"
    city_user.save()
    notify_action_items_assigned([action_item.pk], action_item.responsible_organisation_id)
    assert "A new action item for you" in mail.outbox[0].subject


def test_users_of_the_organisation_without_a_role_at_the_place_get_no_mail(
    place_a, action_item, municipality
):
    f.UserFactory(email="elsewhere@example.org", organisation=municipality)
    from places.tasks import notify_action_items_assigned

    assert notify_action_items_assigned([action_item.pk], municipality.pk) == 0
    assert mail.outbox == []


def test_the_assignment_mail_goes_to_whom_the_role_at_the_place_represents(
    place_a, action_item, municipality, property_owner
):
    from places.tasks import notify_action_items_assigned

    represents = f.UserFactory(email="represents@example.org")
    PlaceRole.objects.create(
        user=represents, place=place_a, role="reader", organisation=municipality
    )
    account_only = f.UserFactory(email="account-only@example.org", organisation=municipality)
    PlaceRole.objects.create(
        user=account_only, place=place_a, role="reader", organisation=property_owner
    )
    assert notify_action_items_assigned([action_item.pk], municipality.pk) == 1
    assert [m.to for m in mail.outbox] == [["represents@example.org"]]


# --- List, overdue, map data, export -----------------------------------------------------------


@pytest.fixture
def items(place_a, manager, members):
    owner, city = members
    today = timezone.localdate()
    overdue = f.ActionItemFactory(
        place=place_a,
        description="Försenad: trasig lampa.",
        due_date=today - dt.timedelta(days=3),
        responsible_organisation=city,
        lat=55.6010,
        lon=13.0010,
    )
    upcoming = f.ActionItemFactory(
        place=place_a,
        category="klotter",
        description="Klotter på fasaden.",
        due_date=today + dt.timedelta(days=10),
        responsible_organisation=owner,
        lat=55.6015,
        lon=13.0015,
    )
    done = f.ActionItemFactory(
        place=place_a,
        category="vegetation",
        description="Klippta buskar.",
        status="resolved",
        due_date=today - dt.timedelta(days=30),
        responsible_organisation=owner,
        lat=55.6020,
        lon=13.0020,
    )
    f.ActionItemFactory(description="Annan plats.", lat=55.6, lon=13.0)
    return overdue, upcoming, done


def _descriptions(response):
    return [i.description for i in response.context["page_obj"].object_list]


def test_overdue_items_stand_out_in_the_list(client, place_a, reader, items):
    client.force_login(reader)
    response = client.get(url("action_item_list", place_a))
    assert set(_descriptions(response)) == {i.description for i in items}
    body = response.content.decode()
    assert body.count("record--overdue") == 1


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"status": "unresolved"}, {"Försenad: trasig lampa.", "Klotter på fasaden."}),
        ({"status": "resolved"}, {"Klippta buskar."}),
        ({"category": "klotter"}, {"Klotter på fasaden."}),
        ({"overdue": "on"}, {"Försenad: trasig lampa."}),
        ({"responsible_organisation": "owner"}, {"Klotter på fasaden.", "Klippta buskar."}),
        (
            {"status": "bogus"},
            {"Försenad: trasig lampa.", "Klotter på fasaden.", "Klippta buskar."},
        ),
    ],
)
def test_action_item_filters(client, place_a, reader, items, members, params, expected):
    if params.get("responsible_organisation") == "owner":
        params = {"responsible_organisation": members[0].pk}
    client.force_login(reader)
    response = client.get(url("action_item_list", place_a), params)
    assert response.status_code == 200
    assert set(_descriptions(response)) == expected


def test_map_data_has_open_items_positioned_activities_and_the_boundary(
    client, place_a, reader, items, activity
):
    client.force_login(reader)
    data = client.get(url("action_item_map_data", place_a)).json()
    assert data["boundary"] == place_a.boundary
    assert {m["text"] for m in data["action_items"]} == {
        "Försenad: trasig lampa.",
        "Klotter på fasaden.",
    }
    assert [m["overdue"] for m in data["action_items"] if m["text"].startswith("Försenad")] == [
        True
    ]
    assert [m["id"] for m in data["activities"]] == [activity.pk]
    assert all(
        m["url"].startswith(f"/places/{place_a.slug}/")
        for m in data["action_items"] + data["activities"]
    )


def test_map_data_follows_the_list_filters(client, place_a, reader, items):
    client.force_login(reader)
    data = client.get(url("action_item_map_data", place_a), {"status": "resolved"}).json()
    assert [m["text"] for m in data["action_items"]] == ["Klippta buskar."]


def _more_items(place, orgs, n):
    for index in range(n):
        f.ActionItemFactory(
            place=place, responsible_organisation=orgs[index % 2], lat=55.601, lon=13.001
        )


def test_list_and_map_query_counts_do_not_grow(
    client, place_a, reader, members, walk_kind, count_queries, assert_max_queries
):
    client.force_login(reader)
    _more_items(place_a, members, 3)
    f.ActivityFactory(place=place_a, kind=walk_kind, lat=55.601, lon=13.001)
    with count_queries() as list_small:
        client.get(url("action_item_list", place_a))
    with count_queries() as map_small:
        client.get(url("action_item_map_data", place_a))
    _more_items(place_a, members, 20)
    f.ActivityFactory.create_batch(10, place=place_a, kind=walk_kind, lat=55.601, lon=13.001)
    with assert_max_queries(len(list_small)):
        client.get(url("action_item_list", place_a))
    with assert_max_queries(len(map_small)):
        data = client.get(url("action_item_map_data", place_a)).json()
    assert len(data["action_items"]) == 23 and len(data["activities"]) == 11


def test_export_query_count_does_not_grow(
    client, place_a, reader, members, count_queries, assert_max_queries
):
    client.force_login(reader)
    _more_items(place_a, members, 2)
    with count_queries() as small:
        b"".join(client.get(url("action_item_export", place_a)).streaming_content)
    _more_items(place_a, members, 20)
    with assert_max_queries(len(small)):
        content = b"".join(client.get(url("action_item_export", place_a)).streaming_content)
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))
    assert len(rows) == 23


def test_the_export_marks_overdue_items(client, place_a, reader, items):
    client.force_login(reader)
    client.cookies["django_language"] = "en"
    content = b"".join(
        client.get(url("action_item_export", place_a), {"overdue": "on"}).streaming_content
    )
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))
    assert len(rows) == 2
    assert rows[1][3] == "Försenad: trasig lampa."
    assert rows[1][7] == "yes"


def test_the_photo_is_served_only_through_the_place(client, place_a, reader, reader_b, action_item):
    from django.core.files.base import ContentFile

    action_item.photo.save("x.jpg", ContentFile(image_bytes(size=(10, 10))), save=True)
    client.force_login(reader)
    response = client.get(url("action_item_photo", place_a, pk=action_item.pk))
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    client.force_login(reader_b)
    assert client.get(url("action_item_photo", place_a, pk=action_item.pk)).status_code == 404
