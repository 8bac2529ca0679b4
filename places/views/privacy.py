"""The privacy pages (issue #17): "Så hanterar vi uppgifter" for everyone, and the register of
processing (GDPR art. 30) for the data protection officer, as a page and as CSV."""

from django.conf import settings
from django.shortcuts import render
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from accounts.language import reads_english

from ..exports import csv_response
from ..gdpr import NEVER_STORED, register_of_processing


@require_GET
def privacy(request):
    """How the platform handles data, in plain language (Swedish or English), for anyone."""
    english = reads_english()
    return render(
        request,
        "places/privacy.html",
        {
            "body": "places/privacy/_en.html" if english else "places/privacy/_sv.html",
            "never_stored": NEVER_STORED,
            "retention_days": settings.FREE_TEXT_RETENTION_DAYS,
        },
    )


@require_GET
def privacy_register(request):
    """The register of processing, generated from the models. Public: it holds no personal
    data, and telling how data is handled is part of the duty to inform (art. 13)."""
    return render(
        request,
        "places/privacy_register.html",
        {"entries": register_of_processing(), "retention_days": settings.FREE_TEXT_RETENTION_DAYS},
    )


@require_GET
def privacy_register_csv(request):
    header = [
        _("Record"),
        _("Purpose"),
        _("Whose data"),
        _("Legal basis"),
        _("Recipients"),
        _("Field"),
        _("Kind of data"),
        _("Retention"),
    ]

    def rows():
        for entry in register_of_processing():
            common = [
                capfirst(entry["name"]),
                entry["purpose"],
                entry["subjects"],
                entry["legal_basis"],
                entry["recipients"],
            ]
            for field in entry["fields"] or [{"label": "", "category": "", "retention": ""}]:
                retention = field["retention"] or entry["retention"]
                yield [*common, capfirst(field["label"]), field["category"], retention]

    return csv_response("register-of-processing.csv", header, rows())
