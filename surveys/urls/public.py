from django.urls import path

from . import public_views

app_name = "surveys_public"

# Mounted at "/": the unguessable public link printed on the QR poster.
urlpatterns = [
    path("s/<str:token>/", public_views.answer, name="answer"),
    path("s/<str:token>/thanks/", public_views.thanks, name="thanks"),
]
