"""Tips from the public (issue #14): the public form and tracking page under /p/<slug>/, and the
managers' side under /places/<place_slug>/: the public page's switch and the moderation queue.

The public views store nothing about the visitor: no account, no IP address (places/abuse.py).
"""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Avg, Count, DurationField, ExpressionWrapper, F, Q
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from .. import abuse
from ..access import place_access
from ..forms import add_service_errors
from ..forms.public import PublicPageForm, TipAcceptForm, TipDeclineForm, TipForm, TipMergeForm
from ..links import site_root
from ..models import ActionItem, PublicTip
from ..public import PUBLIC_STATES, public_place, public_tips
from ..public_i18n import public_language, render_public, with_lang
from ..services import place_centre, tips
from ..services.tip_updates import tracking_path

TIP_FORM_SALT = "places.tip-form-token"
TIP_FORM_MAX_AGE = 60 * 60 * 12
QUEUE_PAGE_SIZE = 25


def _public_map_config(place) -> dict:
    centre = place_centre(place)
    return {"centre": list(centre) if centre else None, "boundary": place.boundary}


# --- Public: the tip form, the tracking page, the list of accepted tips -----------------------


@never_cache
@require_http_methods(["GET", "POST"])
def tip_create(request, place_slug):
    place, preview = public_place(request, place_slug)
    language = public_language(request)
    context = {
        "place": place,
        "preview": preview,
        "map_config": _public_map_config(place),
        "form_token": abuse.new_form_token(place.pk, salt=TIP_FORM_SALT),
    }
    if request.method == "GET":
        with translation.override(language):
            form = TipForm(place=place)
        return render_public(
            request, "places/public/tip_form.html", {**context, "form": form}, language
        )

    from django.conf import settings

    if abuse.over_rate_limit(
        request, purpose="tips", scope_id=place.pk, limit=settings.TIPS_RATE_LIMIT_PER_HOUR
    ):
        return render_public(
            request, "places/public/tip_rate_limited.html", context, language, status=429
        )
    if request.POST.get(abuse.HONEYPOT_FIELD):
        # Looks like success to a bot; nothing is saved.
        return redirect(
            with_lang(
                reverse("places_public:tip_list", kwargs={"place_slug": place_slug}), language
            )
        )
    with translation.override(language):
        form = TipForm(request.POST, request.FILES, place=place)
        valid = form.is_valid()
        nonce = abuse.form_token_digest(
            place.pk,
            request.POST.get(abuse.FORM_TOKEN_FIELD, ""),
            salt=TIP_FORM_SALT,
            max_age=TIP_FORM_MAX_AGE,
        )
        if valid and nonce is None:
            form.add_error(None, _("This form has expired. Check it and send it again."))
            valid = False
        if valid:
            data = {**form.cleaned_data, "language": language}
            try:
                tip = tips.tip_submit(
                    place=place, data=data, photo=form.cleaned_data.get("photo"), form_nonce=nonce
                )
            except tips.TipAlreadyReceived:
                form.add_error(None, _("This tip has already been sent."))
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                return redirect(with_lang(tracking_path(tip) + "?sent=1", language))
    return render_public(
        request, "places/public/tip_form.html", {**context, "form": form}, language, status=400
    )


@never_cache
@require_GET
def tip_status(request, place_slug, token):
    """The tracking page: anyone with the unguessable link reads the tip's status."""
    tip = get_object_or_404(
        PublicTip.objects.select_related("place", "action_item"),
        place__slug=place_slug,
        token=token,
    )
    language = public_language(request)
    state = tip.public_state
    return render_public(
        request,
        "places/public/tip_status.html",
        {
            "place": tip.place,
            "tip": tip,
            "state": state,
            "state_label": PUBLIC_STATES.get(state, state),
            "sent": request.GET.get("sent") == "1",
        },
        language,
    )


@require_GET
def tip_list(request, place_slug):
    place, preview = public_place(request, place_slug)
    language = public_language(request)
    with translation.override(language):  # category names are rendered into the rows
        rows = public_tips(place)
    return render_public(
        request,
        "places/public/tip_list.html",
        {
            "place": place,
            "preview": preview,
            "tips": rows,
            "map_config": {
                **_public_map_config(place),
                "points": [
                    {"lat": r["lat"], "lon": r["lon"], "label": str(r["category"])} for r in rows
                ],
            },
        },
        language,
    )


# --- Members: the public page's switch and the tips' figures ---------------------------------


def tip_counts(place) -> dict:
    """Received, accepted (or merged), declined, waiting, and the mean days from a tip to its
    action item's resolution — one query."""
    resolve = ExpressionWrapper(
        F("action_item__resolved_at") - F("created_at"), output_field=DurationField()
    )
    row = PublicTip.objects.filter(place=place).aggregate(
        received=Count("pk"),
        accepted=Count(
            "pk", filter=Q(status__in=[PublicTip.Status.ACCEPTED, PublicTip.Status.MERGED])
        ),
        declined=Count("pk", filter=Q(status=PublicTip.Status.DECLINED)),
        waiting=Count("pk", filter=Q(status=PublicTip.Status.RECEIVED)),
        resolved=Count("pk", filter=Q(action_item__status=ActionItem.Status.RESOLVED)),
        time_to_resolve=Avg(resolve, filter=Q(action_item__status=ActionItem.Status.RESOLVED)),
    )
    duration = row.pop("time_to_resolve")
    if isinstance(duration, dt.timedelta):
        row["days_to_resolve"] = round(duration.total_seconds() / 86400, 1)
    else:
        row["days_to_resolve"] = None
    return row


@login_required
@require_http_methods(["GET", "POST"])
def public_settings(request, place_slug):
    """The public side for members: whether the page is on, its link, the tips' figures.
    Managers switch it on or off (after a preview)."""
    access = place_access(request.user, place_slug)
    place = access.place
    form = PublicPageForm(initial={"public_page_enabled": place.public_page_enabled})
    if request.method == "POST":
        access.require("manager")
        form = PublicPageForm(request.POST)
        if form.is_valid():
            place.public_page_enabled = form.cleaned_data["public_page_enabled"]
            with transaction.atomic():
                place.save(update_fields=["public_page_enabled"])
            messages.success(
                request,
                _("The public page is on.")
                if place.public_page_enabled
                else _("The public page is off."),
            )
            return redirect("places:public_settings", place_slug=place_slug)
    return render(
        request,
        "places/public_settings.html",
        {
            "place": place,
            "access": access,
            "active_tab": "public",
            "form": form,
            "counts": tip_counts(place),
        },
    )


@login_required
@require_GET
def tip_queue(request, place_slug):
    access = place_access(request.user, place_slug, require="manager")
    status = request.GET.get("status") or PublicTip.Status.RECEIVED
    if status not in PublicTip.Status.values:
        status = PublicTip.Status.RECEIVED
    queryset = (
        PublicTip.objects.filter(place=access.place, status=status)
        .select_related("action_item", "moderated_by")
        .order_by("created_at", "pk")
    )
    page = Paginator(queryset, QUEUE_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "places/tip_queue.html",
        {
            "place": access.place,
            "access": access,
            "active_tab": "public",
            "page_obj": page,
            "status": status,
            "statuses": PublicTip.Status.choices,
            "counts": tip_counts(access.place),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def tip_moderate(request, place_slug, pk):
    access = place_access(request.user, place_slug, require="manager")
    tip = get_object_or_404(
        PublicTip.objects.filter(place=access.place).select_related(
            "place", "action_item", "moderated_by"
        ),
        pk=pk,
    )
    action = request.POST.get("action") if request.method == "POST" else None
    accept_form = TipAcceptForm(
        request.POST if action == "accept" else None, tip=tip, actor=request.user
    )
    merge_form = TipMergeForm(request.POST if action == "merge" else None, tip=tip)
    decline_form = TipDeclineForm(
        request.POST if action == "decline" else None, tip=tip, actor=request.user
    )
    status = 200
    if action in ("accept", "merge", "decline"):
        base_url = site_root(request)
        form = {"accept": accept_form, "merge": merge_form, "decline": decline_form}[action]
        if form.is_valid():
            try:
                if action == "accept":
                    item = tips.tip_accept(
                        tip=tip, actor=request.user, data=form.cleaned_data, base_url=base_url
                    )
                    messages.success(
                        request,
                        _("The tip is now an action item for %(organisation)s.")
                        % {"organisation": item.responsible_organisation},
                    )
                elif action == "merge":
                    tips.tip_merge(
                        tip=tip,
                        actor=request.user,
                        action_item=form.cleaned_data["action_item"],
                        base_url=base_url,
                    )
                    messages.success(request, _("The tip was merged into the action item."))
                else:
                    tips.tip_decline(
                        tip=tip,
                        actor=request.user,
                        reason=form.cleaned_data["reason"],
                        base_url=base_url,
                    )
                    messages.success(request, _("The tip was declined."))
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                return redirect("places:tip_queue", place_slug=place_slug)
        status = 400
    elif request.method == "POST":
        status = 400
    return render(
        request,
        "places/tip_moderate.html",
        {
            "place": access.place,
            "access": access,
            "active_tab": "public",
            "tip": tip,
            "state_label": PUBLIC_STATES.get(tip.public_state, tip.public_state),
            "accept_form": accept_form,
            "merge_form": merge_form,
            "decline_form": decline_form,
        },
        status=status,
    )


@login_required
@require_GET
def tip_photo(request, place_slug, pk):
    """A tip's photo, for the place's managers only."""
    access = place_access(request.user, place_slug, require="manager")
    tip = get_object_or_404(PublicTip.objects.filter(place=access.place), pk=pk)
    if not tip.photo:
        raise Http404
    try:
        handle = tip.photo.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(handle, content_type="image/jpeg")
    response["Cache-Control"] = "private, max-age=3600"
    return response


@require_GET
def public_photo(request, place_slug, pk):
    """The photo of a resolved public action item whose photo a manager made public."""
    place, _preview = public_place(request, place_slug)
    item = get_object_or_404(
        ActionItem.objects.filter(
            place=place,
            is_public=True,
            photo_is_public=True,
            status=ActionItem.Status.RESOLVED,
        ),
        pk=pk,
    )
    if not item.photo:
        raise Http404
    try:
        handle = item.photo.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(handle, content_type="image/jpeg")
    response["Cache-Control"] = "public, max-age=3600"
    return response
