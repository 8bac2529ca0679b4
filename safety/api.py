"""The safety side of the API (issue #15): a place's figures, incidents (JSON and GeoJSON),
logging incidents, and situation reports (lägesbilder).

Every endpoint reaches its place through `place_access` and its rows through the scoped
querysets, as the pages do (architecture §4): an outsider's token gets a 404, a reader's token that
logs an incident a 403, and restricted incidents appear only to those who see them on the page.
"""

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.api import FormData, form_data, form_invalid, idempotent
from accounts.models import ApiScope
from places.access import place_access
from places.api import (
    CURSOR_PARAMETERS,
    ERRORS,
    GEOJSON_RESPONSE,
    GeoJSONRenderer,
    OrganisationRefSerializer,
    PlaceScopedList,
    feature_collection,
    money_as_strings,
)

from .cache import cached_place_figures
from .dashboard import resolve_period
from .filters import IncidentFilter
from .forms import IncidentForm
from .models import Incident, IncidentCategory, SituationReport
from .services import incidents as incident_services


class CategorySerializer(serializers.Serializer):
    code = serializers.CharField()
    name_sv = serializers.CharField()
    name_en = serializers.CharField()


class IncidentSerializer(serializers.ModelSerializer):
    place = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    category = CategorySerializer(read_only=True)
    reporting_organisation = OrganisationRefSerializer(read_only=True, allow_null=True)

    class Meta:
        model = Incident
        fields = [
            "id",
            "place",
            "category",
            "occurred_at",
            "severity",
            "description",
            "location_note",
            "lat",
            "lon",
            "police_notified",
            "visibility",
            "reporting_organisation",
            "external_ref",
            "created_at",
            "updated_at",
        ]
        # The reporting organisation's own case number, kept from its file (issue #19).
        read_only_fields = ["external_ref"]


class NotAPersonSerializer(serializers.Serializer):
    description = serializers.ListField(child=serializers.CharField(), required=False)
    location_note = serializers.ListField(child=serializers.CharField(), required=False)


class IncidentWriteSerializer(serializers.Serializer):
    """What a client sends to log an incident: the page's fields, the category by its code."""

    category = serializers.SlugField(help_text="An incident category's code, e.g. `klotter`.")
    occurred_at = serializers.DateTimeField(help_text="ISO 8601 with offset; at most now.")
    severity = serializers.ChoiceField(choices=Incident.Severity.choices, required=False)
    description = serializers.CharField(required=False, allow_blank=True, max_length=4000)
    location_note = serializers.CharField(required=False, allow_blank=True, max_length=200)
    lat = serializers.FloatField(required=False, allow_null=True, min_value=-90, max_value=90)
    lon = serializers.FloatField(required=False, allow_null=True, min_value=-180, max_value=180)
    police_notified = serializers.BooleanField(required=False)
    visibility = serializers.ChoiceField(choices=Incident.Visibility.choices, required=False)
    not_a_person = NotAPersonSerializer(
        required=False,
        help_text="Words the privacy screen asked about that are not people (a street, a shop).",
    )


INCIDENT_WRITE_FIELDS = (
    "category",
    "occurred_at",
    "severity",
    "description",
    "location_note",
    "lat",
    "lon",
    "police_notified",
    "visibility",
)


def _category_pk(code: str):
    return (
        IncidentCategory.objects.filter(code=code, is_active=True)
        .values_list("pk", flat=True)
        .first()
    )


def incident_queryset(user, place):
    return (
        Incident.objects.visible_to(user)
        .filter(place=place)
        .select_related("category", "reporting_organisation", "place")
    )


def filtered_incidents(request, place):
    filterset = IncidentFilter(
        request.query_params, queryset=incident_queryset(request.user, place), place=place
    )
    if not filterset.is_valid():
        raise form_invalid(filterset.form)
    return filterset.qs


INCIDENT_FILTERS = [
    OpenApiParameter("q", str, description="Search in description, location and category."),
    OpenApiParameter("category", int, description="A category's id."),
    OpenApiParameter("severity", str, enum=[c for c, _l in Incident.Severity.choices]),
    OpenApiParameter("date_from", OpenApiTypes.DATE),
    OpenApiParameter("date_to", OpenApiTypes.DATE),
    OpenApiParameter("reporting_organisation", int),
    OpenApiParameter("visibility", str, enum=[c for c, _l in Incident.Visibility.choices]),
]


class IncidentList(PlaceScopedList):
    """A place's incidents the token's owner may see, newest first; log one with POST."""

    serializer_class = IncidentSerializer
    required_scopes = {"GET": ApiScope.INCIDENTS_READ, "POST": ApiScope.INCIDENTS_WRITE}
    ordering = ("-occurred_at", "-id")

    def filter_rows(self, access):
        return filtered_incidents(self.request, access.place)

    @extend_schema(
        parameters=INCIDENT_FILTERS, responses={200: IncidentSerializer(many=True), **ERRORS}
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(
        request=IncidentWriteSerializer,
        responses={201: IncidentSerializer, **ERRORS},
        parameters=[OpenApiParameter("Idempotency-Key", str, OpenApiParameter.HEADER)],
    )
    def post(self, request, place_slug):
        access = place_access(request.user, place_slug, require="reporter")
        body = self.json_body()

        def create():
            data = FormData(
                form_data(
                    body,
                    fields=INCIDENT_WRITE_FIELDS,
                    renames={"category": _category_pk},
                )
            )
            data.setdefault("severity", Incident.Severity.LOW)
            data.setdefault("visibility", Incident.Visibility.MEMBERS)
            form = IncidentForm(data, actor=request.user)
            if not form.is_valid():
                raise form_invalid(form)
            incident = incident_services.incident_create(
                place=access.place, actor=request.user, data=form.cleaned_data
            )
            incident = incident_queryset(request.user, access.place).get(pk=incident.pk)
            response = Response(IncidentSerializer(incident).data, status=201)
            response["Location"] = reverse(
                "api:incident", kwargs={"place_slug": access.place.slug, "pk": incident.pk}
            )
            return response

        return idempotent(request, create)


class IncidentDetail(APIView):
    required_scopes = {"GET": ApiScope.INCIDENTS_READ}

    @extend_schema(responses={200: IncidentSerializer, **ERRORS})
    def get(self, request, place_slug, pk):
        access = place_access(request.user, place_slug)
        incident = get_object_or_404(incident_queryset(request.user, access.place), pk=pk)
        return Response(IncidentSerializer(incident).data)


def incident_feature(incident) -> dict | None:
    return {
        "type": "Feature",
        "id": incident.pk,
        "geometry": {"type": "Point", "coordinates": [incident.lon, incident.lat]},
        "properties": {
            "category": incident.category.code,
            "occurred_at": timezone.localtime(incident.occurred_at).isoformat(),
            "severity": incident.severity,
            "visibility": incident.visibility,
            "police_notified": incident.police_notified,
        },
    }


class IncidentGeoJSON(PlaceScopedList):
    """The page of incidents with a position as a GeoJSON FeatureCollection (RFC 7946)."""

    required_scopes = {"GET": ApiScope.INCIDENTS_READ}
    renderer_classes = [GeoJSONRenderer]
    ordering = ("-occurred_at", "-id")

    def filter_rows(self, access):
        return filtered_incidents(self.request, access.place).filter(
            lat__isnull=False, lon__isnull=False
        )

    def page_body(self, rows):
        return feature_collection(incident_feature(row) for row in rows)

    @extend_schema(
        parameters=[*INCIDENT_FILTERS, *CURSOR_PARAMETERS],
        responses={200: GEOJSON_RESPONSE, **ERRORS},
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


# --- Figures and situation reports -----------------------------------------------------------


class PlaceFigures(APIView):
    """A place's figures for a period: the figures core that the dashboard shows and the
    lägesbild freezes (architecture §5), same numbers; SEK amounts as strings with two decimals.

    The period is the dashboard's: `period=7d|30d|90d|year`, or `start` and `end` (both days
    included, `end` at most today). Without any, the last 30 days."""

    required_scopes = {"GET": ApiScope.FIGURES_READ}

    @extend_schema(
        parameters=[
            OpenApiParameter("period", str, enum=["7d", "30d", "90d", "year", "custom"]),
            OpenApiParameter("start", OpenApiTypes.DATE),
            OpenApiParameter("end", OpenApiTypes.DATE),
        ],
        responses={200: OpenApiTypes.OBJECT, **ERRORS},
    )
    def get(self, request, place_slug):
        access = place_access(request.user, place_slug)
        params = {key: request.query_params.get(key) for key in ("period", "start", "end")}
        params = {key: value for key, value in params.items() if value is not None}
        form, period, valid = resolve_period(params, timezone.localdate())
        if not valid:
            raise form_invalid(form)
        figures = cached_place_figures(place=access.place, start=period.start, end=period.end)
        return Response(money_as_strings(figures))


class ReportSerializer(serializers.ModelSerializer):
    place = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    pdf_url = serializers.SerializerMethodField()

    class Meta:
        model = SituationReport
        fields = [
            "id",
            "place",
            "kind",
            "period_start",
            "period_end",
            "status",
            "generated_at",
            "pdf_url",
        ]

    def get_pdf_url(self, report) -> str | None:
        # By status: the list leaves the figures in the database (`has_figures` would load
        # them row by row). Only the generator makes a report ready, and the PDF endpoint
        # answers 404 for one without figures.
        if report.status != SituationReport.Status.READY:
            return None
        return reverse("api:report_pdf", kwargs={"place_slug": report.place.slug, "pk": report.pk})


class ReportDetailSerializer(ReportSerializer):
    figures = serializers.SerializerMethodField()

    class Meta(ReportSerializer.Meta):
        fields = [*ReportSerializer.Meta.fields, "figures"]

    def get_figures(self, report) -> dict:
        return money_as_strings(report.figures)


def report_queryset(user, place):
    return SituationReport.objects.visible_to(user).filter(place=place).select_related("place")


class ReportList(PlaceScopedList):
    """A place's situation reports (lägesbilder), newest period first."""

    serializer_class = ReportSerializer
    required_scopes = {"GET": ApiScope.FIGURES_READ}
    ordering = ("-period_start", "-id")

    def filter_rows(self, access):
        # The list shows no figures: leave the frozen JSON in the database.
        rows = report_queryset(self.request.user, access.place).defer("figures")
        kind = self.request.query_params.get("kind")
        if kind is not None:
            if kind not in SituationReport.Kind.values:
                raise serializers.ValidationError({"kind": [_("Choose one of the kinds offered.")]})
            rows = rows.filter(kind=kind)
        return rows

    @extend_schema(
        parameters=[OpenApiParameter("kind", str, enum=SituationReport.Kind.values)],
        responses={200: ReportSerializer(many=True), **ERRORS},
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class ReportDetail(APIView):
    """One lägesbild with its frozen figures (the figures core's JSON, version 1)."""

    required_scopes = {"GET": ApiScope.FIGURES_READ}

    @extend_schema(responses={200: ReportDetailSerializer, **ERRORS})
    def get(self, request, place_slug, pk):
        access = place_access(request.user, place_slug)
        report = get_object_or_404(report_queryset(request.user, access.place), pk=pk)
        return Response(ReportDetailSerializer(report).data)


class ReportPdf(APIView):
    """The lägesbild as PDF, the same document the report page downloads."""

    required_scopes = {"GET": ApiScope.FIGURES_READ}

    @extend_schema(responses={(200, "application/pdf"): OpenApiTypes.BINARY, **ERRORS})
    def get(self, request, place_slug, pk):
        from .views.reports import report_pdf_bytes

        access = place_access(request.user, place_slug)
        report = get_object_or_404(
            report_queryset(request.user, access.place), pk=pk, status=SituationReport.Status.READY
        )
        if not report.has_figures:
            raise Http404
        response = HttpResponse(
            report_pdf_bytes(report, access, request._request), content_type="application/pdf"
        )
        response["Content-Disposition"] = f'inline; filename="lagesbild-{report.pk}.pdf"'
        return response


__all__ = ["inline_serializer"]
