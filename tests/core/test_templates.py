def test_no_template_has_a_multiline_short_comment():
    """`{# … #}` only works on one line; a multi-line one is printed on the page."""
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    offenders = []
    for template in root.glob("**/templates/**/*.html"):
        if ".venv" in template.parts:
            continue
        for number, line in enumerate(template.read_text(encoding="utf-8").splitlines(), 1):
            if line.count("{#") > line.count("#}"):
                offenders.append(f"{template.relative_to(root)}:{number}")
    assert offenders == []
