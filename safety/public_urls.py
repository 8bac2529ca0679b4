from django.urls import path

from . import public_views

app_name = "public"

# Mounted at "/": a place's public page and its calendar (issue #14). Tips are places'
# (places/urls/public.py).
urlpatterns = [
    path("p/<slug:slug>/", public_views.place_page, name="page"),
    path("p/<slug:slug>/calendar.ics", public_views.place_calendar, name="calendar"),
]
