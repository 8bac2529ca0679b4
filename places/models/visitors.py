"""Visitor counts of a place (manual or from a sensor)."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.bounds import validate_event_datetime

from ..privacy import validate_no_personal_data
from .places import Place, PlaceScopedQuerySet


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
