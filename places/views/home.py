"""The start page: the next thing to do at each of a person's places, or a short welcome."""

from django.shortcuts import render
from django.views.decorators.http import require_GET

from ..home import home_actions, offline_urls
from ..models import Place, PlaceRole
from ..offline import mark_offline


@require_GET
def home(request):
    """The first screen: for a logged-in person, the next thing to do at each of their places
    (issue #16) – report, log, their action items, open alerts, the reviewers' queue – and for
    a person with one place, that place. A short introduction for everyone else."""
    if not request.user.is_authenticated:
        return render(request, "places/welcome.html")
    roles = list(
        PlaceRole.objects.filter(user=request.user, place__is_active=True)
        .select_related("place", "organisation")
        .order_by("place__name")
    )
    staff_places = []
    if request.user.is_staff:
        staff_places = Place.objects.active().exclude(roles__user=request.user)
    actions = home_actions(request.user, roles)
    cards = [
        {"role": role, "actions": [a for a in actions if a.place_id == role.place_id]}
        for role in roles
    ]
    response = render(
        request,
        "places/home.html",
        {
            "cards": cards,
            "general_actions": [a for a in actions if a.place_id is None],
            "single": cards[0] if len(cards) == 1 else None,
            "staff_places": staff_places,
            "offline_urls": offline_urls(request.user, roles),
        },
    )
    # The home is kept on the phone for offline use: the person's own counts, nothing else.
    return mark_offline(response)
