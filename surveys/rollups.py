"""The survey rollup (issue #20): per place, local day of submission and survey, the number of
responses and the sum and number of their answers to safety-index questions – enough for the
safety index of any whole-day period (mean = sum ÷ number, exactly as AVG over the answers).
Kept by database triggers; see places/rollups.py for how and why.

An answer counts when its question is in the safety index, it has a number and its response's
survey is not a template. Besides the answers' own triggers, a response moved to another day
or survey, a question put in or out of the index and a survey moved to another place (or made a
template) move the contributions of their answers, each in one grouped statement."""

from places.rollups import Rollup, local_date


def survey_rollups() -> list[Rollup]:
    from .models import Answer, AnswerDay, Question, Response, Survey

    answers, questions = Answer._meta.db_table, Question._meta.db_table
    responses, surveys = Response._meta.db_table, Survey._meta.db_table
    target = AnswerDay._meta.db_table

    def answer_select(row, sign, connection):
        day = local_date("r.submitted_at", connection)
        return (
            f"SELECT s.place_id, {day}, s.id, 0, {sign} * {row}.value_number, {sign} "
            f"FROM {responses} r JOIN {surveys} s ON s.id = r.survey_id "
            f"JOIN {questions} q ON q.id = {row}.question_id "
            f"WHERE r.id = {row}.response_id AND q.in_safety_index "
            f"AND {row}.value_number IS NOT NULL AND NOT s.is_template"
        )

    def response_select(row, sign, connection):
        # The response itself and its in-index answers, in one row (one upsert per key).
        day = local_date(f"{row}.submitted_at", connection)
        return (
            f"SELECT s.place_id, {day}, s.id, {sign}, "
            f"{sign} * COALESCE((SELECT SUM(a.value_number) FROM {answers} a "
            f"JOIN {questions} q ON q.id = a.question_id WHERE a.response_id = {row}.id "
            f"AND q.in_safety_index AND a.value_number IS NOT NULL), 0), "
            f"{sign} * (SELECT COUNT(*) FROM {answers} a "
            f"JOIN {questions} q ON q.id = a.question_id WHERE a.response_id = {row}.id "
            f"AND q.in_safety_index AND a.value_number IS NOT NULL) "
            f"FROM {surveys} s WHERE s.id = {row}.survey_id AND NOT s.is_template"
        )

    def question_select(row, sign, connection):
        day = local_date("r.submitted_at", connection)
        return (
            f"SELECT s.place_id, {day}, s.id, 0, {sign} * SUM(a.value_number), "
            f"{sign} * COUNT(*) FROM {answers} a JOIN {responses} r ON r.id = a.response_id "
            f"JOIN {surveys} s ON s.id = r.survey_id "
            f"WHERE a.question_id = {row}.id AND {row}.in_safety_index "
            f"AND a.value_number IS NOT NULL AND NOT s.is_template "
            f"GROUP BY s.place_id, {day}, s.id"
        )

    def per_response(where_answers: str) -> str:
        return (
            f"LEFT JOIN (SELECT a.response_id, SUM(a.value_number) AS total, COUNT(*) AS n "
            f"FROM {answers} a JOIN {questions} q ON q.id = a.question_id "
            f"WHERE q.in_safety_index AND a.value_number IS NOT NULL{where_answers} "
            f"GROUP BY a.response_id) x ON x.response_id = r.id"
        )

    def survey_select(row, sign, connection):
        day = local_date("r.submitted_at", connection)
        return (
            f"SELECT {row}.place_id, {day}, {row}.id, {sign} * COUNT(*), "
            f"{sign} * COALESCE(SUM(x.total), 0), {sign} * COALESCE(SUM(x.n), 0) "
            f"FROM {responses} r {per_response(f' AND q.survey_id = {row}.id')} "
            f"WHERE r.survey_id = {row}.id AND NOT {row}.is_template GROUP BY {day}"
        )

    def rebuild(connection):
        day = local_date("r.submitted_at", connection)
        return (
            f"INSERT INTO {target} (place_id, day, survey_id, responses, index_sum, "
            f"index_answers) SELECT s.place_id, {day}, s.id, COUNT(*), "
            f"COALESCE(SUM(x.total), 0), COALESCE(SUM(x.n), 0) "
            f"FROM {responses} r JOIN {surveys} s ON s.id = r.survey_id {per_response('')} "
            f"WHERE NOT s.is_template GROUP BY s.place_id, {day}, s.id ORDER BY 1, 2, 3"
        )

    return [
        Rollup(
            name="answer_day",
            source=answers,
            target=target,
            keys=["place_id", "day", "survey_id"],
            values=["responses", "index_sum", "index_answers"],
            watch=["response_id", "question_id", "value_number"],
            select=answer_select,
            rebuild=rebuild,
            movers=[
                ("answer_day_response", responses, ["survey_id", "submitted_at"], response_select),
                ("answer_day_question", questions, ["in_safety_index"], question_select),
                ("answer_day_survey", surveys, ["place_id", "is_template"], survey_select),
            ],
        )
    ]
