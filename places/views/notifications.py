"""The notification list (the bell), notification settings, and Web Push (issue #13).

A person's own data only: nothing here is place-scoped, every query filters on the user.
"""

import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponseRedirect, JsonResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ..forms import NotificationSettingForm
from ..models import Notification, PushSubscription
from ..services.notifications import (
    SESSION_KEY,
    InvalidSubscription,
    mark_read,
    push_enabled,
    setting_for,
    subscription_save,
)

NOTIFICATIONS_SHOWN = 100
MAX_SUBSCRIPTION_BYTES = 4096


@login_required
@require_GET
def notification_list(request):
    rows = Notification.objects.filter(user=request.user).select_related("place")[
        :NOTIFICATIONS_SHOWN
    ]
    return render(request, "places/notifications.html", {"notifications": rows})


@login_required
@require_POST
def notification_read(request):
    """Mark one (`id`) or all notifications read; with `next`, follow the notification."""
    raw = request.POST.get("id", "")
    pk = int(raw) if raw.isdigit() and len(raw) < 12 else None
    mark_read(request.user, pk)
    target = request.POST.get("next", "")
    # Only a path of this site (a notification's link): never elsewhere.
    if (
        target.startswith("/")
        and "\x00" not in target
        and url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
    ):
        return HttpResponseRedirect(target)
    return redirect("places:notification_list")


@login_required
@require_http_methods(["GET", "POST"])
def notification_settings(request):
    setting = setting_for(request.user)
    form = NotificationSettingForm(request.POST or None, instance=setting)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Your notification settings are saved."))
        return redirect("places:notification_settings")
    return render(
        request,
        "places/notification_settings.html",
        {
            "form": form,
            "push_enabled": push_enabled(),
            "vapid_public_key": settings.VAPID_PUBLIC_KEY,
            "devices": PushSubscription.objects.filter(user=request.user).count(),
        },
    )


@login_required
@require_POST
def push_subscribe(request):
    """Store this device's subscription (JSON body from the browser's PushManager)."""
    if not push_enabled():
        raise Http404
    if len(request.body) > MAX_SUBSCRIPTION_BYTES:
        return JsonResponse({"error": _("The subscription is not valid.")}, status=400)
    try:
        data = json.loads(request.body or b"null")
        subscription = subscription_save(user=request.user, data=data)
    except (ValueError, InvalidSubscription) as error:
        message = str(error) if isinstance(error, InvalidSubscription) else ""
        return JsonResponse({"error": message or _("The subscription is not valid.")}, status=400)
    request.session[SESSION_KEY] = subscription.pk
    return JsonResponse({"ok": True}, status=201)


@login_required
@require_POST
def push_unsubscribe(request):
    """Forget this device's subscription (the person turned push off here)."""
    subscription_id = request.session.pop(SESSION_KEY, None)
    if subscription_id:
        PushSubscription.objects.filter(pk=subscription_id, user=request.user).delete()
    return JsonResponse({"ok": True})


# The service worker (push and offline) lives in places/views/offline.py.
