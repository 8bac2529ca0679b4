"""Privacy screening of free text (DESIGN §6, GDPR art. 10).

Private actors in Sweden may in general not keep registers of people suspected of offences, so
every free-text field (incidents, activities, action items, applications, survey answers) is
screened on save for identifiers of people: Swedish personnummer and samordningsnummer (Luhn
checked, so ordinary numbers pass), phone numbers, e-mail addresses and vehicle registration
plates. A hit is refused with a message that says what was found; nothing is saved.

Use `validate_no_personal_data` as a model-field or form-field validator (ModelForms pick it up)
or call `find_personal_data(text)` to get the hits.

The patterns are deliberately tuned to let ordinary numbers through: dates (2026-11-22,
01-02-2026), times and opening hours (0800-1600), prices and amounts (SEK 500, 1 250 000 kr),
postcodes (211 45), organisationsnummer (556123-4567) and order numbers. Every pattern is linear
in the length of the text, so a long paste can't stall a request.
"""

import re
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

KIND_LABELS = {
    "personnummer": _("a personal identity number (personnummer)"),
    "samordningsnummer": _("a coordination number (samordningsnummer)"),
    "phone": _("a phone number"),
    "email": _("an e-mail address"),
    "plate": _("a vehicle registration plate"),
}

# Optional century, yymmdd, optional - or + separator (spaces tolerated), 3-digit serial and a
# check digit. ASCII digits only: \d would also match other scripts' digits.
_IDENTITY_NUMBER = re.compile(
    r"(?<![0-9])([0-9]{2})?([0-9]{2})([0-9]{2})([0-9]{2})"
    r"[ \t]?([-+]?)[ \t]?([0-9]{3})([0-9])(?![0-9])"
)
# Starts only at the beginning of a run of address characters: keeps matching linear.
_EMAIL = re.compile(
    r"(?<![\w.+-])[\w.+-]+(?:@|\s?[\(\[]\s?(?:at|snabel-a)\s?[\)\]]\s?)[\w-]+(?:\.[\w-]+)*\.[a-zA-Z]{2,}",
    re.IGNORECASE,
)
# Swedish numbers. International: +46 / 0046, an optional "(0)", then 7–9 more digits.
# National: 0 + area code digit (never 00, so order numbers with leading zeros pass), then 6–8
# more digits, in groups separated by single spaces or dashes; "(08) 123 45 67" too.
_PHONE = re.compile(
    r"(?<![\w+])(?:"
    r"(?:\+|00)46[ -]?(?:\(0\)[ -]?)?[1-9](?:[ -]?[0-9]){6,8}"
    r"|0[1-9](?:[ -]?[0-9]){6,8}"
    r"|\(0[1-9][0-9]{0,2}\)[ ]?[0-9](?:[ -]?[0-9]){4,7}"
    r")(?![0-9])"
)
# Things the national phone pattern would otherwise catch: dd-mm-yyyy dates and hhmm-hhmm hours.
_DATE_LIKE = re.compile(r"^(0[1-9]|[12][0-9]|3[01])[-/ ](0[1-9]|1[0-2])[-/ ](19|20)[0-9]{2}$")
_HOURS_LIKE = re.compile(r"^([01][0-9]|2[0-3])[0-5][0-9][ ]?-[ ]?([01][0-9]|2[0-3])[0-5][0-9]$")
# Swedish plates: three letters (no I, Q, V, Å, Ä, Ö) then two digits and a digit or a letter
# (ABC 123, ABC 12D since 2019). Written in capitals with an optional space or dash; in lower or
# mixed case only when written together ("abc123"), because "och 150" is ordinary Swedish.
_PLATE_LETTERS = "A-HJ-PR-UW-Z"
_PLATE = re.compile(
    rf"(?<![\wÅÄÖåäö])(?:([{_PLATE_LETTERS}]{{3}})[ -]?([0-9]{{2}}[{_PLATE_LETTERS}0-9])"
    rf"|((?i:[{_PLATE_LETTERS}]{{3}}))((?i:[0-9]{{2}}[{_PLATE_LETTERS}0-9])))(?![\wÅÄÖåäö])"
)
# Three-letter words that are common before numbers and can't be plates in practice.
_NOT_PLATES = {
    "SEK", "EUR", "USD", "NOK", "DKK", "GBP", "CHF", "KPI", "BNP", "MOM", "TEL", "NUM", "KAP",
    "MAX", "MIN", "LED", "KWH", "TOT", "REF", "ART", "AVD", "LGH", "ORD", "NRO", "BUD", "DAG",
    "ANT", "CAD", "AUD", "JPY", "PLN", "DEN", "PER", "TEM", "FEB", "MAR", "APR", "MAJ", "JUN",
    "JUL", "AUG", "SEP", "OKT", "NOV", "DEC", "JAN", "MAN", "TIS", "ONS", "TOR", "FRE", "LOR",
    "SON", "CAP", "NRS",
}  # fmt: skip


@dataclass(frozen=True)
class PersonalDataHit:
    kind: str
    text: str
    start: int = 0
    end: int = 0

    @property
    def label(self):
        return KIND_LABELS[self.kind]


def _luhn_ok(digits: str) -> bool:
    total = 0
    for index, char in enumerate(digits):
        value = int(char) * (2 if index % 2 == 0 else 1)
        total += value - 9 if value > 9 else value
    return total % 10 == 0


def _identity_kind(match: re.Match) -> str | None:
    """'personnummer', 'samordningsnummer' or None for a number that only looks like one."""
    century, yy, mm, dd, _sep, serial, check = match.groups()
    if century and century not in ("18", "19", "20"):
        return None
    month, day = int(mm), int(dd)
    if not 1 <= month <= 12:
        return None
    kind = "personnummer"
    if day > 60:  # samordningsnummer add 60 to the day of birth
        day -= 60
        kind = "samordningsnummer"
    try:
        # Without a century, 2000 (a leap year) accepts every real day of birth, 29 Feb too.
        date(int(century + yy) if century else 2000, month, day)
    except ValueError:
        return None
    return kind if _luhn_ok(yy + mm + dd + serial + check) else None


def _overlaps(span: tuple[int, int], taken: list[tuple[int, int]]) -> bool:
    return any(span[0] < end and start < span[1] for start, end in taken)


def find_personal_data(text: str) -> list[PersonalDataHit]:
    """Return the identifiers of people found in `text` (empty list when clean), in order."""
    if not text:
        return []
    text = str(text)
    hits: list[PersonalDataHit] = []
    for match in _IDENTITY_NUMBER.finditer(text):
        kind = _identity_kind(match)
        if kind:
            hits.append(PersonalDataHit(kind, match.group(0).strip(), *match.span()))
    for match in _EMAIL.finditer(text):
        hits.append(PersonalDataHit("email", match.group(0).strip(), *match.span()))
    taken = [(hit.start, hit.end) for hit in hits]
    for match in _PHONE.finditer(text):
        found = match.group(0).strip()
        if _overlaps(match.span(), taken) or _DATE_LIKE.match(found) or _HOURS_LIKE.match(found):
            continue
        hits.append(PersonalDataHit("phone", found, *match.span()))
    for match in _PLATE.finditer(text):
        letters = (match.group(1) or match.group(3)).upper()
        if letters in _NOT_PLATES or _overlaps(match.span(), taken):
            continue
        hits.append(PersonalDataHit("plate", match.group(0), *match.span()))
    return sorted(hits, key=lambda hit: hit.start)


def personal_data_message(hits: list[PersonalDataHit]) -> str:
    kinds = []
    for hit in hits:
        if hit.label not in kinds:
            kinds.append(hit.label)
    found = ", ".join(str(k) for k in kinds)
    examples = ", ".join(f"“{hit.text}”" for hit in hits[:3])
    return str(
        _(
            "This text contains %(found)s (%(examples)s). Describe events and places, never "
            "people: remove it and save again."
        )
        % {"found": found, "examples": examples}
    )


def validate_no_personal_data(value):
    """Model/form validator: refuse text that identifies a person."""
    hits = find_personal_data(str(value or ""))
    if hits:
        raise ValidationError(personal_data_message(hits), code="personal_data")
