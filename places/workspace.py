"""Small helpers shared by the workspace views."""

import csv
from collections.abc import Iterable, Iterator

from django.http import StreamingHttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.utils.cache import patch_vary_headers


def wants_fragment(request, target: str) -> bool:
    """An htmx request aimed at `target` gets only that fragment; anything else (a reload, a
    history restore, no JavaScript) gets the full page at the same URL."""
    htmx = getattr(request, "htmx", None)
    return bool(htmx) and not htmx.history_restore_request and htmx.target == target


def render_list(request, *, page_template, fragment_template, target, context):
    template = fragment_template if wants_fragment(request, target) else page_template
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request", "HX-Target"])
    return response


class _Echo:
    def write(self, value):
        return value


# Spreadsheet programs run cells that start with these as formulas (CSV injection).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _safe_cell(value):
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def csv_response(filename: str, header: list[str], rows: Iterable[list]) -> StreamingHttpResponse:
    """Stream a CSV file row by row (DESIGN §8: exports never load a whole table).

    UTF-8 with a byte-order mark and semicolons, which is what Excel in Sweden opens cleanly.
    """
    writer = csv.writer(_Echo(), delimiter=";")
    # Rows are produced after the view has returned; keep the request's language for them.
    language = translation.get_language()

    def generate() -> Iterator[str]:
        with translation.override(language):
            yield "\ufeff"
            yield writer.writerow([str(h) for h in header])
            for row in rows:
                yield writer.writerow([_safe_cell(cell) for cell in row])

    response = StreamingHttpResponse(generate(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


def map_config(place) -> dict:
    """What map.js needs about the place (rendered with json_script, read by the map)."""
    from .services import place_centre

    centre = place_centre(place)
    return {
        "dataUrl": reverse("places:action_item_map_data", kwargs={"slug": place.slug}),
        "centre": list(centre) if centre else None,
        "boundary": place.boundary,
    }
