"""Records of the privacy screen and of retention: confirmed non-names (NameConfirmation) and
the nightly free-text clearances (FreeTextClearance)."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.bounds import validate_event_datetime

from .places import Place


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
