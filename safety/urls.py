from django.urls import path

from . import alert_views, intervention_views, value_statement, views

app_name = "safety"

# Mounted at /places/<slug:place_slug>/.
urlpatterns = [
    path("incidents/", views.incident_list, name="incident_list"),
    path("incidents/new/", views.incident_create, name="incident_create"),
    path("incidents/import/", views.incident_import, name="incident_import"),
    path("incidents/import/<int:pk>/", views.incident_import_map, name="incident_import_map"),
    path(
        "incidents/import/<int:pk>/preview/",
        views.incident_import_preview,
        name="incident_import_preview",
    ),
    path(
        "incidents/import/<int:pk>/values/",
        views.incident_import_values,
        name="incident_import_values",
    ),
    path(
        "incidents/import/<int:pk>/refused.csv",
        views.incident_import_refused,
        name="incident_import_refused",
    ),
    path("incidents/<int:pk>/", views.incident_detail, name="incident_detail"),
    path("incidents/<int:pk>/edit/", views.incident_edit, name="incident_edit"),
    path("reports/", views.report_list, name="report_list"),
    path("reports/generate/", views.report_generate, name="report_generate"),
    path("reports/<int:pk>/", views.report_detail, name="report_detail"),
    path("reports/<int:pk>/pdf/", views.report_pdf, name="report_pdf"),
    path("reports/<int:pk>/regenerate/", views.report_regenerate, name="report_regenerate"),
    path("retention/", views.place_retention, name="place_retention"),
    path("interventions/", intervention_views.intervention_list, name="intervention_list"),
    path(
        "interventions/new/",
        intervention_views.intervention_create,
        name="intervention_create",
    ),
    path(
        "interventions/<int:pk>/",
        intervention_views.intervention_detail,
        name="intervention_detail",
    ),
    path("visitors/import/", intervention_views.visitor_import, name="visitor_import"),
    path("value-statement/", value_statement.value_statement, name="value_statement"),
    path("value-statement.pdf", value_statement.value_statement_pdf, name="value_statement_pdf"),
    path(
        "interventions/<int:pk>/edit/",
        intervention_views.intervention_edit,
        name="intervention_edit",
    ),
]

# Samverkansplan and larm (issue #13).
urlpatterns += [
    path("samverkansplan/", alert_views.plan, name="plan"),
    path("samverkansplan/confirm/", alert_views.plan_confirm, name="plan_confirm"),
    path("samverkansplan/publish/", alert_views.plan_publish, name="plan_publish"),
    path("samverkansplan/confirmations/", alert_views.plan_board, name="plan_board"),
    path("samverkansplan/pdf/", alert_views.plan_pdf, name="plan_pdf"),
    path("samverkansplan/scenarios/new/", alert_views.scenario_create, name="scenario_create"),
    path(
        "samverkansplan/scenarios/<int:pk>/edit/",
        alert_views.scenario_edit,
        name="scenario_edit",
    ),
    path(
        "samverkansplan/scenarios/<int:pk>/links/",
        alert_views.contact_link_add,
        name="contact_link_add",
    ),
    path(
        "samverkansplan/scenarios/<int:pk>/links/delete/",
        alert_views.contact_link_delete,
        name="contact_link_delete",
    ),
    path("alerts/", alert_views.alert_list, name="alert_list"),
    path("alerts/new/", alert_views.alert_create, name="alert_create"),
    path("alerts/<int:pk>/", alert_views.alert_detail, name="alert_detail"),
    path("alerts/<int:pk>/answer/", alert_views.alert_answer, name="alert_answer"),
    path("alerts/<int:pk>/close/", alert_views.alert_close, name="alert_close"),
]
