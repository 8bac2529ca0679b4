"""Languages of the public side (issue #14).

The public pages — a place's page, the tip form, a tip's tracking page and the survey answer
page — speak `settings.PUBLIC_LANGUAGES` (Swedish, English, Arabic, Somali), chosen on the page
with links carrying `hreflang` (`?lang=ar`). The member side stays in `settings.LANGUAGES`
(sv/en): the language is activated per view with `translation.override`, never through the
site's language switch or its cookie, so choosing Arabic on a public page changes nothing
for members.
"""

from django.conf import settings
from django.shortcuts import render
from django.utils import translation

RTL_LANGUAGES = frozenset({"ar", "fa", "he", "ur", "ckb"})


def public_language_codes() -> list[str]:
    return [code for code, _name in settings.PUBLIC_LANGUAGES]


def public_language(request) -> str:
    """?lang= (or the form's `lang`) when it is a public language; else the visitor's site
    language (sv unless they chose English), which is always a public language."""
    wanted = request.GET.get("lang") or request.POST.get("lang") or ""
    if wanted in public_language_codes():
        return wanted
    current = getattr(request, "LANGUAGE_CODE", settings.LANGUAGE_CODE)
    return current if current in public_language_codes() else settings.LANGUAGE_CODE


def language_links(request, language: str) -> list[dict]:
    """The language switch: one link per public language, on the same page."""
    query = request.GET.copy()
    links = []
    for code, name in settings.PUBLIC_LANGUAGES:
        query["lang"] = code
        links.append(
            {
                "code": code,
                "name": name,
                "url": f"{request.path}?{query.urlencode()}",
                "current": code == language,
                "dir": "rtl" if code in RTL_LANGUAGES else "ltr",
            }
        )
    return links


def with_lang(url: str, language: str) -> str:
    """`url` carrying the page language, so the next page speaks it too."""
    if language == settings.LANGUAGE_CODE:
        return url
    return f"{url}{'&' if '?' in url else '?'}lang={language}"


def render_public(request, template, context, language, status=200):
    with translation.override(language):
        response = render(
            request,
            template,
            {
                "language": language,
                "text_direction": "rtl" if language in RTL_LANGUAGES else "ltr",
                "language_links": language_links(request, language),
                **context,
            },
            status=status,
        )
    response["Content-Language"] = language
    return response
