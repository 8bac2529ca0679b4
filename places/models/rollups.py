"""Daily rollups (issue #20), kept by database triggers (places/rollups.py): ActivityDay and
the key column they use."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from .activities import ActivityKind
from .places import Place


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
