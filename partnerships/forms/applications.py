"""Forms for applying, reviewing and starting a partnership. Free text is privacy-screened."""

from decimal import Decimal

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.bounds import FiniteDecimalField, fixed_formset
from accounts.models import Organisation, validate_org_number
from places.geo import validate_boundary
from places.models import Place
from places.privacy import validate_no_personal_data
from places.screening import ScreenedFormMixin

from ..models import (
    CRITERIA,
    NON_NEGATIVE,
    ApplicationParty,
    Assessment,
    Membership,
    PartnershipApplication,
    validate_year,
)
from ..services.funding import in_kind_errors

SCREENED = [validate_no_personal_data]


def _textarea(rows=5):
    return forms.Textarea(attrs={"rows": rows})


class ApplicationStartForm(ScreenedFormMixin, forms.Form):
    """Start a draft. Users without an organisation register the one they apply for."""

    screening_record = "partnerships.PartnershipApplication"

    title = forms.CharField(
        label=_("Title of the application"),
        max_length=200,
        validators=SCREENED,
        help_text=_("A short name for the collaboration, e.g. “A safer Sofielund”."),
    )
    organisation_name = forms.CharField(label=_("Organisation name"), max_length=200)
    organisation_number = forms.CharField(
        label=_("Organisationsnummer"),
        max_length=11,
        validators=[validate_org_number],
        help_text=_("Ten digits, NNNNNN-NNNN."),
    )
    organisation_kind = forms.ChoiceField(
        label=_("Kind of organisation"), choices=Organisation.Kind.choices
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        if user.organisation_id:
            for name in ("organisation_name", "organisation_number", "organisation_kind"):
                del self.fields[name]

    def clean_organisation_number(self):
        from stdnum.se import orgnr

        number = orgnr.format(orgnr.compact(self.cleaned_data["organisation_number"]))
        if Organisation.objects.filter(org_number=number).exists():
            raise forms.ValidationError(
                _(
                    "This organisation is already registered. Ask an administrator to link your "
                    "account to it."
                )
            )
        return number

    def organisation_data(self):
        if self.user.organisation_id:
            return None
        return {
            "name": self.cleaned_data["organisation_name"],
            "org_number": self.cleaned_data["organisation_number"],
            "kind": self.cleaned_data["organisation_kind"],
        }


class BoundaryField(forms.JSONField):
    """GeoJSON in a textarea; an empty boundary shows as an empty box, not "null"."""

    def prepare_value(self, value):
        if value is None:
            return ""
        return super().prepare_value(value)


class AreaForm(ScreenedFormMixin, forms.ModelForm):
    area_boundary = BoundaryField(
        label=_("Boundary (GeoJSON)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4, "spellcheck": "false"}),
        help_text=_(
            "Draw the area on the map: click to add corners, at least three. Without the map, "
            "paste a GeoJSON Polygon in longitude/latitude here."
        ),
        validators=[validate_boundary],
    )

    class Meta:
        model = PartnershipApplication
        fields = ["title", "area_name", "area_description", "area_boundary"]
        widgets = {"area_description": _textarea()}
        help_texts = {
            "area_name": _("The street, square, block or district, e.g. “Sofielund”."),
            "area_description": _("What the area is like today and who lives and works there."),
        }


class PlanForm(ScreenedFormMixin, forms.ModelForm):
    class Meta:
        model = PartnershipApplication
        fields = ["purpose", "planned_activities", "expected_results"]
        widgets = {name: _textarea() for name in fields}
        help_texts = {
            "purpose": _("The need you have seen and what the collaboration wants to achieve."),
            "planned_activities": _(
                "E.g. safety walks (trygghetsvandringar), cleaning, lighting, events."
            ),
            "expected_results": _("What will be different, and how you will know."),
        }


class CriteriaForm(ScreenedFormMixin, forms.ModelForm):
    class Meta:
        model = PartnershipApplication
        fields = [f"answer_{code}" for code, _label, _help in CRITERIA]
        widgets = {name: _textarea(4) for name in fields}
        labels = {f"answer_{code}": label for code, label, _help in CRITERIA}
        help_texts = {f"answer_{code}": help_text for code, _label, help_text in CRITERIA}


class BudgetForm(ScreenedFormMixin, forms.ModelForm):
    class Meta:
        model = PartnershipApplication
        fields = ["time_plan", "budget_total_sek", "requested_support_sek", "budget_notes"]
        field_classes = {
            "budget_total_sek": FiniteDecimalField,
            "requested_support_sek": FiniteDecimalField,
        }
        widgets = {"time_plan": _textarea(4), "budget_notes": _textarea(4)}
        help_texts = {
            "time_plan": _("Phases and dates: start, first activities, follow-up."),
            "budget_total_sek": _(
                "Per year. It should equal the organisations' money plus the support requested."
            ),
        }


class PartyCommitmentForm(ScreenedFormMixin, forms.ModelForm):
    class Meta:
        model = ApplicationParty
        fields = ["commits_money_sek", "commits_hours", "commits_responsibility"]
        field_classes = {
            "commits_money_sek": FiniteDecimalField,
            "commits_hours": FiniteDecimalField,
        }
        widgets = {"commits_responsibility": _textarea(2)}


class PartyAddForm(ScreenedFormMixin, forms.Form):
    """A co-applicant organisation by its organisationsnummer, with what it commits."""

    screening_record = "partnerships.ApplicationParty"

    name = forms.CharField(label=_("Organisation name"), max_length=200)
    org_number = forms.CharField(
        label=_("Organisationsnummer"),
        max_length=11,
        validators=[validate_org_number],
        help_text=_("Ten digits, NNNNNN-NNNN."),
    )
    kind = forms.ChoiceField(label=_("Kind of organisation"), choices=Organisation.Kind.choices)
    commits_money_sek = FiniteDecimalField(
        label=_("Money committed (SEK/year)"),
        min_value=0,
        max_digits=14,
        decimal_places=2,
        initial=Decimal(0),
    )
    commits_hours = FiniteDecimalField(
        label=_("Hours committed (per year)"),
        min_value=0,
        max_digits=8,
        decimal_places=1,
        initial=Decimal(0),
    )
    commits_responsibility = forms.CharField(
        label=_("Responsibility for activities"),
        max_length=2000,
        required=False,
        validators=SCREENED,
        widget=_textarea(2),
    )

    def __init__(self, *args, application, **kwargs):
        super().__init__(*args, **kwargs)
        self.application = application

    def clean_org_number(self):
        from stdnum.se import orgnr

        number = orgnr.format(orgnr.compact(self.cleaned_data["org_number"]))
        consent = (
            self.application.parties.filter(organisation__org_number=number)
            .values_list("consent", flat=True)
            .first()
        )
        if consent == ApplicationParty.Consent.PENDING:
            raise forms.ValidationError(
                _("This organisation has been asked already and has not answered yet.")
            )
        if consent == ApplicationParty.Consent.DECLINED:
            raise forms.ValidationError(
                _(
                    "This organisation has declined. Remove its answer from the list above "
                    "before you ask it again."
                )
            )
        if consent is not None:
            raise forms.ValidationError(_("This organisation is already a party."))
        return number

    def commitment_data(self):
        return {
            name: self.cleaned_data[name]
            for name in ("commits_money_sek", "commits_hours", "commits_responsibility")
        }


class InviteEditorForm(forms.Form):
    editor = forms.ModelChoiceField(
        label=_("Colleague to invite"),
        queryset=get_user_model().objects.none(),
        help_text=_("Users of the applying organisations who have an account."),
    )

    def __init__(self, *args, application, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["editor"].queryset = (
            get_user_model()
            .objects.filter(
                # One filter call, so both conditions hold for the same party row: the people
                # of an organisation that has only been asked are never offered.
                organisation__application_parties__application=application,
                organisation__application_parties__consent=ApplicationParty.Consent.ACCEPTED,
                is_active=True,
            )
            .exclude(Q(pk=application.created_by_id) | Q(applications_collaborating=application))
            .exclude(organisation_id=application.lead_organisation_id)
            .select_related("organisation")
            .order_by("full_name", "email")
            .distinct()
        )
        self.fields["editor"].label_from_instance = lambda user: (
            f"{user.full_name or user.email} ({user.organisation})"
        )


class AttachmentForm(forms.Form):
    file = forms.FileField(
        label=_("File"),
        help_text=_("PDF, PNG or JPEG, at most 10 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.png,.jpg,.jpeg"}),
    )


# --- Reviewers ----------------------------------------------------------------------------


def reviewer_queryset():
    return (
        get_user_model()
        .objects.filter(
            Q(groups__permissions__codename="review_application")
            | Q(user_permissions__codename="review_application")
            | Q(is_superuser=True),
            is_active=True,
        )
        .distinct()
        .order_by("full_name", "email")
    )


class QueueFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[
            ("open", _("Awaiting decision")),
            *[
                (value, label)
                for value, label in PartnershipApplication.Status.choices
                if value != "draft"
            ],
            ("all", _("All")),
        ],
    )
    min_days = forms.TypedChoiceField(
        label=_("Waiting"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[
            ("", _("Any time")),
            ("7", _("At least 7 days")),
            ("14", _("At least 14 days")),
            ("30", _("At least 30 days")),
        ],
    )
    reviewer = forms.ChoiceField(label=_("Assigned reviewer"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reviewer"].choices = [
            ("", _("Anyone")),
            ("me", _("Me")),
            ("none", _("Nobody yet")),
            *[(str(user.pk), user.full_name or user.email) for user in reviewer_queryset()],
        ]


class AssignForm(forms.Form):
    reviewer = forms.ModelChoiceField(
        label=_("Assign to"),
        queryset=get_user_model().objects.none(),
        required=False,
        empty_label=_("Nobody"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reviewer"].queryset = reviewer_queryset()
        self.fields["reviewer"].label_from_instance = lambda user: user.full_name or user.email


class CriteriaAssessmentForm(ScreenedFormMixin, forms.Form):
    """One reviewer's verdict and comment on every criterion, sent and saved as one form.

    A criterion left without a verdict and comment is left as it was; a comment without a
    verdict is an error rather than silently dropped.
    """

    screening_record = "partnerships.Assessment"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for code, _label, _help in CRITERIA:
            self.fields[f"verdict_{code}"] = forms.ChoiceField(
                label=_("Your verdict"),
                choices=Assessment.Verdict.choices,
                widget=forms.RadioSelect,
                required=False,
            )
            self.fields[f"comment_{code}"] = forms.CharField(
                label=_("Comment"),
                required=False,
                max_length=3000,
                validators=SCREENED,
                widget=_textarea(2),
            )

    @classmethod
    def initial_from(cls, assessments) -> dict:
        """The reviewer's own saved verdicts, to show in the form."""
        initial = {}
        for assessment in assessments:
            initial[f"verdict_{assessment.criterion}"] = assessment.verdict
            initial[f"comment_{assessment.criterion}"] = assessment.comment
        return initial

    def fields_for(self, code):
        """The bound verdict and comment fields of one criterion, for the template."""
        return self[f"verdict_{code}"], self[f"comment_{code}"]

    def clean(self):
        cleaned = super().clean()
        chosen = 0
        for code, _label, _help in CRITERIA:
            verdict_name = f"verdict_{code}"
            # What was typed, even a comment refused for its content: it needs a verdict too.
            typed_comment = (self[f"comment_{code}"].value() or "").strip()
            if cleaned.get(verdict_name):
                chosen += 1
            elif typed_comment and verdict_name not in self.errors:
                self.add_error(
                    verdict_name, _("Choose a verdict for your comment, or clear the comment.")
                )
        if not chosen and not self.errors:
            raise forms.ValidationError(_("Choose a verdict for at least one criterion."))
        return cleaned

    def verdicts(self) -> dict:
        """criterion code → (verdict, comment) for every criterion with a verdict."""
        return {
            code: (self.cleaned_data[f"verdict_{code}"], self.cleaned_data[f"comment_{code}"])
            for code, _label, _help in CRITERIA
            if self.cleaned_data.get(f"verdict_{code}")
        }


class ReviewNoteForm(ScreenedFormMixin, forms.Form):
    screening_record = "partnerships.ReviewNote"

    text = forms.CharField(
        label=_("Internal note"),
        max_length=5000,
        validators=SCREENED,
        widget=_textarea(3),
        help_text=_("Only reviewers see internal notes; the applicants never do."),
    )


class RequestChangesForm(ScreenedFormMixin, forms.Form):
    screening_record = "partnerships.ApplicationEvent"

    message = forms.CharField(
        label=_("What should be changed"),
        max_length=5000,
        validators=SCREENED,
        widget=_textarea(4),
        help_text=_("The applicants see this message."),
    )

    def decision_data(self) -> dict:
        return {"message": self.cleaned_data["message"]}


class DecisionForm(ScreenedFormMixin, forms.Form):
    """The reason for a decision; before every criterion is assessed (`progress` says), also
    why the reviewer decides anyway."""

    screening_record = "partnerships.PartnershipApplication"

    reason = forms.CharField(
        label=_("Reason for the decision"),
        max_length=5000,
        validators=SCREENED,
        widget=_textarea(4),
        help_text=_("The applicants see the decision and its reason."),
    )

    def __init__(self, *args, progress=None, **kwargs):
        super().__init__(*args, **kwargs)
        if progress is not None and not progress.is_complete:
            self.fields["unassessed_reason"] = forms.CharField(
                label=_("Why decide before every criterion is assessed?"),
                max_length=2000,
                validators=SCREENED,
                widget=_textarea(3),
                help_text=_("Only reviewers see this; it is kept as an internal note."),
                error_messages={
                    "required": _(
                        "Only %(assessed)s of %(total)s criteria are assessed. Say why you "
                        "decide before every criterion is assessed."
                    )
                    % {"assessed": progress.assessed, "total": progress.total}
                },
            )

    def decision_data(self) -> dict:
        return {
            "reason": self.cleaned_data["reason"],
            "unassessed_reason": self.cleaned_data.get("unassessed_reason", ""),
        }


class ApprovalForm(DecisionForm):
    """The place approval creates; the reviewer can adjust it before confirming."""

    place_name = forms.CharField(label=_("Name of the place"), max_length=150, validators=SCREENED)
    place_slug = forms.SlugField(
        label=_("Web address (slug)"),
        max_length=80,
        help_text=_("Lowercase letters, digits and hyphens; part of the place's address."),
    )
    place_kind = forms.ChoiceField(label=_("Kind of place"), choices=Place.Kind.choices)
    municipality = forms.CharField(label=_("Municipality"), max_length=100)
    year = forms.IntegerField(
        label=_("Year of the first commitments"), min_value=2000, validators=[validate_year]
    )
    managers = forms.ModelMultipleChoiceField(
        label=_("Managers (platsansvariga) from the lead organisation"),
        queryset=get_user_model().objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    field_order = ["place_name", "place_slug", "place_kind", "municipality", "year", "managers"]

    def __init__(self, *args, managers_queryset, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["managers"].queryset = managers_queryset
        self.fields["managers"].label_from_instance = lambda user: (
            f"{user.full_name} ({user.email})" if user.full_name else user.email
        )

    def clean_place_slug(self):
        slug = self.cleaned_data["place_slug"]
        if Place.objects.filter(slug=slug).exists():
            raise forms.ValidationError(_("Another place already has this address."))
        return slug


class ApprovalPartyForm(ScreenedFormMixin, forms.Form):
    """One party's membership and commitments at the start."""

    screening_record = "partnerships.FundingCommitment"

    membership_role = forms.ChoiceField(label=_("Membership"), choices=Membership.Role.choices)
    cash_sek = FiniteDecimalField(
        label=_("Cash (SEK)"),
        min_value=0,
        max_digits=14,
        decimal_places=2,
        validators=NON_NEGATIVE,
    )
    in_kind_hours = FiniteDecimalField(
        label=_("Hours in kind"), min_value=0, max_digits=8, decimal_places=1
    )
    in_kind_value_sek = FiniteDecimalField(
        label=_("Value of the work in kind (SEK)"), min_value=0, max_digits=14, decimal_places=2
    )
    in_kind_description = forms.CharField(
        label=_("Work in kind"), max_length=300, required=False, validators=SCREENED
    )

    def clean(self):
        cleaned = super().clean()
        hours = cleaned.get("in_kind_hours")
        value = cleaned.get("in_kind_value_sek")
        if (hours and hours > 0) or (value and value > 0):
            for field, message in in_kind_errors(
                hours=hours, description=cleaned.get("in_kind_description", "")
            ).items():
                if field not in self.errors:
                    self.add_error(field, message)
        return cleaned


def approval_party_formset(parties: int):
    """One row per party of the application: the page decides how many, not the browser."""
    return fixed_formset(ApprovalPartyForm, parties)


class FollowupForm(ScreenedFormMixin, forms.ModelForm):
    class Meta:
        model = PartnershipApplication
        fields = ["followup_numbers", "followup_stories", "followup_unexpected"]
        widgets = {name: _textarea(4) for name in fields}
        help_texts = {
            "followup_numbers": _("Figures you follow yourselves beyond those shown here."),
            "followup_stories": _("What happened: successes and challenges worth sharing."),
            "followup_unexpected": _("Effects nobody planned for, good or bad."),
        }
