"""Offline-first logging (issue #16): what the server does for forms a phone queued offline.

A form marked `data-offline` (incidents, activities with their findings, an action item's status)
is kept in the phone's IndexedDB queue when there is no connection (static/js/outbox.js). When
the connection returns, the queue sends each form to the same URL as the page would, with

- `client_id`: a UUID the phone gave the form. The row it creates keeps it in a unique column,
  so a resend after a dropped answer creates nothing and gets the first answer again;
- the header `X-AMP-Queue: 1`: the view answers JSON instead of a page (`queue_answer`): "sent"
  with the saved row's URL, or "refused" with the form's errors (the privacy screening's among
  them) so the person can fix the queued form and send it again – nothing is dropped silently.

The service worker keeps a copy only of pages a view marks with `offline_page` (forms, the home,
the queue): never a restricted incident or another person's data.
"""

import uuid
from functools import wraps

from django.http import JsonResponse
from django.utils.translation import gettext as _

QUEUE_HEADER = "HTTP_X_AMP_QUEUE"
CLIENT_ID_FIELD = "client_id"
# The header that lets the service worker keep a copy of a page (static/js/sw.js).
OFFLINE_HEADER = "X-AMP-Offline"


def is_queue_request(request) -> bool:
    """Sent by the phone's queue (it wants JSON back), not by the page itself."""
    return request.META.get(QUEUE_HEADER) == "1"


def client_id_from(request) -> uuid.UUID | None:
    """The phone's id of a queued form, or None (a form sent from the page, or garbage)."""
    raw = request.POST.get(CLIENT_ID_FIELD, "") if request.method == "POST" else ""
    if not raw or len(raw) > 64:
        return None
    try:
        return uuid.UUID(raw)
    except ValueError:
        return None


def _no_store(response):
    response["Cache-Control"] = "no-store"
    return response


def queue_sent(*, url: str, created: bool) -> JsonResponse:
    """The form is saved: now, or by an earlier send of the same queued form."""
    return _no_store(JsonResponse({"state": "sent", "url": url, "created": created}))


def queue_refused(*forms, message: str | None = None, status: int = 422) -> JsonResponse:
    """The server will not save the form as it is: each field's errors, by label, so the phone
    can show them beside the queued form."""
    errors: list[dict] = []

    def add(form):
        for name, messages in form.errors.items():
            field = form.fields.get(name)
            errors.append(
                {
                    "field": form.add_prefix(name) if field is not None else "",
                    "label": str(field.label) if field is not None else "",
                    "messages": [str(m) for m in messages],
                }
            )

    for form in forms:
        if form is None or not form.is_bound:
            continue
        if hasattr(form, "non_form_errors"):  # a formset: each row, then its own errors
            for row in form.forms:
                add(row)
            for msg in form.non_form_errors():
                errors.append({"field": "", "label": "", "messages": [str(msg)]})
        else:
            add(form)
    if message is None:
        message = _("The form was not saved. Fix what is marked and send it again.")
    return _no_store(
        JsonResponse({"state": "refused", "message": message, "errors": errors}, status=status)
    )


def queue_conflict() -> JsonResponse:
    """The id is taken by someone else's row: never say whose."""
    return _no_store(
        JsonResponse(
            {
                "state": "refused",
                "message": _("This form cannot be sent again. Fill in a new one."),
                "errors": [],
            },
            status=409,
        )
    )


def offline_page(view):
    """Let the service worker keep a copy of this page's GET answer for use offline.

    Only for pages without restricted details or other people's data: forms with the place's
    choice lists, the home with the person's own counts, the queue."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if request.method == "GET" and response.status_code == 200:
            mark_offline(response)
        return response

    return wrapper


def mark_offline(response):
    # The HTTP caches still get "private, no-store" (amp_platform/middleware.py): only the
    # service worker keeps the copy, in its own Cache Storage that logging out clears.
    response[OFFLINE_HEADER] = "store"
    return response
