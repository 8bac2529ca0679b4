"""A place's outbound webhooks (issue #15): managers add, pause and remove them and read the
delivery log. Every page is for managers only (a reader gets 403, an outsider 404)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from ..access import place_access
from ..forms.webhooks import WebhookForm
from ..models import Webhook, WebhookDelivery
from ..services.webhooks import webhook_create

LOG_SIZE = 50


@never_cache  # the page shows a new webhook's secret once
@login_required
@require_http_methods(["GET", "POST"])
def webhook_settings(request, place_slug):
    access = place_access(request.user, place_slug, require="manager")
    place = access.place
    form = WebhookForm(place=place, actor=request.user)
    new_secret = None
    if request.method == "POST":
        form = WebhookForm(request.POST, place=place, actor=request.user)
        if form.is_valid():
            try:
                hook, new_secret = webhook_create(
                    place=place,
                    actor=request.user,
                    url=form.cleaned_data["url"],
                    events=form.cleaned_data["events"],
                )
            except (ValidationError, ValueError) as error:
                form.add_error(None, getattr(error, "messages", [str(error)])[0])
            else:
                messages.success(request, _("The webhook was added."))
                form = WebhookForm(place=place, actor=request.user)
    hooks = Webhook.objects.filter(place=place).order_by("created_at", "pk")
    deliveries = (
        WebhookDelivery.objects.filter(webhook__place=place)
        .select_related("webhook")
        .order_by("-created_at", "-pk")[:LOG_SIZE]
    )
    return render(
        request,
        "places/webhooks.html",
        {
            "place": place,
            "access": access,
            "active_tab": "public",
            "form": form,
            "hooks": hooks,
            "deliveries": deliveries,
            "new_secret": new_secret,
        },
    )


@login_required
@require_POST
def webhook_toggle(request, place_slug, pk):
    access = place_access(request.user, place_slug, require="manager")
    hook = get_object_or_404(Webhook, place=access.place, pk=pk)
    hook.is_active = not hook.is_active
    hook.save(update_fields=["is_active"])
    messages.success(
        request, _("The webhook is on.") if hook.is_active else _("The webhook is paused.")
    )
    return redirect("places:webhook_settings", place_slug=place_slug)


@login_required
@require_POST
def webhook_delete(request, place_slug, pk):
    access = place_access(request.user, place_slug, require="manager")
    hook = get_object_or_404(Webhook, place=access.place, pk=pk)
    hook.delete()
    messages.success(request, _("The webhook was removed."))
    return redirect("places:webhook_settings", place_slug=place_slug)
