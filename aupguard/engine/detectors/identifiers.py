"""Checksummed personal identifiers: payment cards, NHS, NI and pupil numbers, UK mobiles.

Each detector is a pattern and a validator (STYLE.md, habit 2): the pattern finds candidates in the
shapes people type, the validator keeps only the numbers the issuing scheme could have issued.
Checksums, not looser patterns, are what keep a 16-digit order number from being a card.

Specifications, one per validator (each validator's docstring has the detail):

- payment cards: ISO/IEC 7812-1 (Luhn check digit, Annex B) and the card networks' published
  issuer ranges;
- NHS number: NHS Data Dictionary, "NHS Number" (modulus 11 check digit);
- National Insurance number: HMRC National Insurance Manual NIM39110 (prefix and suffix rules);
- Unique Pupil Number: DfE "Unique Pupil Numbers (UPNs)" guidance and the UK Government Data
  Standards Catalogue element "Unique Pupil Number" v2.0 (modulus 23 check letter);
- UK mobile numbers: Ofcom National Telephone Numbering Plan (the 07 range).

How a text is scanned. One compiled regular expression holds every kind's pattern as a named
alternative and `find_identifiers` walks the text once with `finditer`. A candidate may not touch
a letter or digit on either side, so a 16-digit run inside a 20-digit reference is never a
candidate; the scan consumes each candidate whole, so one span gets at most one kind; a candidate
that fails its validator is dropped, never re-read as another kind. Mobiles are tried first, so a
number written as a mobile is never an NHS number, even when its last ten digits pass modulus 11.
A card written in groups may be followed by a short group that is not part of it (a CVV, an
expiry month): when the whole run fails, the run without that last short group is checked.

Evidence is redacted when the `Match` is built: the whole identifier is never stored, logged or
put in an exception message.

Latency budget: this is on the path of every outbound message and every text sent to an AI tool,
so `find_identifiers` must scan ordinary prose at 10 MB/s or more on one core, and stay at least 50
times faster than Microsoft Presidio on the same text. With one `finditer` of the whole pattern it
scanned about 20 MB/s of school email; with the prefilter `_GATE` (see `_scan`), which runs the
pattern only near clusters of six digits, about 90 MB/s (the email benchmark's 3.9 KB texts, about
40 µs each). Keep one compiled pattern, searched only where the prefilter finds a cluster; validate
only candidates.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

__all__ = [
    "KINDS",
    "Match",
    "find_card_numbers",
    "find_identifiers",
    "find_nhs_numbers",
    "find_ni_numbers",
    "find_uk_mobiles",
    "find_upns",
    "is_valid_card",
    "is_valid_nhs",
    "is_valid_nino",
    "is_valid_uk_mobile",
    "is_valid_upn",
    "national_mobile",
]

CARD_NUMBER = "card_number"
NHS_NUMBER = "nhs_number"
NI_NUMBER = "ni_number"
UPN = "upn"
UK_MOBILE = "uk_mobile"

#: Every kind a `Match` can have. These strings are stored keys: add kinds, never rename them.
KINDS: tuple[str, ...] = (CARD_NUMBER, NHS_NUMBER, NI_NUMBER, UPN, UK_MOBILE)


@dataclass(frozen=True, slots=True)
class Match:
    """One validated identifier: its kind, where it is in the text, and redacted evidence.

    `start` and `end` are offsets into the scanned text (``text[start:end]`` is the identifier as
    written). `evidence` is a masked form that never holds the whole identifier.
    """

    kind: str
    start: int
    end: int
    evidence: str


# --- shared helpers ------------------------------------------------------------------------------

_DROP_SEPARATORS = str.maketrans("", "", " -()")
_DROP_SPACES = str.maketrans("", "", " ")


def _only_digits(s: str) -> bool:
    return s.isascii() and s.isdigit()


def _mask_in_fours(count: int) -> str:
    """`count` asterisks in groups of four, separated by spaces ("**** **** ***")."""
    return " ".join("*" * min(4, count - i) for i in range(0, count, 4))


# --- payment cards -------------------------------------------------------------------------------

# Luhn: the value a digit contributes when it is doubled (9 -> 18 -> 1 + 8).
_LUHN_DOUBLED = (0, 2, 4, 6, 8, 1, 3, 5, 7, 9)

_L16_19 = frozenset(range(16, 20))
# (lowest prefix, highest prefix, allowed lengths); both prefixes have the same number of digits, so
# comparing them as strings with the number's own leading digits is a numeric comparison.
_CARD_RANGES: tuple[tuple[str, str, frozenset[int]], ...] = (
    ("4", "4", frozenset({13, 16, 19})),  # Visa
    ("51", "55", frozenset({16})),  # Mastercard
    ("2221", "2720", frozenset({16})),  # Mastercard 2-series
    ("34", "34", frozenset({15})),  # American Express
    ("37", "37", frozenset({15})),  # American Express
    ("6011", "6011", _L16_19),  # Discover
    ("644", "649", _L16_19),  # Discover
    ("65", "65", _L16_19),  # Discover
    ("50", "50", frozenset(range(12, 20))),  # Maestro
    ("56", "69", frozenset(range(12, 20))),  # Maestro
    ("3528", "3589", _L16_19),  # JCB
    ("300", "305", frozenset(range(14, 20))),  # Diners Club
    ("36", "36", frozenset(range(14, 20))),  # Diners Club
    ("38", "39", frozenset(range(14, 20))),  # Diners Club
    ("62", "62", _L16_19),  # UnionPay
)


def _luhn_ok(digits: str) -> bool:
    total = 0
    double = False
    for ch in reversed(digits):
        d = ord(ch) - 48
        total += _LUHN_DOUBLED[d] if double else d
        double = not double
    return total % 10 == 0


def _card_ok(digits: str) -> bool:
    n = len(digits)
    for low, high, lengths in _CARD_RANGES:
        if n in lengths and low <= digits[: len(low)] <= high:
            return _luhn_ok(digits)
    return False


def is_valid_card(digits: str) -> bool:
    """True when `digits` is a payment card number a network could have issued.

    Two tests, both required:

    - the Luhn check digit of ISO/IEC 7812-1 (Annex B) holds;
    - the number starts with a known issuer prefix and has a length that network issues:
      Visa 4 (13, 16 or 19 digits); Mastercard 51-55 and 2221-2720 (16); American Express 34, 37
      (15); Discover 6011, 644-649, 65 (16-19); Maestro 50, 56-69 (12-19); JCB 3528-3589 (16-19);
      Diners Club 300-305, 36, 38-39 (14-19); UnionPay 62 (16-19).

    Spaces and dashes between digits are ignored; anything else makes the number invalid.
    """
    digits = digits.translate(_DROP_SEPARATORS)
    return _only_digits(digits) and _card_ok(digits)


def _card_evidence(digits: str) -> str:
    """First four and last four digits; the middle masked in groups of four."""
    return f"{digits[:4]} {_mask_in_fours(len(digits) - 8)} {digits[-4:]}"


# --- NHS numbers ---------------------------------------------------------------------------------


def _nhs_ok(digits: str) -> bool:
    if len(digits) != 10 or digits == digits[0] * 10:
        return False
    total = 0
    weight = 10
    for ch in digits[:9]:
        total += (ord(ch) - 48) * weight
        weight -= 1
    check = 11 - total % 11
    if check == 11:
        check = 0
    return check != 10 and check == ord(digits[9]) - 48


def is_valid_nhs(digits: str) -> bool:
    """True when `digits` is a well-formed NHS number (England, Wales and the Isle of Man).

    NHS Data Dictionary, "NHS Number"
    (https://www.datadictionary.nhs.uk/attributes/nhs_number.html): ten digits, the tenth a
    modulus 11 check digit. Multiply the first nine digits by the weights 10, 9, ... 2, add the
    products, and take 11 minus the remainder of the sum divided by 11; 11 becomes 0, and 10 means
    the number is invalid. Numbers made of one repeated digit (0000000000, 1111111111) pass that
    arithmetic but are never issued, so they are rejected too.

    Spaces and dashes between digits are ignored; anything else makes the number invalid.
    """
    digits = digits.translate(_DROP_SEPARATORS)
    return _only_digits(digits) and _nhs_ok(digits)


def _nhs_evidence(digits: str) -> str:
    return f"*** *** *{digits[-3:]}"


# --- National Insurance numbers ------------------------------------------------------------------

_NINO_BAD_FIRST = frozenset("DFIQUV")
_NINO_BAD_SECOND = frozenset("DFIOQUV")
_NINO_UNALLOCATED = frozenset({"BG", "GB", "KN", "NK", "NT", "TN", "ZZ"})
_NINO_SUFFIXES = frozenset("ABCD")


def _nino_ok(compact: str) -> bool:
    return (
        len(compact) == 9
        and compact[0] not in _NINO_BAD_FIRST
        and compact[1] not in _NINO_BAD_SECOND
        and compact[:2].isalpha()
        and compact[:2] not in _NINO_UNALLOCATED
        and _only_digits(compact[2:8])
        and compact[8] in _NINO_SUFFIXES
    )


def is_valid_nino(s: str) -> bool:
    """True when `s` is a National Insurance number HMRC could have allocated.

    HMRC National Insurance Manual NIM39110
    (https://www.gov.uk/hmrc-internal-manuals/national-insurance-manual/nim39110): a two-letter
    prefix, six digits and a suffix letter A, B, C or D. The first letter is not D, F, I, Q, U
    or V; the second letter is not D, F, I, O, Q, U or V; the prefixes BG, GB, KN, NK, NT, TN and
    ZZ are not allocated. (HMRC's own specimen, QQ 12 34 56 C, is therefore not valid.)

    Case and spaces are ignored.
    """
    compact = s.translate(_DROP_SPACES).upper()
    return compact.isascii() and _nino_ok(compact)


def _nino_evidence(compact: str) -> str:
    return f"{compact[:2]} ** ** ** {compact[8]}"


# --- Unique Pupil Numbers ------------------------------------------------------------------------

# The 23 check letters (A-Z without I, O and S); a letter's value is its index.
_UPN_LETTERS = "ABCDEFGHJKLMNPQRTUVWXYZ"
_UPN_VALUE = {letter: value for value, letter in enumerate(_UPN_LETTERS)}


def _upn_ok(upn: str) -> bool:
    if len(upn) != 13 or upn[0] not in _UPN_VALUE or not _only_digits(upn[1:12]):
        return False
    last = upn[12]
    if "0" <= last <= "9":
        last_value = ord(last) - 48
    elif last in _UPN_VALUE:
        last_value = _UPN_VALUE[last]  # a temporary UPN
    else:
        return False
    total = 13 * last_value
    weight = 2
    for ch in upn[1:12]:
        total += (ord(ch) - 48) * weight
        weight += 1
    return _UPN_LETTERS[total % 23] == upn[0]


def is_valid_upn(s: str) -> bool:
    """True when `s` is a Unique Pupil Number with a correct check letter.

    DfE, "Unique Pupil Numbers (UPNs): guidance for local authorities and schools" (section "How
    UPNs are constructed"), and the UK Government Data Standards Catalogue element "Unique Pupil
    Number" v2.0 (http://www.govtalk.gov.uk/gdsc/html/noframes/UniquePupilNumber-2-0-Release.htm).
    Thirteen characters: a check letter, then a 3-digit local authority number, a 4-digit
    establishment number, the last two digits of the academic year of issue, and a 3-digit serial.
    A temporary UPN ends with a letter instead of the serial's last digit. The check letter is
    the sum of the characters in positions 2 to 13, each multiplied by its position (2 to 13),
    modulo 23, written as a letter of A-Z without I, O and S (A = 0, B = 1, ... H = 7, J = 8, ...
    N = 12, P = 13, Q = 14, R = 15, T = 16, ... Z = 22). A temporary UPN's final letter counts as
    its value in that same table, and cannot be I, O or S.

    This is the rule the school census applies as validation error 1510. The local authority number
    is not checked against the DfE list (which changes with reorganisations).

    Case is ignored.
    """
    upn = s.strip().upper()
    return upn.isascii() and _upn_ok(upn)


def _upn_evidence(upn: str) -> str:
    return f"{upn[0]}*********{upn[-3:]}"


# --- UK mobile numbers ---------------------------------------------------------------------------

_MOBILE_THIRD_DIGITS = frozenset("12345789")


def _national_mobile(s: str) -> str:
    """`s` without separators, and with +44 or 0044 (and an optional "(0)") turned into 0."""
    number = s.translate(_DROP_SEPARATORS)
    if number.startswith("+44"):
        rest = number[3:]
    elif number.startswith("0044"):
        rest = number[4:]
    else:
        return number
    return "0" + (rest[1:] if rest.startswith("0") else rest)


def national_mobile(s: str) -> str:
    """A UK mobile number as its eleven national digits (07...), however it was written."""
    return _national_mobile(s)


def _mobile_ok(national: str) -> bool:
    return (
        len(national) == 11
        and _only_digits(national)
        and national.startswith("07")
        and (national[2] in _MOBILE_THIRD_DIGITS or national.startswith("07624"))
    )


def is_valid_uk_mobile(s: str) -> bool:
    """True when `s` is a UK mobile number: 07 and nine more digits, or +44 / 0044 and 7....

    Ofcom National Telephone Numbering Plan: 071-075 and 077-079 are mobile ranges; 070 is
    personal numbering and 076 is radiopaging, except 07624 (mobile, Isle of Man), so those are
    not mobiles. The international forms +44 7... and 0044 7... (with or without "(0)") are
    accepted. Spaces, dashes and brackets between digits are ignored.
    """
    return _mobile_ok(_national_mobile(s))


def _mobile_evidence(national: str) -> str:
    return f"07*** ***{national[-3:]}"


# --- the scan ------------------------------------------------------------------------------------

# Every kind is one named alternative. Inner groups (the separator a number uses, repeated with a
# back-reference so "4111 1111-1111 1111" is not one number) are named too, so `lastgroup` is
# always the outer alternative. The left and right guards keep a candidate from touching a letter
# or digit; possessive quantifiers stop the engine re-trying shorter runs that the guards would
# reject anyway. A card's groups of four may give back a group: "4111 1111 1111 1111 07700 900123"
# is a card and a mobile number (the greedy run of fours ends inside "07700"), while a run of fours
# that ends cleanly ("... 1111 2222") is one longer reference, never a card.
_SCAN = re.compile(
    r"""
    (?<![A-Za-z0-9])
    (?:
        (?P<uk_mobile>
            (?:\+44[ -]?(?:\(0\)[ -]?)?|0044[ -]?)7(?:[ -]?\d){9}
          | \(07\d{3}\)[ -]?\d{3}[ -]?\d{3}
          | 07\d(?:[ -]?\d){8}
        )
      | (?P<card_grouped>\d{4}(?P<card_sep>[ -])\d{4}(?:(?P=card_sep)\d{4})+(?:(?P=card_sep)\d{1,3}+)?)
      | (?P<card_4_6>\d{4}(?P<amex_sep>[ -])\d{6}(?P=amex_sep)\d{4,5}+)
      | (?P<nhs_grouped>\d{3}(?P<nhs_sep>[ -])\d{3}(?P=nhs_sep)\d{4}+)
      | (?P<digits>\d{10,}+)
      | (?P<ni_number>(?i:[a-z]{2}\ ?\d{2}\ ?\d{2}\ ?\d{2}\ ?[a-z]))
      | (?P<upn>(?i:[a-z]\d{11}[a-z0-9]))
    )
    (?![A-Za-z0-9])
    """,
    re.VERBOSE | re.ASCII,
)


def _on_mobile(m: re.Match[str]) -> Match | None:
    national = _national_mobile(m.group())
    if not _mobile_ok(national):
        return None
    return Match(UK_MOBILE, m.start(), m.end(), _mobile_evidence(national))


def _on_card_grouped(m: re.Match[str]) -> Match | None:
    raw = m.group()
    digits = raw.translate(_DROP_SEPARATORS)
    if _card_ok(digits):
        return Match(CARD_NUMBER, m.start(), m.end(), _card_evidence(digits))
    # A short last group may not belong to the card ("4111 1111 1111 1111 123" is a card and its
    # CVV): check the run without it. A last group of four is part of a longer reference.
    cut = raw.rfind(m.group("card_sep"))
    tail = len(raw) - cut - 1
    if tail < 4 and _card_ok(digits[:-tail]):
        return Match(CARD_NUMBER, m.start(), m.start() + cut, _card_evidence(digits[:-tail]))
    return None


def _on_card_4_6(m: re.Match[str]) -> Match | None:
    digits = m.group().translate(_DROP_SEPARATORS)
    if not _card_ok(digits):
        return None
    return Match(CARD_NUMBER, m.start(), m.end(), _card_evidence(digits))


def _on_nhs_grouped(m: re.Match[str]) -> Match | None:
    digits = m.group().translate(_DROP_SEPARATORS)
    if not _nhs_ok(digits):
        return None
    return Match(NHS_NUMBER, m.start(), m.end(), _nhs_evidence(digits))


def _on_digits(m: re.Match[str]) -> Match | None:
    digits = m.group()
    n = len(digits)
    if n == 10:
        if _nhs_ok(digits):
            return Match(NHS_NUMBER, m.start(), m.end(), _nhs_evidence(digits))
    elif 12 <= n <= 19 and _card_ok(digits):
        return Match(CARD_NUMBER, m.start(), m.end(), _card_evidence(digits))
    return None


def _on_ni_number(m: re.Match[str]) -> Match | None:
    compact = m.group().translate(_DROP_SPACES).upper()
    if not _nino_ok(compact):
        return None
    return Match(NI_NUMBER, m.start(), m.end(), _nino_evidence(compact))


def _on_upn(m: re.Match[str]) -> Match | None:
    upn = m.group().upper()
    if not _upn_ok(upn):
        return None
    return Match(UPN, m.start(), m.end(), _upn_evidence(upn))


_ON_CANDIDATE: dict[str | None, Callable[[re.Match[str]], Match | None]] = {
    "uk_mobile": _on_mobile,
    "card_grouped": _on_card_grouped,
    "card_4_6": _on_card_4_6,
    "nhs_grouped": _on_nhs_grouped,
    "digits": _on_digits,
    "ni_number": _on_ni_number,
    "upn": _on_upn,
}


# The prefilter. Every candidate `_SCAN` can match holds six digits in a row, each at most two
# characters of `[ ()+-]` from the next (an NI number has exactly six; every other kind ten or more,
# with one or two separators between digits at most: "+44 (0) 7...", "4111-1111...", "AB 12 34 56 C").
# `_GATE` finds such a cluster with a search that the regular-expression engine runs in C from one
# digit to the next, which is several times cheaper than trying `_SCAN`, with its look-behind and
# seven alternatives, at every position of the text.
_GATE = re.compile(r"\d(?:[ ()+\-]{0,2}\d){5}", re.ASCII)
# The characters a candidate is made of after its first digit, but for one final letter.
_NUMERIC_RUN = re.compile(r"[0-9 ()+\-]*")
# At most this many characters of a candidate come before its first digit ("AB " of an NI number;
# "+" of +44; "(" of (07...); the letter of a UPN).
_HEAD = 3


def _scan(text: str) -> Iterator[Match]:
    """`_SCAN.finditer(text)`, validated, but `_SCAN` is run only near the clusters `_GATE` finds.

    Why this finds exactly what the plain `finditer` finds. `finditer` is a series of searches, each
    from the end of the last match. Take one such search from `pos`. Its match, if any, has a first
    digit at or after `pos` that starts a `_GATE` cluster, so the first cluster at or after `pos`
    (at `first`) is at or before that digit, and the match starts at `first - _HEAD` or later. From
    `first`, the text is a run of candidate characters up to `end` (`_NUMERIC_RUN`). Any attempt of
    `_SCAN` starting between `first - _HEAD` and `end` reads at most `_HEAD` characters, then
    candidate characters, which cannot go past `end`, then one letter and the look-ahead: it never
    reads past `end + 1`. So searching the window that stops at `end + 2` gives, for a match that
    starts before `end`, exactly what a search of the whole text gives (the look-behind sees the text
    before the window, as `pattern.search(text, pos)` always does). A match starting at `end` or later
    is not trusted (the window may have cut it short): the next search starts at `end`, where no match
    of the whole text was skipped. Positions before `first - _HEAD` hold no match.
    """
    on_candidate = _ON_CANDIDATE
    gate = _GATE.search
    numeric_run = _NUMERIC_RUN.match
    search = _SCAN.search
    length = len(text)
    pos = 0
    run_end = -1  # the end of the last numeric run measured: a run is measured once, however long
    while True:
        cluster = gate(text, pos)
        if cluster is None:
            return
        first = cluster.start()
        if first >= run_end:
            run = numeric_run(text, first)  # it always matches, at least the cluster
            run_end = run.end() if run is not None else cluster.end()
        candidate = search(text, max(pos, first - _HEAD), min(length, run_end + 2))
        if candidate is None or candidate.start() >= run_end:
            pos = run_end
            continue
        found = on_candidate[candidate.lastgroup](candidate)
        if found is not None:
            yield found
        pos = candidate.end()


def find_identifiers(text: str) -> list[Match]:
    """Every validated identifier in `text`, of every kind, in order of position.

    One pass over the text; spans never overlap and each span has one kind.
    """
    return list(_scan(text))


def find_card_numbers(text: str) -> Iterator[Match]:
    """Payment card numbers that pass `is_valid_card`, as `find_identifiers` sees them."""
    return (found for found in _scan(text) if found.kind == CARD_NUMBER)


def find_nhs_numbers(text: str) -> Iterator[Match]:
    """NHS numbers that pass `is_valid_nhs` and are not written as a UK mobile."""
    return (found for found in _scan(text) if found.kind == NHS_NUMBER)


def find_ni_numbers(text: str) -> Iterator[Match]:
    """National Insurance numbers that pass `is_valid_nino`, in upper or lower case."""
    return (found for found in _scan(text) if found.kind == NI_NUMBER)


def find_upns(text: str) -> Iterator[Match]:
    """Unique Pupil Numbers that pass `is_valid_upn`, in upper or lower case."""
    return (found for found in _scan(text) if found.kind == UPN)


def find_uk_mobiles(text: str) -> Iterator[Match]:
    """UK mobile numbers that pass `is_valid_uk_mobile`."""
    return (found for found in _scan(text) if found.kind == UK_MOBILE)
