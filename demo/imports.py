"""Demo (issue #19): the guard company Väktarbolaget Trygg Stad's file of two months ago waits
at Möllevångstorget, checked, at its one question – what "Snatteri", "Berusad person" and
"Larmutryckning" mean. The manager answers it, imports the 19 valid rows (the row with a licence
plate is left out, downloadable with its reason), and then uploads last month's file
(`python manage.py guard_report_file 2 --out rapport.csv`), which imports with no questions."""

from django.utils import timezone

from safety.guard_files import guard_report, guard_report_name, month_start
from safety.models import IncidentImport
from safety.services import imports


def seed(ctx) -> None:
    place = ctx.places.get("mollevangstorget")
    guards = ctx.orgs.get("trygg_stad")
    manager = ctx.users.get("manager")
    if not (place and guards and manager):
        return
    if IncidentImport.objects.filter(place=place, organisation=guards).exists():
        return
    month = month_start(2, today=timezone.localdate())
    upload = imports.incident_import_upload(
        place=place,
        actor=manager,
        organisation=guards,
        filename=guard_report_name(1, month=month),
        data=guard_report(1, month=month),
    )
    # The columns were matched (and are remembered for the next file); the check ran, as the
    # background task does.
    imports.incident_import_set_mapping(upload=upload, mapping=upload.mapping)
    IncidentImport.objects.filter(pk=upload.pk).update(status=IncidentImport.Status.CHECKING)
    imports.incident_import_check(upload_id=upload.pk, language="sv")
    ctx.say("a guard company's file waiting at its value mapping (incidents → import)")
