from django.urls import path

from . import tip_views

app_name = "places_public"

# Mounted at "/": the public side of a place (issue #14). The page itself is safety's
# (safety/public_urls.py), since it shows figures.
urlpatterns = [
    path("p/<slug:slug>/tip/", tip_views.tip_create, name="tip_create"),
    path("p/<slug:slug>/tip/<str:token>/", tip_views.tip_status, name="tip_status"),
    path("p/<slug:slug>/tips/", tip_views.tip_list, name="tip_list"),
    path("p/<slug:slug>/photos/<int:pk>.jpg", tip_views.public_photo, name="photo"),
]
