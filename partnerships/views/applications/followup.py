"""The follow-up (uppföljning) of an approved application: the place's own figures since the
start beside the partnership's story."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from places.charts import column_chart, month_label
from places.forms import add_service_errors

from ...forms import applications as forms
from ...models import PartnershipApplication
from ...queries.applications import place_followup_figures
from ...services import applications as services
from .permissions import visible_application

Status = PartnershipApplication.Status


@login_required
@require_http_methods(["GET", "POST"])
def application_followup(request, pk):
    """Uppföljning: the place's own figures since the start beside the partnership's story."""
    application = visible_application(request, pk)
    if application.status != Status.APPROVED or application.place is None:
        raise Http404
    can_edit = services.can_edit_followup(request.user, application)
    form = forms.FollowupForm(request.POST or None, instance=application, actor=request.user)
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.application_followup_update(
                    application=application, actor=request.user, data=form.cleaned_data
                )
            except ValidationError as error:
                add_service_errors(form, error)
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
