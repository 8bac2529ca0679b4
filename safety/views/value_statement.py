"""The yearly value statement of a member organisation (issue #18): for renewal talks with its
board – what the partnership did at the place, what the organisation put in, what changed.

A page and a PDF (WeasyPrint, like the lägesbild). The place's figures for the year come from
the figures core through its cache (`cached_place_figures`), so the statement's incidents,
safety index and effects are the dashboard's and the lägesbild's numbers; what is the
organisation's own – its commitments, its social outcomes, the activities it took part in and
the action items it resolved – are a few aggregates in SQL.

Who sees which statement follows the funding rule (architecture §4): managers (and staff) every
member organisation's; others only that of the organisation their role at the place
represents. Another organisation, or one never a member of the place, is a 404.
"""

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q, Sum
from django.db.models.functions import Coalesce
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.views.decorators.http import require_GET

from accounts.models import Organisation
from partnerships.models import FundingCommitment
from partnerships.queries.funding import social_outcomes
from places.access import place_access
from places.models import ActionItem, Activity

from ..cache import cached_place_figures
from ..forms import StatementForm
from ..periods import local_midnight


def _organisations(access):
    members = Organisation.objects.filter(memberships__place=access.place).distinct()
    if access.is_manager:
        return members.order_by("name")
    return members.filter(pk=access.organisation_id or 0).order_by("name")


def _resolve(request, access):
    """(form, organisation, year) for the request; 404 for an organisation not to be seen."""
    organisations = _organisations(access)
    today = timezone.localdate()
    form = StatementForm(request.GET or None, organisations=organisations)
    organisation, year = None, today.year
    if request.GET:
        if not form.is_valid():
            if "organisation" in form.errors:
                raise Http404
            return form, None, year
        organisation = form.cleaned_data["organisation"]
        year = form.cleaned_data["year"] or year
    if organisation is None:
        organisation = organisations.first()
        if organisation is None:
            raise Http404
        form = StatementForm(
            initial={"organisation": organisation.pk, "year": year}, organisations=organisations
        )
    return form, organisation, year


def statement(*, place, organisation, year: int) -> dict:
    """Everything the statement shows, as numbers (no query per row)."""
    today = timezone.localdate()
    start = dt.date(year, 1, 1)
    end = min(dt.date(year + 1, 1, 1), today + dt.timedelta(days=1))
    figures = cached_place_figures(place=place, start=start, end=end)
    in_year = Q(started_at__gte=local_midnight(start), started_at__lt=local_midnight(end))
    took_part = (
        Activity.objects.filter(place=place, organisations=organisation)
        .filter(in_year)
        .aggregate(count=Count("pk"), minutes=Coalesce(Sum("duration_minutes"), 0))
    )
    resolved = ActionItem.objects.filter(
        place=place,
        responsible_organisation=organisation,
        status=ActionItem.Status.RESOLVED,
        resolved_at__gte=local_midnight(start),
        resolved_at__lt=local_midnight(end),
    ).count()
    money = (
        FundingCommitment.objects.filter(place=place, organisation=organisation, year=year)
        .exclude(status=FundingCommitment.Status.WITHDRAWN)
        .aggregate(
            committed=Sum("amount_sek"),
            paid=Sum("amount_paid"),
            cash=Sum("amount_sek", filter=Q(kind=FundingCommitment.Kind.CASH)),
            in_kind=Sum("amount_sek", filter=Q(kind=FundingCommitment.Kind.IN_KIND)),
            hours=Sum("in_kind_hours"),
        )
    )
    return {
        "year": year,
        "start": start,
        "last_day": end - dt.timedelta(days=1),
        "complete": end == dt.date(year + 1, 1, 1),
        "figures": figures,
        "took_part": {
            "count": took_part["count"],
            "hours": round(took_part["minutes"] / 60, 1),
        },
        "resolved_by_organisation": resolved,
        "money": money,
        "outcomes": social_outcomes(place=place, year=year, organisation=organisation),
    }


def _context(request, place_slug):
    access = place_access(request.user, place_slug)
    form, organisation, year = _resolve(request, access)
    context = {
        "place": access.place,
        "access": access,
        "active_tab": "funding",
        "form": form,
        "organisation": organisation,
        "statement": statement(place=access.place, organisation=organisation, year=year)
        if organisation
        else None,
    }
    return context


@login_required
@require_GET
def value_statement(request, place_slug):
    context = _context(request, place_slug)
    status = 400 if context["form"].errors else 200
    return render(request, "safety/value_statement.html", context, status=status)


@login_required
@require_GET
def value_statement_pdf(request, place_slug):
    from weasyprint import HTML

    from .reports import _pdf_fetcher

    context = _context(request, place_slug)
    if context["statement"] is None:
        raise Http404
    html = render_to_string("safety/value_statement_pdf.html", context, request=request)
    # Tagged PDF/UA-1 like the lägesbild: a kommun reads it under DOS-lagen.
    pdf = HTML(string=html, base_url="file:///", url_fetcher=_pdf_fetcher()).write_pdf(
        pdf_variant="pdf/ua-1"
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    filename = (
        f"vardebeskrivning-{context['place'].slug}-{context['organisation'].pk}-"
        f"{context['statement']['year']}.pdf"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
