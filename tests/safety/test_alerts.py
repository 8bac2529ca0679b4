"""Samverkansplan and larm (issue #13): access per view, the plan's versions and
confirmations, alerts' fan-out exactly once per recipient and channel, answers, escalation."""

import datetime as dt
from unittest import mock

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from places.models import (
    Notification,
    NotificationSetting,
    OutboxMessage,
    PlaceRole,
    PushSubscription,
)
from safety.models import (
    Alert,
    AlertAnswer,
    AlertDelivery,
    ContactLink,
    PlanConfirmation,
    PlanVersion,
    Scenario,
)
from safety.services import alerts
from tests import factories as f
from tests.clock import today

pytestmark = pytest.mark.django_db


def _url(name, place, **kwargs):
    return reverse(f"safety:{name}", kwargs={"place_slug": place.slug, **kwargs})


@pytest.fixture
def plan(place_a):
    return alerts.plan_for(place_a)


@pytest.fixture
def scenario(plan, place_a, reporter, reader, property_owner):
    scenario = plan.scenarios.get(title="Störande grupp vid torget")
    guards = PlaceRole.objects.get(user=reporter).organisation
    shop = PlaceRole.objects.get(user=reader).organisation
    ContactLink.objects.create(
        scenario=scenario, position=1, organisation=guards, phone="040-10 20 30"
    )
    ContactLink.objects.create(
        scenario=scenario, position=2, organisation=shop, phone="+46 40 11 22 33"
    )
    ContactLink.objects.create(scenario=scenario, position=3, organisation=property_owner)
    # The partnership's member organisations: the plan's coverage counts them.
    for organisation in (guards, shop, property_owner):
        f.MembershipFactory(
            organisation=organisation, place=place_a, since=today() - dt.timedelta(days=30)
        )
    return scenario


def _send(client, place, user, **data):
    client.force_login(user)
    payload = {"text": "Stökig grupp vid fontänen", "severity": "high", **data}
    return client.post(_url("alert_create", place), payload)


# --- Access ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name,needs",
    [
        ("plan", "reader"),
        ("plan_board", "manager"),
        ("scenario_create", "manager"),
        ("alert_list", "reader"),
        ("alert_create", "reporter"),
    ],
)
def test_place_pages_404_for_outsiders_403_below_role_200_when_allowed(
    client, place_a, manager, reporter, reader, outsider, name, needs
):
    url = _url(name, place_a)
    client.force_login(outsider)
    assert client.get(url).status_code == 404
    below = {"manager": reporter, "reporter": reader, "reader": None}[needs]
    if below is not None:
        client.force_login(below)
        assert client.get(url).status_code == 403
    allowed = {"manager": manager, "reporter": reporter, "reader": reader}[needs]
    client.force_login(allowed)
    assert client.get(url).status_code == 200


def test_object_pages_404_for_outsiders_and_other_places(
    client, place_a, place_b, manager, reader, reader_b, outsider, scenario, reporter
):
    _send(client, place_a, reporter)
    alert = Alert.objects.get()
    for url in (
        _url("scenario_edit", place_a, pk=scenario.pk),
        _url("alert_detail", place_a, pk=alert.pk),
        # A place's object under another place's address.
        _url("alert_detail", place_b, pk=alert.pk),
        _url("scenario_edit", place_b, pk=scenario.pk),
    ):
        client.force_login(outsider)
        assert client.get(url).status_code == 404, url
    client.force_login(reader_b)
    assert client.get(_url("alert_detail", place_b, pk=alert.pk)).status_code == 404
    client.force_login(reader)
    assert client.get(_url("scenario_edit", place_a, pk=scenario.pk)).status_code == 403
    assert client.get(_url("alert_detail", place_a, pk=alert.pk)).status_code == 200
    assert (
        client.post(_url("alert_close", place_a, pk=alert.pk), {"outcome": "police"}).status_code
        == 403
    )
    client.force_login(manager)
    assert client.get(_url("scenario_edit", place_a, pk=scenario.pk)).status_code == 200


def test_publish_and_confirm_need_their_roles(client, place_a, manager, reader, outsider):
    client.force_login(reader)
    assert client.post(_url("plan_publish", place_a)).status_code == 403
    assert client.post(_url("plan_confirm", place_a)).status_code == 404  # nothing published
    client.force_login(outsider)
    assert client.post(_url("plan_publish", place_a)).status_code == 404
    assert client.get(_url("plan_pdf", place_a)).status_code == 404


# --- The plan -------------------------------------------------------------------------------


def test_the_plan_is_seeded_versioned_and_confirmed_per_organisation(
    client, place_a, manager, reporter, reader, scenario
):
    assert Scenario.objects.filter(plan__place=place_a).count() == 5
    client.force_login(manager)
    response = client.post(_url("plan_publish", place_a), {"note": "Första versionen"})
    assert response.status_code == 302
    version = PlanVersion.objects.get()
    assert version.number == 1
    frozen = next(s for s in version.content["scenarios"] if s["id"] == scenario.pk)
    assert [link["position"] for link in frozen["links"]] == [1, 2, 3]
    assert frozen["steps"][0] == "Håll avstånd och observera."
    # Everyone else at the place is asked to confirm.
    asked = set(
        Notification.objects.filter(kind="plan_confirm").values_list("user__email", flat=True)
    )
    assert asked == {reporter.email, reader.email}

    client.force_login(reader)
    page = client.get(_url("plan", place_a)).content.decode()
    assert "Håll avstånd och observera." in page
    client.post(_url("plan_confirm", place_a))
    client.post(_url("plan_confirm", place_a))  # twice: one confirmation
    assert (
        PlanConfirmation.objects.get().organisation
        == PlaceRole.objects.get(user=reader).organisation
    )
    assert alerts.plan_coverage(place_a) == {"version": 1, "organisations": 3, "confirmed": 1}

    # Editing changes the working copy, not the published version, until published again.
    client.force_login(manager)
    client.post(
        _url("scenario_edit", place_a, pk=scenario.pk),
        {
            "title": "Störande grupp",
            "signs": "",
            "steps": "Ny rutin",
            "escalation_minutes": 5,
            "order": 0,
        },
    )
    version.refresh_from_db()
    assert "Störande grupp vid torget" in [s["title"] for s in version.content["scenarios"]]
    client.post(_url("plan_publish", place_a), {"note": ""})
    assert alerts.plan_coverage(place_a)["confirmed"] == 0
    board = client.get(_url("plan_board", place_a))
    assert board.status_code == 200
    assert "0 of 3" in board.content.decode() or "0 av 3" in board.content.decode()


def test_the_plan_prints_one_page_per_scenario(client, place_a, manager, plan):
    client.force_login(manager)
    client.post(_url("plan_publish", place_a), {"note": ""})
    response = client.get(_url("plan_pdf", place_a))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    # One page per scenario (the five seeded ones).
    from safety.views.alerts import plan_pdf_document

    version = PlanVersion.objects.get()
    assert len(plan_pdf_document(place_a, version, None).pages) == 5


def test_a_new_member_is_asked_to_confirm_on_arrival(place_a, manager):
    alerts.plan_publish(place=place_a, actor=manager)
    newcomer = f.UserFactory(email="new@example.org")
    PlaceRole.objects.create(user=newcomer, place=place_a, role="reader")
    assert Notification.objects.filter(user=newcomer, kind="plan_confirm").exists()


def test_the_yearly_reminder_asks_those_without_a_fresh_confirmation_once(place_a, manager, reader):
    version = alerts.plan_publish(place=place_a, actor=manager)
    PlanVersion.objects.filter(pk=version.pk).update(
        published_at=timezone.now() - dt.timedelta(days=400)
    )
    Notification.objects.all().delete()
    assert alerts.plan_reconfirmation() == 2
    alerts.plan_reconfirmation()
    assert Notification.objects.filter(user=reader, kind="plan_confirm").count() == 1


def test_contact_link_numbers_must_be_functional_numbers(client, place_a, manager, scenario):
    client.force_login(manager)
    organisation = scenario.links.first().organisation
    response = client.post(
        _url("contact_link_add", place_a, pk=scenario.pk),
        {
            "position": 4,
            "organisation": organisation.pk,
            "task": "Ringer",
            "phone": "kalle@example.org",
        },
    )
    assert response.status_code == 400
    assert scenario.links.count() == 3


# --- Alerts ---------------------------------------------------------------------------------


def test_an_alert_reaches_everyone_once_per_channel(
    client, place_a, manager, reporter, reader, scenario, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = _send(client, place_a, reporter, scenario=scenario.pk, lat="55.59", lon="13.0")
    alert = Alert.objects.get()
    assert response.status_code == 302
    assert response["Location"] == alert.get_absolute_url()
    # Everyone but the sender, by e-mail (push needs a device and VAPID keys); an SMS to
    # the first link's functional number.
    deliveries = AlertDelivery.objects.filter(alert=alert)
    assert sorted(deliveries.values_list("channel", "recipient")) == sorted(
        [
            ("email", f"user:{manager.pk}"),
            ("email", f"user:{reader.pk}"),
            ("sms", f"link:{scenario.links.get(position=1).pk}"),
        ]
    )
    assert set(deliveries.values_list("status", flat=True)) == {"sent"}
    assert sorted(m.to[0] for m in mail.outbox) == sorted([manager.email, reader.email])
    # A second dispatch or fan-out sends nothing twice.
    alerts.deliver(alert_id=alert.pk)
    alerts._fan_out(
        alert, alerts.place_people(place_a), level=1, link=scenario.links.get(position=1)
    )
    alerts.deliver(alert_id=alert.pk)
    assert AlertDelivery.objects.filter(alert=alert).count() == 3
    assert OutboxMessage.objects.filter(kind="alert").count() == 2
    assert Notification.objects.filter(kind="alert").count() == 2
    assert alert.next_escalation_at == alert.created_at + dt.timedelta(minutes=10)


def test_chosen_organisations_only(
    client, place_a, manager, reporter, reader, django_capture_on_commit_callbacks
):
    shop = PlaceRole.objects.get(user=reader).organisation
    with django_capture_on_commit_callbacks(execute=True):
        _send(client, place_a, reporter, organisations=[shop.pk])
    assert list(AlertDelivery.objects.values_list("user__email", flat=True)) == [reader.email]


def test_settings_turn_email_off(
    client, place_a, manager, reporter, reader, django_capture_on_commit_callbacks
):
    NotificationSetting.objects.create(user=reader, email=False, push=True)
    with django_capture_on_commit_callbacks(execute=True):
        _send(client, place_a, reporter)
    assert list(AlertDelivery.objects.values_list("user__email", flat=True)) == [manager.email]
    assert Notification.objects.filter(user=reader, kind="alert").exists()


@pytest.mark.parametrize(
    "data,message",
    [
        ({"text": ""}, "field--error"),
        ({"text": "Ring 070-123 45 67"}, "field--error"),
        ({"lat": "95", "lon": "13"}, "error"),
        ({"lat": "55.6", "lon": "100"}, "error-summary"),
        ({"lat": "55.6"}, "error-summary"),
        ({"lat": "nan", "lon": "nan"}, "error"),
    ],
)
def test_bad_alerts_write_nothing(client, place_a, reporter, data, message):
    response = _send(client, place_a, reporter, **data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Alert.objects.exists()


def test_a_scenario_of_another_place_is_refused(client, place_a, place_b, reporter, manager):
    other = alerts.plan_for(place_b).scenarios.first()
    response = _send(client, place_a, reporter, scenario=other.pk)
    assert response.status_code == 200
    assert not Alert.objects.exists()


def test_answers_show_on_the_board_and_the_sender_or_a_manager_closes(
    client, place_a, manager, reporter, reader, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _send(client, place_a, reporter)
    alert = Alert.objects.get()
    client.force_login(reader)
    client.post(_url("alert_answer", place_a, pk=alert.pk), {"answer": "acting"})
    client.post(_url("alert_answer", place_a, pk=alert.pk), {"answer": "nonsense"})
    answer = AlertAnswer.objects.get()
    assert answer.answer == "acting"
    client.force_login(reporter)
    board = client.get(_url("alert_detail", place_a, pk=alert.pk), HTTP_HX_REQUEST="true")
    assert 'id="alert-board"' in board.content.decode()
    assert "Torgets Livs AB" in board.content.decode()
    assert (
        client.post(_url("alert_close", place_a, pk=alert.pk), {"outcome": "bogus"}).status_code
        == 302
    )
    alert.refresh_from_db()
    assert alert.is_open
    client.post(_url("alert_close", place_a, pk=alert.pk), {"outcome": "police"})
    alert.refresh_from_db()
    assert alert.outcome == "police" and not alert.is_open


def test_escalation_alerts_the_next_link_exactly_once(
    client, place_a, manager, reporter, reader, scenario, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _send(client, place_a, manager, scenario=scenario.pk)
    alert = Alert.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        assert alerts.sweep()["escalated"] == 0  # not yet due
    later = timezone.now() + dt.timedelta(minutes=11)
    with time_machine.travel(later, tick=False), django_capture_on_commit_callbacks(execute=True):
        assert alerts.escalate(alert_id=alert.pk) is True
        assert alerts.escalate(alert_id=alert.pk) is False
        alerts.sweep()
    alert.refresh_from_db()
    assert alert.escalation_level == 2
    second = scenario.links.get(position=2)
    assert AlertDelivery.objects.get(recipient=f"link:{second.pk}").status == "sent"
    # Someone of the alerted links answers: no further escalation.
    AlertAnswer.objects.create(
        alert=alert, user=reader, organisation=second.organisation, answer="seen", answered_at=later
    )
    with time_machine.travel(later + dt.timedelta(minutes=30), tick=False):
        assert alerts.escalate(alert_id=alert.pk) is False
    alert.refresh_from_db()
    assert alert.escalation_level == 2 and alert.next_escalation_at is None


def test_a_double_submit_sends_one_alert(client, place_a, reporter):
    from places.form_keys import new_form_key

    key = new_form_key()
    _send(client, place_a, reporter, form_key=key)
    second = _send(client, place_a, reporter, form_key=key)
    assert Alert.objects.count() == 1
    assert second.status_code == 302


# --- Channels -------------------------------------------------------------------------------


def test_the_http_sms_backend_posts_to_the_provider(settings):
    from safety.sms import SmsError, send_sms

    settings.SMS_BACKEND = "http"
    settings.SMS_HTTP_URL = "https://sms.example.org/send"
    settings.SMS_HTTP_TOKEN = "t0ken"
    with mock.patch("safety.sms.requests.post") as post:
        post.return_value.status_code = 202
        send_sms("040-10 20 30", "Larm")
    args, kwargs = post.call_args
    assert args[0] == "https://sms.example.org/send"
    assert kwargs["json"]["to"] == "+46401020 30".replace(" ", "")
    assert kwargs["headers"]["Authorization"] == "Bearer t0ken"
    with mock.patch("safety.sms.requests.post") as post:
        post.return_value.status_code = 503
        with pytest.raises(SmsError):
            send_sms("040-10 20 30", "Larm")


P256DH = "BOr5pKzjs1yH6dO3tXbxBQrUmhUg9fM9wUJ0R7c1sV4yXKQZ3yYx0b2v6xw8r8e8aCsmBvN8-nhBzG1fM3Y1u0A"
AUTH = "8eDyX_uCN0XRhSbY5hs7Hg"


def test_push_subscriptions_are_checked_owned_and_removed(client, place_a, reader, settings):
    settings.VAPID_PUBLIC_KEY = "public"
    settings.VAPID_PRIVATE_KEY = "private"
    client.force_login(reader)
    url = reverse("places:push_subscribe")
    forged = {"endpoint": "https://evil.example.org/x", "keys": {"p256dh": P256DH, "auth": AUTH}}
    response = client.post(url, forged, content_type="application/json")
    assert response.status_code == 400
    assert client.post(url, "not json", content_type="application/json").status_code == 400
    good = {
        "endpoint": "https://fcm.googleapis.com/fcm/send/abc",
        "keys": {"p256dh": P256DH, "auth": AUTH},
    }
    assert client.post(url, good, content_type="application/json").status_code == 201
    subscription = PushSubscription.objects.get()
    assert subscription.user == reader

    # The push service says the subscription is gone: it is deleted.
    from pywebpush import WebPushException

    from places.services.notifications import push_to_user

    gone = WebPushException("gone", response=mock.Mock(status_code=410))
    with mock.patch("pywebpush.webpush", side_effect=gone):
        assert push_to_user(reader, {"title": "x"}) == 0
    assert not PushSubscription.objects.exists()

    client.post(url, good, content_type="application/json")
    assert PushSubscription.objects.count() == 1
    client.post(reverse("account_logout"))
    assert not PushSubscription.objects.exists()


def test_push_deliveries_go_to_each_device(
    client, place_a, reporter, reader, settings, django_capture_on_commit_callbacks
):
    settings.VAPID_PUBLIC_KEY = "public"
    settings.VAPID_PRIVATE_KEY = "private"
    PushSubscription.objects.create(
        user=reader, endpoint="https://fcm.googleapis.com/a", p256dh=P256DH, auth=AUTH
    )
    with (
        mock.patch("pywebpush.webpush") as webpush,
        django_capture_on_commit_callbacks(execute=True),
    ):
        _send(client, place_a, reporter)
    assert webpush.call_count == 1
    assert AlertDelivery.objects.get(channel="push").status == "sent"


def test_the_service_worker_is_served_at_the_root(client):
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response["Service-Worker-Allowed"] == "/"
    assert response["Content-Type"].startswith("application/javascript")


# --- Notifications --------------------------------------------------------------------------


def test_the_bell_counts_unread_and_the_list_marks_read(
    client, place_a, reporter, reader, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _send(client, place_a, reporter)
    client.force_login(reader)
    page = client.get(reverse("places:notification_list")).content.decode()
    assert "Stökig grupp" in page
    notification = Notification.objects.get(user=reader)
    response = client.post(
        reverse("places:notification_read"), {"id": notification.pk, "next": notification.url}
    )
    assert response["Location"] == notification.url
    notification.refresh_from_db()
    assert notification.read_at is not None
    response = client.post(
        reverse("places:notification_read"), {"next": "https://evil.example.org/"}
    )
    assert response["Location"] == reverse("places:notification_list")


def test_notification_settings_are_per_person(client, reader, outsider):
    client.force_login(reader)
    url = reverse("places:notification_settings")
    assert client.get(url).status_code == 200
    client.post(url, {"email": "", "push": "on"})
    assert NotificationSetting.objects.get(user=reader).email is False
    client.logout()
    assert client.get(url).status_code == 302


# --- Speed ----------------------------------------------------------------------------------


def _people(place, count, start=0):
    users = [f.UserFactory(email=f"p{start + n}@example.org") for n in range(count)]
    PlaceRole.objects.bulk_create(PlaceRole(user=u, place=place, role="reader") for u in users)


def test_sending_and_the_board_take_flat_query_counts(
    client, place_a, reporter, count_queries, django_capture_on_commit_callbacks
):
    _people(place_a, 3)
    _send(client, place_a, reporter, text="Första larmet")  # seeds, caches, the session
    with count_queries() as small:
        _send(client, place_a, reporter)
    _people(place_a, 30, start=100)
    with count_queries() as large:
        _send(client, place_a, reporter, text="Brandlarm i entrén")
    assert len(large) == len(small)
    alert = Alert.objects.first()
    with count_queries() as board_large:
        client.get(_url("alert_detail", place_a, pk=alert.pk))
    assert len(board_large) < 25


def test_a_lost_fan_out_task_is_done_by_the_sweeper_once(place_a, manager, reporter, reader):
    # The broker was away: the request saved the alert, its fan-out task never ran.
    alert = alerts.alert_send(place=place_a, actor=reporter, data={"text": "Brandlarm"})
    assert not AlertDelivery.objects.exists()
    with time_machine.travel(timezone.now() + dt.timedelta(minutes=1), tick=False):
        assert alerts.sweep()["fanned_out"] == 1  # eager here: the task runs at once
        assert alerts.sweep()["fanned_out"] == 0
    assert alerts.fan_out(alert_id=alert.pk) == 0
    assert AlertDelivery.objects.filter(alert=alert).count() == 2


def test_alert_texts_are_cleared_with_the_other_free_text(place_a, reporter, reader):
    from safety.services import retention

    alert = alerts.alert_send(place=place_a, actor=reporter, data={"text": "Brand i container"})
    Alert.objects.filter(pk=alert.pk).update(created_at=timezone.now() - dt.timedelta(days=800))
    alerts.fan_out(alert_id=alert.pk)
    Notification.objects.update(created_at=timezone.now() - dt.timedelta(days=800))
    counts = retention.free_text_clear_expired()
    assert counts["alerts"] == 1 and counts["notifications"] == 1
    assert not Notification.objects.exists()
    alert.refresh_from_db()
    assert alert.text == ""


def test_contact_chain_and_confirm_posts_check_roles(client, place_a, reader, outsider, scenario):
    link = scenario.links.first()
    for user, status in ((outsider, 404), (reader, 403)):
        client.force_login(user)
        assert client.post(_url("contact_link_add", place_a, pk=scenario.pk)).status_code == status
        response = client.post(
            _url("contact_link_delete", place_a, pk=scenario.pk), {"link": link.pk}
        )
        assert response.status_code == status
    assert scenario.links.count() == 3


def test_figures_count_alerts_per_scenario_first_answers_and_coverage(
    place_a, manager, reporter, reader, scenario
):
    from safety.figures import place_figures

    alerts.plan_publish(place=place_a, actor=manager)
    first = alerts.alert_send(
        place=place_a, actor=reporter, data={"text": "Stökigt", "scenario": scenario}
    )
    alerts.alert_send(place=place_a, actor=reporter, data={"text": "Brandlarm"})
    with time_machine.travel(timezone.now() + dt.timedelta(minutes=4), tick=False):
        alerts.alert_answer(alert=first, actor=reader, answer="seen")
    today = timezone.localdate()
    figures = place_figures(
        place=place_a, start=today - dt.timedelta(days=7), end=today + dt.timedelta(days=1)
    )["alerts"]
    assert figures["total"] == 2
    assert sorted((r["scenario"], r["count"]) for r in figures["by_scenario"]) == [
        ("", 1),
        ("Störande grupp vid torget", 1),
    ]
    assert figures["median_first_answer_minutes"] == 4.0
    assert figures["coverage"] == {"version": 1, "organisations": 3, "confirmed": 0}


def test_the_dashboard_shows_alerts_and_plan_coverage(client, place_a, manager, scenario):
    alerts.plan_publish(place=place_a, actor=manager)
    client.force_login(manager)
    page = client.get(reverse("places:overview", kwargs={"place_slug": place_a.slug}))
    assert page.status_code == 200
    text = page.content.decode()
    assert "kpi--alerts" in text and "kpi--plan_confirmed" in text
