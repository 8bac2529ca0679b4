"""Our Swedish for django-allauth's pages and mails (issue #19): one vocabulary everywhere.

allauth's own Swedish says "epost-adress", "Verifierings-mail" and "mail" where the rest of the
product says "e-postadress" and "mejl" (docs/glossary.md), and its login page says "Har du redan
ett konto? Då kan du logga in" on a link that goes to sign-up. This writes the corrected
messages — only those that differ — to `accounts/allauth_locale/sv/LC_MESSAGES/django.po`,
which is first in LOCALE_PATHS and so wins over allauth's catalogue.

    python tools/allauth_overrides.py      # after upgrading allauth; then compilemessages
"""

import re
import sys
from pathlib import Path

import allauth

BASE = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(BASE / "tools"))

from po_fill import parse, write  # noqa: E402

SOURCE = Path(allauth.__file__).parent / "locale" / "sv" / "LC_MESSAGES" / "django.po"
TARGET = BASE / "accounts" / "allauth_locale" / "sv" / "LC_MESSAGES" / "django.po"

# Whole messages allauth gets wrong beyond the vocabulary.
FIXED = {
    "If you have not created an account yet, then please %(link)ssign up%(end_link)s first.": (
        "Har du inget konto än? %(link)sSkapa ett konto%(end_link)s först."
    ),
}

# Word for word, in this order (the longer forms first).
VOCABULARY = [
    (r"\bVerifierings-mail\b", "Verifieringsmejl"),
    (r"\bverifierings-mail\b", "verifieringsmejl"),
    (r"\bEpost-", "E-post"),
    (r"\bepost-", "e-post"),
    (r"\bEpost\b", "E-post"),
    (r"\bepost\b", "e-post"),
    (r"\bE-mail\b", "E-post"),
    (r"\be-mail\b", "e-post"),
    (r"\bmail(et|en|ets|s)?\b", r"mejl\1"),
    (r"(?<=s)mail(et|en|ets)?\b", r"mejl\1"),  # verifieringsmailet, not "email"
    (r"verification\b", "verifiering"),  # a typo in allauth's Swedish
    (r"\bMail(et|en|ets|s)?\b", r"Mejl\1"),
]


# Placeholders, markup and URLs are left as they are: %(email)s must stay %(email)s.
UNTOUCHED = re.compile(r"(%\(\w+\)[sd]|%[sd]|<[^>]*>|\{\w+\})")


def ours(text: str) -> str:
    parts = UNTOUCHED.split(text)
    for i in range(0, len(parts), 2):
        for pattern, replacement in VOCABULARY:
            parts[i] = re.sub(pattern, replacement, parts[i])
    return "".join(parts)


def build() -> list[dict]:
    header, *entries = parse(SOURCE)
    changed = []
    for entry in entries:
        if not entry["msgid"] or any("fuzzy" in c for c in entry["comments"] if c.startswith("#,")):
            continue
        if entry["comments"] and all(c.startswith("#~") for c in entry["comments"]):
            continue  # obsolete
        before = (entry["msgstr"], dict(entry["plural"]))
        if entry["msgid"] in FIXED:
            entry["msgstr"] = FIXED[entry["msgid"]]
        elif entry["msgid_plural"] is not None:
            entry["plural"] = {i: ours(text) for i, text in entry["plural"].items()}
        else:
            entry["msgstr"] = ours(entry["msgstr"] or "")
        if (entry["msgstr"], entry["plural"]) != before:
            entry["comments"] = [c for c in entry["comments"] if c.startswith("#,")]
            changed.append(entry)
    header["comments"] = [
        "# Our overrides of django-allauth's Swedish: written by tools/allauth_overrides.py,",
        "# do not edit by hand.",
    ]
    header["msgstr"] = (
        "Project-Id-Version: amp-platform allauth overrides\n"
        "Language: sv\n"
        "MIME-Version: 1.0\n"
        "Content-Type: text/plain; charset=UTF-8\n"
        "Content-Transfer-Encoding: 8bit\n"
        "Plural-Forms: nplurals=2; plural=(n != 1);\n"
    )
    return [header, *changed]


if __name__ == "__main__":
    TARGET.parent.mkdir(parents=True, exist_ok=True)
    entries = build()
    write(TARGET, entries)
    print(f"{len(entries) - 1} messages in {TARGET.relative_to(BASE)}")
