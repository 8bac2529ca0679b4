"""Swedish is the default language: every catalogue in the repository is complete."""

import os
import re
import shutil
import subprocess
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
