import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from accounts.bounds import BoundedDateFilter
from accounts.models import Organisation
from places.filters import SEARCH_MAX_LENGTH, on_or_after_day, on_or_before_day
from places.models import PlaceRole

from .models import Incident, IncidentCategory, IncidentImport


class _ImportChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.filename} ({obj.imported_at:%Y-%m-%d})" if obj.imported_at else obj.filename


class ImportChoiceFilter(django_filters.ModelChoiceFilter):
    field_class = _ImportChoiceField


class IncidentFilter(django_filters.FilterSet):
    """Filters for the incident list. The queryset it gets is already scoped (architecture §4)."""

    q = django_filters.CharFilter(label=_("Search"), method="search", max_length=SEARCH_MAX_LENGTH)
    category = django_filters.ModelChoiceFilter(
        label=_("Category"), queryset=IncidentCategory.objects.all(), empty_label=_("All")
    )
    severity = django_filters.ChoiceFilter(
        label=_("Severity"), choices=Incident.Severity.choices, empty_label=_("All")
    )
    date_from = BoundedDateFilter(
        label=_("From"), method="filter_from", widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = BoundedDateFilter(
        label=_("To"), method="filter_to", widget=forms.DateInput(attrs={"type": "date"})
    )
    reporting_organisation = django_filters.ModelChoiceFilter(
        label=_("Reporting organisation"),
        queryset=Organisation.objects.none(),
        empty_label=_("All"),
    )
    visibility = django_filters.ChoiceFilter(
        label=_("Visibility"), choices=Incident.Visibility.choices, empty_label=_("All")
    )
    # "Show the imported incidents" after an import lands here (issue #19).
    source_import = ImportChoiceFilter(
        label=_("Imported file"), queryset=IncidentImport.objects.none(), empty_label=_("All")
    )

    class Meta:
        model = Incident
        fields: list[str] = []

    def __init__(self, *args, place, **kwargs):
        super().__init__(*args, **kwargs)
        # Subqueries, not joins: the incident table may be large. "Reported here" is an
        # EXISTS per organisation on the (organisation, place) index, not the list of every
        # incident's organisation (a scan of all the place's incidents; issue #20).
        self.filters["reporting_organisation"].queryset = Organisation.objects.filter(
            Q(pk__in=PlaceRole.objects.filter(place=place).values("organisation"))
            | Exists(Incident.objects.filter(place=place, reporting_organisation=OuterRef("pk")))
        )
        self.filters["source_import"].queryset = (
            IncidentImport.objects.filter(place=place, status=IncidentImport.Status.IMPORTED)
            .defer("content")
            .order_by("-imported_at", "-pk")
        )

    def filter_from(self, queryset, name, value):
        return on_or_after_day(queryset, "occurred_at", value)

    def filter_to(self, queryset, name, value):
        return on_or_before_day(queryset, "occurred_at", value)

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(description__icontains=value)
            | Q(location_note__icontains=value)
            | Q(category__name_sv__icontains=value)
            | Q(category__name_en__icontains=value)
        )
