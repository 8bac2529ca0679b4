"""Build the catalogues of the public languages (issue #14): Arabic and Somali.

Only the public pages speak them — a place's public page, the tip form, a tip's tracking page
and the survey answer page — so their catalogues hold exactly those pages' strings, not the
whole product's (the member side stays Swedish and English, and every catalogue in the
repository must be complete). For each app this runs makemessages for the language, keeps the
messages from the public files (and the listed messages those pages show from shared code),
fills them from `tools/public_translations.py` and writes the catalogue without locations.

    python tools/public_catalogues.py        # then compilemessages; fails on a missing text
"""

import os
import subprocess
import sys
import tempfile
from pathlib import Path

BASE = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(BASE / "tools"))

from po_fill import fill, parse, write  # noqa: E402
from public_translations import TRANSLATIONS  # noqa: E402

LANGUAGES = {
    "ar": (
        "Arabic",
        "nplurals=6; plural=n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : n%100>=3 && n%100<=10 ? 3 : "
        "n%100>=11 ? 4 : 5;",
    ),
    "so": ("Somali", "nplurals=2; plural=(n != 1);"),
}

# Per app directory: the files wholly on public pages (location prefixes) and the messages the
# public pages show from shared code (exact msgids).
PUBLIC = {
    # The error summary and the empty choice every form shows (the survey's, the tip form's).
    ".": {"files": ["templates/public/"], "msgids": ["There is a problem", "Choose …"]},
    "places": {
        "files": [
            "templates/places/public/",
            "templates/places/email/tip_update*",
            "forms/public.py",
            "public.py",
            "screening.py",
        ],
        "msgids": [
            # ActionItem.Category: the tip form's categories.
            "Lighting",
            "Graffiti",
            "Litter",
            "Vegetation",
            "Vandalism",
            "Traffic",
            "Accessibility",
            "Other",
            # The privacy screen's refusals (places/privacy.py).
            "a personal identity number (personnummer)",
            "a coordination number (samordningsnummer)",
            "a phone number",
            "an e-mail address",
            "a social media account",
            "a vehicle registration plate",
            "what looks like the name of a person",
            "This text contains %(found)s (%(examples)s). Describe events and places, never "
            "people: remove it and save again.",
            # Photos (places/photos.py) and the pin (places/services/checks.py).
            "This file is not a photo we can read. Upload a JPEG, PNG or WebP image.",
            "The photo is too large in pixels; take it again at a lower resolution.",
            "The photo is %(size)s; the largest photo we accept is %(max)s.",
            "The pin is %(km)s km from %(place)s. Set it on the place, or leave the position "
            "empty.",
            "Where",
            "Coordinates",
            "Use my position",
            "Finding your position…",
            "Position set.",
            "Your position could not be found. Set the pin on the map or enter coordinates.",
        ],
    },
    "safety": {"files": ["templates/safety/public/", "public.py"], "msgids": []},
    # Organisation kinds: "who runs the place" on the public page.
    "accounts": {
        "files": [],
        "msgids": [
            "Property owner",
            "Business",
            "Municipality",
            "Police",
            "Housing company",
            "Association",
            "Security company",
            "Public transport",
            "Other",
        ],
    },
    "surveys": {
        "files": [
            "templates/surveys/public/",
            "templates/surveys/partials/_response_form.html",
            "views/public.py",
        ],
        "msgids": [
            "Answer this question to continue.",
            "Choose one of the answers given.",
            "How are you connected to the place?",
            "I live here",
            "I work here",
            "I am visiting",
            "Other",
            "Yes",
            "No",
        ],
    },
}


def _run(args, cwd):
    subprocess.run(args, cwd=cwd, check=True, env={**os.environ, "LC_ALL": "C.UTF-8"})


def build(app: str, language: str) -> list[str]:
    cwd = BASE if app == "." else BASE / app
    manage = str(BASE / "manage.py")
    args = [sys.executable, manage, "makemessages", "-l", language, "-v", "0"]
    if app == ".":
        for other in PUBLIC:
            if other != ".":
                args.append(f"--ignore={other}")
        # Every app has its own catalogues: makemessages would write their strings there.
        for other in ("accounts", "places", "partnerships", "safety", "surveys", "demo"):
            args.append(f"--ignore={other}")
        args += ["--ignore=.venv", "--ignore=var"]
        args += ["--ignore=tests", "--ignore=static", "--ignore=tools"]
    _run(args, cwd)
    po = cwd / "locale" / language / "LC_MESSAGES" / "django.po"
    spec = PUBLIC[app]
    grep = ["msggrep", "--no-wrap"]
    for prefix in spec["files"]:
        grep += ["-N", f"{prefix}*" if prefix.endswith("/") else prefix]
    if spec["msgids"]:
        grep.append("-K")
        for msgid in spec["msgids"]:
            grep += ["-e", "^" + "".join("\\" + c if c in ".[]*^$\\" else c for c in msgid) + "$"]
    with tempfile.TemporaryDirectory() as tmp:
        selected = Path(tmp) / "selected.po"
        _run([*grep, "-o", str(selected), str(po)], cwd)
        _run(["msgcat", "--no-location", "--no-wrap", "-o", str(po), str(selected)], cwd)
    entries = parse(po)
    name, plural = LANGUAGES[language]
    header = entries[0]
    header["comments"] = [
        f"# {name} texts of AMP Platform's public pages (issue #14).",
        "# Built by tools/public_catalogues.py from tools/public_translations.py.",
    ]
    lines = []
    for line in (header["msgstr"] or "").splitlines(keepends=True):
        if line.startswith("Project-Id-Version:"):
            line = "Project-Id-Version: AMP Platform\n"
        elif line.startswith("PO-Revision-Date:"):
            line = "PO-Revision-Date: 2026-11-30 21:00+0100\n"
        elif line.startswith("Last-Translator:"):
            line = "Last-Translator: AMP Platform\n"
        elif line.startswith("Language:"):
            line = f"Language: {language}\n"
        elif line.startswith("Language-Team:"):
            line = f"Language-Team: {name}\n"
        elif line.startswith("Plural-Forms:"):
            line = f"Plural-Forms: {plural}\n"
        elif line.startswith("Content-Type:"):
            line = "Content-Type: text/plain; charset=UTF-8\n"
        lines.append(line)
    header["msgstr"] = "".join(lines)
    write(po, entries)
    missing = fill(po, TRANSLATIONS[language])
    _run(["msgcat", "-o", str(po), str(po)], cwd)
    return missing


def main() -> int:
    problems = 0
    for app in PUBLIC:
        for language in LANGUAGES:
            missing = build(app, language)
            for msgid in missing:
                print(f"{app} {language}: missing {msgid!r}")
            problems += len(missing)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
