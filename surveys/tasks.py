from celery import shared_task

from .services import answers_clear_expired_text, surveys_apply_schedule


@shared_task(name="surveys.apply_schedule", soft_time_limit=60, time_limit=90)
def apply_survey_schedule():
    """Runs every five minutes (CELERY_BEAT_SCHEDULE "surveys-apply-schedule").

    Opens draft surveys whose opening time has come (and that have questions) and closes open
    surveys whose closing time has passed. Conditional updates: idempotent, safe to run late or
    twice. Returns the counts.
    """
    return surveys_apply_schedule()


@shared_task(name="surveys.clear_expired_free_text", soft_time_limit=600, time_limit=660)
def clear_expired_survey_free_text():
    """Runs nightly (CELERY_BEAT_SCHEDULE "surveys-clear-expired-free-text").

    Clears the text of free-text answers submitted more than FREE_TEXT_RETENTION_DAYS ago; scale,
    yes/no and choice answers stay, so the safety index is unchanged. Idempotent. Returns the count.
    """
    return answers_clear_expired_text()
