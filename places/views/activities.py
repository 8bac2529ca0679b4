"""Activities: quick log from a phone, list with filters, detail, edit, delete, CSV export and
recording a walk's findings."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext
from django.views.decorators.http import require_GET, require_http_methods

from amp_platform.expressions import count_of

from .. import form_keys, offline, rules, services
from ..access import place_access
from ..filters import ActivityFilter
from ..forms import (
    MAX_FINDINGS,
    ActivityForm,
    add_service_errors,
    finding_formset,
    quick_finding_formset,
)
from ..links import site_root
from ..models import ActionItem, Activity, ActivityKind
from ..workspace import csv_response, map_config, refuse_bad_filter, render_list

PAGE_SIZE = 25


def _activities(user, place):
    return Activity.objects.visible_to(user).filter(place=place)


def _get_activity(request, access, pk):
    return get_object_or_404(
        _activities(request.user, access.place).select_related("kind", "logged_by"), pk=pk
    )


@login_required
@require_GET
def activity_list(request, place_slug):
    access = place_access(request.user, place_slug)
    queryset = (
        _activities(request.user, access.place)
        .select_related("kind", "logged_by")
        .prefetch_related("organisations")
        # A subquery per shown row, not a join grouped over every activity of the place: the
        # page reads 20 rows from the (place, started_at) index and the count stays a plain
        # count (issue #20).
        .annotate(findings_count=count_of(ActionItem.objects.all(), "source_activity"))
        .order_by("-started_at", "-pk")
    )
    activity_filter = ActivityFilter(request.GET or None, queryset=queryset, place=access.place)
    page = Paginator(activity_filter.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render_list(
        request,
        page_template="places/activity_list.html",
        fragment_template="places/partials/_activity_results.html",
        target="activity-results",
        context={
            "place": access.place,
            "access": access,
            "active_tab": "activities",
            "filter": activity_filter,
            "page_obj": page,
            "query": query.urlencode(),
            "can_create": rules.can_create(access),
        },
    )


def _walk_kind_ids(form) -> str:
    return " ".join(str(kind.pk) for kind in form.fields["kind"].queryset if kind.is_walk)


def _activity_initial(request, access) -> dict:
    """The quick log's defaults: the person's own organisation took part (their role at this
    place decides which), and `?kind=<code>` (the home's "Trygghetsvandring") picks the kind."""
    initial = {}
    if access.organisation_id:
        initial["organisations"] = [access.organisation_id]
    code = request.GET.get("kind", "")
    if code and len(code) <= 50 and "\x00" not in code:  # PostgreSQL refuses NUL bytes
        kind = ActivityKind.objects.filter(code=code, is_active=True).first()
        if kind:
            initial["kind"] = kind.pk
    return initial


@login_required
@require_http_methods(["GET", "POST"])
@offline.offline_page
def activity_create(request, place_slug):
    """Log an activity; a walk's findings may be written on the same form (issue #16), and a
    form queued offline arrives here with its `client_id` and gets a JSON answer."""
    access = place_access(request.user, place_slug, require="reporter")
    queued = offline.is_queue_request(request)
    client_id = offline.client_id_from(request)
    form = ActivityForm(
        request.POST or None,
        place=access.place,
        actor=request.user,
        initial=_activity_initial(request, access),
    )
    # The findings are optional: a form (or an API-like client) without them logs no findings.
    with_findings = "finding-TOTAL_FORMS" in request.POST
    findings = quick_finding_formset()(
        request.POST if with_findings else None,
        form_kwargs={"place": access.place, "actor": request.user},
        prefix="finding",
    )
    if request.method == "POST":
        if client_id and (existing := services.saved_before(Activity, client_id=client_id)):
            return _already_logged(request, place_slug, existing, queued)
        if form.is_valid() and (not with_findings or findings.is_valid()):
            rows = findings.findings() if with_findings else []
            if rows and not form.cleaned_data["kind"].is_walk:
                findings._non_form_errors = findings.error_class(
                    [_("Findings are recorded on a walk. Choose a walk, or empty the findings.")]
                )
            else:
                try:
                    activity = services.activity_create(
                        place=access.place,
                        actor=request.user,
                        data=form.cleaned_data,
                        form_key=form_keys.form_key_digest(request.POST.get(form_keys.FIELD)),
                        client_id=client_id,
                        findings=rows,
                        base_url=site_root(request),
                    )
                except form_keys.AlreadySaved as saved:
                    return _already_logged(request, place_slug, saved.existing, queued)
                except ValidationError as error:
                    add_service_errors(form, error)
                else:
                    return _logged(request, place_slug, activity, form, len(rows), queued)
        if queued:
            return offline.queue_refused(form, findings)
    elif queued:
        return offline.queue_refused(message=_("Send the form, not a page request."), status=405)
    return render(
        request,
        "places/activity_form.html",
        {
            "place": access.place,
            "access": access,
            "active_tab": "activities",
            "form": form,
            "findings": findings,
            "walk_kinds": _walk_kind_ids(form),
            "form_key": form_keys.form_key_for(request),
            "map_config": map_config(access.place),
        },
    )


def _logged(request, place_slug, activity, form, findings_count, queued):
    detail = reverse("places:activity_detail", kwargs={"place_slug": place_slug, "pk": activity.pk})
    if queued:
        return offline.queue_sent(url=detail, created=True)
    if form.position_warning:
        messages.warning(request, form.position_warning)
    messages.success(request, _("The activity was logged."))
    if findings_count:
        messages.success(
            request,
            ngettext(
                "%(count)d action item was recorded.",
                "%(count)d action items were recorded.",
                findings_count,
            )
            % {"count": findings_count},
        )
        return redirect(detail)
    if activity.kind.is_walk:
        return redirect("places:activity_findings", place_slug=place_slug, pk=activity.pk)
    return redirect("places:activity_list", place_slug=place_slug)


def _already_logged(request, place_slug, existing, queued):
    """A double click, a resent form or a queued form sent again: the first one logged it."""
    if existing.logged_by_id != request.user.pk or existing.place.slug != place_slug:
        if queued:
            return offline.queue_conflict()
        raise PermissionDenied
    detail = reverse("places:activity_detail", kwargs={"place_slug": place_slug, "pk": existing.pk})
    if queued:
        return offline.queue_sent(url=detail, created=False)
    messages.info(request, _("This activity was already logged."))
    if existing.kind.is_walk and not existing.action_items.exists():
        return redirect("places:activity_findings", place_slug=place_slug, pk=existing.pk)
    if existing.kind.is_walk:
        return redirect(detail)
    return redirect("places:activity_list", place_slug=place_slug)


@login_required
@require_GET
def activity_detail(request, place_slug, pk):
    access = place_access(request.user, place_slug)
    activity = _get_activity(request, access, pk)
    findings = list(
        ActionItem.objects.filter(source_activity=activity)
        .select_related("responsible_organisation")
        .order_by("pk")
    )
    return render(
        request,
        "places/activity_detail.html",
        {
            "place": access.place,
            "access": access,
            "active_tab": "activities",
            "activity": activity,
            "organisations": activity.organisations.all(),
            "findings": findings,
            "can_edit": rules.can_edit_activity(access, request.user, activity),
            "can_record_findings": rules.can_create(access),
            "map_config": map_config(access.place),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def activity_edit(request, place_slug, pk):
    access = place_access(request.user, place_slug)
    activity = _get_activity(request, access, pk)
    if not rules.can_edit_activity(access, request.user, activity):
        raise PermissionDenied
    form = ActivityForm(
        request.POST or None, instance=activity, place=access.place, actor=request.user
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.activity_update(
                activity=Activity.objects.get(pk=activity.pk),
                data=form.cleaned_data,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if form.position_warning:
                messages.warning(request, form.position_warning)
            messages.success(request, _("The activity was saved."))
            return redirect("places:activity_detail", place_slug=place_slug, pk=pk)
    return render(
        request,
        "places/activity_form.html",
        {
            "place": access.place,
            "access": access,
            "active_tab": "activities",
            "form": form,
            "activity": activity,
            "map_config": map_config(access.place),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def activity_delete(request, place_slug, pk):
    access = place_access(request.user, place_slug)
    activity = _get_activity(request, access, pk)
    if not rules.can_edit_activity(access, request.user, activity):
        raise PermissionDenied
    if request.method == "POST":
        services.activity_delete(activity=activity)
        messages.success(request, _("The activity was deleted."))
        return redirect("places:activity_list", place_slug=place_slug)
    return render(
        request,
        "places/activity_confirm_delete.html",
        {
            "place": access.place,
            "access": access,
            "active_tab": "activities",
            "activity": activity,
            "findings_count": activity.action_items.count(),
        },
    )


def _finding_rows(request) -> int:
    try:
        return max(1, min(int(request.GET.get("rows", 2)), MAX_FINDINGS))
    except ValueError:
        return 2


@login_required
@require_http_methods(["GET", "POST"])
def activity_findings(request, place_slug, pk):
    """Record several findings of a walk as action items in one go."""
    access = place_access(request.user, place_slug, require="reporter")
    activity = _get_activity(request, access, pk)
    formset = finding_formset(extra=_finding_rows(request))(
        request.POST or None,
        request.FILES or None,
        form_kwargs={"place": access.place, "actor": request.user},
        prefix="finding",
    )
    if request.method == "POST" and formset.is_valid():
        try:
            items = services.action_items_record_findings(
                activity=activity,
                actor=request.user,
                findings=formset.findings(),
                base_url=site_root(request),
            )
        except ValidationError as error:
            formset._non_form_errors = formset.error_class(error.messages)
        else:
            warnings = {form.position_warning for form in formset.forms if form.position_warning}
            for warning in warnings:
                messages.warning(request, warning)
            messages.success(
                request,
                ngettext(
                    "%(count)d action item was recorded.",
                    "%(count)d action items were recorded.",
                    len(items),
                )
                % {"count": len(items)},
            )
            return redirect("places:activity_detail", place_slug=place_slug, pk=activity.pk)
    return render(
        request,
        "places/activity_findings.html",
        {
            "place": access.place,
            "access": access,
            "active_tab": "activities",
            "activity": activity,
            "formset": formset,
            "more_rows": min(formset.total_form_count() + 1, MAX_FINDINGS),
        },
    )


@login_required
@require_GET
def activity_export(request, place_slug):
    """The filtered activity list as CSV, streamed."""
    access = place_access(request.user, place_slug)
    queryset = (
        _activities(request.user, access.place)
        .select_related("kind", "logged_by")
        .order_by("-started_at", "-pk")
    )
    activity_filter = ActivityFilter(request.GET or None, queryset=queryset, place=access.place)
    list_url = reverse("places:activity_list", kwargs={"place_slug": place_slug})
    if refused := refuse_bad_filter(request, activity_filter, list_url):
        return refused
    # iterator() with a prefetch runs one extra query per chunk, never per row.
    rows_qs = activity_filter.qs.prefetch_related(
        Prefetch("organisations", to_attr="organisation_list")
    )

    def rows():
        for activity in rows_qs.iterator(chunk_size=1000):
            started = timezone.localtime(activity.started_at)
            yield [
                started.strftime("%Y-%m-%d %H:%M"),
                activity.kind.name,
                activity.duration_minutes,
                activity.participants_count,
                ", ".join(org.name for org in activity.organisation_list),
                activity.description,
                activity.location_note,
                "" if activity.lat is None else f"{activity.lat:.6f}",
                "" if activity.lon is None else f"{activity.lon:.6f}",
                activity.logged_by.get_full_name() if activity.logged_by else "",
            ]

    header = [
        _("When"),
        _("Kind"),
        _("Duration (minutes)"),
        _("Participants"),
        _("Organisations"),
        pgettext("workspace", "Note"),
        _("Location"),
        _("Latitude"),
        _("Longitude"),
        _("Logged by"),
    ]
    filename = f"{access.place.slug}-activities-{timezone.localdate():%Y%m%d}.csv"
    return csv_response(filename, header, rows())
