"""Django admin for organisations, memberships, funding, invitations and applications."""

import mimetypes
from decimal import Decimal

from django import forms
from django.contrib import admin
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import MinValueValidator
from django.db.models import Sum
from django.forms.models import BaseInlineFormSet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation
from places import admin as places_admin
from places.admin import BoundaryFormField
from places.models import Place

from .models import (
    AnnualBudget,
    ApplicationAttachment,
    ApplicationEvent,
    ApplicationParty,
    Assessment,
    FundingCommitment,
    FundingReminder,
    Invitation,
    Membership,
    PartnershipApplication,
    Payment,
    ReviewNote,
    SocialOutcome,
)

# The funding services own the paid-amount rule; the admin applies the same one.
from .services.funding import commitment_refresh_paid, sek

# --- Organisations and memberships -------------------------------------------------------------


class OrganisationMembershipInline(admin.TabularInline):
    model = Membership
    fields = ["place", "role", "since", "until"]
    autocomplete_fields = ["place"]
    extra = 0


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "org_number", "kind", "created_at"]
    list_filter = ["kind"]
    search_fields = ["name", "org_number"]
    readonly_fields = ["created_at"]
    inlines = [OrganisationMembershipInline]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["organisation", "place", "role", "since", "until"]
    list_filter = ["role", "place"]
    search_fields = ["organisation__name", "place__name"]
    date_hierarchy = "since"
    autocomplete_fields = ["organisation", "place"]
    list_select_related = ["organisation", "place"]


@admin.register(AnnualBudget)
class AnnualBudgetAdmin(admin.ModelAdmin):
    list_display = ["place", "year", "target_sek", "municipal_share_sek"]
    list_filter = ["year", "place"]
    search_fields = ["place__name"]
    autocomplete_fields = ["place"]
    list_select_related = ["place"]


# --- Funding ----------------------------------------------------------------------------------


def _sync_amount_paid(commitment):
    """What is paid is the sum of the payments, and a fully paid commitment is Paid: the same
    rule the app's payment services apply, so the admin and the funding page agree."""
    commitment = FundingCommitment.objects.select_for_update().get(pk=commitment.pk)
    commitment_refresh_paid(commitment=commitment)


class PaymentInlineFormSet(BaseInlineFormSet):
    def clean(self):
        super().clean()
        amount = self.instance.amount_sek
        if amount is None or any(form.errors for form in self.forms):
            return
        total = sum(
            (
                form.cleaned_data.get("amount_sek") or Decimal(0)
                for form in self.forms
                if form.cleaned_data and not form.cleaned_data.get("DELETE")
            ),
            Decimal(0),
        )
        if total > amount:
            raise forms.ValidationError(_("The payments add up to more than the committed amount."))


class PaymentInline(admin.TabularInline):
    model = Payment
    formset = PaymentInlineFormSet
    fields = ["amount_sek", "paid_on", "recorded_by", "recorded_at"]
    readonly_fields = ["recorded_by", "recorded_at"]
    extra = 0


class FundingCommitmentAdminForm(forms.ModelForm):
    class Meta:
        model = FundingCommitment
        fields = ["organisation", "place", "year", "kind", "amount_sek", "status"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Refuse a negative amount here, before the model compares it with what is paid.
        self.fields["amount_sek"].validators.append(MinValueValidator(Decimal(0)))

    def clean(self):
        cleaned = super().clean()
        amount, paid = cleaned.get("amount_sek"), self.instance.amount_paid or Decimal(0)
        if amount is not None and amount < paid:
            # amount_paid is read-only here, so the error belongs on the amount.
            self.add_error(
                "amount_sek",
                _("%(paid)s has already been paid; the commitment cannot be smaller than that.")
                % {"paid": sek(paid)},
            )
        return cleaned


@admin.register(FundingCommitment)
class FundingCommitmentAdmin(admin.ModelAdmin):
    form = FundingCommitmentAdminForm
    list_display = [
        "organisation",
        "place",
        "year",
        "kind",
        "amount_sek",
        "amount_paid",
        "status",
        "due_date",
    ]
    list_filter = ["status", "kind", "year", "place"]
    search_fields = ["organisation__name", "place__name", "in_kind_description"]
    date_hierarchy = "due_date"
    autocomplete_fields = ["organisation", "place"]
    list_select_related = ["organisation", "place"]
    # What was paid is the sum of the payments below, never a number typed in.
    readonly_fields = ["amount_paid", "created_at"]
    inlines = [PaymentInline]

    def save_formset(self, request, form, formset, change):
        payments = formset.save(commit=False)
        for payment in payments:
            if payment.recorded_by_id is None:
                payment.recorded_by = request.user
            payment.save()
        for payment in formset.deleted_objects:
            payment.delete()
        formset.save_m2m()

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        _sync_amount_paid(form.instance)


class PaymentAdminForm(forms.ModelForm):
    class Meta:
        model = Payment
        fields = ["commitment", "amount_sek", "paid_on"]

    def clean(self):
        cleaned = super().clean()
        commitment, amount = cleaned.get("commitment"), cleaned.get("amount_sek")
        if commitment and amount:
            others = commitment.payments.exclude(pk=self.instance.pk).aggregate(
                t=Sum("amount_sek")
            )["t"] or Decimal(0)
            if others + amount > commitment.amount_sek:
                self.add_error(
                    "amount_sek", _("The payments add up to more than the committed amount.")
                )
        return cleaned


@admin.register(Payment)
class PaymentAdmin(admin.ModelAdmin):
    form = PaymentAdminForm
    list_display = ["commitment", "amount_sek", "paid_on", "recorded_by"]
    search_fields = ["commitment__organisation__name", "commitment__place__name"]
    date_hierarchy = "paid_on"
    autocomplete_fields = ["commitment"]
    list_select_related = ["commitment__organisation", "commitment__place", "recorded_by"]
    readonly_fields = ["recorded_by", "recorded_at"]

    def save_model(self, request, obj, form, change):
        if obj.recorded_by_id is None:
            obj.recorded_by = request.user
        super().save_model(request, obj, form, change)
        _sync_amount_paid(obj.commitment)

    def delete_model(self, request, obj):
        commitment = obj.commitment
        super().delete_model(request, obj)
        _sync_amount_paid(commitment)

    def delete_queryset(self, request, queryset):
        commitments = list(FundingCommitment.objects.filter(payments__in=queryset).distinct())
        super().delete_queryset(request, queryset)
        for commitment in commitments:
            _sync_amount_paid(commitment)


@admin.register(FundingReminder)
class FundingReminderAdmin(admin.ModelAdmin):
    list_display = ["user", "week_start", "sent_at"]
    search_fields = ["user__email"]
    date_hierarchy = "week_start"
    autocomplete_fields = ["user"]
    list_select_related = ["user"]


# --- Invitations --------------------------------------------------------------------------------


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


# --- Applications ------------------------------------------------------------------------------


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


@admin.register(SocialOutcome)
class SocialOutcomeAdmin(admin.ModelAdmin):
    list_display = [
        "organisation",
        "place",
        "year",
        "local_jobs",
        "internships",
        "summer_jobs",
        "local_purchases_sek",
    ]
    list_filter = ["year", "place"]
    search_fields = ["organisation__name", "place__name"]
    autocomplete_fields = ["organisation", "place", "updated_by"]
    list_select_related = ["organisation", "place"]
    readonly_fields = ["updated_at"]


# --- The place page also lists its members and budgets --------------------------------------


class MembershipInline(admin.TabularInline):
    model = Membership
    fields = ["organisation", "role", "since", "until"]
    autocomplete_fields = ["organisation"]
    extra = 0


class AnnualBudgetInline(admin.TabularInline):
    model = AnnualBudget
    fields = ["year", "target_sek", "municipal_share_sek"]
    extra = 0


admin.site.unregister(Place)


@admin.register(Place)
class PlaceWithPartnershipAdmin(places_admin.PlaceAdmin):
    inlines = [*places_admin.PlaceAdmin.inlines, MembershipInline, AnnualBudgetInline]
