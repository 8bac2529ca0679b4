"""Fixtures of the API tests: a token per fixed actor, and a client that sends it."""

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from accounts.models import ApiScope
from accounts.tokens import api_token_create

ALL_SCOPES = list(ApiScope.values)


def make_token(user, scopes=None, days=30):
    token, secret = api_token_create(
        user=user,
        name=f"Test token of {user.email}",
        scopes=ALL_SCOPES if scopes is None else scopes,
        expires_at=timezone.now() + dt.timedelta(days=days),
    )
    return token, secret


class ApiClient(Client):
    """A test client that sends `Authorization: Bearer <secret>` and JSON bodies."""

    def __init__(self, secret=None, **kwargs):
        super().__init__(**kwargs)
        self.secret = secret

    def _auth(self, extra):
        if self.secret:
            extra.setdefault("headers", {})
            extra["headers"].setdefault("Authorization", f"Bearer {self.secret}")
        return extra

    def get(self, path, data=None, **extra):
        return super().get(path, data, **self._auth(extra))

    def post_json(self, path, body, **extra):
        return super().post(path, body, content_type="application/json", **self._auth(extra))


@pytest.fixture
def api_client():
    def build(user, scopes=None):
        _token, secret = make_token(user, scopes)
        return ApiClient(secret)

    return build
