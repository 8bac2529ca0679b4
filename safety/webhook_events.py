"""The safety events offered to a place's outbound webhooks (issue #15, `places.services.webhooks`).

Each payload holds ids, the place, codes, times and a link to the page (which asks for a
login, with the usual access rules) – never a description, an alert's text or anything else
typed as free text, and nothing more for a restricted incident than that one exists.
"""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from places.links import absolute_url
from places.services.webhooks import register_event, webhook_emit

INCIDENT_CREATED = "incident.created"
ALERT_CREATED = "alert.created"
REPORT_READY = "report.ready"


def register() -> None:
    register_event(INCIDENT_CREATED, _("An incident is recorded"))
    register_event(ALERT_CREATED, _("An alert is sent"))
    register_event(REPORT_READY, _("A situation report is ready"))


def emit_incident_created(incident) -> int:
    restricted = incident.visibility == "restricted"
    return webhook_emit(
        place=incident.place,
        event=INCIDENT_CREATED,
        object_key=f"incident:{incident.pk}",
        payload={
            "incident_id": incident.pk,
            "category": None if restricted else incident.category.code,
            "severity": None if restricted else incident.severity,
            "restricted": restricted,
            "occurred_at": incident.occurred_at.isoformat(),
            "url": absolute_url(incident.get_absolute_url()),
        },
    )


def emit_alert_created(alert) -> int:
    return webhook_emit(
        place=alert.place,
        event=ALERT_CREATED,
        object_key=f"alert:{alert.pk}",
        payload={
            "alert_id": alert.pk,
            "severity": alert.severity,
            "scenario_id": alert.scenario_id,
            "created_at": alert.created_at.isoformat(),
            "url": absolute_url(
                reverse(
                    "safety:alert_detail",
                    kwargs={"place_slug": alert.place.slug, "pk": alert.pk},
                )
            ),
        },
    )


def emit_report_ready(report) -> int:
    return webhook_emit(
        place=report.place,
        event=REPORT_READY,
        object_key=f"report:{report.pk}",
        payload={
            "report_id": report.pk,
            "kind": report.kind,
            "period_start": report.period_start.isoformat(),
            "period_end": report.period_end.isoformat(),
            "url": absolute_url(report.get_absolute_url()),
        },
    )
