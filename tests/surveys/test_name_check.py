"""Names in survey answers (issue #17): the public is asked to remove them, a manager typing
in a paper questionnaire may confirm like anyone signed in."""

import pytest
from django.urls import reverse

from places.models import NameConfirmation
from places.screening import CONFIRM_SUFFIX
from surveys.models import Response

from .conftest import answer_data, post_answer

pytestmark = pytest.mark.django_db


def test_the_public_survey_asks_to_remove_a_name_and_offers_no_confirmation(
    client, survey, questions
):
    name = f"q{questions['safer'].pk}"
    data = answer_data(questions, avoided="1", safer="Lisa Nilsson bråkar varje kväll")
    data[name + CONFIRM_SUFFIX] = "Lisa Nilsson"  # a crafted post cannot confirm either
    response = post_answer(client, survey, data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Skriv utan namn på personer" in page
    assert CONFIRM_SUFFIX not in page
    assert not Response.objects.exists()
    assert not NameConfirmation.objects.exists()


def test_a_manager_typing_in_a_paper_answer_can_confirm(
    client, place_a, manager, survey, questions
):
    client.force_login(manager)
    url = reverse("surveys:paper_response", kwargs={"place_slug": place_a.slug, "pk": survey.pk})
    name = f"q{questions['safer'].pk}"
    data = answer_data(questions, avoided="1", safer="Mer ljus vid Sven Hedins")
    assert client.post(url, data).status_code == 200
    data[name + CONFIRM_SUFFIX] = "Sven Hedins"
    assert client.post(url, data).status_code == 302
    confirmation = NameConfirmation.objects.get()
    assert (confirmation.record, confirmation.place, confirmation.user) == (
        "surveys.Answer",
        place_a,
        manager,
    )
