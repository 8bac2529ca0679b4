"""Streaming CSV exports, shared by every app (architecture §8: no export loads a table)."""

import csv
from collections.abc import Iterable, Iterator

from django.http import StreamingHttpResponse
from django.utils import translation

# Spreadsheet programs run cells that start with these as formulas (CSV injection).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


class _Echo:
    """A file-like object whose write() hands the line back, for streaming csv rows."""

    def write(self, value):
        return value


def safe_cell(value):
    """A cell as written: text that a spreadsheet would run as a formula gets a leading '."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return "" if value is None else value


def csv_response(
    filename: str, header: list, rows: Iterable[list], *, language: str | None = None
) -> StreamingHttpResponse:
    """Stream a CSV file row by row.

    UTF-8 with a byte-order mark and semicolons, which is what Excel in Sweden opens cleanly.
    Rows are produced after the view has returned, so they are rendered in `language` (by
    default the request's).
    """
    writer = csv.writer(_Echo(), delimiter=";")
    language = language or translation.get_language()

    def generate() -> Iterator[str]:
        with translation.override(language):
            yield "\ufeff"
            yield writer.writerow([str(h) for h in header])
            for row in rows:
                yield writer.writerow([safe_cell(cell) for cell in row])

    response = StreamingHttpResponse(generate(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response
