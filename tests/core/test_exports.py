from places.exports import csv_response, safe_cell


def test_cells_a_spreadsheet_would_run_as_formulas_are_defused():
    assert safe_cell('=HYPERLINK("http://x")') == '\'=HYPERLINK("http://x")'
    assert safe_cell("-5 + 3") == "'-5 + 3"
    assert safe_cell("Fastighets AB Möllan") == "Fastighets AB Möllan"
    assert safe_cell(-5) == -5
    assert safe_cell(None) == ""


def test_every_export_is_semicolon_separated_utf8_with_bom():
    response = csv_response("x.csv", ["Namn", "Belopp"], iter([["=1+1", 5]]))
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body == "\ufeffNamn;Belopp\r\n'=1+1;5\r\n"
    assert response["Content-Disposition"] == 'attachment; filename="x.csv"'
