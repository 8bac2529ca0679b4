"""The access matrix of every safety view (architecture §4): allowed, 404, 403 and 405."""

import pytest
from django.urls import reverse

from safety.models import IncidentImport
from tests import clock
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def report(place_a):
    return f.SituationReportFactory(place=place_a, status="ready", figures={}, kind="monthly")


@pytest.fixture
def ready_report(place_a):
    from safety.services.reports import report_generate

    report = f.SituationReportFactory(place=place_a)
    return report_generate(report_id=report.pk, notify=False)


@pytest.fixture
def upload(place_a, manager):
    return IncidentImport.objects.create(
        place=place_a,
        uploaded_by=manager,
        organisation=manager.organisation,
        filename="rapport.csv",
        content=b"Datum;Kategori\n2026-10-14 22:15;Klotter\n",
        mapping={"occurred_at": "Datum", "category": "Kategori"},
    )


def status_for(client, user, method, url, data=None):
    if user is not None:
        client.force_login(user)
    return getattr(client, method)(url, data or {}).status_code


def slug(place):
    return {"place_slug": place.slug}


# (actor, expected status) for GET pages that every role may read.
READ_MATRIX = [
    ("reader", 200),
    ("police_reader", 200),
    ("reporter", 200),
    ("manager", 200),
    ("staff", 200),
    ("reader_b", 404),
    ("outsider", 404),
]


@pytest.mark.parametrize(("actor", "expected"), READ_MATRIX)
def test_incident_list(client, request, place_a, actor, expected):
    user = request.getfixturevalue(actor)
    url = reverse("safety:incident_list", kwargs=slug(place_a))
    assert status_for(client, user, "get", url) == expected


@pytest.mark.parametrize(("actor", "expected"), READ_MATRIX)
def test_report_list_and_detail(client, request, place_a, ready_report, actor, expected):
    user = request.getfixturevalue(actor)
    client.force_login(user)
    assert client.get(reverse("safety:report_list", kwargs=slug(place_a))).status_code == expected
    assert client.get(ready_report.get_absolute_url()).status_code == expected


@pytest.mark.parametrize(
    ("actor", "expected"), [("reader", 200), ("outsider", 404), ("reader_b", 404)]
)
def test_report_pdf(client, request, place_a, ready_report, actor, expected):
    client.force_login(request.getfixturevalue(actor))
    url = reverse("safety:report_pdf", kwargs={**slug(place_a), "pk": ready_report.pk})
    response = client.get(url)
    assert response.status_code == expected
    if expected == 200:
        assert response["Content-Type"] == "application/pdf"
        assert response.content.startswith(b"%PDF")


def test_anonymous_is_sent_to_login(client, place_a):
    response = client.get(reverse("safety:incident_list", kwargs=slug(place_a)))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize(
    ("actor", "expected"),
    [
        ("reporter", 200),
        ("manager", 200),
        ("reader", 403),
        ("police_reader", 403),
        ("outsider", 404),
    ],
)
def test_incident_create(client, request, place_a, actor, expected):
    url = reverse("safety:incident_create", kwargs=slug(place_a))
    assert status_for(client, request.getfixturevalue(actor), "get", url) == expected


@pytest.mark.parametrize(
    ("actor", "members", "restricted"),
    [
        ("reader", 200, 404),
        ("police_reader", 200, 200),
        ("reporter", 200, 200),  # the author of both
        ("manager", 200, 200),
        ("staff", 200, 200),
        ("reader_b", 404, 404),
        ("outsider", 404, 404),
    ],
)
def test_incident_detail_respects_visibility(
    client, request, place_a, incident, restricted_incident, actor, members, restricted
):
    client.force_login(request.getfixturevalue(actor))
    assert client.get(incident.get_absolute_url()).status_code == members
    assert client.get(restricted_incident.get_absolute_url()).status_code == restricted


def test_restricted_incident_is_hidden_from_another_reporter(client, place_a, restricted_incident):
    other = f.UserFactory()
    f.PlaceRoleFactory(user=other, place=place_a, role="reporter")
    client.force_login(other)
    assert client.get(restricted_incident.get_absolute_url()).status_code == 404


@pytest.mark.parametrize(
    ("actor", "members", "restricted"),
    [
        ("reporter", 200, 200),  # author
        ("manager", 200, 200),
        ("reader", 403, 404),  # may see the members' incident, may not edit; restricted is hidden
        ("police_reader", 403, 403),
        ("outsider", 404, 404),
    ],
)
def test_incident_edit(
    client, request, place_a, incident, restricted_incident, actor, members, restricted
):
    client.force_login(request.getfixturevalue(actor))
    edit = "safety:incident_edit"
    url = reverse(edit, kwargs={**slug(place_a), "pk": incident.pk})
    assert client.get(url).status_code == members
    url = reverse(edit, kwargs={**slug(place_a), "pk": restricted_incident.pk})
    assert client.get(url).status_code == restricted


def test_another_reporter_may_not_edit_an_incident(client, place_a, incident):
    other = f.UserFactory()
    f.PlaceRoleFactory(user=other, place=place_a, role="reporter")
    client.force_login(other)
    url = reverse("safety:incident_edit", kwargs={**slug(place_a), "pk": incident.pk})
    assert client.get(url).status_code == 403


def test_incident_of_another_place_is_404_under_this_place(client, manager, place_a, place_b):
    other = f.IncidentFactory(place=place_b)
    client.force_login(manager)
    url = reverse("safety:incident_detail", kwargs={**slug(place_a), "pk": other.pk})
    assert client.get(url).status_code == 404


@pytest.mark.parametrize(
    ("actor", "expected"),
    [("manager", 200), ("reporter", 403), ("reader", 403), ("outsider", 404), ("staff", 200)],
)
def test_import_pages(client, request, place_a, upload, actor, expected):
    client.force_login(request.getfixturevalue(actor))
    kwargs = {**slug(place_a), "pk": upload.pk}
    assert (
        client.get(reverse("safety:incident_import", kwargs=slug(place_a))).status_code == expected
    )
    assert client.get(reverse("safety:incident_import_map", kwargs=kwargs)).status_code == expected
    assert (
        client.get(reverse("safety:incident_import_preview", kwargs=kwargs)).status_code == expected
    )


def test_import_of_another_place_is_404(client, place_b, upload):
    manager_b = f.UserFactory()
    f.PlaceRoleFactory(user=manager_b, place=place_b, role="manager")
    client.force_login(manager_b)
    url = reverse("safety:incident_import_map", kwargs={**slug(place_b), "pk": upload.pk})
    assert client.get(url).status_code == 404


@pytest.mark.parametrize(
    ("actor", "expected"),
    [("manager", 302), ("reporter", 403), ("reader", 403), ("outsider", 404)],
)
def test_report_generate_and_regenerate(client, request, place_a, ready_report, actor, expected):
    client.force_login(request.getfixturevalue(actor))
    url = reverse("safety:report_generate", kwargs=slug(place_a))
    assert (
        client.post(url, {"period": f"{clock.month_start(months=-1):%Y-%m}"}).status_code
        == expected
    )
    url = reverse("safety:report_regenerate", kwargs={**slug(place_a), "pk": ready_report.pk})
    assert client.post(url).status_code == expected


@pytest.mark.parametrize(
    ("name", "kwargs", "method"),
    [
        ("safety:incident_list", {}, "post"),
        ("safety:incident_create", {}, "put"),
        ("safety:incident_detail", {"pk": "incident"}, "post"),
        ("safety:incident_edit", {"pk": "incident"}, "delete"),
        ("safety:incident_import", {}, "put"),
        ("safety:incident_import_map", {"pk": "upload"}, "put"),
        ("safety:incident_import_preview", {"pk": "upload"}, "delete"),
        ("safety:report_list", {}, "post"),
        ("safety:report_generate", {}, "get"),
        ("safety:report_detail", {"pk": "ready_report"}, "post"),
        ("safety:report_pdf", {"pk": "ready_report"}, "post"),
        ("safety:report_regenerate", {"pk": "ready_report"}, "get"),
    ],
)
def test_wrong_method_is_405(client, request, manager, place_a, name, kwargs, method):
    resolved = {key: request.getfixturevalue(value).pk for key, value in kwargs.items()}
    client.force_login(manager)
    url = reverse(name, kwargs={**slug(place_a), **resolved})
    assert getattr(client, method)(url).status_code == 405
