"""The QR-code poster (A4) that invites passers-by to answer: PDF via WeasyPrint, SVG for print
shops. Both show the place's name, the question "Hur trygg känner du dig här?" (and its English
line when the survey can be answered in English), the QR code and the link spelled out."""

import re

import segno
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from .models import Survey

HEADLINE = _("How safe do you feel here?")
INSTRUCTION = _("Scan the code with your phone's camera. Anonymous – takes two minutes.")


def _qr(url):
    return segno.make(url, error="m")


def qr_data_uri(url: str) -> str:
    """The QR code as an SVG data URI, for an <img> on the survey page."""
    return _qr(url).svg_data_uri(scale=6, border=2)


def _qr_path(url) -> tuple[str, int]:
    qr = _qr(url)
    svg = qr.svg_inline(scale=1, border=2)
    path = re.search(r'd="([^"]+)"', svg).group(1)
    return path, qr.symbol_size(scale=1, border=2)[0]


def poster_context(*, survey, url) -> dict:
    languages = [survey.language]
    has_translation = bool(survey.translated_title)
    if has_translation:
        languages.append(survey.other_language)
    lines = []
    for language in languages:
        with translation.override(language):
            lines.append(
                {"headline": str(HEADLINE), "instruction": str(INSTRUCTION), "lang": language}
            )
    path, size = _qr_path(url)
    name = survey.place.name
    return {
        "place_name": name,
        # Long names get a smaller type so they stay on one line of the SVG.
        "name_size": 16 if len(name) <= 22 else max(9, int(16 * 22 / len(name))),
        "lines": lines,
        "url": url,
        "qr_path": path,
        "qr_size": size,
        "survey": survey,
    }


def poster_svg(*, survey: Survey, url: str) -> bytes:
    return render_to_string("surveys/poster.svg", poster_context(survey=survey, url=url)).encode()


def poster_pdf(*, survey: Survey, url: str) -> bytes:
    from weasyprint import HTML

    html = render_to_string("surveys/poster.html", poster_context(survey=survey, url=url))
    return HTML(string=html).write_pdf()
