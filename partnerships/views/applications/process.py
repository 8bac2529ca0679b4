"""The public page about collaboration support: the phases (their text is the template's,
partnerships/process.html) and the four criteria."""

from django.shortcuts import render
from django.views.decorators.http import require_GET

from ...models import CRITERIA


@require_GET
def process(request):
    """The public page: the phases and the four criteria, so everyone knows the premises."""
    return render(
        request,
        "partnerships/process.html",
        {"criteria": [(label, help_text) for _c, label, help_text in CRITERIA]},
    )
