from django.urls import path

from ..views import (
    action_items,
    activities,
    home,
    notifications,
    offline,
    plan,
    privacy,
    tips,
    visitors,
    webhooks,
)

app_name = "places"

urlpatterns = [
    path("", home.home, name="home"),
    # Notifications and Web Push (issue #13).
    # The installable app and the offline queue (issue #16).
    path("sw.js", offline.service_worker, name="service_worker"),
    path("manifest.webmanifest", offline.manifest, name="manifest"),
    path("offline/", offline.offline_queue, name="offline_queue"),
    path("offline/token/", offline.offline_token, name="offline_token"),
    path("notifications/", notifications.notification_list, name="notification_list"),
    path("notifications/read/", notifications.notification_read, name="notification_read"),
    path(
        "notifications/settings/",
        notifications.notification_settings,
        name="notification_settings",
    ),
    path("push/subscribe/", notifications.push_subscribe, name="push_subscribe"),
    path("push/unsubscribe/", notifications.push_unsubscribe, name="push_unsubscribe"),
    # How data is handled (issue #17): public pages.
    path("privacy/", privacy.privacy, name="privacy"),
    path("privacy/register/", privacy.privacy_register, name="privacy_register"),
    path("privacy/register.csv", privacy.privacy_register_csv, name="privacy_register_csv"),
    # "places:overview" (places/<place_slug>/), the place's landing page, is its dashboard: the root
    # URLconf adds it, because places does not import safety.
    # Visitor counts (issue #18)
    path("places/<slug:place_slug>/visitors/", visitors.visitor_list, name="visitor_list"),
    path("places/<slug:place_slug>/visitors/new/", visitors.visitor_create, name="visitor_create"),
    # Activities
    path("places/<slug:place_slug>/activities/", activities.activity_list, name="activity_list"),
    path(
        "places/<slug:place_slug>/activities/new/",
        activities.activity_create,
        name="activity_create",
    ),
    path(
        "places/<slug:place_slug>/activities/export.csv",
        activities.activity_export,
        name="activity_export",
    ),
    path(
        "places/<slug:place_slug>/activities/<int:pk>/",
        activities.activity_detail,
        name="activity_detail",
    ),
    path(
        "places/<slug:place_slug>/activities/<int:pk>/edit/",
        activities.activity_edit,
        name="activity_edit",
    ),
    path(
        "places/<slug:place_slug>/activities/<int:pk>/delete/",
        activities.activity_delete,
        name="activity_delete",
    ),
    path(
        "places/<slug:place_slug>/activities/<int:pk>/findings/",
        activities.activity_findings,
        name="activity_findings",
    ),
    # Action items (åtgärdspunkter)
    path(
        "places/<slug:place_slug>/action-items/",
        action_items.action_item_list,
        name="action_item_list",
    ),
    path(
        "places/<slug:place_slug>/action-items/new/",
        action_items.action_item_create,
        name="action_item_create",
    ),
    path(
        "places/<slug:place_slug>/action-items/export.csv",
        action_items.action_item_export,
        name="action_item_export",
    ),
    path(
        "places/<slug:place_slug>/action-items/map.json",
        action_items.action_item_map_data,
        name="action_item_map_data",
    ),
    path(
        "places/<slug:place_slug>/action-items/<int:pk>/",
        action_items.action_item_detail,
        name="action_item_detail",
    ),
    path(
        "places/<slug:place_slug>/action-items/<int:pk>/edit/",
        action_items.action_item_edit,
        name="action_item_edit",
    ),
    path(
        "places/<slug:place_slug>/action-items/<int:pk>/status/",
        action_items.action_item_status,
        name="action_item_status",
    ),
    path(
        "places/<slug:place_slug>/action-items/<int:pk>/photo.jpg",
        action_items.action_item_photo,
        name="action_item_photo",
    ),
    # Activity plan (årshjul)
    path("places/<slug:place_slug>/plan/", plan.plan, name="plan"),
    path(
        "places/<slug:place_slug>/plan/new/",
        plan.planned_activity_create,
        name="planned_activity_create",
    ),
    path(
        "places/<slug:place_slug>/plan/<int:pk>/edit/",
        plan.planned_activity_edit,
        name="planned_activity_edit",
    ),
    path(
        "places/<slug:place_slug>/plan/<int:pk>/delete/",
        plan.planned_activity_delete,
        name="planned_activity_delete",
    ),
    # The public side (issue #14): the switch, tips' figures and the moderation queue.
    path("places/<slug:place_slug>/public/", tips.public_settings, name="public_settings"),
    # Outbound webhooks (issue #15)
    path("places/<slug:place_slug>/webhooks/", webhooks.webhook_settings, name="webhook_settings"),
    path(
        "places/<slug:place_slug>/webhooks/<int:pk>/toggle/",
        webhooks.webhook_toggle,
        name="webhook_toggle",
    ),
    path(
        "places/<slug:place_slug>/webhooks/<int:pk>/delete/",
        webhooks.webhook_delete,
        name="webhook_delete",
    ),
    path("places/<slug:place_slug>/tips/", tips.tip_queue, name="tip_queue"),
    path("places/<slug:place_slug>/tips/<int:pk>/", tips.tip_moderate, name="tip_moderate"),
    path("places/<slug:place_slug>/tips/<int:pk>/photo.jpg", tips.tip_photo, name="tip_photo"),
]
