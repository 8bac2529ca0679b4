"""Incident import from guard companies' CSV and Excel exports.

Reading (`import_files.py`, within the `IMPORT_MAX_*` limits): CSV in UTF-8 (with or without
BOM) or Windows-1252, separated by `;` or `,` (or tab), and Excel .xlsx (first sheet). The first
non-empty row holds the column names; empty rows are skipped. Row numbers in messages are the
file's own (the header is row 1 when it comes first).

Validation is row by row without a query per row: categories are loaded once, existing import
keys are looked up in chunks. The import itself is all or nothing: one transaction, bulk
inserts in batches, only when every row is clean.

Re-importing creates no duplicates: each incident gets `import_key`, a SHA-256 of the place and
the normalised row, unique per place; and a row with the organisation's own case number
(`external_ref`, unique per organisation) is recognised by it even when its text has changed.

The file's own words for our values (a guard's "Snatteri" for our "Stöld/snatteri") are mapped
once per organisation, like the columns (`ImportMapping.values`), and applied at once to its
next file (issue #19). A manager may also import only the valid rows: the refused ones are
listed, downloadable as CSV with the reason per row, and the chosen rows still go in all or
nothing.
"""

import datetime as dt
import hashlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.bounds import Horizon, check_moment
from places.privacy import find_personal_data, personal_data_message
from places.screening import platform_names, record_name_confirmations

from ..import_files import ImportFileError, Table, read_table
from ..models import Incident, IncidentCategory, IncidentImport
from ..periods import local_tz

BATCH_SIZE = 1000
PREVIEW_ROWS = 20
PROGRESS_EVERY = 2000
KEY_LOOKUP_CHUNK = 900  # below SQLite's default variable limit
SHOWN_CHARS = 60
EXTERNAL_REF_MAX = 64
UNKNOWN_VALUES_SHOWN = 50  # distinct unknown words offered for mapping at once
KNOWN_REFS_SHOWN = 20

TARGET_FIELDS = (
    "external_ref",
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
    "external_ref": gettext_lazy("The organisation's case number"),
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
    "external_ref": (
        "ärendenr",
        "ärendenummer",
        "ärende",
        "ärende nr",
        "ärende-id",
        "rapportnr",
        "rapportnummer",
        "händelsenr",
        "case number",
        "case",
        "reference",
    ),
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
    "police_notified": (
        "polis",
        "polisanmäld",
        "polis underrättad",
        "polis kontaktad",
        "polis tillkallad",
        "police notified",
        "police",
    ),
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
    """The outcome of checking a file: the new rows (as field values), row errors and counts.

    `incidents` builds the unsaved Incidents only when asked (for the insert): 50,000 model
    instances cost more than checking the rows does."""

    new_rows: list[dict] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    names: list[NameFlag] = field(default_factory=list)
    names_unconfirmed: bool = False
    duplicates_in_file: int = 0
    already_imported: int = 0
    rows: int = 0
    owner: dict = field(default_factory=dict)
    categories: dict = field(default_factory=dict)
    # The file's category words we do not know, with how many rows use each (file order).
    unknown_categories: dict = field(default_factory=dict)
    # Case numbers of rows skipped because the organisation already has them.
    known_refs: list = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors and self.rows > 0 and not self.names_unconfirmed

    def may_import(self, *, valid_only: bool = False) -> bool:
        """Every row is clean – or, with `valid_only`, the clean rows are chosen and there are
        some (the refused rows are listed and downloadable instead)."""
        if self.ok:
            return True
        return valid_only and bool(self.new_rows) and not self.names_unconfirmed

    @property
    def name_words(self) -> list[tuple[str, str]]:
        """(field, word) of every name flagged, each once, in file order."""
        seen: list[tuple[str, str]] = []
        for flag in self.names:
            if (flag.field, flag.word) not in seen:
                seen.append((flag.field, flag.word))
        return seen

    @property
    def new_count(self) -> int:
        return len(self.new_rows)

    def preview(self, count: int = PREVIEW_ROWS) -> list[Incident]:
        return [self._incident(row) for row in self.new_rows[:count]]

    def _incident(self, row: dict) -> Incident:
        incident = Incident(**self.owner, **row)
        incident.category = self.categories[row["category_id"]]
        return incident

    @cached_property
    def incidents(self) -> list[Incident]:
        return [Incident(**self.owner, **row) for row in self.new_rows]

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


class _Formats:
    """strptime's own patterns for our formats, compiled once.

    `datetime.strptime` recompiles its pattern whenever more than five formats are in play
    (its cache holds five), and we try up to 19 per cell: that was two thirds of validating a
    large file. Matching the same patterns here gives exactly strptime's results – the same
    formats, in the same order, with the same digits accepted – at a fraction of the cost.
    """

    def __init__(self, formats):
        from _strptime import TimeRE

        time_re = TimeRE()
        self.patterns = [time_re.compile(fmt) for fmt in formats]

    def parse(self, text: str) -> dt.datetime | None:
        for pattern in self.patterns:
            found = pattern.match(text)
            if found is None or found.end() != len(text):
                continue
            parts = found.groupdict()
            if "Y" in parts:
                year = int(parts["Y"])
            elif "y" in parts:
                year = int(parts["y"])
                year += 2000 if year <= 68 else 1900  # strptime's rule for %y
            else:
                year = 1900
            try:
                return dt.datetime(
                    year,
                    int(parts.get("m") or 1),
                    int(parts.get("d") or 1),
                    int(parts.get("H") or 0),
                    int(parts.get("M") or 0),
                    int(parts.get("S") or 0),
                )
            except ValueError:  # 31 April and the like: strptime refuses it too
                continue
        return None


_DATETIMES = _Formats(_DATETIME_FORMATS)
_DATES = _Formats(_DATE_FORMATS)
_TIMES = _Formats(_TIME_FORMATS)


def _parse_time(value) -> dt.time | None:
    if isinstance(value, dt.datetime):
        return value.time()
    if isinstance(value, dt.time):
        return value
    moment = _TIMES.parse(str(value).strip())
    return moment.time() if moment else None


def _parse_text_when(text: str) -> dt.datetime | None:
    return _DATETIMES.parse(text) or _DATES.parse(text)


def parse_when(value, time_value=None, *, memo: dict | None = None) -> dt.datetime | None:
    """A naive local datetime from Swedish export formats (2026-10-14 22:15, 14/10/2026, …).

    `memo` (a dict kept for one file) remembers texts already parsed: an export repeats each
    date for every incident of that day."""
    if value is None or value == "":
        return None
    moment = None
    if isinstance(value, dt.datetime):
        moment = value
    elif isinstance(value, dt.date):
        moment = dt.datetime.combine(value, dt.time.min)
    else:
        text = " ".join(str(value).split())
        if memo is None:
            moment = _parse_text_when(text)
        else:
            moment = memo.get(text, _MISSING)
            if moment is _MISSING:
                moment = memo[text] = _parse_text_when(text)
    if moment is None:
        return None
    if time_value not in (None, ""):
        clock = _parse_time(time_value)
        if clock is None:
            return None
        moment = dt.datetime.combine(moment.date(), clock)
    return moment.replace(second=0, microsecond=0, tzinfo=None)


_MISSING = object()


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
    """SHA-256 of the place and the normalised row: the same row always gives the same key.
    A case number, when the file has one, is part of the row (two cases alike in every other
    way stay two); rows without one keep the key they always had."""
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
    if values.get("external_ref"):
        parts.append(values["external_ref"])
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


def value_key(value) -> str:
    """A file's word as a value mapping keeps it: spaces collapsed, case folded."""
    return _text(value).casefold()


class _Categories:
    """Category lookup by code, Swedish or English name, case-insensitive – one query. The
    organisation's own words (`mapped`: word → category code) come first."""

    def __init__(self, mapped: dict | None = None):
        self.by_name = {}
        by_code = {}
        for category in IncidentCategory.objects.all():
            by_code[category.code] = category
            for name in (category.code, category.name_sv, category.name_en):
                self.by_name.setdefault(name.casefold().strip(), category)
        for word, code in (mapped or {}).items():
            if code in by_code:
                self.by_name[value_key(word)] = by_code[code]
        self.known = ", ".join(
            c.name for c in IncidentCategory.objects.filter(is_active=True).order_by("order")
        )

    def get(self, value):
        return self.by_name.get(_text(value).casefold())


def validate_rows(
    *,
    table: Table,
    mapping: dict,
    place,
    organisation,
    actor,
    now=None,
    progress=None,
    values: dict | None = None,
) -> Validation:
    """Check every row and keep the field values of the clean ones. No query per row.
    `values` maps the file's own words to ours ({"category": {word: code}}).
    `progress(rows_done, rows_total)` is called every few thousand rows."""
    now = now or timezone.now()
    tz = local_tz()
    categories = _Categories((values or {}).get("category"))
    columns = {
        name: table.headers.index(col) for name, col in mapping.items() if col in table.headers
    }
    result = Validation(
        rows=len(table.rows),
        owner={
            "place_id": place.pk,
            "reported_by_id": getattr(actor, "pk", None),
            "reporting_organisation_id": getattr(organisation, "pk", None),
        },
    )
    keys_in_file: set[str] = set()
    refs_in_file: set[str] = set()
    known_not_people = platform_names()
    dates_seen: dict = {}
    screened: dict = {}

    def cell(cells, name):
        index = columns.get(name)
        if index is None or index >= len(cells):
            return None
        return cells[index]

    for number, cells in table.rows:
        errors = []

        def error(name, message, _number=number, _errors=errors):
            _errors.append(RowError(_number, mapping.get(name, ""), message))

        external_ref = _text(cell(cells, "external_ref"))
        if len(external_ref) > EXTERNAL_REF_MAX:
            error(
                "external_ref",
                _("The case number is longer than %(limit)s characters.")
                % {"limit": EXTERNAL_REF_MAX},
            )
        elif "\x00" in external_ref:
            error("external_ref", _("The text holds a NUL character, which cannot be saved."))

        raw_when = cell(cells, "occurred_at")
        when = parse_when(raw_when, cell(cells, "time"), memo=dates_seen)
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
                word = _text(raw_category)
                if len(word) <= SHOWN_CHARS:  # a word to map, not a pasted paragraph
                    hits = screened.get(word, _MISSING)
                    if hits is _MISSING:
                        hits = screened[word] = find_personal_data(word, not_names=known_not_people)
                    # Personal data is never offered as a word to remember for the organisation.
                    if not any(not hit.is_soft for hit in hits):
                        result.unknown_categories[word] = result.unknown_categories.get(word, 0) + 1
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
            hits = screened.get(text, _MISSING)
            if hits is _MISSING:  # exports repeat places and stock phrases
                hits = screened[text] = find_personal_data(text, not_names=known_not_people)
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
            "external_ref": external_ref,
        }
        key = import_key(place_id=place.pk, values=values)
        if key in keys_in_file or (external_ref and external_ref in refs_in_file):
            result.duplicates_in_file += 1
            continue
        keys_in_file.add(key)
        if external_ref:
            refs_in_file.add(external_ref)
        values["category_id"] = values.pop("category").pk
        values["import_key"] = key
        result.new_rows.append(values)
        result.categories[category.pk] = category
        if progress and len(result.new_rows) % PROGRESS_EVERY == 0:
            progress(len(result.new_rows) + len(result.errors), len(table.rows))

    existing = existing_keys(place=place, keys=[row["import_key"] for row in result.new_rows])
    known = existing_refs(
        organisation=organisation,
        refs=[row["external_ref"] for row in result.new_rows if row["external_ref"]],
    )
    kept = []
    for row in result.new_rows:
        if row["import_key"] in existing:
            result.already_imported += 1
        elif row["external_ref"] in known:
            # The organisation's case is already here (perhaps from last month's file, with
            # its text since edited): recognised by its number, skipped and reported.
            result.already_imported += 1
            result.known_refs.append(row["external_ref"])
        else:
            kept.append(row)
    result.new_rows = kept
    return result


def existing_refs(*, organisation, refs: list[str]) -> set[str]:
    """The organisation's case numbers among `refs` that are already on an incident."""
    found: set[str] = set()
    if organisation is None:
        return found
    for start in range(0, len(refs), KEY_LOOKUP_CHUNK):
        chunk = refs[start : start + KEY_LOOKUP_CHUNK]
        found.update(
            Incident.objects.filter(
                reporting_organisation=organisation, external_ref__in=chunk
            ).values_list("external_ref", flat=True)
        )
    return found


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


def incident_import_validate(
    *, upload: IncidentImport, actor, now=None, progress=None
) -> tuple[Table, Validation]:
    table = read_table(bytes(upload.content), upload.filename)
    validation = validate_rows(
        table=table,
        mapping=upload.mapping,
        place=upload.place,
        organisation=upload.organisation,
        actor=actor,
        now=now,
        progress=progress,
        values=upload.values,
    )
    return table, validation


def incident_import_confirm(
    *,
    upload_id: int,
    actor,
    now=None,
    progress=None,
    record: bool = False,
    names_confirmed: bool = False,
    valid_only: bool = False,
) -> Validation:
    """Import every row or none. Re-validates the stored file; refuses when any row fails –
    or, with `valid_only` (the manager chose to leave the refused rows out), imports every
    clean row or none of them.

    Words that look like names of people (soft stops) need `names_confirmed`: the manager has
    confirmed on the preview that none of them is a person; each word is then recorded as a
    `NameConfirmation` for the data protection officer.

    The upload row is locked and flipped to imported in the same transaction, so a double
    submit cannot import twice (and import keys would skip the rows anyway). With `record`
    (the import task), a file that no longer checks out goes back to "checked" with the new
    result, for the manager to see.
    """
    with transaction.atomic():
        upload = (
            # Only the upload's row: PostgreSQL cannot lock the nullable side of a join.
            IncidentImport.objects.select_for_update(of=("self",))
            .select_related("place", "organisation")
            .get(pk=upload_id)
        )
        if upload.status == IncidentImport.Status.IMPORTED:
            raise ImportFileError(_("This file has already been imported."))
        _table, validation = incident_import_validate(
            upload=upload, actor=actor, now=now, progress=progress
        )
        if validation.names and not names_confirmed:
            validation.names_unconfirmed = True
        if not validation.may_import(valid_only=valid_only):
            if record:
                upload.status = IncidentImport.Status.CHECKED
                upload.result = check_result(validation, mapping=upload.mapping)
                upload.save(update_fields=["status", "result"])
            return validation
        source = _("import of %(file)s") % {"file": upload.filename}
        for field_name, words in _words_by_field(validation).items():
            record_name_confirmations(
                actor=actor,
                place=upload.place,
                record="safety.Incident",
                field=field_name,
                field_label=f"{FIELD_LABELS[field_name]} ({source})",
                tokens=words,
            )
        if progress:
            progress(0, validation.new_count, phase="saving")
        before = Incident.objects.filter(place=upload.place).count()
        validation.owner["source_import_id"] = upload.pk
        incidents = validation.incidents
        for start in range(0, len(incidents), BATCH_SIZE * 5):
            Incident.objects.bulk_create(
                incidents[start : start + BATCH_SIZE * 5],
                batch_size=BATCH_SIZE,
                ignore_conflicts=True,
            )
            if progress:
                progress(min(start + BATCH_SIZE * 5, len(incidents)), len(incidents), "saving")
        created = Incident.objects.filter(place=upload.place).count() - before
        upload.status = IncidentImport.Status.IMPORTED
        upload.content = b""
        upload.rows_total = validation.rows
        upload.rows_created = created
        upload.rows_skipped = validation.rows - created
        # What the page after the import says: the rows left out, the cases already here.
        upload.result = {
            **upload.result,
            "imported_error_rows": validation.error_rows,
            "known_refs": validation.known_refs[:KNOWN_REFS_SHOWN],
        }
        upload.imported_at = timezone.now()
        upload.error = ""
        upload.save()
    return validation


REFUSED_CHUNK = 2000


def refused_rows(*, upload: IncidentImport, actor) -> tuple[list, Iterator[list]]:
    """The header and rows of the refused-rows CSV: each refused row of the file as it was,
    after its row number and the reasons it was refused. Checked in chunks while the CSV
    streams, so a large file starts downloading at once and never sits whole in memory twice.
    The file is read before the response starts: an unreadable one is an error page."""
    table = read_table(bytes(upload.content), upload.filename)
    header = [_("Row"), _("Reason"), *table.headers]

    def rows():
        for start in range(0, len(table.rows), REFUSED_CHUNK):
            chunk = Table(headers=table.headers, rows=table.rows[start : start + REFUSED_CHUNK])
            validation = validate_rows(
                table=chunk,
                mapping=upload.mapping,
                place=upload.place,
                organisation=upload.organisation,
                actor=actor,
                values=upload.values,
            )
            reasons: dict[int, list[str]] = {}
            for error in validation.errors:
                text = f"{error.column}: {error.message}" if error.column else str(error.message)
                reasons.setdefault(error.row, []).append(text)
            for number, cells in chunk.rows:
                if number in reasons:
                    yield [number, " ".join(reasons[number]), *cells]

    return header, rows()


def _words_by_field(validation: Validation) -> dict[str, list[str]]:
    words: dict[str, list[str]] = {}
    for field_name, word in validation.name_words:
        words.setdefault(field_name, []).append(word)
    return words


# --- In the background --------------------------------------------------------------------

PREVIEW_ERRORS = 200
PROGRESS_KEY = "safety:import-progress:{pk}"
PROGRESS_TTL = 60 * 60


def check_result(validation: Validation, *, mapping: dict) -> dict:
    """What the preview page shows, as JSON: counts, the first row errors, the first rows."""
    return {
        "ok": validation.ok,
        "rows": validation.rows,
        "new": validation.new_count,
        "skipped": validation.already_imported + validation.duplicates_in_file,
        "error_rows": validation.error_rows,
        "errors": [[e.row, e.column, str(e.message)] for e in validation.errors[:PREVIEW_ERRORS]],
        "more_errors": max(len(validation.errors) - PREVIEW_ERRORS, 0),
        # Words that look like names: the manager confirms once for the file before importing.
        "names": [[flag.row, flag.column, flag.word] for flag in validation.names[:PREVIEW_ERRORS]],
        "more_names": max(len(validation.names) - PREVIEW_ERRORS, 0),
        "names_unconfirmed": validation.names_unconfirmed,
        # The file's category words we do not know yet: mapped once, remembered.
        "unknown": {
            "category": [
                [word, count]
                for word, count in list(validation.unknown_categories.items())[
                    :UNKNOWN_VALUES_SHOWN
                ]
            ]
        },
        "known_refs": validation.known_refs[:KNOWN_REFS_SHOWN],
        "more_known_refs": max(len(validation.known_refs) - KNOWN_REFS_SHOWN, 0),
        "preview": [
            {
                "occurred_at": row["occurred_at"].isoformat(),
                "category_id": row["category_id"],
                "severity": row["severity"],
                "location_note": row["location_note"],
                "description": row["description"],
            }
            for row in validation.new_rows[:PREVIEW_ROWS]
        ],
        "mapping": mapping,
    }


def import_progress(upload_id: int) -> dict | None:
    """{"phase": "checking"|"saving", "done": n, "total": n}, or None (not started, or the cache
    is away: the page then shows a bar without a value)."""
    from django.core.cache import cache

    return cache.get(PROGRESS_KEY.format(pk=upload_id))


def _progress_recorder(upload_id: int):
    from django.core.cache import cache

    def record(done: int, total: int, phase: str = "checking") -> None:
        cache.set(
            PROGRESS_KEY.format(pk=upload_id),
            {"phase": phase, "done": done, "total": total},
            PROGRESS_TTL,
        )

    return record


def incident_import_request_check(*, upload: IncidentImport, language: str | None = None) -> None:
    """Check every row in the background (after the columns are matched)."""
    from amp_platform.celery import enqueue_on_commit

    from ..tasks import check_incident_import

    with transaction.atomic():
        IncidentImport.objects.filter(
            pk=upload.pk,
            status__in=[IncidentImport.Status.UPLOADED, IncidentImport.Status.CHECKED],
        ).update(
            status=IncidentImport.Status.CHECKING,
            result={},
            error="",
            task_enqueued_at=timezone.now(),
        )
        enqueue_on_commit(check_incident_import, upload.pk, language)
    upload.refresh_from_db()


def incident_import_check(*, upload_id: int, language: str | None = None) -> bool:
    """The check task's work: validate every row and store the result. Returns False when
    there was nothing to do (the upload is no longer being checked)."""
    from django.utils import translation

    upload = (
        IncidentImport.objects.select_related("place", "organisation", "uploaded_by")
        .filter(pk=upload_id, status=IncidentImport.Status.CHECKING)
        .first()
    )
    if upload is None:
        return False
    with translation.override(language or "sv"):
        try:
            _table, validation = incident_import_validate(
                upload=upload, actor=upload.uploaded_by, progress=_progress_recorder(upload_id)
            )
        except ImportFileError as error:
            IncidentImport.objects.filter(
                pk=upload_id, status=IncidentImport.Status.CHECKING
            ).update(status=IncidentImport.Status.UPLOADED, error=str(error))
            return True
        result = check_result(validation, mapping=upload.mapping)
    return bool(
        IncidentImport.objects.filter(pk=upload_id, status=IncidentImport.Status.CHECKING).update(
            status=IncidentImport.Status.CHECKED, result=result, error=""
        )
    )


def incident_import_request_confirm(
    *, upload: IncidentImport, actor, names_confirmed: bool = False, valid_only: bool = False
) -> bool:
    """Import a checked, clean file in the background – or, with `valid_only`, its clean rows.
    False when it is not (or no longer) ready: a double submit starts one import. Words that
    look like names need `names_confirmed`; both choices are kept on the result, so a task the
    sweeper enqueues again has them."""
    if upload.result.get("names") and not names_confirmed:
        return False
    from amp_platform.celery import enqueue_on_commit

    from ..tasks import confirm_incident_import

    ready = Q(result__ok=True)
    if valid_only:
        ready |= Q(result__new__gt=0)
    with transaction.atomic():
        started = IncidentImport.objects.filter(
            ready, pk=upload.pk, status=IncidentImport.Status.CHECKED
        ).update(
            status=IncidentImport.Status.IMPORTING,
            task_enqueued_at=timezone.now(),
            error="",
            result={
                **upload.result,
                "names_confirmed": names_confirmed,
                "valid_only": valid_only,
            },
        )
        if started:
            enqueue_on_commit(confirm_incident_import, upload.pk, actor.pk)
    upload.refresh_from_db()
    return bool(started)


def incident_import_task_failed(*, upload_id: int, error: str) -> None:
    """A check or import task failed for good: back to the step before, with the reason (an
    import is all or nothing, so nothing was saved)."""
    IncidentImport.objects.filter(pk=upload_id, status=IncidentImport.Status.CHECKING).update(
        status=IncidentImport.Status.UPLOADED, error=error
    )
    IncidentImport.objects.filter(pk=upload_id, status=IncidentImport.Status.IMPORTING).update(
        status=IncidentImport.Status.CHECKED, error=error
    )


def incident_import_sweep(*, now=None, requeue_after=None) -> int:
    """Enqueue again the checks and imports whose task was lost (sweeper, every 5 minutes)."""
    from amp_platform.celery import enqueue_on_commit

    from ..tasks import check_incident_import, confirm_incident_import

    now = now or timezone.now()
    requeue_after = requeue_after or dt.timedelta(minutes=10)
    lost = list(
        IncidentImport.objects.filter(
            status__in=[IncidentImport.Status.CHECKING, IncidentImport.Status.IMPORTING],
            task_enqueued_at__lt=now - requeue_after,
        ).values_list("pk", "status", "uploaded_by_id")
    )
    with transaction.atomic():
        for pk, status, user_id in lost:
            IncidentImport.objects.filter(pk=pk).update(task_enqueued_at=now)
            if status == IncidentImport.Status.CHECKING:
                enqueue_on_commit(check_incident_import, pk, None)
            else:
                enqueue_on_commit(confirm_incident_import, pk, user_id)
    return len(lost)


def incident_import_upload(
    *, place, actor, organisation, filename: str, data: bytes
) -> IncidentImport:
    """Store an uploaded file for the mapping and preview steps (checked to be readable and
    within the import limits)."""
    from ..models import ImportMapping

    table = read_table(data, filename)
    # Queried, not read off the organisation: its cached relation may predate the mapping.
    remembered = ImportMapping.objects.filter(organisation=organisation).first()
    saved = getattr(remembered, "mapping", None) or {}
    mapping = {k: v for k, v in saved.items() if v in table.headers} or guess_mapping(table.headers)
    return IncidentImport.objects.create(
        place=place,
        uploaded_by=actor,
        organisation=organisation,
        filename=filename[:255],
        content=data,
        mapping=mapping,
        # The organisation's own words mapped last time apply at once (issue #19).
        values=getattr(remembered, "values", None) or {},
        # Counted once here, so the mapping page reads only the first rows of the file.
        rows_total=len(table.rows),
    )


def mapping_is_remembered(upload: IncidentImport) -> bool:
    """The organisation's saved column mapping fits this file in full (every saved column is
    there and the required fields are matched): its page need not be asked again."""
    from ..models import ImportMapping

    remembered = ImportMapping.objects.filter(organisation_id=upload.organisation_id).first()
    saved = getattr(remembered, "mapping", None) or {}
    return (
        bool(saved)
        and saved == upload.mapping
        and all(upload.mapping.get(name) for name in REQUIRED_FIELDS)
    )


def incident_import_set_values(*, upload: IncidentImport, field_name: str, chosen: dict) -> None:
    """Map the file's words to our values ({word: code}) on the upload, remember them for the
    organisation's next files, and check the rows again."""
    from ..models import ImportMapping

    with transaction.atomic():
        upload.values = {
            **upload.values,
            field_name: {**upload.values.get(field_name, {}), **chosen},
        }
        upload.save(update_fields=["values"])
        remembered, _created = ImportMapping.objects.select_for_update().get_or_create(
            organisation=upload.organisation
        )
        remembered.values = {
            **remembered.values,
            field_name: {**remembered.values.get(field_name, {}), **chosen},
        }
        remembered.save(update_fields=["values", "updated_at"])


def incident_import_set_mapping(*, upload: IncidentImport, mapping: dict) -> None:
    """Save the column mapping on the upload and remember it for the organisation."""
    from ..models import ImportMapping

    with transaction.atomic():
        upload.mapping = mapping
        upload.save(update_fields=["mapping"])
        ImportMapping.objects.update_or_create(
            organisation=upload.organisation, defaults={"mapping": mapping}
        )
