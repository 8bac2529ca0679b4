"""Invitations to a place: a token, a role, an expiry."""

import secrets
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.bounds import validate_event_datetime, validate_planning_datetime
from accounts.models import Organisation
from places.models import Place


def _invitation_token():
    return secrets.token_urlsafe(32)


def _invitation_expiry():
    return timezone.now() + timedelta(days=14)


class Invitation(models.Model):
    """An invitation by e-mail to a role at a place: single-use, valid 14 days."""

    place = models.ForeignKey(
        Place, verbose_name=_("place"), on_delete=models.CASCADE, related_name="invitations"
    )
    email = models.EmailField(_("e-mail address"))
    role = models.CharField(
        _("role"),
        max_length=10,
        choices=[
            ("manager", _("Manager")),
            ("reporter", _("Reporter")),
            ("reader", _("Reader")),
        ],
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation represented"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
    )
    token = models.CharField(
        max_length=64,
        unique=True,
        default=_invitation_token,
        editable=False,
        verbose_name=_("token"),
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="invitations_sent",
        verbose_name=_("invited by"),
    )
    created_at = models.DateTimeField(
        _("created"), default=timezone.now, validators=[validate_event_datetime]
    )
    expires_at = models.DateTimeField(
        _("expires"), default=_invitation_expiry, validators=[validate_planning_datetime]
    )
    accepted_at = models.DateTimeField(
        _("accepted"), null=True, blank=True, validators=[validate_event_datetime]
    )
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="invitations_accepted",
        verbose_name=_("accepted by"),
    )
    revoked_at = models.DateTimeField(
        _("revoked"), null=True, blank=True, validators=[validate_event_datetime]
    )
    # Set by the mail task when it claims the send, cleared by a resend: a retried task never
    # mails the same link twice.
    sent_at = models.DateTimeField(
        _("sent"), null=True, blank=True, validators=[validate_event_datetime]
    )

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                "place",
                Lower("email"),
                condition=Q(accepted_at__isnull=True, revoked_at__isnull=True),
                name="invitation_one_pending_per_place_email",
            ),
        ]

    def __str__(self):
        return f"{self.email} → {self.place} ({self.role})"

    @property
    def is_pending(self) -> bool:
        return (
            self.accepted_at is None
            and self.revoked_at is None
            and self.expires_at > timezone.now()
        )
