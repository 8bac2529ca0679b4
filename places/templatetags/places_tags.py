import functools

from django import template
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse
from django.utils.translation import gettext_lazy as _

from places.models import PlaceRole

register = template.Library()

# Place navigation: (tab key, label, url name, kwarg name). Tabs whose URL is not yet
# registered are skipped, so each app adds its own pages without touching this list's users.
PLACE_TABS = [
    ("overview", _("Overview"), "places:overview", "slug"),
    ("activities", _("Activities"), "places:activity_list", "slug"),
    ("action_items", _("Action items"), "places:action_item_list", "slug"),
    ("plan", _("Activity plan"), "places:plan", "slug"),
    ("incidents", _("Incidents"), "safety:incident_list", "place_slug"),
    ("reports", _("Reports"), "safety:report_list", "place_slug"),
    ("interventions", _("Interventions"), "safety:intervention_list", "place_slug"),
    ("visitors", _("Visitors"), "places:visitor_list", "slug"),
    ("situation_plan", _("Coordinated plan"), "safety:plan", "place_slug"),
    ("alerts", _("Alerts"), "safety:alert_list", "place_slug"),
    ("surveys", _("Surveys"), "surveys:survey_list", "place_slug"),
    ("members", _("Members"), "members:member_list", "place_slug"),
    ("funding", _("Funding"), "members:funding", "place_slug"),
    ("public", _("Public page"), "places:public_settings", "slug"),
]


# On a phone the bar shows these (and the page's own tab) and puts the rest under "Mer" (More),
# so no tab hides behind a sideways scroll (issue #16).
PHONE_TABS = {"overview", "incidents", "activities", "action_items"}


@functools.lru_cache(maxsize=2048)
def _tab_urls(slug: str, prefix: str, urlconf) -> tuple:
    """The tabs' (key, url) of a place: fourteen reversals, on every place page – remembered
    per slug, script prefix and URLconf (the URLs depend on nothing else)."""
    urls = []
    for key, _label, url_name, kwarg in PLACE_TABS:
        try:
            urls.append((key, reverse(url_name, kwargs={kwarg: slug})))
        except NoReverseMatch:
            continue
    return tuple(urls)


@register.inclusion_tag("places/partials/_place_nav.html")
def place_nav(place, active_tab=None):
    labels = {key: label for key, label, _name, _kwarg in PLACE_TABS}
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
