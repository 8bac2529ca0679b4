"""Importing sensors' visitor counts (issue #18): a CSV or Excel file with the columns
timestamp; count; sensor (Swedish headers too: tidpunkt; antal; sensor).

The file is read by the incident import's reader (`safety.import_files.read_table`), within the
same `IMPORT_MAX_*` limits, and its dates by the same parser (`safety.services.imports.parse_when`).
All or nothing: every row is checked first, and with any row error nothing is saved and every
error is listed. Importing the same file again adds nothing (a sensor counts a moment once:
unique place × sensor × timestamp).
"""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from accounts.bounds import Horizon, check_moment
from places.models import VisitorCount
from places.privacy import validate_no_personal_data

from ..cache import place_changed
from ..import_files import ImportFileError, read_table
from ..periods import local_tz
from .imports import parse_when

COLUMNS = {
    "timestamp": ("timestamp", "tidpunkt", "tid", "datum", "time", "datetime"),
    "count": ("count", "antal", "people", "besökare", "personer"),
    "sensor": ("sensor", "givare", "sensor id", "sensor_id", "device"),
}
MAX_ERRORS_SHOWN = 50


@dataclass
class SensorImportResult:
    rows: int = 0
    created: int = 0
    already: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)
    error_count: int = 0


def _column(headers: list[str], names) -> int | None:
    folded = [h.strip().lower() for h in headers]
    for name in names:
        if name in folded:
            return folded.index(name)
    return None


def _cell(cells: list, index: int | None):
    if index is None or index >= len(cells):
        return None
    return cells[index]


def import_sensor_counts(
    *, place, actor, data: bytes, filename: str, minutes: int
) -> SensorImportResult:
    """Check every row, then save them all in one transaction – or none, with the errors."""
    try:
        table = read_table(data, filename)
    except ImportFileError as error:
        raise ValidationError(str(error)) from None
    where = {key: _column(table.headers, names) for key, names in COLUMNS.items()}
    missing = [key for key in ("timestamp", "count") if where[key] is None]
    if missing:
        raise ValidationError(
            _("The file needs the columns timestamp and count (and sensor); found: %(found)s.")
            % {"found": ", ".join(table.headers)}
        )
    result = SensorImportResult(rows=len(table.rows))
    memo: dict = {}
    tz = local_tz()
    seen: dict[tuple[str, object], int] = {}
    counts: list[VisitorCount] = []

    def error(number, message):
        result.error_count += 1
        if len(result.errors) < MAX_ERRORS_SHOWN:
            result.errors.append((number, message))

    for number, cells in table.rows:
        raw_when = _cell(cells, where["timestamp"])
        raw_count = _cell(cells, where["count"])
        sensor = str(_cell(cells, where["sensor"]) or "").strip()[:100]
        try:
            naive = parse_when(raw_when, memo=memo)
        except (ValueError, OverflowError):
            naive = None
        if naive is None:
            error(
                number,
                _("The timestamp “%(value)s” is not a date and time.")
                % {"value": str(raw_when)[:40]},
            )
            continue
        moment = naive.replace(tzinfo=tz)
        try:
            check_moment(moment, Horizon.EVENT)
        except ValidationError as exc:
            error(number, " ".join(exc.messages))
            continue
        try:
            people = int(str(raw_count).replace(" ", "").replace("\xa0", ""))
        except (TypeError, ValueError):
            people = None
        if people is None or not 0 <= people <= VisitorCount.MAX_PEOPLE:
            error(
                number,
                _("The count “%(value)s” is not a whole number from 0 to 1,000,000.")
                % {"value": str(raw_count)[:40]},
            )
            continue
        try:
            validate_no_personal_data(sensor)
        except ValidationError as exc:
            error(number, " ".join(exc.messages))
            continue
        key = (sensor, moment)
        if key in seen:
            error(number, _("The same sensor and time as row %(row)s.") % {"row": seen[key]})
            continue
        seen[key] = number
        counts.append(
            VisitorCount(
                place=place,
                counted_at=moment,
                duration_minutes=minutes,
                people=people,
                source=VisitorCount.Source.SENSOR,
                sensor=sensor,
                recorded_by=actor,
            )
        )
    if result.error_count:
        return result
    try:
        with transaction.atomic():
            before = VisitorCount.objects.filter(place=place).count()
            VisitorCount.objects.bulk_create(counts, batch_size=1000, ignore_conflicts=True)
            created = VisitorCount.objects.filter(place=place).count() - before
            # bulk_create sends no signals: the figures' cache is told here.
            place_changed(place.pk)
    except IntegrityError as error_:
        raise ValidationError(_("The counts could not be saved; nothing was imported.")) from error_
    result.created = created
    result.already = len(counts) - created
    return result
