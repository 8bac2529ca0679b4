"""What a partnership does at a place: activity kinds, logged activities and the activity plan
(PlannedActivity)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.bounds import END_BEFORE_START, validate_event_datetime, validate_planning_date
from accounts.language import localised_name
from accounts.models import Organisation

from ..privacy import validate_no_personal_data
from .places import Place, PlaceScopedQuerySet


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
