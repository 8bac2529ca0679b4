"""What looks like the name of a person in free text: the soft stop of the privacy screen.

The names come from `places/data/names_sv.txt.gz` (built by `tools/build_names.py` from the
official Swedish first-name and surname statistics and the names common among people living
in Sweden; see there for sources and licences), loaded once, lazily, as frozensets.

A word is read as a name when
- a first name is followed by a surname or another capitalised name ("Kalle Andersson",
  "Ahmed Hassan", also "kalle andersson" and "KALLE ANDERSSON");
- an initial is followed by a surname ("K. Andersson");
- a word follows a cue such as "heter", "kallas", "känd som", "misstänkt", "alias";
- a first name that is not also an ordinary word stands alone ("Lisa bråkade igen"), and a
  surname of the -sson kind stands alone ("Andersson sågs igen").

Not names: a name followed by a place word ("Gustav Adolfs torg", "Anna Lindhs plats",
"Sofia kyrka") or a business word ("Kalles Kebab"), or after one ("Restaurang Linnea"), words
that are also ordinary words ("Per vecka", "Klara Kvarter") unless a surname or a cue says
otherwise, well-known brands ("Clas Ohlson", "Willys") and the platform's own organisations and
places (`not_names`). Linear in the length of the text.
"""

import gzip
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from .privacy import fold

DATA_FILE = Path(__file__).resolve().parent / "data" / "names_sv.txt.gz"


@dataclass(frozen=True)
class NameData:
    first: frozenset[str]  # first names that are not ordinary words
    first_ambiguous: frozenset[str]  # first names that are also ordinary words
    surnames: frozenset[str]
    surnames_ambiguous: frozenset[str]


@cache
def name_data() -> NameData:
    sets: dict[str, set[str]] = {"f": set(), "F": set(), "s": set(), "S": set()}
    with gzip.open(DATA_FILE, "rt", encoding="utf-8") as lines:
        for line in lines:
            kind, _tab, name = line.rstrip("\n").partition("\t")
            if kind in sets and name:
                sets[kind].add(name)
    return NameData(
        first=frozenset(sets["f"]),
        first_ambiguous=frozenset(sets["F"]),
        surnames=frozenset(sets["s"]),
        surnames_ambiguous=frozenset(sets["S"]),
    )


def _words(text: str) -> frozenset[str]:
    return frozenset(fold(word) for word in text.split())


# A place named after a person: the word after the name.
PLACE_WORDS = _words(
    """torg torget gata gatan gränd gränden väg vägen plats platsen park parken allé allén
    backe backen stig stigen bro bron kaj kajen hamn hamnen skola skolan gymnasium gymnasiet
    kyrka kyrkan kapell kapellet sjukhus sjukhuset hus huset hall hallen stråk stråket tunnel
    tunneln station stationen centrum center galleria gallerian gård gården hage hagen holme
    holmen udde udden dal dalen äng ängen skog skogen strand stranden bad badet minne staty
    statyn monument bibliotek biblioteket museum museet lekplats lekplatsen förskola förskolan
    kyrkogård kyrkogården plan planen terrass terrassen trappa trappan trappor passage
    passagen stadion arena arenan parkering parkeringen garage garaget kvarter kvarteret
    square street road avenue plaza bridge church school hospital"""
)
# The end of a compound place name: "Erik Dahlbergsgatan", "Carl Gustafsvägen".
_PLACE_ENDINGS = frozenset(word for word in PLACE_WORDS if len(word) > 3 and word.isalpha())
_PLACE_ENDING_LENGTHS = sorted({len(word) for word in _PLACE_ENDINGS})


def _ends_like_a_place(word: str) -> bool:
    return any(
        len(word) > length + 2 and word[-length:] in _PLACE_ENDINGS
        for length in _PLACE_ENDING_LENGTHS
    )


# A business or organisation named after a person: the word after or before the name.
BUSINESS_WORDS = _words(
    """kebab pizzeria pizza café cafe kafé kafe bageri konditori livs frukt blommor blomster
    frisör frisörsalong salong restaurang krog bar pub grill kiosk kiosken bistro sushi hotell
    hotel hostel bygg städ service skor ur guld optik apotek tandvård fastigheter förvaltning
    ab hb konsult foto kläder tobak spel shop butik butiken boutique livsmedel mat matbutik
    handel bil bilar däck tvätt kemtvätt gym lunch deli market food stiftelse
    stiftelsen förening föreningen fond fonden skolan akademi akademin"""
)
BEFORE_WORDS = _words(
    """kung kungen drottning drottningen sankt sankta s:t prins prinsen prinsessan
    kronprinsessan restaurang café cafe kafé pizzeria hotell salong frisör butik butiken
    kiosk kiosken bar pub bageri kvarteret kvarter stiftelsen föreningen fastighet
    fastigheten trappuppgång trappuppgången port porten hus huset entré entrén plan zon
    zonen område området block blocket grupp gruppen typ klass nivå del avsnitt bilaga
    kategori sal salen rum rummet buss linje spår plattform"""
)
# Capitalised words often seen beside names that are not names themselves.
NOT_NAME_WORDS = _words(
    """polisen polis väktare väktaren vakt vakten securitas avarn nokas stad staden kommun
    kommunen region regionen ab hb okänd okänt okända oklart ingen inget inga saknas vet
    vem man kvinna kvinnan mannen pojke pojken flicka flickan person personen personer
    gruppen ungdomar ungdomarna"""
)
# Brands and institutions whose names are, or contain, people's names.
BRANDS = [
    "clas ohlson",
    "willys",
    "willy:s",
    "sibylla",
    "gina tricot",
    "joe & the juice",
    "joe and the juice",
    "wayne's coffee",
    "waynes coffee",
    "jack & jones",
    "filippa k",
    "max hamburgare",
    "nova lund",
    "anna lindhs plats",
]
# Cues: the word after them is a name. Strong cues may be followed by a lower-case name.
_STRONG_CUE = (
    r"heter|hette|kallas|kallades|kallad|kallar\s+sig|känd\s+som|kända\s+som|kallas\s+för"
    r"|känd\s+under\s+namnet|vid\s+namn|med\s+namnet|namnet|namn\s*:|förnamn(?:et)?"
    r"|efternamn(?:et)?|alias|uppgav\s+sig\s+heta|sa\s+sig\s+heta|named|called|known\s+as"
    r"|name\s+is|name\s*:"
)
_WEAK_CUE = (
    r"misstänkt[ae]?|misstänks|gärningsm(?:an|annen)|gärningsperson(?:en)?"
    r"|identifierad(?:es)?\s+som|legitimerade\s+sig\s+som|suspect(?:ed)?"
)
_CUE = re.compile(rf"(?<!\w)(?:({_STRONG_CUE})|({_WEAK_CUE}))(?!\w)", re.IGNORECASE)
_FILLER = _words("är var nog troligen kanske visst typ sig för som en ett is was probably")
# Letters, with hyphen or apostrophe inside: Nilsson-Berg, O'Brien, Al-Hassan.
_WORD = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*")
_SURNAME_ENDINGS = (
    "sson",
    "ström",
    "qvist",
    "kvist",
    "gren",
    "dahl",
    "stedt",
    "ovic",
    "evic",
    "oglu",
    "wicz",
    "zadeh",
    "poulos",
)
_STANDALONE_SURNAME_ENDINGS = ("sson", "ström", "qvist", "kvist", "ovic", "evic", "oglu")
_MAX_RUN = 4


@dataclass
class _Token:
    text: str
    start: int
    end: int
    folded: str
    cap: bool  # Capitalised: Kalle
    upper: bool  # ALL CAPS: KALLE (two letters or more)
    lower: bool


def _tokens(text: str) -> list[_Token]:
    tokens = []
    for match in _WORD.finditer(text):
        word = match.group(0)
        upper = len(word) > 1 and word.isupper()
        tokens.append(
            _Token(
                text=word,
                start=match.start(),
                end=match.end(),
                folded=fold(word),
                cap=word[0].isupper() and not upper,
                upper=upper,
                lower=word[0].islower(),
            )
        )
    return tokens


def _base(folded: str) -> str:
    """A genitive's name: Kalles → kalle, Wayne's → wayne."""
    for ending in ("'s", "’s", ":s"):
        if folded.endswith(ending):
            return folded[: -len(ending)]
    return folded[:-1] if folded.endswith("s") and len(folded) > 3 else folded


class _Screen:
    def __init__(self, text: str, not_names):
        self.text = text
        self.data = name_data()
        self.tokens = _tokens(text)
        self.known_not_person = self._mark_phrases([*BRANDS, *not_names])

    # -- what a word is --------------------------------------------------------------------

    def first(self, word: str, *, strong: bool = False) -> bool:
        for candidate in {word, _base(word)}:
            if candidate in self.data.first:
                return True
            if not strong and candidate in self.data.first_ambiguous:
                return True
        return False

    def surname(self, word: str, *, strong: bool = False, listed: bool = False) -> bool:
        for candidate in {word, _base(word)}:
            if candidate in self.data.surnames:
                return True
            if not strong and candidate in self.data.surnames_ambiguous:
                return True
        if listed:
            return False
        return len(word) > 4 and word.endswith(_SURNAME_ENDINGS) and word != "person"

    def adjacent(self, left: int, right: int) -> bool:
        gap = self.text[self.tokens[left].end : self.tokens[right].start]
        return 0 < len(gap) <= 3 and gap.strip() == "" and "\n\n" not in gap

    def _mark_phrases(self, phrases) -> set[int]:
        """Indexes of tokens inside a known non-person phrase (brands, the platform's names)."""
        by_first: dict[str, list[tuple[str, ...]]] = {}
        for phrase in phrases:
            words = tuple(fold(match.group(0)) for match in _WORD.finditer(str(phrase)))
            if words:
                by_first.setdefault(words[0], []).append(words)
        marked: set[int] = set()
        if not by_first:
            return marked
        folded = [token.folded for token in self.tokens]
        for index, word in enumerate(folded):
            for words in by_first.get(word, ()):
                if tuple(folded[index : index + len(words)]) == words:
                    marked.update(range(index, index + len(words)))
        return marked

    def next_word(self, index: int) -> str | None:
        if index + 1 < len(self.tokens) and self.adjacent(index, index + 1):
            return self.tokens[index + 1].folded
        return None

    def previous_word(self, index: int) -> str | None:
        if index > 0 and self.adjacent(index - 1, index):
            return self.tokens[index - 1].folded
        return None

    def names_a_place_or_business(self, first: int, last: int) -> bool:
        """Tokens first..last are part of a place's or a business's name."""
        after = self.next_word(last)
        before = self.previous_word(first)
        # "P-hus Anna", "Restaurang Linnea": the last part of the word before decides.
        before = before.rsplit("-", 1)[-1] if before else None
        return (
            any(_ends_like_a_place(self.tokens[i].folded) for i in range(first + 1, last + 1))
            or (
                after is not None
                and (after in PLACE_WORDS or after in BUSINESS_WORDS or _ends_like_a_place(after))
            )
            or (before is not None and (before in BEFORE_WORDS or before in PLACE_WORDS))
            or any(index in self.known_not_person for index in range(first, last + 1))
        )

    # -- the rules -------------------------------------------------------------------------

    def run_after(self, index: int, *, upper: bool) -> int:
        """Index of the last token of the run of capitalised words that starts at `index`."""
        last = index
        while last + 1 < len(self.tokens) and last - index < _MAX_RUN - 1:
            following = self.tokens[last + 1]
            if not self.adjacent(last, last + 1):
                break
            if not (following.upper if upper else following.cap):
                break
            if following.folded in NOT_NAME_WORDS:
                break
            last += 1
        return last

    def full_name(self, index: int) -> int | None:
        """First name + surname (or another name): index of the name's last token, or None."""
        token = self.tokens[index]
        if token.cap or token.upper:
            if not self.first(token.folded):
                return None
            last = self.run_after(index, upper=token.upper)
            if last == index:
                return None
            # "Anna Maria Nilsson Berg": first names, then surnames; the name ends at the last
            # surname, whatever capitalised words follow ("KALLE ANDERSSON SNATTADE").
            end = None
            for position in range(index + 1, last + 1):
                word = self.tokens[position].folded
                if self.surname(word, strong=True):
                    end = position
                elif end is None and self.first(word):
                    continue
                else:
                    break
            if end is not None:
                return end
            following = self.tokens[index + 1].folded
            if token.upper or not self.first(token.folded, strong=True):
                return None
            if self.surname(following) or following not in NOT_NAME_WORDS:
                return index + 1
            return None
        if token.lower and self.first(token.folded, strong=True):
            # "kalle andersson": lower case only with a listed surname, never a word.
            nxt = index + 1
            if (
                nxt < len(self.tokens)
                and self.adjacent(index, nxt)
                and self.tokens[nxt].lower
                and self.surname(self.tokens[nxt].folded, strong=True, listed=True)
            ):
                return nxt
        return None

    def initial_and_surname(self, index: int) -> int | None:
        token = self.tokens[index]
        if len(token.text) != 1 or not token.text.isupper() or index + 1 >= len(self.tokens):
            return None
        following = self.tokens[index + 1]
        gap = self.text[token.end : following.start]
        if gap not in (" ", ". ", ".", ".  ") or not following.cap:
            return None
        if self.surname(following.folded, strong=True):
            return index + 1
        return None

    def after_cue(self) -> list[tuple[int, int]]:
        spans = []
        starts = {token.start: i for i, token in enumerate(self.tokens)}
        for cue in _CUE.finditer(self.text):
            strong = cue.group(1) is not None
            index = self._token_at_or_after(cue.end(), starts)
            skipped = 0
            while (
                index is not None
                and index < len(self.tokens)
                and self.tokens[index].folded in _FILLER
                and skipped < 2
            ):
                index += 1
                skipped += 1
            if index is None or index >= len(self.tokens):
                continue
            token = self.tokens[index]
            if self.text[cue.end() : token.start].strip(" \t:–-\"'“”«»(") != "":
                continue
            if token.folded in NOT_NAME_WORDS:
                continue
            if token.cap or token.upper:
                last = self.run_after(index, upper=token.upper)
                known = self.first(token.folded) or self.surname(token.folded)
                if known or last > index or strong:
                    spans.append((index, last))
            elif (
                strong
                and token.lower
                and (
                    self.first(token.folded, strong=True)
                    or self.surname(token.folded, strong=True, listed=True)
                )
            ):
                last = index
                nxt = index + 1
                if (
                    nxt < len(self.tokens)
                    and self.adjacent(index, nxt)
                    and self.surname(self.tokens[nxt].folded, strong=True, listed=True)
                ):
                    last = nxt
                spans.append((index, last))
        return spans

    def _token_at_or_after(self, position: int, starts: dict[int, int]) -> int | None:
        # Cues are followed by at most a few characters of punctuation and space.
        for offset in range(8):
            if position + offset in starts:
                return starts[position + offset]
        return None

    def alone(self, index: int) -> bool:
        """A first name not also a word, or a -sson surname, standing alone."""
        token = self.tokens[index]
        if not token.cap:
            return False
        if self.first(token.folded, strong=True):
            return True
        return (
            len(token.folded) > 5
            and _base(token.folded).endswith(_STANDALONE_SURNAME_ENDINGS)
            and self.surname(token.folded, strong=True)
        )

    def spans(self) -> list[tuple[int, int]]:
        found: list[tuple[int, int]] = []
        used: set[int] = set()

        def take(first: int, last: int) -> None:
            used.update(range(first, last + 1))
            if not self.names_a_place_or_business(first, last):
                found.append((self.tokens[first].start, self.tokens[last].end))

        for first, last in self.after_cue():
            if first not in used:
                take(first, last)
        index = 0
        while index < len(self.tokens):
            if index in used:
                index += 1
                continue
            last = self.full_name(index)
            if last is None:
                last = self.initial_and_surname(index)
            if last is not None:
                take(index, last)
                index = last + 1
                continue
            if self.alone(index):
                take(index, index)
            index += 1
        return sorted(found)


def find_names(text: str, *, not_names=()) -> list[tuple[int, int]]:
    """(start, end) of every stretch of `text` that looks like the name of a person."""
    if not text:
        return []
    return _Screen(str(text), not_names).spans()
