"""Members and funding pages of a place, mounted at /places/<place_slug>/ (namespace members)."""

from django.urls import path

from ..views import funding, members

app_name = "members"

urlpatterns = [
    path("members/", members.member_list, name="member_list"),
    path("members/invite/", members.invitation_create, name="invitation_create"),
    path(
        "members/invitations/<int:pk>/resend/",
        members.invitation_resend,
        name="invitation_resend",
    ),
    path(
        "members/invitations/<int:pk>/revoke/",
        members.invitation_revoke,
        name="invitation_revoke",
    ),
    path("members/people/<int:pk>/role/", members.place_role_change, name="place_role_change"),
    path("members/people/<int:pk>/remove/", members.place_role_remove, name="place_role_remove"),
    path("members/organisations/add/", members.membership_create, name="membership_create"),
    path("members/organisations/<int:pk>/end/", members.membership_end, name="membership_end"),
    path("funding/", funding.funding, name="funding"),
    path("funding/export.csv", funding.funding_export, name="funding_export"),
    path("funding/budget/", funding.budget_edit, name="budget_edit"),
    path(
        "funding/social-outcomes/new/",
        funding.social_outcome_create,
        name="social_outcome_create",
    ),
    path(
        "funding/social-outcomes/<int:pk>/edit/",
        funding.social_outcome_edit,
        name="social_outcome_edit",
    ),
    path(
        "funding/social-outcomes.csv",
        funding.social_outcome_export,
        name="social_outcome_export",
    ),
    path("funding/commitments/new/", funding.commitment_create, name="commitment_create"),
    path("funding/commitments/<int:pk>/", funding.commitment_detail, name="commitment_detail"),
    path("funding/commitments/<int:pk>/edit/", funding.commitment_edit, name="commitment_edit"),
    path(
        "funding/commitments/<int:pk>/payments/",
        funding.payment_create,
        name="payment_create",
    ),
    path(
        "funding/commitments/<int:pk>/payments/<int:payment_pk>/delete/",
        funding.payment_delete,
        name="payment_delete",
    ),
]
