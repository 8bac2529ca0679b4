from allauth.account.forms import SignupForm as AllauthSignupForm
from django import forms
from django.utils.translation import gettext_lazy as _

from .models import User


class UserSettingsForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["full_name", "preferred_language", "report_notifications"]


def clean_person_name(value: str) -> str:
    """A person's name as typed at sign-up: spaces collapsed, something left, no control
    characters (the one rule for both ways of signing up)."""
    name = " ".join((value or "").split())
    if not name or any(ord(ch) < 32 or ord(ch) == 127 for ch in name):
        raise forms.ValidationError(_("Write your name."))
    return name


class SignupForm(AllauthSignupForm):
    """allauth's sign-up with the person's name, so greetings and lists show a name, not an
    e-mail address."""

    full_name = forms.CharField(
        label=_("Your full name"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    field_order = ["email", "full_name", "password1", "password2"]

    def clean_full_name(self):
        return clean_person_name(self.cleaned_data["full_name"])
