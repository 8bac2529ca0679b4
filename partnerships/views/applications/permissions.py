"""Who may see and act on an application, for the views: everything is loaded through
`PartnershipApplication.objects.visible_to(user)`, so someone who may not see it gets a 404;
someone who may see it but not do the action a 403."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from ...models import PartnershipApplication
from ...services import applications as services


def visible_application(request, pk, *related):
    qs = PartnershipApplication.objects.visible_to(request.user).select_related(
        "lead_organisation", "assigned_reviewer", "place", *related
    )
    return get_object_or_404(qs, pk=pk)


def require_review_access(request, application):
    if not services.is_reviewer(request.user):
        raise PermissionDenied


def editable_application(request, pk):
    """Load for editing: 404 if the user may not see it, 403 if they may see but not edit."""
    application = visible_application(request, pk)
    if not services.can_edit(request.user, application):
        raise PermissionDenied
    return application
