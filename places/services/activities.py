"""Writes of activities (walks and other rounds at a place): create, update, delete."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from ..form_keys import AlreadySaved
from ..models import Activity
from .action_items import action_items_record_findings
from .checks import position_warning, saved_before, validate_organisations, validate_position


def _activity_check(activity: Activity, organisations) -> None:
    # The time's range (2000 to a day ahead) is the model's validator: accounts.bounds.
    activity.full_clean()
    errors = {}
    try:
        validate_position(activity.lat, activity.lon)
        position_warning(activity.place, activity.lat, activity.lon)
    except ValidationError as error:
        errors["lat"] = error.messages
    if errors:
        raise ValidationError(errors)
    validate_organisations(activity.place, organisations)


ACTIVITY_FIELDS = (
    "kind",
    "started_at",
    "duration_minutes",
    "participants_count",
    "description",
    "lat",
    "lon",
    "location_note",
)


def activity_create(
    *,
    place,
    actor,
    data: dict,
    form_key: str | None = None,
    client_id=None,
    findings: list[dict] | None = None,
    base_url: str | None = None,
) -> Activity:
    """Log an activity at `place` by `actor`. `data` holds the model fields and `organisations`;
    `findings` (a walk's, optional) become its action items in the same transaction.

    `form_key` is the digest of the form's one-time key (places/form_keys.py) and `client_id`
    the id a phone gave a form queued offline (issue #16): a form sent twice raises
    `AlreadySaved` with the activity the first submission logged, and creates nothing."""

    organisations = list(data.get("organisations") or [])
    activity = Activity(
        place=place,
        logged_by=actor,
        form_key=form_key,
        client_id=client_id,
        **{k: data[k] for k in ACTIVITY_FIELDS if k in data},
    )
    if existing := saved_before(Activity, form_key=form_key, client_id=client_id):
        raise AlreadySaved(existing)
    _activity_check(activity, organisations)
    try:
        with transaction.atomic():
            activity.save()
            activity.organisations.set(organisations)
            if findings:
                action_items_record_findings(
                    activity=activity, actor=actor, findings=findings, base_url=base_url
                )
    except IntegrityError:
        existing = saved_before(Activity, form_key=form_key, client_id=client_id)
        if existing is None:
            raise
        raise AlreadySaved(existing) from None
    return activity


def activity_update(*, activity: Activity, data: dict) -> Activity:
    """Change an activity (its author or a manager)."""
    for key in ACTIVITY_FIELDS:
        if key in data:
            setattr(activity, key, data[key])
    organisations = list(data.get("organisations") or [])
    _activity_check(activity, organisations)
    with transaction.atomic():
        activity.save()
        activity.organisations.set(organisations)
    return activity


def activity_delete(*, activity: Activity) -> None:
    """Delete an activity. Action items found on it stay; they only lose the link."""
    activity.delete()
