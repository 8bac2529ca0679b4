"""Reading guard companies' CSV and Excel files – within limits, because an upload is untrusted.

The limits are settings (`IMPORT_MAX_*`, see .env.example) and every one is enforced while the
file is read, so a hostile file costs at most what the limits allow:

- the upload itself (`IMPORT_MAX_UPLOAD_BYTES`), before anything is parsed;
- an .xlsx is a zip: the sum of its members' declared sizes, then the bytes actually inflated
  (`IMPORT_MAX_UNCOMPRESSED_BYTES` – a declared size is the sender's word, not proof), and the
  compression ratio (`IMPORT_MAX_COMPRESSION_RATIO`);
- rows and columns (`IMPORT_MAX_ROWS`, `IMPORT_MAX_COLUMNS`) and the length of one value
  (`IMPORT_MAX_CELL_CHARS`), counted as the rows stream in; reading stops at the first excess.

The sheet's declared size (`<dimension ref="A1:XFD1048576">`) is ignored: openpyxl's read-only
rows are padded out to it, which turns a 1.6 KB file into a million rows of 16,384 cells. Only
the cells actually present in the XML are read.

The first non-empty row holds the column names; empty rows are skipped. Row numbers are the
file's own (the header is row 1 when it comes first).
"""

import csv
import io
import zipfile
from collections.abc import Iterator
from contextlib import closing
from dataclasses import dataclass
from xml.etree.ElementTree import iterparse

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.formats import number_format
from django.utils.translation import gettext as _

# Column names are offered in every select of the mapping page and stored in mappings.
MAX_HEADER_CHARS = 200
# An .xlsx has about ten parts; thousands of them is not a spreadsheet.
MAX_ZIP_MEMBERS = 1000
# Tiny files may pack tightly (a sheet of empty formatted cells) and cost nothing to inflate;
# the ratio only says "bomb" once there is something sizeable to inflate.
RATIO_CHECKED_ABOVE_BYTES = 1024 * 1024
_INFLATE_CHUNK = 64 * 1024

_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_ROW_TAG = f"{_MAIN}row"
_CELL_TAG = f"{_MAIN}c"


class ImportFileError(Exception):
    """The file cannot be read at all (not a CSV/Excel file, no header, over a limit)."""


@dataclass(frozen=True)
class ImportLimits:
    upload_bytes: int
    uncompressed_bytes: int
    compression_ratio: int
    rows: int
    columns: int
    cell_chars: int

    @classmethod
    def from_settings(cls) -> "ImportLimits":
        return cls(
            upload_bytes=settings.IMPORT_MAX_UPLOAD_BYTES,
            uncompressed_bytes=settings.IMPORT_MAX_UNCOMPRESSED_BYTES,
            compression_ratio=settings.IMPORT_MAX_COMPRESSION_RATIO,
            rows=settings.IMPORT_MAX_ROWS,
            columns=settings.IMPORT_MAX_COLUMNS,
            cell_chars=settings.IMPORT_MAX_CELL_CHARS,
        )


@dataclass
class Table:
    headers: list[str]
    rows: list[tuple[int, list]]  # (row number in the file, cells without trailing blanks)


def _number(value: int) -> str:
    return number_format(value, force_grouping=True)


def _unreadable_excel() -> ImportFileError:
    return ImportFileError(_("The Excel file cannot be read."))


def _too_many_rows(limits: ImportLimits) -> ImportFileError:
    return ImportFileError(
        _("The file has more than %(max)s rows; split it into smaller files.")
        % {"max": _number(limits.rows)}
    )


def _too_many_columns(limits: ImportLimits) -> ImportFileError:
    return ImportFileError(
        _(
            "The file has more than %(max)s columns; leave out the columns that are not needed "
            "and export it again."
        )
        % {"max": _number(limits.columns)}
    )


def _value_too_long(row: int, limits: ImportLimits) -> ImportFileError:
    return ImportFileError(
        _("Row %(row)s holds a value longer than %(max)s characters; shorten it and try again.")
        % {"row": row, "max": _number(limits.cell_chars)}
    )


def _size(limit: int) -> str:
    megabytes, rest = divmod(limit, 1024 * 1024)
    return f"{_number(megabytes)} MB" if megabytes and not rest else filesizeformat(limit)


def check_upload_size(size: int, limits: ImportLimits | None = None) -> None:
    """Refuse an upload over the size limit, before anything is read."""
    limits = limits or ImportLimits.from_settings()
    if size > limits.upload_bytes:
        raise ImportFileError(
            _("The file is larger than %(max)s; split it into smaller files.")
            % {"max": _size(limits.upload_bytes)}
        )


# --- CSV ------------------------------------------------------------------------------------


def _decode(data: bytes) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        # Excel on Swedish Windows saves "CSV (semikolonavgränsad)" in Windows-1252.
        return data.decode("cp1252", errors="replace")


def _delimiter(header_line: str) -> str:
    counts = {sep: header_line.count(sep) for sep in (";", ",", "\t")}
    best = max(counts, key=counts.get)
    return best if counts[best] else ";"


def _csv_rows(data: bytes, limits: ImportLimits) -> Iterator[tuple[int, list]]:
    text = _decode(data)
    first = next((line for line in io.StringIO(text, newline=None) if line.strip()), "")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(first))
    try:
        for row in reader:
            yield reader.line_num, row
    except csv.Error as exc:
        # The csv module gives up on a field past its own limit (128 KiB), far above ours.
        if str(exc).startswith("field larger than field limit"):
            raise _value_too_long(reader.line_num, limits) from exc
        raise ImportFileError(_("The CSV file cannot be read: %(error)s") % {"error": exc}) from exc


# --- Excel ----------------------------------------------------------------------------------


def _check_archive(data: bytes, limits: ImportLimits) -> None:
    """Refuse a zip bomb before openpyxl inflates anything.

    Declared sizes are checked first (cheap), then every member is inflated in chunks and
    counted, so a member that lies about its size is caught at the limit too.
    """
    too_big = ImportFileError(
        _("The Excel file unpacks to more than %(max)s; split it into smaller files.")
        % {"max": _size(limits.uncompressed_bytes)}
    )
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except Exception as exc:  # not a zip, a damaged directory, an unknown zip version, …
        raise _unreadable_excel() from exc
    with archive:
        if len(members) > MAX_ZIP_MEMBERS:
            raise _unreadable_excel()
        declared = sum(member.file_size for member in members)
        if declared > limits.uncompressed_bytes:
            raise too_big
        packed = max(sum(member.compress_size for member in members), 1)
        if declared > RATIO_CHECKED_ABOVE_BYTES and declared > packed * limits.compression_ratio:
            raise ImportFileError(
                _(
                    "The Excel file is compressed more than %(max)s times, which a real "
                    "spreadsheet hardly ever is; save it again from Excel or export it as CSV."
                )
                % {"max": _number(limits.compression_ratio)}
            )
        inflated = 0
        try:
            for member in members:
                with archive.open(member) as stream:
                    while chunk := stream.read(_INFLATE_CHUNK):
                        inflated += len(chunk)
                        if inflated > limits.uncompressed_bytes:
                            raise too_big
        except ImportFileError:
            raise
        except Exception as exc:  # bad CRC, unsupported compression, encryption, truncation
            raise _unreadable_excel() from exc


def _sheet_rows(source, parser, limits: ImportLimits) -> Iterator[tuple[int, list]]:
    """The rows of one sheet's XML with the cells actually in it, streamed.

    Each finished element is detached from its parent at once, so memory stays at one row
    however long the sheet is; a row's cells are checked against the limits as they arrive.
    """
    open_elements = []
    row_values: dict[int, object] = {}
    in_cell = False
    cell_budget = 0
    for event, element in iterparse(source, events=("start", "end")):
        if event == "start":
            if element.tag == _ROW_TAG:
                number = element.get("r")
                parser.row_counter = int(number) if number else parser.row_counter + 1
                parser.col_counter = 0
                row_values = {}
            elif element.tag == _CELL_TAG:
                in_cell, cell_budget = True, 0
            open_elements.append(element)
            continue
        open_elements.pop()
        if element.tag == _CELL_TAG:
            in_cell = False
            cell = parser.parse_cell(element)
            value = _clean_cell(cell["value"])
            if not _blank(value):
                if cell["column"] > limits.columns:
                    raise _too_many_columns(limits)
                if isinstance(value, str) and len(value) > limits.cell_chars:
                    raise _value_too_long(parser.row_counter, limits)
                row_values[cell["column"]] = value
        elif in_cell:
            # A cell's parts (its value, rich-text runs) stay until the cell ends: bound them.
            cell_budget += 1 + len(element.text or "")
            if cell_budget > limits.cell_chars + 100:
                raise _value_too_long(parser.row_counter, limits)
            continue
        elif element.tag == _ROW_TAG and row_values:
            yield parser.row_counter, [row_values.get(c) for c in range(1, max(row_values) + 1)]
            row_values = {}
        if open_elements:
            open_elements[-1].remove(element)


def _open_first_sheet(data: bytes):
    """openpyxl's reader for the workbook's parts (shared strings, styles for dates) and the
    first worksheet's XML, opened for streaming.

    `load_workbook(read_only=True)` is not used: it scans every sheet in full for a size when
    the sheet declares none, and its rows are padded to the size declared.
    """
    from openpyxl.reader.excel import ExcelReader
    from openpyxl.styles.stylesheet import apply_stylesheet
    from openpyxl.worksheet._reader import WorkSheetParser

    reader = ExcelReader(io.BytesIO(data), read_only=True, data_only=True)
    try:
        reader.read_manifest()
        reader.read_strings()
        reader.read_workbook()
        apply_stylesheet(reader.archive, reader.wb)
        path = next(
            rel.target
            for _sheet, rel in reader.parser.find_sheets()
            if rel.target in reader.valid_files and "chartsheet" not in rel.Type
        )
        parser = WorkSheetParser(
            None,
            reader.shared_strings,
            data_only=True,
            epoch=reader.wb.epoch,
            date_formats=reader.wb._date_formats,
            timedelta_formats=reader.wb._timedelta_formats,
        )
        return reader.archive, reader.archive.open(path), parser
    except BaseException:
        reader.archive.close()
        raise


def _xlsx_rows(data: bytes, limits: ImportLimits) -> Iterator[tuple[int, list]]:
    _check_archive(data, limits)
    try:
        archive, source, parser = _open_first_sheet(data)
    except Exception as exc:  # openpyxl raises many kinds for a broken file
        raise _unreadable_excel() from exc
    with archive, source:
        try:
            yield from _sheet_rows(source, parser, limits)
        except ImportFileError:
            raise
        except Exception as exc:  # malformed XML, a bad shared-string index or number, …
            raise _unreadable_excel() from exc


# --- The table --------------------------------------------------------------------------------


def _clean_cell(value):
    if isinstance(value, str):
        return value.strip()
    return value


def _blank(value) -> bool:
    return value is None or value == ""


def read_table(
    data: bytes,
    filename: str = "",
    *,
    limits: ImportLimits | None = None,
    sample_rows: int | None = None,
) -> Table:
    """Parse the file into headers and non-empty rows; ImportFileError when unreadable or over
    a limit. With `sample_rows`, stop after that many rows (the mapping page's sample)."""
    limits = limits or ImportLimits.from_settings()
    check_upload_size(len(data), limits)
    if data[:4] == b"PK\x03\x04" or filename.lower().endswith((".xlsx", ".xlsm")):
        raw = _xlsx_rows(data, limits)
    elif b"\x00" in data:
        # NUL bytes: a binary or UTF-16 file, and no database text may hold them anyway.
        raise ImportFileError(_("This is not a CSV or Excel (.xlsx) file."))
    else:
        raw = _csv_rows(data, limits)

    header: list | None = None
    body: list[tuple[int, list]] = []
    with closing(raw):
        for number, row in raw:
            cells = [_clean_cell(c) for c in row]
            while cells and _blank(cells[-1]):
                cells.pop()
            if not cells:
                continue
            if len(cells) > limits.columns:
                raise _too_many_columns(limits)
            if any(isinstance(c, str) and len(c) > limits.cell_chars for c in cells):
                raise _value_too_long(number, limits)
            if header is None:
                header = cells
                continue
            if len(body) >= limits.rows:
                raise _too_many_rows(limits)
            body.append((number, cells))
            if sample_rows is not None and len(body) >= sample_rows:
                break
    if header is None:
        raise ImportFileError(_("The file has no rows."))
    return Table(headers=_column_names(header), rows=body)


def _column_names(cells: list) -> list[str]:
    headers = [str(h).strip() if h is not None else "" for h in cells]
    if not any(headers):
        raise ImportFileError(_("The first row must hold the column names."))
    if any("\x00" in header for header in headers):
        raise ImportFileError(_("This is not a CSV or Excel (.xlsx) file."))
    names: list[str] = []
    for index, header in enumerate(headers):
        if len(header) > MAX_HEADER_CHARS:
            raise ImportFileError(
                _("Column %(n)s has a name longer than %(max)s characters.")
                % {"n": index + 1, "max": MAX_HEADER_CHARS}
            )
        name = header or _("Column %(n)s") % {"n": index + 1}
        while name in names:
            name += " *"
        names.append(name)
    return names
