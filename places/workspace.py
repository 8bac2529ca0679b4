"""Small helpers shared by the workspace views."""

from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import patch_vary_headers

from .exports import csv_response  # noqa: F401  (the workspace views import it from here)


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


def map_config(place) -> dict:
    """What map.js needs about the place (rendered with json_script, read by the map)."""
    from .services import place_centre

    centre = place_centre(place)
    return {
        "dataUrl": reverse("places:action_item_map_data", kwargs={"slug": place.slug}),
        "centre": list(centre) if centre else None,
        "boundary": place.boundary,
    }
