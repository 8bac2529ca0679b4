"""The admin of invitations to a place."""

from django.contrib import admin
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..models import Invitation


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "place", "role", "organisation", "state", "created_at", "expires_at"]
    list_filter = ["role", "place"]
    search_fields = ["email", "place__name", "organisation__name"]
    date_hierarchy = "created_at"
    autocomplete_fields = ["place", "organisation"]
    list_select_related = ["place", "organisation"]
    # Written by the invitation flow: the secret token, who sent it, when it was mailed/accepted.
    readonly_fields = ["token", "invited_by", "sent_at", "accepted_at", "accepted_by"]

    @admin.display(description=_("state"))
    def state(self, obj):
        if obj.accepted_at:
            return _("accepted")
        if obj.revoked_at:
            return _("revoked")
        if obj.expires_at <= timezone.now():
            return _("expired")
        return _("pending")

    def save_model(self, request, obj, form, change):
        if not change and obj.invited_by_id is None:
            obj.invited_by = request.user
        super().save_model(request, obj, form, change)
