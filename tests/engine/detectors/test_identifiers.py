"""Tables of valid identifiers, check-digit failures, separator variants and near misses.

Test numbers are the networks' and services' published test or specimen values where they exist;
the others were computed by hand from the specifications cited in identifiers.py.
"""

from __future__ import annotations

import dataclasses
import itertools
import re

import pytest

from aupguard.engine.detectors import (
    KINDS,
    Match,
    find_card_numbers,
    find_identifiers,
    find_nhs_numbers,
    find_ni_numbers,
    find_uk_mobiles,
    find_upns,
    is_valid_card,
    is_valid_nhs,
    is_valid_nino,
    is_valid_uk_mobile,
    is_valid_upn,
)


def spans(text: str) -> list[tuple[str, str]]:
    """(kind, text as written) for every identifier found in `text`."""
    return [(m.kind, text[m.start : m.end]) for m in find_identifiers(text)]


# --- payment cards -------------------------------------------------------------------------------

VALID_CARDS = [
    ("4111111111111111", "Visa 16"),
    ("4012888888881881", "Visa 16"),
    ("4222222222222", "Visa 13"),
    ("4111111111111111110", "Visa 19"),
    ("5555555555554444", "Mastercard 55"),
    ("5105105105105100", "Mastercard 51"),
    ("2221000000000009", "Mastercard 2221"),
    ("2720000000000005", "Mastercard 2720"),
    ("378282246310005", "Amex 37"),
    ("341111111111111", "Amex 34"),
    ("6011111111111117", "Discover 6011"),
    ("6011000000000000001", "Discover 6011, 19 digits"),
    ("6445644564456445", "Discover 644"),
    ("6500000000000002", "Discover 65"),
    ("500000000009", "Maestro 50, 12 digits"),
    ("6799990100000000019", "Maestro 67, 19 digits"),
    ("3530111333300000", "JCB"),
    ("3566002020360505", "JCB"),
    ("30569309025904", "Diners 305, 14 digits"),
    ("38520000023237", "Diners 38, 14 digits"),
    ("6200000000000005", "UnionPay 62"),
]

INVALID_CARDS = [
    ("4111111111111112", "Luhn fails"),
    ("5555555555554443", "Luhn fails"),
    ("378282246310006", "Amex, Luhn fails"),
    ("1234567890123456", "order number: no prefix, Luhn fails"),
    ("1000000000000008", "Luhn-valid, prefix 1 is no network"),
    ("9000000000000001", "Luhn-valid, prefix 9 is no network"),
    ("9999999999999995", "Luhn-valid, prefix 9 is no network"),
    ("2721000000000004", "Luhn-valid, just past the Mastercard 2-series"),
    ("411111111111116", "Luhn-valid Visa prefix, but Visa has no 15-digit cards"),
    ("5555555555554", "Luhn-valid Mastercard prefix, but 13 digits"),
    ("4111", "too short"),
    ("", "empty"),
    ("4111x11111111111", "not digits"),
    ("４１１１１１１１１１１１１１１１", "full-width digits are not card digits"),
]


@pytest.mark.parametrize(("number", "why"), VALID_CARDS)
def test_it_accepts_valid_cards(number: str, why: str) -> None:
    assert is_valid_card(number), why


@pytest.mark.parametrize(("number", "why"), INVALID_CARDS)
def test_it_rejects_invalid_cards(number: str, why: str) -> None:
    assert not is_valid_card(number), why


def test_it_accepts_a_15_digit_diners_card() -> None:
    # Diners Club issues 14 to 19 digits, so a Luhn-valid 36... of 15 digits is a card.
    assert is_valid_card("360000000000004")


def test_it_ignores_separators_when_validating_a_card() -> None:
    assert is_valid_card("4111 1111 1111 1111")
    assert is_valid_card("4111-1111-1111-1111")


@pytest.mark.parametrize(
    ("text", "written", "evidence"),
    [
        ("card 4111 1111 1111 1111 thanks", "4111 1111 1111 1111", "4111 **** **** 1111"),
        ("card 4111-1111-1111-1111 thanks", "4111-1111-1111-1111", "4111 **** **** 1111"),
        ("card 4111111111111111 thanks", "4111111111111111", "4111 **** **** 1111"),
        ("amex 3782 822463 10005.", "3782 822463 10005", "3782 **** *** 0005"),
        ("amex 3782-822463-10005.", "3782-822463-10005", "3782 **** *** 0005"),
        ("diners 3056 930902 5904.", "3056 930902 5904", "3056 **** ** 5904"),
        ("visa 4222 2222 2222 2.", "4222 2222 2222 2", "4222 **** * 2222"),
        ("visa19 4111 1111 1111 1111 110.", "4111 1111 1111 1111 110", "4111 **** **** *** 1110"),
        ("maestro 500000000009.", "500000000009", "5000 **** 0009"),
        ("(4111111111111111)", "4111111111111111", "4111 **** **** 1111"),
        ("card:4111111111111111,", "4111111111111111", "4111 **** **** 1111"),
    ],
)
def test_it_finds_cards_in_each_format(text: str, written: str, evidence: str) -> None:
    [match] = find_card_numbers(text)
    assert text[match.start : match.end] == written
    assert match.evidence == evidence


def test_it_finds_a_card_followed_by_its_cvv_and_expiry() -> None:
    text = "Card 4111 1111 1111 1111 123 exp 4111-1111-1111-1111 12/27 please"
    assert spans(text) == [
        ("card_number", "4111 1111 1111 1111"),
        ("card_number", "4111-1111-1111-1111"),
    ]


def test_it_finds_a_card_and_the_phone_number_written_after_it() -> None:
    # A parent's card and mobile pasted on one line: a group of five digits is not the card's.
    text = "Card 4111 1111 1111 1111 07700 900123, call me"
    assert spans(text) == [("card_number", "4111 1111 1111 1111"), ("uk_mobile", "07700 900123")]
    assert spans("4111-1111-1111-1111 07700 900123") == [
        ("card_number", "4111-1111-1111-1111"),
        ("uk_mobile", "07700 900123"),
    ]


@pytest.mark.parametrize(
    "text",
    [
        "Order number 1234567890123456 has shipped",
        "Luhn-valid but no network: 1000000000000008",
        "Luhn-valid but no network: 9999 9999 9999 9995",
        "Reference 41111111111111112222 (20 digits)",
        "Reference 4111 1111 1111 1111 2222 in groups of four",
        "Reference 99994111111111111111 ends with a card number",
        "Account ABC4111111111111111 is not a card",
        "Account 4111111111111111X is not a card",
        "Mixed separators 4111 1111-1111 1111 are not one number",
        "Wrong Luhn 4111-1111-1111-1112",
        "Sort code 20-00-00, account 12345678, invoice INV-2024-000123",
        "Dated 2024-03-12, at 12/03/2024 10:30",
        "Five groups 1234 5678 9012 3456 7890",
    ],
)
def test_it_ignores_card_look_alikes(text: str) -> None:
    assert list(find_card_numbers(text)) == []


# --- NHS numbers ---------------------------------------------------------------------------------

VALID_NHS = ["9434765919", "4010232137", "2213951837", "0032698674", "7700900124"]

INVALID_NHS = [
    ("9434765918", "check digit wrong"),
    ("9434765910", "check digit wrong"),
    ("1234567890", "check digit computes to 10: no valid number"),
    ("1234567891", "check digit computes to 10: no valid number"),
    ("0000000000", "one repeated digit passes mod 11 but is never issued"),
    ("1111111111", "one repeated digit passes mod 11 but is never issued"),
    ("943476591", "nine digits"),
    ("94347659190", "eleven digits"),
    ("94347659l9", "a letter"),
    ("", "empty"),
]


@pytest.mark.parametrize("number", VALID_NHS)
def test_it_accepts_valid_nhs_numbers(number: str) -> None:
    assert is_valid_nhs(number)


@pytest.mark.parametrize(("number", "why"), INVALID_NHS)
def test_it_rejects_invalid_nhs_numbers(number: str, why: str) -> None:
    assert not is_valid_nhs(number), why


@pytest.mark.parametrize(
    ("text", "written"),
    [
        ("NHS no. 943 476 5919.", "943 476 5919"),
        ("NHS no. 943-476-5919.", "943-476-5919"),
        ("NHS no. 9434765919.", "9434765919"),
        ("NHS no: 401 023 2137, DOB 12/03/2015", "401 023 2137"),
    ],
)
def test_it_finds_nhs_numbers_in_each_format(text: str, written: str) -> None:
    [match] = find_nhs_numbers(text)
    assert text[match.start : match.end] == written
    assert match.evidence == f"*** *** *{written[-3:]}"


@pytest.mark.parametrize(
    "text",
    [
        "Invoice 9434765918 is overdue",  # mod 11 fails
        "Call 1234567890 for details",  # check digit would be 10
        "Order 94347659190 (eleven digits)",
        "Ref 19434765919 embeds a valid NHS number",
        "Ref X9434765919 embeds a valid NHS number",
        "Ref 1943 476 5919 starts inside a longer group",
        "Grouped oddly 9434 765 919",
        "Mixed 943 476-5919 separators",
    ],
)
def test_it_ignores_nhs_look_alikes(text: str) -> None:
    assert list(find_nhs_numbers(text)) == []


@pytest.mark.parametrize(
    "text",
    [
        "Call 07700900124 today",
        "Call 07700 900124 today",
        "Call +44 7700 900124 today",
        "Call +447700900124 today",
        "Call 0044 7700 900124 today",
    ],
)
def test_it_prefers_a_mobile_to_an_nhs_number(text: str) -> None:
    # 7700900124 passes modulus 11; written as a mobile it is a phone number, not an NHS number.
    assert [m.kind for m in find_identifiers(text)] == ["uk_mobile"]


def test_it_reads_ten_bare_digits_that_pass_mod_11_as_an_nhs_number() -> None:
    assert [m.kind for m in find_identifiers("Ref 7700900124.")] == ["nhs_number"]


# --- National Insurance numbers ------------------------------------------------------------------

VALID_NINO = [
    "AB123456C",
    "AB 12 34 56 C",
    "ab123456c",
    "JG 10 37 59 A",
    "CE123456D",
    "ZA123456B",
    "OA123456A",
]

INVALID_NINO = [
    ("QQ123456C", "Q may not be first or second: HMRC's specimen number"),
    ("DA123456A", "D may not be first"),
    ("FA123456A", "F may not be first"),
    ("IA123456A", "I may not be first"),
    ("UA123456A", "U may not be first"),
    ("VA123456A", "V may not be first"),
    ("AO123456A", "O may not be second"),
    ("AD123456A", "D may not be second"),
    ("BG123456A", "BG is not allocated"),
    ("GB123456A", "GB is not allocated"),
    ("KN123456A", "KN is not allocated"),
    ("NK123456A", "NK is not allocated"),
    ("NT123456A", "NT is not allocated"),
    ("TN123456A", "TN is not allocated"),
    ("ZZ123456A", "ZZ is not allocated"),
    ("AB123456E", "suffix must be A-D"),
    ("AB12345C", "five digits"),
    ("AB1234567C", "seven digits"),
    ("A1123456C", "a digit in the prefix"),
    ("", "empty"),
]


@pytest.mark.parametrize("nino", VALID_NINO)
def test_it_accepts_valid_ni_numbers(nino: str) -> None:
    assert is_valid_nino(nino)


@pytest.mark.parametrize(("nino", "why"), INVALID_NINO)
def test_it_rejects_invalid_ni_numbers(nino: str, why: str) -> None:
    assert not is_valid_nino(nino), why


@pytest.mark.parametrize(
    ("text", "written", "evidence"),
    [
        ("NI: AB 12 34 56 C.", "AB 12 34 56 C", "AB ** ** ** C"),
        ("NI: AB123456C.", "AB123456C", "AB ** ** ** C"),
        ("ni: jg 10 37 59 a.", "jg 10 37 59 a", "JG ** ** ** A"),
        ("NI AB 123456 C, thanks", "AB 123456 C", "AB ** ** ** C"),
    ],
)
def test_it_finds_ni_numbers_in_each_format(text: str, written: str, evidence: str) -> None:
    [match] = find_ni_numbers(text)
    assert text[match.start : match.end] == written
    assert match.evidence == evidence


@pytest.mark.parametrize(
    "text",
    [
        "Specimen QQ 12 34 56 C from the HMRC form",
        "Prefix GB123456A is not allocated",
        "Suffix AB123456E is not used",
        "Embedded XAB123456C in a reference",
        "Embedded AB123456C9 in a reference",
        "Year 12 34 pupils",
    ],
)
def test_it_ignores_ni_look_alikes(text: str) -> None:
    assert list(find_ni_numbers(text)) == []


# --- Unique Pupil Numbers ------------------------------------------------------------------------

VALID_UPN = [
    ("B801200005001", "python-stdnum's published example"),
    ("P207000016049", "the census-error example's digits with the letter the algorithm gives"),
    ("E935123456780", "computed"),
    ("M80120000500A", "temporary UPN ending A (value 0)"),
    ("B80120000500B", "temporary UPN ending B (value 1)"),
    ("Y80120000500Z", "temporary UPN ending Z (value 22)"),
    ("b801200005001", "lower case"),
]

INVALID_UPN = [
    ("A801200005001", "wrong check letter (python-stdnum's published counter-example)"),
    ("B207000016049", "wrong check letter (published by MIS vendors as census error 1510)"),
    ("Q207000016049", "the vendors' 'corrected' letter: their sum is off by one; P is right"),
    ("I801200005001", "I is never a check letter"),
    ("B80120000500I", "I is never the last letter of a temporary UPN"),
    ("B80120000500O", "O is never the last letter of a temporary UPN"),
    ("X80120000A001", "letters only first and last"),
    ("B80120000500", "twelve characters"),
    ("B8012000050012", "fourteen characters"),
    ("8801200005001", "no check letter"),
    ("", "empty"),
]


@pytest.mark.parametrize(("upn", "why"), VALID_UPN)
def test_it_accepts_valid_upns(upn: str, why: str) -> None:
    assert is_valid_upn(upn), why


@pytest.mark.parametrize(("upn", "why"), INVALID_UPN)
def test_it_rejects_invalid_upns(upn: str, why: str) -> None:
    assert not is_valid_upn(upn), why


@pytest.mark.parametrize(
    ("text", "written", "evidence"),
    [
        ("UPN B801200005001.", "B801200005001", "B*********001"),
        ("upn: b801200005001,", "b801200005001", "B*********001"),
        ("Temporary UPN M80120000500A for now", "M80120000500A", "M*********00A"),
    ],
)
def test_it_finds_upns(text: str, written: str, evidence: str) -> None:
    [match] = find_upns(text)
    assert text[match.start : match.end] == written
    assert match.evidence == evidence


@pytest.mark.parametrize(
    "text",
    [
        "UPN A801200005001 has the wrong letter",
        "Ref XB801200005001 embeds a UPN",
        "Ref B8012000050012 is one character longer",
    ],
)
def test_it_ignores_upn_look_alikes(text: str) -> None:
    assert list(find_identifiers(text)) == []


# --- UK mobiles ----------------------------------------------------------------------------------

VALID_MOBILES = [
    "07700900123",
    "07700 900123",
    "07700 900 123",
    "0770 090 0123",
    "07700-900-123",
    "(07700) 900123",
    "+447700900123",
    "+44 7700 900123",
    "+44 (0)7700 900123",
    "0044 7700 900123",
    "07123 456789",
    "07987 654321",
    "07624 123456",
]

INVALID_MOBILES = [
    ("07600 123456", "076 is radiopaging"),
    ("07000 123456", "070 is personal numbering"),
    ("07700 90012", "ten digits"),
    ("07700 9001234", "twelve digits"),
    ("01632 960123", "a landline"),
    ("+44 1632 960123", "a landline"),
    ("+1 7700 900123", "not +44"),
    ("07700 9OO123", "letters"),
    ("", "empty"),
]


@pytest.mark.parametrize("number", VALID_MOBILES)
def test_it_accepts_valid_mobiles(number: str) -> None:
    assert is_valid_uk_mobile(number)


@pytest.mark.parametrize(("number", "why"), INVALID_MOBILES)
def test_it_rejects_invalid_mobiles(number: str, why: str) -> None:
    assert not is_valid_uk_mobile(number), why


@pytest.mark.parametrize("number", VALID_MOBILES)
def test_it_finds_mobiles_in_each_format(number: str) -> None:
    text = f"Mum's mobile is {number}, after 5pm."
    [match] = find_uk_mobiles(text)
    assert text[match.start : match.end] == number
    assert match.evidence == f"07*** ***{number[-3:]}"


@pytest.mark.parametrize(
    "text",
    [
        "Pager 07600 123456",
        "Office 01632 960123",
        "Ref 077009001234 is twelve digits",
        "Ref 907700900123 embeds a mobile",
        "Room 07 123 456 789",
    ],
)
def test_it_ignores_mobile_look_alikes(text: str) -> None:
    assert list(find_uk_mobiles(text)) == []


# --- redaction -----------------------------------------------------------------------------------

REDACTION_CASES = [
    "4111 1111 1111 1111",
    "3782 822463 10005",
    "4111111111111111110",
    "500000000009",
    "943 476 5919",
    "AB 12 34 56 C",
    "B801200005001",
    "M80120000500A",
    "07700 900123",
    "+44 7700 900123",
]


@pytest.mark.parametrize("written", REDACTION_CASES)
def test_it_never_keeps_the_whole_identifier(written: str) -> None:
    [match] = find_identifiers(f"see {written} here")
    compact = re.sub(r"[^0-9A-Za-z]", "", written).upper()
    shown = re.sub(r"[^0-9A-Za-z]", "", match.evidence).upper()
    assert written not in match.evidence
    assert compact not in shown
    # At most eight of the identifier's characters are shown (a card's first and last four).
    assert len(shown) <= 8
    assert "*" in match.evidence
    assert written not in repr(match)
    assert compact not in repr(match).upper().replace(" ", "")


def test_a_match_is_immutable() -> None:
    [match] = find_identifiers("4111111111111111")
    with pytest.raises(dataclasses.FrozenInstanceError):
        match.evidence = "4111111111111111"  # type: ignore[misc]


def test_every_match_kind_is_a_known_kind() -> None:
    text = "4111111111111111 9434765919 AB123456C B801200005001 07700900123"
    assert sorted(m.kind for m in find_identifiers(text)) == sorted(KINDS)


# --- a whole paragraph ---------------------------------------------------------------------------

EMAIL = (
    "Hi Sarah,\n\n"
    "Following our call on 12/03/2024, here are the details for Jamie's EHCP review. "
    "His UPN is B801200005001 and his NHS number is 943 476 5919. Mum can be reached on "
    "07700 900123 (or the office on 01632 960123); her NI number, AB 12 34 56 C, is needed "
    "for the bursary form. The trip deposit was paid by card 4111-1111-1111-1111 under order "
    "1234567890123456, invoice INV-2024-0042, sort code 20-00-00, account 12345678. "
    "Year 7 has 28 pupils; the return coach leaves at 15:30.\n\n"
    "Thanks,\nMr Patel"
)


def test_it_finds_exactly_the_identifiers_in_a_school_email() -> None:
    expected = [
        ("upn", "B801200005001"),
        ("nhs_number", "943 476 5919"),
        ("uk_mobile", "07700 900123"),
        ("ni_number", "AB 12 34 56 C"),
        ("card_number", "4111-1111-1111-1111"),
    ]
    found = find_identifiers(EMAIL)
    assert [(m.kind, m.start, m.end) for m in found] == [
        (kind, EMAIL.index(written), EMAIL.index(written) + len(written)) for kind, written in expected
    ]
    assert [m.evidence for m in found] == [
        "B*********001",
        "*** *** *919",
        "07*** ***123",
        "AB ** ** ** C",
        "4111 **** **** 1111",
    ]


def test_each_finder_returns_its_own_kind_from_the_same_scan() -> None:
    assert [m.kind for m in find_card_numbers(EMAIL)] == ["card_number"]
    assert [m.kind for m in find_nhs_numbers(EMAIL)] == ["nhs_number"]
    assert [m.kind for m in find_ni_numbers(EMAIL)] == ["ni_number"]
    assert [m.kind for m in find_upns(EMAIL)] == ["upn"]
    assert [m.kind for m in find_uk_mobiles(EMAIL)] == ["uk_mobile"]


def test_spans_never_overlap() -> None:
    text = " ".join([EMAIL] * 3 + ["+44 7700 900124 7700900124 4111 1111 1111 1111 123"])
    found = find_identifiers(text)
    assert all(a.end <= b.start for a, b in itertools.pairwise(found))
    assert len(found) == 18


def test_it_finds_nothing_in_plain_text() -> None:
    assert find_identifiers("") == []
    assert find_identifiers("Parents' evening is on Thursday in rooms 12, 14 and 15.") == []


def test_match_fields_are_the_contract() -> None:
    assert [f.name for f in dataclasses.fields(Match)] == ["kind", "start", "end", "evidence"]


# --- the prefilter -------------------------------------------------------------------------------
#
# find_identifiers runs its pattern only near clusters of six digits (identifiers._GATE). These tests
# hold it to what one plain finditer over the whole text finds, at the places a prefilter could slip:
# separators between every digit, an identifier at the very start or end of the text, letters or
# digits glued on, and long runs of numbers.

# Each identifier as people write it, in every separator style; "+44 (0) 7..." has the widest gaps.
WRITTEN = [
    ("card_number", "4111 1111 1111 1111"),
    ("card_number", "4111-1111-1111-1111"),
    ("card_number", "4111111111111111"),
    ("card_number", "3782 822463 10005"),
    ("card_number", "3782-822463-10005"),
    ("card_number", "2221 0000 0000 0009"),
    ("nhs_number", "943 476 5919"),
    ("nhs_number", "943-476-5919"),
    ("nhs_number", "9434765919"),
    ("ni_number", "AB 12 34 56 C"),
    ("ni_number", "ab123456c"),
    ("upn", "B801200005001"),
    ("uk_mobile", "07700 900123"),
    ("uk_mobile", "07700-900-123"),
    ("uk_mobile", "(07700) 900 123"),
    ("uk_mobile", "+44 (0) 7700 900123"),
    ("uk_mobile", "+44-(0)-7700-900123"),
    ("uk_mobile", "0044 7700 900123"),
    ("uk_mobile", "+447700900123"),
]


def plain_scan(text: str) -> list[Match]:
    """What find_identifiers finds, by the one finditer over the whole text it stands for."""
    from aupguard.engine.detectors import identifiers

    found = []
    for candidate in identifiers._SCAN.finditer(text):
        match = identifiers._ON_CANDIDATE[candidate.lastgroup](candidate)
        if match is not None:
            found.append(match)
    return found


@pytest.mark.parametrize(("kind", "written"), WRITTEN)
@pytest.mark.parametrize(
    "template",
    ["{}", "{}.", "Card: {}", "ends with {}", "{} starts it", "(\n{}\n)", "ref 12 {} 34", "a\t{}\t99"],
)
def test_it_finds_an_identifier_anywhere_in_the_text(kind: str, written: str, template: str) -> None:
    text = template.format(written)
    assert spans(text) == [(kind, written)]
    assert find_identifiers(text) == plain_scan(text)


@pytest.mark.parametrize(("kind", "written"), WRITTEN)
def test_it_finds_nothing_glued_to_a_letter_or_digit(kind: str, written: str) -> None:
    for text in (f"x{written}", f"{written}x", f"9{written}", f"{written}9"):
        assert find_identifiers(text) == plain_scan(text), text
        assert (kind, written) not in spans(text), text


def test_it_finds_each_identifier_in_a_long_run_of_numbers() -> None:
    # One numeric run of 20,000 characters (spaces and dashes join numbers into one run): the
    # prefilter's window is the whole run, and each identifier in it is still found once.
    row = " ".join(["9434765919", "12", "07700 900123", "4111-1111-1111-1111", "1 2 3 4 5 6"])
    text = " ".join([row] * 400)
    found = find_identifiers(text)
    assert found == plain_scan(text)
    assert [m.kind for m in found[:3]] == ["nhs_number", "uk_mobile", "card_number"]
    assert len(found) == 1200


def test_it_finds_what_a_plain_scan_finds_in_random_text() -> None:
    import random

    rng = random.Random(20260302)  # noqa: S311 - reproducible test data, not secrets
    pieces = [w for _, w in WRITTEN] + [
        "0", "12", "07", "+44", "(0)", "(", ")", " ", "  ", "-", "--", "+", "\n", "AB", "C", "x",
        "1234567890123456", "123456", "12 34 56", "4111", "1111", "B8012", "00005001", "é", "£",
    ]  # fmt: skip
    for _ in range(3000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 12)))
        assert find_identifiers(text) == plain_scan(text), text
