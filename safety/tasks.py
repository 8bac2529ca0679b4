"""Celery tasks for situation reports (lägesbilder) and free-text retention.

Beat runs `dispatch_situation_reports` and `clear_expired_free_text` daily (CELERY_BEAT_SCHEDULE
in settings); the other tasks are enqueued on commit by the services. Every task takes ids,
is idempotent and delegates to `safety.services`.
"""

import logging
import smtplib

from celery import Task, shared_task
from django.db import DatabaseError, InterfaceError, OperationalError

from . import services

logger = logging.getLogger(__name__)

# Errors worth another try: the database or the mail server was briefly away.
TRANSIENT_DB_ERRORS = (OperationalError, InterfaceError, ConnectionError, TimeoutError)
TRANSIENT_MAIL_ERRORS = (smtplib.SMTPException, ConnectionError, TimeoutError, OSError)


def _report_id(args, kwargs):
    return kwargs.get("report_id", args[0] if args else None)


class SituationReportTask(Task):
    """Records each failed attempt on the report, and the final failure for managers to see."""

    def on_retry(self, exc, task_id, args, kwargs, einfo):
        report_id = _report_id(args, kwargs)
        attempt = self.request.retries + 1
        services.report_mark_failed(
            report_id=report_id,
            error=f"Attempt {attempt} failed, retrying: {type(exc).__name__}: {exc}",
            final=False,
        )

    def on_failure(self, exc, task_id, args, kwargs, einfo):
        report_id = _report_id(args, kwargs)
        logger.error("Situation report %s failed: %r", report_id, exc)
        try:
            services.report_mark_failed(
                report_id=report_id, error=f"{type(exc).__name__}: {exc}", final=True
            )
        except DatabaseError:  # the database is what failed: nothing more we can record
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

    Enqueued on commit when the dispatcher, a manager or `generate_reports` creates a report.
    Changes: the report's status, figures, generated_at, error and attempts; on success it
    enqueues the readers' notification. Idempotent: a ready report is left alone.
    """
    report = services.report_generate(report_id=report_id)
    return "generated" if report else "skipped"


@shared_task(
    name="safety.notify_report_readers",
    autoretry_for=TRANSIENT_MAIL_ERRORS,
    retry_backoff=60,
    max_retries=3,
    acks_late=True,
    soft_time_limit=120,
    time_limit=180,
)
def notify_report_readers(report_id: int) -> int:
    """E-mail the place's readers that the report is ready (once; guarded by notified_at).

    Enqueued on commit when a report becomes ready. Changes: the report's notified_at.
    """
    return services.report_notify_readers(report_id=report_id)


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
    created = services.dispatch_due_reports()
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
    counts = services.free_text_clear_expired()
    logger.info("Cleared expired free text: %s", counts)
    return counts
