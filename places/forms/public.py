"""Forms of the public side (issue #14): a tip from the public, and the managers' moderation.

Public forms speak the visitor's language (places/public_i18n.py), so every message they can
show is our own lazy string, translated in the public catalogues (ar, so included)."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from ..abuse import HONEYPOT_FIELD
from ..models import ActionItem, PublicTip
from ..privacy import validate_no_personal_data
from ..rules import place_organisations
from ..screening import ScreenedFormMixin
from . import PhotoField, PositionMixin, _coordinate_widget

REQUIRED = _("Fill in this field.")


class TipForm(ScreenedFormMixin, PositionMixin, forms.Form):
    """ "Tipsa oss": what, where (a pin on the map), optionally a photo and an e-mail address."""

    screening_record = "places.PublicTip"

    category = forms.ChoiceField(
        label=_("What is it about?"),
        choices=ActionItem.Category.choices,
        error_messages={"required": REQUIRED, "invalid_choice": _("Choose one of the options.")},
    )
    description = forms.CharField(
        label=_("Describe the problem"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        validators=[validate_no_personal_data],
        help_text=_("Describe what and where, never who: no names, phone numbers or plates."),
        error_messages={"required": REQUIRED},
    )
    location_note = forms.CharField(
        label=_("Where, in words (optional)"),
        required=False,
        max_length=200,
        validators=[validate_no_personal_data],
    )
    lat = forms.FloatField(
        label=_("Latitude"),
        min_value=-90,
        max_value=90,
        widget=_coordinate_widget("lat"),
        error_messages={
            "required": _("Set a pin on the map (or use your position)."),
            "invalid": _("Enter a number."),
        },
    )
    lon = forms.FloatField(
        label=_("Longitude"),
        min_value=-180,
        max_value=180,
        widget=_coordinate_widget("lon"),
        error_messages={
            "required": _("Set a pin on the map (or use your position)."),
            "invalid": _("Enter a number."),
        },
    )
    photo = PhotoField(
        label=_("Photo (optional)"),
        help_text=_("JPEG, PNG or WebP. Location data and other metadata are removed."),
    )
    email = forms.EmailField(
        label=_("Your e-mail address (optional)"),
        required=False,
        max_length=254,
        help_text=_("Only for updates about this tip; erased when the tip is closed."),
        error_messages={"invalid": _("Enter a valid e-mail address.")},
    )

    def __init__(self, *args, place, **kwargs):
        self.place = place
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [("", "---------"), *ActionItem.Category.choices]
        # Invisible to people (hidden by CSS and from assistive technology); bots fill it.
        self.fields[HONEYPOT_FIELD] = forms.CharField(required=False, label="Website")

    def clean(self):
        cleaned = super().clean()
        self.clean_position(cleaned)
        return cleaned


class TipAcceptForm(ScreenedFormMixin, forms.Form):
    screening_record = "places.ActionItem"

    category = forms.ChoiceField(label=_("Category"), choices=ActionItem.Category.choices)
    description = forms.CharField(
        label=_("Description of the action item"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        validators=[validate_no_personal_data],
    )
    responsible_organisation = forms.ModelChoiceField(
        label=_("Responsible organisation"), queryset=None
    )

    def __init__(self, *args, tip: PublicTip, **kwargs):
        self.place = tip.place
        kwargs.setdefault("initial", {"category": tip.category, "description": tip.description})
        super().__init__(*args, **kwargs)
        self.fields["responsible_organisation"].queryset = place_organisations(tip.place)


class TipMergeForm(forms.Form):
    action_item = forms.ModelChoiceField(label=_("Existing action item"), queryset=None)

    def __init__(self, *args, tip: PublicTip, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["action_item"].queryset = ActionItem.objects.filter(place=tip.place).order_by(
            "-created_at"
        )


class TipDeclineForm(ScreenedFormMixin, forms.Form):
    screening_record = "places.PublicTip"

    reason = forms.CharField(
        label=_("Reason (shown to the person who sent the tip)"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        validators=[validate_no_personal_data],
    )

    def __init__(self, *args, tip: PublicTip, **kwargs):
        self.place = tip.place
        super().__init__(*args, **kwargs)

    def clean_reason(self):
        value = self.cleaned_data["reason"].strip()
        if not value:
            raise ValidationError(_("Give a reason."))
        return value


class PublicPageForm(forms.Form):
    public_page_enabled = forms.BooleanField(label=_("The public page is on"), required=False)
