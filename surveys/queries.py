"""Read-side queries for surveys: the safety index (trygghetsindex).

The safety index is the mean of the in-index 1–5 scale answers rescaled to 0–100:
(value − 1) / 4 × 100. 0 means everyone answered the least safe option, 100 the safest.
"""

from django.db.models import Avg, Count, FloatField, Q
from django.db.models.functions import Cast

from .models import Answer, Response, Survey


def _index_from(avg_value):
    if avg_value is None:
        return None
    return round((float(avg_value) - 1) / 4 * 100, 1)


def safety_index(*, place, start=None, end=None) -> dict | None:
    """Safety index of a place's responses submitted in [start, end) (datetimes), or None."""
    answers = Answer.objects.filter(
        question__in_safety_index=True,
        value_number__isnull=False,
        response__survey__place=place,
        response__survey__is_template=False,
    )
    responses = Response.objects.filter(survey__place=place, survey__is_template=False)
    if start is not None:
        answers = answers.filter(response__submitted_at__gte=start)
        responses = responses.filter(submitted_at__gte=start)
    if end is not None:
        answers = answers.filter(response__submitted_at__lt=end)
        responses = responses.filter(submitted_at__lt=end)
    avg = answers.aggregate(avg=Avg(Cast("value_number", FloatField())))["avg"]
    if avg is None:
        return None
    return {"index": _index_from(avg), "responses": responses.count()}


def safety_index_by_survey(*, place) -> list[dict]:
    """The index per survey (wave) of a place, oldest first, in one query."""
    rows = (
        Survey.objects.filter(place=place, is_template=False)
        .annotate(
            avg_value=Avg(
                Cast("questions__answers__value_number", FloatField()),
                filter=Q(questions__in_safety_index=True),
            ),
        )
        .order_by("created_at")
        .values("id", "title", "status", "opens_at", "closes_at", "avg_value", "created_at")
    )
    counts = dict(
        Response.objects.filter(survey__place=place)
        .values_list("survey_id")
        .annotate(n=Count("id"))
        .values_list("survey_id", "n")
    )
    return [
        {
            "survey_id": row["id"],
            "title": row["title"],
            "status": row["status"],
            "opens_at": row["opens_at"],
            "closes_at": row["closes_at"],
            "created_at": row["created_at"],
            "index": _index_from(row["avg_value"]),
            "responses": counts.get(row["id"], 0),
        }
        for row in rows
    ]
