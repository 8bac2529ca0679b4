"""Survey results in the API (issue #15): aggregates only – counts, shares, means and the
safety index. Free-text answers are never sent: they are the respondents' own words, read on
the results pages by the people who may (architecture §6)."""

from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import ApiScope
from places.access import place_access
from places.api import ERRORS, PlaceScopedList

from .models import Question, Survey
from .queries import (
    _index_subquery,
    _response_count_subquery,
    enough_answers,
    shown_index,
    survey_results,
)


class SurveySerializer(serializers.ModelSerializer):
    place = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    responses = serializers.IntegerField(source="n_responses", read_only=True)
    safety_index = serializers.SerializerMethodField()
    enough_answers = serializers.SerializerMethodField()

    class Meta:
        model = Survey
        fields = [
            "id",
            "place",
            "title",
            "status",
            "opens_at",
            "closes_at",
            "responses",
            "safety_index",
            "enough_answers",
        ]

    def get_safety_index(self, survey) -> float | None:
        """None while the survey has fewer than SURVEY_MIN_ANSWERS responses."""
        return shown_index(survey.avg_value, survey.n_responses)

    def get_enough_answers(self, survey) -> bool:
        return enough_answers(survey.n_responses)


def survey_queryset(user, place):
    return (
        Survey.objects.visible_to(user)
        .filter(place=place, is_template=False)
        .select_related("place")
        .annotate(avg_value=_index_subquery(), n_responses=_response_count_subquery())
    )


class SurveyList(PlaceScopedList):
    """A place's surveys (trygghetsmätningar) with their response counts and safety index."""

    serializer_class = SurveySerializer
    required_scopes = {"GET": ApiScope.SURVEYS_READ}
    ordering = ("-created_at", "-id")

    def filter_rows(self, access):
        # The list shows none of the texts in other languages (a JSON per survey).
        return survey_queryset(self.request.user, access.place).defer("texts")

    @extend_schema(responses={200: SurveySerializer(many=True), **ERRORS})
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


def _plain_results(survey, data) -> dict:
    previous = data["previous"]
    return {
        "survey": survey.pk,
        "responses": data["responses"],
        # Below min_answers the index, the distributions and the means are withheld.
        "enough_answers": data["enough"],
        "min_answers": data["min_answers"],
        "index": data["index"],
        "questions": [
            {
                "id": entry["question"].pk,
                "text": entry["text"],
                "kind": entry["question"].kind,
                "in_safety_index": entry["question"].in_safety_index,
                "answered": entry["answered"],
                "mean": entry["mean"],
                "distribution": entry["distribution"],
            }
            for entry in data["questions"]
            if entry["question"].kind != Question.Kind.TEXT
        ],
        "groups": [
            {"key": group["key"], "responses": group["responses"], "index": group["index"]}
            for group in data["groups"]
        ],
        "previous": (
            {
                "survey": previous["survey"].pk,
                "index": previous["index"],
                "change": previous["change"],
            }
            if previous
            else None
        ),
    }


class SurveyResults(APIView):
    """One survey's results as aggregates (no free text)."""

    required_scopes = {"GET": ApiScope.SURVEYS_READ}

    @extend_schema(responses={200: OpenApiTypes.OBJECT, **ERRORS})
    def get(self, request, place_slug, pk):
        access = place_access(request.user, place_slug)
        survey = get_object_or_404(
            Survey.objects.visible_to(request.user).filter(place=access.place, is_template=False),
            pk=pk,
        )
        survey.place = access.place
        return Response(
            _plain_results(survey, survey_results(survey=survey, language=survey.language))
        )
