from django.urls import path

from . import views

app_name = "places"

urlpatterns = [
    path("", views.home, name="home"),
    path("places/<slug:slug>/", views.place_overview, name="overview"),
]
