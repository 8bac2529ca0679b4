"""/healthz: what a load balancer and docker compose see."""

import pytest
from django.db import OperationalError


class _BrokenConnection:
    """Stands in for django.db.connection when the database is gone."""

    def cursor(self):
        raise OperationalError("could not connect to server: Connection refused")


@pytest.mark.django_db
def test_healthz_is_200_when_the_database_answers(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["database"] == "ok"
    assert body["broker"] in {"eager", "ok", "unavailable"}
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
def test_healthz_is_503_when_the_database_does_not_answer(client, monkeypatch):
    monkeypatch.setattr("amp_platform.health.connection", _BrokenConnection())
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "unavailable"


@pytest.mark.django_db
def test_healthz_only_answers_get(client):
    assert client.post("/healthz").status_code == 405
