"""A guard company's monthly export, as Väktarbolaget Trygg Stad sends it (issue #19): the demo
imports the first month, and the tests and the README's walk-through use both months.

The files in `safety/data/` are real-looking exports with their own case numbers ("Ärendenr"),
their own words for our categories ("Snatteri", "Berusad person", "Larmutryckning"), a column
we do not import (the guard's id) and, in the first month, one licence plate in a description –
the row privacy screening refuses. Dates are written relative to the month asked for, so the
files are always in the past (`{month}`; `{previous}` for rows repeated from the month before).
The second month repeats the first month's last two cases – one as it was, one with its text
edited – which a re-import recognises by their case numbers.
"""

import datetime as dt
from pathlib import Path

from places.months import first_of_month_shifted

DATA = Path(__file__).resolve().parent / "data"
# The file's words for our categories, as a manager maps them once.
GUARD_WORDS = {
    "snatteri": "stold-snatteri",
    "berusad person": "berusade",
    "larmutryckning": "ovrigt",
}


def month_start(months_ago: int, *, today: dt.date) -> dt.date:
    """The first day of the month `months_ago` months before `today`'s."""
    return first_of_month_shifted(today, -months_ago)


def guard_report(number: int, *, month: dt.date) -> bytes:
    """Month `number` (1 or 2) of the guard company's export for `month`, as the company's
    Excel saves it: Windows-1252, separated by semicolons."""
    text = (DATA / f"guard_report_{number}.csv").read_text(encoding="utf-8")
    previous = month_start(1, today=month)
    text = text.replace("{month}", f"{month:%Y-%m}").replace("{previous}", f"{previous:%Y-%m}")
    return text.replace("\n", "\r\n").encode("cp1252")


def guard_report_name(number: int, *, month: dt.date) -> str:
    return f"trygg-stad-rapport-{month:%Y-%m}.csv"
