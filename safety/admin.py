"""Django admin for incident categories, incidents, import mappings and situation reports."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from places.admin import PrettyJSONMixin, pretty_json

from .models import (
    ImportMapping,
    Incident,
    IncidentCategory,
    IncidentImport,
    Intervention,
    SituationReport,
)


@admin.register(IncidentCategory)
class IncidentCategoryAdmin(admin.ModelAdmin):
    list_display = ["name_sv", "name_en", "code", "order", "is_active"]
    list_editable = ["order", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["code", "name_sv", "name_en"]
    prepopulated_fields = {"code": ["name_en"]}


@admin.register(Incident)
class IncidentAdmin(admin.ModelAdmin):
    list_display = [
        "occurred_at",
        "category",
        "place",
        "severity",
        "visibility",
        "police_notified",
        "reporting_organisation",
    ]
    list_filter = ["severity", "visibility", "police_notified", "category", "place"]
    search_fields = ["description", "location_note", "place__name"]
    date_hierarchy = "occurred_at"
    autocomplete_fields = ["place", "category", "reported_by", "reporting_organisation"]
    list_select_related = ["category", "place", "reporting_organisation"]
    # import_key is the fingerprint written by file imports; shown for tracing, never typed.
    readonly_fields = ["import_key", "created_at", "updated_at"]
    # Large table (a city has about a million rows): skip the extra unfiltered COUNT(*).
    show_full_result_count = False


@admin.register(ImportMapping)
class ImportMappingAdmin(PrettyJSONMixin, admin.ModelAdmin):
    list_display = ["organisation", "updated_at"]
    search_fields = ["organisation__name"]
    autocomplete_fields = ["organisation"]
    list_select_related = ["organisation"]
    readonly_fields = ["updated_at"]


@admin.register(IncidentImport)
class IncidentImportAdmin(admin.ModelAdmin):
    """Uploads are written by the import steps; here they can be traced and deleted only."""

    list_display = ["filename", "place", "organisation", "status", "rows_created", "created_at"]
    list_filter = ["status", "place"]
    search_fields = ["filename", "place__name", "organisation__name"]
    date_hierarchy = "created_at"
    list_select_related = ["place", "organisation"]
    fields = [
        "filename",
        "place",
        "organisation",
        "uploaded_by",
        "status",
        "rows_total",
        "rows_created",
        "rows_skipped",
        "mapping_display",
        "created_at",
        "imported_at",
    ]
    readonly_fields = fields

    class Media:
        css = {"all": ["css/admin_boundary.css"]}

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description=_("column mapping"))
    def mapping_display(self, obj):
        return pretty_json(obj.mapping, label=_("column mapping"))


@admin.register(SituationReport)
class SituationReportAdmin(admin.ModelAdmin):
    list_display = ["place", "kind", "period_start", "period_end", "status", "generated_at"]
    list_filter = ["kind", "status", "place"]
    search_fields = ["place__name"]
    date_hierarchy = "period_start"
    autocomplete_fields = ["place"]
    list_select_related = ["place"]
    # Everything but the period and status is written by the report generator.
    fields = [
        "place",
        "kind",
        "period_start",
        "period_end",
        "status",
        "generated_at",
        "attempts",
        "notified_at",
        "error",
        "figures_display",
        "created_at",
    ]
    readonly_fields = [
        "generated_at",
        "attempts",
        "notified_at",
        "error",
        "figures_display",
        "created_at",
    ]

    class Media:
        css = {"all": ["css/admin_boundary.css"]}

    @admin.display(description=_("figures"))
    def figures_display(self, obj):
        return pretty_json(obj.figures, label=_("figures"))


@admin.register(Intervention)
class InterventionAdmin(admin.ModelAdmin):
    list_display = ["title", "place", "starts_on", "ends_on", "radius_m", "comparison"]
    list_filter = ["comparison", "place", "categories"]
    search_fields = ["title", "description", "place__name"]
    date_hierarchy = "starts_on"
    autocomplete_fields = ["place", "created_by", "activities", "action_items"]
    filter_horizontal = ["categories"]
    list_select_related = ["place"]
    readonly_fields = ["created_at", "updated_at"]
