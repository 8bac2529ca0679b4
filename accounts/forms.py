from allauth.account.forms import SignupForm as AllauthSignupForm
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .models import ApiScope, User


def add_service_errors(form, error: ValidationError) -> None:
    """A service's ValidationError on the form: each field's errors on that field, the rest
    (and errors for fields the form does not show, e.g. one a service checks again under its
    row lock) above the form. The one way every app's views show a service's refusal."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for name, errors in error.error_dict.items():
        form.add_error(name if name in form.fields else None, errors)


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


class ApiTokenForm(forms.Form):
    """A new personal API token: what it is for, what it may do, and how long it lives."""

    EXPIRY_CHOICES = [
        (30, _("30 days")),
        (90, _("90 days")),
        (180, _("180 days")),
        (365, _("One year")),
    ]

    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        help_text=_("What the token is for, e.g. “Guard company's incident system”."),
    )
    scopes = forms.MultipleChoiceField(
        label=_("What it may do"),
        choices=ApiScope.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("It never reaches more than you can see and do yourself."),
    )
    expires_in_days = forms.TypedChoiceField(
        label=_("Expires after"), choices=EXPIRY_CHOICES, coerce=int, initial=90
    )

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        if "\x00" in name:
            raise forms.ValidationError(_("The name holds a character that cannot be saved."))
        return name

    def clean_expires_in_days(self):
        days = self.cleaned_data["expires_in_days"]
        return min(days, settings.API_TOKEN_MAX_DAYS)


class AccountDeleteForm(forms.Form):
    password = forms.CharField(
        label=_("Your password"),
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text=_("To make sure it is you."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("That is not your password."), code="wrong_password")
        return password
