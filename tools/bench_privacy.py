"""How long the privacy screen takes on long texts: it must grow linearly (issue #17).

Run from the repository root: `.venv/bin/python tools/bench_privacy.py [--runs 7]`. It screens
realistic Swedish free text (guard reports with names, numbers, places) of 1,000, 10,000 and
100,000 characters, plus two adversarial texts that would make a backtracking pattern blow up,
and prints the median time per size and per 1,000 characters. Not a test: timings depend on the
machine; the README records one run.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "amp_platform.settings")

import django  # noqa: E402

django.setup()

from places.privacy import find_personal_data  # noqa: E402

CASES = ROOT / "tests" / "places" / "privacy_cases"
SIZES = (1_000, 10_000, 100_000)


def corpus() -> str:
    lines = []
    for name in ("stop.tsv", "pass.tsv"):
        for line in (CASES / name).read_text(encoding="utf-8").splitlines():
            if line and not line.startswith("#"):
                lines.append(line.split("\t")[-1])
    return " ".join(lines)


def text_of(size: int, source: str) -> str:
    return (source * (size // len(source) + 1))[:size]


def median_ms(text: str, runs: int) -> tuple[float, int]:
    timings = []
    hits = 0
    for _ in range(runs):
        started = time.perf_counter()
        hits = len(find_personal_data(text))
        timings.append((time.perf_counter() - started) * 1000)
    return statistics.median(timings), hits


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    runs = parser.parse_args().runs
    find_personal_data("Kalle Andersson")  # loads the names once, outside the timing
    source = corpus()
    adversarial = {
        "letters, @ and digits": ("a" * 40 + "@" + "b" * 40 + " " + "1" * 20 + " "),
        "capitalised names": "Anna Maria Karin Lisa Eva ",
    }
    print(f"{'text':<24}{'chars':>9}{'median ms':>11}{'ms / 1k chars':>15}{'hits':>7}")
    for label, unit in [("realistic reports", source), *adversarial.items()]:
        for size in SIZES:
            ms, hits = median_ms(text_of(size, unit), runs)
            print(f"{label:<24}{size:>9,}{ms:>11.1f}{ms / (size / 1000):>15.2f}{hits:>7}")


if __name__ == "__main__":
    main()
