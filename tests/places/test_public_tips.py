"""Tips from the public (issue #14): the public form, tracking, moderation, e-mail erasure,
access, abuse protection and no IP address stored."""

import pytest
from django.core import mail
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from places import abuse
from places.models import ActionItem, ActionItemStatusChange, OutboxMessage, PublicTip
from places.services import action_item_set_status
from places.views.tips import TIP_FORM_SALT
from tests.places.conftest import image_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def public_place(place_a):
    place_a.public_page_enabled = True
    place_a.save()
    return place_a


def _tip_data(place, **extra):
    data = {
        "category": "belysning",
        "description": "Lampan vid busshållplatsen är trasig sedan en vecka.",
        "lat": "55.60125",
        "lon": "13.00200",
        "email": "boende@example.net",
        "form_token": abuse.new_form_token(place.pk, salt=TIP_FORM_SALT),
    }
    data.update(extra)
    return data


def _send(client, place, **extra):
    return client.post(
        reverse("places_public:tip_create", args=[place.slug]), _tip_data(place, **extra)
    )


def test_tip_form_is_off_until_the_page_is_on(client, place_a):
    assert client.get(reverse("places_public:tip_create", args=[place_a.slug])).status_code == 404


def test_manager_previews_before_it_is_live(client, place_a, manager, reader, outsider):
    url = reverse("places_public:tip_create", args=[place_a.slug])
    client.force_login(outsider)
    assert client.get(url).status_code == 404
    client.force_login(reader)
    assert client.get(url).status_code == 404
    client.force_login(manager)
    response = client.get(url)
    assert response.status_code == 200
    assert "Förhandsvisning" in response.content.decode()


def test_a_tip_is_received_without_storing_the_address(client, public_place):
    response = _send(client, public_place, REMOTE_ADDR="203.0.113.77")
    tip = PublicTip.objects.get()
    assert response.status_code == 302
    assert response["Location"].startswith(f"/p/{public_place.slug}/tip/{tip.token}/")
    assert tip.email == "boende@example.net"
    assert tip.form_nonce
    for field in tip._meta.fields:
        assert "203.0.113.77" not in str(getattr(tip, field.attname))
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert "Mottaget" in page.content.decode()


def test_replayed_form_and_honeypot_save_nothing_more(client, public_place):
    token = abuse.new_form_token(public_place.pk, salt=TIP_FORM_SALT)
    _send(client, public_place, form_token=token)
    assert _send(client, public_place, form_token=token).status_code == 400
    assert _send(client, public_place, website="http://spam").status_code == 302
    assert _send(client, public_place, form_token="forged").status_code == 400
    assert PublicTip.objects.count() == 1


def test_description_is_screened(client, public_place):
    response = _send(client, public_place, description="Ring 070-123 45 67 om du ser honom")
    assert response.status_code == 400
    assert not PublicTip.objects.exists()


def test_far_away_pin_is_refused(client, public_place):
    assert _send(client, public_place, lat="59.33", lon="18.06").status_code == 400
    assert not PublicTip.objects.exists()


def test_photo_is_reencoded_without_exif(
    client, public_place, manager, django_capture_on_commit_callbacks
):
    photo = SimpleUploadedFile("a.jpg", image_bytes(exif_gps=True), content_type="image/jpeg")
    response = _send(client, public_place, photo=photo)
    assert response.status_code == 302
    tip = PublicTip.objects.get()
    from PIL import Image

    with tip.photo.open("rb") as handle:
        assert not Image.open(handle).getexif()
    # Declined (closed): the tip's photo goes with the address.
    name, storage = tip.photo.name, tip.photo.storage
    client.force_login(manager)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("places:tip_moderate", args=[public_place.slug, tip.pk]),
            {"action": "decline", "reason": "Utanför platsen."},
        )
    tip.refresh_from_db()
    assert not tip.photo and not storage.exists(name)


def test_flood_from_one_address_is_limited(client, public_place, settings):
    settings.TIPS_RATE_LIMIT_PER_HOUR = 2
    for _ in range(2):
        assert _send(client, public_place).status_code == 302
    assert _send(client, public_place).status_code == 429
    # The counter is keyed by an HMAC: neither keys nor values hold the address.
    store = cache._cache
    if isinstance(store, dict):
        entries = list(store.items())
    else:  # Redis (CI): scan the database
        redis = store.get_client()
        entries = [
            (key, redis.get(key) if redis.type(key) == b"string" else redis.dump(key))
            for key in redis.scan_iter("*")
        ]
    assert any("tips:rate:" in str(key) for key, _value in entries)
    assert all("127.0.0.1" not in str(key) + str(value) for key, value in entries)


def test_tip_in_arabic_is_right_to_left(client, public_place):
    response = client.get(
        reverse("places_public:tip_create", args=[public_place.slug]) + "?lang=ar"
    )
    html = response.content.decode()
    assert '<html lang="ar" dir="rtl">' in html
    assert 'hreflang="so"' in html and 'hreflang="en"' in html
    assert response["Content-Language"] == "ar"
    # The member side is untouched: the site's language cookie is not set.
    assert "django_language" not in response.cookies


def test_moderation_queue_access(client, public_place, manager, reader, outsider):
    _send(client, public_place)
    tip = PublicTip.objects.get()
    urls = [
        reverse("places:tip_queue", args=[public_place.slug]),
        reverse("places:tip_moderate", args=[public_place.slug, tip.pk]),
    ]
    for url in urls:
        client.force_login(outsider)
        assert client.get(url).status_code == 404
        client.force_login(reader)
        assert client.get(url).status_code == 403
        client.force_login(manager)
        assert client.get(url).status_code == 200
    settings_url = reverse("places:public_settings", args=[public_place.slug])
    client.force_login(outsider)
    assert client.get(settings_url).status_code == 404
    client.force_login(reader)
    assert client.get(settings_url).status_code == 200
    assert client.post(settings_url, {"public_page_enabled": ""}).status_code == 403
    client.force_login(manager)
    assert client.post(settings_url, {}).status_code == 302
    public_place.refresh_from_db()
    assert not public_place.public_page_enabled


def test_accept_creates_action_item_for_the_organisation(
    client, public_place, manager, municipality, city_user, django_capture_on_commit_callbacks
):
    _send(client, public_place)
    tip = PublicTip.objects.get()
    client.force_login(manager)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("places:tip_moderate", args=[public_place.slug, tip.pk]),
            {
                "action": "accept",
                "category": "belysning",
                "description": tip.description,
                "responsible_organisation": municipality.pk,
            },
        )
    assert response.status_code == 302
    tip.refresh_from_db()
    item = tip.action_item
    assert tip.status == "accepted" and tip.moderated_by == manager and tip.moderated_at
    assert item.responsible_organisation == municipality and item.is_public
    # The responsible organisation is told as for any action item; the tipper gets an update.
    kinds = set(OutboxMessage.objects.values_list("kind", flat=True))
    assert {"action_items_assigned", "public_tip_update"} <= kinds
    assert any(city_user.email in m.to for m in mail.outbox)

    # Resolved by the organisation: the tracking page says "Åtgärdad"; the address is erased.
    with django_capture_on_commit_callbacks(execute=True):
        action_item_set_status(item=item, actor=city_user, status="resolved", note="Ny lampa")
    tip.refresh_from_db()
    assert tip.email == "" and tip.closed_at
    page = client.get(reverse("places_public:tip_status", args=[public_place.slug, tip.token]))
    assert "Åtgärdad" in page.content.decode()
    # …and it is listed under "Ni tipsade – vi åtgärdade".
    client.logout()
    public_page = client.get(reverse("public:page", args=[public_place.slug])).content.decode()
    assert "Ny lampa" in public_page


def test_decline_shows_reason_and_erases_email(client, public_place, manager):
    _send(client, public_place)
    tip = PublicTip.objects.get()
    client.force_login(manager)
    response = client.post(
        reverse("places:tip_moderate", args=[public_place.slug, tip.pk]),
        {"action": "decline", "reason": "Det är fastighetens egen belysning, vi har meddelat dem."},
    )
    assert response.status_code == 302
    tip.refresh_from_db()
    assert tip.status == "declined" and tip.email == "" and tip.moderated_by == manager
    page = client.get(reverse("places_public:tip_status", args=[public_place.slug, tip.token]))
    assert "fastighetens egen belysning" in page.content.decode()
    # A second decision is refused.
    again = client.post(
        reverse("places:tip_moderate", args=[public_place.slug, tip.pk]),
        {"action": "decline", "reason": "Igen"},
    )
    assert again.status_code in (400, 200)
    assert PublicTip.objects.get().decline_reason.startswith("Det är")


def test_merge_into_existing_item(client, public_place, manager, action_item):
    _send(client, public_place)
    tip = PublicTip.objects.get()
    client.force_login(manager)
    response = client.post(
        reverse("places:tip_moderate", args=[public_place.slug, tip.pk]),
        {"action": "merge", "action_item": action_item.pk},
    )
    assert response.status_code == 302
    tip.refresh_from_db()
    assert tip.status == "merged" and tip.action_item == action_item
    assert ActionItem.objects.count() == 1
    assert not ActionItemStatusChange.objects.exists()


def test_public_tip_list_shows_grid_positions_only(client, public_place, manager, action_item):
    _send(client, public_place, lat="55.601234", lon="13.002345")
    tip = PublicTip.objects.get()
    client.force_login(manager)
    client.post(
        reverse("places:tip_moderate", args=[public_place.slug, tip.pk]),
        {"action": "merge", "action_item": action_item.pk},
    )
    client.logout()
    html = client.get(reverse("places_public:tip_list", args=[public_place.slug])).content.decode()
    assert "55.601234" not in html and "13.002345" not in html
    assert "boende@example.net" not in html


def test_public_pages_speak_arabic_and_somali(client, public_place):
    url = reverse("places_public:tip_create", args=[public_place.slug])
    arabic = client.get(url + "?lang=ar").content.decode()
    assert "أرسل البلاغ" in arabic and "Skicka tipset" not in arabic
    # Errors come in the visitor's language too (the form carries it).
    somali = _send(client, public_place, lang="so", description="", lat="")
    html = somali.content.decode()
    assert somali.status_code == 400
    assert '<html lang="so" dir="ltr">' in html
    assert "Buuxi goobtan." in html and "Calaamad dhig khariidadda" in html


def test_member_side_stays_swedish_and_english(client, manager, public_place):
    client.get(reverse("places_public:tip_create", args=[public_place.slug]) + "?lang=ar")
    client.force_login(manager)
    html = client.get(reverse("places:public_settings", args=[public_place.slug])).content.decode()
    assert '<html lang="sv">' in html


def test_tips_count_in_the_figures_core(client, public_place, manager, municipality, city_user):
    import datetime as dt

    from django.utils import timezone

    from safety.figures import place_figures

    _send(client, public_place)
    tip = PublicTip.objects.get()
    client.force_login(manager)
    client.post(
        reverse("places:tip_moderate", args=[public_place.slug, tip.pk]),
        {
            "action": "accept",
            "category": "belysning",
            "description": tip.description,
            "responsible_organisation": municipality.pk,
        },
    )
    tip.refresh_from_db()
    action_item_set_status(item=tip.action_item, actor=city_user, status="resolved")
    today = timezone.localdate()
    figures = place_figures(
        place=public_place, start=today - dt.timedelta(days=7), end=today + dt.timedelta(days=1)
    )
    assert figures["tips"]["received"] == 1
    assert figures["tips"]["accepted"] == 1
    assert figures["tips"]["resolved"] == 1
    assert figures["tips"]["days_to_resolve"] is not None
    html = client.get(reverse("places:overview", args=[public_place.slug])).content.decode()
    assert "Tips från allmänheten" in html


def test_closed_tips_text_is_cleared_after_the_retention(client, public_place, manager, settings):
    import datetime as dt

    from django.utils import timezone

    from safety.services.retention import free_text_clear_expired

    _send(client, public_place)
    tip = PublicTip.objects.get()
    client.force_login(manager)
    client.post(
        reverse("places:tip_moderate", args=[public_place.slug, tip.pk]),
        {"action": "decline", "reason": "Utanför platsen."},
    )
    later = timezone.now() + dt.timedelta(days=settings.FREE_TEXT_RETENTION_DAYS + 1)
    counts = free_text_clear_expired(now=later)
    assert counts["tips"] == 1
    tip.refresh_from_db()
    assert tip.description == "" and tip.decline_reason == "" and tip.status == "declined"


def test_photos_access(client, public_place, manager, reader, outsider):
    photo = SimpleUploadedFile("a.jpg", image_bytes(), content_type="image/jpeg")
    _send(client, public_place, photo=photo)
    tip = PublicTip.objects.get()
    url = reverse("places:tip_photo", args=[public_place.slug, tip.pk])
    client.force_login(outsider)
    assert client.get(url).status_code == 404
    client.force_login(reader)
    assert client.get(url).status_code == 403
    client.force_login(manager)
    assert client.get(url).status_code == 200
    # The public photo of an action item: only resolved, public and with its photo made public.
    from django.core.files.base import ContentFile

    from tests import factories as f

    item = f.ActionItemFactory(place=public_place, is_public=True, status="resolved")
    item.photo.save("x.jpg", ContentFile(image_bytes(size=(20, 20))), save=True)
    public_url = reverse("places_public:photo", args=[public_place.slug, item.pk])
    client.logout()
    assert client.get(public_url).status_code == 404
    ActionItem.objects.filter(pk=item.pk).update(photo_is_public=True)
    assert client.get(public_url).status_code == 200


def test_queue_and_public_list_queries_stay_flat(
    client, public_place, manager, action_item, django_assert_max_num_queries
):
    def add(count):
        for _ in range(count):
            PublicTip.objects.create(
                place=public_place,
                category="klotter",
                description="Klotter på elskåpet.",
                lat=55.60125,
                lon=13.002,
            )
            PublicTip.objects.create(
                place=public_place,
                category="klotter",
                description="Klotter på elskåpet.",
                lat=55.60125,
                lon=13.002,
                status="merged",
                action_item=action_item,
            )

    queue = reverse("places:tip_queue", args=[public_place.slug])
    listing = reverse("places_public:tip_list", args=[public_place.slug])
    for count in (1, 10):
        add(count)
        client.force_login(manager)
        with django_assert_max_num_queries(12):
            assert client.get(queue).status_code == 200
        client.logout()
        with django_assert_max_num_queries(4):
            assert client.get(listing).status_code == 200


def test_tipper_is_mailed_in_their_language(
    client, public_place, manager, django_capture_on_commit_callbacks
):
    _send(client, public_place, lang="ar")
    tip = PublicTip.objects.get()
    assert tip.language == "ar"
    client.force_login(manager)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("places:tip_moderate", args=[public_place.slug, tip.pk]),
            {"action": "decline", "reason": "Utanför platsen."},
        )
    message = next(m for m in mail.outbox if "boende@example.net" in m.to)
    assert "بلاغك عن" in message.subject
    assert "تم رفضه." in message.body and f"/tip/{tip.token}/" in message.body
