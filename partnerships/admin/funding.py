"""The admin of the funding: annual budgets, commitments with their payments, reminders."""

from decimal import Decimal

from django import forms
from django.contrib import admin
from django.core.validators import MinValueValidator
from django.db.models import Sum
from django.forms.models import BaseInlineFormSet
from django.utils.translation import gettext_lazy as _

from ..models import AnnualBudget, FundingCommitment, FundingReminder, Payment

# The funding services own the paid-amount rule; the admin applies the same one.
from ..services.funding import commitment_refresh_paid, sek


@admin.register(AnnualBudget)
class AnnualBudgetAdmin(admin.ModelAdmin):
    list_display = ["place", "year", "target_sek", "municipal_share_sek"]
    list_filter = ["year", "place"]
    search_fields = ["place__name"]
    autocomplete_fields = ["place"]
    list_select_related = ["place"]


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
