from django.shortcuts import render
from django.views.decorators.http import require_GET

from .models import Place, PlaceRole


@require_GET
def home(request):
    """Landing page: "My places" for a logged-in user, a short introduction otherwise."""
    if not request.user.is_authenticated:
        return render(request, "places/welcome.html")
    roles = (
        PlaceRole.objects.filter(user=request.user, place__is_active=True)
        .select_related("place", "organisation")
        .order_by("place__name")
    )
    staff_places = []
    if request.user.is_staff:
        staff_places = Place.objects.active().exclude(roles__user=request.user)
    return render(request, "places/home.html", {"roles": roles, "staff_places": staff_places})
