"""Open311 GeoReport v2 for action items (issue #15): an Open311 client (FixMyStreet, a
municipality's fault-report system) lists the services, files a request and follows it.

Mapping (README "API" has the table):

- jurisdiction_id ↔ the place's slug (a token reaches the places where its owner has a role);
- service ↔ an action-item category (`belysning`, `klotter`, …);
- service request ↔ an action item: `service_request_id` its id, `status` open (open, in
  progress) or closed (resolved, won't fix), `status_notes` its status in words,
  `agency_responsible` the responsible organisation, `address` the location note, `lat`/`long`
  its position, `requested_datetime`/`updated_datetime` its created/updated times,
  `expected_datetime` the start of its due date.
- Filing (`POST requests`) creates an action item through the page's own form, as the token's
  owner (a reporter or manager at the place): the privacy screen applies. Open311's personal
  fields (`email`, `first_name`, `last_name`, `phone`, `device_id`, `account_id`) are read by no
  one and stored nowhere (architecture §6); `media_url` is never given, photos stay behind access.

The token goes in `Authorization: Bearer …` or as Open311's `api_key` parameter.
"""

import datetime as dt
from xml.etree import ElementTree

from django.db import transaction
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework import exceptions, parsers, renderers
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.api import FormData, TokenAuthentication, form_data, form_invalid
from accounts.bounds import Horizon, check_moment
from accounts.models import ApiScope

from . import services
from .access import place_access
from .forms import ActionItemForm
from .links import site_root
from .models import ActionItem, Place

OPEN = (ActionItem.Status.OPEN, ActionItem.Status.IN_PROGRESS)
MAX_REQUESTS = 200  # GeoReport v2: a list answers at most this many, newest first
OPEN311_NAMES = {"category": "service_code", "location_note": "address_string", "lon": "long"}


class Open311Authentication(TokenAuthentication):
    """The personal token as `Authorization: Bearer …`, or as Open311's `api_key`."""

    def authenticate(self, request):
        found = super().authenticate(request)
        if found is not None:
            return found
        key = request.query_params.get("api_key")
        if key is None and request.method == "POST" and hasattr(request, "POST"):
            key = request.POST.get("api_key")
        if not key:
            return None
        from accounts.tokens import api_token_authenticate

        token = api_token_authenticate(key)
        if token is None:
            raise exceptions.AuthenticationFailed(_("The token is not valid, expired or revoked."))
        return token.user, token


class Open311XMLRenderer(renderers.BaseRenderer):
    media_type = "text/xml"
    format = "xml"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        view = (renderer_context or {}).get("view")
        response = (renderer_context or {}).get("response")
        if response is not None and response.status_code >= 400:
            root_tag, item_tag = "errors", "error"
        else:
            root_tag, item_tag = getattr(view, "xml_tags", ("service_requests", "request"))
        root = ElementTree.Element(root_tag)
        for row in data or []:
            item = ElementTree.SubElement(root, item_tag)
            for key, value in row.items():
                child = ElementTree.SubElement(item, key)
                if isinstance(value, list):
                    for word in value:
                        ElementTree.SubElement(child, "keyword").text = str(word)
                elif value is not None:
                    child.text = str(value).lower() if isinstance(value, bool) else str(value)
        return ElementTree.tostring(root, encoding="utf-8", xml_declaration=True)


class Open311View(APIView):
    """Format by the address (`.json`, `.xml`), errors as Open311's `[{code, description}]`."""

    # GeoReport v2 is its own published specification: not part of the OpenAPI schema.
    schema = None
    authentication_classes = [Open311Authentication]
    renderer_classes = [renderers.JSONRenderer, Open311XMLRenderer]
    parser_classes = [parsers.FormParser, parsers.MultiPartParser, parsers.JSONParser]

    def perform_content_negotiation(self, request, force=False):
        fmt = self.kwargs.get("fmt", "json")
        renderer = Open311XMLRenderer() if fmt == "xml" else renderers.JSONRenderer()
        return renderer, renderer.media_type

    def handle_exception(self, exc):
        response = super().handle_exception(exc)
        error = (response.data or {}).get("error", {}) if isinstance(response.data, dict) else {}
        description = error.get("detail") or _("The request could not be answered.")
        fields = error.get("fields") or {}
        if fields:
            description = "; ".join(
                f"{field}: {' '.join(messages)}" for field, messages in fields.items()
            )
        response.data = [{"code": response.status_code, "description": description}]
        return response


def _service(code: str, label: str) -> dict:
    return {
        "service_code": code,
        "service_name": label,
        "description": label,
        "metadata": False,
        "type": "realtime",
        "keywords": [],
        "group": str(_("Action items")),
    }


class Services(Open311View):
    """GET services: the action-item categories."""

    required_scopes = {"GET": ApiScope.ACTION_ITEMS_READ}
    xml_tags = ("services", "service")

    def get(self, request, fmt="json"):
        slug = request.query_params.get("jurisdiction_id")
        if slug:
            place_access(request.user, slug)
        return Response([_service(code, str(label)) for code, label in ActionItem.Category.choices])


def _local(value):
    return timezone.localtime(value).isoformat() if value else None


def service_request(item: ActionItem) -> dict:
    expected = None
    if item.due_date:
        expected = dt.datetime.combine(
            item.due_date, dt.time.min, tzinfo=timezone.get_current_timezone()
        ).isoformat()
    return {
        "service_request_id": str(item.pk),
        "status": "open" if item.status in OPEN else "closed",
        "status_notes": str(item.get_status_display()),
        "service_name": str(item.get_category_display()),
        "service_code": item.category,
        "description": item.description,
        "agency_responsible": (
            item.responsible_organisation.name if item.responsible_organisation else None
        ),
        "service_notice": None,
        "requested_datetime": _local(item.created_at),
        "updated_datetime": _local(item.updated_at),
        "expected_datetime": expected,
        "address": item.location_note,
        "address_id": None,
        "zipcode": None,
        "lat": item.lat,
        "long": item.lon,
        "media_url": None,
        "jurisdiction_id": item.place.slug,
    }


def _moment(params, name):
    value = params.get(name)
    if value is None:
        return None
    try:
        moment = dt.datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
        check_moment(moment, Horizon.PLANNING)
    except (ValueError, TypeError, OverflowError) as error:
        raise exceptions.ValidationError(
            {name: [_("Give a date and time in ISO 8601.")]}
        ) from error
    except Exception as error:  # a ValidationError from the bounds
        raise exceptions.ValidationError({name: [str(m) for m in error.messages]}) from error
    return moment if timezone.is_aware(moment) else timezone.make_aware(moment)


def _visible_items(user):
    return ActionItem.objects.visible_to(user).select_related("responsible_organisation", "place")


class Requests(Open311View):
    """GET requests (the newest first, at most 200) and POST requests (file one)."""

    required_scopes = {"GET": ApiScope.ACTION_ITEMS_READ, "POST": ApiScope.ACTION_ITEMS_WRITE}

    def get(self, request, fmt="json"):
        params = request.query_params
        items = _visible_items(request.user)
        if slug := params.get("jurisdiction_id"):
            items = items.filter(place=place_access(request.user, slug).place)
        if ids := params.get("service_request_id"):
            wanted = [part.strip() for part in ids.split(",")]
            if not all(part.isdigit() and len(part) < 12 for part in wanted):
                raise exceptions.ValidationError({"service_request_id": [_("Give ids.")]})
            items = items.filter(pk__in=[int(part) for part in wanted])
        if code := params.get("service_code"):
            if code not in ActionItem.Category.values:
                raise exceptions.ValidationError({"service_code": [_("Not a known service.")]})
            items = items.filter(category=code)
        if status := params.get("status"):
            if status not in ("open", "closed"):
                raise exceptions.ValidationError({"status": [_("Give open or closed.")]})
            items = (
                items.filter(status__in=OPEN)
                if status == "open"
                else items.exclude(status__in=OPEN)
            )
        if start := _moment(params, "start_date"):
            items = items.filter(created_at__gte=start)
        if end := _moment(params, "end_date"):
            items = items.filter(created_at__lt=end)
        items = items.order_by("-created_at", "-pk")[:MAX_REQUESTS]
        return Response([service_request(item) for item in items])

    def post(self, request, fmt="json"):
        data = request.data
        if not isinstance(data, dict):  # a QueryDict is a dict too
            raise exceptions.ValidationError({"jurisdiction_id": [_("Send the request's fields.")]})
        slug = data.get("jurisdiction_id")
        if not isinstance(slug, str) or not slug or "\x00" in slug:
            raise exceptions.ValidationError({"jurisdiction_id": [_("Name the place.")]})
        if not Place.objects.filter(slug=slug).exists():
            raise exceptions.NotFound()
        access = place_access(request.user, slug, require="reporter")
        body = {
            "category": data.get("service_code"),
            "description": data.get("description"),
            "location_note": data.get("address_string"),
            "lat": data.get("lat"),
            "lon": data.get("long"),
        }
        body = {key: value for key, value in body.items() if value not in (None, "")}
        form = ActionItemForm(
            FormData(form_data(body, fields=tuple(body))),
            place=access.place,
            actor=request.user,
        )
        if not form.is_valid():
            # The errors under Open311's names for the fields.
            errors = form_invalid(form).detail
            raise exceptions.ValidationError(
                {OPEN311_NAMES.get(field, field): messages for field, messages in errors.items()}
            )
        with transaction.atomic():
            item = services.action_item_create(
                place=access.place,
                actor=request.user,
                data=form.cleaned_data,
                base_url=site_root(request._request),
            )
        response = Response(
            [{"service_request_id": str(item.pk), "service_notice": None, "account_id": None}],
            status=201,
        )
        response["Location"] = reverse("open311:request_json", kwargs={"pk": item.pk})
        return response


class RequestDetail(Open311View):
    """GET requests/{id}: one request, in a list as GeoReport v2 has it."""

    required_scopes = {"GET": ApiScope.ACTION_ITEMS_READ}

    def get(self, request, pk, fmt="json"):
        item = get_object_or_404(_visible_items(request.user), pk=pk)
        return Response([service_request(item)])
