"""Social outcomes beside the money (issue #18): per member organisation and year, targets and
results, on the funding page, the follow-up and as CSV."""

from decimal import Decimal

import pytest
from django.urls import reverse

from partnerships.models import SocialOutcome
from safety.models import IncidentCategory, Intervention
from tests import clock
from tests import factories as f
from tests.partnerships.applications_support import *  # noqa: F403


@pytest.fixture
def outcome(place_a, property_owner):
    f.MembershipFactory(organisation=property_owner, place=place_a)
    return SocialOutcome.objects.create(
        organisation=property_owner,
        place=place_a,
        year=clock.this_year(),
        local_jobs_target=3,
        local_jobs=2,
        summer_jobs_target=6,
        summer_jobs=7,
        local_purchases_target_sek=Decimal("250000"),
        local_purchases_sek=Decimal("180000"),
    )


def _urls(place, outcome):
    kw = {"place_slug": place.slug}
    return {
        "funding": reverse("members:funding", kwargs=kw),
        "export": reverse("members:social_outcome_export", kwargs=kw),
        "create": reverse("members:social_outcome_create", kwargs=kw),
        "edit": reverse("members:social_outcome_edit", kwargs={**kw, "pk": outcome.pk}),
    }


def test_access_per_view(client, place_a, outcome, manager, reader, outsider):
    urls = _urls(place_a, outcome)
    client.force_login(outsider)
    for url in urls.values():
        assert client.get(url).status_code == 404
    client.force_login(reader)
    assert client.get(urls["funding"]).status_code == 200
    assert client.get(urls["export"]).status_code == 200
    assert client.get(urls["create"]).status_code == 403
    assert client.get(urls["edit"]).status_code == 403
    assert client.post(urls["edit"], {"year": clock.this_year()}).status_code == 403
    client.force_login(manager)
    for url in urls.values():
        assert client.get(url).status_code == 200


def test_another_places_outcome_is_404(client, place_a, place_b, manager, property_owner):
    other = SocialOutcome.objects.create(
        organisation=property_owner, place=place_b, year=clock.this_year(), local_jobs=1
    )
    client.force_login(manager)
    url = reverse(
        "members:social_outcome_edit", kwargs={"place_slug": place_a.slug, "pk": other.pk}
    )
    assert client.get(url).status_code == 404


def test_the_funding_page_shows_results_against_targets(client, place_a, outcome, reader):
    client.force_login(reader)
    page = client.get(_urls(place_a, outcome)["funding"]).content.decode()
    assert "Fastighets AB Torget" in page
    assert "180" in page and "250" in page


def test_a_manager_records_outcomes_once_per_organisation_and_year(
    client, place_a, manager, property_owner
):
    f.MembershipFactory(organisation=property_owner, place=place_a)
    client.force_login(manager)
    url = reverse("members:social_outcome_create", kwargs={"place_slug": place_a.slug})
    data = {
        "organisation": property_owner.pk,
        "year": clock.this_year(),
        "local_jobs_target": 2,
        "local_jobs": 1,
        "local_purchases_sek": "120 000",
    }
    assert client.post(url, data).status_code == 302
    outcome = SocialOutcome.objects.get()
    assert outcome.local_purchases_sek == Decimal("120000")
    assert outcome.updated_by == manager
    again = client.post(url, data)
    assert again.status_code == 400
    assert "organisation" in again.context["form"].errors
    assert SocialOutcome.objects.count() == 1


def test_negative_and_foreign_values_are_refused(client, place_a, place_b, manager):
    stranger = f.OrganisationFactory(name="Främmande AB")
    f.MembershipFactory(organisation=stranger, place=place_b)
    client.force_login(manager)
    url = reverse("members:social_outcome_create", kwargs={"place_slug": place_a.slug})
    response = client.post(
        url,
        {"organisation": stranger.pk, "year": clock.this_year(), "local_jobs": -1},
    )
    assert response.status_code == 400
    assert {"organisation", "local_jobs"} <= set(response.context["form"].errors)


def test_the_csv_follows_the_export_rules(client, place_a, manager, outcome):
    outcome.organisation.name = "=HYPERLINK(1)"
    outcome.organisation.save()
    client.force_login(manager)
    response = client.get(_urls(place_a, outcome)["export"], {"year": clock.this_year()})
    body = b"".join(response.streaming_content).decode()
    assert body.startswith("\ufeff")
    lines = body.splitlines()
    assert ";" in lines[0]
    assert lines[1].startswith("'=HYPERLINK(1)")
    assert "180000.00" in lines[1]
    assert lines[-1].split(";")[3:5] == ["3", "2"]


def test_the_followup_shows_outcomes_and_effects(
    client, approved, reviewer, assert_max_queries, count_queries
):
    place = approved.place
    lead = approved.lead_organisation
    SocialOutcome.objects.create(
        organisation=lead, place=place, year=clock.this_year(), local_jobs_target=4, local_jobs=3
    )
    intervention = Intervention.objects.create(
        place=place,
        title="Belysning vid porten",
        starts_on=clock.today(),
        lat=place.centre_lat or 55.6,
        lon=place.centre_lon or 13.0,
        radius_m=30,
    )
    intervention.categories.add(IncidentCategory.objects.get(code="klotter"))
    client.force_login(reviewer)
    url = reverse("partnerships:application_followup", args=[approved.pk])
    with count_queries() as small:
        page = client.get(url).content.decode()
    assert lead.name in page
    assert "Belysning vid porten" in page
    for n in range(4):
        SocialOutcome.objects.create(
            organisation=f.OrganisationFactory(name=f"Medlem {n}"),
            place=place,
            year=clock.this_year(),
            local_jobs=n,
        )
        Intervention.objects.create(
            place=place, title=f"Insats {n}", starts_on=clock.today(), lat=55.6, lon=13.0
        )
    with count_queries() as large:
        client.get(url)
    assert len(small) == len(large)
