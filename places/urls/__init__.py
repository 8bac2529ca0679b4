from django.urls import path

from . import (
    action_item_views,
    activity_views,
    notification_views,
    offline_views,
    plan_views,
    privacy_views,
    tip_views,
    views,
    visitor_views,
    webhook_views,
)

app_name = "places"

urlpatterns = [
    path("", views.home, name="home"),
    # Notifications and Web Push (issue #13).
    # The installable app and the offline queue (issue #16).
    path("sw.js", offline_views.service_worker, name="service_worker"),
    path("manifest.webmanifest", offline_views.manifest, name="manifest"),
    path("offline/", offline_views.offline_queue, name="offline_queue"),
    path("offline/token/", offline_views.offline_token, name="offline_token"),
    path("notifications/", notification_views.notification_list, name="notification_list"),
    path("notifications/read/", notification_views.notification_read, name="notification_read"),
    path(
        "notifications/settings/",
        notification_views.notification_settings,
        name="notification_settings",
    ),
    path("push/subscribe/", notification_views.push_subscribe, name="push_subscribe"),
    path("push/unsubscribe/", notification_views.push_unsubscribe, name="push_unsubscribe"),
    # How data is handled (issue #17): public pages.
    path("privacy/", privacy_views.privacy, name="privacy"),
    path("privacy/register/", privacy_views.privacy_register, name="privacy_register"),
    path("privacy/register.csv", privacy_views.privacy_register_csv, name="privacy_register_csv"),
    # "places:overview" (places/<slug>/), the place's landing page, is its dashboard: the root
    # URLconf adds it, because places does not import safety.
    # Visitor counts (issue #18)
    path("places/<slug:slug>/visitors/", visitor_views.visitor_list, name="visitor_list"),
    path("places/<slug:slug>/visitors/new/", visitor_views.visitor_create, name="visitor_create"),
    # Activities
    path("places/<slug:slug>/activities/", activity_views.activity_list, name="activity_list"),
    path(
        "places/<slug:slug>/activities/new/",
        activity_views.activity_create,
        name="activity_create",
    ),
    path(
        "places/<slug:slug>/activities/export.csv",
        activity_views.activity_export,
        name="activity_export",
    ),
    path(
        "places/<slug:slug>/activities/<int:pk>/",
        activity_views.activity_detail,
        name="activity_detail",
    ),
    path(
        "places/<slug:slug>/activities/<int:pk>/edit/",
        activity_views.activity_edit,
        name="activity_edit",
    ),
    path(
        "places/<slug:slug>/activities/<int:pk>/delete/",
        activity_views.activity_delete,
        name="activity_delete",
    ),
    path(
        "places/<slug:slug>/activities/<int:pk>/findings/",
        activity_views.activity_findings,
        name="activity_findings",
    ),
    # Action items (åtgärdspunkter)
    path(
        "places/<slug:slug>/action-items/",
        action_item_views.action_item_list,
        name="action_item_list",
    ),
    path(
        "places/<slug:slug>/action-items/new/",
        action_item_views.action_item_create,
        name="action_item_create",
    ),
    path(
        "places/<slug:slug>/action-items/export.csv",
        action_item_views.action_item_export,
        name="action_item_export",
    ),
    path(
        "places/<slug:slug>/action-items/map.json",
        action_item_views.action_item_map_data,
        name="action_item_map_data",
    ),
    path(
        "places/<slug:slug>/action-items/<int:pk>/",
        action_item_views.action_item_detail,
        name="action_item_detail",
    ),
    path(
        "places/<slug:slug>/action-items/<int:pk>/edit/",
        action_item_views.action_item_edit,
        name="action_item_edit",
    ),
    path(
        "places/<slug:slug>/action-items/<int:pk>/status/",
        action_item_views.action_item_status,
        name="action_item_status",
    ),
    path(
        "places/<slug:slug>/action-items/<int:pk>/photo.jpg",
        action_item_views.action_item_photo,
        name="action_item_photo",
    ),
    # Activity plan (årshjul)
    path("places/<slug:slug>/plan/", plan_views.plan, name="plan"),
    path(
        "places/<slug:slug>/plan/new/",
        plan_views.planned_activity_create,
        name="planned_activity_create",
    ),
    path(
        "places/<slug:slug>/plan/<int:pk>/edit/",
        plan_views.planned_activity_edit,
        name="planned_activity_edit",
    ),
    path(
        "places/<slug:slug>/plan/<int:pk>/delete/",
        plan_views.planned_activity_delete,
        name="planned_activity_delete",
    ),
    # The public side (issue #14): the switch, tips' figures and the moderation queue.
    path("places/<slug:slug>/public/", tip_views.public_settings, name="public_settings"),
    # Outbound webhooks (issue #15)
    path("places/<slug:slug>/webhooks/", webhook_views.webhook_settings, name="webhook_settings"),
    path(
        "places/<slug:slug>/webhooks/<int:pk>/toggle/",
        webhook_views.webhook_toggle,
        name="webhook_toggle",
    ),
    path(
        "places/<slug:slug>/webhooks/<int:pk>/delete/",
        webhook_views.webhook_delete,
        name="webhook_delete",
    ),
    path("places/<slug:slug>/tips/", tip_views.tip_queue, name="tip_queue"),
    path("places/<slug:slug>/tips/<int:pk>/", tip_views.tip_moderate, name="tip_moderate"),
    path("places/<slug:slug>/tips/<int:pk>/photo.jpg", tip_views.tip_photo, name="tip_photo"),
]
