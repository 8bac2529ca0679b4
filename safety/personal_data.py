"""What incidents and imports hold about a person (see accounts.personal_data)."""

from django.utils.translation import gettext_lazy as _

from accounts.personal_data import section

from .models import Incident, IncidentImport, Intervention


@section("incidents", _("Incidents you reported"))
def _incidents(user):
    incidents = Incident.objects.filter(reported_by=user).select_related("place", "category")
    for incident in incidents.order_by("pk").iterator(chunk_size=500):
        yield {
            "id": incident.pk,
            "place": incident.place.name,
            "category": incident.category.name_sv,
            "occurred_at": incident.occurred_at,
            "severity": incident.severity,
            "description": incident.description,
            "location": incident.location_note,
            "lat": incident.lat,
            "lon": incident.lon,
            "police_notified": incident.police_notified,
            "visibility": incident.visibility,
        }


@section("incident_imports", _("Files of incidents you imported"))
def _imports(user):
    imports = (
        IncidentImport.objects.filter(uploaded_by=user).select_related("place").defer("content")
    )
    for upload in imports.order_by("pk").iterator(chunk_size=500):
        yield {
            "file": upload.filename,
            "place": upload.place.name,
            "status": upload.status,
            "rows_imported": upload.rows_created,
            "uploaded_at": upload.created_at,
        }


@section("interventions", _("Interventions you recorded"))
def _interventions(user):
    interventions = Intervention.objects.filter(created_by=user).select_related("place")
    for intervention in interventions.order_by("pk").iterator(chunk_size=500):
        yield {
            "id": intervention.pk,
            "place": intervention.place.name,
            "title": intervention.title,
            "description": intervention.description,
            "starts_on": intervention.starts_on,
            "ends_on": intervention.ends_on,
            "lat": intervention.lat,
            "lon": intervention.lon,
            "radius_m": intervention.radius_m,
        }
