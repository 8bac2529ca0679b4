"""The attachments step: upload, download (only to those who may see the application) and
delete."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from ...forms import applications as forms
from ...models import ApplicationAttachment
from ...services import applications as services
from .drafting import STEPS
from .permissions import editable_application, visible_application
from .states import refuse


@login_required
@require_POST
def attachment_upload(request, pk):
    application = editable_application(request, pk)
    form = forms.AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.attachment_add(
                application=application, actor=request.user, upload=form.cleaned_data["file"]
            )
        except services.TransitionError as error:
            refuse(request, error)
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
    application = visible_application(request, pk)
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
    application = editable_application(request, pk)
    attachment = get_object_or_404(ApplicationAttachment, application=application, pk=attachment_pk)
    try:
        services.attachment_delete(attachment=attachment, actor=request.user)
    except services.TransitionError as error:
        refuse(request, error)
    else:
        messages.success(request, _("Attachment removed."))
    return redirect("partnerships:application_edit", pk=application.pk, step="attachments")
