from django import forms
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.bounds import BoundedDateField
from accounts.forms import clean_person_name
from accounts.models import Organisation
from places.models import PlaceRole

from ..models import Membership


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


def member_organisations(place):
    """Organisations that are or have been members of the place, for choosing whom a person
    represents or who commits money."""
    return Organisation.objects.filter(memberships__place=place).distinct().order_by("name")


class InvitationForm(forms.Form):
    email = forms.EmailField(
        label=_("E-mail address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )
    role = forms.ChoiceField(
        label=_("Role"),
        choices=PlaceRole.Role.choices,
        initial=PlaceRole.Role.READER,
        help_text=_(
            "Reader: reads the dashboard and reports. Reporter: also logs incidents and "
            "activities. Manager: also runs members, invitations and funding."
        ),
    )
    organisation = forms.ModelChoiceField(
        label=_("Organisation represented"),
        queryset=Organisation.objects.none(),
        required=False,
        empty_label=_("– none –"),
    )

    def __init__(self, *args, place, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = member_organisations(place)


class PlaceRoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=PlaceRole.Role.choices)


class MembershipForm(forms.Form):
    """An organisation joins: an organisation already in the register, or a new one."""

    organisation = forms.ModelChoiceField(
        label=_("Organisation"),
        queryset=Organisation.objects.none(),
        required=False,
        empty_label=_("– a new organisation (fill in below) –"),
    )
    name = forms.CharField(label=_("Name of the new organisation"), max_length=200, required=False)
    org_number = forms.CharField(
        label=_("Organisationsnummer"),
        max_length=11,
        required=False,
        help_text=_("Ten digits, e.g. 556701-2346."),
    )
    kind = forms.ChoiceField(
        label=_("Kind of organisation"),
        choices=Organisation.Kind.choices,
        required=False,
    )
    role = forms.ChoiceField(
        label=_("Role in the partnership"),
        choices=Membership.Role.choices,
        initial=Membership.Role.MEMBER,
    )
    since = BoundedDateField(
        label=_("Member since"), widget=DateInput(), initial=timezone.localdate
    )

    def __init__(self, *args, place, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.exclude(
            memberships__place=place, memberships__until__isnull=True
        ).order_by("name")

    def clean(self):
        data = super().clean()
        if data.get("organisation"):
            return data
        if not data.get("name"):
            self.add_error(
                "organisation", _("Choose an organisation, or give the name of a new one.")
            )
            return data
        candidate = Organisation(
            name=data["name"], org_number=data.get("org_number") or "", kind=data.get("kind")
        )
        try:
            candidate.full_clean()
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                target = field if field in ("name", "org_number", "kind") else None
                for message in messages:
                    self.add_error(target, message)
        else:
            data["org_number"] = candidate.org_number
        return data


class MembershipEndForm(forms.Form):
    until = BoundedDateField(
        label=_("Member until"), widget=DateInput(), initial=timezone.localdate
    )


class InvitationSignupForm(forms.Form):
    """Joining from an invitation link in one step: the name and a password. The address is
    the invitation's: following the link proves the person reads that inbox, so it is not
    typed again nor verified by a second mail."""

    full_name = forms.CharField(
        label=_("Your full name"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
        help_text=_("The others at the place see it next to what you log."),
    )
    password1 = forms.CharField(
        label=_("Choose a password"),
        max_length=128,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label=_("The password again"),
        max_length=128,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, email, **kwargs):
        super().__init__(*args, **kwargs)
        self.email = email
        self.fields[
            "password1"
        ].help_text = password_validation.password_validators_help_text_html()

    def clean_full_name(self):
        return clean_person_name(self.cleaned_data["full_name"])

    def clean(self):
        cleaned = super().clean()
        first, second = cleaned.get("password1"), cleaned.get("password2")
        if first and second and first != second:
            self.add_error("password2", _("The two passwords differ. Type the same one twice."))
        elif first:
            from accounts.models import User

            candidate = User(email=self.email, full_name=cleaned.get("full_name", ""))
            try:
                password_validation.validate_password(first, user=candidate)
            except ValidationError as error:
                self.add_error("password1", error)
        return cleaned
