"""Applications for collaboration support (samverkansstöd), mounted at "/"."""

from django.urls import path

from ..views import applications as views

app_name = "partnerships"

urlpatterns = [
    path("samverkan/", views.process, name="process"),
    path("applications/", views.application_list, name="application_list"),
    path("applications/new/", views.application_create, name="application_create"),
    path("applications/review/", views.application_queue, name="application_queue"),
    path(
        "applications/requests/<int:party_pk>/accept/",
        views.co_applicant_accept,
        name="co_applicant_accept",
    ),
    path(
        "applications/requests/<int:party_pk>/decline/",
        views.co_applicant_decline,
        name="co_applicant_decline",
    ),
    path("applications/<int:pk>/", views.application_detail, name="application_detail"),
    path(
        "applications/<int:pk>/edit/<slug:step>/",
        views.application_edit,
        name="application_edit",
    ),
    path("applications/<int:pk>/parties/", views.party_add, name="party_add"),
    path(
        "applications/<int:pk>/parties/<int:party_pk>/",
        views.party_update,
        name="party_update",
    ),
    path(
        "applications/<int:pk>/parties/<int:party_pk>/remove/",
        views.party_remove,
        name="party_remove",
    ),
    path("applications/<int:pk>/editors/", views.editor_invite, name="editor_invite"),
    path(
        "applications/<int:pk>/editors/<int:user_pk>/remove/",
        views.editor_remove,
        name="editor_remove",
    ),
    path("applications/<int:pk>/attachments/", views.attachment_upload, name="attachment_upload"),
    path(
        "applications/<int:pk>/attachments/<int:attachment_pk>/",
        views.attachment_download,
        name="attachment_download",
    ),
    path(
        "applications/<int:pk>/attachments/<int:attachment_pk>/remove/",
        views.attachment_delete,
        name="attachment_delete",
    ),
    path("applications/<int:pk>/submit/", views.application_submit, name="application_submit"),
    path(
        "applications/<int:pk>/withdraw/", views.application_withdraw, name="application_withdraw"
    ),
    path("applications/<int:pk>/review/", views.application_review, name="application_review"),
    path("applications/<int:pk>/assign/", views.application_assign, name="application_assign"),
    path(
        "applications/<int:pk>/assign-me/",
        views.application_assign_self,
        name="application_assign_self",
    ),
    path("applications/<int:pk>/assessments/", views.assessments_save, name="assessments_save"),
    path("applications/<int:pk>/notes/", views.review_note_add, name="review_note_add"),
    path(
        "applications/<int:pk>/start-review/",
        views.application_start_review,
        name="application_start_review",
    ),
    path(
        "applications/<int:pk>/request-changes/",
        views.application_request_changes,
        name="application_request_changes",
    ),
    path("applications/<int:pk>/reject/", views.application_reject, name="application_reject"),
    path("applications/<int:pk>/approve/", views.application_approve, name="application_approve"),
    path(
        "applications/<int:pk>/follow-up/",
        views.application_followup,
        name="application_followup",
    ),
]
