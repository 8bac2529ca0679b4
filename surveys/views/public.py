"""The public answer page: no login, phone first, in the survey's languages — Swedish and
English, and Arabic or Somali when the wave carries those texts (architecture §2, §6; issue #14).

Nothing here stores, caches or logs who answered: see `abuse.py` for how duplicates, bots and
floods are held back without an IP address.
"""

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from places.forms import add_service_errors
from places.public_i18n import RTL_LANGUAGES, language_links, public_language_codes

from .. import abuse, services
from ..forms import ResponseForm
from ..models import Survey


def _language(request, survey, questions) -> tuple[str, list[str]]:
    """The page language (?lang=, default the survey's) and the languages offered."""
    offered = [code for code in public_language_codes() if code in survey.languages(questions)]
    wanted = request.GET.get("lang") or request.POST.get("lang") or ""
    if wanted in offered:
        return wanted, offered
    return survey.language, offered


def _render(request, template, context, language, status=200):
    offered = context.get("offered") or ()
    links = [link for link in language_links(request, language) if link["code"] in offered]
    with translation.override(language):
        response = render(
            request,
            template,
            {
                "language": language,
                "text_direction": "rtl" if language in RTL_LANGUAGES else "ltr",
                "survey_languages": links if len(links) > 1 else [],
                **context,
            },
            status=status,
        )
    response["Content-Language"] = language
    return response


@never_cache
@require_http_methods(["GET", "POST"])
def answer(request, token):
    survey = get_object_or_404(
        Survey.objects.select_related("place"), public_token=token, is_template=False
    )
    questions = list(survey.questions.select_related("survey"))
    language, offered = _language(request, survey, questions)
    context = {
        "survey": survey,
        "title": survey.title_in(language),
        "intro": survey.intro_in(language),
        "offered": offered,
    }
    if not survey.is_accepting_responses():
        return _render(request, "surveys/public/not_open.html", context, language)
    if abuse.has_answered(request, survey):
        return _render(request, "surveys/public/already_answered.html", context, language)

    form_token = abuse.new_form_token(survey)
    if request.method == "GET":
        form = ResponseForm(questions=questions, language=language, honeypot=True)
        return _render(
            request,
            "surveys/public/answer.html",
            {**context, "form": form, "form_token": form_token},
            language,
        )

    if abuse.over_rate_limit(request, survey):
        return _render(request, "surveys/public/rate_limited.html", context, language, status=429)
    thanks_url = reverse("surveys_public:thanks", args=[survey.public_token])
    if language != survey.language:
        thanks_url += f"?lang={language}"
    if request.POST.get(abuse.HONEYPOT_FIELD):
        # Looks like success to the bot; nothing is saved and no cookie is set.
        return redirect(thanks_url)

    with translation.override(language):
        form = ResponseForm(request.POST, questions=questions, language=language, honeypot=True)
        valid = form.is_valid()
        nonce = abuse.form_token_digest(survey, request.POST.get(abuse.FORM_TOKEN_FIELD, ""))
        if valid and nonce is None:
            form.add_error(
                None,
                translation.gettext(
                    "This form has expired. Check your answers and send them again."
                ),
            )
            valid = False
        if valid:
            try:
                services.response_submit(
                    survey=survey,
                    values=form.values(),
                    respondent_group=form.cleaned_data.get("respondent_group") or "",
                    form_nonce=nonce,
                    questions=questions,
                )
            except services.AlreadyReceived:
                response = _render(
                    request, "surveys/public/already_answered.html", context, language
                )
                abuse.mark_answered(response, survey, _cookie_path(survey))
                return response
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                response = redirect(thanks_url)
                abuse.mark_answered(response, survey, _cookie_path(survey))
                return response
    return _render(
        request,
        "surveys/public/answer.html",
        {**context, "form": form, "form_token": form_token},
        language,
    )


def _cookie_path(survey) -> str:
    return reverse("surveys_public:answer", args=[survey.public_token])


@require_GET
def thanks(request, token):
    survey = get_object_or_404(
        Survey.objects.select_related("place"), public_token=token, is_template=False
    )
    questions = list(survey.questions.all())
    language, offered = _language(request, survey, questions)
    return _render(
        request,
        "surveys/public/thanks.html",
        {"survey": survey, "title": survey.title_in(language), "offered": offered},
        language,
    )
