"""Approval: what it will create, adjusted by the reviewer, then the partnership starts."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from places.forms import add_service_errors
from places.links import site_root

from ...forms import applications as forms
from ...models import PartnershipApplication
from ...services import applications as services
from .permissions import require_review_access, visible_application
from .review import review_redirect
from .states import refuse

Status = PartnershipApplication.Status


@login_required
@require_http_methods(["GET", "POST"])
def application_approve(request, pk):
    """Show what approval will create, let the reviewer adjust it, then start the partnership."""
    application = visible_application(request, pk, "lead_organisation")
    require_review_access(request, application)
    if application.status != Status.IN_REVIEW:
        refuse(
            request,
            services.TransitionError(
                services.REFUSALS["approve"] % {"status": application.get_status_display()}
            ),
        )
        return review_redirect(application)
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
            request.POST, managers_queryset=managers_qs, progress=progress, actor=request.user
        )
        formset = PartyFormSet(
            request.POST,
            prefix="parties",
            initial=party_initial,
            form_kwargs={"actor": request.user},
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
                refuse(request, error)
                return review_redirect(application)
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
                return review_redirect(application)
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
