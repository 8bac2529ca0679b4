"""Privacy screening of free text (DESIGN §6, GDPR art. 10).

Private actors in Sweden may in general not keep registers of people suspected of offences, so
every free-text field (incidents, activities, action items, applications, survey answers) is
screened on save for identifiers of people: Swedish personnummer and samordningsnummer (Luhn
checked, so ordinary numbers pass), phone numbers, e-mail addresses and vehicle registration
plates. A hit is refused with a message that says what was found; nothing is saved.

Use `validate_no_personal_data` as a model-field validator (ModelForms pick it up) or call
`find_personal_data(text)` to get the hits.
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

# 6 or 8 digits of date, optional - or + separator, 4 digits. Not inside longer digit runs.
_IDENTITY_NUMBER = re.compile(
    r"(?<![\d-])(\d{2})?(\d{2})(\d{2})(\d{2})\s?([-+]?)\s?(\d{3})(\d)(?![\d-])"
)
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[a-zA-Z]{2,}")
# Swedish numbers: +46 / 0046 / 0, then 7–9 more digits, grouped by spaces or dashes.
_PHONE = re.compile(r"(?<![\w+])(?:\+46|0046|0)[\s-]?\(?0?\)?[1-9](?:[\s-]?\d){6,8}(?![\d])")
# Swedish plates: three letters (no I, Q, V, Å, Ä, Ö) then two digits and a digit or letter.
_PLATE = re.compile(r"(?<![\wÅÄÖåäö])([A-HJ-PR-UW-Z]{3})\s?(\d{2}[A-HJ-PR-UW-Z0-9])(?![\wÅÄÖåäö])")
# Three-letter words that are common before numbers and can't be plates in practice.
_NOT_PLATES = {"SEK", "EUR", "USD", "NOK", "DKK", "GBP", "KPI", "BNP", "MOM", "TEL", "NUM", "KAP"}


@dataclass(frozen=True)
class PersonalDataHit:
    kind: str
    text: str

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
    century, yy, mm, dd, _sep, serial, check = match.groups()
    month, day = int(mm), int(dd)
    if not 1 <= month <= 12:
        return None
    kind = "personnummer"
    if day > 60:  # samordningsnummer add 60 to the day
        day -= 60
        kind = "samordningsnummer"
    year = int((century or "19") + yy)
    try:
        date(year if century else 2000, month, day)
    except ValueError:
        return None
    if century and century not in ("18", "19", "20"):
        return None
    return kind if _luhn_ok(yy + mm + dd + serial + check) else None


def find_personal_data(text: str) -> list[PersonalDataHit]:
    """Return the identifiers of people found in `text` (empty list when clean)."""
    if not text:
        return []
    hits: list[PersonalDataHit] = []
    for match in _IDENTITY_NUMBER.finditer(text):
        kind = _identity_kind(match)
        if kind:
            hits.append(PersonalDataHit(kind, match.group(0).strip()))
    for match in _EMAIL.finditer(text):
        hits.append(PersonalDataHit("email", match.group(0)))
    identity_spans = [m.span() for m in _IDENTITY_NUMBER.finditer(text) if _identity_kind(m)]
    for match in _PHONE.finditer(text):
        start, end = match.span()
        if any(s <= start < e or s < end <= e for s, e in identity_spans):
            continue
        digits = re.sub(r"\D", "", match.group(0))
        if digits.startswith("46"):
            digits = "0" + digits[2:]
        elif digits.startswith("0046"):
            digits = "0" + digits[4:]
        if 8 <= len(digits) <= 11:
            hits.append(PersonalDataHit("phone", match.group(0).strip()))
    for match in _PLATE.finditer(text):
        if match.group(1) not in _NOT_PLATES:
            hits.append(PersonalDataHit("plate", match.group(0)))
    return hits


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
