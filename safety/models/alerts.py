"""Samverkansplan and larm (issue #13): the coordinated plan of a place and its alerts.

Imported by `safety.models` (the package), like every model module of the app.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.bounds import validate_event_datetime, validate_storable_json
from places.models import Place, PlaceScopedQuerySet
from places.privacy import validate_no_personal_data

# An organisation's functional number (växel, larmcentral, jourtelefon): +46 or 0 and digits.
validate_functional_number = RegexValidator(
    r"^((\+46|0)[0-9 -]{5,16}|114 ?14)$",
    _("Enter a functional phone number such as 040-34 10 00 or +46 40 34 10 00."),
)


class SituationPlan(models.Model):
    """Samverkansplan: one per place. Its scenarios are the working copy managers edit;
    publishing freezes them into a numbered `PlanVersion`."""

    place = models.OneToOneField(
        Place, verbose_name=_("place"), on_delete=models.CASCADE, related_name="situation_plan"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("coordinated plan")
        verbose_name_plural = _("coordinated plans")

    def __str__(self):
        return str(self.place)

    @property
    def current_version(self):
        return self.versions.order_by("-number").first()


class Scenario(models.Model):
    plan = models.ForeignKey(
        SituationPlan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="scenarios"
    )
    title = models.CharField(_("title"), max_length=120, validators=[validate_no_personal_data])
    signs = models.TextField(
        _("signs to look for"),
        max_length=2000,
        blank=True,
        validators=[validate_no_personal_data],
    )
    # One step a line, in order: the page and the PDF number them.
    steps = models.TextField(
        _("steps"), max_length=4000, blank=True, validators=[validate_no_personal_data]
    )
    escalation_minutes = models.PositiveSmallIntegerField(
        _("minutes before the next link is alerted"),
        default=10,
        validators=[MinValueValidator(1), MaxValueValidator(240)],
    )
    order = models.PositiveSmallIntegerField(
        _("order"), default=0, validators=[MaxValueValidator(1000)]
    )

    class Meta:
        verbose_name = _("scenario")
        verbose_name_plural = _("scenarios")
        ordering = ["order", "pk"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse(
            "safety:scenario_edit", kwargs={"place_slug": self.plan.place.slug, "pk": self.pk}
        )

    def step_list(self) -> list[str]:
        return [line.strip() for line in self.steps.splitlines() if line.strip()]


class ContactLink(models.Model):
    """One link of a scenario's contact chain (kontaktkedja): who is alerted, in order, what
    they do, and their organisation's functional number (never a private one)."""

    scenario = models.ForeignKey(
        Scenario, verbose_name=_("scenario"), on_delete=models.CASCADE, related_name="links"
    )
    position = models.PositiveSmallIntegerField(
        _("position"), validators=[MinValueValidator(1), MaxValueValidator(50)]
    )
    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="contact_links",
    )
    task = models.CharField(
        _("does what"), max_length=200, blank=True, validators=[validate_no_personal_data]
    )
    phone = models.CharField(
        _("functional phone number"),
        max_length=20,
        blank=True,
        validators=[validate_functional_number],
    )

    class Meta:
        verbose_name = _("contact chain link")
        verbose_name_plural = _("contact chain links")
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["scenario", "position"], name="contactlink_unique_position"
            )
        ]

    def __str__(self):
        return f"{self.position}. {self.organisation}"


class PlanVersion(models.Model):
    """A published version of the plan: the scenarios and chains frozen as they were."""

    plan = models.ForeignKey(
        SituationPlan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveIntegerField(_("version"), validators=[MaxValueValidator(100_000)])
    content = models.JSONField(
        _("content"), default=dict, validators=[validate_storable_json], editable=False
    )
    note = models.CharField(
        _("what changed"), max_length=300, blank=True, validators=[validate_no_personal_data]
    )
    published_at = models.DateTimeField(_("published"), validators=[validate_event_datetime])
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("published by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("plan version")
        verbose_name_plural = _("plan versions")
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="planversion_unique_number")
        ]

    def __str__(self):
        return f"{self.plan} v{self.number}"


class PlanConfirmation(models.Model):
    """ "Läst och förstått": a person confirms a version for the organisation they represent
    at the place. Coverage counts organisations."""

    version = models.ForeignKey(
        PlanVersion,
        verbose_name=_("version"),
        on_delete=models.CASCADE,
        related_name="confirmations",
    )
    # Kept when the account is deleted: the organisation's confirmation stays.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="plan_confirmations",
    )
    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="plan_confirmations",
    )
    confirmed_at = models.DateTimeField(_("confirmed"), validators=[validate_event_datetime])

    class Meta:
        verbose_name = _("plan confirmation")
        verbose_name_plural = _("plan confirmations")
        ordering = ["-confirmed_at"]
        constraints = [
            models.UniqueConstraint(fields=["version", "user"], name="planconfirmation_unique")
        ]

    def __str__(self):
        return f"{self.user} – {self.version}"


class AlertQuerySet(PlaceScopedQuerySet):
    pass


class Alert(models.Model):
    """Larm: sent from a phone to everyone with a role at the place (or the chosen
    organisations). Its text describes the situation, never a person."""

    class Severity(models.TextChoices):
        LOW = "low", _("Low")
        MEDIUM = "medium", _("Medium")
        HIGH = "high", _("High")

    class Outcome(models.TextChoices):
        POLICE = "police", _("Police on site")
        RESOLVED = "resolved", _("Resolved by those on site")
        FALSE_ALARM = "false_alarm", _("False alarm")
        OTHER = "other", _("Other")

    place = models.ForeignKey(
        Place, verbose_name=_("place"), on_delete=models.CASCADE, related_name="alerts"
    )
    scenario = models.ForeignKey(
        Scenario,
        verbose_name=_("scenario"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="alerts",
    )
    text = models.CharField(
        _("what is happening"), max_length=300, validators=[validate_no_personal_data]
    )
    severity = models.CharField(
        _("severity"), max_length=10, choices=Severity.choices, default=Severity.HIGH
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
    organisations = models.ManyToManyField(
        "accounts.Organisation",
        verbose_name=_("only these organisations"),
        blank=True,
        related_name="alerts",
    )
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sent by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="alerts_sent",
    )
    created_at = models.DateTimeField(_("sent"), validators=[validate_event_datetime])
    # When its deliveries were written (by a task, so the sender's request returns at once);
    # the sweeper fans out alerts still without it (their task was lost).
    fanned_out_at = models.DateTimeField(
        _("fanned out"), null=True, blank=True, validators=[validate_event_datetime]
    )
    # How many links of the contact chain have been alerted; advanced by a conditional update.
    escalation_level = models.PositiveSmallIntegerField(
        _("links alerted"), default=1, validators=[MaxValueValidator(50)]
    )
    next_escalation_at = models.DateTimeField(
        _("next escalation"), null=True, blank=True, validators=[validate_event_datetime]
    )
    closed_at = models.DateTimeField(
        _("closed"), null=True, blank=True, validators=[validate_event_datetime]
    )
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("closed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices, blank=True)
    form_key = models.CharField(
        max_length=64,
        null=True,
        blank=True,
        unique=True,
        editable=False,
        verbose_name=_("form key"),
    )

    objects = AlertQuerySet.as_manager()

    class Meta:
        verbose_name = _("alert")
        verbose_name_plural = _("alerts")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["place", "created_at"], name="alert_place_time"),
            models.Index(
                fields=["next_escalation_at"],
                condition=Q(closed_at__isnull=True, next_escalation_at__isnull=False),
                name="alert_escalation_due",
            ),
        ]

    def __str__(self):
        return self.text[:60]

    def get_absolute_url(self):
        return reverse("safety:alert_detail", kwargs={"place_slug": self.place.slug, "pk": self.pk})

    @property
    def is_open(self) -> bool:
        return self.closed_at is None


class AlertDelivery(models.Model):
    """One alert to one recipient over one channel: exactly once (unique key + claim)."""

    class Channel(models.TextChoices):
        EMAIL = "email", _("E-mail")
        SMS = "sms", _("SMS")
        PUSH = "push", _("Push")

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting to be sent")
        SENDING = "sending", _("Being sent")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    alert = models.ForeignKey(
        Alert, verbose_name=_("alert"), on_delete=models.CASCADE, related_name="deliveries"
    )
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    # "user:<id>" for a person, "link:<id>" for a contact link's functional number.
    recipient = models.CharField(_("recipient"), max_length=40)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="alert_deliveries",
    )
    link = models.ForeignKey(
        ContactLink,
        verbose_name=_("contact chain link"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="deliveries",
    )
    # The contact chain position that brought it (1 for the first fan-out).
    level = models.PositiveSmallIntegerField(
        _("escalation level"), default=1, validators=[MaxValueValidator(50)]
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveSmallIntegerField(
        _("attempts"), default=0, validators=[MaxValueValidator(1000)]
    )
    # The token of the run that claimed it (one conditional UPDATE claims a batch).
    claim = models.CharField(_("claim"), max_length=32, blank=True, editable=False)
    claimed_at = models.DateTimeField(
        _("claimed"), null=True, blank=True, validators=[validate_event_datetime]
    )
    sent_at = models.DateTimeField(
        _("sent"), null=True, blank=True, validators=[validate_event_datetime]
    )
    error = models.CharField(_("error"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("alert delivery")
        verbose_name_plural = _("alert deliveries")
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["alert", "recipient", "channel"], name="alertdelivery_unique_recipient"
            )
        ]
        indexes = [models.Index(fields=["status", "claimed_at"], name="alertdelivery_status")]

    def __str__(self):
        return f"{self.alert_id} {self.recipient} {self.channel}"


class AlertAnswer(models.Model):
    class Answer(models.TextChoices):
        SEEN = "seen", _("Seen")
        ACTING = "acting", _("On my way / acting")
        CANNOT = "cannot", _("Cannot")

    alert = models.ForeignKey(
        Alert, verbose_name=_("alert"), on_delete=models.CASCADE, related_name="answers"
    )
    # Kept when the account is deleted: the figures (time to first answer) stay.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="alert_answers",
    )
    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    answer = models.CharField(_("answer"), max_length=10, choices=Answer.choices)
    # The first answer's time (for "time to first answer"); a changed answer keeps it.
    answered_at = models.DateTimeField(_("answered"), validators=[validate_event_datetime])
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("alert answer")
        verbose_name_plural = _("alert answers")
        ordering = ["answered_at"]
        constraints = [
            models.UniqueConstraint(fields=["alert", "user"], name="alertanswer_unique_user")
        ]

    def __str__(self):
        return f"{self.user} {self.answer}"
