"""Page shells a process keeps, keyed by everything they show.

A cached page (`amp_platform.compressed`) is its cached body inside a shell: the site header,
the place's header and navigation, the offline bar's texts, the footer. Rendering that shell took
as long as the rest of a warm dashboard request together (5–6 ms of ~16 ms: some forty
translated strings, a dozen reversed URLs). It changes only when what it shows changes, so each
process keeps the shells it rendered last, under a key the view builds from exactly that – the
person and their role, the place's header, the language, the bell's count, the path – and a
response gets its own CSRF token put in (a token is masked afresh for every response, so a kept
shell holds a placeholder instead).

Per process, not in the shared cache: a shell is cheap to render once per worker and a key
holds everything it shows, so nothing needs invalidating (a deploy starts new processes with
the new templates and static file names), and a hit costs no round trip.

Not kept: a shell that shows messages (they are shown once).
"""

import re
import threading
from collections import OrderedDict

from django.contrib.messages import get_messages
from django.middleware.csrf import get_token
from django.template import Context
from django.template.loader import get_template, render_to_string
from django.test.signals import template_rendered

MAX_SHELLS = 512
_PLACEHOLDER = "\x00csrf\x00"
# How `{% csrf_token %}` writes the token; `{{ csrf_token }}` writes the same value.
_TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')

_shells: OrderedDict = OrderedDict()
_lock = threading.Lock()


def rendered_shell(request, template_name: str, context: dict, *, key: tuple) -> str:
    """`template_name` rendered with `context` for `request`, or the same shell kept from an
    earlier request with the same `key` (which must hold everything the shell shows)."""
    if len(get_messages(request)):
        return render_to_string(template_name, context, request)
    key = (template_name, *key)
    with _lock:
        kept = _shells.get(key)
        if kept is not None:
            _shells.move_to_end(key)
    if kept is not None:
        if template_rendered.receivers:
            # Only the test client listens: it reads a page's context from this signal, so
            # a kept shell tells it the context the shell would have been rendered with.
            template = get_template(template_name).template
            template_rendered.send(sender=template, template=template, context=Context(context))
        # get_token also marks the token as used, so the middleware sets its cookie if needed.
        return kept.replace(_PLACEHOLDER, get_token(request))
    html = render_to_string(template_name, context, request)
    token = _TOKEN.search(html)
    with _lock:
        _shells[key] = html.replace(token.group(1), _PLACEHOLDER) if token else html
        while len(_shells) > MAX_SHELLS:
            _shells.popitem(last=False)
    return html


def forget_shells() -> None:
    """Drop every kept shell (each test starts as a fresh process would)."""
    with _lock:
        _shells.clear()
