"""Forms of safety: incidents and their import, reports, interventions, and the coordinated
plan and its alerts (issue #13). Every free text is screened."""

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, pgettext_lazy

from accounts.bounds import BoundedDateField, EventDateTimeField, end_not_before_start
from accounts.models import Organisation
from partnerships.models import validate_year
from places.geo import point_in_boundary
from places.models import ActionItem, Activity, NotificationSetting
from places.screening import ScreenedFormMixin

from .import_files import ImportFileError, check_upload_size
from .models import (
    Alert,
    AlertAnswer,
    ContactLink,
    Incident,
    IncidentCategory,
    Intervention,
    PlanVersion,
    Scenario,
)
from .periods import (
    DEFAULT_PERIOD,
    EARLIEST,
    LAST_DAY_BEFORE_FIRST,
    MAX_DAYS,
    PRESET_DAYS,
    DashboardPeriod,
    ended_periods,
    period_title,
    preset_period,
)
from .services.imports import FIELD_LABELS, REQUIRED_FIELDS, TARGET_FIELDS, value_key

# A phone's clock may run a little ahead of the server's.
FUTURE_TOLERANCE = dt.timedelta(minutes=10)
# How many of the latest activities and action items an intervention may be linked to.
ACTIVITY_CHOICES = 200


class IncidentForm(ScreenedFormMixin, forms.ModelForm):
    """Made for a phone on the street: few fields, big targets, sensible defaults."""

    occurred_at = EventDateTimeField(
        label=_("When"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"],
    )

    class Meta:
        model = Incident
        fields = [
            "category",
            "occurred_at",
            "severity",
            "location_note",
            "lat",
            "lon",
            "description",
            "police_notified",
            "visibility",
        ]
        widgets = {
            "severity": forms.RadioSelect,
            "visibility": forms.RadioSelect,
            "lat": forms.HiddenInput,
            "lon": forms.HiddenInput,
            "description": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {
            "description": _(
                "Describe what happened, never who: no names, personal identity numbers, "
                "phone numbers, e-mail addresses or registration plates."
            ),
            "location_note": _("For example “by the bus stop on the north side”."),
            "visibility": _(
                "Restricted incidents are shown only to managers, the police and you; they "
                "still count in the figures."
            ),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = IncidentCategory.objects.filter(is_active=True)
        if not self.instance.pk and not self.is_bound:
            self.initial["occurred_at"] = timezone.localtime().replace(second=0, microsecond=0)
            # A form kept on the phone for offline use shows the time it is opened, not the
            # time it was stored (static/js/offline.js).
            self.fields["occurred_at"].widget.attrs["data-default-now"] = ""

    def clean_occurred_at(self):
        value = self.cleaned_data["occurred_at"]
        if value and value > timezone.now() + FUTURE_TOLERANCE:
            raise forms.ValidationError(_("The time is in the future."), code="future")
        return value

    def clean(self):
        data = super().clean()
        if (data.get("lat") is None) != (data.get("lon") is None):
            raise forms.ValidationError(_("The position is incomplete; try again."))
        return data


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("File"),
        help_text=_("CSV (UTF-8 or Windows-1252, separated by ; or ,) or Excel (.xlsx)."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.txt,.xlsx"}),
    )
    organisation = forms.ModelChoiceField(
        label=_("Reporting organisation"),
        queryset=Organisation.objects.none(),
        help_text=_("Whose report is this? Its column mapping is remembered for next time."),
    )

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations

    def clean_file(self):
        upload = self.cleaned_data["file"]
        try:
            check_upload_size(upload.size)
        except ImportFileError as exc:
            raise forms.ValidationError(str(exc), code="too_large") from None
        if not upload.size:
            raise forms.ValidationError(_("The file is empty."))
        return upload


class MappingForm(forms.Form):
    """Which column of the file holds which incident field."""

    def __init__(self, *args, headers, initial_mapping, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", _("— not in the file —"))] + [(h, h) for h in headers]
        for name in TARGET_FIELDS:
            self.fields[name] = forms.ChoiceField(
                label=FIELD_LABELS[name],
                choices=choices,
                required=name in REQUIRED_FIELDS,
                initial=initial_mapping.get(name, ""),
            )

    def mapping(self) -> dict:
        return {name: value for name, value in self.cleaned_data.items() if value}


class ValueMappingForm(forms.Form):
    """Which of our categories each of the file's unknown category words means. One select
    per word (`word_0`, `word_1`, …, in the order the check listed them): the words come from
    the stored check, never from the request, so nothing typed here reaches the database."""

    def __init__(self, *args, words: list[str], counts: dict | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.words = words
        choices = [("", _("— leave as an error —"))] + [
            (c.code, c.name)
            for c in IncidentCategory.objects.filter(is_active=True).order_by("order", "pk")
        ]
        for position, word in enumerate(words):
            count = (counts or {}).get(word, 0)
            self.fields[f"word_{position}"] = forms.ChoiceField(
                label=word,
                choices=choices,
                required=False,
                help_text=ngettext("%(count)s row", "%(count)s rows", count) % {"count": count}
                if count
                else "",
            )

    def clean(self):
        cleaned = super().clean()
        if not any(cleaned.get(f"word_{i}") for i in range(len(self.words))):
            raise forms.ValidationError(_("Choose one of our categories for at least one word."))
        return cleaned

    def chosen(self) -> dict:
        """{the file's word, case-folded: our category code} for every word given a category."""
        return {
            value_key(word): self.cleaned_data[f"word_{i}"]
            for i, word in enumerate(self.words)
            if self.cleaned_data.get(f"word_{i}")
        }


class ReportRequestForm(forms.Form):
    """A manager asks for (or refreshes) the report of a recent period that has ended."""

    period = forms.ChoiceField(label=_("Period"))

    def __init__(self, *args, today=None, **kwargs):
        super().__init__(*args, **kwargs)
        today = today or timezone.localdate()
        groups = []
        for kind, label, count in (
            ("monthly", _("Months"), 12),
            ("weekly", _("Weeks"), 8),
            ("quarterly", _("Quarters"), 4),
        ):
            periods = ended_periods(kind, today=today, count=count)
            groups.append((label, [(p.code, period_title(kind, p.start)) for p in periods]))
        self.fields["period"].choices = groups


class InterventionForm(ScreenedFormMixin, forms.ModelForm):
    """A measure (insats): when, where (a pin and a radius inside the place), what it should
    reduce, what it is compared with, and the activities and action items that carry it out."""

    class Meta:
        model = Intervention
        fields = [
            "title",
            "description",
            "starts_on",
            "ends_on",
            "lat",
            "lon",
            "radius_m",
            "categories",
            "comparison",
            "window_weeks",
            "activities",
            "action_items",
        ]
        field_classes = {"starts_on": BoundedDateField, "ends_on": BoundedDateField}
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "starts_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "ends_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "lat": forms.NumberInput(attrs={"step": "any", "inputmode": "decimal"}),
            "lon": forms.NumberInput(attrs={"step": "any", "inputmode": "decimal"}),
            "categories": forms.CheckboxSelectMultiple,
            "comparison": forms.RadioSelect,
        }
        help_texts = {
            "title": _("For example “New lighting by the stairs”."),
            "description": _("What was done and why. Describe places and measures, never people."),
            "ends_on": _("Leave empty for a lasting measure."),
            "lat": _("The middle of the area the measure covers, inside the place."),
            "radius_m": _("How far from the pin the measure reaches, 10–2,000 metres."),
            "categories": _("The incidents the measure should reduce."),
            "window_weeks": _("The effect compares this many weeks before and after the start."),
            "activities": _("Hold Ctrl (⌘ on a Mac) to choose several."),
            "action_items": _("Hold Ctrl (⌘ on a Mac) to choose several."),
        }

    def __init__(self, *args, place, **kwargs):
        kwargs.setdefault("instance", Intervention(place=place))
        super().__init__(*args, **kwargs)
        self.place = place
        self.fields["categories"].queryset = IncidentCategory.objects.filter(is_active=True)
        # The latest activities and action items of this place only: a choice from another
        # place is refused as an invalid choice.
        latest_activities = Activity.objects.filter(place=place).order_by("-started_at")
        self.fields["activities"].queryset = (
            Activity.objects.filter(pk__in=latest_activities.values("pk")[:ACTIVITY_CHOICES])
            .select_related("kind")
            .order_by("-started_at")
        )
        latest_items = ActionItem.objects.filter(place=place).order_by("-created_at")
        self.fields["action_items"].queryset = ActionItem.objects.filter(
            pk__in=latest_items.values("pk")[:ACTIVITY_CHOICES]
        ).order_by("-created_at")
        if place.centre_lat is not None and not self.is_bound and self.instance.pk is None:
            self.initial.setdefault("lat", round(place.centre_lat, 6))
            self.initial.setdefault("lon", round(place.centre_lon, 6))

    def clean(self):
        data = super().clean()
        starts_on, ends_on = data.get("starts_on"), data.get("ends_on")
        if starts_on and ends_on and ends_on < starts_on:
            self.add_error("ends_on", _("The end date must be on or after the start date."))
        lat, lon = data.get("lat"), data.get("lon")
        if (
            lat is not None
            and lon is not None
            and self.place.boundary
            and not point_in_boundary(self.place.boundary, lat, lon)
        ):
            self.add_error("lat", _("The pin must be inside the place's boundary."))
        return data


class SensorImportForm(forms.Form):
    """A sensor's counts: CSV or Excel with timestamp; count; sensor."""

    file = forms.FileField(
        label=_("File"),
        help_text=_(
            "CSV (separated by ; or ,) or Excel (.xlsx) with the columns timestamp, count and "
            "sensor, one row per sensor and period."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.txt,.xlsx"}),
    )
    minutes = forms.IntegerField(
        label=_("Minutes per row"),
        initial=60,
        min_value=1,
        max_value=24 * 60,
        help_text=_("How long each row counted: 60 for hourly counts, 1440 for daily ones."),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        try:
            check_upload_size(upload.size)
        except ImportFileError as exc:
            raise forms.ValidationError(str(exc), code="too_large") from None
        if not upload.size:
            raise forms.ValidationError(_("The file is empty."))
        return upload


# --- The coordinated plan and alerts (issue #13) ----------------------------------------------

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


class StatementForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.none(), required=False
    )
    year = forms.IntegerField(label=_("Year"), validators=[validate_year], required=False)

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        self.fields["organisation"].empty_label = None

    def clean_year(self):
        year = self.cleaned_data.get("year")
        if year is not None and year > timezone.localdate().year:
            raise forms.ValidationError(_("The year has not begun yet."))
        return year


class PeriodForm(forms.Form):
    """The dashboard's period: a preset or a custom range of whole days (both ends included)."""

    period = forms.ChoiceField(
        label=_("Period"),
        required=False,
        choices=[
            ("7d", _("Last 7 days")),
            ("30d", _("Last 30 days")),
            ("90d", _("Last 90 days")),
            ("year", pgettext_lazy("dashboard period", "This year")),
            ("custom", _("Chosen period")),
        ],
        error_messages={"invalid_choice": _("Choose one of the periods offered.")},
    )
    start = BoundedDateField(
        label=_("From"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    end = BoundedDateField(
        label=_("To"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def __init__(self, *args, today: dt.date, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        end_not_before_start(self, "start", "end", LAST_DAY_BEFORE_FIRST)
        for name in ("start", "end"):
            self.fields[name].widget.attrs.update(
                {"min": EARLIEST.isoformat(), "max": today.isoformat()}
            )

    def clean(self):
        data = super().clean()
        key = data.get("period") or ""
        start, end = data.get("start"), data.get("end")
        has_dates = "start" in self.data or "end" in self.data
        if key in PRESET_DAYS or key == "year":
            data["resolved"] = preset_period(key, self.today)
            return data
        if not has_dates and key != "custom":
            data["resolved"] = preset_period(DEFAULT_PERIOD, self.today)
            return data
        if self.errors:  # a date that did not parse already has its message
            return data
        if start is None:
            self.add_error("start", _("Enter the first day of the period."))
        if end is None:
            self.add_error("end", _("Enter the last day of the period."))
        if start is None or end is None:
            return data
        if end < start:
            self.add_error("end", LAST_DAY_BEFORE_FIRST)
        elif end > self.today:
            self.add_error("end", _("The period cannot end after today."))
        elif (end - start).days + 1 > MAX_DAYS:
            self.add_error("end", _("Choose a period of at most five years."))
        else:
            data["resolved"] = DashboardPeriod("custom", start, end + dt.timedelta(days=1))
        return data
