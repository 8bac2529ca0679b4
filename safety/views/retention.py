"""For managers: when the place's free text is cleared (architecture §6)."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from places.access import place_access
from places.models import FreeTextClearance

from ..services.retention import free_text_due

# --- Retention ----------------------------------------------------------------------------


@login_required
@require_GET
def place_retention(request, place_slug):
    """For managers: when the place's free text is cleared, and what goes within 30 days."""
    access = place_access(request.user, place_slug, require="manager")
    due = free_text_due(place=access.place)
    labels = {
        "incidents": _("Incidents"),
        "activities": _("Activities"),
        "action_items": _("Closed action items"),
        "status_notes": _("Notes on status changes"),
        "tips": _("Closed tips from the public"),
    }
    rows = [{"label": labels[kind], **values} for kind, values in due["kinds"].items()]
    return render(
        request,
        "safety/retention.html",
        {
            "place": access.place,
            "access": access,
            "active_tab": None,
            "due": due,
            "rows": rows,
            "last_run": FreeTextClearance.objects.filter(
                task="safety.clear_expired_free_text"
            ).first(),
        },
    )
