"""The admin of applications for collaboration support: parties, assessments, events, review
notes and attachments."""

import mimetypes

from django import forms
from django.contrib import admin
from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from places.admin import BoundaryFormField

from ..models import (
    ApplicationAttachment,
    ApplicationEvent,
    ApplicationParty,
    Assessment,
    PartnershipApplication,
    ReviewNote,
)


class ApplicationPartyInline(admin.TabularInline):
    model = ApplicationParty
    fields = [
        "organisation",
        "role",
        "commits_money_sek",
        "commits_hours",
        "commits_responsibility",
        "consent",
        "consent_decided_by",
        "consent_decided_at",
    ]
    readonly_fields = ["consent_decided_by", "consent_decided_at"]
    autocomplete_fields = ["organisation"]
    extra = 0


class AssessmentInline(admin.TabularInline):
    model = Assessment
    fields = ["reviewer", "criterion", "verdict", "comment", "updated_at"]
    readonly_fields = ["updated_at"]
    autocomplete_fields = ["reviewer"]
    extra = 0


class ApplicationEventInline(admin.TabularInline):
    """The timeline is written by the application's services; shown here, not edited."""

    model = ApplicationEvent
    fields = ["created_at", "actor", "action", "from_status", "to_status", "note"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class ReviewNoteInline(admin.TabularInline):
    model = ReviewNote
    fields = ["text", "author", "created_at"]
    readonly_fields = ["author", "created_at"]
    extra = 0


class AttachmentAdminForm(forms.ModelForm):
    """Type and size come from the uploaded file; the name defaults to the file's."""

    class Meta:
        model = ApplicationAttachment
        fields = ["application", "file", "original_name"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["original_name"].required = False

    def clean(self):
        cleaned = super().clean()
        upload = cleaned.get("file")
        if isinstance(upload, UploadedFile):
            self.instance.size_bytes = upload.size
            self.instance.content_type = (
                upload.content_type
                or mimetypes.guess_type(upload.name)[0]
                or "application/octet-stream"
            )[:100]
            if not cleaned.get("original_name"):
                cleaned["original_name"] = upload.name[:200]
        elif upload and not cleaned.get("original_name"):
            cleaned["original_name"] = upload.name.rsplit("/", 1)[-1][:200]
        return cleaned


class ApplicationAttachmentInline(admin.TabularInline):
    model = ApplicationAttachment
    form = AttachmentAdminForm
    fields = ["file", "original_name", "content_type", "size_bytes", "uploaded_by", "uploaded_at"]
    readonly_fields = ["content_type", "size_bytes", "uploaded_by", "uploaded_at"]
    extra = 0


class ApplicationAdminForm(forms.ModelForm):
    class Meta:
        model = PartnershipApplication
        fields = ["reference", "area_boundary"]  # the admin's fieldsets list the rest
        field_classes = {"area_boundary": BoundaryFormField}
        help_texts = {"reference": _("Left empty, a reference is generated on save.")}


def next_application_reference(year: int) -> str:
    """SAM-<year>-<serial>: one more than the highest serial of the year."""
    prefix = f"SAM-{year}-"
    serials = [
        int(ref[len(prefix) :])
        for ref in PartnershipApplication.objects.filter(reference__startswith=prefix).values_list(
            "reference", flat=True
        )
        if ref[len(prefix) :].isdigit()
    ]
    return f"{prefix}{max(serials, default=0) + 1:04d}"


@admin.register(PartnershipApplication)
class PartnershipApplicationAdmin(admin.ModelAdmin):
    form = ApplicationAdminForm
    list_display = [
        "reference",
        "title",
        "lead_organisation",
        "status",
        "submitted_at",
        "assigned_reviewer",
        "decided_at",
    ]
    list_filter = ["status"]
    search_fields = ["reference", "title", "area_name", "lead_organisation__name"]
    date_hierarchy = "submitted_at"
    autocomplete_fields = [
        "lead_organisation",
        "assigned_reviewer",
        "place",
        "created_by",
        "collaborators",
    ]
    list_select_related = ["lead_organisation", "assigned_reviewer"]
    readonly_fields = ["created_at", "updated_at"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "reference",
                    "title",
                    "status",
                    "lead_organisation",
                    "created_by",
                    "collaborators",
                    "assigned_reviewer",
                ]
            },
        ),
        (_("Area"), {"fields": ["area_name", "area_description", "area_boundary"]}),
        (
            _("Proposal"),
            {"fields": ["purpose", "planned_activities", "expected_results", "time_plan"]},
        ),
        (
            _("Criteria"),
            {
                "fields": [
                    "answer_mixed_actors",
                    "answer_established_trust",
                    "answer_commitment",
                    "answer_added_value",
                ]
            },
        ),
        (_("Budget"), {"fields": ["budget_total_sek", "requested_support_sek", "budget_notes"]}),
        (
            _("Decision"),
            {"fields": ["submitted_at", "decision_reason", "decided_at", "place"]},
        ),
        (
            _("Follow-up"),
            {
                "classes": ["collapse"],
                "fields": ["followup_numbers", "followup_stories", "followup_unexpected"],
            },
        ),
        (None, {"fields": ["created_at", "updated_at"]}),
    ]
    inlines = [
        ApplicationPartyInline,
        AssessmentInline,
        ApplicationEventInline,
        ReviewNoteInline,
        ApplicationAttachmentInline,
    ]

    def save_model(self, request, obj, form, change):
        if not obj.reference:
            obj.reference = next_application_reference(timezone.localdate().year)
        if not change and obj.created_by_id is None:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    def save_formset(self, request, form, formset, change):
        instances = formset.save(commit=False)
        for instance in instances:
            if isinstance(instance, ReviewNote) and instance.author_id is None:
                instance.author = request.user
            if isinstance(instance, ApplicationAttachment) and instance.uploaded_by_id is None:
                instance.uploaded_by = request.user
            instance.save()
        for instance in formset.deleted_objects:
            instance.delete()
        formset.save_m2m()


@admin.register(ApplicationParty)
class ApplicationPartyAdmin(admin.ModelAdmin):
    list_display = [
        "organisation",
        "application",
        "role",
        "consent",
        "commits_money_sek",
        "commits_hours",
    ]
    list_filter = ["role", "consent"]
    readonly_fields = ["consent_decided_by", "consent_decided_at"]
    search_fields = ["organisation__name", "application__reference", "application__title"]
    autocomplete_fields = ["application", "organisation"]
    list_select_related = ["organisation", "application"]


@admin.register(Assessment)
class AssessmentAdmin(admin.ModelAdmin):
    list_display = ["application", "reviewer", "criterion", "verdict", "updated_at"]
    list_filter = ["criterion", "verdict"]
    search_fields = ["application__reference", "application__title", "comment"]
    autocomplete_fields = ["application", "reviewer"]
    list_select_related = ["application", "reviewer"]


@admin.register(ApplicationEvent)
class ApplicationEventAdmin(admin.ModelAdmin):
    list_display = ["application", "action", "from_status", "to_status", "actor", "created_at"]
    list_filter = ["action"]
    search_fields = ["application__reference", "application__title", "note"]
    date_hierarchy = "created_at"
    autocomplete_fields = ["application", "actor"]
    list_select_related = ["application", "actor"]


@admin.register(ReviewNote)
class ReviewNoteAdmin(admin.ModelAdmin):
    list_display = ["application", "author", "created_at"]
    search_fields = ["application__reference", "application__title", "text"]
    date_hierarchy = "created_at"
    autocomplete_fields = ["application"]
    list_select_related = ["application", "author"]
    readonly_fields = ["author"]

    def save_model(self, request, obj, form, change):
        if obj.author_id is None:
            obj.author = request.user
        super().save_model(request, obj, form, change)


@admin.register(ApplicationAttachment)
class ApplicationAttachmentAdmin(admin.ModelAdmin):
    form = AttachmentAdminForm
    list_display = ["original_name", "application", "content_type", "size_bytes", "uploaded_at"]
    search_fields = ["original_name", "application__reference", "application__title"]
    date_hierarchy = "uploaded_at"
    autocomplete_fields = ["application"]
    list_select_related = ["application"]
    readonly_fields = ["content_type", "size_bytes", "uploaded_by", "uploaded_at"]

    def save_model(self, request, obj, form, change):
        if obj.uploaded_by_id is None:
            obj.uploaded_by = request.user
        super().save_model(request, obj, form, change)
