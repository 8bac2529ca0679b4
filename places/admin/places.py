"""The admin of places and roles; the user page also grants roles at places."""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from accounts import admin as accounts_admin
from accounts.models import User
from amp_platform.expressions import count_of

# The admin is where the apps meet: partnerships re-registers the place page with its rows
# (partnerships/admin/places.py).
from ..models import Place, PlaceRole
from .fields import BoundaryFormField


class PlaceAdminForm(forms.ModelForm):
    class Meta:
        model = Place
        fields = ["boundary", "centre_lat", "centre_lon"]  # the admin's fieldsets list the rest
        field_classes = {"boundary": BoundaryFormField}
        help_texts = {
            "boundary": _(
                "GeoJSON Polygon or MultiPolygon in longitude/latitude (WGS 84). Draw it on the "
                "map or paste it, for example from geojson.io."
            ),
            "centre_lat": _("Left empty, it is computed from the boundary."),
            "centre_lon": _("Left empty, it is computed from the boundary."),
        }

    def clean(self):
        cleaned = super().clean()
        # A redrawn boundary moves the map centre too, unless the admin set the centre by hand.
        if (
            self.instance.pk
            and "boundary" in self.changed_data
            and cleaned.get("boundary")
            and not {"centre_lat", "centre_lon"} & set(self.changed_data)
        ):
            cleaned["centre_lat"] = cleaned["centre_lon"] = None
        return cleaned


class PlaceRoleForm(forms.ModelForm):
    """Reports a duplicate role on the person, not as an anonymous form-wide error."""

    class Meta:
        model = PlaceRole
        fields = ["user", "place", "role", "organisation"]

    def clean(self):
        cleaned = super().clean()
        user = cleaned.get("user")
        place = cleaned.get("place") or getattr(self.instance, "place", None)
        if user and place is not None and place.pk:
            duplicate = PlaceRole.objects.filter(user=user, place=place).exclude(
                pk=self.instance.pk
            )
            if duplicate.exists():
                self.add_error("user", _("This person already has a role at this place."))
        return cleaned


class PlaceRoleInline(admin.TabularInline):
    model = PlaceRole
    form = PlaceRoleForm
    fields = ["user", "role", "organisation", "created_at"]
    readonly_fields = ["created_at"]
    autocomplete_fields = ["user", "organisation"]
    extra = 0


@admin.register(Place)
class PlaceAdmin(admin.ModelAdmin):
    form = PlaceAdminForm
    list_display = ["name", "kind", "municipality", "role_count", "has_boundary", "is_active"]
    list_filter = ["kind", "is_active", "public_page_enabled", "municipality"]
    search_fields = ["name", "slug", "municipality"]
    prepopulated_fields = {"slug": ["name"]}
    readonly_fields = ["created_at"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "name",
                    "slug",
                    "kind",
                    "municipality",
                    "description",
                    "is_active",
                    "public_page_enabled",
                ]
            },
        ),
        (_("Boundary"), {"fields": ["boundary", ("centre_lat", "centre_lon")]}),
        (None, {"fields": ["created_at"]}),
    ]
    # partnerships/admin.py adds the members and the budgets (dependencies run one way).
    inlines = [PlaceRoleInline]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(role_count=count_of(PlaceRole.objects.all(), "place"))
        )

    @admin.display(description=_("roles"), ordering="role_count")
    def role_count(self, obj):
        return obj.role_count

    @admin.display(description=_("boundary"), boolean=True)
    def has_boundary(self, obj):
        return bool(obj.boundary)


@admin.register(PlaceRole)
class PlaceRoleAdmin(admin.ModelAdmin):
    form = PlaceRoleForm
    list_display = ["user", "place", "role", "organisation", "created_at"]
    list_filter = ["role", "place"]
    search_fields = ["user__email", "user__full_name", "place__name", "organisation__name"]
    autocomplete_fields = ["user", "place", "organisation"]
    list_select_related = ["user", "place", "organisation"]
    readonly_fields = ["created_at"]


class UserPlaceRoleInline(admin.TabularInline):
    """Grant a person a role at a place straight from their user page."""

    model = PlaceRole
    form = PlaceRoleForm
    fk_name = "user"
    fields = ["place", "role", "organisation", "created_at"]
    readonly_fields = ["created_at"]
    autocomplete_fields = ["place", "organisation"]
    extra = 0


admin.site.unregister(User)


@admin.register(User)
class UserWithPlaceRolesAdmin(accounts_admin.UserAdmin):
    inlines = [*accounts_admin.UserAdmin.inlines, UserPlaceRoleInline]
