"""Django admin for places: an admin sets up a place end to end here (architecture §2).

The small form helpers at the top (pretty-printed JSON, the boundary field with its map widget,
a read-only JSON display) are shared by the other apps' admin modules.
"""

import copy
import json

from django import forms
from django.conf import settings
from django.contrib import admin
from django.db import models
from django.db.models import Count
from django.forms.fields import InvalidJSONInput
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from accounts import admin as accounts_admin
from accounts.models import User

# The admin is where the apps meet: a place's page shows its partnership rows too.
from .models import (
    ActionItem,
    ActionItemStatusChange,
    Activity,
    ActivityDay,
    ActivityKind,
    FreeTextClearance,
    NameConfirmation,
    Notification,
    NotificationSetting,
    OutboxMessage,
    Place,
    PlaceRole,
    PlannedActivity,
    PublicTip,
    PushSubscription,
    VisitorCount,
    Webhook,
    WebhookDelivery,
)

# --- Shared form helpers --------------------------------------------------------------------


def format_json(value, encoder=None, _level=0) -> str:
    """Indented JSON with lists of numbers kept on one line, so a GeoJSON ring reads as one
    `[lon, lat]` position per line instead of three lines per position."""

    def dumps(item):
        return json.dumps(item, ensure_ascii=False, cls=encoder)

    pad, inner = "  " * _level, "  " * (_level + 1)
    if isinstance(value, dict) and value:
        items = [
            f"{inner}{dumps(str(k))}: {format_json(v, encoder, _level + 1)}"
            for k, v in value.items()
        ]
        return "{\n" + ",\n".join(items) + f"\n{pad}}}"
    if isinstance(value, list) and value:
        if all(isinstance(v, int | float) and not isinstance(v, bool) for v in value):
            return "[" + ", ".join(dumps(v) for v in value) + "]"
        items = [f"{inner}{format_json(v, encoder, _level + 1)}" for v in value]
        return "[\n" + ",\n".join(items) + f"\n{pad}]"
    return dumps(value)


class PrettyJSONField(forms.JSONField):
    """A JSON textarea that shows its value indented, so admins can read and edit it.

    `empty_json` is what an emptied textarea saves: None only where the column allows NULL,
    otherwise the model field's default ([] or {}), so clearing it never breaks a NOT NULL.
    """

    def __init__(self, *, empty_json=None, **kwargs):
        super().__init__(**kwargs)
        self.empty_json = empty_json

    def prepare_value(self, value):
        if isinstance(value, InvalidJSONInput):
            return value
        if value is None:
            return ""  # an empty textarea, not the word "null"
        return format_json(value, self.encoder)

    def to_python(self, value):
        value = super().to_python(value)
        if value is None:
            return copy.deepcopy(self.empty_json)
        return value


class PrettyJSONMixin:
    """For ModelAdmins and inlines: every JSON field as an indented, NULL-safe textarea."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if isinstance(db_field, models.JSONField) and "form_class" not in kwargs:
            kwargs.setdefault("form_class", PrettyJSONField)
            kwargs.setdefault(
                "widget", forms.Textarea(attrs={"rows": 6, "class": "vLargeTextField json-text"})
            )
            if issubclass(kwargs["form_class"], PrettyJSONField):
                kwargs.setdefault("empty_json", None if db_field.null else db_field.get_default())
        return super().formfield_for_dbfield(db_field, request, **kwargs)


class BoundaryWidget(forms.Textarea):
    """The GeoJSON textarea, enhanced by static/js/admin_boundary.js into a Leaflet map.

    Without JavaScript it stays a plain textarea; the script builds the map next to it and
    takes its settings and labels from data- attributes (CSP forbids inline script).
    """

    class Media:
        css = {"all": ["vendor/leaflet-1.9.4/leaflet.css", "css/admin_boundary.css"]}
        js = ["vendor/leaflet-1.9.4/leaflet.js", "js/admin_boundary.js"]

    def __init__(self, attrs=None):
        defaults = {
            "rows": 10,
            "class": "vLargeTextField boundary-geojson",
            "spellcheck": "false",
            "data-boundary-map": "",
            "data-label-map": _("Map of the boundary"),
            "data-label-draw": _("Draw a new boundary"),
            "data-label-finish": _("Finish the boundary"),
            "data-label-undo": _("Undo last corner"),
            "data-label-cancel": _("Cancel drawing"),
            "data-label-clear": _("Remove the boundary"),
            "data-label-drawing": _(
                "Click on the map to place the corners, then finish. At least three corners."
            ),
            "data-label-invalid": _("The text is not a GeoJSON polygon the map can show."),
        }
        super().__init__({**defaults, **(attrs or {})})

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        # Read at render time so a changed setting (or test override) applies.
        context["widget"]["attrs"]["data-tile-url"] = settings.MAP_TILE_URL
        context["widget"]["attrs"]["data-tile-attribution"] = settings.MAP_TILE_ATTRIBUTION
        return context


class BoundaryFormField(PrettyJSONField):
    """GeoJSON boundary input. The model validator (places.geo.validate_boundary) does the
    geometry checks; here we give a clear message for text that is not JSON at all and accept
    what drawing tools export (a Feature, or a FeatureCollection with one feature)."""

    default_error_messages = {"invalid": _("The boundary is not valid JSON.")}
    widget = BoundaryWidget

    def __init__(self, **kwargs):
        kwargs["widget"] = BoundaryWidget
        super().__init__(**kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        if isinstance(value, dict) and value.get("type") == "FeatureCollection":
            features = value.get("features")
            if isinstance(features, list) and len(features) == 1:
                value = features[0]
        if isinstance(value, dict) and value.get("type") == "Feature":
            value = value.get("geometry")
        return value


def pretty_json(value, *, label):
    """Read-only display of a JSON value, indented. It scrolls when long, so it is a named,
    focusable region: keyboard users can scroll it too (WCAG 2.1.1)."""
    if value in (None, "", {}, []):
        return "–"
    return format_html(
        '<pre class="json-readonly" tabindex="0" role="region" aria-label="{}">{}</pre>',
        label,
        format_json(value),
    )


# --- Places ------------------------------------------------------------------------------------


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
        return super().get_queryset(request).annotate(role_count=Count("roles", distinct=True))

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


# --- Configurable lists -------------------------------------------------------------------------


@admin.register(ActivityKind)
class ActivityKindAdmin(admin.ModelAdmin):
    list_display = ["name_sv", "name_en", "code", "is_walk", "order", "is_active"]
    list_editable = ["order", "is_active"]
    list_filter = ["is_walk", "is_active"]
    search_fields = ["code", "name_sv", "name_en"]
    prepopulated_fields = {"code": ["name_en"]}


# --- Workspace: activities, action items, plan ---------------------------------------------------


@admin.register(Activity)
class ActivityAdmin(admin.ModelAdmin):
    list_display = ["started_at", "kind", "place", "duration_minutes", "participants_count"]
    list_filter = ["kind", "place"]
    search_fields = ["description", "location_note", "place__name", "kind__name_sv"]
    date_hierarchy = "started_at"
    autocomplete_fields = ["place", "kind", "organisations", "logged_by", "planned_activity"]
    list_select_related = ["kind", "place"]
    readonly_fields = ["created_at", "updated_at"]
    # Large table: skip the extra unfiltered COUNT(*) on every filtered page.
    show_full_result_count = False


class ActionItemStatusChangeInline(admin.TabularInline):
    """The status history is written by the app (and by this admin on a status change)."""

    model = ActionItemStatusChange
    fields = ["changed_at", "from_status", "to_status", "changed_by", "note"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(ActionItem)
class ActionItemAdmin(admin.ModelAdmin):
    list_display = [
        "__str__",
        "place",
        "category",
        "status",
        "due_date",
        "responsible_organisation",
        "overdue",
        "is_public",
    ]
    list_filter = ["status", "category", "is_public", "place"]
    search_fields = ["description", "location_note", "place__name"]
    date_hierarchy = "created_at"
    autocomplete_fields = ["place", "responsible_organisation", "source_activity", "created_by"]
    list_select_related = ["place", "responsible_organisation"]
    readonly_fields = ["updated_at"]
    inlines = [ActionItemStatusChangeInline]

    @admin.display(description=_("overdue"), boolean=True)
    def overdue(self, obj):
        return obj.is_overdue

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change and "status" in form.changed_data:
            ActionItemStatusChange.objects.create(
                action_item=obj,
                from_status=form.initial.get("status", ""),
                to_status=obj.status,
                changed_by=request.user,
            )


@admin.register(ActionItemStatusChange)
class ActionItemStatusChangeAdmin(admin.ModelAdmin):
    list_display = ["action_item", "from_status", "to_status", "changed_by", "changed_at"]
    list_filter = ["to_status"]
    search_fields = ["action_item__description", "note"]
    date_hierarchy = "changed_at"
    autocomplete_fields = ["action_item", "changed_by"]
    list_select_related = ["action_item", "changed_by"]


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin):
    """The outbox (places/outbox.py): what was sent to whom, what waits and why. The app
    writes these rows; staff may look, send a failed message again, or delete."""

    list_display = [
        "kind",
        "object_key",
        "recipient",
        "status",
        "attempts",
        "created_at",
        "sent_at",
    ]
    list_filter = ["status", "kind", "channel"]
    search_fields = ["recipient", "object_key", "subject"]
    date_hierarchy = "created_at"
    readonly_fields = [field.name for field in OutboxMessage._meta.fields]
    actions = ["send_again"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Send again"))
    def send_again(self, request, queryset):
        from django.utils import timezone

        count = queryset.filter(
            status__in=[OutboxMessage.Status.FAILED, OutboxMessage.Status.CANCELLED]
        ).update(status=OutboxMessage.Status.PENDING, attempts=0, next_attempt_at=timezone.now())
        self.message_user(request, _("%(count)s messages will be sent again.") % {"count": count})


@admin.register(PlannedActivity)
class PlannedActivityAdmin(admin.ModelAdmin):
    list_display = [
        "title",
        "place",
        "kind",
        "recurrence",
        "weekday",
        "month",
        "starts_on",
        "ends_on",
        "is_active",
        "is_public",
    ]
    list_filter = ["recurrence", "kind", "is_active", "is_public", "place"]
    search_fields = ["title", "place__name"]
    autocomplete_fields = ["place", "kind"]
    list_select_related = ["place", "kind"]


# --- For the data protection officer (issue #17) ------------------------------------------


@admin.register(NameConfirmation)
class NameConfirmationAdmin(admin.ModelAdmin):
    """Words people confirmed are not a person: who, when, which word, in which field.

    Written by the forms and the incident import; here they are read (and deleted, for
    example after a request to erase), never added or changed.
    """

    list_display = ["confirmed_at", "token", "field_label", "record", "place", "user"]
    list_filter = ["place", "record", "confirmed_at"]
    search_fields = ["token", "user__email", "user__full_name", "place__name"]
    date_hierarchy = "confirmed_at"
    list_select_related = ["place", "user"]
    fields = ["token", "record", "field", "field_label", "place", "user", "confirmed_at"]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(FreeTextClearance)
class FreeTextClearanceAdmin(admin.ModelAdmin):
    """What each nightly retention run cleared (written by the tasks, read here)."""

    list_display = ["ran_at", "task", "total", "cutoff", "counts_display"]
    list_filter = ["task"]
    date_hierarchy = "ran_at"
    fields = ["task", "ran_at", "cutoff", "total", "counts_display"]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description=_("cleared"))
    def counts_display(self, obj):
        return ", ".join(f"{key}: {value}" for key, value in sorted((obj.counts or {}).items()))


@admin.register(VisitorCount)
class VisitorCountAdmin(admin.ModelAdmin):
    list_display = ["counted_at", "place", "people", "duration_minutes", "source", "sensor"]
    list_filter = ["source", "place"]
    search_fields = ["sensor", "location_note", "place__name"]
    date_hierarchy = "counted_at"
    autocomplete_fields = ["place", "recorded_by"]
    list_select_related = ["place"]
    readonly_fields = ["created_at"]
    show_full_result_count = False


@admin.register(PublicTip)
class PublicTipAdmin(admin.ModelAdmin):
    """Tips from the public (issue #14). Moderation happens in the app (who and when are kept
    on the tip); the admin is for looking things up."""

    list_display = [
        "created_at",
        "place",
        "category",
        "status",
        "action_item",
        "moderated_by",
        "moderated_at",
        "closed_at",
    ]
    list_filter = ["status", "category", "place"]
    search_fields = ["description", "place__name"]
    date_hierarchy = "created_at"
    autocomplete_fields = ["place", "action_item", "moderated_by"]
    list_select_related = ["place", "action_item", "moderated_by"]
    readonly_fields = ["token", "created_at", "moderated_by", "moderated_at", "closed_at"]
    exclude = ["form_nonce"]


# --- Notifications (issue #13) ---------------------------------------------------------------


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["title", "user", "kind", "place", "created_at", "read_at"]
    list_filter = ["kind", "place"]
    search_fields = ["user__email", "title"]
    list_select_related = ["user", "place"]
    raw_id_fields = ["user"]


@admin.register(NotificationSetting)
class NotificationSettingAdmin(admin.ModelAdmin):
    list_display = ["user", "email", "push"]
    list_filter = ["email", "push"]
    search_fields = ["user__email"]
    raw_id_fields = ["user"]


@admin.register(PushSubscription)
class PushSubscriptionAdmin(admin.ModelAdmin):
    list_display = ["user", "created_at"]
    search_fields = ["user__email"]
    raw_id_fields = ["user"]
    # The keys are the device's secrets: never shown.
    exclude = ["p256dh", "auth"]


@admin.register(Webhook)
class WebhookAdmin(admin.ModelAdmin):
    """A place's outbound webhooks (issue #15); the secret is never shown here."""

    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = ["place", "url", "is_active", "created_at"]
    list_filter = ["is_active", "place"]
    search_fields = ["url", "place__name"]
    exclude = ["secret"]
    readonly_fields = ["created_by", "created_at"]


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(admin.ModelAdmin):
    list_display = ["created_at", "event", "webhook", "status", "attempts", "response_status"]
    list_filter = ["status", "event"]
    search_fields = ["event_key"]
    readonly_fields = [field.name for field in WebhookDelivery._meta.fields]


class RollupAdmin(admin.ModelAdmin):
    """A daily rollup (issue #20): read only – the database triggers write it, and
    `manage.py rebuild_rollups` recomputes it from the raw rows."""

    list_filter = ["place"]
    date_hierarchy = "day"
    list_per_page = 100

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ActivityDay)
class ActivityDayAdmin(RollupAdmin):
    list_display = ["place", "day", "kind", "count", "minutes", "participants"]
    list_select_related = ["place", "kind"]


# --- The user page also grants roles at places ----------------------------------------------


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
