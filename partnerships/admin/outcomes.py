"""The admin of social outcomes."""

from django.contrib import admin

from ..models import SocialOutcome


@admin.register(SocialOutcome)
class SocialOutcomeAdmin(admin.ModelAdmin):
    list_display = [
        "organisation",
        "place",
        "year",
        "local_jobs",
        "internships",
        "summer_jobs",
        "local_purchases_sek",
    ]
    list_filter = ["year", "place"]
    search_fields = ["organisation__name", "place__name"]
    autocomplete_fields = ["organisation", "place", "updated_by"]
    list_select_related = ["organisation", "place"]
    readonly_fields = ["updated_at"]
