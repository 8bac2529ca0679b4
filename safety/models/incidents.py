"""Incidents, their categories, the incident import and its mappings, events from other
organisations' feeds and the daily and hourly rollups."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.bounds import (
    validate_event_datetime,
    validate_storable_json,
)
from accounts.language import localised_name
from places.models import Place, PlaceRole, PlaceScopedQuerySet, rollup_key
from places.privacy import validate_no_personal_data


class IncidentCategory(models.Model):
    """Configurable incident categories (skadegörelse, klotter, …), seeded by a migration."""

    code = models.SlugField(_("code"), max_length=50, unique=True)
    name_sv = models.CharField(_("name (Swedish)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100)
    order = models.PositiveSmallIntegerField(
        _("order"), default=0, validators=[MaxValueValidator(1000)]
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("incident category")
        verbose_name_plural = _("incident categories")
        ordering = ["order", "name_sv"]

    def __str__(self):
        return self.name

    @property
    def name(self):
        return localised_name(self)


class IncidentQuerySet(PlaceScopedQuerySet):
    def in_places_of(self, user):
        """Every incident of the user's places, restricted ones included: for counts only."""
        return PlaceScopedQuerySet.visible_to(self, user)

    def visible_to(self, user):
        """Incidents whose details the user may see (architecture §4).

        Restricted incidents are shown to managers of the place, to people whose role at that
        place represents a police organisation, and to their reporter while they still have a
        role there; everyone else sees them only as counts in figures. Decided per place in
        SQL: a police role at one place shows nothing restricted at another.
        """
        if not user.is_authenticated:
            return self.none()
        if user.is_staff:
            return self
        qs = self.in_places_of(user)
        role_here = PlaceRole.objects.filter(user=user, place=OuterRef("place"))
        sees_restricted_here = role_here.filter(role=PlaceRole.Role.MANAGER) | (
            role_here.representing_police()
        )
        return qs.filter(
            Q(visibility=Incident.Visibility.MEMBERS)
            | Exists(sees_restricted_here)
            | Q(reported_by=user)
        )

    def visible_at(self, access, user):
        """`visible_to(user)` for the one place of `access` (`places.access.place_access`),
        decided from the role the access helper already read: no subquery per row, so a list's
        count at a place with 150,000 incidents scans the index alone (issue #20)."""
        qs = self.filter(place=access.place)
        if access.sees_restricted_incidents:
            return qs
        return qs.filter(Q(visibility=Incident.Visibility.MEMBERS) | Q(reported_by=user))


class Incident(models.Model):
    """Something that happened at a place. Describes events, never people (architecture §6)."""

    class Severity(models.TextChoices):
        LOW = "low", _("Low")
        MEDIUM = "medium", _("Medium")
        HIGH = "high", _("High")

    class Visibility(models.TextChoices):
        MEMBERS = "members", _("All members")
        RESTRICTED = "restricted", _("Restricted (managers and police)")

    place = models.ForeignKey(
        Place, verbose_name=_("place"), on_delete=models.CASCADE, related_name="incidents"
    )
    category = models.ForeignKey(
        IncidentCategory,
        verbose_name=_("category"),
        on_delete=models.PROTECT,
        related_name="incidents",
    )
    occurred_at = models.DateTimeField(
        _("when"), default=timezone.now, validators=[validate_event_datetime]
    )
    severity = models.CharField(
        _("severity"), max_length=10, choices=Severity.choices, default=Severity.LOW
    )
    description = models.TextField(
        _("description"), max_length=4000, blank=True, validators=[validate_no_personal_data]
    )
    lat = models.FloatField(
        _("latitude"),
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    lon = models.FloatField(
        _("longitude"),
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
    location_note = models.CharField(
        _("location"), max_length=200, blank=True, validators=[validate_no_personal_data]
    )
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reported by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="incidents_reported",
    )
    reporting_organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("reporting organisation"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="incidents_reported",
        db_index=False,  # incident_org_place below leads with it
    )
    police_notified = models.BooleanField(_("police notified"), default=False)
    visibility = models.CharField(
        _("visibility"), max_length=10, choices=Visibility.choices, default=Visibility.MEMBERS
    )
    # Digest of the one-time key of the form that created it (places/form_keys.py): a double
    # submit saves one incident.
    form_key = models.CharField(
        max_length=64,
        null=True,
        blank=True,
        unique=True,
        editable=False,
        verbose_name=_("form key"),
    )
    # The id a phone gave it while offline (issue #16, static/js/outbox.js): a queued form sent
    # again after a dropped answer saves one incident.
    client_id = models.UUIDField(
        null=True, blank=True, unique=True, editable=False, verbose_name=_("client id")
    )
    # Set by file imports: a fingerprint of the source row, so re-importing creates no duplicates.
    import_key = models.CharField(
        max_length=64, null=True, blank=True, editable=False, verbose_name=_("import key")
    )
    # The reporting organisation's own case number (a guard company's ärendenummer), kept from
    # its file: unique per organisation, so a re-import recognises the rows it already has.
    external_ref = models.CharField(
        _("case number"),
        max_length=64,
        blank=True,
        default="",
        help_text=_("The reporting organisation's own number for the case."),
    )
    # The file it came from, so "show the imported incidents" can list exactly those.
    source_import = models.ForeignKey(
        "IncidentImport",
        verbose_name=_("imported from"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="incidents",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = IncidentQuerySet.as_manager()

    class Meta:
        verbose_name = _("incident")
        verbose_name_plural = _("incidents")
        ordering = ["-occurred_at"]
        indexes = [
            # Covering (PostgreSQL): the dashboard's counts per category, severity, hour and
            # map cell, and the incident list's count of what a member may see (visibility,
            # their own reports), read only these columns, so they scan the index alone
            # (architecture §8).
            models.Index(
                fields=["place", "occurred_at"],
                include=[
                    "category",
                    "severity",
                    "visibility",
                    "police_notified",
                    "lat",
                    "lon",
                    "reported_by",
                ],
                name="incident_place_time",
            ),
            # The organisations that reported at a place (the list's filter): one probe each.
            models.Index(fields=["reporting_organisation", "place"], name="incident_org_place"),
            # Across places by time: the admin's newest-first list and its date filter.
            models.Index(fields=["occurred_at", "id"], name="incident_time"),
            models.Index(
                fields=["place", "category", "occurred_at"], name="incident_place_cat_time"
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["place", "import_key"],
                condition=Q(import_key__isnull=False),
                name="incident_import_key_unique",
            ),
            models.UniqueConstraint(
                fields=["reporting_organisation", "external_ref"],
                condition=~Q(external_ref=""),
                name="incident_external_ref_unique",
            ),
            models.CheckConstraint(
                condition=Q(severity__in=["low", "medium", "high"]), name="incident_severity_valid"
            ),
            models.CheckConstraint(
                condition=Q(visibility__in=["members", "restricted"]),
                name="incident_visibility_valid",
            ),
        ]

    def __str__(self):
        return f"{self.category} {timezone.localtime(self.occurred_at):%Y-%m-%d %H:%M}"

    def get_absolute_url(self):
        return reverse(
            "safety:incident_detail", kwargs={"place_slug": self.place.slug, "pk": self.pk}
        )


class ImportMapping(models.Model):
    """How an organisation's export columns map to incident fields; remembered between imports."""

    organisation = models.OneToOneField(
        "accounts.Organisation",
        on_delete=models.CASCADE,
        related_name="import_mapping",
        verbose_name=_("organisation"),
    )
    mapping = models.JSONField(
        default=dict, verbose_name=_("column mapping"), validators=[validate_storable_json]
    )
    # The organisation's own words for our values: {"category": {"snatteri": "stold-snatteri"}}
    # (the file's word case-folded → our category code), offered at once for its next file.
    values = models.JSONField(
        default=dict,
        blank=True,
        verbose_name=_("value mapping"),
        validators=[validate_storable_json],
    )
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated"))

    class Meta:
        verbose_name = _("import column mapping")
        verbose_name_plural = _("import column mappings")

    def __str__(self):
        return str(self.organisation)


class IncidentImportQuerySet(models.QuerySet):
    def stale(self, *, hours=24):
        """Uploads never confirmed within `hours`: their file content may be dropped."""
        return self.filter(
            status__in=[IncidentImport.Status.UPLOADED, IncidentImport.Status.CHECKED],
            created_at__lt=timezone.now() - timezone.timedelta(hours=hours),
        )


class IncidentImport(models.Model):
    """One uploaded incident file, kept between the upload, mapping, preview and confirm steps.

    Checking every row and importing run as tasks (a file may have 100,000 rows): uploaded →
    checking → checked → importing → imported; the pages show their progress.

    The file lives in the database (not on one web server's disk), so every step works behind a
    load balancer; its content is dropped once imported, and unconfirmed uploads are deleted by
    the daily retention task.
    """

    class Status(models.TextChoices):
        UPLOADED = "uploaded", _("Uploaded")
        CHECKING = "checking", _("Being checked")
        CHECKED = "checked", _("Checked")
        IMPORTING = "importing", _("Being imported")
        IMPORTED = "imported", _("Imported")

    place = models.ForeignKey(
        Place, verbose_name=_("place"), on_delete=models.CASCADE, related_name="incident_imports"
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="incident_imports",
    )
    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("reporting organisation"),
        on_delete=models.CASCADE,
        related_name="incident_imports",
    )
    filename = models.CharField(_("file name"), max_length=255)
    content = models.BinaryField(editable=False, verbose_name=_("file content"))
    mapping = models.JSONField(
        default=dict,
        blank=True,
        verbose_name=_("column mapping"),
        validators=[validate_storable_json],
    )
    # The file's words mapped to our values (as ImportMapping.values), for this upload.
    values = models.JSONField(
        default=dict,
        blank=True,
        verbose_name=_("value mapping"),
        validators=[validate_storable_json],
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.UPLOADED
    )
    rows_total = models.PositiveIntegerField(default=0, verbose_name=_("rows"))
    rows_created = models.PositiveIntegerField(default=0, verbose_name=_("rows imported"))
    rows_skipped = models.PositiveIntegerField(default=0, verbose_name=_("rows already imported"))
    # The check's outcome for the preview (counts, the first row errors and rows), so the page
    # never re-reads the file; and what went wrong when a background step failed.
    result = models.JSONField(default=dict, blank=True, verbose_name=_("check result"))
    error = models.TextField(_("error"), blank=True)
    # When the check or import was last handed to the broker (the sweeper enqueues it again
    # when its task was lost).
    task_enqueued_at = models.DateTimeField(
        _("last enqueued at"), null=True, blank=True, validators=[validate_event_datetime]
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    imported_at = models.DateTimeField(
        _("imported at"), null=True, blank=True, validators=[validate_event_datetime]
    )

    objects = IncidentImportQuerySet.as_manager()

    class Meta:
        verbose_name = _("incident import")
        verbose_name_plural = _("incident imports")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    status__in=["uploaded", "checking", "checked", "importing", "imported"]
                ),
                name="incidentimport_status_valid",
            ),
        ]

    def __str__(self):
        return f"{self.filename} ({self.place})"


class ExternalEvent(models.Model):
    """An event from another organisation's public feed, such as the police's events (issue #15).

    Never an incident and never about a person: it is shown beside the partnership's own figures
    as the source published it, with the source's link. Its summary is screened like any free
    text and left blank when it holds an identifier of a person (`safety.police_events`).
    """

    source = models.CharField(_("source"), max_length=50)
    external_id = models.CharField(_("external id"), max_length=100)
    kind = models.CharField(
        _("type"), max_length=100, blank=True, validators=[validate_no_personal_data]
    )
    summary = models.CharField(
        _("summary"), max_length=1000, blank=True, validators=[validate_no_personal_data]
    )
    occurred_at = models.DateTimeField(_("when"), validators=[validate_event_datetime])
    municipality = models.CharField(_("municipality"), max_length=100, blank=True)
    lat = models.FloatField(
        _("latitude"),
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    lon = models.FloatField(
        _("longitude"),
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
    url = models.URLField(_("link"), max_length=500, blank=True)
    places = models.ManyToManyField(
        Place, related_name="external_events", verbose_name=_("places"), blank=True
    )
    fetched_at = models.DateTimeField(_("fetched at"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("external event")
        verbose_name_plural = _("external events")
        ordering = ["-occurred_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["source", "external_id"], name="external_event_unique_per_source"
            )
        ]
        indexes = [models.Index(fields=["occurred_at"], name="external_event_time")]

    def __str__(self):
        return f"{self.source} {self.external_id}: {self.kind}"


# --- Daily rollups (issue #20) ----------------------------------------------------------------
# Kept by database triggers (safety/rollups.py, places/rollups.py) in the same transaction as every
# write of an incident; never written by Django code except `rebuild_rollups`. Ids, a local date,
# an hour and counts only: no text, nobody.


class IncidentDay(models.Model):
    """Incidents of a place per local day and category, with how many of them were of each
    severity, restricted, reported to the police and positioned. The severities and the
    visibility are counts beside the category rather than keys: the figures need them as
    totals, and a row per category and day keeps the rollup several times smaller than the
    incidents of a busy place."""

    place = rollup_key(Place, _("place"))
    day = models.DateField(_("local day"))
    category = rollup_key(IncidentCategory, _("category"))
    count = models.IntegerField(_("incidents"), default=0)
    low = models.IntegerField(_("low severity"), default=0)
    medium = models.IntegerField(_("medium severity"), default=0)
    high = models.IntegerField(_("high severity"), default=0)
    restricted = models.IntegerField(_("restricted"), default=0)
    police_notified = models.IntegerField(_("police notified"), default=0)
    with_position = models.IntegerField(_("with a position"), default=0)

    class Meta:
        verbose_name = _("incidents per day (rollup)")
        verbose_name_plural = _("incidents per day (rollup)")
        ordering = ["place", "day"]
        constraints = [
            models.UniqueConstraint(fields=["place", "day", "category"], name="incident_day_key")
        ]

    def __str__(self):
        return f"{self.place_id} {self.day}: {self.count}"


class IncidentHour(models.Model):
    """Incidents of a place per local day and local hour (both 02 hours of the October night
    fall into hour 2, as in the weekday × hour table)."""

    place = rollup_key(Place, _("place"))
    day = models.DateField(_("local day"))
    hour = models.PositiveSmallIntegerField(_("local hour"))
    count = models.IntegerField(_("incidents"), default=0)

    class Meta:
        verbose_name = _("incidents per hour (rollup)")
        verbose_name_plural = _("incidents per hour (rollup)")
        ordering = ["place", "day", "hour"]
        constraints = [
            models.UniqueConstraint(fields=["place", "day", "hour"], name="incident_hour_key")
        ]

    def __str__(self):
        return f"{self.place_id} {self.day} {self.hour:02d}: {self.count}"
