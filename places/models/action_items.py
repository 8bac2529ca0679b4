"""Action items (åtgärdspunkter) and their status history."""

import datetime as dt

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.bounds import validate_event_datetime, validate_planning_date
from accounts.models import Organisation

from ..privacy import validate_no_personal_data
from .activities import Activity
from .places import Place, PlaceScopedQuerySet


class ActionItemQuerySet(PlaceScopedQuerySet):
    def unresolved(self):
        return self.filter(ActionItem.unresolved_q())

    def overdue(self, today=None):
        """Overdue on `today` (default: today in Stockholm) by `ActionItem.overdue_q`."""
        return self.filter(ActionItem.overdue_q(today or timezone.localdate()))


class ActionItem(models.Model):
    """Åtgärdspunkt: something to fix, often found on a trygghetsvandring."""

    class Category(models.TextChoices):
        LIGHTING = "belysning", _("Lighting")
        GRAFFITI = "klotter", _("Graffiti")
        LITTER = "nedskrapning", _("Litter")
        VEGETATION = "vegetation", _("Vegetation")
        DAMAGE = "skadegorelse", _("Vandalism")
        TRAFFIC = "trafik", _("Traffic")
        ACCESSIBILITY = "tillganglighet", _("Accessibility")
        OTHER = "ovrigt", _("Other")

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        IN_PROGRESS = "in_progress", _("In progress")
        RESOLVED = "resolved", _("Resolved")
        WONT_FIX = "wont_fix", _("Won't fix")

    place = models.ForeignKey(
        Place, verbose_name=_("place"), on_delete=models.CASCADE, related_name="action_items"
    )
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    description = models.TextField(
        _("description"), max_length=4000, validators=[validate_no_personal_data]
    )
    lat = models.FloatField(
        _("latitude"),
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    lon = models.FloatField(
        _("longitude"),
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
    location_note = models.CharField(
        _("location"), max_length=200, blank=True, validators=[validate_no_personal_data]
    )
    responsible_organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("responsible organisation"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="action_items",
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.OPEN
    )
    due_date = models.DateField(
        _("due date"), null=True, blank=True, validators=[validate_planning_date]
    )
    resolved_at = models.DateTimeField(
        _("resolved at"), null=True, blank=True, validators=[validate_event_datetime]
    )
    source_activity = models.ForeignKey(
        Activity,
        verbose_name=_("found during"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="action_items",
    )
    photo = models.ImageField(_("photo"), upload_to="action_items/%Y/%m/", blank=True)
    # Shown under "Ni tipsade – vi åtgärdade" once resolved (tips accepted from the public are
    # public); the photo only when a manager says so.
    is_public = models.BooleanField(_("shown on the public page"), default=False)
    photo_is_public = models.BooleanField(_("photo shown on the public page"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="action_items_created",
    )
    created_at = models.DateTimeField(
        _("created"), default=timezone.now, validators=[validate_event_datetime]
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = ActionItemQuerySet.as_manager()

    class Meta:
        verbose_name = _("action item")
        verbose_name_plural = _("action items")
        ordering = ["status", "due_date", "-created_at"]
        indexes = [
            models.Index(fields=["place", "status", "due_date"], name="actionitem_place_status"),
            models.Index(fields=["place", "created_at"], name="actionitem_place_time"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["open", "in_progress", "resolved", "wont_fix"]),
                name="actionitem_status_valid",
            ),
        ]

    def __str__(self):
        return f"{self.get_category_display()}: {self.description[:40]}"

    # --- Overdue: the one definition ------------------------------------------------------------
    # An item is overdue on a day when it is still open (open or in progress) and its due date is
    # before that day: due today is not overdue yet, a resolved or won't-fix item never is. The
    # SQL form (`overdue_q`) serves the querysets, the dashboards and the figures; the Python form
    # (`is_overdue_on`) the single item already loaded. Their agreement is tested
    # (tests/places/test_action_item_overdue.py).

    UNRESOLVED = (Status.OPEN, Status.IN_PROGRESS)

    @classmethod
    def unresolved_q(cls) -> Q:
        return Q(status__in=cls.UNRESOLVED)

    @classmethod
    def overdue_q(cls, as_of: dt.date, *, open_q: Q | None = None) -> Q:
        """Overdue on `as_of`. `open_q` replaces "open now" when the question is about the
        past: the figures of a period count what was still open at its end."""
        return (cls.unresolved_q() if open_q is None else open_q) & Q(due_date__lt=as_of)

    def is_overdue_on(self, as_of: dt.date) -> bool:
        return (
            self.status in self.UNRESOLVED and self.due_date is not None and self.due_date < as_of
        )

    @property
    def is_overdue(self) -> bool:
        return self.is_overdue_on(timezone.localdate())


class ActionItemStatusChange(models.Model):
    """Who changed an action item's status, and when."""

    action_item = models.ForeignKey(
        ActionItem,
        on_delete=models.CASCADE,
        related_name="status_changes",
        verbose_name=_("action item"),
    )
    from_status = models.CharField(_("from"), max_length=20, choices=ActionItem.Status.choices)
    to_status = models.CharField(_("to"), max_length=20, choices=ActionItem.Status.choices)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        verbose_name=_("changed by"),
    )
    changed_at = models.DateTimeField(
        _("changed at"), default=timezone.now, validators=[validate_event_datetime]
    )
    note = models.CharField(
        _("note"), max_length=500, blank=True, validators=[validate_no_personal_data]
    )
    # The id a phone gave the change while offline (issue #16): sent twice, recorded once.
    client_id = models.UUIDField(
        null=True, blank=True, unique=True, editable=False, verbose_name=_("client id")
    )

    class Meta:
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")
        ordering = ["-changed_at"]

    def __str__(self):
        return f"{self.from_status} → {self.to_status}"
