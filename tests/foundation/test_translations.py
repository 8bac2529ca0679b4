"""Swedish is the default language: every catalogue in the repository is complete."""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parents[2]


def _catalogues() -> list[Path]:
    try:
        listed = subprocess.run(
            ["git", "ls-files", "*.po"],
            cwd=BASE_DIR,
            capture_output=True,
            text=True,
            check=True,
            timeout=30,
        ).stdout.split()
        return [BASE_DIR / name for name in listed if name.endswith("django.po")]
    except (OSError, subprocess.SubprocessError):
        # An export without .git: the same files by their layout.
        return sorted(
            p for p in BASE_DIR.glob("**/locale/*/LC_MESSAGES/django.po") if ".venv" not in p.parts
        )


CATALOGUES = _catalogues()


@pytest.fixture(scope="module")
def msgfmt():
    path = shutil.which("msgfmt")
    if path is None:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("msgfmt (gettext) is required in CI")
        pytest.skip("msgfmt (gettext) is not installed")
    return path


def test_there_are_catalogues_to_check():
    assert CATALOGUES, "no django.po is tracked in git"


@pytest.mark.parametrize("catalogue", CATALOGUES, ids=lambda p: str(p.relative_to(BASE_DIR)))
def test_catalogue_is_complete(msgfmt, catalogue):
    result = subprocess.run(
        [msgfmt, "--check", "--statistics", "-o", os.devnull, str(catalogue)],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "LC_ALL": "C"},
    )
    assert result.returncode == 0, result.stderr
    statistics = result.stderr.strip().splitlines()[-1]
    assert re.fullmatch(r"\d+ translated messages?\.", statistics), (
        f"{catalogue.relative_to(BASE_DIR)}: {statistics}"
    )


# --- Every message the code uses is in its Swedish catalogue (issue #19) -----------------------
#
# A complete catalogue can still miss messages: a string added without `make messages` shows in
# English on Swedish pages ("Safety survey …"). Each catalogue is regenerated the way `make
# messages` does, in a copy of its sources, and must have nothing left to translate.

APPS = ["accounts", "places", "partnerships", "safety", "surveys"]
ROOT_SOURCES = ["templates", "amp_platform", "locale"]


def _makemessages(cwd: Path, *extra: str) -> None:
    subprocess.run(
        [
            sys.executable,
            str(BASE_DIR / "manage.py"),
            "makemessages",
            "-l",
            "sv",
            "--no-location",
            "--no-obsolete",
            "-v",
            "0",
            *extra,
        ],
        cwd=cwd,
        check=True,
        capture_output=True,
        timeout=120,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "amp_platform.settings"},
    )


@pytest.mark.parametrize("app", APPS + ["."])
def test_every_message_in_the_code_is_in_the_swedish_catalogue(msgfmt, tmp_path, app):
    if shutil.which("xgettext") is None:
        pytest.skip("xgettext (gettext) is not installed")
    if app == ".":
        for name in ROOT_SOURCES:
            shutil.copytree(BASE_DIR / name, tmp_path / name, ignore=shutil.ignore_patterns("*.mo"))
        _makemessages(tmp_path, "--ignore=locale")
        catalogue = tmp_path / "locale" / "sv" / "LC_MESSAGES" / "django.po"
    else:
        shutil.copytree(
            BASE_DIR / app,
            tmp_path / app,
            ignore=shutil.ignore_patterns("*.mo", "__pycache__", "allauth_locale"),
        )
        _makemessages(tmp_path / app)
        catalogue = tmp_path / app / "locale" / "sv" / "LC_MESSAGES" / "django.po"
    result = subprocess.run(
        [msgfmt, "--statistics", "-o", os.devnull, str(catalogue)],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "LC_ALL": "C"},
    )
    statistics = result.stderr.strip().splitlines()[-1]
    untranslated = [
        next(line for line in block.splitlines() if line.startswith("msgid"))
        for block in catalogue.read_text(encoding="utf-8").split("\n\n")[1:]
        if block.rstrip().endswith('msgstr ""') or "#, fuzzy" in block
    ]
    assert re.fullmatch(r"\d+ translated messages?\.", statistics), (
        f"`make messages` would add to {app}'s Swedish catalogue: {untranslated[:10]}"
    )


def test_no_message_is_hidden_in_an_f_string():
    """makemessages cannot see `_()` inside an f-string: such a message is never translated."""
    import ast

    found = []
    for app in APPS + ["amp_platform"]:
        for path in (BASE_DIR / app).rglob("*.py"):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for node in ast.walk(tree):
                if not isinstance(node, ast.JoinedStr):
                    continue
                for call in ast.walk(node):
                    if (
                        isinstance(call, ast.Call)
                        and isinstance(call.func, ast.Name)
                        and call.func.id in {"_", "gettext", "pgettext", "ngettext"}
                    ):
                        found.append(f"{path.relative_to(BASE_DIR)}:{call.lineno}")
    assert not found, found


# --- Our vocabulary on allauth's pages (docs/glossary.md) --------------------------------------


@pytest.mark.django_db
def test_allauth_pages_speak_our_swedish(client):
    from django.urls import reverse

    client.cookies["django_language"] = "sv"
    login = client.get(reverse("account_login")).content.decode()
    # The sentence about signing up links to sign-up and says so (allauth's said "logga in").
    assert f'<a href="{reverse("account_signup")}' in login
    assert "Skapa ett konto" in login and "Då kan du" not in login
    reset = client.get(reverse("account_reset_password")).content.decode()
    for page in (login, reset):
        assert "epost" not in page.lower() and "Verifierings-mail" not in page
    assert "e-postadress" in reset and "mejl" in reset


# Words docs/glossary.md replaces, in every Swedish catalogue of ours (allauth's overrides too).
NOT_OUR_WORDS = re.compile(r"\bepost|\bmail(et|en|s)?\b|Verifierings-mail|godkän[dn]", re.I)


def test_the_swedish_catalogues_keep_to_the_glossary():
    sys.path.insert(0, str(BASE_DIR / "tools"))
    from po_fill import parse

    found = []
    for catalogue in CATALOGUES:
        if "/sv/" not in str(catalogue):
            continue
        for entry in parse(catalogue)[1:]:
            for text in [entry["msgstr"] or "", *entry["plural"].values()]:
                # Placeholders and markup are not words: %(email)s, mailto:.
                words = re.sub(r"%\(\w+\)s|<[^>]*>", "", text)
                if NOT_OUR_WORDS.search(words):
                    found.append(f"{catalogue.relative_to(BASE_DIR)}: {text[:80]}")
    assert not found, found
