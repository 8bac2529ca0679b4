"""Django admin for incident categories, incidents, import mappings and situation reports."""

from django.contrib import admin
from django.db import models
from django.utils.translation import gettext_lazy as _

from places.admin import LargeTableAdmin, PrettyJSONMixin, RollupAdmin, pretty_json

from .models import (
    Alert,
    AlertAnswer,
    AlertDelivery,
    ContactLink,
    ExternalEvent,
    ImportMapping,
    Incident,
    IncidentCategory,
    IncidentDay,
    IncidentHour,
    IncidentImport,
    Intervention,
    PlanConfirmation,
    PlanVersion,
    Scenario,
    SituationPlan,
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
class IncidentAdmin(LargeTableAdmin):
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
    search_fields = ["description", "location_note", "place__name", "external_ref"]
    date_field = "occurred_at"
    autocomplete_fields = ["place", "category", "reported_by", "reporting_organisation"]
    list_select_related = ["category", "place", "reporting_organisation"]
    # import_key is the fingerprint written by file imports; shown for tracing, never typed.
    readonly_fields = ["import_key", "source_import", "created_at", "updated_at"]


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
        "values_display",
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

    @admin.display(description=_("value mapping"))
    def values_display(self, obj):
        return pretty_json(obj.values, label=_("value mapping"))


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


# --- Samverkansplan and larm (issue #13) ----------------------------------------------------


class ScenarioInline(admin.TabularInline):
    model = Scenario
    extra = 0
    fields = ["title", "escalation_minutes", "order"]
    show_change_link = True
    # The "view on site" link sits in grey text the link's colour cannot stand out from.
    view_on_site = False


@admin.register(SituationPlan)
class SituationPlanAdmin(admin.ModelAdmin):
    list_display = ["place", "created_at"]
    search_fields = ["place__name"]
    autocomplete_fields = ["place"]
    inlines = [ScenarioInline]


class ContactLinkInline(admin.TabularInline):
    model = ContactLink
    extra = 0
    autocomplete_fields = ["organisation"]


@admin.register(Scenario)
class ScenarioAdmin(admin.ModelAdmin):
    list_display = ["title", "plan", "escalation_minutes", "order"]
    list_filter = ["plan__place"]
    search_fields = ["title", "plan__place__name"]
    list_select_related = ["plan__place"]
    inlines = [ContactLinkInline]


@admin.register(PlanVersion)
class PlanVersionAdmin(admin.ModelAdmin):
    list_display = ["plan", "number", "published_at", "published_by", "note"]
    list_filter = ["plan__place"]
    list_select_related = ["plan__place", "published_by"]
    readonly_fields = ["content"]


@admin.register(PlanConfirmation)
class PlanConfirmationAdmin(admin.ModelAdmin):
    list_display = ["version", "user", "organisation", "confirmed_at"]
    list_filter = ["version__plan__place", "organisation"]
    list_select_related = ["version__plan__place", "user", "organisation"]


class AlertAnswerInline(admin.TabularInline):
    model = AlertAnswer
    extra = 0
    readonly_fields = ["user", "organisation", "answer", "answered_at"]


@admin.register(Alert)
class AlertAdmin(admin.ModelAdmin):
    list_display = [
        "text",
        "place",
        "scenario",
        "severity",
        "created_at",
        "escalation_level",
        "closed_at",
        "outcome",
    ]
    list_filter = ["place", "severity", "outcome"]
    search_fields = ["text", "place__name"]
    date_hierarchy = "created_at"
    list_select_related = ["place", "scenario"]
    raw_id_fields = ["sent_by", "closed_by", "scenario"]
    inlines = [AlertAnswerInline]


@admin.register(AlertDelivery)
class AlertDeliveryAdmin(admin.ModelAdmin):
    list_display = ["alert", "channel", "recipient", "level", "status", "attempts", "sent_at"]
    list_filter = ["channel", "status"]
    list_select_related = ["alert"]
    raw_id_fields = ["alert", "user", "link"]


@admin.register(ContactLink)
class ContactLinkAdmin(admin.ModelAdmin):
    list_display = ["scenario", "position", "organisation", "task", "phone"]
    list_filter = ["scenario__plan__place"]
    list_select_related = ["scenario", "organisation"]
    autocomplete_fields = ["organisation"]


@admin.register(AlertAnswer)
class AlertAnswerAdmin(admin.ModelAdmin):
    list_display = ["alert", "user", "organisation", "answer", "answered_at"]
    list_filter = ["answer"]
    list_select_related = ["alert", "user", "organisation"]
    raw_id_fields = ["alert", "user"]


@admin.register(ExternalEvent)
class ExternalEventAdmin(admin.ModelAdmin):
    """Events from other organisations' public feeds (the police's); read as given."""

    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = ["occurred_at", "source", "kind", "municipality", "external_id"]
    list_filter = ["source", "municipality", "kind"]
    search_fields = ["external_id", "kind", "municipality"]
    date_hierarchy = "occurred_at"
    filter_horizontal = ["places"]
    readonly_fields = ["fetched_at"]


@admin.register(IncidentDay)
class IncidentDayAdmin(RollupAdmin):
    list_display = [
        "place",
        "day",
        "category",
        "count",
        "low",
        "medium",
        "high",
        "restricted",
        "police_notified",
        "with_position",
    ]
    list_select_related = ["place", "category"]


@admin.register(IncidentHour)
class IncidentHourAdmin(RollupAdmin):
    list_display = ["place", "day", "hour", "count"]
    list_select_related = ["place"]
