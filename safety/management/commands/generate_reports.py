"""Generate situation reports (lägesbilder) synchronously – the same code the worker runs."""

from django.core.management.base import BaseCommand, CommandError, no_translations
from django.utils import timezone

from places.models import Place
from safety.models import SituationReport
from safety.periods import KINDS, ended_periods, parse_period
from safety.services import reports


class Command(BaseCommand):
    help = (
        "Create and generate the situation reports whose period has ended. Without options: "
        "every active place, every kind, the recent periods the daily dispatcher covers."
    )

    def add_arguments(self, parser):
        parser.add_argument("--place", help="Only this place (slug).")
        parser.add_argument("--kind", choices=KINDS, help="Only this kind of report.")
        parser.add_argument(
            "--period", help="One period: 2026-10 (month), 2026-W43 (week) or 2026-Q3 (quarter)."
        )
        parser.add_argument(
            "--regenerate",
            action="store_true",
            help="Generate again even when the report is ready (readers are not e-mailed again).",
        )

    @no_translations
    def handle(self, *args, place=None, kind=None, period=None, regenerate=False, **options):
        places = Place.objects.active().order_by("slug")
        if place:
            places = Place.objects.filter(slug=place)
            if not places.exists():
                raise CommandError(f"No place with the slug “{place}”.")
        today = timezone.localdate()
        if period:
            try:
                chosen = parse_period(period)
            except ValueError as exc:
                raise CommandError(str(exc)) from exc
            if kind and kind != chosen.kind:
                raise CommandError(f"{period} is a {chosen.kind} period, not {kind}.")
            if not chosen.has_ended(today):
                raise CommandError(
                    f"The period {chosen.code} has not ended yet ({chosen.start} – "
                    f"{chosen.end}, exclusive); its report can be made from {chosen.end}."
                )
            periods = [chosen]
        else:
            periods = [
                p
                for k in ([kind] if kind else KINDS)
                for p in ended_periods(k, today=today, count=reports.CATCH_UP_PERIODS[k])
            ]
        counts = {"created": 0, "generated": 0, "skipped": 0, "failed": 0}
        for place_obj in places:
            for chosen in periods:
                self._one(place_obj, chosen, regenerate, counts)
        self.stdout.write(
            "Done: {created} created, {generated} generated, {skipped} skipped, "
            "{failed} failed.".format(**counts)
        )
        if counts["failed"]:
            raise CommandError(f"{counts['failed']} report(s) failed.")

    def _one(self, place, period, regenerate, counts):
        label = f"{place.slug} {period.kind} {period.code}"
        report, created = self._request(place, period, regenerate)
        if created:
            counts["created"] += 1
        if report.status == SituationReport.Status.READY and not regenerate:
            self.stdout.write(f"skipped  {label}: already ready")
            counts["skipped"] += 1
            return
        try:
            generated = reports.report_generate(report_id=report.pk)
        except Exception as exc:  # recorded on the report, like the worker does
            reports.report_mark_failed(report_id=report.pk, error=f"{type(exc).__name__}: {exc}")
            self.stdout.write(self.style.ERROR(f"failed   {label}: {exc}"))
            counts["failed"] += 1
            return
        if generated:
            verb = "created " if created else "generated"
            self.stdout.write(self.style.SUCCESS(f"{verb} {label}"))
            counts["generated"] += 1
        else:
            self.stdout.write(f"skipped  {label}: already ready")
            counts["skipped"] += 1

    def _request(self, place, period, regenerate):
        # Without enqueueing: this command generates in-process, synchronously.
        report, created = SituationReport.objects.get_or_create(
            place=place,
            kind=period.kind,
            period_start=period.start,
            defaults={"period_end": period.end},
        )
        if regenerate and not created:
            SituationReport.objects.filter(pk=report.pk).exclude(
                status=SituationReport.Status.PENDING
            ).update(status=SituationReport.Status.PENDING, error="")
            report.refresh_from_db()
        return report, created
