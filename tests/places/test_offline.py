"""Offline-first logging (issue #16), the server's side: forms queued on a phone are sent with a
client id and answered in JSON; a resend creates nothing twice; refusals come back with their
messages; only marked pages may be kept on the phone; the installable app's files; the home that
starts with the next action; the place tab bar with "Mer"."""

import datetime as dt
import json
import re
import uuid

import pytest
import time_machine
from django.urls import reverse

from partnerships.models import PartnershipApplication
from places.models import ActionItem, ActionItemStatusChange, Activity
from safety.models import Alert, Incident, IncidentCategory
from tests import clock
from tests import factories as f

pytestmark = pytest.mark.django_db

QUEUE = {"HTTP_X_AMP_QUEUE": "1"}


@pytest.fixture
def now():
    with time_machine.travel(clock.local(clock.today(), 12), tick=False):
        yield


def incident_url(place):
    return reverse("safety:incident_create", kwargs={"place_slug": place.slug})


def incident_data(**extra):
    data = {
        "category": IncidentCategory.objects.get(code="skadegorelse").pk,
        "occurred_at": f"{clock.today():%Y-%m-%d}T10:30",
        "severity": "medium",
        "location_note": "Vid busshållplatsen",
        "lat": "",
        "lon": "",
        "description": "Krossad glasruta i väntkuren.",
        "visibility": "members",
    }
    data.update(extra)
    return data


def activity_data(kind, **extra):
    data = {
        "kind": kind.pk,
        "started_at": f"{clock.today():%Y-%m-%d}T10:00",
        "duration_minutes": "60",
        "participants_count": "5",
        "description": "Kvällsvandring runt torget.",
        "location_note": "",
        "lat": "",
        "lon": "",
        "finding-TOTAL_FORMS": "2",
        "finding-INITIAL_FORMS": "0",
        "finding-MIN_NUM_FORMS": "0",
        "finding-MAX_NUM_FORMS": "20",
    }
    data.update(extra)
    return data


# --- Queued forms: sent twice, saved once ---------------------------------------------------


def test_a_queued_incident_sent_twice_is_saved_once_and_answered_the_same(
    client, now, place_a, reporter
):
    client.force_login(reporter)
    client_id = str(uuid.uuid4())
    first = client.post(incident_url(place_a), incident_data(client_id=client_id), **QUEUE)
    second = client.post(incident_url(place_a), incident_data(client_id=client_id), **QUEUE)
    incident = Incident.objects.get()
    assert str(incident.client_id) == client_id
    assert first.status_code == second.status_code == 200
    assert first.json() == {"state": "sent", "url": incident.get_absolute_url(), "created": True}
    assert second.json() == {"state": "sent", "url": incident.get_absolute_url(), "created": False}
    assert "no-store" in first["Cache-Control"]


def test_three_queued_incidents_from_one_stored_form_are_three_incidents(
    client, now, place_a, reporter
):
    """A stored form keeps one form key; the queue's client ids tell its sends apart."""
    client.force_login(reporter)
    page = client.get(incident_url(place_a)).content.decode()
    form_key = page.split('name="form_key" value="')[1].split('"')[0]
    for _ in range(3):
        data = incident_data(client_id=str(uuid.uuid4()))
        response = client.post(incident_url(place_a), data, **QUEUE)
        assert response.json()["created"] is True
    assert Incident.objects.count() == 3
    # The page's own double-click guard still holds for a form sent from the page.
    client.post(incident_url(place_a), incident_data(form_key=form_key))
    client.post(incident_url(place_a), incident_data(form_key=form_key))
    assert Incident.objects.count() == 4


def test_a_queued_incident_refused_by_the_privacy_screen_comes_back_with_the_message(
    client, now, place_a, reporter
):
    client.force_login(reporter)
    data = incident_data(
        client_id=str(uuid.uuid4()), description="Mannen med nummer 19850101-1234 bråkade."
    )
    response = client.post(incident_url(place_a), data, **QUEUE)
    assert response.status_code == 422
    body = response.json()
    assert body["state"] == "refused"
    described = [e for e in body["errors"] if e["field"] == "description"]
    assert described and "personnummer" in described[0]["messages"][0]
    assert described[0]["label"] == "Beskrivning"
    assert not Incident.objects.exists()
    # Fixed and sent again under the same id: saved.
    data["description"] = "En man bråkade vid kiosken."
    assert client.post(incident_url(place_a), data, **QUEUE).json()["state"] == "sent"
    assert Incident.objects.count() == 1


def test_someone_elses_client_id_is_refused_without_saying_whose(
    client, now, place_a, reporter, manager
):
    client.force_login(reporter)
    client_id = str(uuid.uuid4())
    client.post(incident_url(place_a), incident_data(client_id=client_id), **QUEUE)
    client.force_login(manager)
    response = client.post(incident_url(place_a), incident_data(client_id=client_id), **QUEUE)
    assert response.status_code == 409
    assert "url" not in response.json()
    assert Incident.objects.count() == 1


def test_a_garbage_client_id_is_ignored(client, now, place_a, reporter):
    client.force_login(reporter)
    response = client.post(incident_url(place_a), incident_data(client_id="x" * 500), **QUEUE)
    assert response.json()["state"] == "sent"
    assert Incident.objects.get().client_id is None


def test_queued_sends_keep_the_access_rules(client, now, place_a, reader, outsider):
    client.force_login(outsider)
    data = incident_data(client_id=str(uuid.uuid4()))
    assert client.post(incident_url(place_a), data, **QUEUE).status_code == 404
    client.force_login(reader)
    assert client.post(incident_url(place_a), data, **QUEUE).status_code == 403
    assert not Incident.objects.exists()


def test_a_queue_request_that_is_not_a_post_gets_json(client, place_a, reporter):
    client.force_login(reporter)
    response = client.get(incident_url(place_a), **QUEUE)
    assert response.status_code == 405
    assert response.json()["state"] == "refused"


def test_a_queued_walk_with_two_findings_is_one_activity_and_two_action_items(
    client, now, place_a, reporter, walk_kind, members
):
    client.force_login(reporter)
    url = reverse("places:activity_create", kwargs={"place_slug": place_a.slug})
    data = activity_data(
        walk_kind,
        client_id=str(uuid.uuid4()),
        **{
            "finding-0-category": "belysning",
            "finding-0-description": "Släckt lampa vid trappan.",
            "finding-0-responsible_organisation": str(members[1].pk),
            "finding-1-category": "klotter",
            "finding-1-description": "Klotter på elskåpet.",
        },
    )
    first = client.post(url, data, **QUEUE)
    again = client.post(url, data, **QUEUE)
    activity = Activity.objects.get()
    assert first.json()["created"] is True and again.json()["created"] is False
    assert first.json()["url"] == again.json()["url"]
    items = ActionItem.objects.filter(source_activity=activity).order_by("pk")
    assert [i.category for i in items] == ["belysning", "klotter"]
    assert items[0].responsible_organisation == members[1]


def test_a_refused_finding_saves_neither_the_walk_nor_the_other_finding(
    client, now, place_a, reporter, walk_kind, members
):
    client.force_login(reporter)
    url = reverse("places:activity_create", kwargs={"place_slug": place_a.slug})
    data = activity_data(
        walk_kind,
        client_id=str(uuid.uuid4()),
        **{
            "finding-0-category": "belysning",
            "finding-0-description": "Släckt lampa vid trappan.",
            "finding-1-category": "klotter",
            "finding-1-description": "Ring 070-123 45 67 om klottret.",
        },
    )
    response = client.post(url, data, **QUEUE)
    assert response.status_code == 422
    fields = {e["field"] for e in response.json()["errors"]}
    assert "finding-1-description" in fields
    assert not Activity.objects.exists() and not ActionItem.objects.exists()


def test_findings_on_an_activity_that_is_not_a_walk_are_refused(
    client, now, place_a, reporter, cleaning_kind
):
    client.force_login(reporter)
    url = reverse("places:activity_create", kwargs={"place_slug": place_a.slug})
    data = activity_data(
        cleaning_kind,
        **{"finding-0-category": "belysning", "finding-0-description": "Släckt lampa."},
    )
    response = client.post(url, data)
    assert response.status_code == 200
    assert "Iakttagelser registreras på en vandring" in response.content.decode()
    assert not Activity.objects.exists()


def test_a_walk_with_findings_from_the_page_goes_to_the_activity(
    client, now, place_a, reporter, walk_kind
):
    client.force_login(reporter)
    url = reverse("places:activity_create", kwargs={"place_slug": place_a.slug})
    data = activity_data(
        walk_kind, **{"finding-0-category": "belysning", "finding-0-description": "Mörkt."}
    )
    response = client.post(url, data)
    activity = Activity.objects.get()
    assert response["Location"] == reverse(
        "places:activity_detail", kwargs={"place_slug": place_a.slug, "pk": activity.pk}
    )
    assert activity.action_items.count() == 1


def test_a_queued_status_change_sent_twice_is_recorded_once(
    client, now, place_a, city_user, action_item
):
    client.force_login(city_user)
    url = reverse(
        "places:action_item_status", kwargs={"place_slug": place_a.slug, "pk": action_item.pk}
    )
    data = {"status": "resolved", "note": "Lagad.", "client_id": str(uuid.uuid4())}
    first = client.post(url, data, **QUEUE)
    again = client.post(url, data, **QUEUE)
    assert first.json()["created"] is True and again.json()["state"] == "sent"
    assert ActionItemStatusChange.objects.count() == 1
    action_item.refresh_from_db()
    assert action_item.status == "resolved"


# --- What the phone may keep ----------------------------------------------------------------


def test_forms_and_the_home_may_be_kept_on_the_phone_restricted_details_never(
    client, place_a, reporter, restricted_incident_for
):
    client.force_login(reporter)
    assert client.get(incident_url(place_a))["X-AMP-Offline"] == "store"
    assert client.get(reverse("places:home"))["X-AMP-Offline"] == "store"
    assert client.get(reverse("places:offline_queue"))["X-AMP-Offline"] == "store"
    detail = client.get(restricted_incident_for(reporter).get_absolute_url())
    assert detail.status_code == 200
    assert "X-AMP-Offline" not in detail
    assert "X-AMP-Offline" not in client.get(
        reverse("safety:incident_list", kwargs={"place_slug": place_a.slug})
    )


@pytest.fixture
def restricted_incident_for(place_a):
    def make(user):
        return f.IncidentFactory(
            place=place_a,
            reported_by=user,
            visibility="restricted",
            category=IncidentCategory.objects.get(code="klotter"),
        )

    return make


def test_only_the_own_organisations_action_items_are_kept(
    client, place_a, city_user, manager, action_item, municipality, property_owner
):
    detail = reverse(
        "places:action_item_detail", kwargs={"place_slug": place_a.slug, "pk": action_item.pk}
    )
    client.force_login(city_user)  # represents Malmö stad, the item's organisation
    assert client.get(detail)["X-AMP-Offline"] == "store"
    client.force_login(manager)  # represents the property owner
    assert "X-AMP-Offline" not in client.get(detail)


def test_the_service_worker_keeps_push_and_adds_the_offline_cache(client):
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response["Service-Worker-Allowed"] == "/"
    body = response.content.decode()
    config = json.loads(body.split("self.AMP = ", 1)[1].split(";\n", 1)[0])
    assert config["offlineUrl"] == "/offline/"
    assert "/static/js/offline.js" in config["precache"]
    assert 'addEventListener("push"' in body and 'addEventListener("sync"' in body


def test_the_manifest_names_the_app_in_the_pages_language(client):
    response = client.get("/manifest.webmanifest")
    assert response["Content-Type"] == "application/manifest+json"
    data = response.json()
    assert data["name"] == "AMP – Platssamverkan"
    assert (data["lang"], data["start_url"], data["display"]) == ("sv", "/", "standalone")
    assert {icon["sizes"] for icon in data["icons"]} == {"192x192", "512x512"}
    client.cookies["django_language"] = "en"
    assert client.get("/manifest.webmanifest").json()["name"] == "AMP – Place partnership"


def test_the_queue_token_is_for_logged_in_people_only(client, reporter):
    response = client.get(reverse("places:offline_token"))
    assert response.status_code == 401
    client.force_login(reporter)
    response = client.get(reverse("places:offline_token"))
    assert response.status_code == 200 and len(response.json()["csrf"]) >= 32
    assert response.json()["user"] == str(reporter.pk)
    assert "no-cache" in response["Cache-Control"]


def test_the_queue_page_needs_a_login(client, reporter):
    assert client.get(reverse("places:offline_queue")).status_code == 302
    client.force_login(reporter)
    page = client.get(reverse("places:offline_queue")).content.decode()
    assert "Väntar på att skickas" in page
    assert client.post(reverse("places:offline_queue")).status_code == 405


# --- The home that starts with the next action ---------------------------------------------


def test_a_reporter_with_one_place_lands_on_its_quick_actions(
    client, place_a, reporter, walk_kind, assert_max_queries
):
    client.force_login(reporter)
    with assert_max_queries(12):
        page = client.get(reverse("places:home")).content.decode()
    assert "<h1>Möllevångstorget</h1>" in page
    assert "Rapportera händelse" in page and "Logga aktivitet" in page
    assert f"/places/{place_a.slug}/activities/new/?kind=trygghetsvandring" in page
    # The guard company is no member: nothing can be assigned to it here.
    assert "Mina åtgärdspunkter" not in page
    assert "Granskningskö" not in page


def test_a_member_organisations_person_sees_their_action_items_even_when_none(
    client, place_a, manager, members
):
    client.force_login(manager)
    assert "Mina åtgärdspunkter (0)" in client.get(reverse("places:home")).content.decode()


def test_my_action_items_count_the_organisation_the_role_represents(
    client, place_a, city_user, action_item, municipality
):
    f.ActionItemFactory(place=place_a, responsible_organisation=municipality, status="resolved")
    client.force_login(city_user)
    page = client.get(reverse("places:home")).content.decode()
    assert "Mina åtgärdspunkter (1)" in page
    # A reader logs nothing.
    assert "Rapportera händelse" not in page


def test_open_alerts_and_the_review_queue_show_on_the_home(
    client, place_a, place_b, reporter, reviewer, municipality
):
    Alert.objects.create(
        place=place_a, text="Stökigt vid fontänen", sent_by=reporter, created_at=clock.frozen_now()
    )
    Alert.objects.create(
        place=place_a,
        text="Löst",
        sent_by=reporter,
        created_at=clock.frozen_now() - dt.timedelta(hours=2),
        closed_at=clock.frozen_now(),
    )
    client.force_login(reporter)
    assert "Öppna larm (1)" in client.get(reverse("places:home")).content.decode()
    f.PartnershipApplicationFactory(status=PartnershipApplication.Status.SUBMITTED)
    client.force_login(reviewer)
    page = client.get(reverse("places:home")).content.decode()
    assert "Granskningskö (1)" in page


def test_the_place_tab_bar_puts_the_rest_under_more(client, place_a, reporter):
    client.force_login(reporter)
    page = client.get(
        reverse("places:activity_list", kwargs={"place_slug": place_a.slug})
    ).content.decode()
    nav = page.split('class="place-nav"', 1)[1].split("</nav>", 1)[0]
    assert "<summary>Mer</summary>" in nav
    more = nav.split("<summary>Mer</summary>", 1)[1]
    assert "Lägesbilder" in more and "Åtgärdspunkter" not in more


def test_the_activity_form_picks_the_persons_organisation_and_the_walk(
    client, place_a, manager, walk_kind, members
):
    client.force_login(manager)
    url = reverse("places:activity_create", kwargs={"place_slug": place_a.slug})
    page = client.get(url + "?kind=trygghetsvandring").content.decode()
    checked = re.findall(
        r'<input type="checkbox" name="organisations" value="(\d+)"[^>]*checked', page
    )
    assert checked == [str(members[0].pk)]  # the property owner, whom the manager represents
    assert f'<option value="{walk_kind.pk}" selected>' in page
    assert "data-walk-findings" in page


@pytest.mark.parametrize("kind", ["\x00", "x" * 5000, "okänd", "trygghetsvandring' OR 1=1"])
def test_a_strange_kind_in_the_address_is_ignored(client, place_a, reporter, kind):
    client.force_login(reporter)
    url = reverse("places:activity_create", kwargs={"place_slug": place_a.slug})
    assert client.get(url, {"kind": kind}).status_code == 200
