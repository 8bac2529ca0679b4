"""The lägesbild PDF a board and a kommun can read (issue #19): tagged PDF/UA in the reader's
language, paginated with "sida n av m", the demo's monthly report in at most four pages, and
its text starting with the summary.

The PDF's bytes are checked for the tagging (the catalogue's /MarkInfo, /StructTreeRoot,
/Lang and the PDF/UA identification); the text and the pages are read from WeasyPrint's laid-out
document, the same one the bytes are written from (no PDF text extractor is a dependency)."""

import io
import re
import zlib

import pytest
from django.core.management import call_command
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation

from places.access import place_access
from safety.models import SituationReport
from safety.summary import report_summary
from safety.views.reports import report_pdf_document

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_report(django_user_model, settings):
    settings.DEBUG = True  # seed_demo refuses to run otherwise (it sets known passwords)
    call_command("seed_demo", stdout=io.StringIO())
    report = (
        SituationReport.objects.filter(
            place__slug="mollevangstorget", kind="monthly", status="ready"
        )
        .order_by("-period_start")
        .first()
    )
    manager = django_user_model.objects.get(email="manager@example.org")
    return report, manager


def _pdf_objects(pdf: bytes) -> bytes:
    """The PDF's bytes with every Flate stream inflated: the catalogue and the page objects sit
    in compressed object streams."""
    parts = [pdf]
    for match in re.finditer(rb"stream\r?\n", pdf):
        try:
            parts.append(zlib.decompressobj().decompress(pdf[match.end() :]))
        except zlib.error:
            continue
    return b"\n".join(parts)


def _text(document) -> str:
    """The text of every line box of every page, in reading order."""
    parts = []

    def walk(box):
        text = getattr(box, "text", None)
        if isinstance(text, str):
            parts.append(text)
        for child in getattr(box, "children", []) or []:
            walk(child)

    for page in document.pages:
        walk(page._page_box)
    return re.sub(r"\s+", " ", " ".join(parts))


def test_the_demo_lagesbild_is_a_tagged_pdf_in_the_readers_language_of_at_most_four_pages(
    client, demo_report
):
    report, manager = demo_report
    client.force_login(manager)
    url = reverse("safety:report_pdf", kwargs={"place_slug": report.place.slug, "pk": report.pk})
    raw = client.get(url, headers={"accept-language": "sv"}).content
    assert raw.startswith(b"%PDF-1.7")
    pdf = _pdf_objects(raw)
    # Tagged: marked content with a structure tree, the language, and PDF/UA-1 in the metadata.
    assert re.search(rb"/MarkInfo\s*<<\s*/Marked\s+true", pdf)
    assert b"/StructTreeRoot" in pdf
    assert re.search(rb"/Lang\s*\(sv\)", pdf)
    assert b"pdfuaid" in pdf
    pages = len(re.findall(rb"/Type\s*/Page\b", pdf))
    assert 1 <= pages <= 4, f"{pages} pages"

    with translation.override("sv"):
        request = RequestFactory().get(url)
        request.user = manager
        document = report_pdf_document(report, place_access(manager, report.place.slug), request)
        summary = report_summary(report.figures)
    assert len(document.pages) == pages
    text = _text(document)
    assert summary[0] in text
    assert f"sida 1 av {pages}" in text and f"sida {pages} av {pages}" in text
    assert report.place.name in text

    # In English for an English reader, from the same frozen figures.
    with translation.override("en"):
        document = report_pdf_document(report, place_access(manager, report.place.slug), request)
        summary = report_summary(report.figures)
    text = _text(document)
    assert summary[0] in text and "page 1 of" in text
