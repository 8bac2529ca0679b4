"""The API's address book (issue #15): each app's `api.py` owns its endpoints; this module only
assembles them under `/api/v1/` (architecture §3), with the OpenAPI schema and its docs page."""

from django.http import JsonResponse
from django.shortcuts import render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET
from django.views.defaults import page_not_found
from drf_spectacular.views import SpectacularAPIView
from rest_framework.permissions import AllowAny

from accounts.api import error_body
from places import api as places_api
from places import open311
from safety import api as safety_api
from surveys import api as surveys_api

app_name = "api"

PLACE = "places/<slug:place_slug>/"


class SchemaView(SpectacularAPIView):
    """The OpenAPI 3 schema: public, it describes the API and holds no data."""

    authentication_classes: list = []
    permission_classes = [AllowAny]
    throttle_classes: list = []


@require_GET
def docs(request):
    """The API's documentation page (Swagger UI, vendored; its script reads the schema's
    address from the page, so the strict CSP holds)."""
    return render(request, "api/docs.html")


urlpatterns = [
    path("schema/", SchemaView.as_view(), name="schema"),
    path("places/", places_api.PlaceList.as_view(), name="places"),
    path(PLACE, places_api.PlaceDetail.as_view(), name="place"),
    path(PLACE + "boundary/", places_api.PlaceBoundary.as_view(), name="place_boundary"),
    path(PLACE + "figures/", safety_api.PlaceFigures.as_view(), name="figures"),
    path(PLACE + "incidents/", safety_api.IncidentList.as_view(), name="incidents"),
    path(
        PLACE + "incidents/geojson/", safety_api.IncidentGeoJSON.as_view(), name="incidents_geojson"
    ),
    path(PLACE + "incidents/<int:pk>/", safety_api.IncidentDetail.as_view(), name="incident"),
    path(PLACE + "activities/", places_api.ActivityList.as_view(), name="activities"),
    path(PLACE + "activities/<int:pk>/", places_api.ActivityDetail.as_view(), name="activity"),
    path(PLACE + "action-items/", places_api.ActionItemList.as_view(), name="action_items"),
    path(
        PLACE + "action-items/geojson/",
        places_api.ActionItemGeoJSON.as_view(),
        name="action_items_geojson",
    ),
    path(
        PLACE + "action-items/<int:pk>/", places_api.ActionItemDetail.as_view(), name="action_item"
    ),
    path(PLACE + "reports/", safety_api.ReportList.as_view(), name="reports"),
    path(PLACE + "reports/<int:pk>/", safety_api.ReportDetail.as_view(), name="report"),
    path(PLACE + "reports/<int:pk>/pdf/", safety_api.ReportPdf.as_view(), name="report_pdf"),
    path(PLACE + "surveys/", surveys_api.SurveyList.as_view(), name="surveys"),
    path(
        PLACE + "surveys/<int:pk>/results/",
        surveys_api.SurveyResults.as_view(),
        name="survey_results",
    ),
]


def not_found(request, exception=None):
    """The project's 404: the API's JSON error under /api/ (a client reads JSON there, even for
    an address that matches no endpoint), Django's page everywhere else."""
    if request.path.startswith("/api/"):
        return JsonResponse(error_body("not_found", _("Not found.")), status=404)
    return page_not_found(request, exception)


# Open311 GeoReport v2 (places/open311.py), at its own address: clients expect `…/services.json`.
open311_patterns = (
    [
        path("services.json", open311.Services.as_view(), {"fmt": "json"}, name="services_json"),
        path("services.xml", open311.Services.as_view(), {"fmt": "xml"}, name="services_xml"),
        path("requests.json", open311.Requests.as_view(), {"fmt": "json"}, name="requests_json"),
        path("requests.xml", open311.Requests.as_view(), {"fmt": "xml"}, name="requests_xml"),
        path(
            "requests/<int:pk>.json",
            open311.RequestDetail.as_view(),
            {"fmt": "json"},
            name="request_json",
        ),
        path(
            "requests/<int:pk>.xml",
            open311.RequestDetail.as_view(),
            {"fmt": "xml"},
            name="request_xml",
        ),
    ],
    "open311",
)
