"""Write-side services for surveys: every change goes through here (validated, transactional)."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from places.models import FreeTextClearance

from .models import Answer, Question, Response, Survey

TEXT_MAX_LENGTH = 2000


class AlreadyReceived(Exception):
    """The same web form was sent twice (a replay): the first copy is kept."""


def survey_create(*, place, title, template=None, language=Survey.Language.SWEDISH) -> Survey:
    """Create a draft survey for `place`, copying the questions of `template` when given."""
    if template is not None and not template.is_template:
        raise ValidationError(_("Only a template can be copied."))
    with transaction.atomic():
        survey = Survey(
            place=place,
            title=title,
            language=template.language if template else language,
            intro=template.intro if template else "",
            translated_title=template.translated_title if template else "",
            translated_intro=template.translated_intro if template else "",
            texts=template.texts if template else {},
            status=Survey.Status.DRAFT,
        )
        survey.full_clean()
        survey.save()
        if template is not None:
            Question.objects.bulk_create(
                [
                    Question(
                        survey=survey,
                        order=question.order,
                        text=question.text,
                        translated_text=question.translated_text,
                        kind=question.kind,
                        choices=question.choices,
                        translated_choices=question.translated_choices,
                        texts=question.texts,
                        required=question.required,
                        in_safety_index=question.in_safety_index,
                    )
                    for question in template.questions.all()
                ]
            )
    return survey


def survey_update(*, survey, fields: dict) -> Survey:
    """Change a survey's texts and schedule (allowed in every status)."""
    for name, value in fields.items():
        setattr(survey, name, value)
    survey.full_clean()
    with transaction.atomic():
        survey.save()
    return survey


def _require_draft(survey):
    if survey.status != Survey.Status.DRAFT:
        raise ValidationError(
            _("Questions can only be changed while the survey is a draft: answers depend on them.")
        )


def survey_open(*, survey, now=None) -> Survey:
    """Open a draft or reopen a closed survey for answers."""
    now = now or timezone.now()
    if survey.status == Survey.Status.OPEN:
        return survey
    if not survey.questions.exists():
        raise ValidationError(_("Add at least one question before opening the survey."))
    fields = {"status": Survey.Status.OPEN}
    if survey.closes_at and survey.closes_at <= now:
        fields["closes_at"] = None  # reopening overrides a closing date already past
    if survey.opens_at is None:
        # Opened by hand: the wave's period starts now, so lists and charts can place it.
        fields["opens_at"] = now
    # Conditional update: two managers pressing "open" at once change the row once.
    Survey.objects.filter(pk=survey.pk).exclude(status=Survey.Status.OPEN).update(**fields)
    survey.refresh_from_db()
    return survey


def survey_close(*, survey, now=None) -> Survey:
    """Stop taking answers (web and paper answers already given stay). Closed by hand before
    its closing date (or without one), the wave's period ends now."""
    now = now or timezone.now()
    fields = {"status": Survey.Status.CLOSED}
    if (survey.closes_at is None or survey.closes_at > now) and (
        survey.opens_at is None or survey.opens_at < now
    ):
        fields["closes_at"] = now
    Survey.objects.filter(pk=survey.pk, status=Survey.Status.OPEN).update(**fields)
    survey.refresh_from_db()
    return survey


def open_waves_beside(survey) -> list[Survey]:
    """The place's other waves that are open now (or would be, on their schedule): two open
    waves split the answers between them, and neither has a clean period (issue #19)."""
    return list(
        Survey.objects.filter(
            place_id=survey.place_id, is_template=False, status=Survey.Status.OPEN
        )
        .exclude(pk=survey.pk)
        .order_by("opens_at", "pk")
    )


def survey_delete(*, survey) -> None:
    """Delete a draft (drafts take no answers, so nothing measured is lost)."""
    if survey.status != Survey.Status.DRAFT or survey.responses.exists():
        raise ValidationError(_("Only a draft without answers can be deleted."))
    survey.delete()


def question_save(*, survey, question) -> Question:
    """Add or change a question of a draft survey."""
    _require_draft(survey)
    question.survey = survey
    if question.pk is None and not question.order:
        top = survey.questions.aggregate(top=Max("order"))["top"] or 0
        question.order = top + 10
    question.full_clean()
    with transaction.atomic():
        question.save()
    return question


def question_delete(*, question) -> None:
    _require_draft(question.survey)
    question.delete()


def _answer_for(question, value):
    """Build the Answer for one cleaned value; None when the question was left empty."""
    kind = question.kind
    if value in (None, "", []):
        if question.required:
            raise ValidationError(_("“%(question)s” needs an answer.") % {"question": question})
        return None
    answer = Answer(question=question)
    if kind == Question.Kind.SCALE5:
        if value not in (1, 2, 3, 4, 5):
            raise ValidationError(_("A scale answer is a number from 1 to 5."))
        answer.value_number = value
    elif kind == Question.Kind.YES_NO:
        if value not in (0, 1):
            raise ValidationError(_("A yes/no answer is 1 or 0."))
        answer.value_number = value
    elif kind == Question.Kind.SINGLE_CHOICE:
        if value not in range(1, len(question.choices) + 1):
            raise ValidationError(_("That choice is not one of the question's choices."))
        answer.value_number = value
    elif kind == Question.Kind.MULTI_CHOICE:
        positions = sorted(set(value))
        if not all(p in range(1, len(question.choices) + 1) for p in positions):
            raise ValidationError(_("That choice is not one of the question's choices."))
        answer.value_choices = positions
    else:
        text = str(value).strip()
        if not text:
            return None
        answer.value_text = text
    return answer


def response_submit(
    *,
    survey,
    values: dict,
    respondent_group: str = "",
    channel: str = Response.Channel.WEB,
    form_nonce: str | None = None,
    submitted_at=None,
    questions=None,
) -> Response:
    """Save one questionnaire with its answers, all or nothing.

    `values` maps question id → cleaned value: 1–5 for a scale, 1/0 for yes/no, the 1-based
    position for one choice, a list of positions for several choices, text for free text.
    Multi-choice answers store positions, not labels, so a wave answered in two languages adds up.
    Raises ValidationError on bad values and AlreadyReceived when `form_nonce` was used before.
    `questions` may pass the survey's questions already loaded.
    """
    if channel == Response.Channel.WEB and not survey.is_accepting_responses():
        raise ValidationError(_("This survey is not open for answers."))
    if channel == Response.Channel.PAPER and survey.status == Survey.Status.DRAFT:
        raise ValidationError(_("Paper answers can be entered once the survey has been opened."))
    response = Response(
        survey=survey,
        channel=channel,
        respondent_group=respondent_group or "",
        form_nonce=form_nonce,
        submitted_at=submitted_at or timezone.now(),
    )
    response.full_clean(exclude=["survey"], validate_unique=False)
    answers = []
    if questions is None:
        questions = survey.questions.all()
    for question in questions:
        if question.survey_id != survey.pk:
            raise ValidationError(_("That question belongs to another survey."))
        answer = _answer_for(question, values.get(question.pk))
        if answer is not None:
            # Field validators run here, the privacy screen of free text among them. The
            # question was loaded from the survey, so its foreign key needs no lookup.
            answer.full_clean(
                exclude=["response", "question"], validate_unique=False, validate_constraints=False
            )
            answers.append(answer)
    try:
        with transaction.atomic():
            response.save()
            for answer in answers:
                answer.response = response
            Answer.objects.bulk_create(answers)
    except IntegrityError as error:
        if form_nonce and Response.objects.filter(form_nonce=form_nonce).exists():
            raise AlreadyReceived from error
        raise
    return response


def answer_set_flagged(*, answer, flagged: bool) -> Answer:
    """Hide a free-text answer from readers (managers still see it), or show it again."""
    Answer.objects.filter(pk=answer.pk).update(is_flagged=flagged)
    answer.is_flagged = flagged
    return answer


def surveys_apply_schedule(*, now=None) -> dict:
    """Open drafts whose opening time has come and close open surveys whose closing time has
    passed. Conditional updates, so running it twice (or late) changes each survey once."""
    now = now or timezone.now()
    not_yet_closing = Q(closes_at__isnull=True) | Q(closes_at__gt=now)
    opened = (
        Survey.objects.filter(
            is_template=False,
            status=Survey.Status.DRAFT,
            opens_at__lte=now,
            questions__isnull=False,
        )
        .filter(not_yet_closing)
        .values_list("pk", flat=True)
        .distinct()
    )
    opened_count = Survey.objects.filter(pk__in=list(opened), status=Survey.Status.DRAFT).update(
        status=Survey.Status.OPEN
    )
    closed_count = Survey.objects.filter(
        is_template=False, status=Survey.Status.OPEN, closes_at__lte=now
    ).update(status=Survey.Status.CLOSED)
    return {"opened": opened_count, "closed": closed_count}


def answers_clear_expired_text(*, now=None) -> int:
    """Clear free-text answers older than FREE_TEXT_RETENTION_DAYS (architecture §6). The numbers
    and choices stay, so indexes and distributions are unchanged. Records the run as a
    `FreeTextClearance`. Returns how many were cleared."""
    from django.conf import settings

    now = now or timezone.now()
    cutoff = now - dt.timedelta(days=settings.FREE_TEXT_RETENTION_DAYS)
    with transaction.atomic():
        cleared = (
            Answer.objects.filter(response__submitted_at__lt=cutoff)
            .exclude(value_text="")
            .update(value_text="", is_flagged=False)
        )
        # What it cleared, for the admin (the DPO sees that free text really goes).
        FreeTextClearance.objects.create(
            task="surveys.clear_expired_free_text",
            ran_at=now,
            cutoff=cutoff,
            counts={"survey_answers": cleared},
            total=cleared,
        )
    return cleared
