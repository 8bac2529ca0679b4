"""The invitation link, outside any place: the invitee has no role yet (namespace invitations)."""

from django.urls import path

from ..views import invitations

app_name = "invitations"

urlpatterns = [
    path("invitations/<slug:token>/", invitations.invitation_accept, name="accept"),
    path("invitations/<slug:token>/join/", invitations.invitation_join_view, name="join"),
]
