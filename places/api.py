"""The place side of the API (issue #15): places and their boundaries, activities (read and
log), action items (JSON and GeoJSON), and the shared list view every app's lists use.

Objects are reached as on the pages (architecture §4): `place_access` for the place (an outsider's
token gets a 404, a role below the one needed a 403), then the app's scoped queryset.
"""

from django.db.models import OuterRef, Subquery
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import generics, renderers, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.api import FormData, form_data, form_invalid, idempotent, json_object
from accounts.api import money_as_strings as money_as_strings
from accounts.models import ApiScope
from amp_platform.replica import replica_reads

from . import services
from .access import place_access
from .filters import ActionItemFilter, ActivityFilter
from .forms import ActivityForm
from .models import ActionItem, Activity, ActivityKind, Place, PlaceRole

# --- Shared -------------------------------------------------------------------------------------

ErrorSerializer = inline_serializer(
    "Error",
    {
        "error": inline_serializer(
            "ErrorDetail",
            {
                "code": serializers.CharField(),
                "detail": serializers.CharField(),
                "fields": serializers.DictField(
                    child=serializers.ListField(child=serializers.CharField()), required=False
                ),
            },
        )
    },
)
CURSOR_PARAMETERS = [
    OpenApiParameter("cursor", str, description="The page's cursor, from `next` or `previous`."),
    OpenApiParameter("page_size", int, description="Rows per page, at most 200."),
]
ERRORS = dict.fromkeys((400, 401, 403, 404, 422, 429), ErrorSerializer)
GEOJSON_RESPONSE = inline_serializer(
    "FeatureCollection",
    {
        "type": serializers.CharField(),
        "features": serializers.ListField(child=serializers.DictField()),
        "next": serializers.CharField(allow_null=True),
        "previous": serializers.CharField(allow_null=True),
    },
)


class GeoJSONRenderer(renderers.JSONRenderer):
    media_type = "application/geo+json"
    format = "geojson"


def feature_collection(features) -> dict:
    return {"type": "FeatureCollection", "features": [f for f in features if f is not None]}


class PlaceScopedList(generics.GenericAPIView):
    """A paginated list of one place's rows: `place_access` first (404 for an outsider), then
    `filter_rows(access)` – a scoped queryset – one cursor page of it. A GeoJSON list puts the
    page's links beside its features (foreign members, allowed by RFC 7946)."""

    ordering = ("-id",)

    def get_renderers(self):
        if self.renderer_classes and self.renderer_classes[0] is GeoJSONRenderer:
            return [GeoJSONRenderer(), renderers.JSONRenderer()]
        return super().get_renderers()

    def filter_rows(self, access):
        raise NotImplementedError

    def page_body(self, rows):
        return self.get_serializer(rows, many=True).data

    def json_body(self) -> dict:
        return json_object(self.request)

    def get(self, request, place_slug, *args, **kwargs):
        access = place_access(request.user, place_slug)
        # The page of rows from the read replica when there is one (amp_platform/replica.py);
        # the access check above stays on the primary.
        with replica_reads(user=request.user):
            rows = self.paginate_queryset(self.filter_rows(access))
            body = self.page_body(rows)
        if isinstance(body, dict):
            body["next"] = self.paginator.get_next_link()
            body["previous"] = self.paginator.get_previous_link()
            return Response(body)
        return self.get_paginated_response(body)


# --- Places -------------------------------------------------------------------------------------


class PlaceSerializer(serializers.ModelSerializer):
    role = serializers.CharField(
        read_only=True, allow_null=True, help_text="The token owner's role at the place."
    )
    boundary_url = serializers.SerializerMethodField()

    class Meta:
        model = Place
        fields = [
            "id",
            "slug",
            "name",
            "kind",
            "municipality",
            "description",
            "centre_lat",
            "centre_lon",
            "is_active",
            "role",
            "boundary_url",
        ]

    def get_boundary_url(self, place) -> str:
        return reverse("api:place_boundary", kwargs={"place_slug": place.slug})


def places_of(user):
    role = PlaceRole.objects.filter(user=user, place=OuterRef("pk")).values("role")[:1]
    return Place.objects.visible_to(user).annotate(role=Subquery(role))


class PlaceList(generics.ListAPIView):
    """The places where the token's owner has a role (staff: all)."""

    serializer_class = PlaceSerializer
    required_scopes = {"GET": ApiScope.PLACES_READ}
    ordering = ("slug",)

    def get_queryset(self):
        return places_of(self.request.user)

    @extend_schema(responses={200: PlaceSerializer(many=True), **ERRORS})
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class PlaceDetail(APIView):
    required_scopes = {"GET": ApiScope.PLACES_READ}

    @extend_schema(responses={200: PlaceSerializer, **ERRORS})
    def get(self, request, place_slug):
        access = place_access(request.user, place_slug)
        place = places_of(request.user).get(pk=access.place.pk)
        return Response(PlaceSerializer(place).data)


class PlaceBoundary(APIView):
    """The place's boundary as a GeoJSON Feature (null geometry when none is drawn)."""

    required_scopes = {"GET": ApiScope.PLACES_READ}
    renderer_classes = [GeoJSONRenderer, renderers.JSONRenderer]

    @extend_schema(responses={200: OpenApiTypes.OBJECT, **ERRORS})
    def get(self, request, place_slug):
        place = place_access(request.user, place_slug).place
        return Response(
            {
                "type": "Feature",
                "id": place.slug,
                "geometry": place.boundary or None,
                "properties": {
                    "name": place.name,
                    "kind": place.kind,
                    "municipality": place.municipality,
                },
            }
        )


# --- Activities ---------------------------------------------------------------------------------


class KindSerializer(serializers.Serializer):
    code = serializers.CharField()
    name_sv = serializers.CharField()
    name_en = serializers.CharField()


class OrganisationRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class ActivitySerializer(serializers.ModelSerializer):
    place = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    kind = KindSerializer(read_only=True)
    organisations = OrganisationRefSerializer(many=True, read_only=True)

    class Meta:
        model = Activity
        fields = [
            "id",
            "place",
            "kind",
            "started_at",
            "duration_minutes",
            "participants_count",
            "organisations",
            "description",
            "location_note",
            "lat",
            "lon",
            "created_at",
            "updated_at",
        ]


class ActivityNotAPerson(serializers.Serializer):
    description = serializers.ListField(child=serializers.CharField(), required=False)
    location_note = serializers.ListField(child=serializers.CharField(), required=False)


class ActivityWriteSerializer(serializers.Serializer):
    kind = serializers.SlugField(help_text="An activity kind's code, e.g. `vaktrond`.")
    started_at = serializers.DateTimeField(help_text="ISO 8601 with offset.")
    duration_minutes = serializers.IntegerField(min_value=1, max_value=1440, required=False)
    participants_count = serializers.IntegerField(min_value=0, max_value=10000, required=False)
    organisations = serializers.ListField(
        child=serializers.IntegerField(), required=False, help_text="Organisation ids."
    )
    description = serializers.CharField(required=False, allow_blank=True, max_length=4000)
    location_note = serializers.CharField(required=False, allow_blank=True, max_length=200)
    lat = serializers.FloatField(required=False, allow_null=True, min_value=-90, max_value=90)
    lon = serializers.FloatField(required=False, allow_null=True, min_value=-180, max_value=180)
    not_a_person = ActivityNotAPerson(required=False)


ACTIVITY_WRITE_FIELDS = (
    "kind",
    "started_at",
    "duration_minutes",
    "participants_count",
    "organisations",
    "description",
    "location_note",
    "lat",
    "lon",
)


def _kind_pk(code: str):
    return (
        ActivityKind.objects.filter(code=code, is_active=True).values_list("pk", flat=True).first()
    )


def activity_queryset(user, place):
    return (
        Activity.objects.visible_to(user)
        .filter(place=place)
        .select_related("kind", "place")
        .prefetch_related("organisations")
    )


ACTIVITY_FILTERS = [
    OpenApiParameter("q", str),
    OpenApiParameter("kind", int, description="An activity kind's id."),
    OpenApiParameter("date_from", OpenApiTypes.DATE),
    OpenApiParameter("date_to", OpenApiTypes.DATE),
    OpenApiParameter("organisation", int),
]


class ActivityList(PlaceScopedList):
    """A place's activities, newest first; log one with POST (reporters and managers)."""

    serializer_class = ActivitySerializer
    required_scopes = {"GET": ApiScope.ACTIVITIES_READ, "POST": ApiScope.ACTIVITIES_WRITE}
    ordering = ("-started_at", "-id")

    def filter_rows(self, access):
        filterset = ActivityFilter(
            self.request.query_params,
            queryset=activity_queryset(self.request.user, access.place),
            place=access.place,
        )
        if not filterset.is_valid():
            raise form_invalid(filterset.form)
        return filterset.qs

    @extend_schema(
        parameters=ACTIVITY_FILTERS, responses={200: ActivitySerializer(many=True), **ERRORS}
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(
        request=ActivityWriteSerializer,
        responses={201: ActivitySerializer, **ERRORS},
        parameters=[OpenApiParameter("Idempotency-Key", str, OpenApiParameter.HEADER)],
    )
    def post(self, request, place_slug):
        access = place_access(request.user, place_slug, require="reporter")
        body = self.json_body()

        def create():
            data = FormData(
                form_data(
                    body,
                    fields=ACTIVITY_WRITE_FIELDS,
                    lists=("organisations",),
                    renames={"kind": _kind_pk},
                )
            )
            data.setdefault("duration_minutes", "60")
            data.setdefault("participants_count", "1")
            form = ActivityForm(data, place=access.place, actor=request.user)
            if not form.is_valid():
                raise form_invalid(form)
            activity = services.activity_create(
                place=access.place, actor=request.user, data=form.cleaned_data
            )
            activity = activity_queryset(request.user, access.place).get(pk=activity.pk)
            response = Response(ActivitySerializer(activity).data, status=201)
            response["Location"] = reverse(
                "api:activity", kwargs={"place_slug": access.place.slug, "pk": activity.pk}
            )
            return response

        return idempotent(request, create)


class ActivityDetail(APIView):
    required_scopes = {"GET": ApiScope.ACTIVITIES_READ}

    @extend_schema(responses={200: ActivitySerializer, **ERRORS})
    def get(self, request, place_slug, pk):
        access = place_access(request.user, place_slug)
        activity = get_object_or_404(activity_queryset(request.user, access.place), pk=pk)
        return Response(ActivitySerializer(activity).data)


# --- Action items -------------------------------------------------------------------------------


class ActionItemSerializer(serializers.ModelSerializer):
    place = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    responsible_organisation = OrganisationRefSerializer(read_only=True, allow_null=True)
    is_overdue = serializers.BooleanField(read_only=True)

    class Meta:
        model = ActionItem
        fields = [
            "id",
            "place",
            "category",
            "status",
            "description",
            "location_note",
            "lat",
            "lon",
            "responsible_organisation",
            "due_date",
            "resolved_at",
            "is_overdue",
            "created_at",
            "updated_at",
        ]


def action_item_queryset(user, place):
    return (
        ActionItem.objects.visible_to(user)
        .filter(place=place)
        .select_related("responsible_organisation", "place")
    )


ACTION_ITEM_FILTERS = [
    OpenApiParameter("status", str, enum=["unresolved", *ActionItem.Status.values]),
    OpenApiParameter("category", str, enum=ActionItem.Category.values),
    OpenApiParameter("responsible_organisation", int),
    OpenApiParameter("overdue", bool),
]


def filtered_action_items(request, place):
    filterset = ActionItemFilter(
        request.query_params, queryset=action_item_queryset(request.user, place), place=place
    )
    if not filterset.is_valid():
        raise form_invalid(filterset.form)
    return filterset.qs


class ActionItemList(PlaceScopedList):
    """A place's action items (åtgärdspunkter), newest first."""

    serializer_class = ActionItemSerializer
    required_scopes = {"GET": ApiScope.ACTION_ITEMS_READ}
    ordering = ("-created_at", "-id")

    def filter_rows(self, access):
        return filtered_action_items(self.request, access.place)

    @extend_schema(
        parameters=ACTION_ITEM_FILTERS, responses={200: ActionItemSerializer(many=True), **ERRORS}
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class ActionItemDetail(APIView):
    required_scopes = {"GET": ApiScope.ACTION_ITEMS_READ}

    @extend_schema(responses={200: ActionItemSerializer, **ERRORS})
    def get(self, request, place_slug, pk):
        access = place_access(request.user, place_slug)
        item = get_object_or_404(action_item_queryset(request.user, access.place), pk=pk)
        return Response(ActionItemSerializer(item).data)


def action_item_feature(item) -> dict:
    return {
        "type": "Feature",
        "id": item.pk,
        "geometry": {"type": "Point", "coordinates": [item.lon, item.lat]},
        "properties": {
            "category": item.category,
            "status": item.status,
            "description": item.description,
            "due_date": item.due_date.isoformat() if item.due_date else None,
            "created_at": timezone.localtime(item.created_at).isoformat(),
        },
    }


class ActionItemGeoJSON(PlaceScopedList):
    """The page of action items with a position as a GeoJSON FeatureCollection."""

    required_scopes = {"GET": ApiScope.ACTION_ITEMS_READ}
    renderer_classes = [GeoJSONRenderer]
    ordering = ("-created_at", "-id")

    def filter_rows(self, access):
        return filtered_action_items(self.request, access.place).filter(
            lat__isnull=False, lon__isnull=False
        )

    def page_body(self, rows):
        return feature_collection(action_item_feature(row) for row in rows)

    @extend_schema(
        parameters=[*ACTION_ITEM_FILTERS, *CURSOR_PARAMETERS],
        responses={200: GEOJSON_RESPONSE, **ERRORS},
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)
