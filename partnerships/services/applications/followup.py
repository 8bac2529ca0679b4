"""The follow-up (uppföljning) the partnership writes once the application is approved."""

from django.core.exceptions import PermissionDenied
from django.db import transaction

from .permissions import can_edit_followup
from .states import lock, record


def application_followup_update(*, application, actor, data: dict):
    with transaction.atomic():
        locked = lock(application)
        if not can_edit_followup(actor, locked):
            raise PermissionDenied
        for name in ("followup_numbers", "followup_stories", "followup_unexpected"):
            setattr(locked, name, data.get(name, ""))
        locked.full_clean()
        locked.save()
        record(locked, actor, "followup_updated")
    return locked
