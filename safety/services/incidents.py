"""Write-side services for incidents and interventions (the measures taken at a place)."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from places.models import (
    PlaceRole,
)

from ..models import Incident
from ..webhook_events import emit_incident_created

# --- Incidents ----------------------------------------------------------------------------


def reporting_organisation_for(*, place, user):
    """The organisation a user reports for at a place: the one their role there represents,
    or none. Their account's organisation is not a fallback: it may be one they represent at
    another place, or only in applications (architecture §4)."""
    role = PlaceRole.objects.filter(place=place, user=user).select_related("organisation").first()
    return role.organisation if role else None


INCIDENT_FIELDS = (
    "category",
    "occurred_at",
    "severity",
    "description",
    "lat",
    "lon",
    "location_note",
    "police_notified",
    "visibility",
)


def incident_create(
    *, place, actor, data: dict, form_key: str | None = None, client_id=None
) -> Incident:
    """Log an incident at `place` by `actor` (a reporter or manager there).

    `form_key` is the digest of the form's one-time key (places/form_keys.py) and `client_id`
    the id a phone gave a form queued offline (issue #16): a form sent twice – a double click
    on a slow connection, a queued form resent after a dropped answer – raises `AlreadySaved`
    with the incident the first submission saved."""
    from places.form_keys import AlreadySaved
    from places.services import saved_before

    incident = Incident(
        place=place,
        reported_by=actor,
        reporting_organisation=reporting_organisation_for(place=place, user=actor),
        form_key=form_key,
        client_id=client_id,
        **{key: data[key] for key in INCIDENT_FIELDS if key in data},
    )
    incident.full_clean(validate_unique=False)
    if existing := saved_before(Incident, form_key=form_key, client_id=client_id):
        raise AlreadySaved(existing)
    try:
        with transaction.atomic():
            incident.save()
            emit_incident_created(incident)
    except IntegrityError:
        existing = saved_before(Incident, form_key=form_key, client_id=client_id)
        if existing is None:
            raise
        raise AlreadySaved(existing) from None
    return incident


def incident_update(*, incident: Incident, data: dict) -> Incident:
    """Change an incident's details (its author or a manager – the view checks who)."""
    for key in INCIDENT_FIELDS:
        if key in data:
            setattr(incident, key, data[key])
    incident.full_clean()
    with transaction.atomic():
        incident.save()
    return incident


# --- Interventions --------------------------------------------------------------------------


def intervention_save(*, form, actor):
    """Save a valid `InterventionForm` (the measure and its links) in one transaction."""
    try:
        with transaction.atomic():
            intervention = form.save(commit=False)
            if intervention.pk is None:
                intervention.created_by = actor
            intervention.full_clean(exclude=["categories", "activities", "action_items"])
            intervention.save()
            form.save_m2m()
    except IntegrityError as error:
        raise ValidationError(_("The intervention could not be saved; check the dates.")) from error
    return intervention
