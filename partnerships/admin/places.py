"""The place page of the admin also lists its members and budgets (re-registered over
places.admin.PlaceAdmin)."""

from django.contrib import admin

from places import admin as places_admin
from places.models import Place

from ..models import AnnualBudget, Membership


class MembershipInline(admin.TabularInline):
    model = Membership
    fields = ["organisation", "role", "since", "until"]
    autocomplete_fields = ["organisation"]
    extra = 0


class AnnualBudgetInline(admin.TabularInline):
    model = AnnualBudget
    fields = ["year", "target_sek", "municipal_share_sek"]
    extra = 0


admin.site.unregister(Place)


@admin.register(Place)
class PlaceWithPartnershipAdmin(places_admin.PlaceAdmin):
    inlines = [*places_admin.PlaceAdmin.inlines, MembershipInline, AnnualBudgetInline]
