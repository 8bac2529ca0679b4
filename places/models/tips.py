"""Tips from the public ("Tipsa oss", issue #14) and their tracking token."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.bounds import validate_event_datetime

from ..privacy import validate_no_personal_data
from .action_items import ActionItem
from .places import Place


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
