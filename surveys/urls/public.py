from django.urls import path

from ..views import public

app_name = "surveys_public"

# Mounted at "/": the unguessable public link printed on the QR poster.
urlpatterns = [
    path("s/<str:token>/", public.answer, name="answer"),
    path("s/<str:token>/thanks/", public.thanks, name="thanks"),
]
