from django.urls import path

from ..views import alerts, incidents, interventions, reports, retention, value_statement

app_name = "safety"

# Mounted at /places/<slug:place_slug>/.
urlpatterns = [
    path("incidents/", incidents.incident_list, name="incident_list"),
    path("incidents/new/", incidents.incident_create, name="incident_create"),
    path("incidents/import/", incidents.incident_import, name="incident_import"),
    path("incidents/import/<int:pk>/", incidents.incident_import_map, name="incident_import_map"),
    path(
        "incidents/import/<int:pk>/preview/",
        incidents.incident_import_preview,
        name="incident_import_preview",
    ),
    path(
        "incidents/import/<int:pk>/values/",
        incidents.incident_import_values,
        name="incident_import_values",
    ),
    path(
        "incidents/import/<int:pk>/refused.csv",
        incidents.incident_import_refused,
        name="incident_import_refused",
    ),
    path("incidents/<int:pk>/", incidents.incident_detail, name="incident_detail"),
    path("incidents/<int:pk>/edit/", incidents.incident_edit, name="incident_edit"),
    path("reports/", reports.report_list, name="report_list"),
    path("reports/generate/", reports.report_generate, name="report_generate"),
    path("reports/<int:pk>/", reports.report_detail, name="report_detail"),
    path("reports/<int:pk>/pdf/", reports.report_pdf, name="report_pdf"),
    path("reports/<int:pk>/regenerate/", reports.report_regenerate, name="report_regenerate"),
    path("retention/", retention.place_retention, name="place_retention"),
    path("interventions/", interventions.intervention_list, name="intervention_list"),
    path(
        "interventions/new/",
        interventions.intervention_create,
        name="intervention_create",
    ),
    path(
        "interventions/<int:pk>/",
        interventions.intervention_detail,
        name="intervention_detail",
    ),
    path("visitors/import/", interventions.visitor_import, name="visitor_import"),
    path("value-statement/", value_statement.value_statement, name="value_statement"),
    path("value-statement.pdf", value_statement.value_statement_pdf, name="value_statement_pdf"),
    path(
        "interventions/<int:pk>/edit/",
        interventions.intervention_edit,
        name="intervention_edit",
    ),
]

# Samverkansplan and larm (issue #13).
urlpatterns += [
    path("samverkansplan/", alerts.plan, name="plan"),
    path("samverkansplan/confirm/", alerts.plan_confirm, name="plan_confirm"),
    path("samverkansplan/publish/", alerts.plan_publish, name="plan_publish"),
    path("samverkansplan/confirmations/", alerts.plan_board, name="plan_board"),
    path("samverkansplan/pdf/", alerts.plan_pdf, name="plan_pdf"),
    path("samverkansplan/scenarios/new/", alerts.scenario_create, name="scenario_create"),
    path(
        "samverkansplan/scenarios/<int:pk>/edit/",
        alerts.scenario_edit,
        name="scenario_edit",
    ),
    path(
        "samverkansplan/scenarios/<int:pk>/links/",
        alerts.contact_link_add,
        name="contact_link_add",
    ),
    path(
        "samverkansplan/scenarios/<int:pk>/links/delete/",
        alerts.contact_link_delete,
        name="contact_link_delete",
    ),
    path("alerts/", alerts.alert_list, name="alert_list"),
    path("alerts/new/", alerts.alert_create, name="alert_create"),
    path("alerts/<int:pk>/", alerts.alert_detail, name="alert_detail"),
    path("alerts/<int:pk>/answer/", alerts.alert_answer, name="alert_answer"),
    path("alerts/<int:pk>/close/", alerts.alert_close, name="alert_close"),
]
