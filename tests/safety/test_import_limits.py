"""Incident import limits: a hostile file is refused quickly, with a message naming the limit.

The bombs are built here, small: the limits are lowered per test. "Quickly" is asserted by
counting the cells openpyxl's cell parser is handed, not by the clock.
"""

import datetime as dt
import io
import random
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from openpyxl import Workbook
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._reader import WorkSheetParser

from safety.import_files import ImportFileError, read_table
from safety.models import Incident, IncidentImport
from safety.services import imports
from tests import clock

pytestmark = pytest.mark.django_db

SHEET_PATH = "xl/worksheets/sheet1.xml"


def row(number: int, *values: str, columns: list[int] | None = None) -> str:
    """One sheet row of inline strings, in columns A, B, … unless `columns` are given."""
    cells = "".join(
        f'<c r="{get_column_letter(column)}{number}" t="inlineStr"><is><t>{value}</t></is></c>'
        for column, value in zip(columns or range(1, len(values) + 1), values, strict=True)
    )
    return f'<row r="{number}">{cells}</row>'


def xlsx(rows: str, *, dimension: str = "A1:B2") -> bytes:
    """A real workbook saved by openpyxl whose first sheet is replaced by our own XML – the way
    a hostile file would be made."""
    book = Workbook()
    book.active.append(["Datum", "Kategori"])
    plain = io.BytesIO()
    book.save(plain)
    sheet = (
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f'<dimension ref="{dimension}"/><sheetData>{rows}</sheetData></worksheet>'
    ).encode()
    out = io.BytesIO()
    with zipfile.ZipFile(plain) as source, zipfile.ZipFile(out, "w") as target:
        for member in source.infolist():
            data = sheet if member.filename == SHEET_PATH else source.read(member)
            target.writestr(member.filename, data, zipfile.ZIP_DEFLATED, compresslevel=9)
    return out.getvalue()


HEADER = row(1, "Datum", "Kategori")
# A day safely in the past and in this century, whatever the frozen clock says.
DAY = (clock.today() - dt.timedelta(days=40)).isoformat()


@pytest.fixture
def parsed_cells(monkeypatch):
    """Every cell handed to openpyxl's cell parser, counted."""
    parsed = []
    parse_cell = WorkSheetParser.parse_cell

    def counting(parser, element):
        parsed.append(element.get("r"))
        return parse_cell(parser, element)

    monkeypatch.setattr(WorkSheetParser, "parse_cell", counting)
    return parsed


@pytest.fixture
def guards(reporter):
    return reporter.organisation


def post_file(client, place, organisation, name, data):
    url = reverse("safety:incident_import", kwargs={"place_slug": place.slug})
    return client.post(
        url, {"file": SimpleUploadedFile(name, data), "organisation": organisation.pk}
    )


def refused(response) -> str:
    """The upload form's message about the file; asserts nothing was stored or imported."""
    assert response.status_code == 200
    assert not IncidentImport.objects.exists()
    assert not Incident.objects.exists()
    (message,) = response.context["form"].errors["file"]
    return message


# --- Zip bombs --------------------------------------------------------------------------------


def test_an_excel_file_that_unpacks_past_the_limit_is_refused_unread(
    client, settings, place_a, manager, guards, parsed_cells
):
    settings.IMPORT_MAX_UNCOMPRESSED_BYTES = 256 * 1024
    bomb = xlsx(HEADER + row(2, DAY, "A" * 1_000_000))
    assert len(bomb) < 10_000  # a few kilobytes that unpack to a megabyte
    client.force_login(manager)
    message = refused(post_file(client, place_a, guards, "rapport.xlsx", bomb))
    assert message == "Excelfilen packas upp till mer än 256,0\xa0kB; dela upp den i mindre filer."
    assert parsed_cells == []


def test_a_member_that_hides_its_size_is_refused(settings, parsed_cells):
    """The zip's own directory says the sheet is 1 KB; it unpacks to a megabyte."""
    settings.IMPORT_MAX_UNCOMPRESSED_BYTES = 256 * 1024
    bomb = bytearray(xlsx(HEADER + row(2, DAY, "A" * 1_000_000)))
    name = SHEET_PATH.encode()
    local, central = bomb.find(name), bomb.rfind(name)
    # The uncompressed size sits 8 bytes before the name in a local header and 22 bytes before
    # it in the central directory.
    for offset in (local - 8, central - 22):
        bomb[offset : offset + 4] = (1024).to_bytes(4, "little")
    assert sum(m.file_size for m in zipfile.ZipFile(io.BytesIO(bomb)).infolist()) < 256 * 1024
    with translation.override("sv"), pytest.raises(ImportFileError) as error:
        read_table(bytes(bomb), "rapport.xlsx")
    assert str(error.value) == "Excelfilen går inte att läsa."
    assert parsed_cells == []


def test_a_suspicious_compression_ratio_is_refused(settings, parsed_cells):
    settings.IMPORT_MAX_COMPRESSION_RATIO = 20
    packed = xlsx(HEADER + row(2, DAY, "A" * 2_000_000))
    with translation.override("sv"), pytest.raises(ImportFileError) as error:
        read_table(packed, "rapport.xlsx")
    assert str(error.value).startswith("Excelfilen är komprimerad mer än 20 gånger")
    assert parsed_cells == []


# --- Rows and columns -----------------------------------------------------------------------


def test_the_declared_size_of_a_sheet_is_a_hint_not_proof(parsed_cells):
    """1,048,576 rows × 16,384 columns declared; three rows are really there."""
    data = xlsx(
        HEADER + row(2, DAY, "Klotter") + row(1_048_576, DAY),
        dimension="A1:XFD1048576",
    )
    assert len(data) < 5_000
    table = read_table(data, "rapport.xlsx")
    assert table.headers == ["Datum", "Kategori"]
    assert table.rows == [(2, [DAY, "Klotter"]), (1_048_576, [DAY])]
    assert len(parsed_cells) == 5


def test_rows_past_the_limit_stop_the_reading(
    client, settings, place_a, manager, guards, parsed_cells
):
    settings.IMPORT_MAX_ROWS = 100
    rows = "".join(row(n, DAY, "Klotter") for n in range(2, 1_000))
    bomb = xlsx(HEADER + rows, dimension="A1:XFD1048576")
    client.force_login(manager)
    message = refused(post_file(client, place_a, guards, "rapport.xlsx", bomb))
    assert message == "Filen har fler än 100 rader; dela upp den i mindre filer."
    # The header and one row past the limit, two cells each: then it stops.
    assert len(parsed_cells) <= 2 * (1 + 101)


def test_the_row_limit_is_named_in_swedish_digits(settings):
    settings.IMPORT_MAX_ROWS = 1000
    data = ("Datum;Kategori\n" + f"{DAY};Klotter\n" * 1001).encode()
    with translation.override("sv"), pytest.raises(ImportFileError) as error:
        read_table(data, "rapport.csv")
    assert str(error.value) == "Filen har fler än 1\xa0000 rader; dela upp den i mindre filer."
    settings.IMPORT_MAX_ROWS = 1001
    assert len(read_table(data, "rapport.csv").rows) == 1001


def test_columns_past_the_limit_are_refused(settings, parsed_cells):
    settings.IMPORT_MAX_COLUMNS = 5
    message = "Filen har fler än 5 kolumner"
    with translation.override("sv"):
        with pytest.raises(ImportFileError, match=message):
            read_table(b"a;b;c;d;e;f\n1;2;3;4;5;6\n", "rapport.csv")
        with pytest.raises(ImportFileError, match=message):
            read_table(b"a;b\n1;2;;;;7\n", "rapport.csv")
        with pytest.raises(ImportFileError, match=message):
            read_table(xlsx(HEADER + row(2, "x", columns=[16_384])), "rapport.xlsx")
    # Trailing separators and empty formatted cells far to the right are no columns.
    assert read_table(b"a;b;;;;;;;;;\n1;2;;;;;;;;;;;;\n", "rapport.csv").rows == [(2, ["1", "2"])]
    empty_far_right = HEADER + '<row r="2"><c r="A2" t="n"><v>1</v></c><c r="XFD2" s="1"/></row>'
    assert read_table(xlsx(empty_far_right), "rapport.xlsx").rows == [(2, [1])]


def test_a_value_past_the_length_limit_is_refused_naming_its_row(settings):
    settings.IMPORT_MAX_CELL_CHARS = 100
    long_value = "y" * 101
    beyond_csv_module = "y" * 200_000
    runs = "".join(f"<r><t>{'z' * 10}</t></r>" for _ in range(50))
    rich_text = f'<row r="3"><c r="B3" t="inlineStr"><is>{runs}</is></c></row>'
    with translation.override("sv"):
        for name, data, number in (
            ("a.csv", f"Datum;Kategori\n\n{DAY};{long_value}\n".encode(), 3),
            ("b.csv", f'Datum;Kategori\n{DAY};"{beyond_csv_module}"\n'.encode(), 2),
            ("c.xlsx", xlsx(HEADER + row(4, DAY, long_value)), 4),
            ("d.xlsx", xlsx(HEADER + rich_text), 3),
        ):
            with pytest.raises(ImportFileError) as error:
                read_table(data, name)
            assert str(error.value) == (
                f"Rad {number} har ett värde som är längre än 100 tecken; korta det och "
                "försök igen."
            ), name
    assert read_table(f"Datum\n{'y' * 100}\n".encode(), "e.csv").rows == [(2, ["y" * 100])]


def test_a_file_over_the_upload_limit_is_refused(client, settings, place_a, manager, guards):
    settings.IMPORT_MAX_UPLOAD_BYTES = 2048
    data = ("Datum;Kategori\n" + f"{DAY};Klotter\n" * 200).encode()
    client.force_login(manager)
    message = refused(post_file(client, place_a, guards, "rapport.csv", data))
    assert message == "Filen är större än 2,0\xa0kB; dela upp den i mindre filer."
    with pytest.raises(ImportFileError):
        read_table(data, "rapport.csv")  # also when a stored file is read again


def test_a_header_name_past_its_limit_is_refused():
    data = f"Datum;{'K' * 201}\n{DAY};Klotter\n".encode()
    with translation.override("sv"), pytest.raises(ImportFileError) as error:
        read_table(data, "rapport.csv")
    assert str(error.value) == "Kolumn 2 har ett namn som är längre än 200 tecken."


# --- The pages after the upload show a sample and counts ----------------------------------


def test_the_pages_after_the_upload_stay_small(
    client, place_a, manager, guards, parsed_cells, django_capture_on_commit_callbacks
):
    columns = ["Datum", "Kategori"] + [f"Kolumn {n}" for n in range(3, 21)]
    noise = random.Random(11)
    rows = [row(1, *columns)] + [
        row(
            n,
            f"{DAY} 22:15",
            f"Okänd {noise.randbytes(200).hex()}",
            *[noise.randbytes(200).hex()] * 18,
        )
        for n in range(2, 252)
    ]
    data = xlsx("".join(rows), dimension="A1:T251")
    client.force_login(manager)
    response = post_file(client, place_a, guards, "stor.xlsx", data)
    assert response.status_code == 302
    assert IncidentImport.objects.get().rows_total == 250
    # About 2 MB of text in the file; the mapping page reads and shows the first rows only.
    parsed_cells.clear()
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert len(parsed_cells) <= 20 * 4
    assert len(page.content) < 30_000
    assert "250 rader" in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            response["Location"], {"occurred_at": "Datum", "category": "Kategori"}
        )
    # The check reads every row but keeps at most 200 errors, each value cut short.
    page = client.get(response["Location"])
    assert page.status_code == 200
    result = page.context["result"]
    assert len(result["errors"]) == 200 and result["more_errors"] == 50
    assert len(page.content) < 100_000
    assert "… och 50 fel till." in page.content.decode()
    assert not Incident.objects.exists()


def test_an_excel_file_within_every_limit_still_imports(place_a, manager, guards, settings):
    settings.IMPORT_MAX_ROWS = 3
    data = xlsx(
        HEADER + row(2, f"{DAY} 22:15", "Klotter") + row(4, f"{DAY} 06:05", "Klotter"),
        dimension="A1:XFD1048576",
    )
    stored = imports.incident_import_upload(
        place=place_a, actor=manager, organisation=guards, filename="ok.xlsx", data=data
    )
    validation = imports.incident_import_confirm(upload_id=stored.pk, actor=manager)
    assert validation.ok and Incident.objects.filter(place=place_a).count() == 2
