"""A name in a reviewer's message is asked about (issue #17)."""

import pytest
from django.urls import reverse

from tests.partnerships.applications_support import *  # noqa: F403

pytestmark = pytest.mark.django_db


def test_a_reviewer_comment_with_a_name_is_asked_about(client, reviewer, in_review):
    client.force_login(reviewer)
    response = client.post(
        reverse("partnerships:application_request_changes", args=[in_review.pk]),
        {"message": "Fråga Helena Bergkvist om budgeten"},
    )
    assert "”Helena Bergkvist” ser ut som namnet på en person" in response.content.decode()
