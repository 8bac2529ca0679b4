"""Lägesbilder: the frozen snapshot of a place's figures for one period."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.bounds import (
    validate_event_datetime,
    validate_planning_date,
)
from places.models import Place, PlaceScopedQuerySet


class SituationReportQuerySet(PlaceScopedQuerySet):
    pass


class SituationReport(models.Model):
    """Lägesbild: a frozen snapshot of a place's figures for one period."""

    class Kind(models.TextChoices):
        WEEKLY = "weekly", _("Weekly")
        MONTHLY = "monthly", _("Monthly")
        QUARTERLY = "quarterly", _("Quarterly")

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        READY = "ready", _("Ready")
        FAILED = "failed", _("Failed")

    place = models.ForeignKey(
        Place, verbose_name=_("place"), on_delete=models.CASCADE, related_name="reports"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    period_start = models.DateField(_("period start"), validators=[validate_planning_date])
    period_end = models.DateField(_("period end (exclusive)"), validators=[validate_planning_date])
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    generated_at = models.DateTimeField(
        _("generated at"), null=True, blank=True, validators=[validate_event_datetime]
    )
    figures = models.JSONField(_("figures"), default=dict, blank=True)
    error = models.TextField(_("error"), blank=True)
    attempts = models.PositiveSmallIntegerField(default=0, verbose_name=_("attempts"))
    # When its generation was last handed to the broker: the sweeper enqueues a pending report
    # again when this is old (its task was lost), whenever the report was created.
    enqueued_at = models.DateTimeField(
        _("last enqueued at"), null=True, blank=True, validators=[validate_event_datetime]
    )
    notified_at = models.DateTimeField(
        _("readers notified at"), null=True, blank=True, validators=[validate_event_datetime]
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = SituationReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("situation report")
        verbose_name_plural = _("situation reports")
        ordering = ["-period_start", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["place", "kind", "period_start"], name="report_unique_period"
            ),
            models.CheckConstraint(
                condition=Q(period_end__gt=models.F("period_start")), name="report_period_valid"
            ),
        ]

    def __str__(self):
        return f"{self.place} {self.get_kind_display()} {self.period_start}"

    def get_absolute_url(self):
        return reverse(
            "safety:report_detail", kwargs={"place_slug": self.place.slug, "pk": self.pk}
        )

    def clean(self):
        super().clean()
        # A report is ready when the generator has frozen its figures; the admin may not mark
        # it so by hand (its page would show nothing and its PDF could not be made).
        if self.status == self.Status.READY and not self.figures:
            raise ValidationError(
                {"status": _("A report becomes ready only when it has been generated.")}
            )

    @property
    def has_figures(self) -> bool:
        """Ready with its frozen figures: what the report page, its PDF and the API show. A
        report marked ready by hand in the admin without being generated has none; it is shown
        as not generated and has no PDF."""
        return self.status == self.Status.READY and bool(self.figures)

    @property
    def period(self):
        from ..periods import Period

        return Period(self.kind, self.period_start, self.period_end)

    @property
    def title(self) -> str:
        """ "Lägesbild oktober 2026" in the active language."""
        from ..periods import period_title

        return _("Situation report %(period)s") % {
            "period": period_title(self.kind, self.period_start)
        }

    @property
    def last_day(self):
        return self.period_end - timezone.timedelta(days=1)
