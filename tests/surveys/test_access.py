"""Access matrix for every survey page: allowed, 404 for outsiders, 403 below the role, 405."""

import pytest
from django.urls import reverse

from places.models import ROLE_RANK
from tests import factories as f

pytestmark = pytest.mark.django_db

# (url name, extra kwargs key, methods the view accepts, lowest role that may use it)
VIEWS = [
    ("survey_list", None, ["GET"], "reader"),
    ("survey_create", None, ["GET", "POST"], "manager"),
    ("survey_detail", "survey", ["GET"], "reader"),
    ("survey_edit", "survey", ["GET", "POST"], "manager"),
    ("survey_status", "draft", ["GET", "POST"], "manager"),
    ("survey_delete", "draft", ["GET", "POST"], "manager"),
    ("question_create", "draft", ["GET", "POST"], "manager"),
    ("question_edit", "question", ["GET", "POST"], "manager"),
    ("question_delete", "question", ["GET", "POST"], "manager"),
    ("paper_response", "survey", ["GET", "POST"], "manager"),
    ("results", "survey", ["GET"], "reader"),
    ("text_answer_list", "survey", ["GET"], "reader"),
    ("answer_flag", "answer", ["POST"], "manager"),
    ("survey_export", "survey", ["GET"], "manager"),
    ("poster_pdf", "survey", ["GET"], "reporter"),
    ("poster_svg", "survey", ["GET"], "reporter"),
]


@pytest.fixture
def objects(survey, draft):
    text_question = survey.questions.get(kind="text")
    response = f.ResponseFactory(survey=survey)
    answer = f.AnswerFactory(
        response=response, question=text_question, value_number=None, value_text="Mer ljus."
    )
    return {
        "survey": {"pk": survey.pk},
        "draft": {"pk": draft.pk},
        "question": {"pk": draft.pk, "question_pk": draft.questions.first().pk},
        "answer": {"pk": survey.pk, "answer_pk": answer.pk},
    }


def url_for(name, key, objects, slug="mollevangstorget"):
    kwargs = {"place_slug": slug, **(objects[key] if key else {})}
    return reverse(f"surveys:{name}", kwargs=kwargs)


def _request(client, method, url):
    return getattr(client, method.lower())(url)


ACTORS = ["manager", "reporter", "reader", "outsider", "reader_b"]


@pytest.mark.parametrize("name,key,methods,role", VIEWS)
@pytest.mark.parametrize("actor", ACTORS)
def test_access_matrix(client, request, objects, name, key, methods, role, actor):
    user = request.getfixturevalue(actor)
    client.force_login(user)
    url = url_for(name, key, objects)
    method = methods[0]
    response = _request(client, method, url)
    if actor in ("outsider", "reader_b"):
        assert response.status_code == 404
    else:
        actor_role = actor  # the fixtures are named after their role at place A
        if ROLE_RANK[actor_role] >= ROLE_RANK[role]:
            assert response.status_code in (200, 302), response.status_code
        else:
            assert response.status_code == 403


@pytest.mark.parametrize("name,key,methods,role", VIEWS)
def test_wrong_method(client, manager, objects, name, key, methods, role):
    client.force_login(manager)
    wrong = (
        "PUT"
        if "POST" in methods and "GET" in methods
        else ("GET" if "POST" in methods else "POST")
    )
    assert _request(client, wrong, url_for(name, key, objects)).status_code == 405


@pytest.mark.parametrize("name,key,methods,role", VIEWS)
def test_anonymous_is_sent_to_login(client, objects, name, key, methods, role):
    response = _request(client, methods[0], url_for(name, key, objects))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_a_survey_of_another_place_is_not_found(client, manager, place_b):
    other = f.SurveyFactory(place=place_b)
    client.force_login(manager)
    url = reverse(
        "surveys:survey_detail", kwargs={"place_slug": "mollevangstorget", "pk": other.pk}
    )
    assert client.get(url).status_code == 404
    url = reverse("surveys:results", kwargs={"place_slug": "mollevangstorget", "pk": other.pk})
    assert client.get(url).status_code == 404


def test_staff_without_a_role_may_manage(client, staff, objects):
    client.force_login(staff)
    assert client.get(url_for("survey_edit", "survey", objects)).status_code == 200
