from celery import shared_task

from .services import surveys_apply_schedule


@shared_task(name="surveys.apply_schedule", soft_time_limit=60, time_limit=90)
def apply_survey_schedule():
    """Runs every five minutes (CELERY_BEAT_SCHEDULE "surveys-apply-schedule").

    Opens draft surveys whose opening time has come (and that have questions) and closes open
    surveys whose closing time has passed. Conditional updates: idempotent, safe to run late or
    twice. Returns the counts.
    """
    return surveys_apply_schedule()
