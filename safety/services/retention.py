"""Free-text retention (architecture §6): what the nightly task clears, and what it will clear
next at a place."""

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from places.models import (
    ActionItem,
    ActionItemStatusChange,
    Activity,
    FreeTextClearance,
    NameConfirmation,
    Notification,
    PublicTip,
)

from ..models import Alert, ExternalEvent, Incident, IncidentImport

# --- Retention ----------------------------------------------------------------------------


def _retention_cutoff(now) -> dt.datetime:
    return now - dt.timedelta(days=settings.FREE_TEXT_RETENTION_DAYS)


def expired_free_text(cutoff) -> dict:
    """Querysets of the free text written before `cutoff`, per kind: the one definition of
    what the nightly task clears, also used to tell managers what it will clear next.

    Incidents count from when they happened, activities from when they started, closed action
    items from when they were closed (open ones keep their description: someone still has to
    act on it), status notes from the change, name confirmations from the confirmation.
    """
    has_text = ~Q(description="") | ~Q(location_note="")
    closed = [ActionItem.Status.RESOLVED, ActionItem.Status.WONT_FIX]
    return {
        "incidents": Incident.objects.filter(has_text, occurred_at__lt=cutoff),
        "activities": Activity.objects.filter(has_text, started_at__lt=cutoff),
        "action_items": ActionItem.objects.filter(has_text, status__in=closed).filter(
            Q(resolved_at__lt=cutoff) | Q(resolved_at__isnull=True, updated_at__lt=cutoff)
        ),
        "status_notes": ActionItemStatusChange.objects.filter(changed_at__lt=cutoff).exclude(
            note=""
        ),
        "name_confirmations": NameConfirmation.objects.filter(confirmed_at__lt=cutoff),
        # Tips from the public (issue #14): from when they were closed, like action items.
        "tips": PublicTip.objects.filter(
            ~Q(description="") | ~Q(location_note="") | ~Q(decline_reason=""),
            closed_at__lt=cutoff,
        ),
        # The police's events (issue #15): their summaries, from when they happened; the
        # counts by type stay.
        "external_events": ExternalEvent.objects.filter(occurred_at__lt=cutoff).exclude(summary=""),
    }


def free_text_clear_expired(*, now=None) -> dict:
    """Clear free text older than FREE_TEXT_RETENTION_DAYS (architecture §6); figures stay.

    Also deletes the name confirmations of that age and incident uploads never confirmed
    within a day. Records what it cleared as a `FreeTextClearance` (shown in the admin).
    Returns counts per kind.
    """
    now = now or timezone.now()
    cutoff = _retention_cutoff(now)
    expired = expired_free_text(cutoff)
    with transaction.atomic():
        counts = {
            "incidents": expired["incidents"].update(description="", location_note=""),
            "activities": expired["activities"].update(description="", location_note=""),
            "action_items": expired["action_items"].update(description="", location_note=""),
            "status_notes": expired["status_notes"].update(note=""),
            "name_confirmations": expired["name_confirmations"].delete()[0],
            "tips": expired["tips"].update(description="", location_note="", decline_reason=""),
            "external_events": expired["external_events"].update(summary=""),
            "uploads": IncidentImport.objects.stale().delete()[0],
            # Alerts' texts (issue #13): the alert, its answers and figures stay.
            "alerts": Alert.objects.filter(created_at__lt=cutoff).exclude(text="").update(text=""),
            # Their notifications quote the text: they go at the same age.
            "notifications": Notification.objects.filter(created_at__lt=cutoff).delete()[0],
        }
        FreeTextClearance.objects.create(
            task="safety.clear_expired_free_text",
            ran_at=now,
            cutoff=cutoff,
            counts=counts,
            total=sum(counts.values()),
        )
    return counts


def free_text_due(*, place, now=None, within_days: int = 30) -> dict:
    """What the nightly task will clear at `place` in the next `within_days` days.

    Returns the retention in days, the cutoff of tonight's run, and per kind the count due and
    the date the oldest text was written (its clock start), in SQL: one aggregate per kind.
    """
    from django.db.models import Count, Min

    now = now or timezone.now()
    horizon = _retention_cutoff(now) + dt.timedelta(days=within_days)
    expired = expired_free_text(horizon)
    moments = {
        "incidents": "occurred_at",
        "activities": "started_at",
        "action_items": "resolved_at",
        "status_notes": "changed_at",
        "tips": "closed_at",
    }
    place_filters = {
        "incidents": {"place": place},
        "activities": {"place": place},
        "action_items": {"place": place},
        "status_notes": {"action_item__place": place},
        "tips": {"place": place},
    }
    kinds = {}
    for kind, moment in moments.items():
        row = (
            expired[kind]
            .filter(**place_filters[kind])
            .aggregate(count=Count("pk"), oldest=Min(moment))
        )
        oldest = row["oldest"]
        kinds[kind] = {
            "count": row["count"],
            "clears_on": (
                timezone.localdate(oldest + dt.timedelta(days=settings.FREE_TEXT_RETENTION_DAYS))
                if oldest
                else None
            ),
        }
    return {
        "retention_days": settings.FREE_TEXT_RETENTION_DAYS,
        "within_days": within_days,
        "kinds": kinds,
    }
