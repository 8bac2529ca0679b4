"""A place's public page (issue #14): off until switched on, a manager preview, members,
public events with an iCal feed, resolved action items, the open survey, and figures where
small counts are suppressed and restricted incidents count only in totals."""

import datetime as dt

import pytest
from django.urls import reverse
from icalendar import Calendar

from partnerships.models import Membership
from places.models import ActionItem, PlannedActivity
from safety.models import Incident
from tests import factories as f
from tests.clock import local, month_start, today

pytestmark = pytest.mark.django_db


@pytest.fixture
def public_place(place_a, property_owner):
    place_a.public_page_enabled = True
    place_a.save()
    since = dt.date(today().year - 2, 1, 1)
    Membership.objects.create(organisation=property_owner, place=place_a, since=since)
    return place_a


def _page(client, place, lang=None):
    url = reverse("public:page", args=[place.slug])
    return client.get(url + (f"?lang={lang}" if lang else ""))


def test_off_until_switched_on_and_preview_for_managers(client, place_a, manager, reader, outsider):
    assert _page(client, place_a).status_code == 404
    client.force_login(outsider)
    assert _page(client, place_a).status_code == 404
    client.force_login(reader)
    assert _page(client, place_a).status_code == 404
    client.force_login(manager)
    response = _page(client, place_a)
    assert response.status_code == 200
    assert "Förhandsvisning" in response.content.decode()
    calendar_url = reverse("public:calendar", args=[place_a.slug])
    client.logout()
    assert client.get(calendar_url).status_code == 404


def test_page_shows_members_but_no_people_or_addresses(
    client, public_place, manager, property_owner
):
    html = _page(client, public_place).content.decode()
    assert property_owner.name in html
    assert manager.email not in html
    assert "@" not in html.replace("@context", "")


def test_small_counts_are_suppressed_and_restricted_only_in_totals(
    client, public_place, vandalism, graffiti
):
    day = local(month_start(months=-1) + dt.timedelta(days=3), 14)
    for _ in range(6):
        f.IncidentFactory(place=public_place, category=vandalism, occurred_at=day)
    for _ in range(2):
        f.IncidentFactory(place=public_place, category=graffiti, occurred_at=day)
    f.IncidentFactory(
        place=public_place,
        category=graffiti,
        occurred_at=day,
        visibility=Incident.Visibility.RESTRICTED,
        description="Detalj som bara polisen ser",
    )
    from safety.public import public_incident_table

    table = public_incident_table(public_place, today())
    row = next(r for r in table["rows"] if r["month"] == month_start(months=-1))
    assert table["categories"] == ["Skadegörelse", "Klotter"]
    assert row["cells"] == [6, None]  # 2 graffiti (restricted left out) → "fewer than 5"
    assert row["total"] == 9
    html = _page(client, public_place).content.decode()
    assert "färre än 5" in html
    assert "Detalj som bara polisen ser" not in html


def test_a_months_figures_are_its_local_days(client, public_place, vandalism):
    """The table sums the daily rollup by local month: an incident late on a month's last
    evening (the next month already in UTC) counts in its own month, one just after local
    midnight in the next."""
    first = month_start(months=-1)
    last_evening = local(first - dt.timedelta(days=1), 23, 30)
    for _ in range(5):
        f.IncidentFactory(place=public_place, category=vandalism, occurred_at=last_evening)
    for _ in range(6):
        f.IncidentFactory(place=public_place, category=vandalism, occurred_at=local(first, 0, 15))
    from safety.public import public_incident_table

    rows = {row["month"]: row for row in public_incident_table(public_place, today())["rows"]}
    assert rows[month_start(months=-2)]["total"] == 5
    assert rows[first]["total"] == 6


def test_figures_take_a_fixed_number_of_queries(
    client, public_place, vandalism, django_assert_max_num_queries
):
    day = local(month_start(months=-2) + dt.timedelta(days=1), 10)
    for count in (1, 10):
        for _ in range(count):
            f.IncidentFactory(place=public_place, category=vandalism, occurred_at=day)
            f.ActionItemFactory(
                place=public_place, is_public=True, status="resolved", resolved_at=day
            )
        with django_assert_max_num_queries(12):
            assert _page(client, public_place).status_code == 200


def test_resolved_public_items_listed(client, public_place):
    day = local(month_start(months=-1) + dt.timedelta(days=2), 10)
    f.ActionItemFactory(
        place=public_place,
        is_public=True,
        status=ActionItem.Status.RESOLVED,
        resolved_at=day,
        description="Trasig belysning i gången",
    )
    f.ActionItemFactory(
        place=public_place, status=ActionItem.Status.RESOLVED, description="Intern åtgärd"
    )
    html = _page(client, public_place).content.decode()
    assert "Ni tipsade – vi åtgärdade" in html
    assert "Trasig belysning i gången" in html
    assert "Intern åtgärd" not in html


def test_open_survey_is_linked(client, public_place):
    survey = f.SurveyFactory(place=public_place, status="open")
    assert survey.public_token in _page(client, public_place).content.decode()


def test_ical_feed_parses_with_public_events_only(client, public_place, walk_kind):
    start = today()
    PlannedActivity.objects.create(
        place=public_place,
        kind=walk_kind,
        title="Trygghetsvandring för boende",
        recurrence=PlannedActivity.Recurrence.WEEKLY,
        weekday=start.weekday(),
        starts_on=start,
        is_public=True,
        public_time=dt.time(18, 0),
    )
    PlannedActivity.objects.create(
        place=public_place,
        kind=walk_kind,
        title="Internt möte",
        recurrence=PlannedActivity.Recurrence.MONTHLY,
        starts_on=start,
    )
    response = client.get(reverse("public:calendar", args=[public_place.slug]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    events = list(calendar.walk("VEVENT"))
    assert events and all(str(e["SUMMARY"]) == "Trygghetsvandring för boende" for e in events)
    first = events[0].decoded("DTSTART")
    assert first.date() == start and first.hour == 18
    assert len({str(e["UID"]) for e in events}) == len(events)
    assert [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")] == ["Europe/Stockholm"]
    html = _page(client, public_place).content.decode()
    assert "Trygghetsvandring för boende" in html and "Internt möte" not in html


@pytest.mark.parametrize(
    "lang,direction", [("sv", "ltr"), ("en", "ltr"), ("ar", "rtl"), ("so", "ltr")]
)
def test_four_languages(client, public_place, lang, direction):
    response = _page(client, public_place, lang)
    html = response.content.decode()
    assert f'<html lang="{lang}" dir="{direction}">' in html
    for other in ("sv", "en", "ar", "so"):
        if other != lang:
            assert f'hreflang="{other}"' in html


def test_category_names_in_the_page_language(client, public_place, vandalism):
    day = local(month_start(months=-1) + dt.timedelta(days=3), 14)
    for _ in range(5):
        f.IncidentFactory(place=public_place, category=vandalism, occurred_at=day)
    assert "تخريب" in _page(client, public_place, "ar").content.decode()
    assert "Vandalism" in _page(client, public_place, "en").content.decode()


def test_member_kinds_in_arabic(client, public_place):
    assert "مالك عقار" in _page(client, public_place, "ar").content.decode()
