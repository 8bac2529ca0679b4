"""`{% table_rows %}` writes what the template loop it replaced wrote (issue #20)."""

from decimal import Decimal

from django.template import engines
from django.utils.translation import gettext_lazy, override

LOOP = (
    "{% for row in rows %}<tr>{% for cell in row %}{% if forloop.first %}"
    '<th scope="row">{{ cell }}</th>{% else %}<td class="num">{{ cell }}</td>{% endif %}'
    "{% endfor %}</tr>{% endfor %}"
)
TAG = "{% load tables %}{% table_rows rows %}"
ROWS = [
    ["Skadegörelse <b>&</b>", "1 234", 5, 1234567, 2.5, Decimal("3.50"), None],
    [gettext_lazy("Lighting"), "0"],
    ["only a header"],
    [],
]


def test_the_rows_are_the_loop_s_html_in_both_languages():
    django = engines["django"]
    for language in ("sv", "en"):
        with override(language):
            context = {"rows": ROWS}
            assert django.from_string(TAG).render(context) == django.from_string(LOOP).render(
                context
            )
