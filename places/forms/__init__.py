"""Forms of the place workspace. Field rules live on the models and in places.services; the
forms add phone-friendly widgets and the place-specific choices. `add_service_errors` (defined in
accounts.forms, the lowest app, and re-exported here) is the one way a service's ValidationError
reaches any form of the platform.

The public side's forms (`public`, which shares the photo and position fields defined here) and
the webhooks' form (`webhooks`) are the package's other modules."""

import datetime as dt

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.dates import MONTHS, WEEKDAYS
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.bounds import BoundedDateField, EventDateTimeField, end_not_before_start

# Defined one app down so accounts' own views can use it too; every other app imports it from here.
from accounts.forms import add_service_errors as add_service_errors

from ..models import (
    ActionItem,
    Activity,
    ActivityKind,
    NotificationSetting,
    PlannedActivity,
    VisitorCount,
)
from ..photos import MAX_UPLOAD_BYTES, process_photo
from ..privacy import validate_no_personal_data
from ..rules import place_organisations
from ..screening import ScreenedFormMixin
from ..services import position_warning, validate_position

DATETIME_LOCAL = "%Y-%m-%dT%H:%M"


def _coordinate_widget(kind):
    return forms.NumberInput(attrs={"step": "any", "inputmode": "decimal", "data-coordinate": kind})


class PositionMixin:
    """lat/lon both or neither; far pins are errors, pins outside the boundary a warning."""

    position_warning: str | None = None

    def clean_position(self, cleaned):
        lat, lon = cleaned.get("lat"), cleaned.get("lon")
        if "lat" in self.errors or "lon" in self.errors:
            return
        try:
            validate_position(lat, lon)
            self.position_warning = position_warning(self.place, lat, lon)
        except ValidationError as error:
            self.add_error("lat", error)


class ActivityForm(ScreenedFormMixin, PositionMixin, forms.ModelForm):
    class Meta:
        model = Activity
        fields = [
            "kind",
            "started_at",
            "duration_minutes",
            "participants_count",
            "organisations",
            "description",
            "location_note",
            "lat",
            "lon",
        ]
        field_classes = {"started_at": EventDateTimeField}
        widgets = {
            "started_at": forms.DateTimeInput(
                attrs={"type": "datetime-local"}, format=DATETIME_LOCAL
            ),
            "duration_minutes": forms.NumberInput(
                attrs={"inputmode": "numeric", "min": 1, "max": 24 * 60}
            ),
            "participants_count": forms.NumberInput(
                attrs={"inputmode": "numeric", "min": 0, "max": 10000}
            ),
            "organisations": forms.CheckboxSelectMultiple,
            "description": forms.Textarea(attrs={"rows": 3}),
            "lat": _coordinate_widget("lat"),
            "lon": _coordinate_widget("lon"),
        }
        help_texts = {
            "duration_minutes": _("In minutes, at most 1440 (24 hours)."),
            "description": _(
                "What was done and what you saw. Never names or other details "
                "that identify a person."
            ),
            "location_note": _("For example “the passage behind the library”."),
        }

    def __init__(self, *args, place, **kwargs):
        self.place = place
        kwargs.setdefault("instance", Activity(place=place))
        super().__init__(*args, **kwargs)
        kinds = ActivityKind.objects.filter(is_active=True)
        if self.instance.kind_id:
            kinds = ActivityKind.objects.filter(pk=self.instance.kind_id) | kinds
        self.fields["kind"].queryset = kinds.order_by("order", "name_sv")
        self.fields["kind"].empty_label = None
        self.fields["organisations"].queryset = place_organisations(place)
        self.fields["organisations"].help_text = _("The organisations that took part.")
        if not self.instance.pk:
            self.initial.setdefault(
                "started_at", timezone.localtime().replace(second=0, microsecond=0)
            )
            if not self.is_bound:
                # A form kept on the phone for offline use shows the time it is opened, not
                # the time it was stored (static/js/offline.js).
                self.fields["started_at"].widget.attrs["data-default-now"] = ""
        self.fields["duration_minutes"].error_messages.update(
            {
                "min_value": _("A duration is at least 1 minute."),
                "max_value": _("A duration is at most 1440 minutes (24 hours)."),
            }
        )

    def clean(self):
        cleaned = super().clean()
        self.clean_position(cleaned)
        return cleaned


class PhotoField(forms.FileField):
    """An optional photo, checked and re-encoded in clean() (see places.photos)."""

    widget = forms.FileInput(attrs={"accept": "image/*"})

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("label", _("Photo"))
        kwargs.setdefault(
            "help_text",
            _("Optional. JPEG, PNG or WebP, at most %(mb)s MB. Location data is removed.")
            % {"mb": MAX_UPLOAD_BYTES // (1024 * 1024)},
        )
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        value = super().clean(data, initial)
        if value and hasattr(value, "size"):
            return process_photo(value)
        return None


class FindingForm(ScreenedFormMixin, PositionMixin, forms.ModelForm):
    """One finding of a walk, or a standalone action item."""

    photo = PhotoField()

    class Meta:
        model = ActionItem
        fields = [
            "category",
            "description",
            "responsible_organisation",
            "due_date",
            "location_note",
            "lat",
            "lon",
        ]
        field_classes = {"due_date": BoundedDateField}
        widgets = {
            "description": forms.Textarea(attrs={"rows": 2}),
            "due_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "lat": _coordinate_widget("lat"),
            "lon": _coordinate_widget("lon"),
        }
        help_texts = {
            "responsible_organisation": _(
                "The property owner on private ground, the municipality in public space."
            ),
        }

    def __init__(self, *args, place, **kwargs):
        self.place = place
        kwargs.setdefault("instance", ActionItem(place=place))
        super().__init__(*args, **kwargs)
        self.fields["responsible_organisation"].queryset = place_organisations(place)

    def clean_due_date(self):
        value = self.cleaned_data.get("due_date")
        if value and not self.instance.pk and value < timezone.localdate():
            raise ValidationError(_("A due date can't be in the past."), code="past")
        if value and value > timezone.localdate() + dt.timedelta(days=3 * 365):
            raise ValidationError(_("Choose a due date within three years."), code="far")
        return value

    def clean(self):
        cleaned = super().clean()
        self.clean_position(cleaned)
        return cleaned


class ActionItemForm(FindingForm):
    remove_photo = forms.BooleanField(label=_("Remove the photo"), required=False)

    class Meta(FindingForm.Meta):
        fields = [*FindingForm.Meta.fields, "is_public", "photo_is_public"]

    def __init__(self, *args, can_publish=False, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.instance.photo:
            del self.fields["remove_photo"]
        if not can_publish:
            # Only managers decide what the public page shows (issue #14).
            del self.fields["is_public"]
            del self.fields["photo_is_public"]


class BaseFindingFormSet(forms.BaseFormSet):
    def clean(self):
        super().clean()
        if any(self.errors):
            return
        if not any(form.has_changed() for form in self.forms):
            raise ValidationError(
                _("Fill in at least one finding, or go back to the activity."), code="empty"
            )

    def findings(self) -> list[dict]:
        return [form.cleaned_data for form in self.forms if form.has_changed()]


MAX_FINDINGS = 20


def finding_formset(extra: int = 2):
    """A formset class for a walk's findings with `extra` empty rows (blank rows are skipped)."""
    return forms.formset_factory(
        FindingForm,
        formset=BaseFindingFormSet,
        extra=extra,
        max_num=MAX_FINDINGS,
        validate_max=True,
        absolute_max=MAX_FINDINGS,
    )


class QuickFindingForm(FindingForm):
    """A finding written on the activity form itself (issue #16): what, where and who answers
    for it. Photos, pins and due dates are added on the action item afterwards."""

    class Meta(FindingForm.Meta):
        fields = ["category", "description", "responsible_organisation", "location_note"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["photo"]
        self.fields["responsible_organisation"].help_text = ""

    def clean(self):
        return forms.ModelForm.clean(self)


class QuickFindingFormSet(forms.BaseFormSet):
    """Optional findings on the activity form: blank rows are skipped, none is fine."""

    def findings(self) -> list[dict]:
        return [form.cleaned_data for form in self.forms if form.has_changed()]


QUICK_FINDINGS = 2


def quick_finding_formset():
    return forms.formset_factory(
        QuickFindingForm,
        formset=QuickFindingFormSet,
        extra=QUICK_FINDINGS,
        max_num=MAX_FINDINGS,
        validate_max=True,
        absolute_max=MAX_FINDINGS,
    )


class StatusForm(ScreenedFormMixin, forms.Form):
    screening_record = "places.ActionItemStatusChange"

    status = forms.ChoiceField(label=_("New status"), choices=ActionItem.Status.choices)
    note = forms.CharField(
        label=pgettext_lazy("workspace", "Note"),
        required=False,
        max_length=500,
        validators=[validate_no_personal_data],
        widget=forms.TextInput(),
        help_text=_("Optional: what was done."),
    )

    def __init__(self, *args, item: ActionItem, **kwargs):
        self.place = item.place
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [
            choice for choice in ActionItem.Status.choices if choice[0] != item.status
        ]


WEEKDAY_CHOICES = [("", "---------"), *[(str(k), v) for k, v in WEEKDAYS.items()]]
MONTH_CHOICES = [("", "---------"), *[(str(k), v) for k, v in MONTHS.items()]]


class PlannedActivityForm(ScreenedFormMixin, forms.ModelForm):
    weekday = forms.TypedChoiceField(
        label=_("Weekday"),
        choices=WEEKDAY_CHOICES,
        coerce=int,
        empty_value=None,
        required=False,
        help_text=_("For plans every week."),
    )
    month = forms.TypedChoiceField(
        label=_("Month"),
        choices=MONTH_CHOICES,
        coerce=int,
        empty_value=None,
        required=False,
        help_text=_("For plans every year."),
    )

    class Meta:
        model = PlannedActivity
        fields = [
            "title",
            "kind",
            "recurrence",
            "weekday",
            "month",
            "starts_on",
            "ends_on",
            "is_public",
            "public_time",
        ]
        field_classes = {"starts_on": BoundedDateField, "ends_on": BoundedDateField}
        widgets = {
            "public_time": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "starts_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "ends_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def __init__(self, *args, place, **kwargs):
        kwargs.setdefault("instance", PlannedActivity(place=place))
        super().__init__(*args, **kwargs)
        self.fields["kind"].queryset = ActivityKind.objects.filter(is_active=True)
        self.fields["kind"].empty_label = None
        self.fields["ends_on"].help_text = _("Leave empty for a plan that keeps going.")
        end_not_before_start(self, "starts_on", "ends_on")


class VisitorCountForm(ScreenedFormMixin, PositionMixin, forms.ModelForm):
    """A count by hand from a phone (Gehl's Public Life Data Protocol): where, when, for how
    long, how many; age groups and staying or passing through if counted."""

    BREAKDOWNS = ("children", "young", "adults", "seniors")

    class Meta:
        model = VisitorCount
        fields = [
            "counted_at",
            "duration_minutes",
            "people",
            "children",
            "young",
            "adults",
            "seniors",
            "staying",
            "passing",
            "location_note",
            "lat",
            "lon",
        ]
        field_classes = {"counted_at": EventDateTimeField}
        widgets = {
            "counted_at": forms.DateTimeInput(
                attrs={"type": "datetime-local"}, format=DATETIME_LOCAL
            ),
            **{
                name: forms.NumberInput(attrs={"inputmode": "numeric", "min": 0})
                for name in (
                    "duration_minutes",
                    "people",
                    "children",
                    "young",
                    "adults",
                    "seniors",
                    "staying",
                    "passing",
                )
            },
            "lat": _coordinate_widget("lat"),
            "lon": _coordinate_widget("lon"),
        }
        help_texts = {
            "counted_at": _("When the count began."),
            "duration_minutes": _("How long you counted, in minutes (for example 10 or 15)."),
            "people": _("Everyone you counted: people are only numbers here."),
            "location_note": _("For example “the north side of the square”."),
        }

    def __init__(self, *args, place, **kwargs):
        self.place = place
        kwargs.setdefault("instance", VisitorCount(place=place))
        super().__init__(*args, **kwargs)
        if not self.instance.pk:
            self.initial.setdefault(
                "counted_at", timezone.localtime().replace(second=0, microsecond=0)
            )

    def clean(self):
        cleaned = super().clean()
        self.clean_position(cleaned)
        people = cleaned.get("people")
        if people is not None:
            ages = [cleaned.get(name) for name in self.BREAKDOWNS]
            if sum(a or 0 for a in ages) > people:
                self.add_error(
                    "children", _("The age groups add up to more than everyone counted.")
                )
            if (cleaned.get("staying") or 0) + (cleaned.get("passing") or 0) > people:
                self.add_error(
                    "staying", _("Staying and passing add up to more than everyone counted.")
                )
        return cleaned


class NotificationSettingForm(forms.ModelForm):
    class Meta:
        model = NotificationSetting
        fields = ["email", "push"]
        help_texts = {
            "push": _("Allow notifications on each phone or computer you use."),
        }
