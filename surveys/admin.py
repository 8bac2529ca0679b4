"""Django admin for surveys (templates included), questions, responses and answers."""

from django.contrib import admin

from amp_platform.expressions import count_of
from places.admin import LargeTableAdmin, PrettyJSONMixin, RollupAdmin

from .models import Answer, AnswerDay, Question, Response, Survey


class QuestionInline(PrettyJSONMixin, admin.StackedInline):
    model = Question
    fields = [
        ("order", "kind", "required", "in_safety_index"),
        ("text", "translated_text"),
        ("choices", "translated_choices"),
        "texts",
    ]
    extra = 0


@admin.register(Survey)
class SurveyAdmin(admin.ModelAdmin):
    list_display = [
        "title",
        "place",
        "is_template",
        "language",
        "status",
        "opens_at",
        "closes_at",
        "response_count",
    ]
    list_filter = ["status", "is_template", "language", "place"]
    search_fields = ["title", "place__name"]
    date_hierarchy = "created_at"
    autocomplete_fields = ["place"]
    list_select_related = ["place"]
    # The public link token is generated, unguessable and never typed in.
    readonly_fields = ["public_token", "created_at"]
    inlines = [QuestionInline]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(response_count=count_of(Response.objects.all(), "survey"))
        )

    @admin.display(description=Response._meta.verbose_name_plural, ordering="response_count")
    def response_count(self, obj):
        return obj.response_count


@admin.register(Question)
class QuestionAdmin(PrettyJSONMixin, admin.ModelAdmin):
    list_display = ["text", "survey", "order", "kind", "required", "in_safety_index"]
    list_filter = ["kind", "in_safety_index", "survey__is_template"]
    search_fields = ["text", "survey__title"]
    autocomplete_fields = ["survey"]
    list_select_related = ["survey"]


class AnswerInline(PrettyJSONMixin, admin.TabularInline):
    model = Answer
    fields = ["question", "value_number", "value_choices", "value_text", "is_flagged"]
    autocomplete_fields = ["question"]
    extra = 0


@admin.register(Response)
class ResponseAdmin(LargeTableAdmin):
    list_display = ["survey", "submitted_at", "channel", "respondent_group"]
    list_filter = ["channel", "respondent_group"]
    search_fields = ["survey__title", "survey__place__name"]
    date_field = "submitted_at"
    autocomplete_fields = ["survey"]
    list_select_related = ["survey"]
    inlines = [AnswerInline]


@admin.register(Answer)
class AnswerAdmin(PrettyJSONMixin, admin.ModelAdmin):
    list_display = ["question", "response", "value_number", "is_flagged"]
    list_filter = ["is_flagged", "question__kind"]
    search_fields = ["value_text", "question__text"]
    autocomplete_fields = ["response", "question"]
    list_select_related = ["question", "response__survey"]
    show_full_result_count = False


@admin.register(AnswerDay)
class AnswerDayAdmin(RollupAdmin):
    list_display = ["place", "day", "survey", "responses", "index_sum", "index_answers"]
    list_select_related = ["place", "survey"]
