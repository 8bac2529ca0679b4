"""Who may see and act on an application: the applicant's editors, the reviewers, and who fills
in the follow-up. Views turn a False into a 403 (after `visible_to` has given outsiders a 404);
services call the `require_*` forms, which raise `PermissionDenied`."""

from django.core.exceptions import PermissionDenied

from places.models import PlaceRole

from ...models import PartnershipApplication

Status = PartnershipApplication.Status


def is_reviewer(user) -> bool:
    return user.is_authenticated and user.has_perm("partnerships.review_application")


def can_edit(user, application) -> bool:
    """The applicant's editors: the creator, invited editors and users of the lead organisation.

    Users of co-applicant organisations can read the application; they edit only when invited.
    Reviewers never edit the applicant's text (they request changes instead).
    """
    if not user.is_authenticated:
        return False
    if application.created_by_id == user.pk:
        return True
    if user.organisation_id and user.organisation_id == application.lead_organisation_id:
        return True
    return application.collaborators.filter(pk=user.pk).exists()


def can_edit_followup(user, application) -> bool:
    """The partnership fills in the follow-up: the applicant's editors and the place's managers."""
    if application.status != Status.APPROVED:
        return False
    if can_edit(user, application):
        return True
    return bool(
        application.place_id
        and PlaceRole.objects.filter(
            user=user, place_id=application.place_id, role=PlaceRole.Role.MANAGER
        ).exists()
    )


def require_reviewer(user):
    if not is_reviewer(user):
        raise PermissionDenied
