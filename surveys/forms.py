from django import forms
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from accounts.bounds import BoundedDateTimeField, end_not_before_start
from places.privacy import validate_no_personal_data
from places.screening import ScreenedFormMixin

from .models import CLOSES_BEFORE_OPENS, Question, Response, Survey
from .queries import yes_no_options
from .services import TEXT_MAX_LENGTH

DEFAULT_SCALE_LABELS = {
    "sv": ["Mycket otrygg", "Ganska otrygg", "Varken eller", "Ganska trygg", "Mycket trygg"],
    "en": ["Very unsafe", "Fairly unsafe", "Neither", "Fairly safe", "Very safe"],
}


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%dT%H:%M")


class SurveyCreateForm(forms.Form):
    title = forms.CharField(label=_("Survey title"), max_length=200)
    template = forms.ModelChoiceField(
        label=_("Start from"),
        queryset=Survey.objects.filter(is_template=True).order_by("language", "title"),
        required=False,
        empty_label=_("An empty survey (add your own questions)"),
        help_text=_(
            "The standard template asks NTU-style questions: how safe one feels in the evening "
            "and daytime, worry about crime, avoiding the place, problems seen and what would "
            "make the place safer. You can change the questions while the survey is a draft."
        ),
    )
    language = forms.ChoiceField(
        label=_("Language of an empty survey"),
        choices=Survey.Language.choices,
        initial=Survey.Language.SWEDISH,
        help_text=_("A template brings its own language (with the other language as translation)."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["template"].label_from_instance = lambda t: (
            f"{t.title} ({t.get_language_display()})"
        )


class SurveySettingsForm(ScreenedFormMixin, forms.ModelForm):
    class Meta:
        model = Survey
        fields = [
            "title",
            "intro",
            "translated_title",
            "translated_intro",
            "opens_at",
            "closes_at",
        ]
        field_classes = {"opens_at": BoundedDateTimeField, "closes_at": BoundedDateTimeField}
        widgets = {
            "intro": forms.Textarea(attrs={"rows": 3}),
            "translated_intro": forms.Textarea(attrs={"rows": 3}),
            "opens_at": DateTimeLocalInput(),
            "closes_at": DateTimeLocalInput(),
        }
        help_texts = {
            "opens_at": _("A draft opens by itself at this time (checked every five minutes)."),
            "closes_at": _("An open survey closes by itself at this time."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("intro", "translated_intro", "title", "translated_title"):
            self.fields[name].validators.append(validate_no_personal_data)
        end_not_before_start(self, "opens_at", "closes_at", CLOSES_BEFORE_OPENS, strict=True)


def _lines(value) -> list[str]:
    return [line.strip() for line in (value or "").splitlines() if line.strip()]


class QuestionForm(ScreenedFormMixin, forms.ModelForm):
    """A question with its answer choices typed one per line."""

    choices = forms.CharField(
        label=_("Answer choices"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "One per line. For a 1–5 scale: five labels from 1 (least safe / worst) to 5 "
            "(safest / best); leave empty for the standard labels. Not used for yes/no and "
            "free text."
        ),
    )
    translated_choices = forms.CharField(
        label=_("Answer choices in the other language"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Optional; one per line in the same order."),
    )

    class Meta:
        model = Question
        fields = [
            "text",
            "translated_text",
            "kind",
            "choices",
            "translated_choices",
            "required",
            "in_safety_index",
            "order",
        ]
        help_texts = {
            "order": _("Questions are shown in increasing order."),
            "in_safety_index": _(
                "Only for 1–5 scales that ask how safe one feels; their answers make up the "
                "safety index (0–100)."
            ),
        }

    def __init__(self, *args, survey, **kwargs):
        self.survey = survey
        self.place = survey.place
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["choices"] = "\n".join(self.instance.choices or [])
            self.initial["translated_choices"] = "\n".join(self.instance.translated_choices or [])
        self.fields["text"].validators.append(validate_no_personal_data)
        self.fields["translated_text"].validators.append(validate_no_personal_data)
        self.fields["order"].required = False

    def clean_order(self):
        return self.cleaned_data.get("order") or 0

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("kind")
        choices = _lines(cleaned.get("choices"))
        translated = _lines(cleaned.get("translated_choices"))
        for label in choices + translated:
            validate_no_personal_data(label)
        if kind in (Question.Kind.YES_NO, Question.Kind.TEXT):
            choices, translated = [], []
        elif kind == Question.Kind.SCALE5 and not choices:
            choices = DEFAULT_SCALE_LABELS[self.survey.language]
            translated = translated or DEFAULT_SCALE_LABELS[self.survey.other_language]
        cleaned["choices"] = choices
        cleaned["translated_choices"] = translated
        # Also on the instance: ModelForm keeps a field's old value when the browser omitted it.
        self.instance.choices = choices
        self.instance.translated_choices = translated
        return cleaned


class ResponseForm(ScreenedFormMixin, forms.Form):
    """One questionnaire: a field per question (`q<id>`) and the respondent group.

    Used by the public answer page (in the visitor's language) and by managers typing in paper
    questionnaires. Values are cleaned into what `response_submit` stores: numbers and positions.
    """

    respondent_group = forms.TypedChoiceField(
        label=_("How are you connected to the place?"),
        choices=Response.RespondentGroup.choices,
        required=False,
        widget=forms.RadioSelect,
    )

    screening_record = "surveys.Answer"

    def __init__(self, *args, questions, language, honeypot=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = questions
        self.language = language
        with translation.override(language):
            messages = {
                "required": str(_("Answer this question to continue.")),
                "invalid_choice": str(_("Choose one of the answers given.")),
            }
            for question in questions:
                self.fields[self.field_name(question)] = self._field_for(question, messages)
            self.fields["respondent_group"].choices = [
                (key, str(label)) for key, label in Response.RespondentGroup.choices
            ]
            self.fields["respondent_group"].label = str(self.fields["respondent_group"].label)
            self.fields["respondent_group"].error_messages["invalid_choice"] = messages[
                "invalid_choice"
            ]
        if honeypot:
            # Invisible to people (hidden by CSS and from assistive technology); bots fill it.
            self.fields["website"] = forms.CharField(required=False, label="Website")

    def screening_place(self):
        # Loaded only when a confirmation is recorded: the public page keeps its two queries.
        return self.questions[0].survey.place if self.questions else None

    @staticmethod
    def field_name(question) -> str:
        return f"q{question.pk}"

    def _field_for(self, question, messages):
        label = question.text_in(self.language)
        common = {"label": label, "required": question.required, "error_messages": messages}
        if question.kind == Question.Kind.TEXT:
            return forms.CharField(
                widget=forms.Textarea(attrs={"rows": 4}),
                max_length=TEXT_MAX_LENGTH,
                validators=[validate_no_personal_data],
                **common,
            )
        if question.kind == Question.Kind.YES_NO:
            options = yes_no_options(self.language)
        else:
            options = list(enumerate(question.labels_in(self.language), 1))
        if question.kind == Question.Kind.MULTI_CHOICE:
            return forms.TypedMultipleChoiceField(
                choices=options, coerce=int, widget=forms.CheckboxSelectMultiple, **common
            )
        return forms.TypedChoiceField(
            choices=options, coerce=int, empty_value=None, widget=forms.RadioSelect, **common
        )

    def values(self) -> dict:
        """question id → cleaned value, for `response_submit`."""
        return {q.pk: self.cleaned_data.get(self.field_name(q)) for q in self.questions}

    def question_blocks(self):
        """What the template needs to render each question as a fieldset with a legend, its
        options, and errors tied to the inputs with aria-describedby."""
        blocks = []
        for question in self.questions:
            bound = self[self.field_name(question)]
            blocks.append(_block(bound, question=question))
        return blocks

    def group_block(self):
        return _block(self["respondent_group"], question=None)

    @property
    def honeypot_field(self):
        return self["website"] if "website" in self.fields else None

    def error_summary(self):
        """(anchor id, message) per field with errors, in page order, for the error summary."""
        items = []
        for block in [*self.question_blocks(), self.group_block()]:
            for error in block["errors"]:
                items.append((block["first_input_id"], block["legend"], error))
        return items


def _block(bound, *, question):
    field = bound.field
    value = bound.value()
    if isinstance(value, (list, tuple)):
        selected = {str(v) for v in value}
    else:
        selected = {str(value)} if value not in (None, "") else set()
    base_id = bound.auto_id
    options = []
    if hasattr(field, "choices"):
        for index, (option_value, option_label) in enumerate(field.choices):
            if option_value in ("", None):
                continue
            options.append(
                {
                    "value": option_value,
                    "label": option_label,
                    "id": f"{base_id}_{index}",
                    "checked": str(option_value) in selected,
                }
            )
    return {
        "question": question,
        "bound": bound,
        "name": bound.html_name,
        "legend": field.label,
        "legend_id": f"{base_id}_legend",
        "error_id": f"{base_id}_error",
        "errors": list(bound.errors),
        "required": field.required,
        "kind": question.kind if question else "single_choice",
        "options": options,
        "text_value": value if isinstance(value, str) else "",
        "text_id": base_id,
        "max_length": getattr(field, "max_length", None),
        "first_input_id": options[0]["id"] if options else base_id,
    }
