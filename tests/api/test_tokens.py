"""Personal API tokens in Settings: made with a name, scopes and expiry, shown once, stored as
a digest, revocable, their last use shown; a request with one acts as its owner."""

import datetime as dt
import hashlib

from django.urls import reverse
from django.utils import timezone

from accounts.models import ApiToken
from accounts.tokens import api_token_revoke
from tests.api.conftest import ApiClient, make_token
from tests.clock import frozen_now


def test_a_manager_makes_a_token_and_sees_it_once(client, manager):
    client.force_login(manager)
    url = reverse("accounts:api_tokens")
    response = client.post(
        url,
        {
            "name": "Vaktbolagets system",
            "scopes": ["incidents:write", "figures:read"],
            "expires_in_days": "90",
        },
    )
    assert response.status_code == 200
    token = ApiToken.objects.get(user=manager)
    page = response.content.decode()
    secret = page.split('id="new-token" type="text" readonly value="')[1].split('"')[0]
    assert secret.startswith("amp_") and len(secret) > 40
    # Stored as a digest only; the secret is nowhere in the database.
    assert token.digest == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in str(ApiToken.objects.values().get())
    assert token.scopes == ["figures:read", "incidents:write"]
    assert token.expires_at == frozen_now() + dt.timedelta(days=90)
    assert response["Cache-Control"] == "private, no-store"
    # Shown once: the next visit lists the token without its secret.
    again = client.get(url).content.decode()
    assert "Vaktbolagets system" in again and secret not in again and token.prefix in again


def test_a_token_form_with_errors_is_a_400_naming_the_field(client, manager):
    client.force_login(manager)
    response = client.post(reverse("accounts:api_tokens"), {"name": "", "expires_in_days": "9999"})
    assert response.status_code == 400
    assert not ApiToken.objects.exists()


def test_a_token_acts_as_its_owner_and_records_its_last_use(manager, place_a):
    token, secret = make_token(manager)
    response = ApiClient(secret).get(reverse("api:places"))
    assert response.status_code == 200
    assert [row["slug"] for row in response.json()["results"]] == [place_a.slug]
    token.refresh_from_db()
    assert token.last_used_at == frozen_now()


def test_revoked_expired_and_unknown_tokens_are_refused(manager):
    token, secret = make_token(manager, days=1)
    url = reverse("api:places")
    assert ApiClient(secret).get(url).status_code == 200
    assert ApiClient("amp_not-a-token").get(url).status_code == 401
    assert ApiClient(None).get(url).status_code == 401
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now())
    assert ApiClient(secret).get(url).status_code == 401
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() + dt.timedelta(days=1))
    assert ApiClient(secret).get(url).status_code == 200
    api_token_revoke(token=token)
    response = ApiClient(secret).get(url)
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "authentication_failed"


def test_a_person_revokes_their_own_token_only(client, manager, reader):
    mine, _secret = make_token(manager)
    theirs, _other = make_token(reader)
    client.force_login(manager)
    assert client.post(reverse("accounts:api_token_revoke", args=[theirs.pk])).status_code == 404
    assert client.get(reverse("accounts:api_token_revoke", args=[mine.pk])).status_code == 405
    response = client.post(reverse("accounts:api_token_revoke", args=[mine.pk]))
    assert response.status_code == 302
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert mine.revoked_at == timezone.now() and theirs.revoked_at is None


def test_the_tokens_page_needs_a_login(client):
    response = client.get(reverse("accounts:api_tokens"))
    assert response.status_code == 302


def test_a_scope_the_token_lacks_is_a_403(manager, place_a):
    _token, secret = make_token(manager, scopes=["places:read"])
    response = ApiClient(secret).get(reverse("api:incidents", args=[place_a.slug]))
    assert response.status_code == 403
    assert "incidents:read" in response.json()["error"]["detail"]


def test_requests_over_the_rate_limit_get_429_with_retry_after(manager, settings):
    settings.API_RATE_LIMIT_PER_MINUTE = 3
    _token, secret = make_token(manager)
    api = ApiClient(secret)
    url = reverse("api:places")
    assert [api.get(url).status_code for _i in range(3)] == [200, 200, 200]
    response = api.get(url)
    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 60
    # Per token: another token of the same person has its own budget.
    _other, second = make_token(manager)
    assert ApiClient(second).get(url).status_code == 200


def test_stored_idempotency_answers_are_deleted_after_a_day(manager, place_a):
    from accounts.models import ApiIdempotencyKey
    from accounts.tasks import sweep_idempotency_keys

    token, _secret = make_token(manager)
    old = ApiIdempotencyKey.objects.create(token=token, key="a", fingerprint="x", status_code=201)
    ApiIdempotencyKey.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - dt.timedelta(hours=25)
    )
    ApiIdempotencyKey.objects.create(token=token, key="b", fingerprint="x", status_code=201)
    assert sweep_idempotency_keys() == 1
    assert list(ApiIdempotencyKey.objects.values_list("key", flat=True)) == ["b"]
    assert sweep_idempotency_keys() == 0


def test_errors_come_in_the_owner_s_language(manager, place_a):
    manager.preferred_language = "en"
    manager.save()
    _token, secret = make_token(manager, scopes=["places:read"])
    response = ApiClient(secret).get(reverse("api:incidents", args=[place_a.slug]))
    assert response.json()["error"]["detail"] == "This token lacks the scope “incidents:read”."
    manager.preferred_language = "sv"
    manager.save()
    response = ApiClient(secret).get(reverse("api:incidents", args=[place_a.slug]))
    detail = response.json()["error"]["detail"]
    assert detail == "Den här nyckeln saknar behörigheten ”incidents:read”."
