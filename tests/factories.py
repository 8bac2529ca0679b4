"""factory-boy factories for every model."""

import datetime as dt
from decimal import Decimal

import factory
from django.utils import timezone
from stdnum import luhn
from stdnum.se import orgnr

from accounts.models import User
from partnerships import models as pm
from places import models as plm
from safety import models as sm
from surveys import models as svm
from tests.clock import month_start


def _new_year(years_ago: int) -> dt.date:
    """1 January `years_ago` years before the moment the test is at (the frozen or pinned clock)."""
    return dt.date(timezone.localdate().year - years_ago, 1, 1)


SQUARE_BOUNDARY = {
    "type": "Polygon",
    "coordinates": [
        [
            [13.0000, 55.6000],
            [13.0040, 55.6000],
            [13.0040, 55.6025],
            [13.0000, 55.6025],
            [13.0000, 55.6000],
        ]
    ],
}


def valid_org_number(n: int) -> str:
    """A valid organisationsnummer: prefix 55 (aktiebolag) + serial + Luhn check digit."""
    base = f"55{n:07d}"
    return orgnr.format(base + luhn.calc_check_digit(base))


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = pm.Organisation

    name = factory.Sequence(lambda n: f"Organisation {n} AB")
    org_number = factory.Sequence(lambda n: valid_org_number(n + 1000))
    kind = pm.Organisation.Kind.PROPERTY_OWNER


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.org")
    full_name = factory.Sequence(lambda n: f"User {n}")
    password = factory.PostGenerationMethodCall("set_password", "pw-for-tests-1")

    @factory.post_generation
    def verified(obj, create, extracted, **kwargs):
        if create:
            from allauth.account.models import EmailAddress

            obj.save()
            EmailAddress.objects.get_or_create(
                user=obj, email=obj.email, defaults={"verified": True, "primary": True}
            )


class PlaceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = plm.Place

    name = factory.Sequence(lambda n: f"Torget {n}")
    slug = factory.Sequence(lambda n: f"torget-{n}")
    kind = plm.Place.Kind.SQUARE
    municipality = "Malmö"
    boundary = SQUARE_BOUNDARY
    centre_lat = 55.60125
    centre_lon = 13.002


class PlaceRoleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = plm.PlaceRole

    user = factory.SubFactory(UserFactory)
    place = factory.SubFactory(PlaceFactory)
    role = plm.PlaceRole.Role.READER


class ActivityKindFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = plm.ActivityKind
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"kind-{n}")
    name_sv = factory.Sequence(lambda n: f"Aktivitet {n}")
    name_en = factory.Sequence(lambda n: f"Activity {n}")


class ActivityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = plm.Activity

    place = factory.SubFactory(PlaceFactory)
    kind = factory.SubFactory(ActivityKindFactory)
    started_at = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(hours=2))
    duration_minutes = 60
    participants_count = 2
    description = "Rundvandring runt torget."


class ActionItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = plm.ActionItem

    place = factory.SubFactory(PlaceFactory)
    category = plm.ActionItem.Category.LIGHTING
    description = "Trasig gatlampa vid busshållplatsen."
    due_date = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=14))


class PublicTipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = plm.PublicTip

    place = factory.SubFactory(PlaceFactory)
    category = "belysning"
    description = "Lampan vid trappan är trasig."
    lat = 55.60125
    lon = 13.002


class PlannedActivityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = plm.PlannedActivity

    place = factory.SubFactory(PlaceFactory)
    kind = factory.SubFactory(ActivityKindFactory)
    title = "Trygghetsvandring"
    recurrence = plm.PlannedActivity.Recurrence.MONTHLY
    starts_on = factory.LazyFunction(lambda: _new_year(years_ago=1))


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = pm.Membership

    organisation = factory.SubFactory(OrganisationFactory)
    place = factory.SubFactory(PlaceFactory)
    since = factory.LazyFunction(lambda: _new_year(years_ago=1))


class AnnualBudgetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = pm.AnnualBudget

    place = factory.SubFactory(PlaceFactory)
    year = factory.LazyFunction(lambda: timezone.localdate().year)
    target_sek = Decimal("1000000")
    municipal_share_sek = Decimal("500000")


class FundingCommitmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = pm.FundingCommitment

    organisation = factory.SubFactory(OrganisationFactory)
    place = factory.SubFactory(PlaceFactory)
    year = factory.LazyFunction(lambda: timezone.localdate().year)
    amount_sek = Decimal("100000")


class PaymentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = pm.Payment

    commitment = factory.SubFactory(FundingCommitmentFactory)
    amount_sek = Decimal("50000")


class InvitationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = pm.Invitation

    place = factory.SubFactory(PlaceFactory)
    email = factory.Sequence(lambda n: f"invitee{n}@example.org")
    role = "reporter"


class PartnershipApplicationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = pm.PartnershipApplication

    reference = factory.Sequence(lambda n: f"SAM-{timezone.localdate().year}-{n:04d}")
    title = "Tryggare Stationsområdet"
    area_name = "Stationsområdet"
    lead_organisation = factory.SubFactory(OrganisationFactory)


class ApplicationPartyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = pm.ApplicationParty

    application = factory.SubFactory(PartnershipApplicationFactory)
    organisation = factory.SubFactory(OrganisationFactory)


class AssessmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = pm.Assessment

    application = factory.SubFactory(PartnershipApplicationFactory)
    reviewer = factory.SubFactory(UserFactory)
    criterion = "mixed_actors"
    verdict = pm.Assessment.Verdict.MET


class ApplicationEventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = pm.ApplicationEvent

    application = factory.SubFactory(PartnershipApplicationFactory)
    action = "created"


class ReviewNoteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = pm.ReviewNote

    application = factory.SubFactory(PartnershipApplicationFactory)
    text = "Intern anteckning."


class IncidentCategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = sm.IncidentCategory
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"category-{n}")
    name_sv = factory.Sequence(lambda n: f"Kategori {n}")
    name_en = factory.Sequence(lambda n: f"Category {n}")


class IncidentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = sm.Incident

    place = factory.SubFactory(PlaceFactory)
    category = factory.SubFactory(IncidentCategoryFactory)
    occurred_at = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(hours=3))
    description = "Krossad ruta vid entrén."


class SituationReportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = sm.SituationReport

    place = factory.SubFactory(PlaceFactory)
    kind = sm.SituationReport.Kind.MONTHLY
    # The month before last: a whole month in the past of whatever moment the test is at.
    period_start = factory.LazyFunction(lambda: month_start(timezone.localdate(), months=-2))
    period_end = factory.LazyAttribute(lambda report: month_start(report.period_start, months=1))


class ImportMappingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = sm.ImportMapping

    organisation = factory.SubFactory(OrganisationFactory)
    mapping = factory.LazyFunction(lambda: {"occurred_at": "Datum", "category": "Kategori"})


class SurveyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = svm.Survey

    place = factory.SubFactory(PlaceFactory)
    title = "Trygghetsmätning"
    status = svm.Survey.Status.OPEN


class QuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = svm.Question

    survey = factory.SubFactory(SurveyFactory)
    order = factory.Sequence(lambda n: n)
    text = "Hur trygg känner du dig på kvällen?"
    kind = svm.Question.Kind.SCALE5
    choices = ["Mycket otrygg", "Ganska otrygg", "Varken eller", "Ganska trygg", "Mycket trygg"]
    in_safety_index = True


class ResponseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = svm.Response

    survey = factory.SubFactory(SurveyFactory)


class AnswerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = svm.Answer

    response = factory.SubFactory(ResponseFactory)
    question = factory.SubFactory(QuestionFactory)
    value_number = 4
