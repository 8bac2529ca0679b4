"""Writes of the activity plan (årshjul): planned activities, create, update, delete."""

from ..models import PlannedActivity

PLAN_FIELDS = (
    "kind",
    "title",
    "recurrence",
    "weekday",
    "month",
    "starts_on",
    "ends_on",
    "is_active",
    "is_public",
    "public_time",
)


def _normalise_plan(plan: PlannedActivity) -> None:
    # A monthly plan has no weekday or month; a weekly one no month; a yearly one no weekday.
    if plan.recurrence != PlannedActivity.Recurrence.WEEKLY:
        plan.weekday = None
    if plan.recurrence != PlannedActivity.Recurrence.YEARLY:
        plan.month = None


def planned_activity_create(*, place, data: dict) -> PlannedActivity:
    """Add a recurring activity to the place's plan."""
    plan = PlannedActivity(place=place, **{k: data[k] for k in PLAN_FIELDS if k in data})
    _normalise_plan(plan)
    plan.full_clean()
    plan.save()
    return plan


def planned_activity_update(*, plan: PlannedActivity, data: dict) -> PlannedActivity:
    for key in PLAN_FIELDS:
        if key in data:
            setattr(plan, key, data[key])
    _normalise_plan(plan)
    plan.full_clean()
    plan.save()
    return plan


def planned_activity_delete(*, plan: PlannedActivity) -> None:
    """Remove a plan entry; logged activities stay, without the link."""
    plan.delete()
