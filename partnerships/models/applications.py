"""Applications for collaboration support (Malmö stad's model): the application, its parties,
the assessment against the criteria, its events, review notes and attachments."""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.bounds import validate_event_datetime
from accounts.models import Organisation
from places.geo import validate_boundary
from places.models import Place
from places.privacy import validate_no_personal_data

from .funding import NON_NEGATIVE, SEK

CRITERIA = [
    (
        "mixed_actors",
        _("A mixed group of actors with a proposal"),
        _(
            "Several kinds of local actors – property owners, businesses, associations – stand "
            "behind a shared proposal for the area."
        ),
    ),
    (
        "established_trust",
        _("Established collaboration with trust"),
        _(
            "The actors already work together, with trust among those who live and work in the "
            "area."
        ),
    ),
    (
        "commitment",
        _("The actors can commit resources"),
        _("The actors can commit money, resources or responsibility for activities."),
    ),
    (
        "added_value",
        _("Added value together"),
        _("The collaboration reaches something that no single actor could reach alone."),
    ),
]


CRITERION_CHOICES = [(code, label) for code, label, _help in CRITERIA]


class PartnershipApplicationQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Users of the applying organisations, invited collaborators and reviewers."""
        if not user.is_authenticated:
            return self.none()
        if user.is_staff or user.has_perm("partnerships.review_application"):
            return self
        condition = Q(created_by=user) | Q(collaborators=user)
        if user.organisation_id:
            # Both conditions in one Q, so they apply to the same party row: an organisation
            # that has only been asked to be a co-applicant sees nothing until it accepts.
            condition |= Q(
                parties__organisation_id=user.organisation_id,
                parties__consent=ApplicationParty.Consent.ACCEPTED,
            )
        return self.filter(condition).distinct()


class PartnershipApplication(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", pgettext_lazy("application status", "Draft")
        SUBMITTED = "submitted", pgettext_lazy("application status", "Submitted")
        IN_REVIEW = "in_review", pgettext_lazy("application status", "In review")
        CHANGES_REQUESTED = (
            "changes_requested",
            pgettext_lazy("application status", "Changes requested"),
        )
        APPROVED = "approved", pgettext_lazy("application status", "Approved")
        REJECTED = "rejected", pgettext_lazy("application status", "Rejected")
        WITHDRAWN = "withdrawn", pgettext_lazy("application status", "Withdrawn")

    screened = {"validators": [validate_no_personal_data], "blank": True}

    reference = models.CharField(_("reference"), max_length=20, unique=True, blank=True)
    title = models.CharField(_("title"), max_length=200, validators=[validate_no_personal_data])
    area_name = models.CharField(_("area name"), max_length=150, **screened)
    area_description = models.TextField(_("area description"), max_length=5000, **screened)
    area_boundary = models.JSONField(
        _("area boundary"),
        null=True,
        blank=True,
        validators=[validate_boundary],
    )
    lead_organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("lead organisation"),
        on_delete=models.PROTECT,
        related_name="led_applications",
    )
    purpose = models.TextField(_("purpose"), max_length=5000, **screened)
    planned_activities = models.TextField(_("planned activities"), max_length=5000, **screened)
    expected_results = models.TextField(_("expected results"), max_length=5000, **screened)
    answer_mixed_actors = models.TextField(
        _("answer: mixed group of actors"), max_length=5000, **screened
    )
    answer_established_trust = models.TextField(
        _("answer: established collaboration"), max_length=5000, **screened
    )
    answer_commitment = models.TextField(_("answer: commitment"), max_length=5000, **screened)
    answer_added_value = models.TextField(_("answer: added value"), max_length=5000, **screened)
    time_plan = models.TextField(_("time plan"), max_length=5000, **screened)
    budget_total_sek = models.DecimalField(
        _("total budget (SEK)"), null=True, blank=True, validators=NON_NEGATIVE, **SEK
    )
    requested_support_sek = models.DecimalField(
        _("support requested from the city (SEK)"),
        null=True,
        blank=True,
        validators=NON_NEGATIVE,
        **SEK,
    )
    budget_notes = models.TextField(_("budget notes"), max_length=5000, **screened)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    assigned_reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned reviewer"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_applications",
    )
    decision_reason = models.TextField(_("reason for the decision"), max_length=5000, **screened)
    decided_at = models.DateTimeField(
        _("decided at"), null=True, blank=True, validators=[validate_event_datetime]
    )
    submitted_at = models.DateTimeField(
        _("submitted at"), null=True, blank=True, validators=[validate_event_datetime]
    )
    place = models.OneToOneField(
        Place,
        verbose_name=_("place"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="application",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="applications_created",
    )
    collaborators = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("invited editors"),
        blank=True,
        related_name="applications_collaborating",
    )
    # Follow-up (uppföljning): the partnership's own narrative beside the figures.
    followup_numbers = models.TextField(_("numbers"), max_length=5000, **screened)
    followup_stories = models.TextField(_("stories"), max_length=5000, **screened)
    followup_unexpected = models.TextField(_("unexpected results"), max_length=5000, **screened)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = PartnershipApplicationQuerySet.as_manager()

    class Meta:
        verbose_name = _("partnership application")
        verbose_name_plural = _("partnership applications")
        ordering = ["-created_at"]
        permissions = [("review_application", _("Can review partnership applications"))]
        indexes = [models.Index(fields=["status", "submitted_at"], name="application_queue")]

    def __str__(self):
        return f"{self.reference} {self.title}".strip()

    def criterion_answer(self, code: str) -> str:
        return getattr(self, f"answer_{code}")


class ApplicationPartyQuerySet(models.QuerySet):
    def accepted(self):
        """The parties of the application: the lead and every co-applicant that has agreed."""
        return self.filter(consent=ApplicationParty.Consent.ACCEPTED)

    def pending(self):
        return self.filter(consent=ApplicationParty.Consent.PENDING)

    def requests_to(self, user):
        """Co-applicant requests addressed to the organisation the user acts for in
        applications, whatever their answer; the one way to reach accept and decline."""
        if not user.is_authenticated or not user.organisation_id:
            return self.none()
        return self.filter(
            organisation_id=user.organisation_id, role=ApplicationParty.Role.CO_APPLICANT
        )


class ApplicationParty(models.Model):
    """An organisation on an application. A co-applicant that none of the applicant's people
    act for is only asked at first (`consent` pending): it becomes a party, seen by its people
    and counted in the application, when one of them accepts."""

    class Role(models.TextChoices):
        LEAD = "lead", _("Lead applicant")
        CO_APPLICANT = "co_applicant", _("Co-applicant")

    class Consent(models.TextChoices):
        PENDING = "pending", _("Awaiting their answer")
        ACCEPTED = "accepted", pgettext_lazy("co-applicant consent", "Accepted")
        DECLINED = "declined", pgettext_lazy("co-applicant consent", "Declined")

    application = models.ForeignKey(
        PartnershipApplication,
        on_delete=models.CASCADE,
        related_name="parties",
        verbose_name=_("application"),
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="application_parties",
    )
    role = models.CharField(
        _("role"), max_length=20, choices=Role.choices, default=Role.CO_APPLICANT
    )
    commits_money_sek = models.DecimalField(
        _("money committed (SEK/year)"), default=Decimal("0"), validators=NON_NEGATIVE, **SEK
    )
    commits_hours = models.DecimalField(
        _("hours committed (per year)"),
        max_digits=8,
        decimal_places=1,
        default=Decimal("0"),
        validators=NON_NEGATIVE,
    )
    commits_responsibility = models.TextField(
        _("responsibility for activities"),
        max_length=2000,
        blank=True,
        validators=[validate_no_personal_data],
    )
    # Fail closed: a party created without a decision is invisible to the organisation's people.
    consent = models.CharField(
        _("consent"), max_length=10, choices=Consent.choices, default=Consent.PENDING
    )
    consent_decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("answered by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    consent_decided_at = models.DateTimeField(
        _("answered at"), null=True, blank=True, validators=[validate_event_datetime]
    )

    objects = ApplicationPartyQuerySet.as_manager()

    class Meta:
        verbose_name = _("application party")
        verbose_name_plural = _("application parties")
        constraints = [
            models.UniqueConstraint(
                fields=["application", "organisation"], name="party_unique_per_application"
            ),
            models.CheckConstraint(
                condition=Q(consent__in=["pending", "accepted", "declined"]),
                name="party_consent_valid",
            ),
            models.CheckConstraint(
                condition=Q(role="co_applicant") | Q(consent="accepted"),
                name="party_lead_is_accepted",
            ),
            # An answer has a time; a request still waiting has none. An organisation the
            # applicant's people act for is accepted at once, without an answer.
            models.CheckConstraint(
                condition=Q(
                    consent="pending",
                    consent_decided_at__isnull=True,
                    consent_decided_by__isnull=True,
                )
                | Q(consent="accepted")
                | Q(consent="declined", consent_decided_at__isnull=False),
                name="party_consent_answered_at",
            ),
            models.CheckConstraint(
                condition=Q(commits_money_sek__gte=0), name="party_money_non_negative"
            ),
            models.CheckConstraint(
                condition=Q(commits_hours__gte=0), name="party_hours_non_negative"
            ),
        ]

    def __str__(self):
        return f"{self.organisation} ({self.get_role_display()})"

    def clean(self):
        super().clean()
        if self.role == self.Role.LEAD and self.consent != self.Consent.ACCEPTED:
            raise ValidationError({"consent": _("The lead organisation is always a party.")})
        if self.consent == self.Consent.DECLINED and self.consent_decided_at is None:
            raise ValidationError(
                {"consent": _("Only the organisation itself can decline, on its own page.")}
            )
        if self.consent == self.Consent.PENDING and self.consent_decided_at is not None:
            raise ValidationError({"consent_decided_at": _("A waiting request has no answer.")})

    @property
    def is_accepted(self) -> bool:
        return self.consent == self.Consent.ACCEPTED


class Assessment(models.Model):
    class Verdict(models.TextChoices):
        MET = "met", _("Met")
        PARTLY = "partly", _("Partly met")
        NOT_MET = "not_met", _("Not met")

    application = models.ForeignKey(
        PartnershipApplication,
        on_delete=models.CASCADE,
        related_name="assessments",
        verbose_name=_("application"),
    )
    # Kept when the reviewer's account is deleted (GDPR art. 17): the city's assessment of an
    # application stays part of its record, without saying who made it.
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assessments",
        verbose_name=_("reviewer"),
    )
    criterion = models.CharField(_("criterion"), max_length=30, choices=CRITERION_CHOICES)
    verdict = models.CharField(_("verdict"), max_length=10, choices=Verdict.choices)
    comment = models.TextField(
        _("comment"), max_length=3000, blank=True, validators=[validate_no_personal_data]
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")
        constraints = [
            models.UniqueConstraint(
                fields=["application", "reviewer", "criterion"], name="assessment_unique"
            ),
        ]

    def __str__(self):
        return f"{self.application} {self.criterion}: {self.verdict}"


class ApplicationEvent(models.Model):
    """The application's timeline: who did what, when, with a note."""

    application = models.ForeignKey(
        PartnershipApplication,
        on_delete=models.CASCADE,
        related_name="events",
        verbose_name=_("application"),
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        verbose_name=_("by"),
    )
    action = models.CharField(_("action"), max_length=30)
    from_status = models.CharField(_("from"), max_length=20, blank=True)
    to_status = models.CharField(_("to"), max_length=20, blank=True)
    note = models.TextField(
        _("note"), max_length=5000, blank=True, validators=[validate_no_personal_data]
    )
    created_at = models.DateTimeField(
        _("when"), default=timezone.now, validators=[validate_event_datetime]
    )

    class Meta:
        verbose_name = _("application event")
        verbose_name_plural = _("application events")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.application} {self.action}"


class ReviewNote(models.Model):
    """An internal note between reviewers. Applicants never see these."""

    application = models.ForeignKey(
        PartnershipApplication,
        on_delete=models.CASCADE,
        related_name="review_notes",
        verbose_name=_("application"),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, verbose_name=_("author")
    )
    text = models.TextField(_("note"), max_length=5000, validators=[validate_no_personal_data])
    created_at = models.DateTimeField(
        _("created"), default=timezone.now, validators=[validate_event_datetime]
    )

    class Meta:
        verbose_name = _("internal review note")
        verbose_name_plural = _("internal review notes")
        ordering = ["created_at"]

    def __str__(self):
        return f"{self.application} {self.created_at:%Y-%m-%d}"


class ApplicationAttachment(models.Model):
    application = models.ForeignKey(
        PartnershipApplication,
        on_delete=models.CASCADE,
        related_name="attachments",
        verbose_name=_("application"),
    )
    file = models.FileField(_("file"), upload_to="applications/%Y/")
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(max_length=100, verbose_name=_("file type"))
    size_bytes = models.PositiveIntegerField(verbose_name=_("size (bytes)"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        verbose_name=_("uploaded by"),
    )
    uploaded_at = models.DateTimeField(
        default=timezone.now, verbose_name=_("uploaded at"), validators=[validate_event_datetime]
    )

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["uploaded_at"]

    def __str__(self):
        return self.original_name
