import functools

from django import template
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.translation import gettext_lazy as _

from places.models import PlaceRole

register = template.Library()

# Place navigation: (tab key, label, url name). Every tab's URL is place-scoped and takes the
# place as `place_slug`, whichever app owns the page.
PLACE_TABS = [
    ("overview", _("Overview"), "places:overview"),
    ("activities", _("Activities"), "places:activity_list"),
    ("action_items", _("Action items"), "places:action_item_list"),
    ("plan", _("Activity plan"), "places:plan"),
    ("incidents", _("Incidents"), "safety:incident_list"),
    ("reports", _("Reports"), "safety:report_list"),
    ("interventions", _("Interventions"), "safety:intervention_list"),
    ("visitors", _("Visitors"), "places:visitor_list"),
    ("situation_plan", _("Coordinated plan"), "safety:plan"),
    ("alerts", _("Alerts"), "safety:alert_list"),
    ("surveys", _("Surveys"), "surveys:survey_list"),
    ("members", _("Members"), "members:member_list"),
    ("funding", _("Funding"), "members:funding"),
    ("public", _("Public page"), "places:public_settings"),
]


# On a phone the bar shows these (and the page's own tab) and puts the rest under "Mer" (More),
# so no tab hides behind a sideways scroll (issue #16).
PHONE_TABS = {"overview", "incidents", "activities", "action_items"}


@functools.lru_cache(maxsize=2048)
def _tab_urls(place_slug: str, prefix: str, urlconf) -> tuple:
    """The tabs' (key, url) of a place: fourteen reversals, on every place page – remembered
    per place, script prefix and URLconf (the URLs depend on nothing else)."""
    return tuple(
        (key, reverse(url_name, kwargs={"place_slug": place_slug}))
        for key, _label, url_name in PLACE_TABS
    )


@register.inclusion_tag("places/partials/_place_nav.html")
def place_nav(place, active_tab=None):
    labels = {key: label for key, label, _name in PLACE_TABS}
    tabs = []
    for key, url in _tab_urls(place.slug, get_script_prefix(), get_urlconf()):
        active = key == active_tab
        tabs.append(
            {
                "key": key,
                "label": labels[key],
                "url": url,
                "active": active,
                "main": key in PHONE_TABS or active,
            }
        )
    return {"tabs": tabs, "more": [tab for tab in tabs if not tab["main"]]}


@register.simple_tag
def role_label(role):
    return dict(PlaceRole.Role.choices).get(role, role)
