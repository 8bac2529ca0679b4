"""Whatever a client sends to the public page: never a 500, never an out-of-range answer."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from surveys.models import Answer

from .conftest import post_answer

pytestmark = pytest.mark.django_db

values = st.one_of(
    st.text(max_size=30),
    st.integers(min_value=-(10**12), max_value=10**12).map(str),
    st.lists(st.text(max_size=5), max_size=4),
)


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    data=st.dictionaries(
        st.sampled_from(
            [
                "evening",
                "daytime",
                "worry",
                "avoided",
                "problems",
                "safer",
                "respondent_group",
                "lang",
            ]
        ),
        values,
    )
)
def test_arbitrary_input_never_breaks_the_page(client, survey, questions, settings, data):
    settings.SURVEYS_RATE_LIMIT_PER_HOUR = 10_000
    client.cookies.clear()
    body = {}
    for key, value in data.items():
        name = f"q{questions[key].pk}" if key in questions else key
        body[name] = value
    response = post_answer(client, survey, body)
    assert response.status_code in (200, 302)
    for answer in Answer.objects.select_related("question"):
        kind = answer.question.kind
        if kind == "scale5":
            assert 1 <= answer.value_number <= 5
        elif kind == "yes_no":
            assert answer.value_number in (0, 1)
        elif kind == "multi_choice":
            assert all(1 <= p <= len(answer.question.choices) for p in answer.value_choices)
