"""List filters. Each FilterSet gets a queryset that is already scoped to what the user may
see (architecture §4), so a filter can never widen it."""

import datetime as dt

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.bounds import BoundedDateFilter

from .models import ActionItem, ActivityKind
from .months import local_midnight
from .rules import place_organisations


def on_or_after_day(queryset, field: str, day: dt.date):
    """Rows whose `field` (a datetime) falls on the local `day` or later. Bounded by an aware
    datetime at local midnight, not by `field__date`, so the database uses the (place, time)
    index instead of converting every row's time (issue #20)."""
    return queryset.filter(**{f"{field}__gte": local_midnight(day)})


def on_or_before_day(queryset, field: str, day: dt.date):
    """Rows whose `field` falls on the local `day` or earlier (see `on_or_after_day`)."""
    return queryset.filter(**{f"{field}__lt": local_midnight(day + dt.timedelta(days=1))})


DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
# Longer search text finds nothing more, and SQLite refuses LIKE patterns past 50,000 bytes.
SEARCH_MAX_LENGTH = 200


class ActivityFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Search"),
        method="filter_text",
        max_length=SEARCH_MAX_LENGTH,
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    kind = django_filters.ModelChoiceFilter(
        label=_("Kind"), queryset=ActivityKind.objects.all(), empty_label=_("All kinds")
    )
    date_from = BoundedDateFilter(label=_("From"), method="filter_from", widget=DATE_WIDGET)
    date_to = BoundedDateFilter(label=_("To"), method="filter_to", widget=DATE_WIDGET)
    organisation = django_filters.ModelChoiceFilter(
        label=_("Organisation"),
        field_name="organisations",
        queryset=None,
        empty_label=_("All organisations"),
        distinct=True,
    )

    def __init__(self, *args, place, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["organisation"].queryset = place_organisations(place)
        self.filters["kind"].queryset = ActivityKind.objects.filter(is_active=True)

    def filter_text(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(description__icontains=value)
            | Q(location_note__icontains=value)
            | Q(kind__name_sv__icontains=value)
            | Q(kind__name_en__icontains=value)
        )

    def filter_from(self, queryset, name, value):
        return on_or_after_day(queryset, "started_at", value)

    def filter_to(self, queryset, name, value):
        return on_or_before_day(queryset, "started_at", value)


class ActionItemFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(
        label=_("Status"),
        choices=[("unresolved", _("Open or in progress")), *ActionItem.Status.choices],
        method="filter_status",
        empty_label=_("All statuses"),
    )
    category = django_filters.ChoiceFilter(
        label=_("Category"), choices=ActionItem.Category.choices, empty_label=_("All categories")
    )
    responsible_organisation = django_filters.ModelChoiceFilter(
        label=_("Responsible organisation"),
        queryset=None,
        empty_label=_("All organisations"),
    )
    overdue = django_filters.BooleanFilter(
        label=_("Only overdue"),
        method="filter_overdue",
        widget=forms.CheckboxInput,
    )

    def __init__(self, *args, place, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["responsible_organisation"].queryset = place_organisations(place)

    def filter_status(self, queryset, name, value):
        if value == "unresolved":
            return queryset.unresolved()
        return queryset.filter(status=value)

    def filter_overdue(self, queryset, name, value):
        return queryset.overdue() if value else queryset
