"""Social outcomes of a place: counts and amounts only – never who."""

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation
from places.models import Place, PlaceScopedQuerySet

from .funding import NON_NEGATIVE, SEK, validate_year


class SocialOutcomeQuerySet(PlaceScopedQuerySet):
    """Every outcome of the places the user may see: counts and amounts, never names."""


class SocialOutcome(models.Model):
    """What a member organisation promised and achieved under social clauses at a place in a
    year (issue #18): local jobs, internships, summer jobs for young residents and purchases
    from local businesses. Counts and amounts only – never who."""

    # (field stem, label) of the counted outcomes; each has a target and a result.
    COUNTS = (
        ("local_jobs", _("Local jobs")),
        ("internships", _("Internships")),
        ("summer_jobs", _("Summer jobs for young residents")),
    )

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="social_outcomes",
    )
    place = models.ForeignKey(
        Place, verbose_name=_("place"), on_delete=models.CASCADE, related_name="social_outcomes"
    )
    year = models.PositiveSmallIntegerField(_("year"), validators=[validate_year])
    local_jobs_target = models.PositiveIntegerField(
        _("local jobs, target"), null=True, blank=True, validators=[MaxValueValidator(100_000)]
    )
    local_jobs = models.PositiveIntegerField(
        _("local jobs, result"), null=True, blank=True, validators=[MaxValueValidator(100_000)]
    )
    internships_target = models.PositiveIntegerField(
        _("internships, target"), null=True, blank=True, validators=[MaxValueValidator(100_000)]
    )
    internships = models.PositiveIntegerField(
        _("internships, result"), null=True, blank=True, validators=[MaxValueValidator(100_000)]
    )
    summer_jobs_target = models.PositiveIntegerField(
        _("summer jobs, target"), null=True, blank=True, validators=[MaxValueValidator(100_000)]
    )
    summer_jobs = models.PositiveIntegerField(
        _("summer jobs, result"), null=True, blank=True, validators=[MaxValueValidator(100_000)]
    )
    local_purchases_target_sek = models.DecimalField(
        _("local purchases, target (SEK)"), null=True, blank=True, validators=NON_NEGATIVE, **SEK
    )
    local_purchases_sek = models.DecimalField(
        _("local purchases, result (SEK)"), null=True, blank=True, validators=NON_NEGATIVE, **SEK
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("updated by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="social_outcomes_updated",
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = SocialOutcomeQuerySet.as_manager()

    class Meta:
        verbose_name = _("social outcome")
        verbose_name_plural = _("social outcomes")
        ordering = ["-year", "organisation__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "place", "year"], name="social_outcome_unique"
            )
        ]

    def __str__(self):
        return f"{self.organisation} · {self.place} · {self.year}"
