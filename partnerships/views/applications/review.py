"""The reviewers' pages: the queue, the review page (assessments, notes, assignment) and the
decisions short of approval (request changes, reject)."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from places.forms import add_service_errors
from places.links import site_root

from ...forms import applications as forms
from ...models import CRITERIA, Assessment, ReviewNote
from ...queries.applications import days_waiting, queue_counts, review_queue
from ...services import applications as services
from .drafting import accepted_parties
from .permissions import require_review_access, visible_application
from .states import refuse, timeline


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
        "parties": accepted_parties(application),
        "criteria": by_criterion,
        "assessment_form": assessment_form,
        "progress": progress,
        "events": timeline(application),
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
    application = visible_application(request, pk)
    require_review_access(request, application)
    return render(
        request, "partnerships/applications/review.html", _review_context(request, application)
    )


def review_redirect(application):
    return redirect("partnerships:application_review", pk=application.pk)


@login_required
@require_POST
def application_assign(request, pk):
    application = visible_application(request, pk)
    require_review_access(request, application)
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
            refuse(request, error)
        else:
            messages.success(request, _("Assignment saved."))
    else:
        messages.error(request, _("Choose a reviewer from the list."))
    return review_redirect(application)


@login_required
@require_POST
def application_assign_self(request, pk):
    application = visible_application(request, pk)
    require_review_access(request, application)
    try:
        services.application_assign(
            application=application,
            actor=request.user,
            reviewer=request.user,
            base_url=site_root(request),
        )
    except services.TransitionError as error:
        refuse(request, error)
    else:
        messages.success(request, _("The application is assigned to you."))
    return review_redirect(application)


@login_required
@require_POST
def assessments_save(request, pk):
    """Save the reviewer's verdicts on every criterion at once; a bad value re-renders all of
    them with what was typed, and nothing is saved."""
    application = visible_application(request, pk)
    require_review_access(request, application)
    form = forms.CriteriaAssessmentForm(request.POST, actor=request.user)
    if form.is_valid():
        try:
            saved = services.assessments_save(
                application=application, actor=request.user, verdicts=form.verdicts()
            )
        except services.TransitionError as error:
            refuse(request, error)
            return review_redirect(application)
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
    application = visible_application(request, pk)
    require_review_access(request, application)
    form = forms.ReviewNoteForm(request.POST, actor=request.user)
    if form.is_valid():
        services.review_note_add(
            application=application, actor=request.user, text=form.cleaned_data["text"]
        )
        messages.success(request, _("Internal note added."))
        return review_redirect(application)
    return render(
        request,
        "partnerships/applications/review.html",
        _review_context(request, application, note_form=form),
        status=400,
    )


@login_required
@require_POST
def application_start_review(request, pk):
    application = visible_application(request, pk)
    require_review_access(request, application)
    try:
        services.application_start_review(
            application=application, actor=request.user, base_url=site_root(request)
        )
    except services.TransitionError as error:
        refuse(request, error)
    else:
        messages.success(request, _("Review started."))
    return review_redirect(application)


def _review_decision(request, pk, *, form_class, form_key, act, done_message):
    """A reviewer's decision with a text (request changes, reject): validate the text, call the
    state-machine service, and re-render the review page with the errors when it is missing."""
    application = visible_application(request, pk)
    require_review_access(request, application)
    form_kwargs = {}
    if form_class is forms.DecisionForm:
        form_kwargs["progress"] = services.assessment_progress(application)
    form = form_class(request.POST, actor=request.user, **form_kwargs)
    if form.is_valid():
        try:
            act(
                application=application,
                actor=request.user,
                base_url=site_root(request),
                **form.decision_data(),
            )
        except services.TransitionError as error:
            refuse(request, error)
            return review_redirect(application)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, done_message)
            return review_redirect(application)
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
