"""Funding of a place: the yearly summary, commitments, payments and the CSV export.

Every member sees the totals; the commitments listed come from
`FundingCommitment.objects.visible_to(user)`, so a member sees only its own organisation's
(architecture §4). Only managers change anything.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from places.access import place_access
from places.exports import csv_response
from places.forms import add_service_errors

from ..forms.funding import BudgetForm, CommitmentForm, PaymentForm, SocialOutcomeForm, YearForm
from ..models import AnnualBudget, FundingCommitment, Payment, SocialOutcome
from ..queries.funding import (
    SOCIAL_OUTCOME_FIELDS,
    funding_summary,
    funding_years,
    place_commitments,
    social_outcomes,
)
from ..services import funding as services


def _year(request) -> tuple[int, str | None]:
    """The year asked for in ?year=, or this year with a message when it is out of range."""
    this_year = timezone.localdate().year
    if "year" not in request.GET:
        return this_year, None
    form = YearForm(request.GET)
    if form.is_valid():
        return form.cleaned_data["year"], None
    return this_year, " ".join(form.errors["year"])


def _context(access, **extra):
    return {"place": access.place, "access": access, "active_tab": "funding", **extra}


def _funding_url(place, year):
    return reverse("members:funding", kwargs={"place_slug": place.slug}) + f"?year={year}"


@login_required
@require_GET
def funding(request, place_slug):
    """The year's summary for every member, and the commitments the user may see."""
    access = place_access(request.user, place_slug, require="reader")
    year, year_error = _year(request)
    summary = funding_summary(place=access.place, year=year)
    commitments = list(place_commitments(user=request.user, place=access.place, year=year))
    return render(
        request,
        "partnerships/funding/funding.html",
        _context(
            access,
            year=year,
            year_error=year_error,
            years=funding_years(place=access.place),
            summary=summary,
            private_target=(
                summary["target_sek"] - summary["municipal_target_sek"]
                if summary["target_sek"] is not None
                else None
            ),
            commitments=commitments,
            today=timezone.localdate(),
            outcomes=social_outcomes(place=access.place, year=year),
        ),
    )


def _amount(value) -> str:
    """Machine-readable SEK with two decimals, whatever the database returned."""
    return "" if value is None else f"{value:.2f}"


def _csv_header():
    return [
        _("Organisation"),
        _("Organisationsnummer"),
        _("Kind of organisation"),
        _("Year"),
        _("Kind"),
        _("Amount (SEK)"),
        _("Paid (SEK)"),
        _("Outstanding (SEK)"),
        _("Status"),
        pgettext("funding", "Due date"),
        pgettext("funding", "Overdue"),
        _("Hours in kind"),
        _("Work in kind"),
    ]


def _csv_rows(commitments, summary):
    for c in commitments.iterator(chunk_size=500):
        yield (
            [
                c.organisation.name,
                c.organisation.org_number,
                c.organisation.get_kind_display(),
                c.year,
                c.get_kind_display(),
                _amount(c.amount_sek),
                _amount(c.amount_paid),
                _amount(c.outstanding_sek),
                c.get_status_display(),
                c.due_date.isoformat() if c.due_date else "",
                _("yes") if c.is_overdue else "",
                c.in_kind_hours if c.in_kind_hours is not None else "",
                c.in_kind_description,
            ]
        )
    yield []
    for label, key in [
        (_("Budget target (SEK)"), "target_sek"),
        (_("Committed (SEK)"), "committed_sek"),
        (_("Paid (SEK)"), "paid_sek"),
        (_("Municipal (SEK)"), "municipal_committed_sek"),
        (_("Private (SEK)"), "private_committed_sek"),
        (_("Value in kind (SEK)"), "in_kind_value_sek"),
    ]:
        yield [label, _amount(summary[key])]


@login_required
@require_GET
def funding_export(request, place_slug):
    """CSV of the commitments the user may see and the year's totals, streamed row by row."""
    access = place_access(request.user, place_slug, require="reader")
    year, year_error = _year(request)
    if year_error:
        messages.error(request, year_error)
        return redirect("members:funding", place_slug=access.place.slug)
    commitments = place_commitments(user=request.user, place=access.place, year=year)
    summary = funding_summary(place=access.place, year=year)
    return csv_response(
        f"funding-{access.place.slug}-{year}.csv", _csv_header(), _csv_rows(commitments, summary)
    )


@login_required
@require_http_methods(["GET", "POST"])
def budget_edit(request, place_slug):
    """Set the year's budget: target and the municipal share."""
    access = place_access(request.user, place_slug, require="manager")
    year, _error = _year(request)
    budget = AnnualBudget.objects.filter(place=access.place, year=year).first()
    initial = {"year": year}
    if budget is None:
        budget = AnnualBudget(place=access.place)
    form = BudgetForm(request.POST or None, instance=budget, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            saved = services.budget_set(
                place=access.place,
                year=data["year"],
                target_sek=data["target_sek"],
                municipal_share_sek=data["municipal_share_sek"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, _("The budget for %(year)s was saved.") % {"year": saved.year}
            )
            return redirect(_funding_url(access.place, saved.year))
    return render(
        request, "partnerships/funding/budget_form.html", _context(access, form=form, year=year)
    )


_COMMITMENT_FIELDS = CommitmentForm.Meta.fields


@login_required
@require_http_methods(["GET", "POST"])
def commitment_create(request, place_slug):
    access = place_access(request.user, place_slug, require="manager")
    form = CommitmentForm(request.POST or None, place=access.place, actor=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            commitment = services.commitment_create(
                place=access.place, **{name: form.cleaned_data[name] for name in _COMMITMENT_FIELDS}
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("The commitment of %(organisation)s was saved.")
                % {"organisation": commitment.organisation},
            )
            return redirect(_funding_url(access.place, commitment.year))
    return render(
        request,
        "partnerships/funding/commitment_form.html",
        _context(access, form=form, commitment=None),
    )


def _visible_commitment(request, access, pk):
    """404 unless the user may see this commitment of this place (architecture §4)."""
    return get_object_or_404(
        FundingCommitment.objects.visible_to(request.user).select_related("organisation"),
        place=access.place,
        pk=pk,
    )


@login_required
@require_http_methods(["GET", "POST"])
def commitment_edit(request, place_slug, pk):
    access = place_access(request.user, place_slug, require="reader")
    commitment = _visible_commitment(request, access, pk)
    access.require("manager")
    form = CommitmentForm(
        request.POST or None, instance=commitment, place=access.place, actor=request.user
    )
    if request.method == "POST" and form.is_valid():
        original = FundingCommitment.objects.get(pk=commitment.pk)
        try:
            commitment = services.commitment_update(
                commitment=original,
                **{name: form.cleaned_data[name] for name in _COMMITMENT_FIELDS},
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The commitment was saved."))
            return redirect("members:commitment_detail", place_slug=access.place.slug, pk=pk)
    return render(
        request,
        "partnerships/funding/commitment_form.html",
        _context(access, form=form, commitment=commitment),
    )


def _commitment_page(request, access, commitment, form, notice=None):
    payments = commitment.payments.select_related("recorded_by").order_by("-paid_on", "-pk")
    context = _context(
        access,
        commitment=commitment,
        payments=payments,
        form=form,
        notice=notice,
        today=timezone.localdate(),
    )
    template = (
        "partnerships/funding/partials/_commitment_panel.html"
        if request.htmx
        else "partnerships/funding/commitment_detail.html"
    )
    return render(request, template, context)


@login_required
@require_GET
def commitment_detail(request, place_slug, pk):
    """One commitment with its payments; managers record payments here."""
    access = place_access(request.user, place_slug, require="reader")
    commitment = _visible_commitment(request, access, pk)
    form = PaymentForm() if access.is_manager else None
    return _commitment_page(request, access, commitment, form)


@login_required
@require_POST
def payment_create(request, place_slug, pk):
    """Record a (partial) payment. With htmx the commitment panel is swapped in place."""
    access = place_access(request.user, place_slug, require="reader")
    commitment = _visible_commitment(request, access, pk)
    access.require("manager")
    form = PaymentForm(request.POST)
    if form.is_valid():
        try:
            payment = services.payment_record(
                commitment=commitment,
                amount_sek=form.cleaned_data["amount_sek"],
                paid_on=form.cleaned_data["paid_on"],
                actor=request.user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            notice = _("A payment of %(amount)s was recorded.") % {
                "amount": services.sek(payment.amount_sek)
            }
            if request.htmx:
                # The panel shows the notice itself; a queued message would pop up later.
                commitment.refresh_from_db()
                return _commitment_page(request, access, commitment, PaymentForm(), notice)
            messages.success(request, notice)
            return redirect("members:commitment_detail", place_slug=access.place.slug, pk=pk)
    # Errors answer 200 so that htmx swaps the form with its messages in.
    return _commitment_page(request, access, commitment, form)


@login_required
@require_POST
def payment_delete(request, place_slug, pk, payment_pk):
    """Remove a payment recorded by mistake."""
    access = place_access(request.user, place_slug, require="reader")
    commitment = _visible_commitment(request, access, pk)
    access.require("manager")
    payment = get_object_or_404(Payment, commitment=commitment, pk=payment_pk)
    services.payment_delete(payment=payment)
    messages.success(
        request,
        _("The payment of %(amount)s from %(date)s was removed.")
        % {
            "amount": services.sek(payment.amount_sek),
            "date": date_format(payment.paid_on, "DATE_FORMAT"),
        },
    )
    return redirect("members:commitment_detail", place_slug=access.place.slug, pk=pk)


# --- Social outcomes (issue #18) ---------------------------------------------------------------


def _social_outcome_page(request, access, form, outcome=None):
    return render(
        request,
        "partnerships/funding/social_outcome_form.html",
        _context(access, form=form, outcome=outcome),
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def social_outcome_create(request, place_slug):
    access = place_access(request.user, place_slug, require="manager")
    form = SocialOutcomeForm(request.POST or None, place=access.place)
    if request.method == "POST" and form.is_valid():
        try:
            outcome = services.social_outcome_save(form=form, actor=request.user)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The social outcomes are saved."))
            return redirect(_funding_url(access.place, outcome.year))
    return _social_outcome_page(request, access, form)


@login_required
@require_http_methods(["GET", "POST"])
def social_outcome_edit(request, place_slug, pk):
    access = place_access(request.user, place_slug, require="reader")
    outcome = get_object_or_404(
        SocialOutcome.objects.visible_to(request.user), place=access.place, pk=pk
    )
    access.require("manager")
    form = SocialOutcomeForm(request.POST or None, place=access.place, instance=outcome)
    if request.method == "POST" and form.is_valid():
        try:
            outcome = services.social_outcome_save(form=form, actor=request.user)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The social outcomes are saved."))
            return redirect(_funding_url(access.place, outcome.year))
    return _social_outcome_page(request, access, form, outcome)


def _count(value) -> str:
    return "" if value is None else str(value)


def social_outcome_csv_header():
    return [
        _("Organisation"),
        _("Organisationsnummer"),
        _("Year"),
        _("Local jobs, target"),
        _("Local jobs, result"),
        _("Internships, target"),
        _("Internships, result"),
        _("Summer jobs, target"),
        _("Summer jobs, result"),
        _("Local purchases, target (SEK)"),
        _("Local purchases, result (SEK)"),
    ]


def _social_outcome_rows(rows, totals):
    for outcome in rows:
        yield [
            outcome.organisation.name,
            outcome.organisation.org_number,
            outcome.year,
            *[_count(getattr(outcome, name)) for name in SOCIAL_OUTCOME_FIELDS[:6]],
            _amount(outcome.local_purchases_target_sek),
            _amount(outcome.local_purchases_sek),
        ]
    yield [
        _("Total"),
        "",
        "",
        *[_count(totals[name]) for name in SOCIAL_OUTCOME_FIELDS[:6]],
        _amount(totals["local_purchases_target_sek"]),
        _amount(totals["local_purchases_sek"]),
    ]


@login_required
@require_GET
def social_outcome_export(request, place_slug):
    """CSV of the year's social outcomes (`;`, BOM, formula guard – places.exports)."""
    access = place_access(request.user, place_slug, require="reader")
    year, year_error = _year(request)
    if year_error:
        messages.error(request, year_error)
        return redirect("members:funding", place_slug=access.place.slug)
    outcomes = social_outcomes(place=access.place, year=year)
    return csv_response(
        f"social-outcomes-{access.place.slug}-{year}.csv",
        social_outcome_csv_header(),
        _social_outcome_rows(outcomes["rows"], outcomes["totals"]),
    )
