from django.urls import path

from ..views import public

app_name = "public"

# Mounted at "/": a place's public page and its calendar (issue #14). Tips are places'
# (places/urls/public.py).
urlpatterns = [
    path("p/<slug:place_slug>/", public.place_page, name="page"),
    path("p/<slug:place_slug>/calendar.ics", public.place_calendar, name="calendar"),
]
