"""Build `places/data/names_sv.txt.gz`, the names the privacy screen looks for (issue #17).

Run it from the repository root with the project's virtualenv (`.venv/bin/python
tools/build_names.py`); it needs no network and rewrites the file in place. The screen loads the
file once, lazily, as frozensets (`places.privacy`); nothing is fetched at run time.

Sources
-------
- **Faker** (MIT licence, already installed as factory-boy's dependency), whose Swedish provider
  carries the official statistics: the 500 most common first names of men and of women in
  Sweden (Institutet för språk och folkminnen, Isof, 2023) and the 500 most common surnames
  (Skatteverket, 2025). Those lists already hold the names most common among people living in
  Sweden whatever their origin (Mohammed, Ahmed, Ali, Hassan, Abdi …).
- Faker's providers for the countries of birth most common among people living in Sweden
  (SCB, Utrikes födda efter födelseland), where Faker writes them in Latin script: Finland,
  Poland, Turkey, ex-Yugoslavia (Croatian provider), Denmark, Norway, Pakistan/Afghanistan
  (en_PK) and the United Kingdom.
- A short supplement kept below: Swedish short forms (Kalle, Pelle, Nisse …) and romanised names
  common in Sweden that Faker writes only in another script or not at all (Somali, Arabic,
  Kurdish, Persian/Dari, Tigrinya, Bosnian/Serbian). Edit it here and rebuild.

Words that are also ordinary Swedish or English words ("Per", "Bo", "Dag", "Hans", "Klara",
"Till", "Will" …, the list `COMMON_WORDS` below, reviewed by hand against Debian's `wswedish`
word list) are marked *ambiguous*: the screen treats them as a name only next to a surname or
after words like "heter", never alone. `--review /usr/share/dict/swedish` prints the names that
collide with a word list and are not yet in `COMMON_WORDS`, for the next review.

Format: gzip-compressed UTF-8, one name per line as `<kind>\t<folded name>`: `f` first name,
`F` ambiguous first name, `s` surname, `S` ambiguous surname. Names are folded the way the
screen folds words (`places.privacy.fold`): case-folded, accents removed except on å, ä and ö
(Öztürk → öztürk).
"""

import argparse
import gzip
import importlib
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from places.privacy import fold  # noqa: E402

OUTPUT = ROOT / "places" / "data" / "names_sv.txt.gz"

# Faker locale → attributes holding first names and surnames.
FIRST_NAME_ATTRS = ("first_names_male", "first_names_female", "first_names")
SURNAME_ATTRS = ("last_names", "male_last_names")
LOCALES = ("sv_SE", "fi_FI", "pl_PL", "tr_TR", "hr_HR", "da_DK", "no_NO", "en_PK", "en_GB")

SUPPLEMENT_FIRST = """
Kalle Pelle Olle Nisse Lasse Janne Micke Jocke Putte Bosse Kicki Lotta Sussie Robban Fredde
Danne Mackan Tompa Benke Affe Stisse Gittan Lollo Ninni Jonte Jimmie Tobbe Sebbe Chrille Pontus
Hodan Fadumo Hamdi Abdikarim Sahra Khadra Hibo Ifrah Nasra Deeqa Ubah Filsan Abdiaziz Abdiwali
Zakaria Tariq Rami Rania Layla Nur Aya Hiba Dalia Ghazal Shirin Parisa Arash Babak Dariush Mehdi
Kaveh Soran Rebin Shwan Diyar Dilan Rojin Berivan Delal Zana Helin Hussain Walid Saeed Amal Huda
Noor Emir Amar Adis Edin Emina Amra Lejla Haris Semir Mirza Nermin Senad Almir Milos Dusan
Aleksandar Nemanja Natasa Kasia Zeynep Elif Emre Ahmet Ozan Burak Tesfaye Yonas Senait
Mehret Filmon Dawit Semhar Rahel Segen Merhawi Bereket Yohannes Musa Isse Mohamud Abdulrahman
Abdallah Mahmoud Mahmud Hamza Hassan Hussein Ibrahim Ismail Jamal Karim Khalid Mustafa Nabil
Samir Yasin Yousef Yusuf Fatima Fatma Aisha Amina Asha Hawa Halima Khadija Maryam Zainab Zahra
Ayan Idil Sagal Samira Nasteho Warsan Farah Hersi Jama Dahir Liban
"""
SUPPLEMENT_SURNAMES = """
Yusuf Warsame Jama Nur Aden Hersi Abdullahi Rezaei Karimi Rahimi Hashemi Hosseini Mohammadi
Yilmaz Kaya Sahin Celik Yildiz Öztürk Aydin Dogan Kovac Hodzic Hadzic Begic Delic Mehmedovic
Hasanovic Jovanovic Petrovic Nikolic Markovic Kowalski Nowak Wisniewski Wojcik Kaminski
Lewandowski Tesfay Tesfaye Haile Gebremedhin Berhane Tekle Kidane Haddad Mansour Hamdan Khoury
Nasser Aziz Rashid Said Salah Saleh Khalil Mahmoud Ismail Ibrahim Mustafa Osman Farah Hussein
Hassan Ahmed Mohamed Mohammed Mohamud Abdi Omar Ali Hersi Egal Dahir Isse Muse Abdulle Gedi
"""

# First names and surnames that are also everyday Swedish or English words, or common
# capitalised words in reports (months, brands): names only with a surname or a cue.
COMMON_WORDS = """
alla alen ann april august axel bara barr ben berg bergen blanka bo bror dag del dina divan don
draga ebba ek etta falk finn flor flora frank frans fred gala german gloria grace gro gök göken
hagen hans harm helga hope inga inge isa jack jarl jo joy juni june junior kaj kaja karl klara
knut kristen lilja lilla lina linda liv lo lova lut maj man marin mark mats may max maxim meta
mila milan mina nova olle oliver pastor per pina rena rita roman rosa rose ros rut saga sanna
signe silke sirap sol sonad sten stig stilla sven sys till tina tindra tom tuva urban ute vagn
valborg vide viking vilde ville viola över will bill art dawn summer ray guy rich drew sandy
cliff dale glen chase sky river hall park storm frost strand lund holm borg lind nord vik skog
ring palm horn hjort björk blom alm asp ask ljung malm vall fors lilly sam alf eli gul
anka bak björn bäck dam frid frisk gren hägg ide kvist lie lien linden lönn rosen sila siren
skara sköld stark strid ström svärd smart modig flink blixt black brink karen marina page
spika vala rask anda andre ana turk lord iver kos diken filar
"""


def faker_names(locale: str, attrs: tuple[str, ...]) -> set[str]:
    provider = importlib.import_module(f"faker.providers.person.{locale}").Provider
    names: set[str] = set()
    for attr in attrs:
        value = getattr(provider, attr, ())
        if isinstance(value, (tuple, list, dict)):
            names.update(str(name) for name in value)
    return names


def latin(name: str) -> bool:
    return all(char.isascii() or char.isalpha() and ord(char) < 0x250 for char in name)


def collect() -> tuple[set[str], set[str]]:
    first: set[str] = set(SUPPLEMENT_FIRST.split())
    surnames: set[str] = set(SUPPLEMENT_SURNAMES.split())
    for locale in LOCALES:
        first |= faker_names(locale, FIRST_NAME_ATTRS)
        surnames |= faker_names(locale, SURNAME_ATTRS)
    first = {fold(name) for name in first if latin(name) and len(name) > 1}
    surnames = {fold(name) for name in surnames if latin(name) and len(name) > 1}
    # Names written with a space ("De la Cruz") are left out: the screen reads single words.
    return {n for n in first if " " not in n}, {n for n in surnames if " " not in n}


def build() -> dict[str, int]:
    common = {fold(word) for word in COMMON_WORDS.split()}
    first, surnames = collect()
    lines = []
    for name in sorted(first):
        lines.append(f"{'F' if name in common else 'f'}\t{name}")
    for name in sorted(surnames):
        lines.append(f"{'S' if name in common else 's'}\t{name}")
    OUTPUT.parent.mkdir(parents=True, exist_ok=True)
    # mtime=0: the same input always gives the same bytes, so a rebuild shows no diff.
    with OUTPUT.open("wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as out:
        out.write(("\n".join(lines) + "\n").encode("utf-8"))
    return {"first names": len(first), "surnames": len(surnames), "bytes": OUTPUT.stat().st_size}


def review(word_list: Path) -> list[str]:
    """Names that are also lower-case words in `word_list` and not yet in COMMON_WORDS."""
    words = {
        fold(line.strip())
        for line in word_list.read_text(encoding="latin-1").splitlines()
        if line[:1].islower()
    }
    common = {fold(word) for word in COMMON_WORDS.split()}
    first, surnames = collect()
    return sorted((first | surnames) & words - common)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--review", type=Path, help="a word list, e.g. /usr/share/dict/swedish")
    options = parser.parse_args()
    if options.review:
        print(" ".join(review(options.review)))
    else:
        print(build())
