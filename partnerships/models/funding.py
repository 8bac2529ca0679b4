"""The funding of a partnership: annual budgets, commitments, payments and the reminders about
them; the money field settings (SEK, NON_NEGATIVE) and the year rule the other models share."""

from datetime import date
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Exists, F, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.bounds import validate_event_date, validate_event_datetime, validate_planning_date
from accounts.models import Organisation
from places.models import Place, PlaceRole
from places.privacy import validate_no_personal_data

SEK = {"max_digits": 14, "decimal_places": 2}


NON_NEGATIVE = [MinValueValidator(Decimal("0"))]


def validate_year(value):
    this_year = timezone.localdate().year
    if not this_year - 10 <= value <= this_year + 5:
        raise ValidationError(
            _("Choose a year between %(low)s and %(high)s."),
            params={"low": this_year - 10, "high": this_year + 5},
        )


class AnnualBudget(models.Model):
    place = models.ForeignKey(
        Place, verbose_name=_("place"), on_delete=models.CASCADE, related_name="budgets"
    )
    year = models.PositiveSmallIntegerField(_("year"), validators=[validate_year])
    target_sek = models.DecimalField(_("target (SEK)"), validators=NON_NEGATIVE, **SEK)
    municipal_share_sek = models.DecimalField(
        _("municipal share (SEK)"),
        validators=NON_NEGATIVE,
        default=Decimal("0"),
        help_text=_("AMP's rule of thumb: half from the municipality, half from private actors."),
        **SEK,
    )

    class Meta:
        verbose_name = _("annual budget")
        verbose_name_plural = _("annual budgets")
        ordering = ["place", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["place", "year"], name="budget_unique_place_year"),
            models.CheckConstraint(
                condition=Q(target_sek__gte=0), name="budget_target_non_negative"
            ),
            models.CheckConstraint(
                condition=Q(municipal_share_sek__gte=0)
                & Q(municipal_share_sek__lte=F("target_sek")),
                name="budget_municipal_share_within_target",
            ),
        ]

    def __str__(self):
        return f"{self.place} {self.year}"

    def clean(self):
        super().clean()
        if (
            self.target_sek is not None
            and self.municipal_share_sek is not None
            and self.municipal_share_sek > self.target_sek
        ):
            raise ValidationError(
                {"municipal_share_sek": _("The municipal share cannot exceed the target.")}
            )


class FundingCommitmentQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Managers (and staff) see all of their places' commitments; others only those of
        the organisation their role at the commitment's place represents (architecture §4), never
        their account's organisation. Totals are computed separately by the funding queries."""
        if not user.is_authenticated:
            return self.none()
        if user.is_staff:
            return self
        managed = Place.objects.with_role_at_least(user, "manager")
        represents_it_here = PlaceRole.objects.filter(
            user=user, place=OuterRef("place"), organisation=OuterRef("organisation")
        )
        return self.filter(Q(place__in=managed) | Exists(represents_it_here))


class FundingCommitment(models.Model):
    class Kind(models.TextChoices):
        CASH = "cash", _("Cash")
        IN_KIND = "in_kind", _("In kind")

    class Status(models.TextChoices):
        PLEDGED = "pledged", _("Pledged")
        CONFIRMED = "confirmed", _("Confirmed")
        INVOICED = "invoiced", _("Invoiced")
        PAID = "paid", _("Paid")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="commitments",
    )
    place = models.ForeignKey(
        Place, verbose_name=_("place"), on_delete=models.CASCADE, related_name="commitments"
    )
    year = models.PositiveSmallIntegerField(_("year"), validators=[validate_year])
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.CASH)
    amount_sek = models.DecimalField(
        _("amount (SEK)"),
        validators=NON_NEGATIVE,
        help_text=_("For work in kind: its valuation in SEK."),
        **SEK,
    )
    in_kind_hours = models.DecimalField(
        _("hours in kind"),
        max_digits=8,
        decimal_places=1,
        null=True,
        blank=True,
        validators=NON_NEGATIVE,
    )
    in_kind_description = models.CharField(
        _("work in kind"), max_length=300, blank=True, validators=[validate_no_personal_data]
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PLEDGED
    )
    amount_paid = models.DecimalField(
        _("paid (SEK)"), validators=NON_NEGATIVE, default=Decimal("0"), **SEK
    )
    due_date = models.DateField(
        _("due date"), null=True, blank=True, validators=[validate_planning_date]
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = FundingCommitmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("funding commitment")
        verbose_name_plural = _("funding commitments")
        ordering = ["place", "-year", "organisation__name"]
        indexes = [models.Index(fields=["place", "year"], name="commitment_place_year")]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount_sek__gte=0), name="commitment_amount_non_negative"
            ),
            models.CheckConstraint(
                condition=Q(amount_paid__gte=0) & Q(amount_paid__lte=F("amount_sek")),
                name="commitment_paid_within_amount",
            ),
        ]

    def __str__(self):
        return f"{self.organisation} → {self.place} {self.year}: {self.amount_sek} kr"

    def clean(self):
        super().clean()
        if (
            self.amount_paid is not None
            and self.amount_sek is not None
            and self.amount_paid > self.amount_sek
        ):
            raise ValidationError(
                {"amount_paid": _("The amount paid cannot exceed the committed amount.")}
            )

    @property
    def outstanding_sek(self) -> Decimal:
        return (self.amount_sek or Decimal(0)) - (self.amount_paid or Decimal(0))

    @classmethod
    def overdue_q(cls, on: date, *, paid="amount_paid") -> Q:
        """The one definition of overdue on the date `on`: due before it, not withdrawn, and
        less paid than committed. `paid` names the amount paid to compare (a field or an
        annotation, e.g. what was paid by `on`). Paid status needs no test of its own: a
        commitment is Paid exactly when its whole amount is paid (services.funding)."""
        return Q(due_date__lt=on, amount_sek__gt=F(paid)) & ~Q(status=cls.Status.WITHDRAWN)

    def is_overdue_on(self, on: date) -> bool:
        """`overdue_q` for one loaded commitment (the same rule, without a query)."""
        return (
            self.due_date is not None
            and self.due_date < on
            and self.status != self.Status.WITHDRAWN
            and self.outstanding_sek > 0
        )

    @property
    def is_overdue(self) -> bool:
        return self.is_overdue_on(timezone.localdate())


class Payment(models.Model):
    """A (partial) payment against a commitment; the commitment's amount_paid is their sum."""

    commitment = models.ForeignKey(
        FundingCommitment,
        verbose_name=_("commitment"),
        on_delete=models.CASCADE,
        related_name="payments",
    )
    amount_sek = models.DecimalField(
        _("amount (SEK)"), validators=[MinValueValidator(Decimal("0.01"))], **SEK
    )
    paid_on = models.DateField(
        _("paid on"), default=timezone.localdate, validators=[validate_event_date]
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        ordering = ["-paid_on"]
        constraints = [
            models.CheckConstraint(condition=Q(amount_sek__gt=0), name="payment_amount_positive"),
        ]

    def __str__(self):
        return f"{self.commitment}: {self.amount_sek} kr {self.paid_on}"


class FundingReminder(models.Model):
    """One row per manager and ISO week: the reminder mail goes out at most once."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, verbose_name=_("manager")
    )
    week_start = models.DateField(verbose_name=_("week"), validators=[validate_planning_date])
    sent_at = models.DateTimeField(
        default=timezone.now, verbose_name=_("sent at"), validators=[validate_event_datetime]
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "week_start"], name="reminder_once_per_week"),
        ]
        verbose_name = _("funding reminder")
        verbose_name_plural = _("funding reminders")

    def __str__(self):
        return f"{self.user} {self.week_start}"
