"""The admin's small form helpers, shared by the other apps' admin modules: pretty-printed JSON,
the boundary field with its map widget, a read-only JSON display."""

import copy
import json

from django import forms
from django.conf import settings
from django.db import models
from django.forms.fields import InvalidJSONInput
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _


def format_json(value, encoder=None, _level=0) -> str:
    """Indented JSON with lists of numbers kept on one line, so a GeoJSON ring reads as one
    `[lon, lat]` position per line instead of three lines per position."""

    def dumps(item):
        return json.dumps(item, ensure_ascii=False, cls=encoder)

    pad, inner = "  " * _level, "  " * (_level + 1)
    if isinstance(value, dict) and value:
        items = [
            f"{inner}{dumps(str(k))}: {format_json(v, encoder, _level + 1)}"
            for k, v in value.items()
        ]
        return "{\n" + ",\n".join(items) + f"\n{pad}}}"
    if isinstance(value, list) and value:
        if all(isinstance(v, int | float) and not isinstance(v, bool) for v in value):
            return "[" + ", ".join(dumps(v) for v in value) + "]"
        items = [f"{inner}{format_json(v, encoder, _level + 1)}" for v in value]
        return "[\n" + ",\n".join(items) + f"\n{pad}]"
    return dumps(value)


class PrettyJSONField(forms.JSONField):
    """A JSON textarea that shows its value indented, so admins can read and edit it.

    `empty_json` is what an emptied textarea saves: None only where the column allows NULL,
    otherwise the model field's default ([] or {}), so clearing it never breaks a NOT NULL.
    """

    def __init__(self, *, empty_json=None, **kwargs):
        super().__init__(**kwargs)
        self.empty_json = empty_json

    def prepare_value(self, value):
        if isinstance(value, InvalidJSONInput):
            return value
        if value is None:
            return ""  # an empty textarea, not the word "null"
        return format_json(value, self.encoder)

    def to_python(self, value):
        value = super().to_python(value)
        if value is None:
            return copy.deepcopy(self.empty_json)
        return value


class PrettyJSONMixin:
    """For ModelAdmins and inlines: every JSON field as an indented, NULL-safe textarea."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if isinstance(db_field, models.JSONField) and "form_class" not in kwargs:
            kwargs.setdefault("form_class", PrettyJSONField)
            kwargs.setdefault(
                "widget", forms.Textarea(attrs={"rows": 6, "class": "vLargeTextField json-text"})
            )
            if issubclass(kwargs["form_class"], PrettyJSONField):
                kwargs.setdefault("empty_json", None if db_field.null else db_field.get_default())
        return super().formfield_for_dbfield(db_field, request, **kwargs)


class BoundaryWidget(forms.Textarea):
    """The GeoJSON textarea, enhanced by static/js/admin_boundary.js into a Leaflet map.

    Without JavaScript it stays a plain textarea; the script builds the map next to it and
    takes its settings and labels from data- attributes (CSP forbids inline script).
    """

    class Media:
        css = {"all": ["vendor/leaflet-1.9.4/leaflet.css", "css/admin_boundary.css"]}
        js = ["vendor/leaflet-1.9.4/leaflet.js", "js/admin_boundary.js"]

    def __init__(self, attrs=None):
        defaults = {
            "rows": 10,
            "class": "vLargeTextField boundary-geojson",
            "spellcheck": "false",
            "data-boundary-map": "",
            "data-label-map": _("Map of the boundary"),
            "data-label-draw": _("Draw a new boundary"),
            "data-label-finish": _("Finish the boundary"),
            "data-label-undo": _("Undo last corner"),
            "data-label-cancel": _("Cancel drawing"),
            "data-label-clear": _("Remove the boundary"),
            "data-label-drawing": _(
                "Click on the map to place the corners, then finish. At least three corners."
            ),
            "data-label-invalid": _("The text is not a GeoJSON polygon the map can show."),
        }
        super().__init__({**defaults, **(attrs or {})})

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        # Read at render time so a changed setting (or test override) applies.
        context["widget"]["attrs"]["data-tile-url"] = settings.MAP_TILE_URL
        context["widget"]["attrs"]["data-tile-attribution"] = settings.MAP_TILE_ATTRIBUTION
        return context


class BoundaryFormField(PrettyJSONField):
    """GeoJSON boundary input. The model validator (places.geo.validate_boundary) does the
    geometry checks; here we give a clear message for text that is not JSON at all and accept
    what drawing tools export (a Feature, or a FeatureCollection with one feature)."""

    default_error_messages = {"invalid": _("The boundary is not valid JSON.")}
    widget = BoundaryWidget

    def __init__(self, **kwargs):
        kwargs["widget"] = BoundaryWidget
        super().__init__(**kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        if isinstance(value, dict) and value.get("type") == "FeatureCollection":
            features = value.get("features")
            if isinstance(features, list) and len(features) == 1:
                value = features[0]
        if isinstance(value, dict) and value.get("type") == "Feature":
            value = value.get("geometry")
        return value


def pretty_json(value, *, label):
    """Read-only display of a JSON value, indented. It scrolls when long, so it is a named,
    focusable region: keyboard users can scroll it too (WCAG 2.1.1)."""
    if value in (None, "", {}, []):
        return "–"
    return format_html(
        '<pre class="json-readonly" tabindex="0" role="region" aria-label="{}">{}</pre>',
        label,
        format_json(value),
    )
