"""The survey demo: two waves on the square with a visible change; idempotent."""

import pytest

from demo import surveys as demo
from demo.core import DemoContext, seed_core
from surveys.models import Answer, Response, Survey
from surveys.queries import safety_index_by_survey

pytestmark = pytest.mark.django_db


def run_seed():
    ctx = DemoContext()
    seed_core(ctx)
    demo.seed(ctx)
    return ctx


def test_two_waves_with_a_visible_improvement_and_idempotent():
    ctx = run_seed()
    place = ctx.places[demo.PLACE_SLUG]
    waves = safety_index_by_survey(place=place)
    assert [w["status"] for w in waves] == ["closed", "open", "draft"]
    spring, autumn, _next_spring = waves
    assert spring["responses"] == 200 and autumn["responses"] == 180
    assert autumn["index"] - spring["index"] >= 5  # visible on the results page
    counts = (Survey.objects.count(), Response.objects.count(), Answer.objects.count())

    run_seed()
    assert (Survey.objects.count(), Response.objects.count(), Answer.objects.count()) == counts


def test_the_open_wave_takes_answers_on_its_public_link(client):
    ctx = run_seed()
    autumn = Survey.objects.get(place=ctx.places[demo.PLACE_SLUG], status="open")
    assert autumn.is_accepting_responses()
    assert "Skicka mina svar" in client.get(f"/s/{autumn.public_token}/").content.decode()
    # Some answers are flagged, to show moderation in the demo.
    assert Answer.objects.filter(question__survey=autumn, is_flagged=True).exists()


def test_the_draft_wave_asks_before_opening_and_warns_of_the_open_one(client):
    """Issue #19: opening the next wave is asked first, naming the autumn wave still open."""
    from django.urls import reverse

    from accounts.models import User

    ctx = run_seed()
    place = ctx.places[demo.PLACE_SLUG]
    draft = Survey.objects.get(place=place, title=demo.DRAFT_TITLE)
    client.force_login(User.objects.get(email="manager@example.org"))
    page = client.get(
        reverse("surveys:survey_status", kwargs={"place_slug": place.slug, "pk": draft.pk})
    ).content.decode()
    assert "Trygghetsmätning Möllevångstorget, hösten" in page
    assert "En annan mätning på platsen är öppen." in page
