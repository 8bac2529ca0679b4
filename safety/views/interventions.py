"""Interventions (insatser) of a place and their effect, and the import of sensors' visitor
counts (issue #18).

Readers see the list and each intervention's effect; managers record and edit them. Objects
come through `place_access` and the intervention's scoped queryset: another place's
intervention is a 404, a reader's attempt to record one a 403.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from places.access import place_access
from places.forms import add_service_errors

from ..effects import MIN_AREA_EVENTS, MIN_COMPARISON_EVENTS, intervention_effects
from ..forms import InterventionForm, SensorImportForm
from ..models import Intervention
from ..services import incidents as incident_services
from ..services.visitor_counts import import_sensor_counts


def _intervention(request, access, pk) -> Intervention:
    return get_object_or_404(
        Intervention.objects.visible_to(request.user), place=access.place, pk=pk
    )


@login_required
@require_GET
def intervention_list(request, place_slug):
    access = place_access(request.user, place_slug)
    interventions = list(
        Intervention.objects.visible_to(request.user)
        .filter(place=access.place)
        .order_by("-starts_on", "pk")
    )
    effects = intervention_effects(place=access.place, interventions=interventions)
    return render(
        request,
        "safety/interventions/list.html",
        {
            "place": access.place,
            "access": access,
            "active_tab": "interventions",
            "effects": effects,
        },
    )


@login_required
@require_GET
def intervention_detail(request, place_slug, pk):
    access = place_access(request.user, place_slug)
    intervention = _intervention(request, access, pk)
    (effect,) = intervention_effects(place=access.place, interventions=[intervention])
    return render(
        request,
        "safety/interventions/detail.html",
        {
            "place": access.place,
            "access": access,
            "active_tab": "interventions",
            "intervention": intervention,
            "effect": effect,
            "activities": intervention.activities.select_related("kind").order_by("-started_at"),
            "action_items": intervention.action_items.order_by("-created_at"),
            "min_area": MIN_AREA_EVENTS,
            "min_comparison": MIN_COMPARISON_EVENTS,
        },
    )


def _form_page(request, access, form, intervention=None):
    return render(
        request,
        "safety/interventions/form.html",
        {
            "place": access.place,
            "access": access,
            "active_tab": "interventions",
            "form": form,
            "intervention": intervention,
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def intervention_create(request, place_slug):
    access = place_access(request.user, place_slug, require="manager")
    form = InterventionForm(request.POST or None, place=access.place, actor=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            intervention = incident_services.intervention_save(form=form, actor=request.user)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The intervention is recorded."))
            return redirect(intervention.get_absolute_url())
    return _form_page(request, access, form)


@login_required
@require_http_methods(["GET", "POST"])
def intervention_edit(request, place_slug, pk):
    access = place_access(request.user, place_slug)
    intervention = _intervention(request, access, pk)
    access.require("manager")
    form = InterventionForm(
        request.POST or None, place=access.place, instance=intervention, actor=request.user
    )
    if request.method == "POST" and form.is_valid():
        try:
            intervention = incident_services.intervention_save(form=form, actor=request.user)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The intervention is saved."))
            return redirect(intervention.get_absolute_url())
    return _form_page(request, access, form, intervention)


# --- Sensor counts of visitors ------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def visitor_import(request, place_slug):
    """Managers import sensors' counts; all or nothing, with every row error listed."""
    access = place_access(request.user, place_slug, require="manager")
    form = SensorImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            result = import_sensor_counts(
                place=access.place,
                actor=request.user,
                data=upload.read(),
                filename=upload.name,
                minutes=form.cleaned_data["minutes"],
            )
        except ValidationError as error:
            form.add_error("file", error)
        else:
            if not result.error_count:
                messages.success(
                    request,
                    _("%(created)s counts imported, %(already)s were already there.")
                    % {"created": result.created, "already": result.already},
                )
                return redirect("places:visitor_list", place_slug=access.place.slug)
    return render(
        request,
        "safety/visitor_import.html",
        {
            "place": access.place,
            "access": access,
            "active_tab": "visitors",
            "form": form,
            "result": result,
        },
        status=400 if request.method == "POST" else 200,
    )
