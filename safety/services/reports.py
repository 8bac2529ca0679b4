"""Write-side services for situation reports (lägesbilder).

Reports follow architecture §5: a report row is created once per (place, kind, period) – the unique
constraint makes that exact – and its generation is idempotent: a conditional
`UPDATE … WHERE status IN ('pending', 'failed')` decides which run writes the figures, and the
readers' e-mails are queued in the outbox in that same transaction, so a redelivered or
duplicated task changes nothing and a ready report always has its notices on the way.

Nothing waits for a task that was lost: `report_sweep` (beat, every few minutes) enqueues again
every pending report whose last enqueue is older than `REQUEUE_AFTER` and every failed one with
attempts left (README "Reliability").
"""

import datetime as dt
import logging

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import User
from places.models import (
    Place,
)

from ..figures import place_figures
from ..models import SituationReport
from ..periods import KINDS, Period, ended_periods
from ..webhook_events import emit_report_ready

logger = logging.getLogger(__name__)

# How many past periods the dispatcher looks back over, so a missed day (or week) of beat runs
# is caught up on the next run.
CATCH_UP_PERIODS = {"weekly": 6, "monthly": 3, "quarterly": 2}
# A report enqueued longer ago than this and still pending has lost its task (the broker was
# down at commit, Redis restarted empty, a worker was killed …): the sweeper enqueues it again.
# Above the generation task's time limit (3 minutes), so a live task is seldom doubled – and a
# double is harmless (the conditional update lets one of them write).
REQUEUE_AFTER = dt.timedelta(minutes=10)
# Attempts (each run of the generation, retries included) after which a report stays failed
# until a manager regenerates it: a report that always kills its worker must not loop for ever.
MAX_ATTEMPTS = 8
ERROR_MAX_LENGTH = 2000


# --- Reports ------------------------------------------------------------------------------


def _enqueue_generation(report_id: int) -> None:
    """Stamp the report as enqueued and publish its generation once the transaction commits.
    A broker outage is logged, not raised: the sweeper enqueues the report again."""
    from amp_platform.celery import publish

    from ..tasks import generate_situation_report

    SituationReport.objects.filter(pk=report_id).update(enqueued_at=timezone.now())
    # robust: with eager tasks (zero-setup run) a failing generation is recorded on the report
    # instead of breaking the request that asked for it.
    transaction.on_commit(lambda: publish(generate_situation_report, report_id), robust=True)


def report_request(*, place, period: Period, regenerate: bool = False):
    """Make sure a report exists for `period` and is (re)generated. Returns (report, created).

    A new report is created pending and its generation enqueued on commit. An existing pending
    report is enqueued again; with `regenerate`, a ready or failed one is set back to pending
    first (readers who were notified are not notified again).
    """
    if not period.has_ended():
        raise ValidationError(
            _("The period %(period)s has not ended yet; its report can be made from %(day)s.")
            % {"period": period.code, "day": period.end.isoformat()},
            code="period_not_ended",
        )
    with transaction.atomic():
        try:
            with transaction.atomic():
                report, created = SituationReport.objects.get_or_create(
                    place=place,
                    kind=period.kind,
                    period_start=period.start,
                    defaults={"period_end": period.end},
                )
        except IntegrityError:  # a concurrent request created it first
            report, created = (
                SituationReport.objects.get(
                    place=place, kind=period.kind, period_start=period.start
                ),
                False,
            )
        if not created and regenerate:
            # A manager asking again gets a fresh set of attempts.
            SituationReport.objects.filter(
                pk=report.pk,
                status__in=[SituationReport.Status.READY, SituationReport.Status.FAILED],
            ).update(status=SituationReport.Status.PENDING, error="", attempts=0)
            report.refresh_from_db()
        if created or report.status == SituationReport.Status.PENDING:
            _enqueue_generation(report.pk)
    return report, created


def report_generate(*, report_id: int, now=None, notify: bool = True) -> SituationReport | None:
    """Compute and freeze a pending (or failed) report's figures. Idempotent.

    Returns the report when this call made it ready, None when there was nothing to do (it was
    ready already, or another run finished first). Exceptions propagate; the caller records
    them with `report_mark_failed`.
    """
    pending = Q(status__in=[SituationReport.Status.PENDING, SituationReport.Status.FAILED])
    claimed = SituationReport.objects.filter(
        pending, pk=report_id, attempts__lt=MAX_ATTEMPTS
    ).update(attempts=F("attempts") + 1)
    if not claimed:
        # Out of attempts: say so, once, instead of trying again for ever.
        SituationReport.objects.filter(
            status=SituationReport.Status.PENDING, pk=report_id, attempts__gte=MAX_ATTEMPTS
        ).update(
            status=SituationReport.Status.FAILED,
            error=f"Gave up after {MAX_ATTEMPTS} attempts.",
        )
        return None
    report = SituationReport.objects.select_related("place").get(pk=report_id)
    figures = place_figures(
        place=report.place, start=report.period_start, end=report.period_end, now=now
    )
    with transaction.atomic():
        done = SituationReport.objects.filter(pending, pk=report_id).update(
            status=SituationReport.Status.READY,
            figures=figures,
            generated_at=timezone.now(),
            error="",
        )
        if not done:
            return None
        emit_report_ready(report)
        if notify:
            report_notify_readers(report_id=report_id)
    report.refresh_from_db()
    return report


def report_mark_failed(*, report_id: int, error: str, final: bool = True) -> None:
    """Record a failed attempt on the report; `final` marks it failed (shown to managers)."""
    values = {"error": error[:ERROR_MAX_LENGTH]}
    if final:
        values["status"] = SituationReport.Status.FAILED
    SituationReport.objects.filter(pk=report_id).exclude(
        status=SituationReport.Status.READY
    ).update(**values)


def report_recipients(place):
    """Everyone with a role at the place (every role reads the lägesbild) who wants e-mail."""
    return (
        User.objects.filter(place_roles__place=place, is_active=True, report_notifications=True)
        .distinct()
        .order_by("email")
    )


def report_notify_readers(*, report_id: int) -> int:
    """Queue one e-mail per reader that the report is ready: a link, no incident details.

    Called in the transaction that makes the report ready, so the notices exist exactly when
    the ready report does; they go out through the outbox once it commits (places/outbox.py).
    The conditional update of `notified_at` and the outbox key (the report and the reader) are
    the guards: however often it runs, each reader gets one mail. Returns the mails queued.
    """
    from places.outbox import Mail, outbox_add

    with transaction.atomic():
        claimed = SituationReport.objects.filter(
            pk=report_id, status=SituationReport.Status.READY, notified_at__isnull=True
        ).update(notified_at=timezone.now())
        if not claimed:
            return 0
        report = SituationReport.objects.select_related("place").get(pk=report_id)
        url = settings.SITE_URL + report.get_absolute_url()
        mails = []
        for user in report_recipients(report.place):
            with translation.override(user.preferred_language or settings.LANGUAGE_CODE):
                context = {"report": report, "place": report.place, "url": url, "user": user}
                subject = render_to_string("safety/email/report_ready_subject.txt", context)
                body = render_to_string("safety/email/report_ready_body.txt", context)
            mails.append(Mail(to=user.email, subject=subject, body=body, user=user))
        outbox_add(kind="report_ready", object_key=str(report.pk), mails=mails)
        # The bell (issue #13): everyone with a role reads the lägesbild, e-mail or not.
        from places.services.notifications import notify

        with translation.override(settings.LANGUAGE_CODE):
            title = _("%(title)s for %(place)s is ready") % {
                "title": report.title,
                "place": report.place.name,
            }
        notify(
            users=User.objects.filter(place_roles__place=report.place, is_active=True),
            kind="report_ready",
            object_key=f"report:{report.pk}",
            title=title,
            url=report.get_absolute_url(),
            place=report.place,
        )
    return len(mails)


def dispatch_due_reports(*, today: dt.date | None = None, kinds=KINDS) -> list[SituationReport]:
    """Create the missing reports of every active place and kind whose period has ended.

    Looks back over the last few periods (CATCH_UP_PERIODS), so running it twice creates
    nothing new and running it after missed days catches up. Periods that ended before a place
    was created are skipped. Pending reports whose task got lost are enqueued again.
    Returns the reports created.
    """
    today = today or timezone.localdate()
    places = list(Place.objects.active().only("pk", "created_at", "slug"))
    wanted: list[tuple[Place, Period]] = []
    for kind in kinds:
        for period in ended_periods(kind, today=today, count=CATCH_UP_PERIODS[kind]):
            wanted.extend(
                (place, period)
                for place in places
                if period.end > timezone.localtime(place.created_at).date()
            )
    if not wanted:
        return []
    oldest = min(period.start for _place, period in wanted)
    existing = set(
        SituationReport.objects.filter(
            place__in=places, kind__in=kinds, period_start__gte=oldest
        ).values_list("place_id", "kind", "period_start")
    )
    created = []
    for place, period in wanted:
        if (place.pk, period.kind, period.start) in existing:
            continue
        report, was_created = report_request(place=place, period=period)
        if was_created:
            created.append(report)
    return created


def report_sweep(*, now=None) -> dict:
    """Enqueue again what no task will finish: pending reports last enqueued over
    `REQUEUE_AFTER` ago (or never), and failed ones with attempts left whose last try is that
    old. Runs on beat every five minutes; returns the counts."""
    now = now or timezone.now()
    old = Q(enqueued_at__isnull=True) | Q(enqueued_at__lt=now - REQUEUE_AFTER)
    pending = list(
        SituationReport.objects.filter(old, status=SituationReport.Status.PENDING).values_list(
            "pk", flat=True
        )
    )
    failed = list(
        SituationReport.objects.filter(
            old, status=SituationReport.Status.FAILED, attempts__lt=MAX_ATTEMPTS
        ).values_list("pk", flat=True)
    )
    with transaction.atomic():
        if failed:
            SituationReport.objects.filter(
                pk__in=failed, status=SituationReport.Status.FAILED
            ).update(status=SituationReport.Status.PENDING)
        for report_id in pending + failed:
            _enqueue_generation(report_id)
    if pending or failed:
        logger.warning(
            "Report sweep: enqueued %d pending and %d failed reports again",
            len(pending),
            len(failed),
        )
    return {"pending": len(pending), "failed": len(failed)}
