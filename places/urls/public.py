from django.urls import path

from ..views import tips

app_name = "places_public"

# Mounted at "/": the public side of a place (issue #14). The page itself is safety's
# (safety/urls/public.py), since it shows figures.
urlpatterns = [
    path("p/<slug:place_slug>/tip/", tips.tip_create, name="tip_create"),
    path("p/<slug:place_slug>/tip/<str:token>/", tips.tip_status, name="tip_status"),
    path("p/<slug:place_slug>/tips/", tips.tip_list, name="tip_list"),
    path("p/<slug:place_slug>/photos/<int:pk>.jpg", tips.public_photo, name="photo"),
]
