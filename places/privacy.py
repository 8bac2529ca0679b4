"""Privacy screening of free text (architecture §6, GDPR art. 10, issue #17).

Private actors in Sweden may in general not keep registers of people suspected of offences, so
every free-text field (incidents, activities, action items, applications, survey answers) is
screened for what identifies a person. This module is the one definition of that rule:

- **Hard stops** — identifiers nobody needs to describe an event: Swedish personnummer and
  samordningsnummer (Luhn checked; with a separator or after "pnr", "född", "ID" … a wrong check
  digit is still caught), phone numbers (also "070/123 45 67", "0046", "+46 (0)"), e-mail
  addresses (also "snabel-a", "(at)", "punkt", "dot"), social-media handles ("@name",
  "Snapchat: …") and vehicle registration plates (also lower case after "reg", "regnr").
  `validate_no_personal_data` refuses them wherever text is saved: it is a model-field
  validator, so forms, services, imports and the admin all run it.
- **Soft stops** — what looks like the name of a person (`places.names`). A name can be a
  street, a shop or an organisation, so the form asks: remove it, or confirm "this is not a
  person", which is recorded for the data protection officer (`places.screening`). Model
  validators never refuse names; the forms and the incident import do.

`find_personal_data(text)` returns every hit, hard and soft, in text order. The patterns let
ordinary numbers through: dates, times and opening hours, prices, postcodes,
organisationsnummer, order, case and police event numbers, equipment labels ("CAM 204",
"LED 12"). Everything is linear in the length of the text (`tools/bench_privacy.py`).
"""

import bisect
import datetime as dt
import re
import unicodedata
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

KIND_LABELS = {
    "personnummer": _("a personal identity number (personnummer)"),
    "samordningsnummer": _("a coordination number (samordningsnummer)"),
    "phone": _("a phone number"),
    "email": _("an e-mail address"),
    "handle": _("a social media account"),
    "plate": _("a vehicle registration plate"),
    "name": _("what looks like the name of a person"),
}
SOFT_KINDS = frozenset({"name"})

_FOLD_EXTRA = str.maketrans({"ı": "i", "ø": "ö", "æ": "ä", "ß": "ss", "đ": "d", "ł": "l"})
_SWEDISH_LETTERS = frozenset("åäö")


def fold(word: str) -> str:
    """How names are compared: case-folded, accents removed except on å, ä and ö, which are
    letters of their own in Swedish (Öztürk, ÖZTÜRK → öztürk; Ståhl stays ståhl, not stahl)."""
    folded = []
    for char in unicodedata.normalize("NFC", word).casefold().translate(_FOLD_EXTRA):
        if char in _SWEDISH_LETTERS or char.isascii():
            folded.append(char)
        else:
            decomposed = unicodedata.normalize("NFKD", char)
            folded.extend(part for part in decomposed if not unicodedata.combining(part))
    return "".join(folded)


# --- Identity numbers ---------------------------------------------------------------------

# Optional century, yymmdd, optional - or + separator (spaces tolerated), 3-digit serial and a
# check digit. ASCII digits only: \d would also match other scripts' digits.
_IDENTITY_NUMBER = re.compile(
    r"(?<![0-9])([0-9]{2})?([0-9]{2})([0-9]{2})([0-9]{2})"
    r"[ \t]?([-+]?)[ \t]?([0-9]{3})([0-9])(?![0-9])"
)
# Words that make a date-like number a personnummer even with a wrong check digit.
_IDENTITY_CUE = re.compile(
    r"(?<![^\W\d_])(?:personnummer|personnumret|personnr|pers\.?\s?nr|p-?nr|pnr|född|f\.|id"
    r"|id-?kort(?:et)?|id-?nummer|legitimation(?:en)?|leg\.?|samordningsnummer|samordningsnr"
    r"|ssn)(?:\W{1,3}[^\W\d_]{1,10})?\W{0,6}$",
    re.IGNORECASE,
)
_CUE_WINDOW = 30


def _luhn_ok(digits: str) -> bool:
    total = 0
    for index, char in enumerate(digits):
        value = int(char) * (2 if index % 2 == 0 else 1)
        total += value - 9 if value > 9 else value
    return total % 10 == 0


def _birth_date(century, yy, mm, dd) -> tuple[dt.date, str] | None:
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
        return dt.date(int(century + yy) if century else 2000, month, day), kind
    except ValueError:
        return None


def _looks_like_timestamp(birth: dt.date, century: str | None, serial_check: str) -> bool:
    """yyyymmdd-hhmm of the last years (file names, log lines) rather than a person."""
    hours, minutes = int(serial_check[:2]), int(serial_check[2:])
    if hours > 23 or minutes > 59:
        return False
    if not century:
        return False
    return 0 <= (dt.date.today() - birth).days <= 3 * 366


def _identity_kind(match: re.Match, text: str) -> str | None:
    """'personnummer', 'samordningsnummer' or None for a number that only looks like one."""
    century, yy, mm, dd, separator, serial, check = match.groups()
    found = _birth_date(century, yy, mm, dd)
    if found is None:
        return None
    birth, kind = found
    if _luhn_ok(yy + mm + dd + serial + check):
        return kind
    # A typo in the check digit is still a personnummer when the writing says so.
    if _looks_like_timestamp(birth, century, serial + check):
        return None
    before = text[max(0, match.start() - _CUE_WINDOW) : match.start()]
    if separator or _IDENTITY_CUE.search(before):
        return kind
    return None


def _labelled_number(match: re.Match, text: str) -> bool:
    """A bare number right after "Faktura", "Order" …: the label's number. A personnummer is
    written with a separator, and is caught then whatever the word before says."""
    return not match.group(5) and _after_label(text, match.start())


# --- E-mail addresses, plain and disguised -------------------------------------------------

# "@", "(at)", "[at]", "{snabel-a}", " snabel-a ", " at ": where an address is split.
_AT = re.compile(
    r"(?:@|[(\[{<][ \t]*(?:at|snabel-?a|@)[ \t]*[)\]}>]|[ \t](?:snabel-?a|at)[ \t])[ \t]*",
    re.IGNORECASE,
)
_DOT = (
    r"(?:[ \t]*\.[ \t]*|[ \t]*[(\[{<][ \t]*(?:punkt|dot)[ \t]*[)\]}>][ \t]*"
    r"|[ \t]+(?:punkt|dot)[ \t]+)"
)
_DOMAIN = re.compile(rf"[\w-]{{1,63}}(?:{_DOT}[\w-]{{1,63}}){{1,4}}", re.IGNORECASE)
_PLAIN_DOMAIN = re.compile(r"[\w-]{1,63}(?:\.[\w-]{1,63}){0,4}\.[a-zA-Z]{2,}(?![\w-])")
_MAIL_TLDS = frozenset(
    {"se", "com", "nu", "net", "org", "info", "eu", "io", "dk", "no", "fi", "de", "uk", "co"}
    | {"me", "biz", "app", "live", "email", "online"}
)


def _local_char(char: str) -> bool:
    return char.isalnum() or char in "._+-"


def _emails(text: str) -> list[tuple[int, int]]:
    spans = []
    for at in _AT.finditer(text):
        end = at.start()
        # "kalle @ gmail.com": spaces before an "@" belong to it when spaces follow it too.
        if at.group(0) != at.group(0).lstrip() or at.group(0).rstrip() != at.group(0):
            while end > 0 and at.start() - end < 3 and text[end - 1] in " \t":
                end -= 1
        start = end
        while start > 0 and end - start < 64 and _local_char(text[start - 1]):
            start -= 1
        if start == end or (start > 0 and _local_char(text[start - 1])):
            continue
        plain = at.group(0).strip() == "@"
        domain = (_PLAIN_DOMAIN if plain else _DOMAIN).match(text, at.end())
        if domain is None and plain:
            domain = _DOMAIN.match(text, at.end())
            plain = False
        if domain is None:
            continue
        if not plain:
            labels = re.split(_DOT, domain.group(0), flags=re.IGNORECASE)
            tld = fold(labels[-1].strip())
            if tld not in _MAIL_TLDS:
                continue
        spans.append((start, domain.end()))
    return spans


# --- Social-media handles -----------------------------------------------------------------

_HANDLE_AT = re.compile(
    r"(?<![\w@.+-])@([A-Za-z0-9_](?:[A-Za-z0-9_.]{0,28}[A-Za-z0-9_])?)(?![\w@])"
)
_HANDLE_CUE = re.compile(
    r"(?<!\w)(?:snapchat|snap|instagram|insta|ig|tiktok|kik|telegram|twitter|facebook|fb"
    r"|discord|youtube|twitch)(?!\w)[ \t]*(:)?[ \t]*(?:(?:är|is|heter|som|=)[ \t]+)?(@)?"
    r"([A-Za-z0-9_.]{2,30}[A-Za-z0-9_])(?![\w@])",
    re.IGNORECASE,
)


def _handles(text: str) -> list[tuple[int, int]]:
    spans = []
    for match in _HANDLE_AT.finditer(text):
        if any(char.isalpha() for char in match.group(1)):
            spans.append(match.span())
    for match in _HANDLE_CUE.finditer(text):
        colon, at, handle = match.groups()
        if colon or at or re.search(r"[_0-9.]", handle):
            spans.append(match.span(3) if not at else (match.start(2), match.end(3)))
    return spans


# --- Phone numbers ------------------------------------------------------------------------

# Swedish numbers. International: +46 / 0046, an optional "(0)", then 7–9 more digits.
# National: 0 + area code digit (never 00, so order numbers with leading zeros pass), then 6–8
# more digits, in groups separated by single spaces, dashes, slashes or dots; "(08) 123 45 67".
_PHONE = re.compile(
    r"(?<![\w+])(?:"
    r"(?:\+|00)[ ]?46[ ]?(?:\(0\)[ ]?)?[ -]?[1-9](?:[ ./-]?[0-9]){6,8}"
    r"|0[1-9](?:(?:[ ./-]|[ ]-[ ])?[0-9]){6,8}"
    r"|\(0[1-9][0-9]{0,2}\)[ ]?[0-9](?:[ -]?[0-9]){4,7}"
    r")(?![0-9])"
)
# Things the national phone pattern would otherwise catch: dates, hours and lists of times.
_DATE_LIKE = re.compile(r"^(0[1-9]|[12][0-9]|3[01])[-/. ](0[1-9]|1[0-2])[-/. ](19|20)[0-9]{2}$")
_HOURS_LIKE = re.compile(
    r"^([01][0-9]|2[0-3])[.:]?[0-5][0-9][ ]?-[ ]?([01][0-9]|2[0-3])[.:]?[0-5][0-9]$"
)
_TIMES_LIKE = re.compile(r"^(?:([01][0-9]|2[0-3])\.[0-5][0-9][ -]*)+$")


# --- Registration plates ------------------------------------------------------------------

# Swedish plates: three letters (no I, Q, V, Å, Ä, Ö) then two digits and a digit or a letter
# (ABC 123, ABC 12D since 2019). Written in capitals with an optional space or dash; in lower or
# mixed case only when written together ("abc123") or after "reg", "regnr" …, because
# "och 150" is ordinary Swedish.
_PLATE_LETTERS = "A-HJ-PR-UW-Z"
_PLATE = re.compile(
    rf"(?<![\wÅÄÖåäö])(?:([{_PLATE_LETTERS}]{{3}})[ -]?([0-9]{{2}}[{_PLATE_LETTERS}0-9])"
    rf"|((?i:[{_PLATE_LETTERS}]{{3}}))((?i:[0-9]{{2}}[{_PLATE_LETTERS}0-9])))(?![\wÅÄÖåäö])"
)
_PLATE_AFTER_CUE = re.compile(
    r"(?<![\wÅÄÖåäö])(?:reg(?:istrerings)?\.?[ ]?(?:nr|nummer|numret|nummret)?\.?|regnr|reg-nr"
    r"|skylt(?:en)?|nummerplåt(?:en)?)[ ]*:?[ ]*"
    rf"((?i:[{_PLATE_LETTERS}]{{3}})[ -]?(?i:[0-9]{{2}}[{_PLATE_LETTERS}0-9]))(?![\wÅÄÖåäö])",
    re.IGNORECASE,
)
# Three-letter words that are common before numbers and can't be plates in practice:
# currencies, units, abbreviations, months and days, and equipment labels (CAM 204).
_NOT_PLATES = {
    "SEK", "EUR", "USD", "NOK", "DKK", "GBP", "CHF", "KPI", "BNP", "MOM", "TEL", "NUM", "KAP",
    "MAX", "MIN", "LED", "KWH", "TOT", "REF", "ART", "AVD", "LGH", "ORD", "NRO", "BUD", "DAG",
    "ANT", "CAD", "AUD", "JPY", "PLN", "DEN", "PER", "TEM", "FEB", "MAR", "APR", "MAJ", "JUN",
    "JUL", "AUG", "SEP", "OKT", "NOV", "DEC", "JAN", "MAN", "TIS", "ONS", "TOR", "FRE", "LOR",
    "SON", "CAP", "NRS", "CAM", "KAM", "PTZ", "UPS", "POS", "ATM", "NOD", "BOX", "HUS", "RUM",
    "SAL", "DOK", "ANM", "OBJ", "LOK", "TRP", "GEN", "FAS", "KOD", "BUS", "NYA", "TAK",
}  # fmt: skip
# A label word right before a number, alone or ending a compound: it is a case, order or
# equipment number, not a phone or a plate ("Ärende 0804-123456", "Kamera ABC 123").
_LABEL_BEFORE = re.compile(
    r"(?:ärende(?:t|nr|nummer)?|order(?:nr|nummer)?|faktura(?:nr|nummer)?|kundnr|kundnummer"
    r"|objekt(?:et|nr|nummer)?|art\.?nr|artikel(?:nr|nummer)?|ref(?:erens)?|dnr|diarienr"
    r"|diarienummer|händelse(?:nr|nummer)?|anmälan|anmälningsnr|kamera(?:n)?|armatur(?:en)?"
    r"|stolpe(?:n)?|larm(?:et)?|sensor(?:n)?|modell(?:en)?|serienr|serienummer|version"
    r"|portkod|kod|lägenhet|lgh|linje|hiss|skåp|skåpet)\W{0,3}(?:nr|nummer|no)?\.?\W{0,3}$",
    re.IGNORECASE,
)


def _after_label(text: str, start: int) -> bool:
    return bool(_LABEL_BEFORE.search(text[max(0, start - _CUE_WINDOW) : start]))


# --- The screen ---------------------------------------------------------------------------


@dataclass(frozen=True)
class PersonalDataHit:
    kind: str
    text: str
    start: int = 0
    end: int = 0

    @property
    def label(self):
        return KIND_LABELS[self.kind]

    @property
    def is_soft(self) -> bool:
        """A name: the writer may confirm it is not a person. Everything else is refused."""
        return self.kind in SOFT_KINDS


class _Taken:
    """Spans already found, kept sorted and apart: an overlap check is a binary search, so a
    text with thousands of hits is still screened in linear time."""

    def __init__(self):
        self.starts: list[int] = []
        self.ends: list[int] = []

    def overlaps(self, span: tuple[int, int]) -> bool:
        index = bisect.bisect_left(self.starts, span[1])
        return index > 0 and self.ends[index - 1] > span[0]

    def add(self, span: tuple[int, int]) -> None:
        index = bisect.bisect_left(self.starts, span[0])
        self.starts.insert(index, span[0])
        self.ends.insert(index, span[1])


def _hit(kind: str, text: str, start: int, end: int) -> PersonalDataHit:
    found = text[start:end]
    stripped = found.strip()
    offset = found.find(stripped) if stripped else 0
    return PersonalDataHit(kind, stripped, start + offset, start + offset + len(stripped))


def find_identifiers(text: str) -> list[PersonalDataHit]:
    """The hard stops in `text`: identity numbers, phones, e-mails, handles, plates."""
    hits: list[PersonalDataHit] = []
    taken = _Taken()

    def add(kind, start, end):
        hits.append(_hit(kind, text, start, end))
        taken.add((start, end))

    for match in _IDENTITY_NUMBER.finditer(text):
        kind = _identity_kind(match, text)
        if kind and not _labelled_number(match, text):
            add(kind, *match.span())
    for span in _emails(text):
        if not taken.overlaps(span):
            add("email", *span)
    for span in _handles(text):
        if not taken.overlaps(span):
            add("handle", *span)
    for match in _PHONE.finditer(text):
        found = match.group(0).strip()
        if (
            taken.overlaps(match.span())
            or _DATE_LIKE.match(found)
            or _HOURS_LIKE.match(found)
            or _TIMES_LIKE.match(found)
            or _after_label(text, match.start())
        ):
            continue
        add("phone", *match.span())
    for match in _PLATE_AFTER_CUE.finditer(text):
        if not taken.overlaps(match.span(1)):
            add("plate", *match.span(1))
    for match in _PLATE.finditer(text):
        letters = (match.group(1) or match.group(3)).upper()
        if (
            letters in _NOT_PLATES
            or taken.overlaps(match.span())
            or _after_label(text, match.start())
        ):
            continue
        add("plate", *match.span())
    return sorted(hits, key=lambda hit: hit.start)


def find_personal_data(text: str, *, names: bool = True, not_names=()) -> list[PersonalDataHit]:
    """Everything in `text` that identifies a person, hard and soft stops, in text order.

    `names=False` leaves out the soft stops. `not_names` are phrases known not to be people
    here (the platform's organisations and places, `places.screening.platform_names`).
    """
    if not text:
        return []
    text = str(text)
    hits = find_identifiers(text)
    if names:
        from .names import find_names

        taken = _Taken()
        for hit in hits:
            taken.add((hit.start, hit.end))
        for start, end in find_names(text, not_names=not_names):
            if not taken.overlaps((start, end)):
                hits.append(_hit("name", text, start, end))
    return sorted(hits, key=lambda hit: hit.start)


def personal_data_message(hits: list[PersonalDataHit]) -> str:
    """What was found and what to do, for the hard stops among `hits`."""
    hits = [hit for hit in hits if not hit.is_soft]
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
    """Model/form validator: refuse text with an identifier of a person (the hard stops).

    Names are soft stops, asked about by the forms (`places.screening.ScreenedFormMixin`) and
    the incident import; a validator cannot ask.
    """
    hits = find_identifiers(str(value or ""))
    if hits:
        raise ValidationError(personal_data_message(hits), code="personal_data")
