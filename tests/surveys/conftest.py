"""Fixtures for survey tests: an open survey on place A built from the standard template."""

import datetime as dt

import pytest
from django.utils import timezone

from surveys.models import Survey
from surveys.services import survey_create, survey_open


@pytest.fixture
def template_sv(db):
    return Survey.objects.get(is_template=True, language="sv")


@pytest.fixture
def survey(place_a, template_sv):
    survey = survey_create(place=place_a, title="Trygghetsmätning hösten", template=template_sv)
    # Opened by hand yesterday: its period starts then (tests move its closing time about).
    return survey_open(survey=survey, now=timezone.now() - dt.timedelta(days=1))


@pytest.fixture
def draft(place_a, template_sv):
    return survey_create(place=place_a, title="Utkast", template=template_sv)


@pytest.fixture
def questions(survey):
    """The template's questions by kind: evening, daytime, worry, avoided, problems, safer."""
    q = list(survey.questions.order_by("order"))
    return {
        "evening": q[0],
        "daytime": q[1],
        "worry": q[2],
        "avoided": q[3],
        "problems": q[4],
        "safer": q[5],
    }


def answer_data(questions, **overrides):
    """A valid public POST body: required scales answered."""
    data = {
        f"q{questions['evening'].pk}": "4",
        f"q{questions['daytime'].pk}": "5",
        f"q{questions['worry'].pk}": "3",
    }
    for key, value in overrides.items():
        data[f"q{questions[key].pk}"] = value
    return data


def public_url(survey, suffix=""):
    return f"/s/{survey.public_token}/{suffix}"


def post_answer(client, survey, data, *, token=None, **extra):
    """POST the public form as a browser would (with a fresh one-time form token)."""
    from surveys.abuse import new_form_token

    body = {"form_token": token or new_form_token(survey), **data}
    return client.post(public_url(survey), body, **extra)
