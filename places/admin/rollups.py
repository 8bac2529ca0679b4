"""The admin of the daily rollups (issue #20): read only; RollupAdmin is shared with the other
apps."""

from django.contrib import admin

from ..models import ActivityDay
from .large import LargeTableAdmin


class RollupAdmin(LargeTableAdmin):
    """A daily rollup (issue #20): read only – the database triggers write it, and
    `manage.py rebuild_rollups` recomputes it from the raw rows."""

    list_filter = ["place"]
    date_field = "day"
    # By the place's key, not its name: the (place, day, …) key then gives the order without
    # joining and sorting a million rows by name.
    ordering = ["place_id", "day"]
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
