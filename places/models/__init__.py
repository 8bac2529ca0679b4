"""The models of places, one module per concern; every model (and every name other modules
import from `places.models`) is imported here, so that `places.models.X` and the app's migrations
name them as before."""

from .action_items import (
    ActionItem,
    ActionItemQuerySet,
    ActionItemStatusChange,
)
from .activities import (
    Activity,
    ActivityKind,
    ActivityQuerySet,
    PlannedActivity,
)
from .notifications import (
    Notification,
    NotificationQuerySet,
    NotificationSetting,
    PushSubscription,
)
from .outbox import (
    OutboxMessage,
)
from .places import (
    ROLE_ABILITIES,
    ROLE_RANK,
    Place,
    PlaceQuerySet,
    PlaceRole,
    PlaceRoleQuerySet,
    PlaceScopedQuerySet,
    role_abilities,
    roles_at_least,
)
from .privacy import (
    FreeTextClearance,
    NameConfirmation,
)
from .rollups import (
    ActivityDay,
    rollup_key,
)
from .tips import (
    PublicTip,
    new_tip_token,
)
from .visitors import (
    VisitorCount,
    VisitorCountQuerySet,
)
from .webhooks import (
    Webhook,
    WebhookDelivery,
    validate_https_url,
    validate_webhook_events,
)

__all__ = [
    "ActionItem",
    "ActionItemQuerySet",
    "ActionItemStatusChange",
    "Activity",
    "ActivityDay",
    "ActivityKind",
    "ActivityQuerySet",
    "FreeTextClearance",
    "NameConfirmation",
    "Notification",
    "NotificationQuerySet",
    "NotificationSetting",
    "OutboxMessage",
    "Place",
    "PlaceQuerySet",
    "PlaceRole",
    "PlaceRoleQuerySet",
    "PlaceScopedQuerySet",
    "PlannedActivity",
    "PublicTip",
    "PushSubscription",
    "ROLE_ABILITIES",
    "ROLE_RANK",
    "VisitorCount",
    "VisitorCountQuerySet",
    "Webhook",
    "WebhookDelivery",
    "new_tip_token",
    "role_abilities",
    "roles_at_least",
    "rollup_key",
    "validate_https_url",
    "validate_webhook_events",
]
