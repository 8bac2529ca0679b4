"""Celery tasks for situation reports (lägesbilder) and free-text retention.

Beat runs `dispatch_situation_reports` and `clear_expired_free_text` daily and
`sweep_situation_reports` every five minutes (CELERY_BEAT_SCHEDULE in settings); the other tasks
are enqueued on commit by the services. Every task takes ids,
is idempotent and delegates to `safety.services` (reports, retention, alerts).
"""

import logging

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.db import DatabaseError, InterfaceError, OperationalError

from amp_platform.celery import Task

from .services import reports, retention

logger = logging.getLogger(__name__)

# Errors worth another try: the database was briefly away (or a statement hit its timeout).
TRANSIENT_DB_ERRORS = (OperationalError, InterfaceError, ConnectionError, TimeoutError)


def _report_id(args, kwargs):
    return kwargs.get("report_id", args[0] if args else None)


def _describe(exc) -> str:
    if isinstance(exc, SoftTimeLimitExceeded):
        return "The generation took longer than its time limit and was stopped."
    return f"{type(exc).__name__}: {exc}"


class SituationReportTask(Task):
    """Records each failed attempt on the report, and the final failure for managers to see.

    Both hooks start on a fresh database connection (`before_recording`): the failure may be
    the connection itself, killed or still busy with a query a time limit interrupted, and a
    failure that cannot be recorded would leave the report pending with no word of why.
    """

    def on_retry(self, exc, task_id, args, kwargs, einfo):
        self.before_recording()
        report_id = _report_id(args, kwargs)
        attempt = self.request.retries + 1
        try:
            reports.report_mark_failed(
                report_id=report_id,
                error=f"Attempt {attempt} failed, retrying: {_describe(exc)}",
                final=False,
            )
        except DatabaseError:  # the retry is on its way; the note is only a note
            logger.exception("Could not note the retry of report %s", report_id)

    def on_failure(self, exc, task_id, args, kwargs, einfo):
        self.before_recording()
        report_id = _report_id(args, kwargs)
        logger.error("Situation report %s failed: %r", report_id, exc)
        try:
            reports.report_mark_failed(report_id=report_id, error=_describe(exc), final=True)
        except DatabaseError:  # the database is what failed: the sweeper retries the report
            logger.exception("Could not record the failure of report %s", report_id)


@shared_task(
    name="safety.generate_situation_report",
    base=SituationReportTask,
    autoretry_for=TRANSIENT_DB_ERRORS,
    retry_backoff=30,
    retry_backoff_max=900,
    retry_jitter=True,
    max_retries=5,
    acks_late=True,
    soft_time_limit=120,
    time_limit=180,
)
def generate_situation_report(report_id: int) -> str:
    """Freeze the figures of a pending or failed report and mark it ready.

    Enqueued on commit when the dispatcher, a manager or `generate_reports` creates a report,
    and by the sweeper. Changes: the report's status, figures, generated_at, error and attempts;
    on success it queues the readers' e-mails in the outbox in the same transaction.
    Idempotent: a ready report is left alone.
    """
    report = reports.report_generate(report_id=report_id)
    return "generated" if report else "skipped"


@shared_task(name="safety.sweep", acks_late=True, soft_time_limit=60, time_limit=90)
def sweep() -> dict:
    """Enqueue again what no task will finish: pending reports whose last enqueue is over ten
    minutes old, failed ones with attempts left, incident checks and imports whose task was
    lost. Runs every five minutes (beat). Changes: failed reports back to pending, and the
    enqueue times."""
    from .services.imports import incident_import_sweep

    counts = reports.report_sweep()
    counts["imports"] = incident_import_sweep()
    return counts


class IncidentImportTask(Task):
    """A check or import that fails for good goes back a step with the reason, on a fresh
    database connection (the failure may be the connection)."""

    def on_failure(self, exc, task_id, args, kwargs, einfo):
        from .services.imports import incident_import_task_failed

        self.before_recording()
        upload_id = kwargs.get("upload_id", args[0] if args else None)
        logger.error("Incident import %s failed: %r", upload_id, exc)
        try:
            incident_import_task_failed(upload_id=upload_id, error=_describe(exc))
        except DatabaseError:
            logger.exception("Could not record the failure of import %s", upload_id)


@shared_task(
    name="safety.check_incident_import",
    base=IncidentImportTask,
    acks_late=True,
    soft_time_limit=300,
    time_limit=360,
)
def check_incident_import(upload_id: int, language: str | None = None) -> bool:
    """Check every row of an uploaded incident file and store the result for the preview.

    Enqueued on commit when a manager has matched the columns, and by the sweeper. Changes the
    upload: checking → checked (or back to uploaded when the file cannot be read). Idempotent:
    an upload no longer being checked is left alone. Progress goes to the cache.
    """
    from .services.imports import incident_import_check

    return incident_import_check(upload_id=upload_id, language=language)


@shared_task(
    name="safety.confirm_incident_import",
    base=IncidentImportTask,
    acks_late=True,
    soft_time_limit=300,
    time_limit=360,
)
def confirm_incident_import(upload_id: int, user_id: int | None) -> str:
    """Import every row of a checked file, or none: one transaction.

    Enqueued on commit when a manager confirms, and by the sweeper. Changes: inserts the
    incidents and marks the upload imported; a file that no longer checks out goes back to
    checked with the new errors. Idempotent: an imported upload is left alone.
    """
    from accounts.models import User

    from .import_files import ImportFileError
    from .models import IncidentImport
    from .services.imports import _progress_recorder, incident_import_confirm

    if not IncidentImport.objects.filter(
        pk=upload_id, status=IncidentImport.Status.IMPORTING
    ).exists():
        return "skipped"
    user = User.objects.filter(pk=user_id).first()
    confirmed = IncidentImport.objects.filter(pk=upload_id, result__names_confirmed=True).exists()
    valid_only = IncidentImport.objects.filter(pk=upload_id, result__valid_only=True).exists()
    try:
        validation = incident_import_confirm(
            upload_id=upload_id,
            actor=user,
            progress=_progress_recorder(upload_id),
            record=True,
            names_confirmed=confirmed,
            valid_only=valid_only,
        )
    except ImportFileError:
        return "skipped"
    return "imported" if validation.may_import(valid_only=valid_only) else "refused"


@shared_task(
    name="safety.dispatch_situation_reports",
    acks_late=True,
    soft_time_limit=300,
    time_limit=360,
)
def dispatch_situation_reports() -> int:
    """Create every report whose period has ended and enqueue its generation.

    Runs daily early in the morning (beat). Creates SituationReport rows (one per place, kind
    and period – unique), catching up on the last few periods after missed runs.
    """
    created = reports.dispatch_due_reports()
    logger.info("Dispatched %d situation reports", len(created))
    return len(created)


@shared_task(
    name="safety.clear_expired_free_text",
    acks_late=True,
    soft_time_limit=600,
    time_limit=660,
)
def clear_expired_free_text() -> dict:
    """Clear free text past FREE_TEXT_RETENTION_DAYS on incidents, activities, action items.

    Runs daily at night (beat). Changes: description/location_note/note set to "" on old rows;
    deletes name confirmations of that age and incident uploads never confirmed; records the
    counts as a FreeTextClearance (the admin shows them). Aggregate figures are unaffected.
    """
    counts = retention.free_text_clear_expired()
    logger.info("Cleared expired free text: %s", counts)
    return counts


# --- Samverkansplan and larm (issue #13) ----------------------------------------------------


@shared_task(
    name="safety.fan_out_alert",
    acks_late=True,
    autoretry_for=TRANSIENT_DB_ERRORS,
    retry_backoff=2,
    max_retries=5,
    soft_time_limit=120,
    time_limit=150,
)
def fan_out_alert(alert_id: int) -> int:
    """Write a new alert's deliveries (one per recipient and channel) and notifications.

    Enqueued on commit by `alert_send`, and by the sweeper for alerts whose task was lost.
    Changes: AlertDelivery and Notification rows, `Alert.fanned_out_at` (a conditional update:
    a second run writes nothing); the delivery task is enqueued when it commits."""
    from .services.alerts import fan_out

    return fan_out(alert_id=alert_id)


@shared_task(
    name="safety.deliver_alert",
    acks_late=True,
    autoretry_for=TRANSIENT_DB_ERRORS,
    retry_backoff=5,
    max_retries=5,
    soft_time_limit=240,
    time_limit=300,
)
def deliver_alert(alert_id: int) -> int:
    """Send the alert's pending deliveries (e-mail through the outbox, push, SMS).

    Enqueued on commit by the fan-out and each escalation, and by the sweeper. Changes: claims
    rows pending → sending → sent with conditional updates, so a second run sends nothing
    twice. Idempotent."""
    from .services.alerts import deliver

    return deliver(alert_id=alert_id)


@shared_task(name="safety.sweep_alerts", acks_late=True, soft_time_limit=50, time_limit=58)
def sweep_alerts() -> dict:
    """Every minute (beat): escalate unanswered alerts to the next contact-chain link (once,
    by a conditional update), release deliveries a dead worker left in "sending", enqueue
    delivery where rows are pending."""
    from .services.alerts import sweep

    return sweep()


@shared_task(name="safety.plan_reconfirmation", acks_late=True, soft_time_limit=300)
def plan_reconfirmation() -> int:
    """Daily (beat): ask for the yearly re-confirmation of each place's current plan
    version (a notification per person, once a year)."""
    from .services.alerts import plan_reconfirmation as ask

    return ask()


@shared_task(name="safety.fetch_police_events", acks_late=True, soft_time_limit=120, time_limit=150)
def fetch_police_events() -> dict:
    """Every 15 minutes (beat), when POLICE_EVENTS_URL is set: the police's events near each
    place as external events (`safety.police_events`); idempotent by the event's id, so a lost or
    repeated run only catches up."""
    from .police_events import FeedError
    from .police_events import fetch_police_events as fetch

    try:
        return fetch()
    except FeedError as error:
        logger.warning("Police events feed not read: %s", error)
        return {"kept": 0, "skipped": 0, "error": str(error)}
