"""The home's quick actions (issue #16): the first screen starts with the next thing to do.

places builds the actions every place has (report an incident, log an activity or a walk, my
action items). Apps above places add theirs without places importing them (architecture §3): safety
the open alerts, partnerships the reviewers' queue, each with `register_home_actions` in its
AppConfig.ready(). A provider takes the user and their place roles and returns QuickActions;
an action with `place_id` shows on that place's card, one without at the top.
"""

from dataclasses import dataclass

from django.db.models import Count
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from .models import ActionItem, ActivityKind
from .rules import roles_answering_for_work

# How many places' forms (and own action items) the phone keeps for offline use.
OFFLINE_PLACES = 5
OFFLINE_ITEMS = 20


@dataclass
class QuickAction:
    label: str
    url: str
    count: int | None = None
    place_id: int | None = None
    primary: bool = False
    # A count that needs attention (open alerts) is shown as a warning badge.
    urgent: bool = False


_providers = []


def register_home_actions(provider) -> None:
    if provider not in _providers:
        _providers.append(provider)


def _my_items(roles):
    """Open action items of the organisation each role represents at its place."""
    pairs = [(role.place_id, role.organisation_id) for role in roles if role.organisation_id]
    if not pairs:
        return ActionItem.objects.none()
    from django.db.models import Q

    condition = Q()
    for place_id, org_id in pairs:
        condition |= Q(place_id=place_id, responsible_organisation_id=org_id)
    return ActionItem.objects.unresolved().filter(condition)


def place_actions(user, roles) -> list[QuickAction]:
    """Report, log, walk and "my action items" for each place where the person has a role."""
    walk = ActivityKind.objects.filter(is_active=True, is_walk=True).order_by("order").first()
    counts = {
        (row["place_id"], row["responsible_organisation_id"]): row["n"]
        for row in _my_items(roles)
        .values("place_id", "responsible_organisation_id")
        .annotate(n=Count("pk"))
    }
    answering = roles_answering_for_work(roles)
    actions = []
    for role in roles:
        slug = role.place.slug
        if role.allows("reporter"):
            actions.append(
                QuickAction(
                    _("Report an incident"),
                    reverse("safety:incident_create", kwargs={"place_slug": slug}),
                    place_id=role.place_id,
                    primary=True,
                )
            )
            actions.append(
                QuickAction(
                    pgettext("quick action", "Log an activity"),
                    reverse("places:activity_create", kwargs={"place_slug": slug}),
                    place_id=role.place_id,
                    primary=True,
                )
            )
            if walk:
                actions.append(
                    QuickAction(
                        walk.name,
                        reverse("places:activity_create", kwargs={"place_slug": slug})
                        + f"?kind={walk.code}",
                        place_id=role.place_id,
                    )
                )
        count = counts.get((role.place_id, role.organisation_id), 0)
        if role.organisation_id and (count or role.pk in answering):
            actions.append(
                QuickAction(
                    _("My action items"),
                    reverse("places:action_item_list", kwargs={"place_slug": slug})
                    + f"?status=unresolved&responsible_organisation={role.organisation_id}",
                    count=count,
                    place_id=role.place_id,
                )
            )
    return actions


def home_actions(user, roles) -> list[QuickAction]:
    actions = place_actions(user, roles)
    for provider in _providers:
        actions.extend(provider(user, roles))
    return actions


def offline_urls(user, roles) -> list[str]:
    """The pages the phone keeps for offline use: the home, the queue, the forms of the first
    few places where the person may log, and their organisation's own open action items."""
    urls = [reverse("places:home"), reverse("places:offline_queue")]
    loggable = [role for role in roles if role.allows("reporter")][:OFFLINE_PLACES]
    walk = ActivityKind.objects.filter(is_active=True, is_walk=True).order_by("order").first()
    for role in loggable:
        slug = role.place.slug
        urls.append(reverse("safety:incident_create", kwargs={"place_slug": slug}))
        activity = reverse("places:activity_create", kwargs={"place_slug": slug})
        urls.append(activity)
        if walk:
            urls.append(f"{activity}?kind={walk.code}")
    items = (
        _my_items(roles[:OFFLINE_PLACES])
        .filter(photo="")
        .select_related("place")
        .order_by("due_date", "pk")[:OFFLINE_ITEMS]
    )
    urls.extend(
        reverse("places:action_item_detail", kwargs={"place_slug": item.place.slug, "pk": item.pk})
        for item in items
    )
    return urls
