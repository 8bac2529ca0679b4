"""The applicant's pages: their applications, the draft's steps, parties and co-applicant
requests, invited editors, submit and withdraw. Writes go through
`partnerships.services.applications`; a refused transition comes back as a message and changes
nothing."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from places.forms import add_service_errors
from places.links import site_root

from ...forms import applications as forms
from ...models import CRITERIA, ApplicationParty, PartnershipApplication
from ...queries.applications import applications_of_applicant, co_applicant_requests
from ...services import applications as services
from .permissions import editable_application, visible_application
from .states import refuse, timeline

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


def accepted_parties(application):
    """The parties as everyone reading the application sees them: requests still waiting or
    declined are shown only to the applicant's editors, on the parties step."""
    return list(
        ApplicationParty.objects.filter(application=application)
        .accepted()
        .select_related("organisation")
        .order_by("-role", "organisation__name")
    )


def criteria_with_answers(application):
    return [
        {
            "code": code,
            "label": label,
            "help": help_text,
            "answer": application.criterion_answer(code),
        }
        for code, label, help_text in CRITERIA
    ]


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
            party=party, actor=request.user, base_url=site_root(request)
        )
    except services.TransitionError as error:
        refuse(request, error)
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
            party=party, actor=request.user, base_url=site_root(request)
        )
    except services.TransitionError as error:
        refuse(request, error)
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
    form = forms.ApplicationStartForm(request.POST or None, user=request.user, actor=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            application = services.application_create(
                actor=request.user,
                title=form.cleaned_data["title"],
                organisation_data=form.organisation_data(),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, _("Draft %(reference)s created.") % {"reference": application.reference}
            )
            return redirect("partnerships:application_edit", pk=application.pk, step="area")
    return render(request, "partnerships/applications/create.html", {"form": form})


@login_required
@require_GET
def application_detail(request, pk):
    application = visible_application(request, pk)
    can_edit = services.can_edit(request.user, application)
    is_editable = application.status in services.EDITABLE_STATES
    events = timeline(application)
    context = {
        "application": application,
        "parties": accepted_parties(application),
        "criteria": criteria_with_answers(application),
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


@login_required
@require_http_methods(["GET", "POST"])
def application_edit(request, pk, step):
    if step not in STEP_KEYS:
        raise Http404
    application = editable_application(request, pk)
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
        form = form_class(request.POST or None, instance=application, actor=request.user)
        if request.method == "POST" and form.is_valid():
            try:
                services.application_update(
                    application=application, actor=request.user, data=form.cleaned_data
                )
            except services.TransitionError as error:
                refuse(request, error)
                return redirect("partnerships:application_detail", pk=application.pk)
            except ValidationError as error:
                add_service_errors(form, error)
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
    application = editable_application(request, pk)
    form = forms.PartyAddForm(request.POST, application=application, actor=request.user)
    if form.is_valid():
        try:
            organisation = services.organisation_find_or_register(
                name=form.cleaned_data["name"],
                org_number=form.cleaned_data["org_number"],
                kind=form.cleaned_data["kind"],
            )
            party = services.party_add(
                application=application,
                actor=request.user,
                organisation=organisation,
                data=form.commitment_data(),
                base_url=site_root(request),
            )
        except services.TransitionError as error:
            refuse(request, error)
            return redirect("partnerships:application_detail", pk=application.pk)
        except ValidationError as error:
            add_service_errors(form, error)
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
    application = editable_application(request, pk)
    party = get_object_or_404(application.parties.select_related("organisation"), pk=party_pk)
    form = forms.PartyCommitmentForm(
        request.POST, instance=party, prefix=f"party-{party.pk}", actor=request.user
    )
    if form.is_valid():
        try:
            services.party_update(party=party, actor=request.user, data=form.cleaned_data)
        except services.TransitionError as error:
            refuse(request, error)
            return redirect("partnerships:application_detail", pk=application.pk)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Saved."))
            return _back_to_parties(application)
    return _render_parties_with(request, application, party_form=form)


@login_required
@require_POST
def party_remove(request, pk, party_pk):
    application = editable_application(request, pk)
    party = get_object_or_404(application.parties.select_related("organisation"), pk=party_pk)
    try:
        services.party_remove(party=party, actor=request.user)
    except services.TransitionError as error:
        refuse(request, error)
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
    application = editable_application(request, pk)
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
            refuse(request, error)
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
    application = editable_application(request, pk)
    editor = get_object_or_404(application.collaborators.all(), pk=user_pk)
    try:
        services.application_remove_editor(
            application=application, actor=request.user, editor=editor
        )
    except services.TransitionError as error:
        refuse(request, error)
    return _back_to_parties(application)


@login_required
@require_http_methods(["GET", "POST"])
def application_submit(request, pk):
    """GET: what is still missing; POST: submit (or resubmit)."""
    application = editable_application(request, pk)
    if request.method == "POST":
        try:
            services.application_submit(
                application=application, actor=request.user, base_url=site_root(request)
            )
        except services.TransitionError as error:
            refuse(request, error)
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
    application = editable_application(request, pk)
    try:
        services.application_withdraw(
            application=application, actor=request.user, base_url=site_root(request)
        )
    except services.TransitionError as error:
        refuse(request, error)
    else:
        messages.success(request, _("The application has been withdrawn."))
    return redirect("partnerships:application_detail", pk=application.pk)
