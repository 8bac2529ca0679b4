"""Open311 GeoReport v2 for action items: an Open311 client lists the services, files a
request with its api_key and follows it, in JSON and XML; access as on the pages."""

from xml.etree import ElementTree

from django.urls import reverse

from places.models import ActionItem
from tests import factories as f
from tests.api.conftest import ApiClient, make_token


def test_services_are_the_action_item_categories_in_json_and_xml(place_a, reader):
    _token, secret = make_token(reader)
    api = ApiClient(secret)
    services = api.get(reverse("open311:services_json")).json()
    assert {s["service_code"] for s in services} == set(ActionItem.Category.values)
    xml = ElementTree.fromstring(api.get(reverse("open311:services_xml")).content)
    assert xml.tag == "services" and len(xml.findall("service")) == len(services)


def test_a_client_files_a_request_and_follows_it(client, place_a, reporter, reader_b):
    _token, secret = make_token(reporter)
    response = client.post(
        reverse("open311:requests_json"),
        {
            "api_key": secret,
            "jurisdiction_id": place_a.slug,
            "service_code": "belysning",
            "description": "Trasig lampa vid trappan.",
            "lat": "55.6012",
            "long": "13.0021",
            "address_string": "Trappan mot Bergsgatan",
            "email": "someone@example.org",
            "first_name": "Kalle",
        },
    )
    assert response.status_code == 201, response.content
    item = ActionItem.objects.get()
    assert response.json() == [
        {"service_request_id": str(item.pk), "service_notice": None, "account_id": None}
    ]
    assert item.created_by == reporter and item.location_note == "Trappan mot Bergsgatan"
    # The personal fields of Open311 are stored nowhere.
    assert "Kalle" not in str(ActionItem.objects.values().get())
    followed = ApiClient(secret).get(reverse("open311:request_json", args=[item.pk])).json()
    assert followed[0]["status"] == "open" and followed[0]["lat"] == 55.6012
    xml = ElementTree.fromstring(
        ApiClient(secret).get(reverse("open311:request_xml", args=[item.pk])).content
    )
    assert xml.tag == "service_requests" and xml.find("request/service_code").text == "belysning"
    # Another place's reader sees nothing of it.
    _other, other_secret = make_token(reader_b)
    other = ApiClient(other_secret)
    assert other.get(reverse("open311:request_json", args=[item.pk])).status_code == 404
    assert other.get(reverse("open311:requests_json")).json() == []


def test_requests_filter_by_status_and_a_reader_may_not_file(client, place_a, reader):
    f.ActionItemFactory(place=place_a, status=ActionItem.Status.RESOLVED)
    open_item = f.ActionItemFactory(place=place_a)
    _token, secret = make_token(reader)
    api = ApiClient(secret)
    rows = api.get(reverse("open311:requests_json"), {"status": "open"}).json()
    assert [row["service_request_id"] for row in rows] == [str(open_item.pk)]
    refused = client.post(
        reverse("open311:requests_xml"),
        {"api_key": secret, "jurisdiction_id": place_a.slug, "service_code": "klotter"},
    )
    assert refused.status_code == 403
    error = ElementTree.fromstring(refused.content)
    assert error.tag == "errors" and error.find("error/code").text == "403"


def test_bad_input_is_an_open311_error_never_a_500(client, place_a, reporter, outsider):
    _token, secret = make_token(reporter)
    api = ApiClient(secret)
    for params in (
        {"start_date": "9999-99-99"},
        {"end_date": "0001-01-01T00:00:00"},
        {"status": "maybe"},
        {"service_request_id": "1,x"},
        {"service_code": "\x00"},
        {"jurisdiction_id": "nowhere"},
    ):
        response = api.get(reverse("open311:requests_json"), params)
        assert response.status_code in (400, 404), params
        assert response.json()[0]["code"] == response.status_code
    bad = client.post(
        reverse("open311:requests_json"),
        {"api_key": secret, "jurisdiction_id": place_a.slug, "service_code": "nope", "lat": "NaN"},
    )
    assert bad.status_code == 400 and "service_code" in bad.json()[0]["description"]
    _o, outsider_secret = make_token(outsider)
    hidden = client.post(
        reverse("open311:requests_json"),
        {"api_key": outsider_secret, "jurisdiction_id": place_a.slug, "service_code": "klotter"},
    )
    assert hidden.status_code == 404
    assert client.get(reverse("open311:requests_json")).status_code == 401
