"""The admin of organisations and their memberships of places."""

from django.contrib import admin

from accounts.models import Organisation

from ..models import Membership


class OrganisationMembershipInline(admin.TabularInline):
    model = Membership
    fields = ["place", "role", "since", "until"]
    autocomplete_fields = ["place"]
    extra = 0


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "org_number", "kind", "created_at"]
    list_filter = ["kind"]
    search_fields = ["name", "org_number"]
    readonly_fields = ["created_at"]
    inlines = [OrganisationMembershipInline]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["organisation", "place", "role", "since", "until"]
    list_filter = ["role", "place"]
    search_fields = ["organisation__name", "place__name"]
    date_hierarchy = "since"
    autocomplete_fields = ["organisation", "place"]
    list_select_related = ["organisation", "place"]
