"""The admin for the data protection officer (issue #17): confirmed non-names and the free-text
clearances."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from ..models import FreeTextClearance, NameConfirmation


@admin.register(NameConfirmation)
class NameConfirmationAdmin(admin.ModelAdmin):
    """Words people confirmed are not a person: who, when, which word, in which field.

    Written by the forms and the incident import; here they are read (and deleted, for
    example after a request to erase), never added or changed.
    """

    list_display = ["confirmed_at", "token", "field_label", "record", "place", "user"]
    list_filter = ["place", "record", "confirmed_at"]
    search_fields = ["token", "user__email", "user__full_name", "place__name"]
    date_hierarchy = "confirmed_at"
    list_select_related = ["place", "user"]
    fields = ["token", "record", "field", "field_label", "place", "user", "confirmed_at"]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(FreeTextClearance)
class FreeTextClearanceAdmin(admin.ModelAdmin):
    """What each nightly retention run cleared (written by the tasks, read here)."""

    list_display = ["ran_at", "task", "total", "cutoff", "counts_display"]
    list_filter = ["task"]
    date_hierarchy = "ran_at"
    fields = ["task", "ran_at", "cutoff", "total", "counts_display"]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description=_("cleared"))
    def counts_display(self, obj):
        return ", ".join(f"{key}: {value}" for key, value in sorted((obj.counts or {}).items()))
