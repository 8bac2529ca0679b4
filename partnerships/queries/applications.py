"""Reads for applications: the applicant's list, the reviewers' queue, the follow-up figures.

Every query starts from `PartnershipApplication.objects.visible_to(user)` (architecture §4) and
aggregates in SQL, so a page's query count does not grow with the data.
"""

import datetime as dt
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.bounds import clamp_moment
from places.home import QuickAction
from places.models import Activity
from surveys.queries import safety_index, safety_index_by_survey

from ..followup import followup_figures
from ..models import ApplicationParty, FundingCommitment, PartnershipApplication
from ..services.applications.permissions import is_reviewer
from .funding import social_outcomes

Status = PartnershipApplication.Status
OPEN_STATES = [Status.SUBMITTED, Status.IN_REVIEW, Status.CHANGES_REQUESTED]
ACCEPTED = ApplicationParty.Consent.ACCEPTED


def applications_of_applicant(user):
    """The applications the user applies in: created, invited to, or for their organisation.

    Reviewers see every application through `visible_to`; here they see only their own, and
    reach the others through the queue.
    """
    condition = Q(created_by=user) | Q(collaborators=user)
    if user.organisation_id:
        condition |= Q(parties__organisation_id=user.organisation_id, parties__consent=ACCEPTED)
    ids = PartnershipApplication.objects.visible_to(user).filter(condition).values("pk")
    return (
        PartnershipApplication.objects.filter(pk__in=ids)
        .select_related("lead_organisation", "place")
        .order_by("-updated_at")
    )


def co_applicant_requests(user):
    """Requests waiting for the user's organisation to answer whether it is a co-applicant.

    Only applications the applicants can still change: a withdrawn one needs no answer (and a
    waiting request keeps any other from being submitted).
    """
    return (
        ApplicationParty.objects.requests_to(user)
        .pending()
        .filter(application__status__in=[Status.DRAFT, Status.CHANGES_REQUESTED])
        .select_related("application", "application__lead_organisation", "organisation")
        .order_by("application__created_at", "pk")
    )


def review_queue(user, *, status=None, min_days=None, reviewer=None):
    """The reviewers' queue, filtered. `status` "open" (default) means not yet decided;
    `reviewer` is "me", "none" or a user id; `min_days` keeps those waiting at least that long.
    """
    qs = PartnershipApplication.objects.visible_to(user).exclude(status=Status.DRAFT)
    if not status or status == "open":
        qs = qs.filter(status__in=OPEN_STATES)
    elif status != "all":
        qs = qs.filter(status=status)
    if min_days:
        qs = qs.filter(submitted_at__lte=timezone.now() - dt.timedelta(days=min_days))
    if reviewer == "me":
        qs = qs.filter(assigned_reviewer=user)
    elif reviewer == "none":
        qs = qs.filter(assigned_reviewer__isnull=True)
    elif reviewer:
        qs = qs.filter(assigned_reviewer_id=reviewer)
    return (
        qs.select_related("lead_organisation", "assigned_reviewer")
        .annotate(
            party_count=Count("parties", filter=Q(parties__consent=ACCEPTED), distinct=True),
            assessment_count=Count("assessments", distinct=True),
        )
        .order_by("submitted_at", "pk")
    )


def queue_counts(user) -> dict:
    """How many applications are in each state (drafts are the applicants' business)."""
    qs = PartnershipApplication.objects.visible_to(user).exclude(status=Status.DRAFT)
    counts = qs.aggregate(
        **{state: Count("pk", filter=Q(status=state)) for state in Status.values},
        # "Assigned to me": undecided applications this reviewer has taken.
        mine=Count("pk", filter=Q(status__in=OPEN_STATES, assigned_reviewer=user)),
    )
    counts.pop(Status.DRAFT, None)
    counts["open"] = sum(counts[state] for state in OPEN_STATES)
    return counts


def days_waiting(application, now=None) -> int | None:
    if not application.submitted_at:
        return None
    return ((now or timezone.now()) - application.submitted_at).days


def place_followup_figures(place, *, since: dt.datetime) -> dict:
    """A place's own figures since the partnership started, aggregated in SQL.

    Incidents per month and the interventions' effects come from the figures core through the
    slot safety fills (`partnerships.followup`: counts only, restricted incidents included as
    numbers), the safety index from `surveys.queries`, so the follow-up agrees with the
    dashboard and the lägesbild. Activities and funding are summed over the whole time since
    the start (funding: every year, withdrawn commitments excluded). A fixed number of queries,
    whatever the data.
    """
    # A start stored outside the bounded range would ask for thousands of months.
    since = clamp_moment(since)
    start = timezone.localtime(since).date()
    end = timezone.localdate() + dt.timedelta(days=1)
    activities = Activity.objects.filter(place=place, started_at__gte=since).aggregate(
        count=Count("pk"),
        minutes=Coalesce(Sum("duration_minutes"), 0),
        participants=Coalesce(Sum("participants_count"), 0),
    )
    above = followup_figures(place=place, start=start, end=end)
    months = above["incident_months"]
    index = safety_index(place=place, start=since)
    surveys = [
        wave
        for wave in safety_index_by_survey(place=place)
        if wave["created_at"] >= since and wave["index"] is not None
    ]
    zero = Decimal(0)
    funding = (
        FundingCommitment.objects.filter(place=place)
        .exclude(status=FundingCommitment.Status.WITHDRAWN)
        .aggregate(
            committed=Coalesce(Sum("amount_sek"), zero),
            paid=Coalesce(Sum("amount_paid"), zero),
            cash=Coalesce(Sum("amount_sek", filter=Q(kind=FundingCommitment.Kind.CASH)), zero),
            hours=Coalesce(Sum("in_kind_hours"), Decimal("0.0")),
        )
    )
    return {
        "since": since,
        "effects": above["effects"],
        "social_outcomes": social_outcomes(place=place, since_year=start.year),
        "activities": activities["count"],
        "activity_hours": round(activities["minutes"] / 60, 1),
        "participants": activities["participants"],
        "incident_months": months,
        "incidents": sum(month["count"] for month in months),
        "incident_max": max([month["count"] for month in months] or [0]),
        "safety_index": index["index"] if index else None,
        "safety_responses": index["responses"] if index else 0,
        "surveys": surveys,
        "funding": funding,
    }


def home_review_actions(user, roles) -> list:
    """The home's "Granskningskö (n)" for reviewers (issue #16): undecided applications."""
    if not is_reviewer(user):
        return []
    count = PartnershipApplication.objects.visible_to(user).filter(status__in=OPEN_STATES).count()
    return [
        QuickAction(
            _("Review queue"), reverse("partnerships:application_queue"), count=count, primary=True
        )
    ]
