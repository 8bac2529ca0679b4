"""Incident import: encodings, separators, Swedish dates, Excel, row errors, no duplicates."""

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from safety.models import ImportMapping, Incident, IncidentImport
from safety.services import imports
from tests import clock

from .conftest import local

pytestmark = pytest.mark.django_db


def last_year() -> int:
    """The rows are of last October: always in the past, never too far back."""
    return clock.this_year() - 1


def guard_csv() -> str:
    year = last_year()
    return (
        "Datum;Tid;Kategori;Allvarlighet;Beskrivning;Plats;Polis\n"
        f"{year}-10-14;22:15;Skadegörelse;hög;Krossad ruta vid entrén.;Entrén mot torget;ja\n"
        "\n"
        f"14/10/{year};23:40;klotter;;Taggar på elskåpet.;;nej\n"
        f"{year}1015;0730;Nedskräpning;låg;Mycket skräp kring bänkarna.;Bänkarna;\n"
        ";;;;;;\n"
    )


@pytest.fixture
def guards(reporter):
    return reporter.organisation


def upload(place, user, organisation, data, filename="rapport.csv"):
    return imports.incident_import_upload(
        place=place, actor=user, organisation=organisation, filename=filename, data=data
    )


def check(stored, user):
    return imports.incident_import_validate(upload=stored, actor=user)[1]


@pytest.mark.parametrize(
    ("encoding", "separator", "bom"),
    [("utf-8", ";", False), ("utf-8", ",", True), ("cp1252", ";", False), ("cp1252", ",", False)],
)
def test_csv_in_every_encoding_and_separator(place_a, manager, guards, encoding, separator, bom):
    text = guard_csv().replace(";", separator)
    data = (b"\xef\xbb\xbf" if bom else b"") + text.encode(encoding)
    stored = upload(place_a, manager, guards, data)
    assert stored.mapping == {
        "occurred_at": "Datum",
        "time": "Tid",
        "category": "Kategori",
        "severity": "Allvarlighet",
        "description": "Beskrivning",
        "location_note": "Plats",
        "police_notified": "Polis",
    }
    validation = check(stored, manager)
    assert validation.errors == []
    assert validation.rows == 3  # the empty rows are skipped
    first = validation.incidents[0]
    assert first.category.code == "skadegorelse"
    assert first.occurred_at == local(last_year(), 10, 14, 22, 15)
    assert (first.severity, first.police_notified, first.location_note) == (
        "high",
        True,
        "Entrén mot torget",
    )
    assert validation.incidents[1].occurred_at == local(last_year(), 10, 14, 23, 40)
    assert validation.incidents[2].occurred_at == local(last_year(), 10, 15, 7, 30)


def test_import_is_all_or_nothing_and_never_twice(place_a, manager, guards):
    stored = upload(place_a, manager, guards, guard_csv().encode())
    validation = imports.incident_import_confirm(upload_id=stored.pk, actor=manager)
    assert validation.ok
    incidents = Incident.objects.filter(place=place_a)
    assert incidents.count() == 3
    assert set(incidents.values_list("reporting_organisation", flat=True)) == {guards.pk}
    stored.refresh_from_db()
    assert (stored.status, stored.rows_created, stored.content) == ("imported", 3, b"")
    # Confirming the same upload again is refused; uploading the same file again adds nothing.
    with pytest.raises(imports.ImportFileError):
        imports.incident_import_confirm(upload_id=stored.pk, actor=manager)
    again = upload(place_a, manager, guards, guard_csv().encode("cp1252"))
    validation = imports.incident_import_confirm(upload_id=again.pk, actor=manager)
    assert validation.already_imported == 3 and validation.incidents == []
    assert incidents.count() == 3


def test_row_errors_block_the_whole_import(place_a, manager, guards):
    future = f"{clock.today() + dt.timedelta(days=400):%Y-%m-%d} 10:00"
    year = last_year()
    data = (
        "Datum;Kategori;Beskrivning\n"
        f"{year}-10-14 22:15;Klotter;Taggar på elskåpet.\n"
        f"{year}-13-40 25:00;Klotter;Fel datum.\n"
        f"{year}-10-14 22:15;Gatumusik;Okänd kategori.\n"
        f"{year}-10-14 22:15;Hot;Mannen med personnummer 19121212-1212 hotade personalen.\n"
        f"{year}-10-14 22:20;Hot;Ring 070-123 45 67 om det händer igen.\n"
        f"{future};Hot;Framtiden.\n"
    ).encode()
    stored = upload(place_a, manager, guards, data)
    validation = imports.incident_import_confirm(upload_id=stored.pk, actor=manager)
    assert not validation.ok
    assert Incident.objects.count() == 0
    stored.refresh_from_db()
    assert stored.status == "uploaded"
    by_row = {(e.row, e.column): e.message for e in validation.errors}
    assert set(by_row) == {
        (3, "Datum"),
        (4, "Kategori"),
        (5, "Beskrivning"),
        (6, "Beskrivning"),
        (7, "Datum"),
    }
    assert f"{year}-13-40 25:00" in by_row[(3, "Datum")]
    assert "Gatumusik" in by_row[(4, "Kategori")] and "Klotter" in by_row[(4, "Kategori")]
    assert "19121212-1212" in by_row[(5, "Beskrivning")]
    assert "070-123 45 67" in by_row[(6, "Beskrivning")]
    assert future in by_row[(7, "Datum")]


def test_excel_with_date_cells_and_text_dates(place_a, manager, guards):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["Händelsetyp", "Datum", "Beskrivning", "Latitud", "Longitud"])
    year = last_year()
    sheet.append(["Klotter", dt.datetime(year, 10, 14, 22, 15), "Taggar.", 55.6012, 13.0021])
    sheet.append([None, None, None, None, None])
    sheet.append(["Skadegörelse", f"14/10/{year} 06:05", "Ruta.", "55,6013", "13,0022"])
    buffer = io.BytesIO()
    book.save(buffer)
    stored = upload(place_a, manager, guards, buffer.getvalue(), filename="export.xlsx")
    validation = check(stored, manager)
    assert validation.errors == []
    assert [i.occurred_at for i in validation.incidents] == [
        local(year, 10, 14, 22, 15),
        local(year, 10, 14, 6, 5),
    ]
    assert validation.incidents[1].lat == pytest.approx(55.6013)


def test_unreadable_files_are_refused(place_a, manager, guards):
    with pytest.raises(imports.ImportFileError):
        upload(place_a, manager, guards, b"PK\x03\x04not really a zip", filename="x.xlsx")
    with pytest.raises(imports.ImportFileError):
        upload(place_a, manager, guards, b"\x00\x01\x02binary", filename="x.csv")
    with pytest.raises(imports.ImportFileError):
        upload(place_a, manager, guards, b"\n\n;;\n", filename="x.csv")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2026-10-14 22:15", dt.datetime(2026, 10, 14, 22, 15)),
        ("2026-10-14T22:15:30", dt.datetime(2026, 10, 14, 22, 15)),
        ("14/10/2026 22:15", dt.datetime(2026, 10, 14, 22, 15)),
        ("14/10/2026", dt.datetime(2026, 10, 14, 0, 0)),
        ("20261014", dt.datetime(2026, 10, 14, 0, 0)),
        ("14.10.2026 07:05", dt.datetime(2026, 10, 14, 7, 5)),
        ("2026-10-14 kl. 22:15", dt.datetime(2026, 10, 14, 22, 15)),
        ("14 oktober", None),
        ("2026-02-30", None),
    ],
)
def test_swedish_date_formats(value, expected):
    # A pure parser, never compared with now: the literal year is just a date to read.
    assert imports.parse_when(value) == expected


def test_ten_thousand_rows_without_a_query_per_row(place_a, manager, guards, count_queries):
    lines = ["Datum;Kategori;Beskrivning"]
    start = dt.datetime(last_year(), 1, 1, 0, 0)  # 10 500 rounds 37 minutes apart: until autumn
    for i in range(10_500):
        when = start + dt.timedelta(minutes=37 * i)
        lines.append(f"{when:%Y-%m-%d %H:%M};{'Klotter' if i % 2 else 'Skadegörelse'};Rond {i}.")
    stored = upload(place_a, manager, guards, "\n".join(lines).encode())
    with count_queries() as queries:
        validation = imports.incident_import_confirm(upload_id=stored.pk, actor=manager)
    assert validation.ok
    assert Incident.objects.filter(place=place_a).count() == 10_500
    # Lookups and inserts in chunks, not per row (SQLite caps a query at 999 parameters, so
    # its inserts hold ~66 rows; PostgreSQL takes 1,000 per insert).
    assert len(queries) < 10_500 / 40


def test_mapping_is_remembered_per_organisation(client, place_a, manager, guards, property_owner):
    client.force_login(manager)
    url = reverse("safety:incident_import", kwargs={"place_slug": place_a.slug})
    data = f"När;Vad;Text\n{last_year()}-10-14 22:15;Klotter;Taggar.\n".encode()
    response = client.post(
        url, {"file": SimpleUploadedFile("a.csv", data), "organisation": guards.pk}
    )
    stored = IncidentImport.objects.get()
    assert response["Location"] == reverse(
        "safety:incident_import_map", kwargs={"place_slug": place_a.slug, "pk": stored.pk}
    )
    assert stored.mapping == {"occurred_at": "När", "category": "Vad", "description": "Text"}
    map_url = response["Location"]
    response = client.post(
        map_url, {"occurred_at": "När", "category": "Vad", "location_note": "Text"}
    )
    assert response.status_code == 302
    assert ImportMapping.objects.get(organisation=guards).mapping == {
        "occurred_at": "När",
        "category": "Vad",
        "location_note": "Text",
    }
    # The next file from the same organisation starts from that mapping; another's does not.
    client.post(url, {"file": SimpleUploadedFile("b.csv", data), "organisation": guards.pk})
    assert IncidentImport.objects.latest("pk").mapping["location_note"] == "Text"
    client.post(url, {"file": SimpleUploadedFile("c.csv", data), "organisation": property_owner.pk})
    assert "location_note" not in IncidentImport.objects.latest("pk").mapping


def test_the_import_journey_through_the_pages(
    client, place_a, manager, guards, assert_max_queries, django_capture_on_commit_callbacks
):
    client.force_login(manager)
    url = reverse("safety:incident_import", kwargs={"place_slug": place_a.slug})
    response = client.post(
        url,
        {
            "file": SimpleUploadedFile("g.csv", guard_csv().encode("cp1252")),
            "organisation": guards.pk,
        },
    )
    map_url = response["Location"]
    page = client.get(map_url)
    assert "Skadegörelse" in page.content.decode()  # the sample rows, decoded right
    mapping = {
        "occurred_at": "Datum",
        "time": "Tid",
        "category": "Kategori",
        "severity": "Allvarlighet",
        "description": "Beskrivning",
    }
    # Matching the columns starts the check in the background; the page shows its progress.
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(map_url, mapping)
    preview_url = response["Location"]
    checking = client.get(preview_url)
    assert "<progress" in checking.content.decode()
    assert client.get(preview_url, HTTP_HX_REQUEST="true").status_code == 200  # still running
    for callback in callbacks:
        callback()
    done = client.get(preview_url, HTTP_HX_REQUEST="true")
    assert done.status_code == 204 and done["HX-Refresh"] == "true"
    with assert_max_queries(12):
        page = client.get(preview_url)
    assert page.status_code == 200 and "Krossad ruta vid entrén." in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(preview_url)
    assert response["Location"] == preview_url
    page = client.get(preview_url, follow=True)
    upload = IncidentImport.objects.get()
    # The list of exactly the incidents this import added.
    assert (
        page.redirect_chain[-1][0]
        == reverse("safety:incident_list", kwargs={"place_slug": place_a.slug})
        + f"?source_import={upload.pk}"
    )
    assert Incident.objects.filter(place=place_a).count() == 3
    # A double submit finds the upload done: 404, nothing imported twice.
    assert client.post(preview_url).status_code == 404
    assert Incident.objects.filter(place=place_a).count() == 3


def test_preview_lists_row_errors(
    client, place_a, manager, guards, django_capture_on_commit_callbacks
):
    client.force_login(manager)
    stored = upload(
        place_a, manager, guards, f"Datum;Kategori\n14/10/{last_year()};Gatumusik\n".encode()
    )
    url = reverse(
        "safety:incident_import_preview", kwargs={"place_slug": place_a.slug, "pk": stored.pk}
    )
    with django_capture_on_commit_callbacks(execute=True):
        client.get(url)  # starts the check
    page = client.get(url).content.decode()
    assert "Gatumusik" in page
    response = client.post(url)
    assert response.status_code == 302
    assert Incident.objects.count() == 0


def test_upload_form_rejects_a_broken_file(client, place_a, manager, guards):
    client.force_login(manager)
    url = reverse("safety:incident_import", kwargs={"place_slug": place_a.slug})
    response = client.post(
        url, {"file": SimpleUploadedFile("x.xlsx", b"PK\x03\x04junk"), "organisation": guards.pk}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["file"]
    assert not IncidentImport.objects.exists()


# --- Bad input never crashes -----------------------------------------------------------

FUZZ = hypothesis_settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@FUZZ
@given(data=st.binary(max_size=400))
def test_any_bytes_are_read_or_refused_cleanly(data):
    try:
        table = imports.read_table(data, "fuzz.csv")
    except imports.ImportFileError:
        return
    assert table.headers


@FUZZ
@given(
    rows=st.lists(
        st.lists(
            st.one_of(st.none(), st.text(max_size=30), st.integers(), st.floats()),
            min_size=0,
            max_size=8,
        ),
        min_size=1,
        max_size=6,
    )
)
def test_any_cells_give_row_errors_or_incidents(place_a, manager, guards, rows):
    headers = ["Datum", "Tid", "Kategori", "Allvarlighet", "Beskrivning", "Plats", "Lat", "Lon"]
    table = imports.Table(headers=headers, rows=[(n + 2, cells) for n, cells in enumerate(rows)])
    mapping = dict(
        zip(
            [
                "occurred_at",
                "time",
                "category",
                "severity",
                "description",
                "location_note",
                "lat",
                "lon",
            ],
            headers,
            strict=True,
        )
    )
    result = imports.validate_rows(
        table=table, mapping=mapping, place=place_a, organisation=guards, actor=manager
    )
    assert result.error_rows + len(result.incidents) + result.duplicates_in_file <= len(rows)
    for incident in result.incidents:
        incident.full_clean(exclude=["import_key"])
