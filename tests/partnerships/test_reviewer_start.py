"""The city's starting point (issue #22): a reviewer logs in and lands on the review queue,
with counts by state, "assigned to me", and the oldest application first."""

import datetime as dt
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone

from tests import factories as f

pytestmark = pytest.mark.django_db

QUEUE = reverse("partnerships:application_queue")


def _login(client, user):
    return client.post(
        reverse("account_login"), {"login": user.email, "password": "pw-for-tests-1"}
    )


def test_a_reviewer_lands_on_the_review_queue(client, reviewer):
    response = _login(client, reviewer)
    assert response.status_code == 302 and response["Location"] == QUEUE


def test_others_land_on_their_places_and_next_still_wins(client, manager, reviewer, staff):
    assert _login(client, manager)["Location"] == reverse("places:home")
    client.logout()
    assert _login(client, staff)["Location"] == reverse("places:home")
    client.logout()
    response = client.post(
        reverse("account_login"),
        {"login": reviewer.email, "password": "pw-for-tests-1", "next": "/places/"},
    )
    assert response["Location"] == "/places/"


def _submitted(days_ago, **kwargs):
    return f.PartnershipApplicationFactory(
        status="submitted", submitted_at=timezone.now() - dt.timedelta(days=days_ago), **kwargs
    )


def test_the_queue_counts_by_state_shows_mine_and_the_oldest_first(client, reviewer):
    newer = _submitted(2, title="Nyare ansökan")
    older = _submitted(20, title="Äldre ansökan")
    _submitted(5, title="Min ansökan", assigned_reviewer=reviewer)
    f.PartnershipApplicationFactory(status="approved", submitted_at=timezone.now())
    client.force_login(reviewer)
    response = client.get(QUEUE)
    html = response.content.decode()
    chips = {c["query"]: c["count"] for c in response.context["chips"]}
    assert chips["status=open"] == 3
    assert chips["status=open&reviewer=me"] == 1
    assert chips["status=approved"] == 1
    assert html.index(older.title) < html.index(newer.title)  # oldest first
    mine = client.get(QUEUE, {"status": "open", "reviewer": "me"}).content.decode()
    assert "Min ansökan" in mine and older.title not in mine


def test_queue_access(client, reader, outsider, reviewer):
    client.force_login(outsider)
    assert client.get(QUEUE).status_code == 403
    client.force_login(reviewer)
    assert client.get(QUEUE).status_code == 200


def test_the_count_chips_are_a_list_without_bullets():
    css = Path("static/css/app.css").read_text()
    rule = css[css.index(".kpis {") :].split("}")[0]
    assert "list-style: none" in rule
