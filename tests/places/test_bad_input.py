"""Whatever is typed into the workspace forms, the answer is a page with field errors or a
saved record, never a server error."""

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from places.models import Activity

pytestmark = pytest.mark.django_db

junk = st.one_of(
    st.text(max_size=30),
    st.sampled_from(["", "-1", "0", "1e309", "NaN", "inf", "99999999999999999999", "2026-13-45"]),
)


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    kind=junk,
    started_at=junk,
    duration=junk,
    participants=junk,
    lat=junk,
    lon=junk,
    description=st.text(max_size=200),
)
def test_the_activity_form_never_fails(
    client, place_a, manager, kind, started_at, duration, participants, lat, lon, description
):
    client.force_login(manager)
    before = Activity.objects.count()
    response = client.post(
        reverse("places:activity_create", args=[place_a.slug]),
        {
            "kind": kind,
            "started_at": started_at,
            "duration_minutes": duration,
            "participants_count": participants,
            "lat": lat,
            "lon": lon,
            "description": description,
        },
    )
    assert response.status_code in (200, 302)
    assert Activity.objects.count() == before + (response.status_code == 302)


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    params=st.dictionaries(
        st.sampled_from(["q", "kind", "date_from", "date_to", "organisation", "page", "status",
                         "category", "overdue", "responsible_organisation", "period", "on"]),
        junk,
        max_size=4,
    )
)  # fmt: skip
def test_lists_with_any_query_string_answer(client, place_a, reader, params):
    client.force_login(reader)
    clean = dict(params)
    for name in ("activity_list", "action_item_list", "action_item_map_data", "plan"):
        response = client.get(reverse(f"places:{name}", args=[place_a.slug]), clean)
        assert response.status_code == 200, name
