"""Writes of the place workspace, with their rules (issue #12: a package split by concern).

Each service validates (`full_clean` plus the shared checks), writes in one transaction and
queues e-mail in the outbox in that transaction (places/outbox.py), so a failed save sends
nothing and a saved change is always announced. Views check who may act (places.rules) before
calling these.

- `checks`: a pin's position, a place's member organisations, a form sent twice
- `activities`, `action_items`, `plan` (the årshjul)
- `tips` (receive and moderate public tips) and `tip_updates` (what the tipper hears after)
- `webhooks` (registration, signing, delivery), `notifications` (the bell and Web Push)

The workspace's services are re-exported here, so `places.services.activity_create` and
`from places import services` keep working.
"""

from .action_items import (
    ACTION_ITEM_FIELDS,
    CLOSED,
    action_item_create,
    action_item_set_status,
    action_item_update,
    action_items_assigned_queue,
    action_items_record_findings,
)
from .activities import ACTIVITY_FIELDS, activity_create, activity_delete, activity_update
from .checks import (
    MAX_PIN_DISTANCE_M,
    pin_rule,
    place_centre,
    position_warning,
    saved_before,
    validate_organisations,
    validate_position,
)
from .plan import (
    PLAN_FIELDS,
    planned_activity_create,
    planned_activity_delete,
    planned_activity_update,
)

__all__ = [
    "ACTION_ITEM_FIELDS",
    "ACTIVITY_FIELDS",
    "CLOSED",
    "MAX_PIN_DISTANCE_M",
    "PLAN_FIELDS",
    "action_item_create",
    "action_item_set_status",
    "action_item_update",
    "action_items_assigned_queue",
    "action_items_record_findings",
    "activity_create",
    "activity_delete",
    "activity_update",
    "pin_rule",
    "place_centre",
    "planned_activity_create",
    "planned_activity_delete",
    "planned_activity_update",
    "position_warning",
    "saved_before",
    "validate_organisations",
    "validate_position",
]
