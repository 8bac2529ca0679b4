import secrets

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.bounds import (
    validate_event_datetime,
    validate_planning_datetime,
    validate_storable_json,
)
from places.models import Place, PlaceScopedQuerySet, rollup_key
from places.privacy import validate_no_personal_data


def _public_token():
    return secrets.token_urlsafe(18)


class SurveyQuerySet(PlaceScopedQuerySet):
    pass


CLOSES_BEFORE_OPENS = _("The closing time must be after the opening.")


class Survey(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    class Language(models.TextChoices):
        SWEDISH = "sv", _("Swedish")
        ENGLISH = "en", _("English")

    place = models.ForeignKey(
        Place,
        verbose_name=_("place"),
        on_delete=models.CASCADE,
        related_name="surveys",
        null=True,
        blank=True,
        help_text=_("Empty for a template that new surveys are copied from."),
    )
    is_template = models.BooleanField(_("template"), default=False)
    language = models.CharField(
        _("language"),
        max_length=2,
        choices=Language.choices,
        default=Language.SWEDISH,
        help_text=_("The language of the questions (templates come in Swedish and English)."),
    )
    title = models.CharField(_("title"), max_length=200)
    intro = models.TextField(_("introduction"), blank=True, max_length=3000)
    # A wave is one survey whatever language a visitor picks: answers are stored as numbers and
    # choice positions, so the questions can carry their text in the other language too.
    translated_title = models.CharField(
        _("title in the other language"),
        max_length=200,
        blank=True,
        help_text=_("English for a Swedish survey, Swedish for an English one. Optional."),
    )
    translated_intro = models.TextField(
        _("introduction in the other language"), blank=True, max_length=3000
    )
    # Further public languages (issue #14: Arabic, Somali): {"ar": {"title": …, "intro": …}}.
    # Still one wave: answers are numbers and positions whatever the language.
    texts = models.JSONField(
        _("texts in more languages"),
        default=dict,
        blank=True,
        validators=[validate_storable_json],
        help_text=_('Per language code: {"ar": {"title": "…", "intro": "…"}}.'),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    opens_at = models.DateTimeField(
        _("opens at"), null=True, blank=True, validators=[validate_planning_datetime]
    )
    closes_at = models.DateTimeField(
        _("closes at"), null=True, blank=True, validators=[validate_planning_datetime]
    )
    public_token = models.CharField(
        _("public link token"), max_length=40, unique=True, default=_public_token, editable=False
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = SurveyQuerySet.as_manager()

    class Meta:
        verbose_name = _("survey")
        verbose_name_plural = _("surveys")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(opens_at__isnull=True)
                | Q(closes_at__isnull=True)
                | Q(closes_at__gt=F("opens_at")),
                name="survey_closes_after_opens",
            ),
            models.CheckConstraint(
                condition=Q(is_template=True) | Q(place__isnull=False),
                name="survey_has_place_unless_template",
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def other_language(self) -> str:
        return (
            self.Language.ENGLISH
            if self.language == self.Language.SWEDISH
            else self.Language.SWEDISH
        )

    def is_accepting_responses(self, now=None) -> bool:
        """Open, and not past a scheduled closing the periodic task has not applied yet."""
        now = now or timezone.now()
        return self.status == self.Status.OPEN and not (self.closes_at and self.closes_at <= now)

    def _more(self, language: str) -> dict:
        value = (self.texts or {}).get(language) if isinstance(self.texts, dict) else None
        return value if isinstance(value, dict) else {}

    def title_in(self, language: str) -> str:
        if language == self.language:
            return self.title
        if language == self.other_language:
            return self.translated_title or self.title
        return str(self._more(language).get("title") or self.title)

    def intro_in(self, language: str) -> str:
        if language == self.language:
            return self.intro
        if language == self.other_language:
            return self.translated_intro or self.intro
        return str(self._more(language).get("intro") or self.intro)

    def languages(self, questions) -> list[str]:
        """The languages a visitor may answer in: the survey's own, the other of sv/en when
        every question has it, and each further language every question has a text in."""
        codes = [self.language]
        if self.translated_title and all(q.translated_text for q in questions):
            codes.append(self.other_language)
        for code in self.texts or {}:
            if (
                code not in codes
                and self._more(code).get("title")
                and all(q.has_text_in(code) for q in questions)
            ):
                codes.append(code)
        return codes

    def clean(self):
        super().clean()
        if self.opens_at and self.closes_at and self.closes_at <= self.opens_at:
            raise ValidationError({"closes_at": CLOSES_BEFORE_OPENS})
        if not self.is_template and not self.place_id:
            raise ValidationError({"place": _("A survey belongs to a place.")})
        texts = self.texts or {}
        if not isinstance(texts, dict) or not all(isinstance(v, dict) for v in texts.values()):
            raise ValidationError(
                {"texts": _('Per language code: {"ar": {"title": "…", "intro": "…"}}.')}
            )


class Question(models.Model):
    class Kind(models.TextChoices):
        SCALE5 = "scale5", _("Scale 1–5")
        YES_NO = "yes_no", _("Yes / no")
        SINGLE_CHOICE = "single_choice", _("One choice")
        MULTI_CHOICE = "multi_choice", _("Several choices")
        TEXT = "text", _("Free text")

    survey = models.ForeignKey(
        Survey, on_delete=models.CASCADE, related_name="questions", verbose_name=_("survey")
    )
    order = models.PositiveSmallIntegerField(
        _("order"), default=0, validators=[MaxValueValidator(1000)]
    )
    text = models.CharField(_("question"), max_length=300)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    choices = models.JSONField(
        _("choices"),
        default=list,
        blank=True,
        validators=[validate_storable_json],
        help_text=_(
            "List of answer labels. For a 1–5 scale: five labels from 1 (least safe/worst) to "
            "5 (safest/best)."
        ),
    )
    translated_text = models.CharField(
        _("question in the other language"),
        max_length=300,
        blank=True,
        help_text=_("English for a Swedish survey, Swedish for an English one. Optional."),
    )
    translated_choices = models.JSONField(
        _("choices in the other language"),
        default=list,
        blank=True,
        validators=[validate_storable_json],
    )
    # Further public languages (issue #14): {"ar": {"text": …, "choices": [… same order]}}.
    texts = models.JSONField(
        _("texts in more languages"),
        default=dict,
        blank=True,
        validators=[validate_storable_json],
        help_text=_('Per language code: {"ar": {"text": "…", "choices": ["…"]}}.'),
    )
    required = models.BooleanField(_("required"), default=False)
    in_safety_index = models.BooleanField(
        _("in safety index"),
        default=False,
        help_text=_("Scale answers of this question count in the safety index (0–100)."),
    )

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["survey", "order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(in_safety_index=False) | Q(kind="scale5"),
                name="question_index_only_scale",
            ),
        ]

    def __str__(self):
        return self.text

    @property
    def has_options(self) -> bool:
        return self.kind in (self.Kind.SCALE5, self.Kind.SINGLE_CHOICE, self.Kind.MULTI_CHOICE)

    def _more(self, language: str) -> dict:
        value = (self.texts or {}).get(language) if isinstance(self.texts, dict) else None
        return value if isinstance(value, dict) else {}

    def has_text_in(self, language: str) -> bool:
        more = self._more(language)
        choices = more.get("choices") or []
        return bool(more.get("text")) and (
            not self.choices or (isinstance(choices, list) and len(choices) == len(self.choices))
        )

    def text_in(self, language: str) -> str:
        if language == self.survey.language:
            return self.text
        if language == self.survey.other_language:
            return self.translated_text or self.text
        return str(self._more(language).get("text") or self.text)

    def labels_in(self, language: str) -> list[str]:
        """Answer labels in `language`, falling back to the survey's own language."""
        if language == self.survey.language:
            return list(self.choices)
        if language == self.survey.other_language:
            if self.translated_choices and len(self.translated_choices) == len(self.choices):
                return list(self.translated_choices)
            return list(self.choices)
        choices = self._more(language).get("choices")
        if isinstance(choices, list) and len(choices) == len(self.choices):
            return [str(choice) for choice in choices]
        return list(self.choices)

    def clean(self):
        super().clean()
        if self.kind == self.Kind.SCALE5 and len(self.choices or []) != 5:
            raise ValidationError({"choices": _("A 1–5 scale needs exactly five labels.")})
        if self.translated_choices and len(self.translated_choices) != len(self.choices or []):
            raise ValidationError(
                {
                    "translated_choices": _(
                        "Give as many translated choices as there are choices, in the same order."
                    )
                }
            )
        texts = self.texts or {}
        wrong_shape = not isinstance(texts, dict) or any(
            not isinstance(more, dict)
            or not isinstance(more.get("text", ""), str)
            or not isinstance(more.get("choices") or [], list)
            or (more.get("choices") and len(more["choices"]) != len(self.choices or []))
            for more in texts.values()
        )
        if wrong_shape:
            raise ValidationError(
                {
                    "texts": _(
                        "Give as many translated choices as there are choices, in the same order."
                    )
                }
            )
        if self.in_safety_index and self.kind != self.Kind.SCALE5:
            raise ValidationError(
                {"in_safety_index": _("Only 1–5 scale questions can count in the safety index.")}
            )
        if (
            self.kind in (self.Kind.SINGLE_CHOICE, self.Kind.MULTI_CHOICE)
            and len(self.choices or []) < 2
        ):
            raise ValidationError({"choices": _("A choice question needs at least two choices.")})
        if self.choices and not all(isinstance(c, str) and c.strip() for c in self.choices):
            raise ValidationError({"choices": _("Every choice must be a non-empty text.")})


class ResponseQuerySet(PlaceScopedQuerySet):
    place_lookup = "survey__place"


class Response(models.Model):
    """One questionnaire. No IP address, no name, nothing that identifies the respondent."""

    class Channel(models.TextChoices):
        WEB = "web", _("Web")
        PAPER = "paper", _("Paper")

    class RespondentGroup(models.TextChoices):
        RESIDENT = "resident", _("I live here")
        WORKS = "works", _("I work here")
        VISITOR = "visitor", _("I am visiting")
        OTHER = "other", _("Other")

    survey = models.ForeignKey(
        Survey, on_delete=models.CASCADE, related_name="responses", verbose_name=_("survey")
    )
    submitted_at = models.DateTimeField(
        _("submitted at"), default=timezone.now, validators=[validate_event_datetime]
    )
    channel = models.CharField(
        _("channel"), max_length=5, choices=Channel.choices, default=Channel.WEB
    )
    respondent_group = models.CharField(
        _("respondent group"), max_length=10, choices=RespondentGroup.choices, blank=True
    )
    # Digest of the one-time token the server put in the web form, so a replayed form is refused
    # by the database. It is random per form, stored nowhere else and says nothing about anyone.
    form_nonce = models.CharField(
        max_length=64,
        null=True,
        blank=True,
        unique=True,
        editable=False,
        verbose_name=_("form token"),
    )

    objects = ResponseQuerySet.as_manager()

    class Meta:
        verbose_name = _("response")
        verbose_name_plural = _("responses")
        ordering = ["-submitted_at"]
        indexes = [models.Index(fields=["survey", "submitted_at"], name="response_survey_time")]

    def __str__(self):
        return f"{self.survey} {self.submitted_at:%Y-%m-%d %H:%M}"


class Answer(models.Model):
    """One answer. Scale and yes/no answers are numbers so the index is computed in SQL."""

    response = models.ForeignKey(
        Response, on_delete=models.CASCADE, related_name="answers", verbose_name=_("response")
    )
    question = models.ForeignKey(
        Question, on_delete=models.CASCADE, related_name="answers", verbose_name=_("question")
    )
    value_number = models.SmallIntegerField(
        _("number"),
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text=_("1–5 for scales; 1 = yes, 0 = no; the choice's position for one choice."),
    )
    value_choices = models.JSONField(
        _("choices"), default=list, blank=True, validators=[validate_storable_json]
    )
    value_text = models.TextField(
        _("text"), blank=True, max_length=2000, validators=[validate_no_personal_data]
    )
    is_flagged = models.BooleanField(
        _("hidden from readers"),
        default=False,
        help_text=_("Flagged free-text answers are shown to managers only."),
    )

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [
            models.UniqueConstraint(fields=["response", "question"], name="answer_unique"),
        ]
        indexes = [models.Index(fields=["question", "value_number"], name="answer_question_value")]

    def __str__(self):
        return f"{self.question}: {self.value_number or self.value_text}"


class AnswerDay(models.Model):
    """Survey responses of a place per local day and survey (wave): how many responses, and the
    sum and number of their answers to safety-index questions (issue #20). Kept by database
    triggers (surveys/rollups.py); ids, a date and sums only – never an answer's text."""

    place = rollup_key(Place, _("place"))
    day = models.DateField(_("local day"))
    survey = models.ForeignKey(
        Survey,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,
        related_name="day_rollups",
        verbose_name=_("survey"),
    )
    responses = models.IntegerField(_("responses"), default=0)
    index_sum = models.BigIntegerField(_("sum of index answers"), default=0)
    index_answers = models.IntegerField(_("index answers"), default=0)

    class Meta:
        verbose_name = _("survey answers per day (rollup)")
        verbose_name_plural = _("survey answers per day (rollup)")
        ordering = ["place", "day"]
        constraints = [
            models.UniqueConstraint(fields=["place", "day", "survey"], name="answer_day_key")
        ]
        # A wave's index sums its rows (safety_index_by_survey).
        indexes = [models.Index(fields=["survey"], name="answer_day_survey")]

    def __str__(self):
        return f"{self.place_id} {self.day}: {self.responses}"
