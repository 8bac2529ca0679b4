from decimal import Decimal

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.bounds import BoundedDateField, FiniteDecimalField
from accounts.models import Organisation
from places.screening import ScreenedFormMixin

from ..models import AnnualBudget, FundingCommitment, SocialOutcome, validate_year
from .members import DateInput


class SEKField(FiniteDecimalField):
    """An amount in kronor as Swedes and English speakers type it: '1 250 000', '1250000,50',
    '1,250,000.50' and '-5' (refused with a clear message, not a parse error)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_digits", 14)
        kwargs.setdefault("decimal_places", 2)
        super().__init__(**kwargs)

    def to_python(self, value):
        if isinstance(value, str):
            value = value.replace("kr", "").strip()
        try:
            return super().to_python(value)
        except forms.ValidationError:
            raise forms.ValidationError(
                _("Enter an amount in kronor, e.g. 250 000."), code="invalid"
            ) from None

    def validate(self, value):
        if value is not None and value < 0:
            raise forms.ValidationError(_("The amount cannot be negative."), code="negative")
        super().validate(value)


class YearForm(forms.Form):
    """The funding page's year choice (GET)."""

    year = forms.IntegerField(label=_("Year"), validators=[validate_year])


class BudgetForm(forms.ModelForm):
    target_sek = SEKField(label=_("Target (SEK)"))
    municipal_share_sek = SEKField(
        label=_("Municipal share (SEK)"),
        help_text=_("AMP's rule of thumb: half from the municipality, half from private actors."),
    )

    class Meta:
        model = AnnualBudget
        fields = ["year", "target_sek", "municipal_share_sek"]


class CommitmentForm(ScreenedFormMixin, forms.ModelForm):
    amount_sek = SEKField(
        label=_("Amount (SEK)"), help_text=_("For work in kind: its valuation in SEK.")
    )

    class Meta:
        model = FundingCommitment
        fields = [
            "organisation",
            "year",
            "kind",
            "amount_sek",
            "in_kind_hours",
            "in_kind_description",
            "status",
            "due_date",
        ]
        labels = {"due_date": pgettext_lazy("funding", "Due date")}
        field_classes = {"due_date": BoundedDateField, "in_kind_hours": FiniteDecimalField}
        widgets = {
            "due_date": DateInput(),
        }

    def __init__(self, *args, place, **kwargs):
        super().__init__(*args, **kwargs)
        # Members past and present, and the commitment's own organisation even if it never was.
        self.fields["organisation"].queryset = (
            Organisation.objects.filter(
                Q(memberships__place=place) | Q(pk=self.instance.organisation_id or 0)
            )
            .distinct()
            .order_by("name")
        )
        self.fields["organisation"].help_text = _(
            "Only organisations that are or have been members of the place."
        )
        self.fields["in_kind_hours"].help_text = _("Only for work in kind.")
        self.fields["year"].initial = timezone.localdate().year
        self.fields["kind"].choices = FundingCommitment.Kind.choices

    def clean(self):
        data = super().clean()
        paid = self.instance.amount_paid or Decimal("0")
        amount = data.get("amount_sek")
        if amount is not None and amount < paid:
            # Checked here too, so the model's own check never meets a field the form lacks.
            from ..services.funding import sek

            self.add_error(
                "amount_sek",
                _("%(paid)s has already been paid; the commitment cannot be smaller than that.")
                % {"paid": sek(paid)},
            )
        return data


class PaymentForm(forms.Form):
    amount_sek = SEKField(
        label=_("Amount (SEK)"),
        help_text=_("For work in kind: the value of the work delivered."),
    )
    # Bounded like any date; "not in the future" is the payment service's rule, with its message.
    paid_on = BoundedDateField(label=_("Paid on"), widget=DateInput(), initial=timezone.localdate)

    def clean_amount_sek(self):
        amount = self.cleaned_data["amount_sek"]
        if amount is not None and amount <= Decimal("0"):
            raise forms.ValidationError(_("Enter an amount larger than 0 kr."))
        return amount


class SocialOutcomeForm(forms.ModelForm):
    """One organisation's social-clause targets and results for a year: counts and amounts,
    no names (there is no free-text field on purpose)."""

    local_purchases_target_sek = SEKField(label=_("Local purchases, target (SEK)"), required=False)
    local_purchases_sek = SEKField(label=_("Local purchases, result (SEK)"), required=False)

    class Meta:
        model = SocialOutcome
        fields = [
            "organisation",
            "year",
            "local_jobs_target",
            "local_jobs",
            "internships_target",
            "internships",
            "summer_jobs_target",
            "summer_jobs",
            "local_purchases_target_sek",
            "local_purchases_sek",
        ]
        widgets = {
            name: forms.NumberInput(attrs={"inputmode": "numeric", "min": 0})
            for name in (
                "local_jobs_target",
                "local_jobs",
                "internships_target",
                "internships",
                "summer_jobs_target",
                "summer_jobs",
            )
        }

    def __init__(self, *args, place, **kwargs):
        kwargs.setdefault("instance", SocialOutcome(place=place))
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = (
            Organisation.objects.filter(
                Q(memberships__place=place) | Q(pk=self.instance.organisation_id or 0)
            )
            .distinct()
            .order_by("name")
        )
        if not self.instance.pk:
            self.initial.setdefault("year", timezone.localdate().year)
