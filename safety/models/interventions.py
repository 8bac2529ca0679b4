"""Interventions (insatser): measures taken at a part of a place, whose effect `safety.effects`
estimates."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.bounds import (
    validate_planning_date,
)
from places.models import Place, PlaceScopedQuerySet
from places.privacy import validate_no_personal_data

from .incidents import IncidentCategory


class InterventionQuerySet(PlaceScopedQuerySet):
    """Interventions of the places the user may see (a measure holds no restricted data)."""


class Intervention(models.Model):
    """A measure (insats) taken at a part of a place – new lighting by the stairs, a guard round
    on Friday nights – whose effect on the incidents it should reduce is estimated by
    `safety.effects`."""

    class Comparison(models.TextChoices):
        REST_OF_PLACE = "rest_of_place", _("The rest of the place, the same weeks")
        LAST_YEAR = "last_year", _("The same area, the same weeks a year earlier")

    place = models.ForeignKey(
        Place, verbose_name=_("place"), on_delete=models.CASCADE, related_name="interventions"
    )
    title = models.CharField(_("title"), max_length=200, validators=[validate_no_personal_data])
    description = models.TextField(
        _("description"), max_length=2000, blank=True, validators=[validate_no_personal_data]
    )
    starts_on = models.DateField(_("start date"), validators=[validate_planning_date])
    ends_on = models.DateField(
        _("end date"), null=True, blank=True, validators=[validate_planning_date]
    )
    lat = models.FloatField(
        _("latitude"), validators=[MinValueValidator(-90), MaxValueValidator(90)]
    )
    lon = models.FloatField(
        _("longitude"), validators=[MinValueValidator(-180), MaxValueValidator(180)]
    )
    radius_m = models.PositiveIntegerField(
        _("radius (metres)"),
        default=50,
        validators=[MinValueValidator(10), MaxValueValidator(2000)],
    )
    categories = models.ManyToManyField(
        IncidentCategory, verbose_name=_("incident categories it should affect"), blank=False
    )
    comparison = models.CharField(
        _("compared with"),
        max_length=20,
        choices=Comparison.choices,
        default=Comparison.REST_OF_PLACE,
    )
    window_weeks = models.PositiveSmallIntegerField(
        _("weeks before and after"),
        default=12,
        validators=[MinValueValidator(2), MaxValueValidator(52)],
    )
    activities = models.ManyToManyField(
        "places.Activity",
        verbose_name=_("activities that carry it out"),
        blank=True,
        related_name="interventions",
    )
    action_items = models.ManyToManyField(
        "places.ActionItem",
        verbose_name=_("action items that carry it out"),
        blank=True,
        related_name="interventions",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="interventions_recorded",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = InterventionQuerySet.as_manager()

    class Meta:
        verbose_name = _("intervention")
        verbose_name_plural = _("interventions")
        ordering = ["-starts_on", "title"]
        indexes = [models.Index(fields=["place", "starts_on"], name="intervention_place_start")]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=F("starts_on")),
                name="intervention_ends_after_start",
            ),
            models.CheckConstraint(
                condition=Q(radius_m__gte=10, radius_m__lte=2000),
                name="intervention_radius_range",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse(
            "safety:intervention_detail", kwargs={"place_slug": self.place.slug, "pk": self.pk}
        )
