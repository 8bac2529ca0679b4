"""The admin of the workspace: activity kinds, activities, action items and their history, the
activity plan, visitor counts and public tips."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from ..models import (
    ActionItem,
    ActionItemStatusChange,
    Activity,
    ActivityKind,
    PlannedActivity,
    PublicTip,
    VisitorCount,
)
from .large import LargeTableAdmin


@admin.register(ActivityKind)
class ActivityKindAdmin(admin.ModelAdmin):
    list_display = ["name_sv", "name_en", "code", "is_walk", "order", "is_active"]
    list_editable = ["order", "is_active"]
    list_filter = ["is_walk", "is_active"]
    search_fields = ["code", "name_sv", "name_en"]
    prepopulated_fields = {"code": ["name_en"]}


@admin.register(Activity)
class ActivityAdmin(LargeTableAdmin):
    list_display = ["started_at", "kind", "place", "duration_minutes", "participants_count"]
    list_filter = ["kind", "place"]
    search_fields = ["description", "location_note", "place__name", "kind__name_sv"]
    date_field = "started_at"
    autocomplete_fields = ["place", "kind", "organisations", "logged_by", "planned_activity"]
    list_select_related = ["kind", "place"]
    readonly_fields = ["created_at", "updated_at"]


class ActionItemStatusChangeInline(admin.TabularInline):
    """The status history is written by the app (and by this admin on a status change)."""

    model = ActionItemStatusChange
    fields = ["changed_at", "from_status", "to_status", "changed_by", "note"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(ActionItem)
class ActionItemAdmin(admin.ModelAdmin):
    list_display = [
        "__str__",
        "place",
        "category",
        "status",
        "due_date",
        "responsible_organisation",
        "overdue",
        "is_public",
    ]
    list_filter = ["status", "category", "is_public", "place"]
    search_fields = ["description", "location_note", "place__name"]
    date_hierarchy = "created_at"
    autocomplete_fields = ["place", "responsible_organisation", "source_activity", "created_by"]
    list_select_related = ["place", "responsible_organisation"]
    readonly_fields = ["updated_at"]
    inlines = [ActionItemStatusChangeInline]

    @admin.display(description=_("overdue"), boolean=True)
    def overdue(self, obj):
        return obj.is_overdue

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change and "status" in form.changed_data:
            ActionItemStatusChange.objects.create(
                action_item=obj,
                from_status=form.initial.get("status", ""),
                to_status=obj.status,
                changed_by=request.user,
            )


@admin.register(ActionItemStatusChange)
class ActionItemStatusChangeAdmin(admin.ModelAdmin):
    list_display = ["action_item", "from_status", "to_status", "changed_by", "changed_at"]
    list_filter = ["to_status"]
    search_fields = ["action_item__description", "note"]
    date_hierarchy = "changed_at"
    autocomplete_fields = ["action_item", "changed_by"]
    list_select_related = ["action_item", "changed_by"]


@admin.register(PlannedActivity)
class PlannedActivityAdmin(admin.ModelAdmin):
    list_display = [
        "title",
        "place",
        "kind",
        "recurrence",
        "weekday",
        "month",
        "starts_on",
        "ends_on",
        "is_active",
        "is_public",
    ]
    list_filter = ["recurrence", "kind", "is_active", "is_public", "place"]
    search_fields = ["title", "place__name"]
    autocomplete_fields = ["place", "kind"]
    list_select_related = ["place", "kind"]


@admin.register(VisitorCount)
class VisitorCountAdmin(LargeTableAdmin):
    list_display = ["counted_at", "place", "people", "duration_minutes", "source", "sensor"]
    list_filter = ["source", "place"]
    search_fields = ["sensor", "location_note", "place__name"]
    date_field = "counted_at"
    autocomplete_fields = ["place", "recorded_by"]
    list_select_related = ["place"]
    readonly_fields = ["created_at"]


@admin.register(PublicTip)
class PublicTipAdmin(admin.ModelAdmin):
    """Tips from the public (issue #14). Moderation happens in the app (who and when are kept
    on the tip); the admin is for looking things up."""

    list_display = [
        "created_at",
        "place",
        "category",
        "status",
        "action_item",
        "moderated_by",
        "moderated_at",
        "closed_at",
    ]
    list_filter = ["status", "category", "place"]
    search_fields = ["description", "place__name"]
    date_hierarchy = "created_at"
    autocomplete_fields = ["place", "action_item", "moderated_by"]
    list_select_related = ["place", "action_item", "moderated_by"]
    readonly_fields = ["token", "created_at", "moderated_by", "moderated_at", "closed_at"]
    exclude = ["form_nonce"]
