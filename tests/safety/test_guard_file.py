"""The guard company's real file (issue #19): its own words for our categories are mapped once
and remembered; its case numbers are kept, so a re-import recognises its cases; the valid rows
can be imported without the refused ones, which download as CSV with the reason per row; the
list shows what an import added; the next upload keeps the organisation."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.urls import reverse

from safety.guard_files import GUARD_WORDS, guard_report, guard_report_name, month_start
from safety.models import ImportMapping, Incident, IncidentCategory, IncidentImport
from safety.services import imports
from tests import clock
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def guards(reporter):
    return reporter.organisation


def first_month():
    return month_start(2, today=clock.today())


def next_month():
    return month_start(1, today=clock.today())


def import_url(place, name="incident_import", **kwargs):
    return reverse(f"safety:{name}", kwargs={"place_slug": place.slug, **kwargs})


def upload_page(client, place, organisation, number, month):
    return client.post(
        import_url(place),
        {
            "file": SimpleUploadedFile(
                guard_report_name(number, month=month), guard_report(number, month=month)
            ),
            "organisation": organisation.pk,
        },
    )


def run_tasks(callbacks):
    for callback in callbacks:
        callback()


def test_the_guard_file_imports_after_one_value_mapping_and_next_month_with_no_questions(
    client, place_a, manager, guards, django_capture_on_commit_callbacks
):
    client.force_login(manager)
    # --- Month one: the columns are guessed, three words and one plate stop rows. ----------
    response = upload_page(client, place_a, guards, 1, first_month())
    upload = IncidentImport.objects.get()
    assert response["Location"] == import_url(place_a, "incident_import_map", pk=upload.pk)
    assert upload.mapping["external_ref"] == "Ärendenr"
    assert upload.mapping["category"] == "Händelsetyp"
    assert upload.mapping["police_notified"] == "Polis kontaktad"
    with django_capture_on_commit_callbacks() as callbacks:
        response = client.post(response["Location"], upload.mapping)
    run_tasks(callbacks)
    preview_url = response["Location"]
    page = client.get(preview_url).content.decode()
    upload.refresh_from_db()
    assert [word for word, _n in upload.result["unknown"]["category"]] == [
        "Snatteri",
        "Berusad person",
        "Larmutryckning",
    ]
    assert upload.result["error_rows"] == 11  # 4 + 3 + 3 rows of those words, 1 plate
    assert "Snatteri" in page and 'name="word_0"' in page

    # One value mapping: each word once.
    codes = {category.code: category for category in IncidentCategory.objects.all()}
    chosen = {
        f"word_{i}": GUARD_WORDS[word.casefold()]
        for i, (word, _n) in enumerate(upload.result["unknown"]["category"])
    }
    with django_capture_on_commit_callbacks() as callbacks:
        response = client.post(import_url(place_a, "incident_import_values", pk=upload.pk), chosen)
    run_tasks(callbacks)
    assert response["Location"] == preview_url
    assert ImportMapping.objects.get(organisation=guards).values == {"category": GUARD_WORDS}
    upload.refresh_from_db()
    assert upload.result["unknown"]["category"] == []
    assert upload.result["error_rows"] == 1 and upload.result["new"] == 19
    (row, column, message) = upload.result["errors"][0]
    assert (row, column) == (7, "Händelsebeskrivning") and "registreringsnummer" in message
    page = client.get(preview_url).content.decode()
    assert "Importera bara de 19 korrekta raderna" in page

    # The refused row downloads with its reason, as the shared export writes CSV.
    refused = client.get(import_url(place_a, "incident_import_refused", pk=upload.pk))
    assert refused["Content-Type"].startswith("text/csv")
    text = b"".join(refused.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text[1:]), delimiter=";"))
    assert rows[0][:3] == ["Rad", "Skäl", "Ärendenr"]
    assert len(rows) == 2 and rows[1][0] == "7" and rows[1][2] == "VB-118734"
    assert "registreringsnummer" in rows[1][1]

    # All or nothing for the chosen rows: the 19 valid ones go in together.
    with django_capture_on_commit_callbacks() as callbacks:
        response = client.post(preview_url, {"valid_only": "1"})
    run_tasks(callbacks)
    upload.refresh_from_db()
    assert upload.status == "imported" and upload.rows_created == 19
    incidents = Incident.objects.filter(place=place_a, source_import=upload)
    assert incidents.count() == 19
    assert incidents.filter(category=codes["stold-snatteri"]).count() == 4
    assert incidents.filter(category=codes["berusade"]).count() == 3
    assert incidents.filter(category=codes["ovrigt"]).count() == 3
    assert not incidents.filter(external_ref="VB-118734").exists()
    assert incidents.get(external_ref="VB-118702").reporting_organisation == guards

    # "Show the imported incidents" lists exactly those.
    shown = client.get(import_url(place_a, "incident_list") + f"?source_import={upload.pk}")
    assert shown.context["page"].paginator.count == 19
    upload_page_html = client.get(import_url(place_a)).content.decode()
    assert "visa de importerade händelserna" in upload_page_html
    assert f"?source_import={upload.pk}" in upload_page_html
    f.IncidentFactory(place=place_a)  # not imported: not in that list
    shown = client.get(import_url(place_a, "incident_list") + f"?source_import={upload.pk}")
    assert shown.context["page"].paginator.count == 19

    # --- Month two: the same organisation is kept, nothing is asked. ---------------------------
    form = client.get(import_url(place_a)).context["form"]
    assert form["organisation"].value() == guards.pk
    with django_capture_on_commit_callbacks() as callbacks:
        response = upload_page(client, place_a, guards, 2, next_month())
    run_tasks(callbacks)
    second = IncidentImport.objects.latest("pk")
    assert response["Location"] == import_url(place_a, "incident_import_preview", pk=second.pk)
    second.refresh_from_db()
    result = second.result
    assert result["ok"] and result["errors"] == [] and result["unknown"]["category"] == []
    assert result["new"] == 18 and result["skipped"] == 2
    assert result["known_refs"] == ["VB-118817"]  # its text was edited; its number is known
    page = client.get(preview_url.replace(str(upload.pk), str(second.pk))).content.decode()
    assert 'name="word_0"' not in page and "VB-118817" in page
    with django_capture_on_commit_callbacks() as callbacks:
        client.post(import_url(place_a, "incident_import_preview", pk=second.pk))
    run_tasks(callbacks)
    assert Incident.objects.filter(source_import=second).count() == 18
    assert Incident.objects.filter(place=place_a, reporting_organisation=guards).count() == 37


def test_a_case_number_is_unique_per_organisation(place_a, place_b, guards, property_owner):
    f.IncidentFactory(place=place_a, reporting_organisation=guards, external_ref="VB-1")
    f.IncidentFactory(place=place_a, reporting_organisation=property_owner, external_ref="VB-1")
    f.IncidentFactory(place=place_a, reporting_organisation=guards, external_ref="")
    f.IncidentFactory(place=place_a, reporting_organisation=guards, external_ref="")
    with pytest.raises(IntegrityError), transaction.atomic():
        f.IncidentFactory(place=place_b, reporting_organisation=guards, external_ref="VB-1")


def test_a_case_number_twice_in_one_file_is_imported_once(place_a, manager, guards):
    year = clock.this_year() - 1
    data = (
        "Ärendenr;Datum;Kategori;Beskrivning\n"
        f"A-1;{year}-10-14 22:15;Klotter;Taggar.\n"
        f"A-1;{year}-10-14 22:15;Klotter;Taggar på elskåpet.\n"
        f"A-2;{year}-10-14 22:15;Klotter;Taggar.\n"
    ).encode()
    stored = imports.incident_import_upload(
        place=place_a, actor=manager, organisation=guards, filename="a.csv", data=data
    )
    validation = imports.incident_import_confirm(upload_id=stored.pk, actor=manager)
    assert validation.duplicates_in_file == 1
    # Two cases alike in everything but their number stay two.
    assert sorted(Incident.objects.values_list("external_ref", flat=True)) == ["A-1", "A-2"]


def test_refused_rows_keep_their_cells_safe_from_spreadsheet_formulas(
    client, place_a, manager, guards
):
    year = clock.this_year() - 1
    data = (
        "Datum;Kategori;Beskrivning\n"
        f'{year}-10-14 22:15;=HYPERLINK("http://evil");Taggar.\n'
        f"{year}-10-14 22:20;Klotter;Taggar.\n"
    ).encode()
    stored = imports.incident_import_upload(
        place=place_a, actor=manager, organisation=guards, filename="b.csv", data=data
    )
    imports.incident_import_confirm(upload_id=stored.pk, actor=manager, record=True)
    stored.refresh_from_db()
    assert stored.status == "checked" and stored.result["new"] == 1
    client.force_login(manager)
    response = client.get(import_url(place_a, "incident_import_refused", pk=stored.pk))
    rows = list(
        csv.reader(io.StringIO(b"".join(response.streaming_content).decode()[1:]), delimiter=";")
    )
    assert rows[1][3] == '\'=HYPERLINK("http://evil")'
    # Only the refused row is in it.
    assert len(rows) == 2


def test_without_valid_only_a_file_with_errors_imports_nothing(place_a, manager, guards):
    stored = imports.incident_import_upload(
        place=place_a,
        actor=manager,
        organisation=guards,
        filename="c.csv",
        data=guard_report(1, month=first_month()),
    )
    validation = imports.incident_import_confirm(upload_id=stored.pk, actor=manager)
    assert not validation.ok and Incident.objects.count() == 0
    validation = imports.incident_import_confirm(
        upload_id=stored.pk, actor=manager, valid_only=True
    )
    assert Incident.objects.count() == validation.new_count == 9  # known words only


NEW_VIEWS = [("incident_import_values", "POST"), ("incident_import_refused", "GET")]


@pytest.fixture
def checked_upload(place_a, manager, guards):
    stored = imports.incident_import_upload(
        place=place_a,
        actor=manager,
        organisation=guards,
        filename="d.csv",
        data=guard_report(1, month=first_month()),
    )
    imports.incident_import_confirm(upload_id=stored.pk, actor=manager, record=True)
    stored.refresh_from_db()
    assert stored.status == "checked"
    return stored


@pytest.mark.parametrize(("name", "method"), NEW_VIEWS)
@pytest.mark.parametrize(
    ("actor", "status"),
    [("manager", None), ("reporter", 403), ("reader", 403), ("outsider", 404), ("reader_b", 404)],
)
def test_access_to_the_new_import_views(
    client, request, place_a, checked_upload, name, method, actor, status
):
    client.force_login(request.getfixturevalue(actor))
    url = import_url(place_a, name, pk=checked_upload.pk)
    response = getattr(client, method.lower())(url)
    if status is None:
        assert response.status_code in (200, 302)
    else:
        assert response.status_code == status
    wrong = "GET" if method == "POST" else "POST"
    client.force_login(request.getfixturevalue("manager"))
    assert getattr(client, wrong.lower())(url).status_code == 405


def test_an_upload_of_another_place_is_not_found(client, place_b, manager, checked_upload):
    from places.models import PlaceRole

    # A manager of both places asks for place A's upload under place B.
    PlaceRole.objects.create(user=manager, place=place_b, role="manager")
    client.force_login(manager)
    for name, method in NEW_VIEWS:
        url = import_url(place_b, name, pk=checked_upload.pk)
        assert getattr(client, method.lower())(url).status_code == 404


def test_the_value_mapping_form_refuses_tampered_choices(
    client, place_a, manager, guards, checked_upload
):
    client.force_login(manager)
    url = import_url(place_a, "incident_import_values", pk=checked_upload.pk)
    for data in ({"word_0": "not-a-category"}, {"word_99": "ovrigt"}, {}, {"word_0": "a\x00b"}):
        response = client.post(url, data)
        assert response.status_code == 302
    assert not ImportMapping.objects.filter(organisation=guards).exclude(values={}).exists()


def test_personal_data_in_the_category_column_is_never_offered_as_a_word_to_remember(
    place_a, manager, guards
):
    year = clock.this_year() - 1
    data = (
        "Datum;Kategori\n"
        f"{year}-10-14 22:15;Snatteri\n"
        f"{year}-10-14 22:20;19121212-1212\n"
        f"{year}-10-14 22:25;ABC 123\n"
    ).encode()
    stored = imports.incident_import_upload(
        place=place_a, actor=manager, organisation=guards, filename="e.csv", data=data
    )
    validation = imports.incident_import_validate(upload=stored, actor=manager)[1]
    assert list(validation.unknown_categories) == ["Snatteri"]
    assert validation.error_rows == 3


def test_the_preview_shows_which_words_were_read_as_which_category(
    client, place_a, manager, guards, django_capture_on_commit_callbacks
):
    ImportMapping.objects.create(
        organisation=guards,
        mapping={},
        values={"category": GUARD_WORDS},
    )
    stored = imports.incident_import_upload(
        place=place_a,
        actor=manager,
        organisation=guards,
        filename="f.csv",
        data=guard_report(2, month=next_month()),
    )
    assert stored.values == {"category": GUARD_WORDS}  # applied at once
    client.force_login(manager)
    url = import_url(place_a, "incident_import_preview", pk=stored.pk)
    with django_capture_on_commit_callbacks(execute=True):
        client.get(url)
    page = client.get(url).content.decode()
    assert "snatteri → Stöld/snatteri" in page
    assert "larmutryckning → Övrigt" in page
