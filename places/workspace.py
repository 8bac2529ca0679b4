"""Small helpers shared by the workspace views."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from .exports import csv_response  # noqa: F401  (the workspace views import it from here)


def wants_fragment(request, target: str) -> bool:
    """An htmx request aimed at `target` gets only that fragment; anything else (a reload, a
    history restore, no JavaScript) gets the full page at the same URL."""
    htmx = getattr(request, "htmx", None)
    return bool(htmx) and not htmx.history_restore_request and htmx.target == target


def shell_key(request, access=None) -> tuple:
    """What a page shell shows around its cached body (`amp_platform.shells`): the site header
    (the language, the path the language switch returns to, the person, the bell's count) and,
    with `access`, the place's header and tabs (the place and the person's role there)."""
    from .services.notifications import unread_count

    if getattr(request, "unread_notifications", None) is None:
        request.unread_notifications = unread_count(request.user)  # what the bell shows
    user = request.user
    key = (
        get_language(),
        request.get_full_path(),
        user.pk,
        user.is_staff,
        request.unread_notifications,
    )
    if access is None:
        return key
    place = access.place
    return (
        *key,
        access.role,
        access.is_manager,
        place.pk,
        place.slug,
        place.name,
        place.description,
        place.kind,
        place.municipality,
    )


def render_list(request, *, page_template, fragment_template, target, context):
    template = fragment_template if wants_fragment(request, target) else page_template
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request", "HX-Target"])
    return response


def refuse_bad_filter(request, filterset, list_url: str):
    """An export asked for with filters that do not hold (a date in year 9999, an unknown
    status): back to the list, which shows the field errors, instead of a file that silently
    ignores them. None when the filters are fine."""
    if not filterset.is_bound or filterset.is_valid():
        return None
    messages.error(request, _("Nothing was exported: correct the filters first."))
    return redirect(f"{list_url}?{request.GET.urlencode()}")


def map_config(place) -> dict:
    """What map.js needs about the place (rendered with json_script, read by the map)."""
    from .services import pin_rule, place_centre

    centre = place_centre(place)
    return {
        "dataUrl": reverse("places:action_item_map_data", kwargs={"place_slug": place.slug}),
        "centre": list(centre) if centre else None,
        "boundary": place.boundary,
        "pinRule": pin_rule(place),
    }
