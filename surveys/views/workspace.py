"""Survey pages inside a place: waves, questions, paper answers, results, export, poster."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from places.access import place_access
from places.exports import csv_response
from places.forms import add_service_errors

from .. import poster, services
from ..forms import QuestionForm, ResponseForm, SurveyCreateForm, SurveySettingsForm
from ..models import Answer, Question, Response, Survey
from ..queries import (
    enough_answers,
    export_rows,
    min_answers,
    safety_index,
    safety_index_by_survey,
    survey_results,
    text_answers,
)


def _survey_for(request, place_slug, pk, require="reader"):
    """The place (404/403 by role) and one of its surveys (404 if not the place's)."""
    access = place_access(request.user, place_slug, require=require)
    survey = get_object_or_404(
        Survey.objects.visible_to(request.user).filter(place=access.place, is_template=False),
        pk=pk,
    )
    survey.place = access.place
    return access, survey


def _ctx(access, survey=None, **extra):
    return {
        "place": access.place,
        "access": access,
        "active_tab": "surveys",
        "survey": survey,
        **extra,
    }


def public_url(survey, request) -> str:
    """The survey's public link on the host the manager is using, so the QR code and poster
    made here open the survey wherever the site runs (another port, the real domain)."""
    return request.build_absolute_uri(reverse("surveys_public:answer", args=[survey.public_token]))


@login_required
@require_GET
def survey_list(request, place_slug):
    """The place's survey waves with their index, newest period first; a warning when two
    waves are open at the same time."""
    access = place_access(request.user, place_slug)
    # By period: a wave's period starts when it opens (set when opened by hand too); drafts
    # never opened sort by when they were made.
    waves = sorted(
        safety_index_by_survey(place=access.place),
        key=lambda wave: (wave["opens_at"] or wave["created_at"], wave["survey_id"]),
    )
    previous_index = None
    status_labels = dict(Survey.Status.choices)
    for wave in waves:
        wave["status_label"] = status_labels.get(wave["status"], wave["status"])
        wave["change"] = (
            round(wave["index"] - previous_index, 1)
            if wave["index"] is not None and previous_index is not None
            else None
        )
        if wave["index"] is not None:
            previous_index = wave["index"]
    latest = next((w for w in reversed(waves) if w["index"] is not None), None)
    form = None
    if access.is_manager:
        form = SurveyCreateForm(initial=_create_initial(access.place))
    open_waves = [wave for wave in waves if wave["status"] == Survey.Status.OPEN]
    return render(
        request,
        "surveys/survey_list.html",
        _ctx(
            access,
            waves=list(reversed(waves)),
            latest=latest,
            form=form,
            open_waves=open_waves if len(open_waves) > 1 else [],
        ),
    )


def _create_initial(place):
    today = timezone.localdate()
    season = _("spring") if today.month <= 6 else _("autumn")
    template = (
        Survey.objects.filter(is_template=True, language=translation.get_language()[:2])
        .values_list("pk", flat=True)
        .first()
    )
    return {
        # Not an f-string around _(): makemessages cannot see a message inside one.
        "title": _("Safety survey %(place)s, %(season)s %(year)s")
        % {"place": place.name, "season": season, "year": today.year},
        "template": template,
    }


@login_required
@require_http_methods(["GET", "POST"])
def survey_create(request, place_slug):
    access = place_access(request.user, place_slug, require="manager")
    form = SurveyCreateForm(request.POST or None, initial=_create_initial(access.place))
    if request.method == "POST" and form.is_valid():
        try:
            survey = services.survey_create(
                place=access.place,
                title=form.cleaned_data["title"],
                template=form.cleaned_data["template"],
                language=form.cleaned_data["language"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The survey was created as a draft."))
            return redirect("surveys:survey_detail", place_slug=place_slug, pk=survey.pk)
    return render(request, "surveys/survey_create.html", _ctx(access, form=form))


@login_required
@require_GET
def survey_detail(request, place_slug, pk):
    """A wave: status, public link and QR code, questions; managers change it here."""
    access, survey = _survey_for(request, place_slug, pk)
    questions = list(survey.questions.all())
    link = public_url(survey, request)
    return render(
        request,
        "surveys/survey_detail.html",
        _ctx(
            access,
            survey,
            questions=questions,
            public_url=link,
            qr_data_uri=poster.qr_data_uri(link),
            response_count=survey.responses.count(),
            is_draft=survey.status == Survey.Status.DRAFT,
            open_beside=services.open_waves_beside(survey)
            if survey.status == Survey.Status.OPEN
            else [],
        ),
    )


@login_required
@require_http_methods(["GET", "POST"])
def survey_edit(request, place_slug, pk):
    access, survey = _survey_for(request, place_slug, pk, require="manager")
    form = SurveySettingsForm(request.POST or None, instance=survey, actor=request.user)
    if request.method == "POST" and form.is_valid():
        services.survey_update(
            survey=survey, fields={name: form.cleaned_data[name] for name in form.fields}
        )
        messages.success(request, _("The survey was saved."))
        return redirect("surveys:survey_detail", place_slug=place_slug, pk=survey.pk)
    return render(request, "surveys/survey_edit.html", _ctx(access, survey, form=form))


def _confirm(request, access, survey, **extra):
    """The confirmation page before a step that cannot be undone (as deleting an activity
    asks first): GET shows it, its form POSTs to the same URL."""
    return render(request, "surveys/confirm.html", _ctx(access, survey, **extra))


@login_required
@require_http_methods(["GET", "POST"])
def survey_status(request, place_slug, pk):
    """Open (or reopen) and close a survey. Opening is asked first (GET): once answers come
    in, its questions are locked; the page warns when another wave of the place is open."""
    access, survey = _survey_for(request, place_slug, pk, require="manager")
    if request.method == "GET":
        if survey.status == Survey.Status.OPEN:
            return redirect("surveys:survey_detail", place_slug=place_slug, pk=survey.pk)
        return _confirm(
            request,
            access,
            survey,
            confirm_title=_("Open the survey"),
            confirm_text=_(
                "Open “%(title)s” now? The public link and QR code start taking answers, "
                "and its questions can no longer be changed."
            )
            % {"title": survey.title},
            confirm_button=_("Open the survey"),
            confirm_action="open",
            confirm_danger=False,
            open_beside=services.open_waves_beside(survey),
        )
    action = request.POST.get("action")
    try:
        if action == "open":
            services.survey_open(survey=survey)
            messages.success(request, _("The survey is open: the public link and QR code work."))
        elif action == "close":
            services.survey_close(survey=survey)
            messages.success(request, _("The survey is closed and takes no more web answers."))
        else:
            messages.error(request, _("Unknown action."))
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    return redirect("surveys:survey_detail", place_slug=place_slug, pk=survey.pk)


@login_required
@require_http_methods(["GET", "POST"])
def survey_delete(request, place_slug, pk):
    access, survey = _survey_for(request, place_slug, pk, require="manager")
    if request.method == "GET":
        if survey.status != Survey.Status.DRAFT:
            # Only drafts are deleted: there is nothing to confirm.
            messages.error(request, _("Only a draft without answers can be deleted."))
            return redirect("surveys:survey_detail", place_slug=place_slug, pk=survey.pk)
        return _confirm(
            request,
            access,
            survey,
            confirm_title=_("Delete this draft"),
            confirm_text=_("Delete the draft “%(title)s” and its questions? This can't be undone.")
            % {"title": survey.title},
            confirm_button=_("Delete this draft"),
            confirm_danger=True,
        )
    try:
        services.survey_delete(survey=survey)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("surveys:survey_detail", place_slug=place_slug, pk=survey.pk)
    messages.success(request, _("The draft was deleted."))
    return redirect("surveys:survey_list", place_slug=place_slug)


def _question_form_page(request, access, survey, question):
    if survey.status != Survey.Status.DRAFT:
        messages.error(
            request,
            _("Questions can only be changed while the survey is a draft: answers depend on them."),
        )
        return redirect("surveys:survey_detail", place_slug=access.place.slug, pk=survey.pk)
    form = QuestionForm(request.POST or None, instance=question, survey=survey, actor=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.question_save(survey=survey, question=form.instance)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The question was saved."))
            return redirect("surveys:survey_detail", place_slug=access.place.slug, pk=survey.pk)
    return render(
        request, "surveys/question_form.html", _ctx(access, survey, form=form, question=question)
    )


@login_required
@require_http_methods(["GET", "POST"])
def question_create(request, place_slug, pk):
    access, survey = _survey_for(request, place_slug, pk, require="manager")
    return _question_form_page(request, access, survey, Question(survey=survey))


@login_required
@require_http_methods(["GET", "POST"])
def question_edit(request, place_slug, pk, question_pk):
    access, survey = _survey_for(request, place_slug, pk, require="manager")
    question = get_object_or_404(survey.questions, pk=question_pk)
    return _question_form_page(request, access, survey, question)


@login_required
@require_http_methods(["GET", "POST"])
def question_delete(request, place_slug, pk, question_pk):
    access, survey = _survey_for(request, place_slug, pk, require="manager")
    question = get_object_or_404(survey.questions, pk=question_pk)
    if request.method == "GET":
        if survey.status != Survey.Status.DRAFT:
            messages.error(
                request,
                _(
                    "Questions can only be changed while the survey is a draft: "
                    "answers depend on them."
                ),
            )
            return redirect("surveys:survey_detail", place_slug=place_slug, pk=survey.pk)
        return _confirm(
            request,
            access,
            survey,
            confirm_title=_("Delete the question"),
            confirm_text=_("Delete the question “%(question)s”? This can't be undone.")
            % {"question": question.text},
            confirm_button=_("Delete the question"),
            confirm_danger=True,
        )
    try:
        services.question_delete(question=question)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The question was deleted."))
    return redirect("surveys:survey_detail", place_slug=place_slug, pk=survey.pk)


@login_required
@require_http_methods(["GET", "POST"])
def paper_response(request, place_slug, pk):
    """A manager types in one paper questionnaire (channel = paper)."""
    access, survey = _survey_for(request, place_slug, pk, require="manager")
    if survey.status == Survey.Status.DRAFT:
        messages.error(request, _("Paper answers can be entered once the survey has been opened."))
        return redirect("surveys:survey_detail", place_slug=place_slug, pk=survey.pk)
    questions = list(survey.questions.select_related("survey"))
    form = ResponseForm(
        request.POST or None,
        questions=questions,
        language=survey.language,
        actor=request.user,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.response_submit(
                survey=survey,
                values=form.values(),
                respondent_group=form.cleaned_data.get("respondent_group") or "",
                channel=Response.Channel.PAPER,
                questions=questions,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The paper answer was saved. Enter the next one."))
            return redirect("surveys:paper_response", place_slug=place_slug, pk=survey.pk)
    paper_count = survey.responses.filter(channel=Response.Channel.PAPER).count()
    return render(
        request,
        "surveys/paper_response.html",
        _ctx(access, survey, form=form, paper_count=paper_count),
    )


@login_required
@require_GET
def results(request, place_slug, pk):
    """Distributions per question, the safety index, groups and the previous wave."""
    access, survey = _survey_for(request, place_slug, pk)
    data = survey_results(survey=survey, language=survey.language)
    text_questions = [
        entry for entry in data["questions"] if entry["question"].kind == Question.Kind.TEXT
    ]
    if not data["enough"]:
        text_questions = []  # their words stay unread until there are enough answers
    return render(
        request,
        "surveys/results.html",
        _ctx(
            access,
            survey,
            results=data,
            text_questions=text_questions,
            place_index=safety_index(place=access.place),
        ),
    )


@login_required
@require_GET
def text_answer_list(request, place_slug, pk):
    """Free-text answers; flagged ones only for managers."""
    access, survey = _survey_for(request, place_slug, pk)
    text_questions = list(survey.questions.filter(kind=Question.Kind.TEXT))
    question = None
    question_id = request.GET.get("question", "")
    if question_id:
        question = next((q for q in text_questions if str(q.pk) == question_id), None)
    answers = text_answers(survey=survey, include_flagged=access.is_manager, question=question)
    page = Paginator(answers, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "surveys/text_answers.html",
        _ctx(
            access,
            survey,
            page=page,
            text_questions=text_questions,
            selected_question=question,
            show_question=len(text_questions) > 1 and question is None,
            enough=enough_answers(survey.responses.count()),
            min_answers=min_answers(),
        ),
    )


@login_required
@require_POST
def answer_flag(request, place_slug, pk, answer_pk):
    """Hide a free-text answer from readers, or show it again (htmx swaps the row)."""
    access, survey = _survey_for(request, place_slug, pk, require="manager")
    answer = get_object_or_404(
        Answer.objects.select_related("question", "response").filter(
            question__survey=survey, question__kind=Question.Kind.TEXT
        ),
        pk=answer_pk,
    )
    flagged = request.POST.get("flagged") == "1"
    services.answer_set_flagged(answer=answer, flagged=flagged)
    if request.htmx:
        return render(
            request,
            "surveys/partials/_text_answer.html",
            _ctx(access, survey, answer=answer, show_question=True, swapped=True),
        )
    messages.success(
        request,
        _("The answer is hidden from readers.")
        if flagged
        else _("The answer is shown to readers."),
    )
    return redirect(
        reverse("surveys:text_answer_list", kwargs={"place_slug": place_slug, "pk": survey.pk})
    )


@login_required
@require_GET
def survey_export(request, place_slug, pk):
    """All answers as CSV, one row per questionnaire, streamed (managers only: it holds every
    free-text answer, flagged ones too)."""
    access, survey = _survey_for(request, place_slug, pk, require="manager")
    questions = list(survey.questions.select_related("survey"))
    language = survey.language
    channels = dict(Response.Channel.choices)
    groups = dict(Response.RespondentGroup.choices)

    def rows():
        from ..queries import yes_no_options

        yes_no = dict(yes_no_options(language))
        for number, ((_pk, submitted_at, channel, group, *_rest), answers) in enumerate(
            export_rows(survey=survey), 1
        ):
            row = [
                number,
                timezone.localtime(submitted_at).strftime("%Y-%m-%d %H:%M"),
                str(channels.get(channel, channel)),
                str(groups.get(group, "")) if group else "",
            ]
            for question in questions:
                row.append(_export_value(question, answers.get(question.pk), yes_no))
            yield row

    with translation.override(language):
        header = [_("Response"), _("Submitted at"), _("Channel"), _("Respondent group")]
    return csv_response(
        f"{survey.place.slug}-survey-{survey.pk}.csv",
        header + [q.text for q in questions],
        rows(),
        language=language,
    )


def _export_value(question, values, yes_no):
    if values is None:
        return ""
    number, positions, text = values
    kind = question.kind
    if kind == Question.Kind.SCALE5:
        return number
    if kind == Question.Kind.YES_NO:
        return str(yes_no.get(number, ""))
    if kind == Question.Kind.SINGLE_CHOICE:
        return question.choices[number - 1] if number and number <= len(question.choices) else ""
    if kind == Question.Kind.MULTI_CHOICE:
        return "; ".join(
            question.choices[p - 1] for p in positions or [] if 0 < p <= len(question.choices)
        )
    return text


@login_required
@require_GET
def poster_file(request, place_slug, pk, fmt):
    """The A4 QR-code poster as PDF or SVG, for printing (reporters put posters up too)."""
    access, survey = _survey_for(request, place_slug, pk, require="reporter")
    url = public_url(survey, request)
    if fmt == "pdf":
        content, content_type = poster.poster_pdf(survey=survey, url=url), "application/pdf"
    elif fmt == "svg":
        content, content_type = poster.poster_svg(survey=survey, url=url), "image/svg+xml"
    else:
        raise Http404
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = (
        f'attachment; filename="{survey.place.slug}-poster-{survey.pk}.{fmt}"'
    )
    return response
