"""Django admin for places: an admin sets up a place end to end here (architecture §2). One module
per concern; importing them here runs their registrations, and every name (the shared form
helpers in `fields`, RollupAdmin, PlaceAdmin, …) stays importable as `places.admin.X`."""

from .fields import (
    BoundaryFormField,
    BoundaryWidget,
    PrettyJSONField,
    PrettyJSONMixin,
    format_json,
    pretty_json,
)
from .large import LargeTableAdmin
from .messaging import (
    NotificationAdmin,
    NotificationSettingAdmin,
    OutboxMessageAdmin,
    PushSubscriptionAdmin,
    WebhookAdmin,
    WebhookDeliveryAdmin,
)
from .places import (
    PlaceAdmin,
    PlaceAdminForm,
    PlaceRoleAdmin,
    PlaceRoleForm,
    PlaceRoleInline,
    UserPlaceRoleInline,
    UserWithPlaceRolesAdmin,
)
from .privacy import (
    FreeTextClearanceAdmin,
    NameConfirmationAdmin,
)
from .rollups import (
    ActivityDayAdmin,
    RollupAdmin,
)
from .workspace import (
    ActionItemAdmin,
    ActionItemStatusChangeAdmin,
    ActionItemStatusChangeInline,
    ActivityAdmin,
    ActivityKindAdmin,
    PlannedActivityAdmin,
    PublicTipAdmin,
    VisitorCountAdmin,
)

__all__ = [
    "ActionItemAdmin",
    "ActionItemStatusChangeAdmin",
    "ActionItemStatusChangeInline",
    "ActivityAdmin",
    "ActivityDayAdmin",
    "ActivityKindAdmin",
    "BoundaryFormField",
    "BoundaryWidget",
    "FreeTextClearanceAdmin",
    "LargeTableAdmin",
    "NameConfirmationAdmin",
    "NotificationAdmin",
    "NotificationSettingAdmin",
    "OutboxMessageAdmin",
    "PlaceAdmin",
    "PlaceAdminForm",
    "PlaceRoleAdmin",
    "PlaceRoleForm",
    "PlaceRoleInline",
    "PlannedActivityAdmin",
    "PrettyJSONField",
    "PrettyJSONMixin",
    "PublicTipAdmin",
    "PushSubscriptionAdmin",
    "RollupAdmin",
    "UserPlaceRoleInline",
    "UserWithPlaceRolesAdmin",
    "VisitorCountAdmin",
    "WebhookAdmin",
    "WebhookDeliveryAdmin",
    "format_json",
    "pretty_json",
]
