"""`{% table_wrap %}`: the one wrapper of every data table (WCAG 2.1.1, 4.1.2).

A table wider than a phone scrolls sideways inside its wrapper. A scrolling box must be
reachable by keyboard and say what it holds, so the wrapper is always a focusable, named
region: `tabindex="0"`, `role="region"` and a label — the id of the heading or caption that
names the table (`labelledby=`), or a text (`label=`). The markup is
templates/includes/table_wrap.html.

    {% load tables %}
    {% table_wrap labelledby="commitments-heading" %}<table>…</table>{% endtable_wrap %}
    {% table_wrap label=chart.title class="plan-table-wrap" %}<table>…</table>{% endtable_wrap %}

`{% table_rows rows %}`: a table body's rows, the first cell of each a row header and the others
numbers — `<tr><th scope="row">…</th><td class="num">…</td>…</tr>` — written in one pass: a
chart's table has hundreds of cells (53 weeks × the categories), and a template loop over them
cost more than drawing the chart (issue #20).
"""

from django import template
from django.template.base import render_value_in_context, token_kwargs
from django.utils.safestring import mark_safe

register = template.Library()

OPTIONS = {"label", "labelledby", "class"}


class TableWrapNode(template.Node):
    def __init__(self, nodelist, options):
        self.nodelist = nodelist
        self.options = options

    def render(self, context):
        values = {name: value.resolve(context) for name, value in self.options.items()}
        values["table"] = self.nodelist.render(context)
        wrapper = context.template.engine.get_template("includes/table_wrap.html")
        with context.push(**values):
            return wrapper.render(context)


@register.tag
def table_wrap(parser, token):
    bits = token.split_contents()
    tag = bits.pop(0)
    options = token_kwargs(bits, parser)
    if bits or not options.keys() <= OPTIONS:
        raise template.TemplateSyntaxError(
            f"{{% {tag} %}} takes only label=, labelledby= and class=, as name=value."
        )
    if not options.keys() & {"label", "labelledby"}:
        raise template.TemplateSyntaxError(
            f"{{% {tag} %}} needs label= or labelledby=: a scrolling region must have a name."
        )
    nodelist = parser.parse(("endtable_wrap",))
    parser.delete_first_token()
    return TableWrapNode(nodelist, options)


@register.simple_tag(takes_context=True)
def table_rows(context, rows):
    """Each cell shown as `{{ cell }}` would show it (localised, escaped)."""
    html = []
    for row in rows:
        cells = iter(row)
        html.append("<tr>")
        for cell in cells:
            html.append(f'<th scope="row">{render_value_in_context(cell, context)}</th>')
            break
        html.extend(
            f'<td class="num">{render_value_in_context(cell, context)}</td>' for cell in cells
        )
        html.append("</tr>")
    return mark_safe("".join(html))
