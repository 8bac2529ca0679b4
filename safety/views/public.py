"""A place's public page (issue #14): /p/<slug>/, no login, in the public languages.

It lives in safety, the app that already brings the other apps' figures together for the
dashboard and the lägesbild: members (partnerships), public events, resolved action items and
tips (places), the open survey (surveys) and the public figures (here). places keeps what is
its own — the switch, tips, the public base template and the language helper — and imports
none of this.
"""

import datetime as dt

from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone, translation
from django.views.decorators.http import require_GET

from partnerships.models import Membership
from places.public import public_events, public_place, resolved_public_items
from places.public_i18n import public_language, render_public
from surveys.models import Survey

from ..periods import local_tz
from ..public import public_incident_table, public_safety_index

CALENDAR_DAYS = 180


def _members(place):
    today = timezone.localdate()
    return list(
        Membership.objects.filter(place=place, since__lte=today)
        .exclude(until__lt=today)
        .select_related("organisation")
        .order_by("organisation__name")
        .values_list("organisation__name", "organisation__kind")
        .distinct()
    )


def _open_survey(place):
    now = timezone.now()
    for survey in Survey.objects.filter(
        place=place, is_template=False, status=Survey.Status.OPEN
    ).order_by("-opens_at", "-pk")[:5]:
        if survey.is_accepting_responses(now):
            return survey
    return None


@require_GET
def place_page(request, place_slug):
    place, preview = public_place(request, place_slug)
    language = public_language(request)
    from accounts.models import Organisation

    kinds = dict(Organisation.Kind.choices)
    members = [{"name": name, "kind": kinds.get(kind, kind)} for name, kind in _members(place)]
    with translation.override(language):  # the figures carry category names as text
        incidents = public_incident_table(place)
    return render_public(
        request,
        "safety/public/place_page.html",
        {
            "place": place,
            "preview": preview,
            "members": members,
            "events": public_events(place, timezone.localdate()),
            "resolved": resolved_public_items(place),
            "survey": _open_survey(place),
            "incidents": incidents,
            "safety_index": public_safety_index(place),
        },
        language,
    )


@require_GET
def place_calendar(request, place_slug):
    """The public events as an iCalendar feed (RFC 5545) to subscribe to."""
    from icalendar import Calendar, Event

    place, _preview = public_place(request, place_slug)
    today = timezone.localdate()
    calendar = Calendar()
    calendar.add("prodid", "-//AMP Platform//public events//SV")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", place.name)
    calendar.add("x-wr-timezone", "Europe/Stockholm")
    page = request.build_absolute_uri(reverse("public:page", kwargs={"place_slug": place.slug}))
    host = request.get_host().split(":")[0] or "amp"
    stamp = timezone.now()
    for event in public_events(place, today, CALENDAR_DAYS):
        plan = event["plan"]
        item = Event()
        item.add("uid", f"plan-{plan.pk}-{event['date']:%Y%m%d}@{host}")
        item.add("dtstamp", stamp)
        item.add("summary", plan.title)
        if event["time"] is not None:
            start = dt.datetime.combine(event["date"], event["time"], tzinfo=local_tz())
            item.add("dtstart", start)
            item.add("dtend", start + dt.timedelta(hours=2))
        else:
            item.add("dtstart", event["date"])
            item.add("dtend", event["date"] + dt.timedelta(days=1))
        item.add("location", place.name)
        item.add("url", page)
        calendar.add_component(item)
    # RFC 5545: every TZID used needs its VTIMEZONE in the file.
    calendar.add_missing_timezones()
    response = HttpResponse(calendar.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{place.slug}.ics"'
    return response
