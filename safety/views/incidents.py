"""Incidents of a place and their import.

Every view starts from `place_access` and the scoped querysets (architecture §4): an outsider gets a
404, a role that may see but not act a 403; restricted incidents are a 404 for those who may not
see their details.
"""

from pathlib import Path

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.models import Organisation
from partnerships.models import Membership
from places import offline
from places.access import place_access
from places.exports import csv_response
from places.form_keys import FIELD as FORM_KEY_FIELD
from places.form_keys import AlreadySaved, form_key_digest, form_key_for
from places.forms import add_service_errors
from places.models import PlaceRole
from places.services import saved_before
from places.workspace import map_config, render_list

from ..filters import IncidentFilter
from ..forms import IncidentForm, MappingForm, UploadForm, ValueMappingForm
from ..models import Incident, IncidentImport
from ..services import imports
from ..services import incidents as incident_services

INCIDENTS_PER_PAGE = 50
MAP_SAMPLE_ROWS = 3


# --- Incidents ----------------------------------------------------------------------------


def _can_edit(access, incident, user) -> bool:
    """The author (still a reporter here) or a manager may edit an incident."""
    return access.is_manager or (access.is_reporter and incident.reported_by_id == user.pk)


@login_required
@require_GET
def incident_list(request, place_slug):
    access = place_access(request.user, place_slug)
    incidents = (
        Incident.objects.visible_at(access, request.user)
        .select_related("category", "reporting_organisation")
        .order_by("-occurred_at", "-pk")
    )
    filterset = IncidentFilter(request.GET or None, queryset=incidents, place=access.place)
    page = Paginator(filterset.qs, INCIDENTS_PER_PAGE).get_page(request.GET.get("page"))
    imported_from = (
        filterset.form.cleaned_data.get("source_import")
        if filterset.is_bound and filterset.form.is_valid()
        else None
    )
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "place": access.place,
        "access": access,
        "active_tab": "incidents",
        "filter": filterset,
        "page": page,
        "query": query.urlencode(),
        "sees_restricted": access.sees_restricted_incidents,
        "imported_from": imported_from,
    }
    return render_list(
        request,
        page_template="safety/incident_list.html",
        fragment_template="safety/partials/_incident_results.html",
        target="incident-results",
        context=context,
    )


@login_required
@require_http_methods(["GET", "POST"])
@offline.offline_page
def incident_create(request, place_slug):
    """Log an incident. A form queued offline (issue #16) arrives with its `client_id` and
    gets a JSON answer: saved (now or before), or refused with the errors to fix."""
    access = place_access(request.user, place_slug, require="reporter")
    queued = offline.is_queue_request(request)
    client_id = offline.client_id_from(request)
    form = IncidentForm(request.POST or None, actor=request.user)
    if request.method == "POST":
        if client_id and (existing := saved_before(Incident, client_id=client_id)):
            return _already_logged(request, existing, queued)
        if form.is_valid():
            try:
                incident = incident_services.incident_create(
                    place=access.place,
                    actor=request.user,
                    data=form.cleaned_data,
                    form_key=form_key_digest(request.POST.get(FORM_KEY_FIELD)),
                    client_id=client_id,
                )
            except AlreadySaved as saved:
                return _already_logged(request, saved.existing, queued)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                if queued:
                    return offline.queue_sent(url=incident.get_absolute_url(), created=True)
                messages.success(request, _("The incident is logged. Thank you."))
                return redirect(incident.get_absolute_url())
        if queued:
            return offline.queue_refused(form)
    elif queued:
        return offline.queue_refused(message=_("Send the form, not a page request."), status=405)
    return render(
        request,
        "safety/incident_form.html",
        {
            "place": access.place,
            "access": access,
            "active_tab": "incidents",
            "form": form,
            "form_key": form_key_for(request),
            "map_config": map_config(access.place),
        },
    )


def _already_logged(request, existing, queued):
    """A double click, a resent form or a queued form sent again: the first one saved it."""
    if existing.reported_by_id != request.user.pk:
        if queued:
            return offline.queue_conflict()
        raise PermissionDenied
    if queued:
        return offline.queue_sent(url=existing.get_absolute_url(), created=False)
    messages.info(request, _("This incident was already logged; here it is."))
    return redirect(existing.get_absolute_url())


def _visible_incident(request, access, pk) -> Incident:
    return get_object_or_404(
        Incident.objects.visible_to(request.user).select_related(
            "category", "reporting_organisation", "reported_by", "place"
        ),
        place=access.place,
        pk=pk,
    )


@login_required
@require_GET
def incident_detail(request, place_slug, pk):
    access = place_access(request.user, place_slug)
    incident = _visible_incident(request, access, pk)
    return render(
        request,
        "safety/incident_detail.html",
        {
            "place": access.place,
            "access": access,
            "active_tab": "incidents",
            "incident": incident,
            "can_edit": _can_edit(access, incident, request.user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def incident_edit(request, place_slug, pk):
    access = place_access(request.user, place_slug)
    incident = _visible_incident(request, access, pk)
    if not _can_edit(access, incident, request.user):
        raise PermissionDenied
    form = IncidentForm(request.POST or None, instance=incident, actor=request.user)
    if request.method == "POST" and form.is_valid():
        incident_services.incident_update(incident=incident, data=form.cleaned_data)
        messages.success(request, _("The incident is saved."))
        return redirect(incident.get_absolute_url())
    return render(
        request,
        "safety/incident_form.html",
        {
            "place": access.place,
            "access": access,
            "active_tab": "incidents",
            "form": form,
            "incident": incident,
        },
    )


# --- Import -------------------------------------------------------------------------------


def _import_organisations(place):
    """Organisations that may have reported at the place: its roles' and its members'."""
    return Organisation.objects.filter(
        Q(pk__in=PlaceRole.objects.filter(place=place).values("organisation"))
        | Q(pk__in=Membership.objects.filter(place=place).values("organisation"))
    ).order_by("name")


@login_required
@require_http_methods(["GET", "POST"])
def incident_import(request, place_slug):
    access = place_access(request.user, place_slug, require="manager")
    organisations = _import_organisations(access.place)
    recent = list(
        IncidentImport.objects.filter(place=access.place)
        .select_related("organisation", "uploaded_by")
        .defer("content")[:10]
    )
    # Re-uploading keeps the organisation chosen last time (this manager's last file here).
    last = next((item for item in recent if item.uploaded_by_id == request.user.pk), None)
    form = UploadForm(
        request.POST or None,
        request.FILES or None,
        organisations=organisations,
        initial={"organisation": last.organisation_id} if last else None,
    )
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            stored = imports.incident_import_upload(
                place=access.place,
                actor=request.user,
                organisation=form.cleaned_data["organisation"],
                filename=Path(upload.name).name,
                data=upload.read(),
            )
        except imports.ImportFileError as exc:
            form.add_error("file", str(exc))
        else:
            if imports.mapping_is_remembered(stored):
                # The organisation's columns are known: no question, straight to the check.
                imports.incident_import_request_check(upload=stored, language=get_language())
                return redirect(
                    "safety:incident_import_preview", place_slug=access.place.slug, pk=stored.pk
                )
            return redirect(
                "safety:incident_import_map", place_slug=access.place.slug, pk=stored.pk
            )
    return render(
        request,
        "safety/import_upload.html",
        {
            "place": access.place,
            "access": access,
            "active_tab": "incidents",
            "form": form,
            "recent": recent,
        },
    )


def _pending_upload(access, pk) -> IncidentImport:
    return get_object_or_404(
        IncidentImport.objects.select_related("organisation", "place"),
        place=access.place,
        pk=pk,
        status__in=[IncidentImport.Status.UPLOADED, IncidentImport.Status.CHECKED],
    )


@login_required
@require_http_methods(["GET", "POST"])
def incident_import_map(request, place_slug, pk):
    access = place_access(request.user, place_slug, require="manager")
    upload = _pending_upload(access, pk)
    try:
        table = imports.read_table(
            bytes(upload.content), upload.filename, sample_rows=MAP_SAMPLE_ROWS
        )
    except imports.ImportFileError as exc:
        messages.error(request, str(exc))
        return redirect("safety:incident_import", place_slug=access.place.slug)
    form = MappingForm(request.POST or None, headers=table.headers, initial_mapping=upload.mapping)
    if request.method == "POST" and form.is_valid():
        imports.incident_import_set_mapping(upload=upload, mapping=form.mapping())
        # Every row is checked in the background; the next page shows the progress.
        imports.incident_import_request_check(upload=upload, language=get_language())
        return redirect(
            "safety:incident_import_preview", place_slug=access.place.slug, pk=upload.pk
        )
    return render(
        request,
        "safety/import_map.html",
        {
            "place": access.place,
            "access": access,
            "active_tab": "incidents",
            "upload": upload,
            "form": form,
            "headers": table.headers,
            "samples": [cells for _n, cells in table.rows],
            "rows": upload.rows_total,
        },
    )


def _imported_message(request, upload) -> None:
    result = upload.result or {}
    refused = result.get("imported_error_rows") or 0
    skipped = upload.rows_skipped - refused
    messages.success(
        request,
        _("%(created)s incidents imported from %(file)s; %(skipped)s rows were already imported.")
        % {"created": upload.rows_created, "file": upload.filename, "skipped": skipped},
    )
    if refused:
        messages.warning(
            request,
            ngettext(
                "%(count)s row with errors was left out.",
                "%(count)s rows with errors were left out.",
                refused,
            )
            % {"count": refused},
        )
    if result.get("known_refs"):
        messages.info(
            request,
            _("Cases already imported, skipped: %(refs)s.")
            % {"refs": ", ".join(result["known_refs"])},
        )


def _preview_rows(result: dict) -> list[dict]:
    """The stored preview rows with their category and times, ready for the template."""
    import datetime as dt

    from ..models import IncidentCategory

    rows = result.get("preview") or []
    categories = IncidentCategory.objects.in_bulk({row["category_id"] for row in rows})
    severities = dict(Incident.Severity.choices)
    return [
        {
            "occurred_at": dt.datetime.fromisoformat(row["occurred_at"]),
            "category": categories.get(row["category_id"]),
            "severity": severities.get(row["severity"], row["severity"]),
            "location_note": row["location_note"],
            "description": row["description"],
        }
        for row in rows
    ]


@login_required
@require_http_methods(["GET", "POST"])
def incident_import_preview(request, place_slug, pk):
    """Check and import: the progress of the background check, its result with the row
    errors or the first rows, and the button that imports them (also in the background)."""
    access = place_access(request.user, place_slug, require="manager")
    upload = get_object_or_404(
        IncidentImport.objects.select_related("organisation", "place").defer("content"),
        place=access.place,
        pk=pk,
    )
    Status = IncidentImport.Status
    if request.method == "POST":
        if upload.status != Status.CHECKED:
            raise Http404  # imported or importing already: a double submit changes nothing
        names_confirmed = request.POST.get("not_a_person") == "1"
        valid_only = request.POST.get("valid_only") == "1"
        if (upload.result or {}).get("names") and not names_confirmed:
            messages.error(
                request,
                _(
                    "Nothing was imported: confirm that the words listed are not people, "
                    "or correct the file."
                ),
            )
            return redirect(request.path)
        if imports.incident_import_request_confirm(
            upload=upload,
            actor=request.user,
            names_confirmed=names_confirmed,
            valid_only=valid_only,
        ):
            if upload.status == Status.IMPORTED:  # done at once (tasks run in-process)
                _imported_message(request, upload)
                return redirect(_imported_url(access.place, upload))
        else:
            messages.error(request, _("Nothing was imported: some rows have errors."))
        return redirect(request.path)
    if upload.status == Status.UPLOADED:
        if not all(upload.mapping.get(name) for name in imports.REQUIRED_FIELDS):
            return redirect(
                "safety:incident_import_map", place_slug=access.place.slug, pk=upload.pk
            )
        if upload.error:  # the check could not read the file
            messages.error(request, upload.error)
            return redirect("safety:incident_import", place_slug=access.place.slug)
        imports.incident_import_request_check(upload=upload, language=get_language())
    if upload.status == Status.IMPORTED and not request.htmx:
        _imported_message(request, upload)
        return redirect(_imported_url(access.place, upload))
    running = upload.status in (Status.CHECKING, Status.IMPORTING)
    if request.htmx:
        if running:
            return render(
                request,
                "safety/partials/_import_progress.html",
                {"place": access.place, "upload": upload, **_progress(upload)},
            )
        response = HttpResponse(status=204)
        if upload.status == Status.IMPORTED:
            _imported_message(request, upload)
            response["HX-Redirect"] = _imported_url(access.place, upload)
        else:
            response["HX-Refresh"] = "true"
        return response
    result = upload.result or {}
    return render(
        request,
        "safety/import_preview.html",
        {
            "place": access.place,
            "access": access,
            "active_tab": "incidents",
            "upload": upload,
            "running": running,
            "result": result,
            "preview": _preview_rows(result) if upload.status == Status.CHECKED else [],
            "value_form": _value_form(upload, result) if upload.status == Status.CHECKED else None,
            "mapped_words": _mapped_words(upload),
            **_progress(upload),
        },
    )


def _mapped_words(upload) -> list[tuple[str, str]]:
    """The file's words this upload maps to our categories (the organisation's earlier
    choices), so the manager sees what "Snatteri" becomes before importing."""
    from ..models import IncidentCategory

    words = (upload.values or {}).get("category") or {}
    if not words:
        return []
    names = {c.code: c.name for c in IncidentCategory.objects.filter(code__in=words.values())}
    return [(word, names[code]) for word, code in sorted(words.items()) if code in names]


def _imported_url(place, upload) -> str:
    """The incident list showing exactly the incidents of this import."""
    url = reverse("safety:incident_list", kwargs={"place_slug": place.slug})
    return f"{url}?source_import={upload.pk}"


def _value_form(upload, result: dict, data=None):
    words = [word for word, _count in (result.get("unknown") or {}).get("category") or []]
    if not words:
        return None
    return ValueMappingForm(data, words=words, counts=dict(result["unknown"]["category"]))


@login_required
@require_POST
def incident_import_values(request, place_slug, pk):
    """Map the file's category words to ours: saved on the upload and remembered for the
    organisation's next file, then every row is checked again."""
    access = place_access(request.user, place_slug, require="manager")
    upload = get_object_or_404(
        IncidentImport.objects.select_related("organisation", "place").defer("content"),
        place=access.place,
        pk=pk,
        status=IncidentImport.Status.CHECKED,
    )
    form = _value_form(upload, upload.result or {}, request.POST)
    if form is None:
        return redirect(
            "safety:incident_import_preview", place_slug=access.place.slug, pk=upload.pk
        )
    if not form.is_valid():
        messages.error(request, _("Choose one of our categories for at least one word."))
        return redirect(
            "safety:incident_import_preview", place_slug=access.place.slug, pk=upload.pk
        )
    imports.incident_import_set_values(upload=upload, field_name="category", chosen=form.chosen())
    imports.incident_import_request_check(upload=upload, language=get_language())
    messages.success(
        request,
        _("The words are mapped and remembered for %(organisation)s's next file.")
        % {"organisation": upload.organisation.name},
    )
    return redirect("safety:incident_import_preview", place_slug=access.place.slug, pk=upload.pk)


@login_required
@require_GET
def incident_import_refused(request, place_slug, pk):
    """The refused rows of a checked file as CSV, each with the reason, to correct and send
    again. Only while the file is kept (until it is imported: its refused rows may hold the
    very personal data that refused them, so they are not kept after)."""
    access = place_access(request.user, place_slug, require="manager")
    upload = get_object_or_404(
        IncidentImport.objects.select_related("organisation", "place"),
        place=access.place,
        pk=pk,
        status=IncidentImport.Status.CHECKED,
    )
    try:
        header, rows = imports.refused_rows(upload=upload, actor=request.user)
    except imports.ImportFileError as exc:
        messages.error(request, str(exc))
        return redirect("safety:incident_import", place_slug=access.place.slug)
    stem = Path(upload.filename).stem[:80] or "import"
    return csv_response(f"{slugify(stem) or 'import'}-refused-rows.csv", header, rows)


def _progress(upload) -> dict:
    progress = imports.import_progress(upload.pk) or {}
    total = progress.get("total") or 0
    return {
        "progress_phase": progress.get("phase")
        or ("saving" if upload.status == IncidentImport.Status.IMPORTING else "checking"),
        "progress_done": progress.get("done") or 0,
        "progress_total": total,
    }
