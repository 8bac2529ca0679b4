"""Situation reports (lägesbilder) of a place: the list, a report's page and its PDF.

Every view starts from `place_access` and the scoped querysets (architecture §4): an outsider gets a
404, a role that may see but not act a 403.
"""

from pathlib import Path

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.staticfiles import finders
from django.core.cache import cache
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from amp_platform.compressed import MARKER, segment, spliced_response
from amp_platform.shells import rendered_shell
from places.access import place_access
from places.charts import charts_for_figures
from places.workspace import shell_key

from ..cache import cached_report_body
from ..forms import ReportRequestForm
from ..models import SituationReport
from ..periods import parse_period
from ..services import reports as report_services
from ..summary import comparison_phrase, report_summary

REPORTS_PER_PAGE = 30
PDF_CACHE_SECONDS = 24 * 3600


# --- Reports ------------------------------------------------------------------------------


@login_required
@require_GET
def report_list(request, place_slug):
    access = place_access(request.user, place_slug)
    reports = SituationReport.objects.visible_to(request.user).filter(place=access.place)
    kind = request.GET.get("kind")
    if kind in SituationReport.Kind.values:
        reports = reports.filter(kind=kind)
    reports = reports.defer("figures").order_by("-period_start", "kind")
    page = Paginator(reports, REPORTS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "safety/report_list.html",
        {
            "place": access.place,
            "access": access,
            "active_tab": "reports",
            "page": page,
            "kind": kind if kind in SituationReport.Kind.values else "",
            "kinds": SituationReport.Kind.choices,
            "form": ReportRequestForm() if access.is_manager else None,
        },
    )


@login_required
@require_POST
def report_generate(request, place_slug):
    access = place_access(request.user, place_slug, require="manager")
    form = ReportRequestForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a period that has ended."))
        return redirect("safety:report_list", place_slug=access.place.slug)
    period = parse_period(form.cleaned_data["period"])
    report, created = report_services.report_request(
        place=access.place, period=period, regenerate=True
    )
    report.refresh_from_db()
    if report.status == SituationReport.Status.READY:
        messages.success(request, _("The report is ready."))
    elif report.status == SituationReport.Status.FAILED:
        messages.error(
            request, _("The report could not be generated: %(error)s") % {"error": report.error}
        )
    else:
        messages.info(
            request, _("The report is being generated; this page updates when it is ready.")
        )
    return redirect(report.get_absolute_url())


def _report(request, access, pk) -> SituationReport:
    return get_object_or_404(
        SituationReport.objects.visible_to(request.user).select_related("place"),
        place=access.place,
        pk=pk,
    )


@login_required
@require_POST
def report_regenerate(request, place_slug, pk):
    access = place_access(request.user, place_slug)
    report = _report(request, access, pk)
    access.require("manager")
    report_services.report_request(place=access.place, period=report.period, regenerate=True)
    report.refresh_from_db()
    if report.status == SituationReport.Status.FAILED:
        messages.error(
            request, _("The report could not be generated: %(error)s") % {"error": report.error}
        )
    else:
        messages.success(request, _("The report is being generated again."))
    return redirect(report.get_absolute_url())


def _report_context(report, access):
    context = {"report": report, "place": report.place, "access": access}
    if report.has_figures:
        figures = report.figures
        context.update(
            {
                "figures": figures,
                "charts": charts_for_figures(figures, boundary=report.place.boundary),
                "summary": report_summary(figures),
                "than": comparison_phrase(figures),
                "lang": (get_language() or "sv")[:2],
            }
        )
    return context


@login_required
@require_GET
def report_detail(request, place_slug, pk):
    access = place_access(request.user, place_slug)
    report = _report(request, access, pk)
    if request.htmx and report.status != SituationReport.Status.PENDING:
        # The pending page polls; once ready, reload the whole page (charts, title, actions).
        response = HttpResponse(status=204)
        response["HX-Refresh"] = "true"
        return response
    if request.htmx:
        return HttpResponse(status=204)
    context = {"report": report, "place": report.place, "access": access}
    context["active_tab"] = "reports"
    if not report.has_figures:
        return render(request, "safety/report_detail.html", context)
    # The frozen figures' charts and summary: rendered once per report and language.
    body = cached_report_body(
        report=report,
        build=lambda: segment(
            render_to_string("safety/partials/_report_body.html", _report_context(report, access))
        ),
    )
    context["report_body"] = mark_safe(MARKER)
    context["figures"] = report.figures
    shell = rendered_shell(
        request,
        "safety/report_detail.html",
        context,
        # The place's header, the report's title and the manager's action around the body.
        key=(*shell_key(request, access), report.pk, report.title, report.status),
    )
    return spliced_response(request, shell, body)


def _pdf_fetcher():
    """WeasyPrint fetches only our own static files, from disk: no network, no self-requests."""
    import mimetypes

    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class StaticFilesFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            prefix = "file:///static/"
            path = (
                finders.find(url[len(prefix) :].split("?")[0]) if url.startswith(prefix) else None
            )
            if not path:
                raise ValueError(f"Refusing to fetch {url}")
            content_type = mimetypes.guess_type(path)[0] or "application/octet-stream"
            return URLFetcherResponse(
                url, Path(path).read_bytes(), headers={"Content-Type": content_type}
            )

    return StaticFilesFetcher()


def report_pdf_document(report, access, request):
    """The report laid out for print by WeasyPrint (pages and boxes), in the active language."""
    from weasyprint import HTML

    html = render_to_string(
        "safety/report_pdf.html", _report_context(report, access), request=request
    )
    return HTML(string=html, base_url="file:///", url_fetcher=_pdf_fetcher()).render(
        pdf_variant="pdf/ua-1"
    )


def report_pdf_bytes(report, access, request) -> bytes:
    """The report as PDF in the active language. The figures are frozen, so the PDF is cached
    per report, generation and language; a regenerated report gets a new one.

    Tagged PDF/UA-1 with the document's language (DOS-lagen: municipal readers need an
    accessible PDF); its structure follows the HTML's headings, tables and figures."""
    language = (get_language() or "sv")[:2]
    key = f"safety:report-pdf:v2:{report.pk}:{report.generated_at.timestamp()}:{language}"
    pdf = cache.get(key)
    if pdf is None:
        pdf = report_pdf_document(report, access, request).write_pdf(pdf_variant="pdf/ua-1")
        cache.set(key, pdf, PDF_CACHE_SECONDS)
    return pdf


@login_required
@require_GET
def report_pdf(request, place_slug, pk):
    access = place_access(request.user, place_slug)
    report = _report(request, access, pk)
    if not report.has_figures:
        raise Http404
    response = HttpResponse(
        report_pdf_bytes(report, access, request), content_type="application/pdf"
    )
    filename = f"lagesbild-{report.place.slug}-{report.period.code}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
