"""The dashboard's figures are cached, and a change to the place shows up at once."""

import datetime as dt
from decimal import Decimal
from unittest import mock

import pytest
from django.urls import reverse

from partnerships.services.funding import budget_set, payment_record
from places.models import ActionItem, ActivityKind, Place
from safety.cache import cached_place_figures, place_version
from safety.models import Incident
from safety.services.imports import incident_import_confirm, incident_import_upload
from surveys.services import response_submit
from tests import factories as f

from .conftest import local
from .test_dashboard_support import frozen  # noqa: F401

# Pinned at test_dashboard_support.NOW (a known November, see there): every date here is
# relative to that moment, never to the session's frozen clock.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]
URL_QUERY = "?period=30d"


@pytest.fixture
def dashboard(client, place_a, manager):
    client.force_login(manager)
    url = reverse("places:overview", kwargs={"place_slug": place_a.slug}) + URL_QUERY

    def figures():
        response = client.get(url)
        assert response.status_code == 200
        return response.context["figures"]

    return figures


def test_figures_are_served_from_the_cache_until_something_changes(
    dashboard, place_a, count_queries
):
    dashboard()
    with count_queries() as warm:
        dashboard()
    f.IncidentFactory(place=place_a, occurred_at=local(2026, 11, 21, 12))
    with count_queries() as after_change:
        figures = dashboard()
    assert len(after_change) > len(warm)  # recomputed…
    assert figures["incidents"]["total"] == 1  # …with the new incident


def test_a_new_incident_shows_up_at_once(dashboard, place_a):
    assert dashboard()["incidents"]["total"] == 0
    f.IncidentFactory(place=place_a, occurred_at=local(2026, 11, 21, 12))
    assert dashboard()["incidents"]["total"] == 1


def test_edited_and_deleted_incidents_show_up_at_once(dashboard, place_a):
    incident = f.IncidentFactory(place=place_a, occurred_at=local(2026, 11, 21, 12))
    f.IncidentFactory(place=place_a, occurred_at=local(2026, 11, 20, 12))
    assert dashboard()["incidents"]["total"] == 2
    incident.occurred_at = local(2025, 1, 1, 12)  # moved out of the period
    incident.save()
    assert dashboard()["incidents"]["total"] == 1
    Incident.objects.filter(place=place_a).delete()
    assert dashboard()["incidents"]["total"] == 0


def test_an_import_shows_up_at_once(dashboard, place_a, manager):
    assert dashboard()["incidents"]["total"] == 0
    upload = incident_import_upload(
        place=place_a,
        actor=manager,
        organisation=manager.organisation,
        filename="rapport.csv",
        data="Datum;Tid;Kategori\n2026-11-20;22:15;Klotter\n2026-11-21;01:30;Skadegörelse\n".encode(),
    )
    validation = incident_import_confirm(upload_id=upload.pk, actor=manager)
    assert validation.ok, validation
    assert dashboard()["incidents"]["total"] == 2


def test_activities_and_action_items_show_up_at_once(dashboard, place_a):
    assert dashboard()["activities"]["count"] == 0
    walk = ActivityKind.objects.get(code="trygghetsvandring")
    f.ActivityFactory(place=place_a, kind=walk, started_at=local(2026, 11, 20, 18))
    assert dashboard()["activities"]["count"] == 1

    item = f.ActionItemFactory(place=place_a, created_at=local(2026, 11, 21, 10))
    assert dashboard()["action_items"]["open"] == 1
    item.status = ActionItem.Status.RESOLVED
    item.resolved_at = local(2026, 11, 22, 8)
    item.save()
    assert dashboard()["action_items"]["open"] == 0


@pytest.mark.usefixtures("few_answers_suffice")
def test_a_survey_response_shows_up_at_once(dashboard, place_a):
    question = f.QuestionFactory(survey=f.SurveyFactory(place=place_a))
    assert dashboard()["safety_index"]["index"] is None
    response_submit(survey=question.survey, values={question.pk: 5})
    assert dashboard()["safety_index"]["index"] == 100.0


def test_commitments_payments_and_budgets_show_up_at_once(dashboard, place_a, manager):
    commitment = f.FundingCommitmentFactory(
        place=place_a, year=2026, amount_sek=Decimal("300000"), organisation=manager.organisation
    )
    assert dashboard()["funding"]["committed_sek"] == 300000
    payment_record(
        commitment=commitment,
        amount_sek=Decimal("100000"),
        paid_on=dt.date(2026, 11, 1),
        actor=manager,
    )
    assert dashboard()["funding"]["paid_sek"] == 100000
    budget_set(
        place=place_a,
        year=2026,
        target_sek=Decimal("600000"),
        municipal_share_sek=Decimal("0"),
    )
    assert dashboard()["funding"]["coverage_pct"] == 50.0


def test_a_change_at_another_place_keeps_this_places_cache(
    dashboard, place_a, place_b, count_queries
):
    dashboard()
    with count_queries() as warm:
        dashboard()
    f.IncidentFactory(place=place_b, occurred_at=local(2026, 11, 21, 12))
    with count_queries() as after:
        dashboard()
    assert len(after) == len(warm)


def test_bulk_delete_replaces_the_version_once_and_a_deleted_place_goes_cleanly(
    place_a, django_capture_on_commit_callbacks
):
    f.IncidentFactory.create_batch(5, place=place_a)
    before = place_version(place_a.pk)
    with django_capture_on_commit_callbacks() as callbacks:
        Incident.objects.filter(place=place_a).delete()
    assert place_version(place_a.pk) != before
    assert len(callbacks) == 1  # one invalidation for the five rows, not five
    with django_capture_on_commit_callbacks() as callbacks:
        Place.objects.filter(pk=place_a.pk).delete()
    assert len(callbacks) == 1


def test_cached_figures_are_the_figures_core(place_a):
    from safety.figures import place_figures

    f.IncidentFactory(place=place_a, occurred_at=local(2026, 11, 21, 12))
    start, end = dt.date(2026, 11, 1), dt.date(2026, 11, 23)
    cached = cached_place_figures(place=place_a, start=start, end=end)
    direct = place_figures(place=place_a, start=start, end=end)
    cached.pop("computed_at")
    direct.pop("computed_at")
    assert cached == direct


def test_charts_are_drawn_again_only_when_what_they_draw_changed(
    client, place_a, manager, vandalism
):
    """The charts are keyed by their data, not the place's version (issue #20): a write the
    charts do not show rebuilds the page around the same drawing; one they show redraws it."""
    from safety import dashboard as dashboard_module

    client.force_login(manager)
    url = reverse("places:overview", kwargs={"place_slug": place_a.slug}) + URL_QUERY
    drawn = []
    draw = dashboard_module._render_charts

    def drawing(**kwargs):
        drawn.append(draw(**kwargs))
        return drawn[-1]

    with mock.patch.object(dashboard_module, "_render_charts", side_effect=drawing):
        client.get(url)
        assert len(drawn) == 1
        # Long before the period, the last year's comparison and the 12 months of weeks.
        before = place_version(place_a.pk)
        f.IncidentFactory(place=place_a, category=vandalism, occurred_at=local(2021, 3, 2, 12))
        assert place_version(place_a.pk) != before  # the page is rebuilt…
        client.get(url)
        assert len(drawn) == 1  # …around the same drawing
        f.IncidentFactory(place=place_a, category=vandalism, occurred_at=local(2026, 11, 21, 12))
        page = client.get(url).content.decode()
    assert len(drawn) == 2
    assert drawn[1]["categories"] != drawn[0]["categories"]
    assert drawn[1]["categories"] in page
    assert vandalism.name_sv in drawn[1]["categories"]
