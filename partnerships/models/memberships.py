"""Organisations' memberships of a place partnership, with their dates."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.bounds import validate_planning_date
from accounts.models import Organisation
from places.models import Place


class Membership(models.Model):
    """An organisation's membership of a place partnership; history is kept with dates."""

    class Role(models.TextChoices):
        MEMBER = "member", _("Member")
        BOARD = "board", _("Board")
        FUNDER = "funder", _("Funder")

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    place = models.ForeignKey(
        Place, verbose_name=_("place"), on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.MEMBER)
    since = models.DateField(
        _("since"), default=timezone.localdate, validators=[validate_planning_date]
    )
    until = models.DateField(_("until"), null=True, blank=True, validators=[validate_planning_date])

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["place", "organisation__name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(until__isnull=True) | Q(until__gte=F("since")),
                name="membership_until_after_since",
            ),
            models.UniqueConstraint(
                fields=["organisation", "place"],
                condition=Q(until__isnull=True),
                name="membership_one_current_per_place",
            ),
        ]

    def __str__(self):
        return f"{self.organisation} @ {self.place}"

    def clean(self):
        super().clean()
        if self.until and self.since and self.until < self.since:
            raise ValidationError({"until": _("The end date must be on or after the start date.")})
