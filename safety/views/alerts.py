"""Samverkansplan and larm (issue #13): the plan, its confirmations and PDF, alerts.

Every view starts from `place_access` (architecture §4): an outsider gets a 404, a role that may see
but not act a 403. Managers edit and publish the plan; everyone with a role reads and confirms
it and answers alerts; reporters and managers send alerts; the sender or a manager closes one.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from places.access import place_access
from places.form_keys import FIELD as FORM_KEY_FIELD
from places.form_keys import AlreadySaved, form_key_digest, form_key_for

from ..forms import (
    AlertForm,
    AnswerForm,
    CloseForm,
    ContactLinkForm,
    PublishForm,
    ScenarioForm,
    organisations_at,
)
from ..models import Alert, AlertAnswer, ContactLink, PlanConfirmation, Scenario
from ..services import alerts

ALERTS_SHOWN = 50
PDF_CACHE_SECONDS = 24 * 3600


def _plan_context(request, access):
    plan = alerts.plan_for(access.place)
    version = plan.current_version
    confirmation = None
    if version is not None:
        confirmation = PlanConfirmation.objects.filter(version=version, user=request.user).first()
    return {
        "place": access.place,
        "access": access,
        "active_tab": "situation_plan",
        "plan": plan,
        "version": version,
        "confirmation": confirmation,
    }


@login_required
@require_GET
def plan(request, place_slug):
    access = place_access(request.user, place_slug)
    context = _plan_context(request, access)
    if access.is_manager:
        context.update(
            {
                "scenarios": alerts.plan_scenarios(context["plan"]),
                "versions": context["plan"].versions.only("number", "published_at", "note"),
                "publish_form": PublishForm(actor=request.user),
                "coverage": alerts.plan_coverage(access.place),
            }
        )
    return render(request, "safety/plan/plan.html", context)


@login_required
@require_POST
def plan_confirm(request, place_slug):
    access = place_access(request.user, place_slug)
    version = alerts.plan_for(access.place).current_version
    if version is None:
        raise Http404
    alerts.plan_confirm(version=version, actor=request.user, organisation_id=access.organisation_id)
    messages.success(
        request, _("Thank you: you have confirmed that you have read and understood the plan.")
    )
    return redirect("safety:plan", place_slug=access.place.slug)


@login_required
@require_POST
def plan_publish(request, place_slug):
    access = place_access(request.user, place_slug, require="manager")
    form = PublishForm(request.POST, actor=request.user)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
        return redirect("safety:plan", place_slug=access.place.slug)
    version = alerts.plan_publish(
        place=access.place, actor=request.user, note=form.cleaned_data.get("note") or ""
    )
    messages.success(
        request,
        _("Version %(number)s is published; everyone at the place is asked to confirm it.")
        % {"number": version.number},
    )
    return redirect("safety:plan", place_slug=access.place.slug)


@login_required
@require_GET
def plan_board(request, place_slug):
    access = place_access(request.user, place_slug, require="manager")
    version = alerts.plan_for(access.place).current_version
    return render(
        request,
        "safety/plan/board.html",
        {
            "place": access.place,
            "access": access,
            "active_tab": "situation_plan",
            "version": version,
            "groups": alerts.confirmation_board(access.place, version),
            "coverage": alerts.plan_coverage(access.place),
        },
    )


def plan_pdf_document(place, version, request):
    """The published version laid out by WeasyPrint: one page per scenario."""
    from weasyprint import HTML

    from .reports import _pdf_fetcher

    html = render_to_string(
        "safety/plan/plan_pdf.html", {"place": place, "version": version}, request=request
    )
    # Tagged PDF/UA-1 like the lägesbild (structure, language, reading order).
    return HTML(string=html, base_url="file:///", url_fetcher=_pdf_fetcher()).render(
        pdf_variant="pdf/ua-1"
    )


@login_required
@require_GET
def plan_pdf(request, place_slug):
    access = place_access(request.user, place_slug)
    version = alerts.plan_for(access.place).current_version
    if version is None:
        raise Http404
    language = (get_language() or "sv")[:2]
    # A version never changes: its PDF is cached per version and language.
    key = f"safety:plan-pdf:{version.pk}:{language}"
    pdf = cache.get(key)
    if pdf is None:
        pdf = plan_pdf_document(access.place, version, request).write_pdf(pdf_variant="pdf/ua-1")
        cache.set(key, pdf, PDF_CACHE_SECONDS)
    response = HttpResponse(pdf, content_type="application/pdf")
    filename = f"samverkansplan-{access.place.slug}-v{version.number}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _scenario(access, pk) -> Scenario:
    return get_object_or_404(
        Scenario.objects.select_related("plan__place"), plan__place=access.place, pk=pk
    )


@login_required
@require_http_methods(["GET", "POST"])
def scenario_create(request, place_slug):
    access = place_access(request.user, place_slug, require="manager")
    plan_ = alerts.plan_for(access.place)
    form = ScenarioForm(request.POST or None, actor=request.user)
    form.place = access.place
    if request.method == "POST" and form.is_valid():
        form.instance.plan = plan_
        with transaction.atomic():
            scenario = form.save()
        messages.success(request, _("The scenario is added; add its contact chain."))
        return redirect(scenario.get_absolute_url())
    return render(
        request,
        "safety/plan/scenario_form.html",
        {"place": access.place, "access": access, "active_tab": "situation_plan", "form": form},
    )


@login_required
@require_http_methods(["GET", "POST"])
def scenario_edit(request, place_slug, pk):
    access = place_access(request.user, place_slug)
    scenario = _scenario(access, pk)
    access.require("manager")
    form = ScenarioForm(request.POST or None, instance=scenario, actor=request.user)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            form.save()
        messages.success(request, _("The scenario is saved. Publish a new version when ready."))
        return redirect("safety:plan", place_slug=access.place.slug)
    return render(
        request,
        "safety/plan/scenario_form.html",
        {
            "place": access.place,
            "access": access,
            "active_tab": "situation_plan",
            "form": form,
            "scenario": scenario,
            "links": scenario.links.select_related("organisation"),
            "link_form": ContactLinkForm(
                scenario=scenario,
                organisations=organisations_at(access.place),
                actor=request.user,
                initial={"position": (scenario.links.count() + 1)},
            ),
        },
    )


@login_required
@require_POST
def contact_link_add(request, place_slug, pk):
    access = place_access(request.user, place_slug)
    scenario = _scenario(access, pk)
    access.require("manager")
    form = ContactLinkForm(
        request.POST,
        scenario=scenario,
        organisations=organisations_at(access.place),
        actor=request.user,
    )
    form.place = access.place
    if form.is_valid():
        form.instance.scenario = scenario
        try:
            with transaction.atomic():
                form.save()
        except Exception:  # noqa: BLE001 - a position taken at the same moment
            messages.error(request, _("This position is taken; choose another."))
        else:
            messages.success(request, _("The link is added to the contact chain."))
        return redirect(scenario.get_absolute_url())
    return render(
        request,
        "safety/plan/scenario_form.html",
        {
            "place": access.place,
            "access": access,
            "active_tab": "situation_plan",
            "form": ScenarioForm(instance=scenario, actor=request.user),
            "scenario": scenario,
            "links": scenario.links.select_related("organisation"),
            "link_form": form,
        },
        status=400,
    )


@login_required
@require_POST
def contact_link_delete(request, place_slug, pk):
    access = place_access(request.user, place_slug)
    scenario = _scenario(access, pk)
    access.require("manager")
    link_id = request.POST.get("link", "")
    if link_id.isdigit() and len(link_id) < 12:
        ContactLink.objects.filter(scenario=scenario, pk=int(link_id)).delete()
        messages.success(request, _("The link is removed from the contact chain."))
    return redirect(scenario.get_absolute_url())


# --- Alerts ---------------------------------------------------------------------------------


@login_required
@require_GET
def alert_list(request, place_slug):
    access = place_access(request.user, place_slug)
    rows = (
        Alert.objects.visible_to(request.user)
        .filter(place=access.place)
        .select_related("scenario")
        .order_by("-created_at", "-pk")[:ALERTS_SHOWN]
    )
    return render(
        request,
        "safety/alerts/alert_list.html",
        {"place": access.place, "access": access, "active_tab": "alerts", "alerts": rows},
    )


@login_required
@require_http_methods(["GET", "POST"])
def alert_create(request, place_slug):
    access = place_access(request.user, place_slug, require="reporter")
    alerts.plan_for(access.place)  # the seeded scenarios exist from the first alert on
    form = AlertForm(
        request.POST or None,
        place=access.place,
        organisations=organisations_at(access.place),
        actor=request.user,
    )
    if request.method == "POST" and form.is_valid():
        try:
            alert = alerts.alert_send(
                place=access.place,
                actor=request.user,
                data=form.cleaned_data,
                form_key=form_key_digest(request.POST.get(FORM_KEY_FIELD)),
            )
        except AlreadySaved as saved:
            return redirect(saved.existing.get_absolute_url())
        except (alerts.AlertError, ValidationError) as error:
            form.add_error(None, str(error) if isinstance(error, alerts.AlertError) else error)
        else:
            messages.success(request, _("The alert is sent. Answers appear below."))
            return redirect(alert.get_absolute_url())
    return render(
        request,
        "safety/alerts/alert_form.html",
        {
            "place": access.place,
            "access": access,
            "active_tab": "alerts",
            "form": form,
            "form_key": form_key_for(request),
        },
    )


def _alert(request, access, pk) -> Alert:
    return get_object_or_404(
        Alert.objects.visible_to(request.user).select_related("place", "scenario", "sent_by"),
        place=access.place,
        pk=pk,
    )


def _can_close(access, alert, user) -> bool:
    return access.is_manager or (access.is_reporter and alert.sent_by_id == user.pk)


@login_required
@require_GET
def alert_detail(request, place_slug, pk):
    access = place_access(request.user, place_slug)
    alert = _alert(request, access, pk)
    context = {
        "place": access.place,
        "access": access,
        "active_tab": "alerts",
        "alert": alert,
        "board": alerts.answer_board(alert),
        "my_answer": AlertAnswer.objects.filter(alert=alert, user=request.user).first(),
        "answer_choices": AlertAnswer.Answer.choices,
        "can_close": _can_close(access, alert, request.user),
        "close_form": CloseForm(),
    }
    if request.htmx:
        return render(request, "safety/alerts/_board.html", context)
    return render(request, "safety/alerts/alert_detail.html", context)


@login_required
@require_POST
def alert_answer(request, place_slug, pk):
    access = place_access(request.user, place_slug)
    alert = _alert(request, access, pk)
    form = AnswerForm(request.POST)
    if not alert.is_open:
        messages.info(request, _("The alert is closed."))
    elif form.is_valid():
        alerts.alert_answer(
            alert=alert,
            actor=request.user,
            answer=form.cleaned_data["answer"],
            organisation_id=access.organisation_id,
        )
        messages.success(request, _("Your answer is sent."))
    else:
        messages.error(request, _("Choose an answer."))
    return redirect(alert.get_absolute_url())


@login_required
@require_POST
def alert_close(request, place_slug, pk):
    access = place_access(request.user, place_slug)
    alert = _alert(request, access, pk)
    if not _can_close(access, alert, request.user):
        raise PermissionDenied
    form = CloseForm(request.POST)
    if form.is_valid():
        alerts.alert_close(alert=alert, actor=request.user, outcome=form.cleaned_data["outcome"])
        messages.success(request, _("The alert is closed."))
    else:
        messages.error(request, _("Choose an outcome."))
    return redirect(alert.get_absolute_url())
