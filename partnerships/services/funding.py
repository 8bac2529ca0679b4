"""Writes for a place's money: budgets, commitments, payments and the weekly overdue reminder.

A commitment's `amount_paid` is always the sum of its payments: only `payment_record` and
`payment_delete` change it, in the same transaction as the payment row, with the commitment
row locked so that two clerks recording at once cannot lose a payment.
"""

import datetime as dt
import logging
from collections import defaultdict
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.db.models.functions import Coalesce
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from places.models import Place, PlaceRole

from ..models import AnnualBudget, FundingCommitment, FundingReminder, Payment

logger = logging.getLogger(__name__)

Status = FundingCommitment.Status
ZERO = Decimal("0")


def sek(value) -> str:
    """'1 250 000 kr' in Swedish, '1,250,000 kr' in English; öre only when there are any."""
    value = value or ZERO
    decimals = 0 if value == value.to_integral_value() else 2
    return _("%(amount)s kr") % {
        "amount": number_format(value, decimal_pos=decimals, force_grouping=True)
    }


def budget_set(
    *, place: Place, year: int, target_sek: Decimal, municipal_share_sek: Decimal
) -> AnnualBudget:
    """Create or update the place's budget for `year` (target and the municipal share)."""
    with transaction.atomic():
        budget = AnnualBudget.objects.select_for_update().filter(
            place=place, year=year
        ).first() or AnnualBudget(place=place, year=year)
        budget.target_sek = target_sek
        budget.municipal_share_sek = municipal_share_sek
        budget.full_clean()
        budget.save()
    return budget


def in_kind_errors(*, hours, description: str) -> dict:
    """Work in kind is counted in hours and says what the work is (the one rule, for the
    funding pages, the admin and the approval of an application)."""
    errors = {}
    if not hours:
        errors["in_kind_hours"] = _("Give the number of hours for work in kind.")
    if not (description or "").strip():
        errors["in_kind_description"] = _("Describe the work in kind.")
    return errors


def _check_commitment_rules(commitment: FundingCommitment) -> None:
    errors = {}
    if commitment.kind == FundingCommitment.Kind.IN_KIND:
        errors.update(
            in_kind_errors(
                hours=commitment.in_kind_hours, description=commitment.in_kind_description
            )
        )
    else:
        # Cash carries no hours; clearing them keeps the in-kind totals honest.
        commitment.in_kind_hours = None
        commitment.in_kind_description = ""
    paid = commitment.amount_paid or ZERO
    if commitment.amount_sek is not None and paid > commitment.amount_sek:
        errors["amount_sek"] = _(
            "%(paid)s has already been paid; the commitment cannot be smaller than that."
        ) % {"paid": sek(paid)}
    if commitment.status == Status.PAID and commitment.amount_sek and paid < commitment.amount_sek:
        errors["status"] = _(
            "Only %(paid)s of %(amount)s has been paid. Record the payments; the status "
            "becomes Paid by itself when the whole amount is in."
        ) % {"paid": sek(paid), "amount": sek(commitment.amount_sek)}
    if commitment.status == Status.WITHDRAWN and paid > 0:
        errors["status"] = _(
            "Payments have been recorded on this commitment; lower the amount instead of "
            "withdrawing it."
        )
    if errors:
        raise ValidationError(errors)


def _settle_status(commitment: FundingCommitment) -> None:
    """Fully paid means Paid; a Paid commitment that is no longer covered goes back to
    Invoiced."""
    if commitment.status == Status.WITHDRAWN:
        return
    if commitment.amount_sek and commitment.amount_paid >= commitment.amount_sek:
        commitment.status = Status.PAID
    elif commitment.status == Status.PAID:
        commitment.status = Status.INVOICED


def commitment_create(*, place: Place, **fields) -> FundingCommitment:
    """Record what an organisation commits to the place for a year (cash or work in kind)."""
    commitment = FundingCommitment(place=place, **fields)
    commitment.amount_paid = ZERO
    with transaction.atomic():
        _check_commitment_rules(commitment)
        commitment.full_clean()
        commitment.save()
    return commitment


def commitment_update(*, commitment: FundingCommitment, **fields) -> FundingCommitment:
    """Change a commitment's terms or status. The amount paid is never set here."""
    fields.pop("amount_paid", None)
    with transaction.atomic():
        locked = FundingCommitment.objects.select_for_update().get(pk=commitment.pk)
        for name, value in fields.items():
            setattr(locked, name, value)
        _check_commitment_rules(locked)
        _settle_status(locked)
        locked.full_clean()
        locked.save()
    return locked


def commitment_refresh_paid(*, commitment: FundingCommitment) -> None:
    """Make what is paid the sum of the commitment's payments, and a fully paid commitment
    Paid. Every path that changes payments (the funding pages, the admin) calls this inside its
    transaction, with the commitment row locked."""
    commitment.amount_paid = commitment.payments.aggregate(total=Coalesce(Sum("amount_sek"), ZERO))[
        "total"
    ]
    _settle_status(commitment)
    commitment.save(update_fields=["amount_paid", "status"])


def payment_record(
    *, commitment: FundingCommitment, amount_sek: Decimal, paid_on: dt.date, actor
) -> Payment:
    """Record a (partial) payment; for work in kind, the value of the work delivered.

    Refused when it is not positive, larger than what is outstanding, dated in the future, or
    the commitment is withdrawn.
    """
    with transaction.atomic():
        commitment = FundingCommitment.objects.select_for_update().get(pk=commitment.pk)
        if commitment.status == Status.WITHDRAWN:
            raise ValidationError(_("The commitment is withdrawn; no payments can be recorded."))
        if amount_sek is None or amount_sek <= 0:
            raise ValidationError({"amount_sek": _("Enter an amount larger than 0 kr.")})
        if amount_sek > commitment.outstanding_sek:
            raise ValidationError(
                {
                    "amount_sek": _(
                        "The payment (%(amount)s) is larger than what is outstanding on the "
                        "commitment (%(outstanding)s)."
                    )
                    % {"amount": sek(amount_sek), "outstanding": sek(commitment.outstanding_sek)}
                }
            )
        if paid_on > timezone.localdate():
            raise ValidationError({"paid_on": _("The payment date cannot be in the future.")})
        payment = Payment(
            commitment=commitment, amount_sek=amount_sek, paid_on=paid_on, recorded_by=actor
        )
        payment.full_clean()
        payment.save()
        commitment_refresh_paid(commitment=commitment)
    return payment


def payment_delete(*, payment: Payment) -> FundingCommitment:
    """Remove a payment recorded by mistake; the commitment's paid amount and status follow."""
    with transaction.atomic():
        commitment = FundingCommitment.objects.select_for_update().get(pk=payment.commitment_id)
        Payment.objects.filter(pk=payment.pk).delete()
        commitment_refresh_paid(commitment=commitment)
    return commitment


# --- Weekly reminder ---------------------------------------------------------------------------


def overdue_commitments(today: dt.date):
    """Commitments past their due date with money outstanding, at active places (SQL filter)."""
    return (
        FundingCommitment.objects.filter(FundingCommitment.overdue_q(today), place__is_active=True)
        .select_related("place", "organisation")
        .order_by("place__name", "due_date", "organisation__name")
    )


def _reminder_mail(user, places: list[tuple[Place, list[FundingCommitment]]]):
    from places.outbox import Mail

    with translation.override(user.preferred_language or "sv"):
        context = {
            "user": user,
            "places": [
                {
                    "place": place,
                    "url": settings.SITE_URL
                    + reverse("members:funding", kwargs={"place_slug": place.slug}),
                    "commitments": [
                        {
                            "organisation": c.organisation.name,
                            "year": c.year,
                            "outstanding": sek(c.outstanding_sek),
                            "due_date": c.due_date,
                        }
                        for c in commitments
                    ],
                }
                for place, commitments in places
            ],
        }
        subject = render_to_string("partnerships/funding/email/reminder_subject.txt", context)
        body = render_to_string("partnerships/funding/email/reminder_body.txt", context)
    return Mail(to=user.email, subject=subject, body=body, user=user)


def funding_reminders_send(*, today: dt.date) -> int:
    """E-mail each manager the overdue commitments of their places, once per ISO week.

    The FundingReminder row (unique per user and week) and the mail's outbox row are written in
    one transaction, so reruns and parallel workers never remind twice and a reminder claimed
    is always on its way; the mails are sent at the end, and any the mail server refuses now
    are sent later by the outbox sweeper (places/outbox.py). Returns the number of reminders.
    """
    from places.outbox import outbox_add, outbox_send

    week_start = today - dt.timedelta(days=today.weekday())
    by_place: dict[int, list[FundingCommitment]] = defaultdict(list)
    places: dict[int, Place] = {}
    for commitment in overdue_commitments(today):
        by_place[commitment.place_id].append(commitment)
        places[commitment.place_id] = commitment.place
    if not by_place:
        return 0
    per_manager: dict[int, list[int]] = defaultdict(list)
    managers = {}
    roles = (
        PlaceRole.objects.managers()
        .filter(place_id__in=by_place, user__is_active=True)
        .select_related("user")
        .order_by("user_id", "place__name")
    )
    for role in roles:
        per_manager[role.user_id].append(role.place_id)
        managers[role.user_id] = role.user
    reminded = 0
    for user_id, place_ids in per_manager.items():
        user = managers[user_id]
        mail = _reminder_mail(user, [(places[pk], by_place[pk]) for pk in place_ids])
        try:
            with transaction.atomic():
                FundingReminder.objects.create(user=user, week_start=week_start)
                outbox_add(
                    kind="funding_reminder",
                    object_key=f"{user_id}:{week_start.isoformat()}",
                    mails=[mail],
                    send=False,
                )
        except IntegrityError:
            continue  # already reminded this week
        reminded += 1
    if reminded:
        outbox_send(kind="funding_reminder")
    return reminded


# --- Social outcomes ---------------------------------------------------------------------------


def social_outcome_save(*, form, actor):
    """Save a valid `SocialOutcomeForm`; one row per organisation, place and year."""
    outcome = form.save(commit=False)
    outcome.updated_by = actor
    try:
        with transaction.atomic():
            outcome.save()
    except IntegrityError:
        raise ValidationError(
            {
                "organisation": _(
                    "%(organisation)s already has social outcomes for %(year)s: edit them."
                )
                % {"organisation": outcome.organisation, "year": outcome.year}
            }
        ) from None
    return outcome
