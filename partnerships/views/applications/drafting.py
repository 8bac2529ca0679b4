"""Applications for collaboration support: the public process, the applicant, the reviewer.

Every view loads the application through `PartnershipApplication.objects.visible_to(user)`:
someone who may not see it gets a 404; someone who may see it but not do the action a 403.
Writes go through `partnerships.services.applications`; a refused transition comes back as a
message and changes nothing.
"""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from places.charts import column_chart, month_label
from places.forms import add_service_errors
from places.links import site_root

from ..forms import applications as forms
from ..models import (
    CRITERIA,
    ApplicationAttachment,
    ApplicationEvent,
    ApplicationParty,
    Assessment,
    PartnershipApplication,
    ReviewNote,
)
from ..queries_applications import (
    applications_of_applicant,
    co_applicant_requests,
    days_waiting,
    place_followup_figures,
    queue_counts,
    review_queue,
)
from ..services import applications as services

Status = PartnershipApplication.Status

# The applicant's steps: (key, label, form class or None for pages with their own forms).
STEPS = [
    ("area", gettext_lazy("The area"), forms.AreaForm),
    ("parties", gettext_lazy("Organisations and commitments"), None),
    ("plan", gettext_lazy("Purpose and activities"), forms.PlanForm),
    ("criteria", gettext_lazy("The four criteria"), forms.CriteriaForm),
    ("budget", gettext_lazy("Time plan and budget"), forms.BudgetForm),
    ("attachments", gettext_lazy("Attachments"), None),
]
STEP_KEYS = [key for key, _label, _form in STEPS]

PHASES = [
    (
        gettext_lazy("First contact"),
        gettext_lazy(
            "Property owners, associations or businesses that want to develop an area together "
            "with the city contact the city's contact person for a first meeting. You hear how "
            "the process works and which criteria apply – and the city can also contact you."
        ),
    ),
    (
        gettext_lazy("Application"),
        gettext_lazy(
            "Together you describe the area, who takes part and what each commits – money, "
            "hours or responsibility for activities – the purpose, planned activities, expected "
            "results, a time plan and a budget, and answer each of the four criteria."
        ),
    ),
    (
        gettext_lazy("Assessment"),
        gettext_lazy(
            "A city official assesses the application against the four published criteria, "
            "together with colleagues. If something is unclear, the city asks for changes and "
            "you resubmit."
        ),
    ),
    (
        gettext_lazy("Decision"),
        gettext_lazy(
            "The city approves or rejects the application and always gives its reasons. You "
            "follow every step of the application here."
        ),
    ),
    (
        gettext_lazy("Start"),
        gettext_lazy(
            "An approved application becomes a place partnership on the platform: the place, "
            "its members, their commitments and the people who run it."
        ),
    ),
    (
        gettext_lazy("Follow-up"),
        gettext_lazy(
            "The partnership reports back when the city follows up: numbers, stories and "
            "unexpected results, beside the place's own figures."
        ),
    ),
]


def _application(request, pk, *related):
    qs = PartnershipApplication.objects.visible_to(request.user).select_related(
        "lead_organisation", "assigned_reviewer", "place", *related
    )
    return get_object_or_404(qs, pk=pk)


def _refuse(request, error: services.TransitionError):
    messages.error(request, error.message)
    for item in error.missing:
        messages.error(request, item)


def _require_review_access(request, application):
    if not services.is_reviewer(request.user):
        raise PermissionDenied


def _timeline(application):
    events = list(
        ApplicationEvent.objects.filter(application=application)
        .select_related("actor")
        .order_by("created_at", "pk")
    )
    for event in events:
        event.label = services.EVENT_LABELS.get(event.action, event.action)
    return events


def _parties(application):
    """The parties as everyone reading the application sees them: requests still waiting or
    declined are shown only to the applicant's editors, on the parties step."""
    return list(
        ApplicationParty.objects.filter(application=application)
        .accepted()
        .select_related("organisation")
        .order_by("-role", "organisation__name")
    )


def _criteria_with_answers(application):
    return [
        {
            "code": code,
            "label": label,
            "help": help_text,
            "answer": application.criterion_answer(code),
        }
        for code, label, help_text in CRITERIA
    ]


# --- Public -------------------------------------------------------------------------------


@require_GET
def process(request):
    """The public page: the phases and the four criteria, so everyone knows the premises."""
    return render(
        request,
        "partnerships/process.html",
        {"phases": PHASES, "criteria": [(label, help_text) for _c, label, help_text in CRITERIA]},
    )


# --- Applicant ----------------------------------------------------------------------------


@login_required
@require_GET
def application_list(request):
    applications = list(applications_of_applicant(request.user))
    return render(
        request,
        "partnerships/applications/list.html",
        {
            "applications": applications,
            "co_applicant_requests": list(co_applicant_requests(request.user)),
            "is_reviewer": services.is_reviewer(request.user),
        },
    )


def _co_applicant_request(request, party_pk):
    """A request to the user's own organisation; anyone else's is a 404."""
    return get_object_or_404(
        ApplicationParty.objects.requests_to(request.user).select_related(
            "application", "organisation"
        ),
        pk=party_pk,
    )


@login_required
@require_POST
def co_applicant_accept(request, party_pk):
    party = _co_applicant_request(request, party_pk)
    try:
        answered = services.party_accept(
            party=party, user=request.user, base_url=site_root(request)
        )
    except services.TransitionError as error:
        _refuse(request, error)
        return redirect("partnerships:application_list")
    if not answered:
        messages.info(request, _("This request has been answered already."))
        return redirect("partnerships:application_list")
    messages.success(
        request,
        _("%(organisation)s is now a co-applicant on %(reference)s.")
        % {"organisation": party.organisation.name, "reference": party.application.reference},
    )
    return redirect("partnerships:application_detail", pk=party.application_id)


@login_required
@require_POST
def co_applicant_decline(request, party_pk):
    party = _co_applicant_request(request, party_pk)
    try:
        answered = services.party_decline(
            party=party, user=request.user, base_url=site_root(request)
        )
    except services.TransitionError as error:
        _refuse(request, error)
    else:
        if answered:
            messages.success(
                request,
                _("You have declined. %(organisation)s is not a party to %(reference)s.")
                % {
                    "organisation": party.organisation.name,
                    "reference": party.application.reference,
                },
            )
        else:
            messages.info(request, _("This request has been answered already."))
    return redirect("partnerships:application_list")


@login_required
@require_http_methods(["GET", "POST"])
def application_create(request):
    form = forms.ApplicationStartForm(request.POST or None, user=request.user, author=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            application = services.application_create(
                user=request.user,
                title=form.cleaned_data["title"],
                organisation_data=form.organisation_data(),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, _("Draft %(reference)s created.") % {"reference": application.reference}
            )
            return redirect("partnerships:application_edit", pk=application.pk, step="area")
    return render(request, "partnerships/applications/create.html", {"form": form})


@login_required
@require_GET
def application_detail(request, pk):
    application = _application(request, pk)
    can_edit = services.can_edit(request.user, application)
    is_editable = application.status in services.EDITABLE_STATES
    events = _timeline(application)
    context = {
        "application": application,
        "parties": _parties(application),
        "criteria": _criteria_with_answers(application),
        "events": events,
        "attachments": list(application.attachments.all()),
        "can_edit": can_edit,
        "is_editable": is_editable,
        "can_withdraw": can_edit and application.status in services.TRANSITIONS["withdraw"][0],
        "is_reviewer": services.is_reviewer(request.user),
        "missing": services.application_missing(application) if can_edit and is_editable else [],
        "steps": STEPS,
        "latest_request": next(
            (e for e in reversed(events) if e.action == "changes_requested"), None
        )
        if application.status == Status.CHANGES_REQUESTED
        else None,
    }
    return render(request, "partnerships/applications/detail.html", context)


def _editable_application(request, pk):
    """Load for editing: 404 if the user may not see it, 403 if they may see but not edit."""
    application = _application(request, pk)
    if not services.can_edit(request.user, application):
        raise PermissionDenied
    return application


@login_required
@require_http_methods(["GET", "POST"])
def application_edit(request, pk, step):
    if step not in STEP_KEYS:
        raise Http404
    application = _editable_application(request, pk)
    if application.status not in services.EDITABLE_STATES:
        messages.info(
            request,
            _(
                "The application is “%(status)s” and cannot be changed now. You can change it "
                "again if the city asks for changes."
            )
            % {"status": application.get_status_display()},
        )
        return redirect("partnerships:application_detail", pk=application.pk)
    index = STEP_KEYS.index(step)
    form_class = STEPS[index][2]
    form = None
    if form_class is not None:
        form = form_class(request.POST or None, instance=application, author=request.user)
        if request.method == "POST" and form.is_valid():
            try:
                services.application_update(
                    application=application, user=request.user, data=form.cleaned_data
                )
            except services.TransitionError as error:
                _refuse(request, error)
                return redirect("partnerships:application_detail", pk=application.pk)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Saved."))
                if "continue" in request.POST:
                    return _next_step(application, index)
                return redirect("partnerships:application_edit", pk=application.pk, step=step)
    elif request.method == "POST":
        return _next_step(application, index)
    context = {
        "application": application,
        "steps": STEPS,
        "step": step,
        "step_label": STEPS[index][1],
        "step_number": index + 1,
        "form": form,
        "is_last_step": index == len(STEPS) - 1,
    }
    if step == "parties":
        context.update(_parties_context(application))
    if step == "attachments":
        context.update(
            attachments=list(application.attachments.all()),
            attachment_form=forms.AttachmentForm(),
        )
    return render(request, "partnerships/applications/edit.html", context)


def _next_step(application, index):
    if index + 1 < len(STEPS):
        return redirect(
            "partnerships:application_edit", pk=application.pk, step=STEP_KEYS[index + 1]
        )
    return redirect("partnerships:application_submit", pk=application.pk)


def _back_to_parties(application):
    return redirect("partnerships:application_edit", pk=application.pk, step="parties")


def _parties_context(application, *, party_form=None, **forms_):
    # The applicant's editors see their requests too, with the answer (or its absence).
    parties = list(
        ApplicationParty.objects.filter(application=application)
        .select_related("organisation")
        .order_by("-role", "organisation__name")
    )
    rows = []
    for party in parties:
        if not party.is_accepted:
            rows.append((party, None))
        elif party_form is not None and party_form.instance.pk == party.pk:
            rows.append((party, party_form))
        else:
            rows.append(
                (party, forms.PartyCommitmentForm(instance=party, prefix=f"party-{party.pk}"))
            )
    return {
        "parties": rows,
        "add_form": forms_.get("add_form") or forms.PartyAddForm(application=application),
        "invite_form": forms_.get("invite_form") or forms.InviteEditorForm(application=application),
        "editors": list(application.collaborators.select_related("organisation")),
        "committed_sek": sum(
            (party.commits_money_sek for party in parties if party.is_accepted), 0
        ),
    }


def _render_parties_with(request, application, **bound_forms):
    """Re-render the parties step with the bound form that has errors."""
    context = {
        "application": application,
        "steps": STEPS,
        "step": "parties",
        "step_label": STEPS[1][1],
        "step_number": 2,
        **_parties_context(application, **bound_forms),
    }
    return render(request, "partnerships/applications/edit.html", context, status=400)


@login_required
@require_POST
def party_add(request, pk):
    application = _editable_application(request, pk)
    form = forms.PartyAddForm(request.POST, application=application, author=request.user)
    if form.is_valid():
        try:
            organisation = services.organisation_find_or_register(
                name=form.cleaned_data["name"],
                org_number=form.cleaned_data["org_number"],
                kind=form.cleaned_data["kind"],
            )
            party = services.party_add(
                application=application,
                user=request.user,
                organisation=organisation,
                data=form.commitment_data(),
                base_url=site_root(request),
            )
        except services.TransitionError as error:
            _refuse(request, error)
            return redirect("partnerships:application_detail", pk=application.pk)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if party.is_accepted:
                messages.success(
                    request, _("%(organisation)s added.") % {"organisation": organisation.name}
                )
            else:
                messages.success(
                    request,
                    _(
                        "%(organisation)s has been asked to be a co-applicant. It becomes a "
                        "party when someone there accepts."
                    )
                    % {"organisation": organisation.name},
                )
            return _back_to_parties(application)
    return _render_parties_with(request, application, add_form=form)


@login_required
@require_POST
def party_update(request, pk, party_pk):
    application = _editable_application(request, pk)
    party = get_object_or_404(application.parties.select_related("organisation"), pk=party_pk)
    form = forms.PartyCommitmentForm(
        request.POST, instance=party, prefix=f"party-{party.pk}", author=request.user
    )
    if form.is_valid():
        try:
            services.party_update(party=party, user=request.user, data=form.cleaned_data)
        except services.TransitionError as error:
            _refuse(request, error)
            return redirect("partnerships:application_detail", pk=application.pk)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Saved."))
            return _back_to_parties(application)
    return _render_parties_with(request, application, party_form=form)


@login_required
@require_POST
def party_remove(request, pk, party_pk):
    application = _editable_application(request, pk)
    party = get_object_or_404(application.parties.select_related("organisation"), pk=party_pk)
    try:
        services.party_remove(party=party, user=request.user)
    except services.TransitionError as error:
        _refuse(request, error)
    else:
        if party.consent == ApplicationParty.Consent.PENDING:
            done = _("The request to %(organisation)s is withdrawn.")
        else:
            done = _("%(organisation)s removed.")
        messages.success(request, done % {"organisation": party.organisation.name})
    return _back_to_parties(application)


@login_required
@require_POST
def editor_invite(request, pk):
    application = _editable_application(request, pk)
    form = forms.InviteEditorForm(request.POST, application=application)
    if form.is_valid():
        editor = form.cleaned_data["editor"]
        try:
            services.application_invite_editor(
                application=application,
                actor=request.user,
                editor=editor,
                base_url=site_root(request),
            )
        except services.TransitionError as error:
            _refuse(request, error)
        else:
            messages.success(
                request,
                _("%(user)s can now edit the application.")
                % {"user": editor.full_name or editor.email},
            )
        return _back_to_parties(application)
    return _render_parties_with(request, application, invite_form=form)


@login_required
@require_POST
def editor_remove(request, pk, user_pk):
    application = _editable_application(request, pk)
    editor = get_object_or_404(application.collaborators.all(), pk=user_pk)
    try:
        services.application_remove_editor(
            application=application, actor=request.user, editor=editor
        )
    except services.TransitionError as error:
        _refuse(request, error)
    return _back_to_parties(application)


@login_required
@require_POST
def attachment_upload(request, pk):
    application = _editable_application(request, pk)
    form = forms.AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.attachment_add(
                application=application, user=request.user, upload=form.cleaned_data["file"]
            )
        except services.TransitionError as error:
            _refuse(request, error)
            return redirect("partnerships:application_detail", pk=application.pk)
        except ValidationError as error:
            form.add_error("file", error)
        else:
            messages.success(request, _("File attached."))
            return redirect("partnerships:application_edit", pk=application.pk, step="attachments")
    context = {
        "application": application,
        "steps": STEPS,
        "step": "attachments",
        "step_label": STEPS[-1][1],
        "step_number": len(STEPS),
        "is_last_step": True,
        "attachments": list(application.attachments.all()),
        "attachment_form": form,
    }
    return render(request, "partnerships/applications/edit.html", context, status=400)


@login_required
@require_GET
def attachment_download(request, pk, attachment_pk):
    """Files are served only through here, to those who may see the application."""
    application = _application(request, pk)
    attachment = get_object_or_404(ApplicationAttachment, application=application, pk=attachment_pk)
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(
        handle,
        content_type=attachment.content_type,
        as_attachment=attachment.content_type == "application/pdf" and "inline" not in request.GET,
        filename=attachment.original_name,
    )
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def attachment_delete(request, pk, attachment_pk):
    application = _editable_application(request, pk)
    attachment = get_object_or_404(ApplicationAttachment, application=application, pk=attachment_pk)
    try:
        services.attachment_delete(attachment=attachment, user=request.user)
    except services.TransitionError as error:
        _refuse(request, error)
    else:
        messages.success(request, _("Attachment removed."))
    return redirect("partnerships:application_edit", pk=application.pk, step="attachments")


@login_required
@require_http_methods(["GET", "POST"])
def application_submit(request, pk):
    """GET: what is still missing; POST: submit (or resubmit)."""
    application = _editable_application(request, pk)
    if request.method == "POST":
        try:
            services.application_submit(
                application=application, actor=request.user, base_url=site_root(request)
            )
        except services.TransitionError as error:
            _refuse(request, error)
            if application.status in services.EDITABLE_STATES:
                return redirect("partnerships:application_submit", pk=application.pk)
        else:
            messages.success(
                request,
                _("Application %(reference)s submitted. The city will be in touch.")
                % {"reference": application.reference},
            )
        return redirect("partnerships:application_detail", pk=application.pk)
    if application.status not in services.EDITABLE_STATES:
        return redirect("partnerships:application_detail", pk=application.pk)
    return render(
        request,
        "partnerships/applications/submit.html",
        {
            "application": application,
            "steps": STEPS,
            "step": "submit",
            "missing": services.application_missing(application),
        },
    )


@login_required
@require_POST
def application_withdraw(request, pk):
    application = _editable_application(request, pk)
    try:
        services.application_withdraw(
            application=application, actor=request.user, base_url=site_root(request)
        )
    except services.TransitionError as error:
        _refuse(request, error)
    else:
        messages.success(request, _("The application has been withdrawn."))
    return redirect("partnerships:application_detail", pk=application.pk)


# --- Reviewer -----------------------------------------------------------------------------


@login_required
@require_GET
def application_queue(request):
    if not services.is_reviewer(request.user):
        raise PermissionDenied
    form = forms.QueueFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    rows = list(
        review_queue(
            request.user,
            status=filters.get("status") or "open",
            min_days=filters.get("min_days"),
            reviewer=filters.get("reviewer") or None,
        )
    )
    now = timezone.now()
    for row in rows:
        row.days_waiting = days_waiting(row, now)
    counts = queue_counts(request.user)
    return render(
        request,
        "partnerships/applications/queue.html",
        {"form": form, "rows": rows, "counts": counts, "chips": _queue_chips(counts, filters)},
    )


def _queue_chips(counts, filters):
    """The queue's count tiles, each a link to the list it counts (the current one marked)."""
    status = filters.get("status") or "open"
    mine = filters.get("reviewer") == "me"
    labels = [
        ("open", "", _("Awaiting decision")),
        ("mine", "me", _("Assigned to me")),
        ("submitted", "", _("Submitted")),
        ("in_review", "", _("In review")),
        ("changes_requested", "", _("Changes requested")),
        ("approved", "", _("Approved")),
        ("rejected", "", _("Rejected")),
    ]
    chips = []
    for key, reviewer, label in labels:
        state = "open" if key == "mine" else key
        query = urlencode({"status": state, **({"reviewer": reviewer} if reviewer else {})})
        current = state == status and (reviewer == "me") == mine and not filters.get("min_days")
        chips.append({"count": counts[key], "label": label, "query": query, "current": current})
    return chips


def _review_context(request, application, **extra):
    assessments = list(
        Assessment.objects.filter(application=application)
        .select_related("reviewer")
        .order_by("criterion", "reviewer__full_name")
    )
    assessment_form = extra.pop("assessment_form", None) or forms.CriteriaAssessmentForm(
        initial=forms.CriteriaAssessmentForm.initial_from(
            a for a in assessments if a.reviewer_id == request.user.pk
        )
    )
    by_criterion = []
    for code, label, help_text in CRITERIA:
        verdict_field, comment_field = assessment_form.fields_for(code)
        by_criterion.append(
            {
                "code": code,
                "label": label,
                "help": help_text,
                "answer": application.criterion_answer(code),
                "assessments": [a for a in assessments if a.criterion == code],
                "verdict_field": verdict_field,
                "comment_field": comment_field,
            }
        )
    progress = services.progress_of(a.criterion for a in assessments)
    context = {
        "application": application,
        "parties": _parties(application),
        "criteria": by_criterion,
        "assessment_form": assessment_form,
        "progress": progress,
        "events": _timeline(application),
        "attachments": list(application.attachments.all()),
        "notes": list(ReviewNote.objects.filter(application=application).select_related("author")),
        "assign_form": forms.AssignForm(initial={"reviewer": application.assigned_reviewer_id}),
        "note_form": forms.ReviewNoteForm(),
        "changes_form": forms.RequestChangesForm(),
        "reject_form": forms.DecisionForm(progress=progress),
        "can_assess": application.status in services.ASSESSABLE_STATES,
    }
    context.update(extra)
    return context


@login_required
@require_GET
def application_review(request, pk):
    application = _application(request, pk)
    _require_review_access(request, application)
    return render(
        request, "partnerships/applications/review.html", _review_context(request, application)
    )


def _review_redirect(application):
    return redirect("partnerships:application_review", pk=application.pk)


@login_required
@require_POST
def application_assign(request, pk):
    application = _application(request, pk)
    _require_review_access(request, application)
    form = forms.AssignForm(request.POST)
    if form.is_valid():
        try:
            services.application_assign(
                application=application,
                actor=request.user,
                reviewer=form.cleaned_data["reviewer"],
                base_url=site_root(request),
            )
        except services.TransitionError as error:
            _refuse(request, error)
        else:
            messages.success(request, _("Assignment saved."))
    else:
        messages.error(request, _("Choose a reviewer from the list."))
    return _review_redirect(application)


@login_required
@require_POST
def application_assign_self(request, pk):
    application = _application(request, pk)
    _require_review_access(request, application)
    try:
        services.application_assign(
            application=application,
            actor=request.user,
            reviewer=request.user,
            base_url=site_root(request),
        )
    except services.TransitionError as error:
        _refuse(request, error)
    else:
        messages.success(request, _("The application is assigned to you."))
    return _review_redirect(application)


@login_required
@require_POST
def assessments_save(request, pk):
    """Save the reviewer's verdicts on every criterion at once; a bad value re-renders all of
    them with what was typed, and nothing is saved."""
    application = _application(request, pk)
    _require_review_access(request, application)
    form = forms.CriteriaAssessmentForm(request.POST, author=request.user)
    if form.is_valid():
        try:
            saved = services.assessments_save(
                application=application, reviewer=request.user, verdicts=form.verdicts()
            )
        except services.TransitionError as error:
            _refuse(request, error)
            return _review_redirect(application)
        except ValidationError as error:
            for code, errors in error.message_dict.items():
                form.add_error(f"comment_{code}", errors)
        else:
            messages.success(
                request,
                ngettext("%(count)s assessment saved.", "%(count)s assessments saved.", len(saved))
                % {"count": len(saved)},
            )
            return redirect(
                reverse("partnerships:application_review", args=[application.pk]) + "#assessments"
            )
    return render(
        request,
        "partnerships/applications/review.html",
        _review_context(request, application, assessment_form=form),
        status=400,
    )


@login_required
@require_POST
def review_note_add(request, pk):
    application = _application(request, pk)
    _require_review_access(request, application)
    form = forms.ReviewNoteForm(request.POST, author=request.user)
    if form.is_valid():
        services.review_note_add(
            application=application, author=request.user, text=form.cleaned_data["text"]
        )
        messages.success(request, _("Internal note added."))
        return _review_redirect(application)
    return render(
        request,
        "partnerships/applications/review.html",
        _review_context(request, application, note_form=form),
        status=400,
    )


@login_required
@require_POST
def application_start_review(request, pk):
    application = _application(request, pk)
    _require_review_access(request, application)
    try:
        services.application_start_review(
            application=application, actor=request.user, base_url=site_root(request)
        )
    except services.TransitionError as error:
        _refuse(request, error)
    else:
        messages.success(request, _("Review started."))
    return _review_redirect(application)


def _review_decision(request, pk, *, form_class, form_key, act, done_message):
    """A reviewer's decision with a text (request changes, reject): validate the text, call the
    state-machine service, and re-render the review page with the errors when it is missing."""
    application = _application(request, pk)
    _require_review_access(request, application)
    form_kwargs = {}
    if form_class is forms.DecisionForm:
        form_kwargs["progress"] = services.assessment_progress(application)
    form = form_class(request.POST, author=request.user, **form_kwargs)
    if form.is_valid():
        try:
            act(
                application=application,
                actor=request.user,
                base_url=site_root(request),
                **form.decision_data(),
            )
        except services.TransitionError as error:
            _refuse(request, error)
            return _review_redirect(application)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, done_message)
            return _review_redirect(application)
    return render(
        request,
        "partnerships/applications/review.html",
        _review_context(request, application, **{form_key: form}),
        status=400,
    )


@login_required
@require_POST
def application_request_changes(request, pk):
    return _review_decision(
        request,
        pk,
        form_class=forms.RequestChangesForm,
        form_key="changes_form",
        act=services.application_request_changes,
        done_message=_("Changes requested. The applicants have been told."),
    )


@login_required
@require_POST
def application_reject(request, pk):
    return _review_decision(
        request,
        pk,
        form_class=forms.DecisionForm,
        form_key="reject_form",
        act=services.application_reject,
        done_message=_("The application has been rejected."),
    )


@login_required
@require_http_methods(["GET", "POST"])
def application_approve(request, pk):
    """Show what approval will create, let the reviewer adjust it, then start the partnership."""
    application = _application(request, pk, "lead_organisation")
    _require_review_access(request, application)
    if application.status != Status.IN_REVIEW:
        _refuse(
            request,
            services.TransitionError(
                services.REFUSALS["approve"] % {"status": application.get_status_display()}
            ),
        )
        return _review_redirect(application)
    municipality = ""
    reviewer_org = request.user.organisation
    if reviewer_org and reviewer_org.kind == reviewer_org.Kind.MUNICIPALITY:
        municipality = reviewer_org.name.removesuffix(" stad").removesuffix(" kommun")
    proposal = services.approval_proposal(application, municipality=municipality)
    managers_qs = services.lead_organisation_users(application)
    progress = services.assessment_progress(application)
    initial = {
        "place_name": proposal.place_name,
        "place_slug": proposal.place_slug,
        "place_kind": proposal.place_kind,
        "municipality": proposal.municipality,
        "year": proposal.year,
        "managers": [user.pk for user in proposal.managers],
    }
    party_initial = [
        {
            "membership_role": item.membership_role,
            "cash_sek": item.cash_sek,
            "in_kind_hours": item.in_kind_hours,
            "in_kind_value_sek": item.in_kind_value_sek,
            "in_kind_description": item.in_kind_description,
        }
        for item in proposal.parties
    ]
    PartyFormSet = forms.approval_party_formset(len(proposal.parties))
    if request.method == "POST":
        form = forms.ApprovalForm(
            request.POST, managers_queryset=managers_qs, progress=progress, author=request.user
        )
        formset = PartyFormSet(
            request.POST,
            prefix="parties",
            initial=party_initial,
            form_kwargs={"author": request.user},
        )
        if form.is_valid() and formset.is_valid():
            data = form.cleaned_data
            plan = services.ApprovalPlan(
                place_name=data["place_name"],
                place_slug=data["place_slug"],
                place_kind=data["place_kind"],
                municipality=data["municipality"],
                description=application.area_description,
                boundary=application.area_boundary,
                year=data["year"],
                reason=data["reason"],
                unassessed_reason=data.get("unassessed_reason", ""),
                managers=list(data["managers"]),
                parties=[
                    services.PartyPlan(party=item.party, **party_form.cleaned_data)
                    for item, party_form in zip(proposal.parties, formset.forms, strict=True)
                ],
            )
            try:
                place = services.application_approve(
                    application=application,
                    actor=request.user,
                    plan=plan,
                    base_url=site_root(request),
                )
            except services.TransitionError as error:
                _refuse(request, error)
                return _review_redirect(application)
            except ValidationError as error:
                if "unassessed_reason" in getattr(error, "error_dict", {}):
                    add_service_errors(form, error)
                else:
                    form.add_error(
                        None,
                        _("Nothing was created: %(errors)s")
                        % {"errors": " ".join(_flatten(error))},
                    )
            else:
                messages.success(
                    request,
                    _("Approved. The partnership “%(place)s” has started.") % {"place": place.name},
                )
                return _review_redirect(application)
    else:
        form = forms.ApprovalForm(initial=initial, managers_queryset=managers_qs, progress=progress)
        formset = PartyFormSet(prefix="parties", initial=party_initial)
    return render(
        request,
        "partnerships/applications/approve.html",
        {
            "application": application,
            "form": form,
            "party_rows": list(zip(proposal.parties, formset.forms, strict=True)),
            "formset": formset,
            "has_boundary": bool(application.area_boundary),
            "progress": progress,
        },
        status=400 if request.method == "POST" else 200,
    )


def _flatten(error: ValidationError) -> list[str]:
    if hasattr(error, "error_dict"):
        return [str(m) for messages_ in error.message_dict.values() for m in messages_]
    return [str(m) for m in error.messages]


# --- Follow-up ----------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def application_followup(request, pk):
    """Uppföljning: the place's own figures since the start beside the partnership's story."""
    application = _application(request, pk)
    if application.status != Status.APPROVED or application.place is None:
        raise Http404
    can_edit = services.can_edit_followup(request.user, application)
    form = forms.FollowupForm(request.POST or None, instance=application, author=request.user)
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.application_followup_update(
                    application=application, user=request.user, data=form.cleaned_data
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Follow-up saved."))
                return redirect("partnerships:application_followup", pk=application.pk)
    since = application.decided_at or application.place.created_at
    figures = place_followup_figures(application.place, since=since)
    chart = column_chart(
        [(month_label(row["month"]), row["count"]) for row in figures["incident_months"]],
        title=_("Incidents per month"),
        value_label=_("Incidents"),
    )
    return render(
        request,
        "partnerships/applications/followup.html",
        {
            "application": application,
            "place": application.place,
            "figures": figures,
            "chart": chart,
            "form": form,
            "can_edit": can_edit,
            "is_reviewer": services.is_reviewer(request.user),
        },
        status=400 if request.method == "POST" else 200,
    )
