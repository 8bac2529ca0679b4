"""Forms of the coordinated plan and alerts (issue #13). Every free text is screened."""

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation
from places.models import NotificationSetting
from places.screening import ScreenedFormMixin

from .alert_models import Alert, AlertAnswer, ContactLink, PlanVersion, Scenario

# Sweden and its neighbours, with a margin: a pin outside this box is a mistake.
LAT_RANGE = (54.0, 70.5)
LON_RANGE = (9.0, 25.5)


class ScenarioForm(ScreenedFormMixin, forms.ModelForm):
    class Meta:
        model = Scenario
        fields = ["title", "signs", "steps", "escalation_minutes", "order"]
        widgets = {
            "signs": forms.Textarea(attrs={"rows": 3}),
            "steps": forms.Textarea(attrs={"rows": 6}),
        }
        help_texts = {
            "steps": _("One step a line, in order."),
            "escalation_minutes": _(
                "If no one of the alerted links has answered within this many minutes, the next "
                "link of the contact chain is alerted."
            ),
        }


class ContactLinkForm(ScreenedFormMixin, forms.ModelForm):
    class Meta:
        model = ContactLink
        fields = ["position", "organisation", "task", "phone"]
        help_texts = {
            "phone": _(
                "The organisation's functional number (switchboard, on-call), never a private one."
            ),
        }

    def __init__(self, *args, scenario, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.scenario = scenario
        self.fields["organisation"].queryset = organisations

    def clean_position(self):
        position = self.cleaned_data["position"]
        if self.scenario.links.filter(position=position).exists():
            raise forms.ValidationError(_("This position is taken; choose another."))
        return position


class PublishForm(ScreenedFormMixin, forms.ModelForm):
    class Meta:
        model = PlanVersion
        fields = ["note"]


class AlertForm(ScreenedFormMixin, forms.ModelForm):
    """A few taps on a phone: scenario (optional), a short text, severity, where."""

    class Meta:
        model = Alert
        fields = ["scenario", "text", "severity", "organisations", "lat", "lon"]
        widgets = {
            "severity": forms.RadioSelect,
            "organisations": forms.CheckboxSelectMultiple,
            "lat": forms.HiddenInput,
            "lon": forms.HiddenInput,
        }
        help_texts = {
            "text": _("What is happening and where, never who: no names or numbers."),
            "organisations": _("Leave empty to alert everyone with a role at the place."),
        }

    def __init__(self, *args, place, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.place = place
        self.fields["scenario"].queryset = Scenario.objects.filter(plan__place=place)
        self.fields["scenario"].empty_label = _("No scenario")
        self.fields["scenario"].required = False
        self.fields["organisations"].queryset = organisations
        self.fields["organisations"].required = False

    def clean(self):
        data = super().clean()
        lat, lon = data.get("lat"), data.get("lon")
        if (lat is None) != (lon is None):
            raise forms.ValidationError(_("The position is incomplete; try again."))
        if lat is not None and not (
            LAT_RANGE[0] <= lat <= LAT_RANGE[1] and LON_RANGE[0] <= lon <= LON_RANGE[1]
        ):
            raise forms.ValidationError(_("The position is outside Sweden; try again."))
        return data


class AnswerForm(forms.Form):
    answer = forms.ChoiceField(choices=AlertAnswer.Answer.choices)


class CloseForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=Alert.Outcome.choices)


class NotificationSettingForm(forms.ModelForm):
    class Meta:
        model = NotificationSetting
        fields = ["email", "push"]


def organisations_at(place):
    """Organisations someone represents at the place."""
    return Organisation.objects.filter(place_roles__place=place).distinct().order_by("name")
