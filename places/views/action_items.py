"""Action items (åtgärdspunkter): list with filters and map, detail with status history, create,
edit, status changes by the responsible organisation, the photo, map data and CSV export."""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from .. import offline, rules, services
from ..access import place_access
from ..filters import ActionItemFilter
from ..form_keys import AlreadySaved
from ..forms import ActionItemForm, StatusForm, add_service_errors
from ..links import site_root
from ..models import ActionItem, ActionItemStatusChange, Activity
from ..services import place_centre
from ..workspace import csv_response, map_config, refuse_bad_filter, render_list

PAGE_SIZE = 25
MAP_MARKER_LIMIT = 500
MAP_ACTIVITY_DAYS = 90


def _items(user, place):
    return ActionItem.objects.visible_to(user).filter(place=place)


def _get_item(request, access, pk):
    return get_object_or_404(
        _items(request.user, access.place).select_related(
            "responsible_organisation", "created_by", "source_activity__kind"
        ),
        pk=pk,
    )


def _filtered_items(request, access):
    queryset = (
        _items(request.user, access.place)
        .select_related("responsible_organisation")
        .order_by("status", "due_date", "-created_at", "pk")
    )
    return ActionItemFilter(request.GET or None, queryset=queryset, place=access.place)


@login_required
@require_GET
def action_item_list(request, place_slug):
    access = place_access(request.user, place_slug)
    item_filter = _filtered_items(request, access)
    page = Paginator(item_filter.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render_list(
        request,
        page_template="places/action_item_list.html",
        fragment_template="places/partials/_action_item_results.html",
        target="action-item-results",
        context={
            "place": access.place,
            "access": access,
            "active_tab": "action_items",
            "filter": item_filter,
            "page_obj": page,
            "query": query.urlencode(),
            "can_create": rules.can_create(access),
            "map_config": map_config(access.place),
        },
    )


@login_required
@require_GET
def action_item_map_data(request, place_slug):
    """Markers for the place map: action items (filtered like the list; open ones by default)
    and activities with a position from the last 90 days, plus the place boundary."""
    access = place_access(request.user, place_slug)
    place = access.place
    params = request.GET.copy()
    params.pop("page", None)
    if not params.get("status"):
        params["status"] = "unresolved"
    queryset = (
        _items(request.user, place)
        .filter(lat__isnull=False, lon__isnull=False)
        .order_by("due_date", "pk")
    )
    item_filter = ActionItemFilter(params, queryset=queryset, place=place)
    today = timezone.localdate()
    items = [
        {
            "type": "action_item",
            "id": item.pk,
            "lat": item.lat,
            "lon": item.lon,
            "title": item.get_category_display(),
            "text": item.description[:140],
            "status": item.get_status_display(),
            "overdue": item.is_overdue_on(today),
            "url": reverse(
                "places:action_item_detail", kwargs={"place_slug": place_slug, "pk": item.pk}
            ),
        }
        for item in item_filter.qs[:MAP_MARKER_LIMIT]
    ]
    since = timezone.now() - dt.timedelta(days=MAP_ACTIVITY_DAYS)
    activities = [
        {
            "type": "activity",
            "id": activity.pk,
            "lat": activity.lat,
            "lon": activity.lon,
            "title": activity.kind.name,
            "text": timezone.localtime(activity.started_at).strftime("%Y-%m-%d %H:%M"),
            "url": reverse(
                "places:activity_detail", kwargs={"place_slug": place_slug, "pk": activity.pk}
            ),
        }
        for activity in Activity.objects.visible_to(request.user)
        .filter(place=place, started_at__gte=since, lat__isnull=False, lon__isnull=False)
        .select_related("kind")
        .order_by("-started_at")[:MAP_MARKER_LIMIT]
    ]
    centre = place_centre(place)
    response = JsonResponse(
        {
            "place": place.name,
            "centre": list(centre) if centre else None,
            "boundary": place.boundary,
            "action_items": items,
            "activities": activities,
        }
    )
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def action_item_create(request, place_slug):
    access = place_access(request.user, place_slug, require="reporter")
    form = ActionItemForm(
        request.POST or None,
        request.FILES or None,
        place=access.place,
        actor=request.user,
        can_publish=access.is_manager,
    )
    if request.method == "POST" and form.is_valid():
        try:
            item = services.action_item_create(
                place=access.place,
                actor=request.user,
                data=form.cleaned_data,
                photo=form.cleaned_data.get("photo"),
                base_url=site_root(request),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if form.position_warning:
                messages.warning(request, form.position_warning)
            messages.success(request, _("The action item was recorded."))
            return redirect("places:action_item_detail", place_slug=place_slug, pk=item.pk)
    return render(
        request,
        "places/action_item_form.html",
        {
            "place": access.place,
            "access": access,
            "active_tab": "action_items",
            "form": form,
            "map_config": map_config(access.place),
        },
    )


def _detail_context(request, access, item, status_form=None):
    can_change_status = rules.can_change_status(access, item)
    if status_form is None and can_change_status:
        status_form = StatusForm(item=item)
    return {
        "place": access.place,
        "access": access,
        "active_tab": "action_items",
        "item": item,
        "history": item.status_changes.select_related("changed_by").order_by("-changed_at"),
        "can_edit": rules.can_edit_action_item(access, request.user, item),
        "can_change_status": can_change_status,
        "status_form": status_form,
        "map_config": map_config(access.place) if item.lat is not None else None,
    }


@login_required
@require_GET
def action_item_detail(request, place_slug, pk):
    access = place_access(request.user, place_slug)
    item = _get_item(request, access, pk)
    response = render(
        request, "places/action_item_detail.html", _detail_context(request, access, item)
    )
    if (
        access.organisation_id
        and item.responsible_organisation_id == access.organisation_id
        and not item.photo
    ):
        # One of the person's own organisation's items: kept on the phone so its status can be
        # changed offline (issue #16). Others' items and photos never are.
        offline.mark_offline(response)
    return response


@login_required
@require_http_methods(["GET", "POST"])
def action_item_edit(request, place_slug, pk):
    access = place_access(request.user, place_slug)
    item = _get_item(request, access, pk)
    if not rules.can_edit_action_item(access, request.user, item):
        raise PermissionDenied
    form = ActionItemForm(
        request.POST or None,
        request.FILES or None,
        instance=item,
        place=access.place,
        actor=request.user,
        can_publish=access.is_manager,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.action_item_update(
                item=ActionItem.objects.get(pk=item.pk),
                data=form.cleaned_data,
                photo=form.cleaned_data.get("photo"),
                remove_photo=form.cleaned_data.get("remove_photo", False),
                base_url=site_root(request),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if form.position_warning:
                messages.warning(request, form.position_warning)
            messages.success(request, _("The action item was saved."))
            return redirect("places:action_item_detail", place_slug=place_slug, pk=pk)
    return render(
        request,
        "places/action_item_form.html",
        {
            "place": access.place,
            "access": access,
            "active_tab": "action_items",
            "form": form,
            "item": item,
            "map_config": map_config(access.place),
        },
    )


def _status_already_saved(request, existing, item, queued, detail):
    """A queued status change sent again: the first send recorded it."""
    if existing.changed_by_id != request.user.pk or existing.action_item_id != item.pk:
        if queued:
            return offline.queue_conflict()
        raise PermissionDenied
    if queued:
        return offline.queue_sent(url=detail, created=False)
    return redirect(detail)


@login_required
@require_POST
def action_item_status(request, place_slug, pk):
    access = place_access(request.user, place_slug)
    item = _get_item(request, access, pk)
    if not rules.can_change_status(access, item):
        raise PermissionDenied
    queued = offline.is_queue_request(request)
    client_id = offline.client_id_from(request)
    detail = reverse("places:action_item_detail", kwargs={"place_slug": place_slug, "pk": pk})
    form = StatusForm(request.POST, item=item, actor=request.user)
    if client_id and (
        existing := services.saved_before(ActionItemStatusChange, client_id=client_id)
    ):
        return _status_already_saved(request, existing, item, queued, detail)
    if form.is_valid():
        try:
            services.action_item_set_status(
                item=item,
                actor=request.user,
                status=form.cleaned_data["status"],
                note=form.cleaned_data["note"],
                client_id=client_id,
            )
        except AlreadySaved as saved:
            return _status_already_saved(request, saved.existing, item, queued, detail)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if queued:
                return offline.queue_sent(url=detail, created=True)
            messages.success(
                request,
                _("The status is now “%(status)s”.") % {"status": item.get_status_display()},
            )
            return redirect(detail)
    if queued:
        return offline.queue_refused(form)
    context = _detail_context(request, access, item, status_form=form)
    return render(request, "places/action_item_detail.html", context, status=400)


@login_required
@require_GET
def action_item_photo(request, place_slug, pk):
    """The photo, served only to people who may see the action item (never a public URL)."""
    access = place_access(request.user, place_slug)
    item = _get_item(request, access, pk)
    if not item.photo:
        raise Http404
    try:
        handle = item.photo.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(handle, content_type="image/jpeg")
    response["Cache-Control"] = "private, max-age=3600"
    return response


@login_required
@require_GET
def action_item_export(request, place_slug):
    """The filtered action item list as CSV, streamed."""
    access = place_access(request.user, place_slug)
    item_filter = _filtered_items(request, access)
    list_url = reverse("places:action_item_list", kwargs={"place_slug": place_slug})
    if refused := refuse_bad_filter(request, item_filter, list_url):
        return refused

    def rows():
        for item in item_filter.qs.iterator(chunk_size=1000):
            yield [
                item.pk,
                item.get_category_display(),
                item.get_status_display(),
                item.description,
                item.location_note,
                item.responsible_organisation.name if item.responsible_organisation else "",
                item.due_date.isoformat() if item.due_date else "",
                _("yes") if item.is_overdue else "",
                timezone.localtime(item.created_at).strftime("%Y-%m-%d"),
                timezone.localtime(item.resolved_at).strftime("%Y-%m-%d")
                if item.resolved_at
                else "",
                "" if item.lat is None else f"{item.lat:.6f}",
                "" if item.lon is None else f"{item.lon:.6f}",
            ]

    header = [
        _("Number"),
        _("Category"),
        _("Status"),
        _("Description"),
        _("Location"),
        _("Responsible organisation"),
        _("Due date"),
        _("Overdue"),
        _("Created"),
        _("Resolved"),
        _("Latitude"),
        _("Longitude"),
    ]
    filename = f"{access.place.slug}-action-items-{timezone.localdate():%Y%m%d}.csv"
    return csv_response(filename, header, rows())
