"""The applications demo: parties that agreed, one request still waiting, idempotent."""

import pytest
from django.urls import reverse

from demo import applications as demo_applications
from demo.core import DemoContext, seed_core
from partnerships.models import ApplicationParty, PartnershipApplication

pytestmark = pytest.mark.django_db


def run_seed():
    ctx = DemoContext()
    seed_core(ctx)
    demo_applications.seed(ctx)
    return ctx


def test_demo_co_applicants_have_agreed_and_polismyndigheten_is_still_asked(client):
    ctx = run_seed()
    counts = (PartnershipApplication.objects.count(), ApplicationParty.objects.count())
    run_seed()
    assert (PartnershipApplication.objects.count(), ApplicationParty.objects.count()) == counts

    (waiting,) = ApplicationParty.objects.pending()
    assert waiting.organisation.name == "Polismyndigheten"
    assert waiting.application.status == PartnershipApplication.Status.DRAFT
    assert not ApplicationParty.objects.exclude(pk=waiting.pk).exclude(consent="accepted")

    police = ctx.users["police"]
    assert waiting.application not in PartnershipApplication.objects.visible_to(police)
    client.force_login(police)
    page = client.get(reverse("partnerships:application_list")).content.decode()
    assert waiting.application.title in page
    assert reverse("partnerships:co_applicant_accept", args=[waiting.pk]) in page
