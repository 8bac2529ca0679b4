"""Demo data for surveys: a safety survey on the square with about 200 responses."""

import datetime as dt

from surveys.models import Answer, Question, Response, Survey


def _copy_template(place, title, language="sv"):
    template = Survey.objects.get(is_template=True, language=language)
    survey = Survey.objects.create(
        place=place, title=title, intro=template.intro, language=language, status="closed"
    )
    Question.objects.bulk_create(
        [
            Question(
                survey=survey,
                order=q.order,
                text=q.text,
                kind=q.kind,
                choices=q.choices,
                required=q.required,
                in_safety_index=q.in_safety_index,
            )
            for q in template.questions.all()
        ]
    )
    return survey


def seed(ctx) -> None:
    place = ctx.places["mollevangstorget"]
    if Survey.objects.filter(place=place).exists():
        return
    rng = ctx.rng
    survey = _copy_template(place, "Trygghetsmätning Möllevångstorget, våren")
    survey.opens_at = ctx.now - dt.timedelta(days=200)
    survey.closes_at = ctx.now - dt.timedelta(days=170)
    survey.save()
    questions = list(survey.questions.all())
    for _ in range(200):
        response = Response.objects.create(
            survey=survey,
            submitted_at=survey.opens_at + dt.timedelta(minutes=rng.randrange(30 * 24 * 60)),
            channel=rng.choices(["web", "paper"], weights=[8, 2])[0],
            respondent_group=rng.choice(["resident", "works", "visitor", "other", ""]),
        )
        answers = []
        for question in questions:
            if question.kind == "scale5":
                answers.append(
                    Answer(
                        response=response,
                        question=question,
                        value_number=rng.choices([1, 2, 3, 4, 5], weights=[2, 3, 3, 3, 1])[0],
                    )
                )
            elif question.kind == "yes_no":
                answers.append(
                    Answer(response=response, question=question, value_number=rng.choice([0, 1]))
                )
            elif question.kind == "multi_choice":
                answers.append(
                    Answer(
                        response=response,
                        question=question,
                        value_choices=rng.sample(question.choices, k=rng.randint(0, 3)),
                    )
                )
            elif question.kind == "text" and rng.random() < 0.15:
                answers.append(
                    Answer(
                        response=response,
                        question=question,
                        value_text=rng.choice(
                            [
                                "Bättre belysning vid gångtunneln.",
                                "Fler vuxna på torget på kvällen.",
                                "Tätare städning.",
                                "Mer folkliv och caféer på kvällarna.",
                            ]
                        ),
                    )
                )
        Answer.objects.bulk_create(answers)
    ctx.say(f"{Response.objects.count()} survey responses")
