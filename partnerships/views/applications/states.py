"""How the state machine shows in the views: a refused transition as messages (nothing
changed), and the timeline with each event's label."""

from django.contrib import messages

from ...models import ApplicationEvent
from ...services import applications as services


def refuse(request, error: services.TransitionError):
    messages.error(request, error.message)
    for item in error.missing:
        messages.error(request, item)


def timeline(application):
    events = list(
        ApplicationEvent.objects.filter(application=application)
        .select_related("actor")
        .order_by("created_at", "pk")
    )
    for event in events:
        event.label = services.EVENT_LABELS.get(event.action, event.action)
    return events
