"""Incident import from guard companies' CSV and Excel exports.

Reading (`import_files.py`, within the `IMPORT_MAX_*` limits): CSV in UTF-8 (with or without
BOM) or Windows-1252, separated by `;` or `,` (or tab), and Excel .xlsx (first sheet). The first
non-empty row holds the column names; empty rows are skipped. Row numbers in messages are the
file's own (the header is row 1 when it comes first).

Validation is row by row without a query per row: categories are loaded once, existing import
keys are looked up in chunks. The import itself is all or nothing: one transaction, bulk
inserts in batches, only when every row is clean.

Re-importing creates no duplicates: each incident gets `import_key`, a SHA-256 of the place and
the normalised row, unique per place.
"""

import datetime as dt
import hashlib
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.bounds import Horizon, check_moment
from places.privacy import find_personal_data, personal_data_message
from places.screening import platform_names, record_name_confirmations

from .import_files import ImportFileError, Table, read_table
from .models import Incident, IncidentCategory, IncidentImport
from .periods import local_tz

BATCH_SIZE = 1000
KEY_LOOKUP_CHUNK = 900  # below SQLite's default variable limit
SHOWN_CHARS = 60

TARGET_FIELDS = (
    "occurred_at",
    "time",
    "category",
    "severity",
    "description",
    "location_note",
    "lat",
    "lon",
    "police_notified",
    "visibility",
)
REQUIRED_FIELDS = ("occurred_at", "category")
FIELD_LABELS = {
    "occurred_at": gettext_lazy("Date (and time)"),
    "time": gettext_lazy("Time, if in its own column"),
    "category": gettext_lazy("Category"),
    "severity": gettext_lazy("Severity"),
    "description": gettext_lazy("Description"),
    "location_note": gettext_lazy("Location"),
    "lat": gettext_lazy("Latitude"),
    "lon": gettext_lazy("Longitude"),
    "police_notified": gettext_lazy("Police notified"),
    "visibility": gettext_lazy("Visibility"),
}
# Column names guessed when an organisation has no saved mapping yet (lower case).
GUESSES = {
    "occurred_at": (
        "datum",
        "date",
        "tidpunkt",
        "datum/tid",
        "datum och tid",
        "occurred_at",
        "när",
    ),
    "time": ("tid", "time", "klockslag", "kl"),
    "category": ("kategori", "category", "händelsetyp", "typ", "händelse", "vad"),
    "severity": ("allvarlighet", "allvarlighetsgrad", "severity", "prioritet", "grad"),
    "description": ("beskrivning", "description", "händelsebeskrivning", "text", "notering"),
    "location_note": ("plats", "location", "platsbeskrivning", "adress", "position"),
    "lat": ("lat", "latitud", "latitude"),
    "lon": ("lon", "lng", "longitud", "longitude"),
    "police_notified": ("polis", "polisanmäld", "polis underrättad", "police notified", "police"),
    "visibility": ("synlighet", "visibility", "sekretess"),
}

SEVERITY_VALUES = {
    "low": "low", "låg": "low", "lag": "low", "1": "low", "l": "low",
    "medium": "medium", "medel": "medium", "mellan": "medium", "2": "medium", "m": "medium",
    "high": "high", "hög": "high", "hog": "high", "3": "high", "h": "high", "allvarlig": "high",
}  # fmt: skip
TRUE_VALUES = {"ja", "j", "yes", "y", "x", "1", "true", "sant"}
FALSE_VALUES = {"nej", "n", "no", "0", "false", "falskt", "-"}
VISIBILITY_VALUES = {
    "members": "members", "medlemmar": "members", "alla": "members", "all": "members",
    "öppen": "members", "restricted": "restricted", "begränsad": "restricted",
    "skyddad": "restricted", "sekretess": "restricted",
}  # fmt: skip

_DATETIME_FORMATS = (
    "%Y-%m-%d %H:%M",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%dT%H:%M",
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%d kl. %H:%M",
    "%Y-%m-%d kl %H:%M",
    "%d/%m/%Y %H:%M",
    "%d/%m/%Y %H:%M:%S",
    "%d.%m.%Y %H:%M",
    "%Y%m%d %H:%M",
    "%Y%m%d %H%M",
    "%Y%m%d%H%M",
    "%y%m%d %H:%M",
)
_DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%Y%m%d", "%d.%m.%Y", "%y%m%d", "%Y/%m/%d")
_TIME_FORMATS = ("%H:%M", "%H:%M:%S", "%H.%M", "%H%M")


@dataclass
class RowError:
    row: int
    column: str
    message: str


@dataclass
class NameFlag:
    """A word in a row that looks like the name of a person: a soft stop (issue #17)."""

    row: int
    column: str
    field: str
    word: str


@dataclass
class Validation:
    incidents: list[Incident] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    names: list[NameFlag] = field(default_factory=list)
    names_unconfirmed: bool = False
    duplicates_in_file: int = 0
    already_imported: int = 0
    rows: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors and self.rows > 0 and not self.names_unconfirmed

    @property
    def name_words(self) -> list[tuple[str, str]]:
        """(field, word) of every name flagged, each once, in file order."""
        seen: list[tuple[str, str]] = []
        for flag in self.names:
            if (flag.field, flag.word) not in seen:
                seen.append((flag.field, flag.word))
        return seen

    @property
    def error_rows(self) -> int:
        return len({error.row for error in self.errors})


def guess_mapping(headers: list[str]) -> dict:
    lowered = {h.lower().strip(): h for h in headers}
    mapping = {}
    for name, candidates in GUESSES.items():
        for candidate in candidates:
            if candidate in lowered:
                mapping[name] = lowered[candidate]
                break
    return mapping


# --- Normalising one row ------------------------------------------------------------------


def _parse_time(value) -> dt.time | None:
    if isinstance(value, dt.datetime):
        return value.time()
    if isinstance(value, dt.time):
        return value
    text = str(value).strip()
    for fmt in _TIME_FORMATS:
        try:
            return dt.datetime.strptime(text, fmt).time()
        except ValueError:
            continue
    return None


def parse_when(value, time_value=None) -> dt.datetime | None:
    """A naive local datetime from Swedish export formats (2026-10-14 22:15, 14/10/2026, …)."""
    if value is None or value == "":
        return None
    moment = None
    if isinstance(value, dt.datetime):
        moment = value
    elif isinstance(value, dt.date):
        moment = dt.datetime.combine(value, dt.time.min)
    else:
        text = " ".join(str(value).split())
        for fmt in _DATETIME_FORMATS:
            try:
                moment = dt.datetime.strptime(text, fmt)
                break
            except ValueError:
                continue
        if moment is None:
            for fmt in _DATE_FORMATS:
                try:
                    moment = dt.datetime.strptime(text, fmt)
                    break
                except ValueError:
                    continue
    if moment is None:
        return None
    if time_value not in (None, ""):
        clock = _parse_time(time_value)
        if clock is None:
            return None
        moment = dt.datetime.combine(moment.date(), clock)
    return moment.replace(second=0, microsecond=0, tzinfo=None)


def _parse_float(value) -> float | None:
    if value is None or value == "":
        return None
    if isinstance(value, int | float):
        return float(value)
    return float(str(value).replace(",", ".").replace(" ", ""))


def _text(value) -> str:
    if value is None:
        return ""
    return " ".join(str(value).split())


def _shown(text: str) -> str:
    """A cell's text as quoted in a row error: cut short, since up to 200 errors are listed."""
    return text if len(text) <= SHOWN_CHARS else text[: SHOWN_CHARS - 1] + "…"


def import_key(*, place_id: int, values: dict) -> str:
    """SHA-256 of the place and the normalised row: the same row always gives the same key."""
    parts = [
        str(place_id),
        values["occurred_at"].astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%MZ"),
        values["category"].code,
        values["severity"],
        values["description"].casefold(),
        values["location_note"].casefold(),
        "" if values["lat"] is None else f"{values['lat']:.6f}",
        "" if values["lon"] is None else f"{values['lon']:.6f}",
        "1" if values["police_notified"] else "0",
        values["visibility"],
    ]
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


class _Categories:
    """Category lookup by code, Swedish or English name, case-insensitive – one query."""

    def __init__(self):
        self.by_name = {}
        for category in IncidentCategory.objects.all():
            for name in (category.code, category.name_sv, category.name_en):
                self.by_name.setdefault(name.casefold().strip(), category)
        self.known = ", ".join(
            c.name for c in IncidentCategory.objects.filter(is_active=True).order_by("order")
        )

    def get(self, value):
        return self.by_name.get(_text(value).casefold())


def validate_rows(
    *, table: Table, mapping: dict, place, organisation, user, now=None
) -> Validation:
    """Check every row; build unsaved Incidents for the clean ones. No query per row."""
    now = now or timezone.now()
    tz = local_tz()
    categories = _Categories()
    columns = {
        name: table.headers.index(col) for name, col in mapping.items() if col in table.headers
    }
    result = Validation(rows=len(table.rows))
    keys_in_file: set[str] = set()
    known_not_people = platform_names()

    def cell(cells, name):
        index = columns.get(name)
        if index is None or index >= len(cells):
            return None
        return cells[index]

    for number, cells in table.rows:
        errors = []

        def error(name, message, _number=number, _errors=errors):
            _errors.append(RowError(_number, mapping.get(name, ""), message))

        raw_when = cell(cells, "occurred_at")
        when = parse_when(raw_when, cell(cells, "time"))
        occurred_at = None
        if raw_when in (None, ""):
            error("occurred_at", _("The date is missing."))
        elif when is None:
            error(
                "occurred_at",
                _("“%(value)s” is not a date and time (e.g. 2026-10-14 22:15 or 14/10/2026).")
                % {
                    "value": _shown(
                        _text(raw_when)
                        + (f" {_text(cell(cells, 'time'))}" if cell(cells, "time") else "")
                    )
                },
            )
        else:
            occurred_at = when.replace(tzinfo=tz)
            if occurred_at > now:
                error(
                    "occurred_at",
                    _("%(value)s is in the future.") % {"value": f"{when:%Y-%m-%d %H:%M}"},
                )
            else:
                try:
                    check_moment(occurred_at, Horizon.EVENT)
                except ValidationError as exc:
                    error("occurred_at", f"{when:%Y-%m-%d}: {' '.join(exc.messages)}")

        raw_category = cell(cells, "category")
        category = categories.get(raw_category)
        if category is None:
            if raw_category in (None, ""):
                error("category", _("The category is missing."))
            else:
                error(
                    "category",
                    _("Unknown category “%(value)s”. Known categories: %(known)s.")
                    % {"value": _shown(_text(raw_category)), "known": categories.known},
                )

        severity = "low"
        raw_severity = _text(cell(cells, "severity")).casefold()
        if raw_severity:
            severity = SEVERITY_VALUES.get(raw_severity)
            if severity is None:
                error(
                    "severity",
                    _("Unknown severity “%(value)s” (use low, medium or high).")
                    % {"value": _shown(raw_severity)},
                )

        police = False
        raw_police = _text(cell(cells, "police_notified")).casefold()
        if raw_police:
            if raw_police in TRUE_VALUES:
                police = True
            elif raw_police not in FALSE_VALUES:
                error(
                    "police_notified",
                    _("“%(value)s” is not yes or no.") % {"value": _shown(raw_police)},
                )

        visibility = "members"
        raw_visibility = _text(cell(cells, "visibility")).casefold()
        if raw_visibility:
            visibility = VISIBILITY_VALUES.get(raw_visibility)
            if visibility is None:
                error(
                    "visibility",
                    _("Unknown visibility “%(value)s”.") % {"value": _shown(raw_visibility)},
                )

        texts = {}
        for name, limit in (("description", 4000), ("location_note", 200)):
            text = _text(cell(cells, name))
            if len(text) > limit:
                error(name, _("The text is longer than %(limit)s characters.") % {"limit": limit})
            if "\x00" in text:
                error(name, _("The text holds a NUL character, which cannot be saved."))
            hits = find_personal_data(text, not_names=known_not_people)
            if any(not hit.is_soft for hit in hits):
                error(name, personal_data_message(hits))
            # Names are asked about once for the whole file, on the preview (a row error
            # per name would make a manager edit the file for every street named after
            # someone); the confirmation is recorded per word for the DPO.
            result.names.extend(
                NameFlag(number, mapping.get(name, ""), name, hit.text)
                for hit in hits
                if hit.is_soft
            )
            texts[name] = text

        position = {}
        for name, low, high in (("lat", -90, 90), ("lon", -180, 180)):
            raw = cell(cells, name)
            try:
                value = _parse_float(raw)
            except ValueError:
                error(name, _("“%(value)s” is not a number.") % {"value": _shown(_text(raw))})
                value = None
            else:
                if value is not None and not low <= value <= high:
                    error(name, _("%(value)s is out of range.") % {"value": value})
                    value = None
            position[name] = value
        if (position["lat"] is None) != (position["lon"] is None) and not errors:
            error("lat", _("Give both latitude and longitude, or neither."))

        if errors:
            result.errors.extend(errors)
            continue
        values = {
            "occurred_at": occurred_at,
            "category": category,
            "severity": severity,
            "description": texts["description"],
            "location_note": texts["location_note"],
            "lat": position["lat"],
            "lon": position["lon"],
            "police_notified": police,
            "visibility": visibility,
        }
        key = import_key(place_id=place.pk, values=values)
        if key in keys_in_file:
            result.duplicates_in_file += 1
            continue
        keys_in_file.add(key)
        result.incidents.append(
            Incident(
                place=place,
                reported_by=user,
                reporting_organisation=organisation,
                import_key=key,
                **values,
            )
        )

    existing = existing_keys(place=place, keys=[i.import_key for i in result.incidents])
    result.already_imported = len(existing)
    result.incidents = [i for i in result.incidents if i.import_key not in existing]
    return result


def existing_keys(*, place, keys: list[str]) -> set[str]:
    found: set[str] = set()
    for start in range(0, len(keys), KEY_LOOKUP_CHUNK):
        chunk = keys[start : start + KEY_LOOKUP_CHUNK]
        found.update(
            Incident.objects.filter(place=place, import_key__in=chunk).values_list(
                "import_key", flat=True
            )
        )
    return found


# --- Service ------------------------------------------------------------------------------


def incident_import_validate(*, upload: IncidentImport, user, now=None) -> tuple[Table, Validation]:
    table = read_table(bytes(upload.content), upload.filename)
    validation = validate_rows(
        table=table,
        mapping=upload.mapping,
        place=upload.place,
        organisation=upload.organisation,
        user=user,
        now=now,
    )
    return table, validation


def incident_import_confirm(
    *, upload_id: int, user, now=None, names_confirmed: bool = False
) -> Validation:
    """Import every row or none. Re-validates the stored file; refuses when any row fails.

    Words that look like names of people (soft stops) need `names_confirmed`: the manager has
    confirmed on the preview that none of them is a person; each word is then recorded as a
    `NameConfirmation` for the data protection officer.

    The upload row is locked and flipped to imported in the same transaction, so a double
    submit cannot import twice (and import keys would skip the rows anyway).
    """
    with transaction.atomic():
        upload = (
            IncidentImport.objects.select_for_update()
            .select_related("place", "organisation")
            .get(pk=upload_id)
        )
        if upload.status != IncidentImport.Status.UPLOADED:
            raise ImportFileError(_("This file has already been imported."))
        _table, validation = incident_import_validate(upload=upload, user=user, now=now)
        if validation.names and not names_confirmed:
            validation.names_unconfirmed = True
        if not validation.ok:
            return validation
        source = _("import of %(file)s") % {"file": upload.filename}
        for field_name, words in _words_by_field(validation).items():
            record_name_confirmations(
                user=user,
                place=upload.place,
                record="safety.Incident",
                field=field_name,
                field_label=f"{FIELD_LABELS[field_name]} ({source})",
                tokens=words,
            )
        before = Incident.objects.filter(place=upload.place).count()
        Incident.objects.bulk_create(
            validation.incidents, batch_size=BATCH_SIZE, ignore_conflicts=True
        )
        created = Incident.objects.filter(place=upload.place).count() - before
        upload.status = IncidentImport.Status.IMPORTED
        upload.content = b""
        upload.rows_total = validation.rows
        upload.rows_created = created
        upload.rows_skipped = validation.rows - created
        upload.imported_at = timezone.now()
        upload.save()
    return validation


def _words_by_field(validation: Validation) -> dict[str, list[str]]:
    words: dict[str, list[str]] = {}
    for field_name, word in validation.name_words:
        words.setdefault(field_name, []).append(word)
    return words


def incident_import_upload(
    *, place, user, organisation, filename: str, data: bytes
) -> IncidentImport:
    """Store an uploaded file for the mapping and preview steps (checked to be readable and
    within the import limits)."""
    table = read_table(data, filename)
    saved = getattr(getattr(organisation, "import_mapping", None), "mapping", None) or {}
    mapping = {k: v for k, v in saved.items() if v in table.headers} or guess_mapping(table.headers)
    return IncidentImport.objects.create(
        place=place,
        uploaded_by=user,
        organisation=organisation,
        filename=filename[:255],
        content=data,
        mapping=mapping,
        # Counted once here, so the mapping page reads only the first rows of the file.
        rows_total=len(table.rows),
    )


def incident_import_set_mapping(*, upload: IncidentImport, mapping: dict) -> None:
    """Save the column mapping on the upload and remember it for the organisation."""
    from .models import ImportMapping

    with transaction.atomic():
        upload.mapping = mapping
        upload.save(update_fields=["mapping"])
        ImportMapping.objects.update_or_create(
            organisation=upload.organisation, defaults={"mapping": mapping}
        )
