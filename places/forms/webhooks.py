"""The form of a place's outbound webhooks (issue #15)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import Webhook
from ..screening import ScreenedFormMixin
from ..services.webhooks import event_choices


class WebhookForm(ScreenedFormMixin, forms.ModelForm):
    url = forms.URLField(
        label=_("URL"),
        max_length=500,
        assume_scheme="https",
        help_text=_("An https:// address of the receiving system."),
    )
    events = forms.MultipleChoiceField(
        label=_("Events"),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("A signed POST is sent for each event chosen."),
    )

    class Meta:
        model = Webhook
        fields = ["url", "events"]

    def __init__(self, *args, place=None, **kwargs):
        self.place = place
        super().__init__(*args, **kwargs)
        self.fields["events"].choices = event_choices()
