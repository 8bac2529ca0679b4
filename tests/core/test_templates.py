import pytest


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


def test_every_table_is_inside_the_shared_table_wrap():
    """A table wider than a phone scrolls in its wrapper, which must then be a focusable, named
    region (issue #21): every table uses `{% table_wrap %}`, none a hand-written wrapper."""
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    offenders = []
    for template in root.glob("**/templates/**/*.html"):
        if ".venv" in template.parts or template.name.endswith("_pdf.html"):
            continue  # a printed page does not scroll (its tables are tagged PDF tables)
        text = template.read_text(encoding="utf-8")
        for position in [i for i in range(len(text)) if text.startswith("<table", i)]:
            before = text[:position]
            if before.rfind("{% table_wrap ") <= before.rfind("{% endtable_wrap %}"):
                offenders.append(f"{template.relative_to(root)}:{before.count(chr(10)) + 1}")
    assert offenders == []


def _render(source, **context):
    from django.template import Context, Template

    return Template("{% load tables %}" + source).render(Context(context))


def test_table_wrap_is_a_focusable_region_named_by_a_heading_or_a_text():
    by_heading = _render(
        '{% table_wrap labelledby="payments-heading" %}<table></table>{% endtable_wrap %}'
    )
    assert by_heading.strip() == (
        '<div class="table-wrap" tabindex="0" role="region" '
        'aria-labelledby="payments-heading"><table></table></div>'
    )
    by_text = _render(
        '{% table_wrap label=title class="plan-table-wrap" %}<table></table>{% endtable_wrap %}',
        title='Incidents "by" <category>',
    )
    assert 'class="table-wrap plan-table-wrap"' in by_text
    assert 'aria-label="Incidents &quot;by&quot; &lt;category&gt;"' in by_text
    assert "<table></table>" in by_text


def test_table_wrap_without_a_name_is_refused_when_the_template_is_read():
    from django.template import TemplateSyntaxError

    with pytest.raises(TemplateSyntaxError, match="needs label= or labelledby="):
        _render('{% table_wrap class="x" %}<table></table>{% endtable_wrap %}')
    with pytest.raises(TemplateSyntaxError, match="takes only"):
        _render('{% table_wrap labelledby="x" tabindex="-1" %}<table></table>{% endtable_wrap %}')
