"""Demo data for surveys: two waves of the trygghetsmätning on Möllevångstorget.

The spring wave is closed; the autumn wave is open (its public link works in the demo) and
shows a visible improvement of the safety index after a season of lighting fixes and evening
presence. Idempotent: each wave is found by its title and gets responses only once.

A third wave is a draft, for next spring (issue #19): opening it asks first and warns that the
autumn wave is still open; deleting it, or one of its questions, asks first too.
"""

import datetime as dt

from surveys.models import Answer, Response, Survey
from surveys.services import survey_create

PLACE_SLUG = "mollevangstorget"

# Weights for answers 1..5 to the evening and the daytime question in each wave.
WAVES = [
    {
        "title": "Trygghetsmätning Möllevångstorget, våren",
        "opens_days_ago": 250,
        "length_days": 28,
        "status": Survey.Status.CLOSED,
        "responses": 200,
        "evening": [4, 5, 3, 2, 1],
        "daytime": [1, 2, 4, 5, 3],
        "worry": [3, 4, 4, 3, 1],
        "avoided_share": 0.35,
    },
    {
        "title": "Trygghetsmätning Möllevångstorget, hösten",
        "opens_days_ago": 40,
        "length_days": 60,
        "status": Survey.Status.OPEN,
        "responses": 180,
        "evening": [2, 3, 4, 4, 2],
        "daytime": [1, 1, 3, 6, 4],
        "worry": [2, 3, 4, 4, 2],
        "avoided_share": 0.2,
    },
]

SUGGESTIONS = [
    "Bättre belysning vid gångtunneln.",
    "Fler vuxna på torget på kvällen.",
    "Tätare städning runt papperskorgarna.",
    "Mer folkliv och caféer på kvällarna.",
    "Ta bort buskarna vid parkeringen så att man ser bättre.",
    "Torgvärdar även på helgerna.",
    "Laga lamporna vid cykelstället.",
]
DRAFT_TITLE = "Trygghetsmätning Möllevångstorget, nästa vår"
FLAGGED = "De som hänger vid fontänen varje kväll borde köras bort."


def _wave(ctx, place, spec):
    template = Survey.objects.get(is_template=True, language=Survey.Language.SWEDISH)
    survey = Survey.objects.filter(place=place, title=spec["title"]).first()
    opens_at = (ctx.now - dt.timedelta(days=spec["opens_days_ago"])).replace(
        hour=8, minute=0, second=0, microsecond=0
    )
    closes_at = opens_at + dt.timedelta(days=spec["length_days"])
    if survey is None:
        survey = survey_create(place=place, title=spec["title"], template=template)
    Survey.objects.filter(pk=survey.pk).update(
        status=spec["status"],
        opens_at=opens_at,
        closes_at=closes_at,
        # Waves are ordered by creation: backdate so the spring wave comes first.
        created_at=opens_at - dt.timedelta(days=14),
    )
    survey.refresh_from_db()
    if survey.responses.exists():
        return survey, 0
    _responses(ctx, survey, spec, opens_at, min(closes_at, ctx.now))
    return survey, spec["responses"]


def _responses(ctx, survey, spec, start, end):
    rng = ctx.rng
    questions = list(survey.questions.order_by("order"))
    scales = [q for q in questions if q.kind == "scale5"]
    weights_by_question = {}
    for question, key in zip(scales, ["evening", "daytime", "worry"], strict=False):
        weights_by_question[question.pk] = spec[key]
    span_minutes = max(1, int((end - start).total_seconds() // 60))
    responses = Response.objects.bulk_create(
        [
            Response(
                survey=survey,
                submitted_at=start + dt.timedelta(minutes=rng.randrange(span_minutes)),
                channel=rng.choices(["web", "paper"], weights=[85, 15])[0],
                respondent_group=rng.choices(
                    ["resident", "works", "visitor", "other", ""], weights=[40, 20, 30, 5, 5]
                )[0],
            )
            for _ in range(spec["responses"])
        ]
    )
    answers = []
    flagged_done = False
    for response in responses:
        for question in questions:
            if question.kind == "scale5":
                if rng.random() < 0.03:  # some skip a question
                    continue
                value = rng.choices([1, 2, 3, 4, 5], weights=weights_by_question[question.pk])[0]
                answers.append(Answer(response=response, question=question, value_number=value))
            elif question.kind == "yes_no":
                value = 1 if rng.random() < spec["avoided_share"] else 0
                answers.append(Answer(response=response, question=question, value_number=value))
            elif question.kind == "multi_choice":
                positions = sorted(rng.sample(range(1, len(question.choices)), k=rng.randint(0, 3)))
                if positions:
                    answers.append(
                        Answer(response=response, question=question, value_choices=positions)
                    )
            elif question.kind == "text":
                if not flagged_done:
                    answers.append(
                        Answer(
                            response=response,
                            question=question,
                            value_text=FLAGGED,
                            is_flagged=True,
                        )
                    )
                    flagged_done = True
                elif rng.random() < 0.15:
                    answers.append(
                        Answer(
                            response=response,
                            question=question,
                            value_text=rng.choice(SUGGESTIONS),
                        )
                    )
    Answer.objects.bulk_create(answers, batch_size=1000)


def seed(ctx) -> None:
    place = ctx.places[PLACE_SLUG]
    created = 0
    for spec in WAVES:
        _survey, n = _wave(ctx, place, spec)
        created += n
    if not Survey.objects.filter(place=place, title=DRAFT_TITLE).exists():
        template = Survey.objects.filter(is_template=True, language="sv").first()
        survey_create(place=place, title=DRAFT_TITLE, template=template)
    ctx.say(
        f"{len(WAVES)} survey waves on {place.name}, {created} new responses "
        f"({Response.objects.filter(survey__place=place).count()} in all)"
    )
