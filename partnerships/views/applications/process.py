"""The public page about collaboration support: the phases and the four criteria."""

from django.shortcuts import render
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from ...models import (
    CRITERIA,
)

PHASES = [
    (
        gettext_lazy("First contact"),
        gettext_lazy(
            "Property owners, associations or businesses that want to develop an area together "
            "with the city contact the city's contact person for a first meeting. You hear how "
            "the process works and which criteria apply – and the city can also contact you."
        ),
    ),
    (
        gettext_lazy("Application"),
        gettext_lazy(
            "Together you describe the area, who takes part and what each commits – money, "
            "hours or responsibility for activities – the purpose, planned activities, expected "
            "results, a time plan and a budget, and answer each of the four criteria."
        ),
    ),
    (
        gettext_lazy("Assessment"),
        gettext_lazy(
            "A city official assesses the application against the four published criteria, "
            "together with colleagues. If something is unclear, the city asks for changes and "
            "you resubmit."
        ),
    ),
    (
        gettext_lazy("Decision"),
        gettext_lazy(
            "The city approves or rejects the application and always gives its reasons. You "
            "follow every step of the application here."
        ),
    ),
    (
        gettext_lazy("Start"),
        gettext_lazy(
            "An approved application becomes a place partnership on the platform: the place, "
            "its members, their commitments and the people who run it."
        ),
    ),
    (
        gettext_lazy("Follow-up"),
        gettext_lazy(
            "The partnership reports back when the city follows up: numbers, stories and "
            "unexpected results, beside the place's own figures."
        ),
    ),
]


@require_GET
def process(request):
    """The public page: the phases and the four criteria, so everyone knows the premises."""
    return render(
        request,
        "partnerships/process.html",
        {"phases": PHASES, "criteria": [(label, help_text) for _c, label, help_text in CRITERIA]},
    )
