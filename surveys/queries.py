"""Read-side queries for surveys: the safety index (trygghetsindex) and survey results.

The safety index of a set of responses is the mean of their answers to the questions marked
"in safety index" (1–5 scales, where 1 is the least safe and 5 the safest answer), rescaled to
0–100: index = (mean − 1) / 4 × 100. 0 means every answer was the least safe option, 100 the
safest, 50 the middle of the scale. Every in-index answer weighs the same; a respondent who
skipped a question simply adds no answer to it. Rounded to one decimal.

**Too few answers.** One rule, `enough_answers`, decides whether an index, a distribution or
free text may be shown: a survey (or a period, or a respondent group) needs
`settings.SURVEY_MIN_ANSWERS` responses (10 by default). Below that the index is None with
`"too_few": True`, and every page says "för få svar ännu" instead of one person's view as a
headline. Every index function here applies it, so the dashboard, the lägesbild, the public
page and the API all follow it.

Everything here aggregates in SQL with a fixed number of queries, whatever the number of
responses (architecture §5, §8). The index of a place over whole local days comes from the daily
rollup (`AnswerDay`, kept by database triggers: per place, local day and wave the responses and
the sum and number of in-index answers), so its mean is sum ÷ number – the same float as AVG over
the answers, since the sum of whole numbers is exact. A period not made of whole local days is
computed from the answers themselves.
"""

import datetime as dt

from django.conf import settings
from django.db import connection, connections, router
from django.db.models import Avg, Count, FloatField, IntegerField, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Cast, Coalesce
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from amp_platform import raw_sql

from .models import Answer, AnswerDay, Question, Response, Survey

# No bound on that side (a day far outside any stored date).
_OPEN = object()

YES = _("Yes")
NO = _("No")


def _index_from(avg_value):
    if avg_value is None:
        return None
    return round((float(avg_value) - 1) / 4 * 100, 1)


def min_answers() -> int:
    return settings.SURVEY_MIN_ANSWERS


def enough_answers(responses: int | None) -> bool:
    """The one rule (issue #19): are there enough responses to show an index, a distribution
    or free text? Below `SURVEY_MIN_ANSWERS` they would show one or two people's views."""
    return (responses or 0) >= min_answers()


def shown_index(avg_value, responses: int | None) -> float | None:
    """The 0–100 index of an average answer, or None when there are too few responses."""
    return _index_from(avg_value) if enough_answers(responses) else None


def _index_row(avg_value, responses: int) -> dict | None:
    """{"index", "responses", "too_few"} – None when no in-index answer was given at all."""
    if avg_value is None:
        return None
    too_few = not enough_answers(responses)
    return {
        "index": None if too_few else _index_from(avg_value),
        "responses": responses,
        "too_few": too_few,
    }


def _avg_value():
    return Avg(Cast("value_number", FloatField()))


def _whole_day(moment):
    """The local date `moment` starts, when it is a local midnight (or None: no bound → _OPEN);
    None when it falls inside a day, and the rollup cannot answer."""
    if moment is None:
        return _OPEN
    if not isinstance(moment, dt.datetime) or timezone.is_naive(moment):
        return None
    local = timezone.localtime(moment, timezone.get_default_timezone())
    if local.time() != dt.time.min:
        return None
    return local.date()


def _days_q(start, end) -> Q | None:
    """The rollup rows of [start, end) (datetimes or None), or None when a bound is not a local
    midnight."""
    first, last = _whole_day(start), _whole_day(end)
    if first is None or last is None:
        return None
    condition = Q()
    if first is not _OPEN:
        condition &= Q(day__gte=first)
    if last is not _OPEN:
        condition &= Q(day__lt=last)
    return condition


def _days_sql(start, end) -> tuple[str, list] | None:
    """Like `_days_q`, as an SQL condition on `day` and its parameters."""
    first, last = _whole_day(start), _whole_day(end)
    if first is None or last is None:
        return None
    parts, params = ["1 = 1"], []
    if first is not _OPEN:
        parts.append("day >= %s")
        params.append(connection.ops.adapt_datefield_value(first))
    if last is not _OPEN:
        parts.append("day < %s")
        params.append(connection.ops.adapt_datefield_value(last))
    return " AND ".join(parts), params


def _from_sums(total, answers, responses) -> dict | None:
    if not answers:
        return None
    return _index_row(total / answers, responses or 0)


def safety_index(*, place, start=None, end=None) -> dict | None:
    """Safety index of a place's responses submitted in [start, end) (datetimes), or None when
    no in-index answer was given. {"index": 0–100 with one decimal, "responses": count of the
    responses submitted in the period}. One query: `safety_index_by_place` for one place (from
    the daily rollup when the bounds are local midnights or open, as the survey results page's
    all-time index is)."""
    return safety_index_by_place(place_ids=[place.pk], start=start, end=end).get(place.pk)


def safety_index_in_periods(*, place, periods: dict[str, tuple]) -> dict[str, dict | None]:
    """`safety_index` of one place for several periods at once: {key: {"index", "responses"}
    or None}, where `periods` maps a key to [start, end) datetimes. One query over the
    responses of all the periods, each period's figures picked out by a filter – the same
    numbers `safety_index` gives for each period on its own."""
    days = {key: _days_sql(start, end) for key, (start, end) in periods.items()}
    if periods and all(condition is not None for condition in days.values()):
        # Written as SQL: the ORM's building of the filtered sums cost more than the query.
        sums, params, any_day, any_params = [], [], [], []
        for condition, condition_params in days.values():
            for column in ("index_sum", "index_answers", "responses"):
                sums.append(f"SUM({column}) FILTER (WHERE {condition})")
                params += condition_params
            any_day.append(f"({condition})")
            any_params += condition_params
        with connections[router.db_for_read(AnswerDay)].cursor() as cursor:
            cursor.execute(
                f"SELECT {', '.join(sums)} FROM {AnswerDay._meta.db_table} "
                f"WHERE place_id = %s AND ({' OR '.join(any_day)})",
                [*params, place.pk, *any_params],
            )
            row = cursor.fetchone()
        return {
            key: _from_sums(*row[3 * position : 3 * position + 3])
            for position, key in enumerate(periods)
        }
    in_index = Q(answers__question__in_safety_index=True, answers__value_number__isnull=False)
    in_any = Q()
    aggregates = {}
    for position, (start, end) in enumerate(periods.values()):
        within = Q(submitted_at__gte=start, submitted_at__lt=end)
        in_any |= within
        aggregates[f"avg_{position}"] = Avg(
            Cast("answers__value_number", FloatField()), filter=in_index & within
        )
        aggregates[f"responses_{position}"] = Count("id", distinct=True, filter=within)
    row = (
        Response.objects.filter(survey__place=place, survey__is_template=False)
        .filter(in_any)
        .aggregate(**aggregates)
    )
    result = {}
    for position, key in enumerate(periods):
        result[key] = _index_row(row[f"avg_{position}"], row[f"responses_{position}"])
    return result


def safety_index_by_place(*, place_ids, start=None, end=None) -> dict[int, dict]:
    """`safety_index` for many places in one grouped query: {place_id: {"index", "responses"}}
    (places without in-index answers are left out). For overviews across places."""
    days = _days_q(start, end)
    if days is not None:
        rows = (
            AnswerDay.objects.filter(place_id__in=list(place_ids))
            .filter(days)
            .values("place_id")
            .annotate(total=Sum("index_sum"), answers=Sum("index_answers"), n=Sum("responses"))
            .order_by()
        )
        indexes = {
            row["place_id"]: _from_sums(row["total"], row["answers"], row["n"]) for row in rows
        }
        return {place_id: value for place_id, value in indexes.items() if value}
    responses = Response.objects.filter(
        survey__place_id__in=list(place_ids), survey__is_template=False
    )
    if start is not None:
        responses = responses.filter(submitted_at__gte=start)
    if end is not None:
        responses = responses.filter(submitted_at__lt=end)
    in_index = Q(answers__question__in_safety_index=True, answers__value_number__isnull=False)
    rows = (
        responses.order_by()
        .values("survey__place_id")
        .annotate(
            avg=Avg(Cast("answers__value_number", FloatField()), filter=in_index),
            n=Count("id", distinct=True),
        )
    )
    return {
        row["survey__place_id"]: _index_row(row["avg"], row["n"])
        for row in rows
        if row["avg"] is not None
    }


def _index_subquery():
    return Subquery(
        Answer.objects.filter(
            question__survey=OuterRef("pk"),
            question__in_safety_index=True,
            value_number__isnull=False,
        )
        .order_by()
        .values("question__survey")
        .annotate(avg=_avg_value())
        .values("avg"),
        output_field=FloatField(),
    )


def _response_count_subquery():
    return Coalesce(
        Subquery(
            Response.objects.filter(survey=OuterRef("pk"))
            .order_by()
            .values("survey")
            .annotate(n=Count("id"))
            .values("n"),
            output_field=IntegerField(),
        ),
        0,
    )


def safety_index_by_survey(*, place) -> list[dict]:
    """The index per survey (wave) of a place, oldest first, in one query (the waves' sums from
    the daily rollup, grouped per wave).

    Each row: survey_id, title, status, opens_at, closes_at, created_at, index (None when no
    in-index answers or too few responses), responses, too_few.
    """
    # Written as SQL (issue #20), the statement the ORM built: it cost more than the database.
    # Grouped by the survey's key, so its other columns may be selected as they are.
    names = ["id", "title", "status", "opens_at", "closes_at", "created_at"]
    names += ["total", "answers", "n_responses"]
    moment = raw_sql.converter(Survey._meta.get_field("created_at"), model=Survey)
    rows = [
        dict(zip(names, row, strict=True))
        for row in raw_sql.read(
            Survey,
            "SELECT s.id, s.title, s.status, s.opens_at, s.closes_at, s.created_at, "
            "SUM(d.index_sum), SUM(d.index_answers), COALESCE(SUM(d.responses), 0) "
            f"FROM {Survey._meta.db_table} s "
            f"LEFT JOIN {AnswerDay._meta.db_table} d ON d.survey_id = s.id "
            "WHERE NOT s.is_template AND s.place_id = %s "
            "GROUP BY s.id ORDER BY s.created_at ASC, s.id ASC",
            [place.pk],
        )
    ]
    for row in rows:
        for name in ("opens_at", "closes_at", "created_at"):
            row[name] = moment(row[name])
    return [
        {
            "survey_id": row["id"],
            "title": row["title"],
            "status": row["status"],
            "opens_at": row["opens_at"],
            "closes_at": row["closes_at"],
            "created_at": row["created_at"],
            "index": (
                shown_index(row["total"] / row["answers"], row["n_responses"])
                if row["answers"]
                else None
            ),
            "responses": row["n_responses"],
            "too_few": not enough_answers(row["n_responses"]),
        }
        for row in rows
    ]


def previous_survey(survey) -> Survey | None:
    """The place's wave before this one: the latest earlier survey that was opened."""
    return (
        Survey.objects.filter(place_id=survey.place_id, is_template=False)
        .exclude(pk=survey.pk)
        .exclude(status=Survey.Status.DRAFT)
        .filter(
            Q(created_at__lt=survey.created_at) | Q(created_at=survey.created_at, pk__lt=survey.pk)
        )
        .order_by("-created_at", "-pk")
        .first()
    )


def _multi_choice_counts(survey) -> dict[tuple[int, int], int]:
    """(question id, position) → how many picked it. Positions live in a JSON list, which each
    database unnests its own way; still one grouped query."""
    answer_table = Answer._meta.db_table
    question_table = Question._meta.db_table
    if connection.vendor == "postgresql":
        sql = (
            f"SELECT a.question_id, (e.value)::int, COUNT(*) FROM {answer_table} a "
            f"JOIN {question_table} q ON q.id = a.question_id "
            "CROSS JOIN LATERAL jsonb_array_elements_text(a.value_choices) AS e(value) "
            "WHERE q.survey_id = %s AND q.kind = 'multi_choice' AND e.value ~ '^[0-9]+$' "
            "GROUP BY 1, 2"
        )
    else:
        sql = (
            f"SELECT a.question_id, CAST(e.value AS INTEGER), COUNT(*) FROM {answer_table} a "
            f"JOIN {question_table} q ON q.id = a.question_id, json_each(a.value_choices) e "
            "WHERE q.survey_id = %s AND q.kind = 'multi_choice' AND e.type = 'integer' "
            "GROUP BY 1, 2"
        )
    with connections[router.db_for_read(Answer)].cursor() as cursor:
        cursor.execute(sql, [survey.pk])
        return {(qid, int(pos)): n for qid, pos, n in cursor.fetchall()}


def _scale_means(survey) -> dict[str, float]:
    """Mean per 1–5 scale question, keyed by question text (to match waves)."""
    rows = (
        Answer.objects.filter(
            question__survey=survey, question__kind=Question.Kind.SCALE5, value_number__isnull=False
        )
        .order_by()
        .values("question__text")
        .annotate(avg=_avg_value())
    )
    return {row["question__text"]: row["avg"] for row in rows}


def survey_results(*, survey, language: str) -> dict:
    """Everything the results page shows, in a fixed number of queries (about ten).

    - responses: total, web, paper
    - index: the survey's safety index (0–100) or None
    - questions: per question its distribution (label, count, share %), answered count and,
      for scales, the mean (1–5); multi-choice shares are of all responses
    - groups: per respondent group the responses and the index
    - previous: the previous wave of the place with its index and the change in points, and
      per scale question (matched by text) the previous mean
    """
    questions = list(survey.questions.select_related("survey"))
    totals = Response.objects.filter(survey=survey).aggregate(
        total=Count("id"),
        web=Count("id", filter=Q(channel=Response.Channel.WEB)),
        paper=Count("id", filter=Q(channel=Response.Channel.PAPER)),
    )
    value_counts: dict[tuple[int, int], int] = {}
    for qid, value, n in (
        Answer.objects.filter(question__survey=survey, value_number__isnull=False)
        .order_by()
        .values_list("question_id", "value_number")
        .annotate(n=Count("id"))
    ):
        value_counts[(qid, value)] = n
    answered = dict(
        Answer.objects.filter(question__survey=survey)
        .order_by()
        .values_list("question_id")
        .annotate(n=Count("id"))
    )
    multi_counts = _multi_choice_counts(survey)
    group_rows = (
        Response.objects.filter(survey=survey)
        .order_by()
        .values("respondent_group")
        .annotate(
            n=Count("id", distinct=True),
            avg=Avg(
                Cast("answers__value_number", FloatField()),
                filter=Q(
                    answers__question__in_safety_index=True,
                    answers__value_number__isnull=False,
                ),
            ),
        )
    )
    groups_by_key = {row["respondent_group"]: row for row in group_rows}
    index = safety_index_for_survey(survey)

    result_questions = []
    current_means = {}
    for question in questions:
        labels = question.labels_in(language)
        if question.kind == Question.Kind.YES_NO:
            options = yes_no_options(language)
        elif question.has_options:
            options = list(enumerate(labels, 1))
        else:
            options = []
        n_answered = answered.get(question.pk, 0)
        if question.kind == Question.Kind.MULTI_CHOICE:
            counts = [
                (value, label, multi_counts.get((question.pk, value), 0))
                for value, label in options
            ]
            base = totals["total"]
        else:
            counts = [
                (value, label, value_counts.get((question.pk, value), 0))
                for value, label in options
            ]
            base = n_answered
        distribution = [
            {"value": value, "label": label, "count": n, "share": (n * 100 / base) if base else 0}
            for value, label, n in counts
        ]
        mean = None
        if question.kind == Question.Kind.SCALE5 and n_answered:
            mean = sum(value * n for value, _label, n in counts) / n_answered
            current_means[question.text] = mean
        result_questions.append(
            {
                "question": question,
                "text": question.text_in(language),
                "answered": n_answered,
                "distribution": distribution,
                "mean": mean,
            }
        )

    groups = []
    for key, label in [*Response.RespondentGroup.choices, ("", None)]:
        row = groups_by_key.get(key)
        if row:
            groups.append(
                {
                    "key": key,
                    "label": label,
                    "responses": row["n"],
                    "index": shown_index(row["avg"], row["n"]),
                }
            )

    previous = previous_survey(survey)
    comparison = None
    if previous is not None:
        previous_index = safety_index_for_survey(previous)
        previous_enough = bool(previous_index) and not previous_index["too_few"]
        previous_means = _scale_means(previous) if previous_enough else {}
        for entry in result_questions:
            entry["previous_mean"] = previous_means.get(entry["question"].text)
        comparison = {
            "survey": previous,
            "index": previous_index,
            "change": (
                round(index["index"] - previous_index["index"], 1)
                if index and index["index"] is not None and previous_enough
                else None
            ),
        }
    enough = enough_answers(totals["total"])
    if not enough:
        # Below the minimum nothing per question is shown (pages and API alike): one answer's
        # distribution is that person's answer.
        for entry in result_questions:
            entry["distribution"] = []
            entry["mean"] = None
            entry["previous_mean"] = None
    return {
        "enough": enough,
        "min_answers": min_answers(),
        "responses": totals,
        "index": index,
        "questions": result_questions,
        "groups": groups,
        "previous": comparison,
    }


def safety_index_for_survey(survey) -> dict | None:
    """{"index", "responses"} over one survey's responses, or None. One query: the survey's
    rows of the daily rollup (the sums and numbers of its in-index answers and its responses),
    a few hundred rows instead of every answer joined to its question (issue #20). Templates,
    which the rollup leaves out, take no responses (the public form and the workspace open
    only a place's own surveys)."""
    row = AnswerDay.objects.filter(survey=survey).aggregate(
        total=Sum("index_sum"), answers=Sum("index_answers"), responses=Sum("responses")
    )
    return _from_sums(row["total"], row["answers"], row["responses"])


def yes_no_options(language) -> list[tuple[int, str]]:
    """Yes = 1, no = 0, labelled in `language`."""
    with translation.override(language):
        return [(1, str(YES)), (0, str(NO))]


def text_answers(*, survey, include_flagged: bool, question=None):
    """Free-text answers of a survey, newest first; flagged ones only for managers. None at
    all while the survey has too few responses (their words would point at them)."""
    if not enough_answers(Response.objects.filter(survey=survey).count()):
        return Answer.objects.none()
    answers = (
        Answer.objects.filter(question__survey=survey, question__kind=Question.Kind.TEXT)
        .exclude(value_text="")
        .select_related("question", "response")
        .order_by("-response__submitted_at", "-pk")
    )
    if question is not None:
        answers = answers.filter(question=question)
    if not include_flagged:
        answers = answers.filter(is_flagged=False)
    return answers


def export_rows(*, survey):
    """Rows for the CSV export, streamed from one ordered query (never the whole table in
    memory): yields (response, {question_id: answer values}) per response."""
    rows = (
        Response.objects.filter(survey=survey)
        .order_by("submitted_at", "pk")
        .values_list(
            "pk",
            "submitted_at",
            "channel",
            "respondent_group",
            "answers__question_id",
            "answers__value_number",
            "answers__value_choices",
            "answers__value_text",
        )
        .iterator(chunk_size=2000)
    )
    current = None
    answers: dict = {}
    for pk, submitted_at, channel, group, qid, number, choices, text in rows:
        if current is None or current[0] != pk:
            if current is not None:
                yield current, answers
            current, answers = (pk, submitted_at, channel, group), {}
        if qid is not None:
            answers[qid] = (number, choices, text)
    if current is not None:
        yield current, answers
