"""The privacy validator (architecture §6): real identifiers are refused, ordinary numbers pass."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from stdnum.se import personnummer

from places.privacy import find_personal_data, validate_no_personal_data


def luhn_digit(nine: str) -> str:
    total = 0
    for index, char in enumerate(nine):
        value = int(char) * (2 if index % 2 == 0 else 1)
        total += value - 9 if value > 9 else value
    return str((10 - total % 10) % 10)


def identity_number(birth: dt.date, serial: int, *, coordination=False) -> str:
    """yymmdd-nnnc with a correct Luhn digit; coordination numbers add 60 to the day."""
    day = birth.day + (60 if coordination else 0)
    nine = f"{birth:%y%m}{day:02d}{serial:03d}"
    return f"{nine[:6]}-{nine[6:]}{luhn_digit(nine)}"


VALID_PNR = identity_number(dt.date(1985, 7, 9), 980)  # 850709-9805


def kinds(text):
    return [hit.kind for hit in find_personal_data(text)]


def test_helper_builds_numbers_stdnum_accepts():
    assert VALID_PNR == "850709-9805"
    assert personnummer.is_valid(VALID_PNR)


@pytest.mark.parametrize(
    "text",
    [
        "Mannen hade personnummer 850709-9805 enligt vakten",
        "pnr 8507099805",
        "19850709-9805 syntes på kortet",
        "198507099805",
        "850709 9805",
        "19850709 - 9805",
        "Född 1912: 121212+1212",
        "ID:850709-9805.",
    ],
)
def test_personnummer_is_found_with_and_without_century_and_separator(text):
    assert kinds(text) == ["personnummer"]


def test_samordningsnummer_is_found_and_named():
    number = identity_number(dt.date(1990, 3, 14), 123, coordination=True)
    assert number.startswith("900374")
    assert kinds(f"Hade samordningsnummer {number} på sig") == ["samordningsnummer"]
    assert kinds("19" + number) == ["samordningsnummer"]


def test_a_leap_day_birth_is_found():
    assert kinds(identity_number(dt.date(2004, 2, 29), 321)) == ["personnummer"]


@pytest.mark.parametrize(
    "text",
    [
        "+46 70 123 45 67",
        "+46701234567",
        "0046 70-123 45 67",
        "+46 (0)70-123 45 67",
        "Ring 070-123 45 67 om det händer igen",
        "0701234567",
        "073 123 45 67",
        "08-123 456 78",
        "08-12 34 56",
        "(08) 123 45 67",
        "tel 040-34 10 00",
    ],
)
def test_phone_numbers_are_found(text):
    assert kinds(text) == ["phone"]


@pytest.mark.parametrize(
    "text",
    [
        "kalle.karlsson@example.se",
        "Skicka till Kalle.K+amp@mail.example.co.uk i morgon",
        "kalle (at) exempel.se",
        "kalle[at]exempel.se",
    ],
)
def test_email_addresses_are_found(text):
    assert kinds(text) == ["email"]


@pytest.mark.parametrize(
    "text",
    [
        "Bilen ABC 123 stod på gångbanan",
        "en vit skåpbil, ABC 12D, körde på torget",
        "reg.nr XYZ-987",
        "abc123 parkerad vid entrén",
    ],
)
def test_registration_plates_are_found(text):
    assert kinds(text) == ["plate"]


@pytest.mark.parametrize(
    "text",
    [
        "Ordernummer 4500123456 hos leverantören",
        "Order 0012345678",
        "Beställning 123456789",
        "Faktura 20261122 betald",
        "Lampan lagades 2026-11-22 kl 14:30",
        "Mötet flyttas till 01-02-2026",
        "Kostnad 1 250 000 kr, varav SEK 500 i moms",
        "Pris 12 500,50 kr",
        "Vakter kl 07:30-16:00 och 0800-1600 på helger",
        "Postnummer 211 45 Malmö",
        "Organisationsnummer 556123-4567",
        "Bankgiro 5050-1055",
        "Mellan kl 14 och 150 personer deltog",
        "LED 100 W i armaturen, max 300 lux",
        "Lägenhet LGH 1102, trapphus B",
        "Busslinje 5 och 35, hållplats nr 12",
        "Rapport nr 2026-047, 3 st lampor",
        "E22 mot Lund, 110 km/h",
        "Temperatur -5 grader, 12 mm regn",
        "8507699801",  # day 09+60 with a wrong check digit, no separator, no cue
        "851309-9805",  # month 13
    ],
)
def test_ordinary_numbers_pass(text):
    assert find_personal_data(text) == []
    validate_no_personal_data(text)


@pytest.mark.parametrize(
    "text, kind",
    [
        ("850769-9801", "samordningsnummer"),  # a separator: a typo is still a number
        ("född 8507099801", "personnummer"),
        ("pnr: 198507099801", "personnummer"),
        ("ID-kortet visade 8507099801", "personnummer"),
    ],
)
def test_a_wrong_check_digit_is_caught_with_a_separator_or_a_cue(text, kind):
    assert kinds(text) == [kind]


def test_a_recent_timestamp_is_not_a_personnummer():
    stamp = (dt.date.today() - dt.timedelta(days=3)).strftime("%Y%m%d")
    assert kinds(f"Bild {stamp}-1430.jpg") == []


def test_the_message_says_what_was_found_in_the_users_language():
    text = "Ring 070-123 45 67 eller mejla kalle@example.se"
    with translation.override("en"), pytest.raises(ValidationError) as error:
        validate_no_personal_data(text)
    message = error.value.messages[0]
    assert "a phone number" in message and "an e-mail address" in message
    assert "“070-123 45 67”" in message and "“kalle@example.se”" in message
    with translation.override("sv"), pytest.raises(ValidationError) as error:
        validate_no_personal_data(VALID_PNR)
    assert "personnummer" in error.value.messages[0]
    assert "Beskriv" in error.value.messages[0]


def test_empty_and_none_pass():
    validate_no_personal_data("")
    validate_no_personal_data(None)


def test_hits_are_in_text_order_and_point_at_the_text():
    text = f"ABC 123 och {VALID_PNR} samt 070-123 45 67"
    hits = find_personal_data(text)
    assert [hit.kind for hit in hits] == ["plate", "personnummer", "phone"]
    assert all(text[hit.start : hit.end].strip() == hit.text for hit in hits)


def test_a_long_paste_is_screened_quickly():
    import time

    # A generous bound, not a timing test: a backtracking pattern takes minutes here, a linear
    # scan milliseconds, so the machine's load cannot decide the outcome.
    text = ("a" * 20000) + "@" + ("b" * 20000) + " " + ("1" * 5000)
    started = time.perf_counter()
    find_personal_data(text)
    assert time.perf_counter() - started < 15.0


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=400))
def test_random_text_never_crashes(text):
    hits = find_personal_data(text)
    for hit in hits:
        assert text[hit.start : hit.end].strip() == hit.text


@settings(max_examples=200)
@given(
    st.text(alphabet=st.characters(blacklist_categories=["Nd", "Cs"]), max_size=40),
    st.text(alphabet=st.characters(blacklist_categories=["Nd", "Cs"]), max_size=40),
    st.text(alphabet=st.characters(whitelist_categories=["Nd"]), max_size=12),
    st.from_regex(r"[0-9 ,.:/kr-]{0,30}", fullmatch=True),
)
def test_random_mixed_text_never_crashes(before, after, digits, numbers):
    find_personal_data(before + digits + numbers + after)


@settings(max_examples=200)
@given(
    st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2025, 12, 31)),
    st.integers(min_value=0, max_value=999),
    st.booleans(),
    st.sampled_from(["{}", "Nr {} här", "({})", "{}."]),
)
def test_every_valid_identity_number_is_found(birth, serial, coordination, template):
    number = identity_number(birth, serial, coordination=coordination)
    expected = "samordningsnummer" if coordination else "personnummer"
    assert expected in kinds(template.format(number))
    assert expected in kinds(template.format(number.replace("-", "")))
    century = str(birth.year)[:2]
    assert expected in kinds(template.format(century + number))
