import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.bounds import (
    END_BEFORE_START,
    validate_event_datetime,
    validate_planning_date,
    validate_planning_datetime,
    validate_storable_json,
)
from accounts.language import localised_name
from accounts.models import Organisation

from .geo import boundary_centre, validate_boundary
from .privacy import validate_no_personal_data

# Role ranks: manager ⊃ reporter ⊃ reader (architecture §4).
ROLE_RANK = {"reader": 1, "reporter": 2, "manager": 3}


# What each role can do at a place, in one sentence: the welcome after joining, the invitation
# page and its e-mail all say the same (one definition).
ROLE_ABILITIES = {
    "reader": _(
        "You can read the lägesbild, the dashboard, activities and action items of the place."
    ),
    "reporter": _(
        "You can log activities and incidents from your phone, record findings and update the "
        "action items of your organisation, and read everything a reader reads."
    ),
    "manager": _(
        "You can run the place: log and import incidents, plan activities, manage action items, "
        "invite people, manage member organisations and follow the funding."
    ),
}


def role_abilities(role: str) -> str:
    return str(ROLE_ABILITIES.get(role, ""))


def roles_at_least(role: str) -> list[str]:
    return [name for name, rank in ROLE_RANK.items() if rank >= ROLE_RANK[role]]


class PlaceQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)

    def visible_to(self, user):
        """Places the user has a role in; staff see all (architecture §4)."""
        if not user.is_authenticated:
            return self.none()
        if user.is_staff:
            return self
        return self.filter(roles__user=user).distinct()

    def with_role_at_least(self, user, role: str):
        if not user.is_authenticated:
            return self.none()
        if user.is_staff:
            return self
        return self.filter(roles__user=user, roles__role__in=roles_at_least(role)).distinct()


class Place(models.Model):
    class Kind(models.TextChoices):
        SQUARE = "square", _("Square")
        STREET = "street", _("Street")
        CENTRE = "centre", _("Centre")
        DISTRICT = "district", _("District")
        PARK = "park", _("Park")
        STATION = "station", _("Station")
        OTHER = "other", _("Other")

    name = models.CharField(_("name"), max_length=150)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.SQUARE)
    municipality = models.CharField(_("municipality"), max_length=100)
    description = models.TextField(_("description"), blank=True)
    boundary = models.JSONField(
        _("boundary"),
        null=True,
        blank=True,
        validators=[validate_boundary],
        help_text=_("GeoJSON Polygon or MultiPolygon in longitude/latitude (WGS 84)."),
    )
    centre_lat = models.FloatField(
        _("centre latitude"),
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    centre_lon = models.FloatField(
        _("centre longitude"),
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
    is_active = models.BooleanField(_("active"), default=True)
    # The public page (/p/<slug>/) and tips from the public (issue #14): off until a manager
    # switches it on after previewing it.
    public_page_enabled = models.BooleanField(_("public page on"), default=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = PlaceQuerySet.as_manager()

    class Meta:
        verbose_name = _("place")
        verbose_name_plural = _("places")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("places:overview", kwargs={"place_slug": self.slug})

    def clean(self):
        super().clean()
        if self.boundary and (self.centre_lat is None or self.centre_lon is None):
            centre = boundary_centre(self.boundary)
            if centre:
                self.centre_lat, self.centre_lon = centre


class PlaceRoleQuerySet(models.QuerySet):
    def managers(self):
        return self.filter(role=PlaceRole.Role.MANAGER)

    def representing_police(self):
        """Roles whose organisation represented is a police organisation.

        The one definition of "police" (architecture §4): it holds at the role's place only. The
        account's own organisation (`User.organisation`) never makes anyone police anywhere.
        """
        return self.filter(organisation__kind=Organisation.Kind.POLICE)


class PlaceRole(models.Model):
    """The only thing that grants a person access to a place (architecture §4).

    `organisation` is who the person represents at this place, and only here: it decides whom
    they report for, which commitments they see, which action items they answer for and
    whether they see restricted incidents as police.
    """

    class Role(models.TextChoices):
        MANAGER = "manager", _("Manager")
        REPORTER = "reporter", _("Reporter")
        READER = "reader", _("Reader")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="place_roles",
    )
    place = models.ForeignKey(
        Place, verbose_name=_("place"), on_delete=models.CASCADE, related_name="roles"
    )
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.READER)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation represented"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="place_roles",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = PlaceRoleQuerySet.as_manager()

    class Meta:
        verbose_name = _("place role")
        verbose_name_plural = _("place roles")
        ordering = ["place__name", "role", "user__email"]
        constraints = [
            models.UniqueConstraint(fields=["user", "place"], name="placerole_unique_user_place"),
            models.CheckConstraint(
                condition=Q(role__in=["manager", "reporter", "reader"]),
                name="placerole_role_valid",
            ),
        ]

    def __str__(self):
        return f"{self.user} – {self.place} ({self.get_role_display()})"

    def allows(self, role: str) -> bool:
        return ROLE_RANK[self.role] >= ROLE_RANK[role]


class ActivityKind(models.Model):
    """Configurable list of what partnerships do (trygghetsvandring, klotterborttagning …)."""

    code = models.SlugField(_("code"), max_length=50, unique=True)
    name_sv = models.CharField(_("name (Swedish)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100)
    is_walk = models.BooleanField(
        _("is a safety walk"),
        default=False,
        help_text=_("Safety walks (trygghetsvandringar) record findings as action items."),
    )
    order = models.PositiveSmallIntegerField(
        _("order"), default=0, validators=[MaxValueValidator(1000)]
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("activity kind")
        verbose_name_plural = _("activity kinds")
        ordering = ["order", "name_sv"]

    def __str__(self):
        return self.name

    @property
    def name(self):
        return localised_name(self)


class PlaceScopedQuerySet(models.QuerySet):
    """Rows that belong to a place: a person sees those of the places they may see (one rule,
    architecture §4). `place_lookup` is the path to the place when it is not `place`."""

    place_lookup = "place"

    def visible_to(self, user):
        return self.filter(**{f"{self.place_lookup}__in": Place.objects.visible_to(user)})


class ActivityQuerySet(PlaceScopedQuerySet):
    pass


class Activity(models.Model):
    place = models.ForeignKey(
        Place, verbose_name=_("place"), on_delete=models.CASCADE, related_name="activities"
    )
    kind = models.ForeignKey(
        ActivityKind, verbose_name=_("kind"), on_delete=models.PROTECT, related_name="activities"
    )
    started_at = models.DateTimeField(
        _("when"), default=timezone.now, validators=[validate_event_datetime]
    )
    duration_minutes = models.PositiveIntegerField(
        _("duration (minutes)"),
        default=60,
        validators=[MinValueValidator(1), MaxValueValidator(24 * 60)],
    )
    participants_count = models.PositiveIntegerField(
        _("participants"), default=1, validators=[MaxValueValidator(10000)]
    )
    organisations = models.ManyToManyField(
        Organisation,
        verbose_name=_("organisations"),
        blank=True,
        related_name="activities",
    )
    description = models.TextField(
        _("note"), blank=True, max_length=4000, validators=[validate_no_personal_data]
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
    logged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("logged by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="activities_logged",
    )
    planned_activity = models.ForeignKey(
        "PlannedActivity",
        verbose_name=_("planned activity"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="activities",
    )
    # Digest of the one-time key of the form that logged it (places/form_keys.py): a double
    # submit logs one activity.
    form_key = models.CharField(
        max_length=64,
        null=True,
        blank=True,
        unique=True,
        editable=False,
        verbose_name=_("form key"),
    )
    # The id a phone gave it while offline (issue #16, static/js/outbox.js): a queued form sent
    # again after a dropped answer logs one activity.
    client_id = models.UUIDField(
        null=True, blank=True, unique=True, editable=False, verbose_name=_("client id")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = ActivityQuerySet.as_manager()

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["-started_at"]
        indexes = [
            models.Index(fields=["place", "started_at"], name="activity_place_time"),
            models.Index(fields=["place", "kind", "started_at"], name="activity_place_kind_time"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(duration_minutes__gte=1) & Q(duration_minutes__lte=24 * 60),
                name="activity_duration_range",
            ),
        ]

    def __str__(self):
        return f"{self.kind} {timezone.localtime(self.started_at):%Y-%m-%d %H:%M}"


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


class PlannedActivity(models.Model):
    """A recurring planned activity in the place's activity plan (årshjul)."""

    class Recurrence(models.TextChoices):
        WEEKLY = "weekly", _("Every week")
        MONTHLY = "monthly", _("Every month")
        YEARLY = "yearly", _("Every year")

    place = models.ForeignKey(
        Place, verbose_name=_("place"), on_delete=models.CASCADE, related_name="planned_activities"
    )
    kind = models.ForeignKey(ActivityKind, verbose_name=_("kind"), on_delete=models.PROTECT)
    title = models.CharField(_("title"), max_length=150, validators=[validate_no_personal_data])
    recurrence = models.CharField(_("recurrence"), max_length=10, choices=Recurrence.choices)
    weekday = models.PositiveSmallIntegerField(
        _("weekday"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(6)],
        help_text=_("0 = Monday … 6 = Sunday (weekly plans)."),
    )
    month = models.PositiveSmallIntegerField(
        _("month"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(12)],
        help_text=_("1–12 (yearly plans)."),
    )
    starts_on = models.DateField(
        _("starts on"), default=timezone.localdate, validators=[validate_planning_date]
    )
    ends_on = models.DateField(
        _("ends on"), null=True, blank=True, validators=[validate_planning_date]
    )
    is_active = models.BooleanField(_("active"), default=True)
    # Public plans are events residents may join: listed on the public page and its iCal feed.
    is_public = models.BooleanField(
        _("public"),
        default=False,
        help_text=_("Show it on the place's public page and in its calendar feed."),
    )
    public_time = models.TimeField(
        _("time of day"),
        null=True,
        blank=True,
        help_text=_("When it starts, for the public calendar (empty: all day)."),
    )

    class Meta:
        verbose_name = _("planned activity")
        verbose_name_plural = _("planned activities")
        ordering = ["place", "kind", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="plannedactivity_end_after_start",
            ),
            models.CheckConstraint(
                condition=Q(weekday__isnull=True) | Q(weekday__lte=6),
                name="plannedactivity_weekday_range",
            ),
        ]

    def __str__(self):
        return self.title

    def clean(self):
        super().clean()
        if self.ends_on and self.starts_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": END_BEFORE_START})
        if self.recurrence == self.Recurrence.WEEKLY and self.weekday is None:
            raise ValidationError({"weekday": _("A weekly plan needs a weekday.")})
        if self.recurrence == self.Recurrence.YEARLY and self.month is None:
            raise ValidationError({"month": _("A yearly plan needs a month.")})


class NameConfirmation(models.Model):
    """Someone confirmed that a word the privacy screen read as a name is not a person.

    The soft stop of issue #17: a street, a shop or an organisation can look like a name, so
    the writer may confirm instead of removing it. Each confirmation is kept for the data
    protection officer — who, when, which word, in which field — and cleared with the free
    text it concerned, after FREE_TEXT_RETENTION_DAYS.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("confirmed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="name_confirmations",
    )
    place = models.ForeignKey(
        Place,
        verbose_name=_("place"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="name_confirmations",
    )
    record = models.CharField(
        _("record"), max_length=100, help_text=_("What was written: an activity, an incident …")
    )
    field = models.CharField(_("field"), max_length=100)
    field_label = models.CharField(_("field label"), max_length=200, blank=True)
    token = models.CharField(_("word"), max_length=200)
    confirmed_at = models.DateTimeField(
        _("confirmed at"), default=timezone.now, validators=[validate_event_datetime]
    )

    class Meta:
        verbose_name = _("name confirmation")
        verbose_name_plural = _("name confirmations")
        ordering = ["-confirmed_at", "-pk"]
        indexes = [models.Index(fields=["confirmed_at"], name="nameconfirmation_time")]

    def __str__(self):
        return f"“{self.token}” ({self.field_label or self.field})"


class FreeTextClearance(models.Model):
    """One run of a nightly retention task: what it cleared (architecture §6, issue #17).

    Shown in the admin, so the data protection officer can see that free text really goes.
    """

    task = models.CharField(_("task"), max_length=100)
    ran_at = models.DateTimeField(
        _("ran at"), default=timezone.now, validators=[validate_event_datetime]
    )
    cutoff = models.DateTimeField(_("text written before"), validators=[validate_event_datetime])
    counts = models.JSONField(_("cleared"), default=dict)
    total = models.PositiveIntegerField(_("total cleared"), default=0)

    class Meta:
        verbose_name = _("free-text clearance")
        verbose_name_plural = _("free-text clearances")
        ordering = ["-ran_at", "-pk"]

    def __str__(self):
        return f"{self.task} {timezone.localtime(self.ran_at):%Y-%m-%d %H:%M}"


class OutboxMessage(models.Model):
    """One message to one recipient over one channel: the outbox (places/outbox.py).

    Written in the same transaction as the change that calls for it (a report made ready, an
    invitation, an action item assigned …), so it exists exactly when the change does; a task
    sends it and marks it sent right after the mail server accepts it. The unique key per kind,
    object, recipient and channel means a duplicated dispatch writes nothing twice. The text is
    rendered when the row is written – in the recipient's language, with the links of the
    request that caused it (its host) – so sending needs nothing but the row.
    """

    class Channel(models.TextChoices):
        EMAIL = "email", _("E-mail")

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting to be sent")
        SENDING = "sending", _("Being sent")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")
        CANCELLED = "cancelled", _("Cancelled")

    kind = models.CharField(_("kind"), max_length=40)
    # The object and, where it can be sent again, its version: "report:17", "invitation:4:9f2c…".
    object_key = models.CharField(_("object"), max_length=200)
    channel = models.CharField(
        _("channel"), max_length=10, choices=Channel.choices, default=Channel.EMAIL
    )
    recipient = models.CharField(_("recipient"), max_length=254)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    subject = models.CharField(_("subject"), max_length=255, blank=True)
    body = models.TextField(_("text"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(
        _("next attempt"), default=timezone.now, validators=[validate_planning_datetime]
    )
    claimed_at = models.DateTimeField(
        _("sending since"), null=True, blank=True, validators=[validate_event_datetime]
    )
    sent_at = models.DateTimeField(
        _("sent at"), null=True, blank=True, validators=[validate_event_datetime]
    )
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("outgoing message")
        verbose_name_plural = _("outgoing messages")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="outbox_due"),
            models.Index(fields=["kind", "object_key"], name="outbox_object"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "object_key", "recipient", "channel"], name="outbox_message_once"
            ),
            models.CheckConstraint(
                condition=Q(status__in=["pending", "sending", "sent", "failed", "cancelled"]),
                name="outbox_status_valid",
            ),
        ]

    def __str__(self):
        return f"{self.kind} {self.object_key} → {self.recipient}"


class VisitorCountQuerySet(PlaceScopedQuerySet):
    pass


class VisitorCount(models.Model):
    """How many people were at (a part of) the place for a while: a manual count in the spirit
    of Gehl's Public Life Data Protocol, or a sensor's count. People are only numbers."""

    class Source(models.TextChoices):
        MANUAL = "manual", _("Counted by hand")
        SENSOR = "sensor", _("Sensor")

    MAX_PEOPLE = 1_000_000

    place = models.ForeignKey(
        Place, verbose_name=_("place"), on_delete=models.CASCADE, related_name="visitor_counts"
    )
    counted_at = models.DateTimeField(
        _("count started"), default=timezone.now, validators=[validate_event_datetime]
    )
    duration_minutes = models.PositiveIntegerField(
        _("duration (minutes)"),
        default=15,
        validators=[MinValueValidator(1), MaxValueValidator(24 * 60)],
    )
    people = models.PositiveIntegerField(
        _("people counted"), validators=[MaxValueValidator(MAX_PEOPLE)]
    )
    source = models.CharField(
        _("source"), max_length=10, choices=Source.choices, default=Source.MANUAL
    )
    sensor = models.CharField(
        _("sensor"), max_length=100, blank=True, validators=[validate_no_personal_data]
    )
    location_note = models.CharField(
        _("where"), max_length=200, blank=True, validators=[validate_no_personal_data]
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
    # Optional breakdowns of a manual count (Gehl: age groups, staying or passing through).
    children = models.PositiveIntegerField(
        _("children (0–14)"), null=True, blank=True, validators=[MaxValueValidator(MAX_PEOPLE)]
    )
    young = models.PositiveIntegerField(
        _("young people (15–24)"), null=True, blank=True, validators=[MaxValueValidator(MAX_PEOPLE)]
    )
    adults = models.PositiveIntegerField(
        _("adults (25–64)"), null=True, blank=True, validators=[MaxValueValidator(MAX_PEOPLE)]
    )
    seniors = models.PositiveIntegerField(
        _("older people (65+)"), null=True, blank=True, validators=[MaxValueValidator(MAX_PEOPLE)]
    )
    staying = models.PositiveIntegerField(
        _("staying"), null=True, blank=True, validators=[MaxValueValidator(MAX_PEOPLE)]
    )
    passing = models.PositiveIntegerField(
        _("passing through"), null=True, blank=True, validators=[MaxValueValidator(MAX_PEOPLE)]
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="visitor_counts",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = VisitorCountQuerySet.as_manager()

    class Meta:
        verbose_name = _("visitor count")
        verbose_name_plural = _("visitor counts")
        ordering = ["-counted_at"]
        indexes = [models.Index(fields=["place", "counted_at"], name="visitorcount_place_time")]
        constraints = [
            # Importing a sensor's file again adds nothing.
            models.UniqueConstraint(
                fields=["place", "sensor", "counted_at"],
                condition=Q(source="sensor"),
                name="visitorcount_sensor_unique",
            ),
            models.CheckConstraint(
                condition=Q(source__in=["manual", "sensor"]), name="visitorcount_source_valid"
            ),
        ]

    def __str__(self):
        return f"{self.people} · {timezone.localtime(self.counted_at):%Y-%m-%d %H:%M}"


def new_tip_token() -> str:
    import secrets

    return secrets.token_urlsafe(24)


class PublicTip(models.Model):
    """A tip from the public ("Tipsa oss", issue #14): no account, no IP address.

    A manager accepts it (it becomes an action item for the responsible organisation), merges
    it into an existing action item, or declines it with a reason the tipper reads. The tipper
    follows it at an unguessable tracking link; the e-mail address, if given, is erased when
    the tip is closed (declined, or its action item resolved or closed).
    """

    class Status(models.TextChoices):
        RECEIVED = "received", _("Received")
        ACCEPTED = "accepted", _("Accepted")
        MERGED = "merged", _("Merged")
        DECLINED = "declined", _("Declined")

    place = models.ForeignKey(
        Place, verbose_name=_("place"), on_delete=models.CASCADE, related_name="public_tips"
    )
    token = models.CharField(
        _("tracking token"), max_length=64, unique=True, default=new_tip_token, editable=False
    )
    category = models.CharField(_("category"), max_length=20, choices=ActionItem.Category.choices)
    description = models.TextField(
        _("description"), max_length=2000, validators=[validate_no_personal_data]
    )
    lat = models.FloatField(
        _("latitude"), validators=[MinValueValidator(-90), MaxValueValidator(90)]
    )
    lon = models.FloatField(
        _("longitude"), validators=[MinValueValidator(-180), MaxValueValidator(180)]
    )
    location_note = models.CharField(
        _("location"), max_length=200, blank=True, validators=[validate_no_personal_data]
    )
    photo = models.ImageField(_("photo"), upload_to="tips/%Y/%m/", blank=True)
    email = models.EmailField(_("e-mail address for updates"), blank=True)
    language = models.CharField(_("language"), max_length=5, default="sv")
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.RECEIVED
    )
    action_item = models.ForeignKey(
        ActionItem,
        verbose_name=_("action item"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="public_tips",
    )
    decline_reason = models.CharField(
        _("reason"), max_length=500, blank=True, validators=[validate_no_personal_data]
    )
    # Moderation is logged on the tip: who and when (one decision per tip).
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("moderated by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="public_tips_moderated",
    )
    moderated_at = models.DateTimeField(
        _("moderated at"), null=True, blank=True, validators=[validate_event_datetime]
    )
    closed_at = models.DateTimeField(
        _("closed at"), null=True, blank=True, validators=[validate_event_datetime]
    )
    # The digest of the one-time form token (places.abuse): a replayed form is refused.
    form_nonce = models.CharField(max_length=64, unique=True, null=True, blank=True, editable=False)
    created_at = models.DateTimeField(
        _("received"), default=timezone.now, validators=[validate_event_datetime]
    )

    class Meta:
        verbose_name = _("tip from the public")
        verbose_name_plural = _("tips from the public")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["place", "status", "created_at"], name="publictip_place_status"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["received", "accepted", "merged", "declined"]),
                name="publictip_status_valid",
            ),
        ]

    def __str__(self):
        return f"{self.get_category_display()}: {self.description[:40]}"

    @property
    def public_state(self) -> str:
        """What the tracking page says: received, declined, or the action item's status."""
        if self.status == self.Status.RECEIVED:
            return "received"
        if self.status == self.Status.DECLINED:
            return "declined"
        if self.action_item_id is None:
            return "accepted"
        return self.action_item.status


# --- Notifications (issue #13) -------------------------------------------------------------


class NotificationQuerySet(models.QuerySet):
    def unread(self):
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    """One line in a person's in-app notification list (the bell in the header).

    Written by the higher apps (an alert, a plan to confirm, a ready lägesbild, an assigned
    action item) through `places.notifications.notify`: places only knows a kind, a title and
    a link, never the objects behind them.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    place = models.ForeignKey(
        Place,
        verbose_name=_("place"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notifications",
    )
    kind = models.CharField(_("kind"), max_length=40)
    # The object it is about ("alert:17"): one notification per person and object and kind.
    object_key = models.CharField(_("object"), max_length=100)
    title = models.CharField(_("title"), max_length=200)
    url = models.CharField(_("link"), max_length=500)
    created_at = models.DateTimeField(
        _("created"), default=timezone.now, validators=[validate_event_datetime]
    )
    read_at = models.DateTimeField(
        _("read"), null=True, blank=True, validators=[validate_event_datetime]
    )

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["user", "read_at"], name="notification_user_unread")]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "kind", "object_key"], name="notification_unique_object"
            )
        ]

    def __str__(self):
        return self.title


class NotificationSetting(models.Model):
    """How a person wants to be reached besides the in-app list (alerts are always listed)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="notification_setting",
    )
    email = models.BooleanField(_("by e-mail"), default=True)
    push = models.BooleanField(_("by push notification on my devices"), default=True)

    class Meta:
        verbose_name = _("notification setting")
        verbose_name_plural = _("notification settings")

    def __str__(self):
        return str(self.user)


class PushSubscription(models.Model):
    """One device's Web Push subscription, owned by the person who was logged in on it.

    Deleted when they log out on that device, and when the push service answers 404/410 (the
    browser dropped it). The endpoint is checked against the known push services before it is
    stored, so a forged endpoint never makes the server post elsewhere.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="push_subscriptions",
    )
    endpoint = models.URLField(_("endpoint"), max_length=1000, unique=True)
    p256dh = models.CharField(_("public key"), max_length=200)
    auth = models.CharField(_("auth secret"), max_length=100)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("push subscription")
        verbose_name_plural = _("push subscriptions")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.user} ({self.created_at:%Y-%m-%d})"


def validate_https_url(value):
    """Webhooks go only to https: the payload and its signature are not for the open wire."""
    from django.core.validators import URLValidator

    URLValidator(schemes=["https"], message=_("Enter an https:// address."))(value)
    from .webhooks import is_private_host_name

    if is_private_host_name(value):
        raise ValidationError(_("Enter an address on the internet, not a local one."), code="local")


def validate_webhook_events(value):
    from .webhooks import event_keys

    if not isinstance(value, list) or not value or not set(value) <= set(event_keys()):
        raise ValidationError(_("Choose at least one of the events offered."), code="events")


class Webhook(models.Model):
    """An outbound webhook of a place (issue #15): a signed POST to a URL a manager registered,
    for the events chosen (`places.webhooks`)."""

    place = models.ForeignKey(
        Place, on_delete=models.CASCADE, related_name="webhooks", verbose_name=_("place")
    )
    url = models.URLField(
        _("URL"), max_length=500, validators=[validate_https_url, validate_no_personal_data]
    )
    # The key of the HMAC signature: the receiver must know it too, so it is kept (not hashed)
    # and shown to the manager once, when the webhook is created.
    secret = models.CharField(_("secret"), max_length=100, editable=False)
    events = models.JSONField(
        _("events"), default=list, validators=[validate_webhook_events, validate_storable_json]
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("webhook")
        verbose_name_plural = _("webhooks")
        ordering = ["place", "created_at", "pk"]

    def __str__(self):
        return f"{self.place} → {self.url}"


class WebhookDelivery(models.Model):
    """One event for one webhook: the unique (webhook, event key) sends each event once per URL."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Delivered")
        FAILED = "failed", _("Failed")

    webhook = models.ForeignKey(
        Webhook, on_delete=models.CASCADE, related_name="deliveries", verbose_name=_("webhook")
    )
    event = models.CharField(_("event"), max_length=40)
    event_key = models.CharField(_("event key"), max_length=200)
    payload = models.JSONField(_("payload"), default=dict, validators=[validate_storable_json])
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0, editable=False)
    next_attempt_at = models.DateTimeField(_("next attempt"), default=timezone.now, editable=False)
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True, editable=False)
    response_status = models.PositiveSmallIntegerField(
        _("response status"), null=True, blank=True, editable=False
    )
    last_error = models.CharField(_("last error"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    sent_at = models.DateTimeField(_("delivered at"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["webhook", "event_key"], name="webhook_delivery_once_per_event"
            )
        ]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="webhook_delivery_due"),
        ]

    def __str__(self):
        return f"{self.event_key} → {self.webhook_id}"


# --- Daily rollups (issue #20) ----------------------------------------------------------------


def rollup_key(model, name):
    """A key column of a daily rollup (places/rollups.py): an id without a foreign-key
    constraint or cascade – the database triggers, not Django's collector, keep the rollup in
    step when raw rows go."""
    return models.ForeignKey(
        model,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,
        related_name="+",
        verbose_name=name,
    )


class ActivityDay(models.Model):
    """Activities of a place per local day and kind: how many, their minutes and participants.
    Kept by database triggers (places/rollups.py); ids, a date and sums only."""

    place = rollup_key(Place, _("place"))
    day = models.DateField(_("local day"))
    kind = rollup_key(ActivityKind, _("kind"))
    count = models.IntegerField(_("activities"), default=0)
    minutes = models.BigIntegerField(_("minutes"), default=0)
    participants = models.BigIntegerField(_("participants"), default=0)

    class Meta:
        verbose_name = _("activities per day (rollup)")
        verbose_name_plural = _("activities per day (rollup)")
        ordering = ["place", "day"]
        constraints = [
            models.UniqueConstraint(fields=["place", "day", "kind"], name="activity_day_key")
        ]

    def __str__(self):
        return f"{self.place_id} {self.day}: {self.count}"
