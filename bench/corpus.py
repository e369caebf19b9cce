"""A seeded generator of a UK primary school's outbound email, with a roster, a directory and ground truth.

`generate(count, seed)` returns a `Corpus`: `count` RFC 5322 messages as a relay receives them, the
2,000-pupil roster and the staff directory they refer to (as the engine's own `Roster` and
`Directory`), and for each message the identifiers, decoys and pupil names planted in it.

Deterministic: message `i` depends only on (seed, i), so `generate(200)` is the first 200 messages of
`generate(2000)`, and the same seed gives the same bytes on every machine (attachments included; see
`bench.files`). `cached` keeps a copy under bench/.cache/ (gitignored; never commit generated data),
keyed by the generator's own source, so a second run reads it instead of generating it again.

What is in it, and at what rates (over 2,000 messages; `summary` prints the exact counts):

- topics of a primary school's outbound mail (`bench.prose.TOPICS`): trips, reports, meetings,
  safeguarding referrals, SEN and EHCP reviews, invoices, HR and payroll, admissions, attendance,
  medical plans, letters to parents, and day-to-day admin;
- bodies mostly 1-6 KB (12% shorter, about 10% longer threads up to 30 KB), in plain text with long
  Outlook lines or wrapped at 76 columns; 45% multipart/alternative with an Outlook-style HTML part,
  5% HTML only; a few forced base64 or quoted-printable bodies, and a few in ISO-8859-1;
- about 15% with attachments: CSV, DOCX (python-docx), XLSX (openpyxl) and PDF (hand-written);
- valid payment cards (Luhn, real issuer prefixes, spaced, dashed or run together), NHS numbers
  (modulus 11), National Insurance numbers (HMRC prefix rules), UPNs (DfE check letter), UK mobile
  numbers, email addresses and pupils' full names, at the low rates of real mail, mostly in the
  topics where they belong (cards in invoices and trip payments, NHS numbers in medical and SEN
  mail, NI numbers in HR, UPNs in transfers and SEN registers);
- decoys that a detector must not report: 16-digit order numbers that fail Luhn and 10-digit
  references that fail modulus 11.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import html
import json
import math
import random
import re
import shutil
import string
import textwrap
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime
from pathlib import Path
from typing import Any, ClassVar

from aupguard.engine.people import DIRECTORY_COLUMNS, ROSTER_COLUMNS, Directory, Pupil, Roster, StaffMember
from bench import files, prose
from bench.names import BACKGROUNDS, PREFERRED, Background

__all__ = [
    "DOMAIN",
    "SEED",
    "Corpus",
    "GeneratedMessage",
    "Part",
    "Planted",
    "cached",
    "generate",
    "make_people",
    "save",
    "summary",
]

SEED = 20260302
DOMAIN = "wells.redbridge.sch.uk"
SCHOOL = "Wells Primary School"
LA_DOMAIN = "redbridge.gov.uk"
CACHE_DIR = Path(__file__).resolve().parent / ".cache"

# Ground-truth kinds: the engine's identifier kinds, then what else the generator plants.
CARD, NHS, NINO, UPN, MOBILE = "card_number", "nhs_number", "ni_number", "upn", "uk_mobile"
EMAIL, PUPIL_NAME = "email_address", "pupil_name"
DECOY_CARD, DECOY_NHS = "decoy_order16", "decoy_ref10"
IDENTIFIER_KINDS = (CARD, NHS, NINO, UPN, MOBILE)


@dataclass(frozen=True, slots=True)
class Planted:
    """One thing planted in a message: `value` is normalised (digits, upper case; a pupil's UPN for a
    name; the address for an email), `written` is how the text has it."""

    kind: str
    value: str
    written: str


@dataclass(frozen=True, slots=True)
class Part:
    """The generator's own text of one part: the subject, the plain body, or an attachment's text."""

    where: str
    text: str


@dataclass(frozen=True, slots=True)
class GeneratedMessage:
    index: int
    raw: bytes
    topic: str
    attachment_kinds: tuple[str, ...]  # "csv", "docx", "xlsx", "pdf"
    parts: tuple[Part, ...]
    planted: tuple[Planted, ...]

    @property
    def has_attachments(self) -> bool:
        return bool(self.attachment_kinds)

    def truth(self, kind: str) -> tuple[Planted, ...]:
        return tuple(p for p in self.planted if p.kind == kind)


@dataclass(frozen=True)
class Corpus:
    seed: int
    messages: tuple[GeneratedMessage, ...]
    people: Population = field(repr=False)

    @property
    def roster(self) -> Roster:
        return self.people.roster

    @property
    def directory(self) -> Directory:
        return self.people.directory


# --- identifiers: valid ones and decoys ----------------------------------------------------------

_UPN_LETTERS = "ABCDEFGHJKLMNPQRTUVWXYZ"


def _luhn_total(digits: str) -> int:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total


def luhn_ok(digits: str) -> bool:
    return _luhn_total(digits) % 10 == 0


def _luhn_complete(partial: str) -> str:
    """`partial` plus the check digit that makes it pass Luhn."""
    return partial + str((10 - _luhn_total(partial + "0") % 10) % 10)


def nhs_ok(digits: str) -> bool:
    """Modulus 11 over all ten digits (weights 10..1), as both the engine and Presidio test it."""
    return (
        len(digits) == 10 and sum(int(c) * w for c, w in zip(digits, range(10, 0, -1), strict=True)) % 11 == 0
    )


def _digits(rng: random.Random, n: int) -> str:
    return "".join(rng.choice(string.digits) for _ in range(n))


# (prefix, length, weight, groups as written when spaced); real issuer ranges of cards seen in the UK.
_CARD_BRANDS: tuple[tuple[str, int, float, tuple[int, ...]], ...] = (
    ("4", 16, 0.55, (4, 4, 4, 4)),  # Visa (debit and credit)
    ("51", 16, 0.06, (4, 4, 4, 4)),
    ("53", 16, 0.08, (4, 4, 4, 4)),
    ("54", 16, 0.08, (4, 4, 4, 4)),
    ("55", 16, 0.05, (4, 4, 4, 4)),
    ("2221", 16, 0.02, (4, 4, 4, 4)),  # Mastercard 2-series
    ("2720", 16, 0.01, (4, 4, 4, 4)),
    ("34", 15, 0.04, (4, 6, 5)),  # American Express
    ("37", 15, 0.06, (4, 6, 5)),
    ("6759", 16, 0.03, (4, 4, 4, 4)),  # Maestro UK
    ("6011", 16, 0.02, (4, 4, 4, 4)),  # Discover
)


def make_card(rng: random.Random) -> tuple[str, str]:
    """(digits, as written) of a valid card number."""
    prefix, length, _, groups = rng.choices(_CARD_BRANDS, weights=[b[2] for b in _CARD_BRANDS])[0]
    digits = _luhn_complete(prefix + _digits(rng, length - len(prefix) - 1))
    style = rng.random()
    if style < 0.30:
        return digits, digits
    sep = "-" if style < 0.45 else " "
    out, pos = [], 0
    for g in groups:
        out.append(digits[pos : pos + g])
        pos += g
    return digits, sep.join(out)


def make_order16(rng: random.Random) -> tuple[str, str]:
    """A 16-digit order or tracking number that fails Luhn (so it is not a card)."""
    while True:
        digits = rng.choice("3456789") + _digits(rng, 15)
        if not luhn_ok(digits):
            break
    if rng.random() < 0.6:
        return digits, digits
    return digits, " ".join(digits[i : i + 4] for i in range(0, 16, 4))


def make_nhs(rng: random.Random) -> tuple[str, str]:
    while True:
        digits = rng.choice("4689") + _digits(rng, 8)
        total = sum(int(c) * w for c, w in zip(digits, range(10, 1, -1), strict=True))
        check = 11 - total % 11
        if check == 11:
            check = 0
        if check != 10:
            digits += str(check)
            break
    style = rng.random()
    if style < 0.6:
        return digits, f"{digits[:3]} {digits[3:6]} {digits[6:]}"
    if style < 0.9:
        return digits, digits
    return digits, f"{digits[:3]}-{digits[3:6]}-{digits[6:]}"


def make_ref10(rng: random.Random) -> tuple[str, str]:
    """A 10-digit case or account reference that fails modulus 11 (so it is not an NHS number)."""
    while True:
        digits = rng.choice("123456789") + _digits(rng, 9)
        if not nhs_ok(digits) and not digits.startswith("07"):
            return digits, digits


_NINO_FIRST = "ABCEGHJKLMNOPRSTWXYZ"  # not D F I Q U V
_NINO_SECOND = "ABCEGHJKLMNPRSTWXYZ"  # not D F I O Q U V
_NINO_UNALLOCATED = {"BG", "GB", "KN", "NK", "NT", "TN", "ZZ"}


def make_nino(rng: random.Random) -> tuple[str, str]:
    while True:
        prefix = rng.choice(_NINO_FIRST) + rng.choice(_NINO_SECOND)
        if prefix not in _NINO_UNALLOCATED:
            break
    digits = _digits(rng, 6)
    suffix = rng.choice("ABCD")
    value = prefix + digits + suffix
    style = rng.random()
    if style < 0.55:
        return value, f"{prefix} {digits[:2]} {digits[2:4]} {digits[4:]} {suffix}"
    if style < 0.95:
        return value, value
    return value, f"{prefix} {digits} {suffix}"


def make_upn(la: str, establishment: str, year: int, serial: int) -> str:
    """A permanent UPN: check letter, LA, establishment, year of issue, serial (DfE, modulus 23)."""
    body = f"{la}{establishment}{year % 100:02d}{serial:03d}"
    total = sum(int(c) * w for c, w in zip(body, range(2, 14), strict=True))
    return _UPN_LETTERS[total % 23] + body


# Mobile ranges python-phonenumbers also accepts as allocated (so Presidio's recall is not
# understated); the Ofcom drama range 07700 900xxx is not among them.
_MOBILE_PREFIXES = tuple(
    f"07{p}"
    for p in (723, 812, 956, 403, 535, 852, 469, 588, 123, 340, 400, 440, 508, 743, 760, 817, 878, 930, 961)
)


def make_mobile(rng: random.Random) -> tuple[str, str]:
    national = rng.choice(_MOBILE_PREFIXES) + _digits(rng, 6)
    style = rng.random()
    if style < 0.45:
        written = f"{national[:5]} {national[5:]}"
    elif style < 0.65:
        written = national
    elif style < 0.78:
        written = f"{national[:5]} {national[5:8]} {national[8:]}"
    elif style < 0.90:
        written = f"+44 {national[1:5]} {national[5:]}"
    else:
        written = f"+44 (0){national[1:5]} {national[5:]}"
    return national, written


# --- people --------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Family:
    """The adults behind a pupil, for greetings and contact addresses."""

    title: str
    first: str
    last: str
    email: str
    mobile: str
    children: tuple[str, ...]  # UPNs


_WEBMAIL = (
    ("gmail.com", 0.42),
    ("hotmail.co.uk", 0.16),
    ("yahoo.co.uk", 0.08),
    ("outlook.com", 0.10),
    ("icloud.com", 0.09),
    ("btinternet.com", 0.05),
    ("live.co.uk", 0.04),
    ("sky.com", 0.03),
    ("aol.com", 0.02),
    ("googlemail.com", 0.01),
)


def ascii_fold(text: str) -> str:
    for special, plain in (
        ("ł", "l"),
        ("Ł", "L"),
        ("ı", "i"),
        ("ø", "o"),
        ("Ø", "O"),
        ("æ", "ae"),
        ("ß", "ss"),
    ):
        text = text.replace(special, plain)
    folded = unicodedata.normalize("NFKD", text)
    return "".join(c for c in folded if c.isascii())


def _local(text: str) -> str:
    return re.sub(r"[^a-z0-9.-]", "", ascii_fold(text).lower().replace(" ", ""))


def _pick_background(rng: random.Random) -> Background:
    return rng.choices(BACKGROUNDS, weights=[b.weight for b in BACKGROUNDS])[0]


_YEAR_GROUPS = ("N", "R", "1", "2", "3", "4", "5", "6")
_CLASS_TREES = ("Ash", "Beech", "Cedar", "Elm", "Hazel", "Oak", "Rowan", "Willow")


def year_label(year_group: str) -> str:
    return {"N": "Nursery", "R": "Reception"}.get(year_group, f"Year {year_group}")


def class_of(pupil: Pupil) -> str:
    tree = _CLASS_TREES[int(hashlib.sha256(pupil.upn.encode()).hexdigest(), 16) % len(_CLASS_TREES)]
    return (
        f"{pupil.year_group} {tree}"
        if pupil.year_group not in ("N", "R")
        else f"{year_label(pupil.year_group)} {tree}"
    )


@dataclass(frozen=True)
class Population:
    """The roster, the directory, each pupil's family (by UPN) and each member of staff's job."""

    roster: Roster
    directory: Directory
    families: dict[str, Family]
    jobs: dict[str, str]


def make_people(seed: int = SEED, pupils: int = 2000) -> Population:
    """A roster of `pupils` pupils in families, and the staff directory of the school."""
    rng = random.Random(f"aupguard-bench:{seed}:people")  # noqa: S311 (test data, not secrets)
    roster: list[Pupil] = []
    families: dict[str, Family] = {}
    serials: Counter[int] = Counter()
    used_emails: set[str] = set()
    while len(roster) < pupils:
        background = _pick_background(rng)
        surname = rng.choice(background.surnames)
        if rng.random() < 0.05:  # double-barrelled
            surname = f"{surname}-{rng.choice(_pick_background(rng).surnames)}"
        parent_background = background if rng.random() < 0.9 else _pick_background(rng)
        parent_first = rng.choice(parent_background.adults)
        title = rng.choices(("Mrs", "Ms", "Mr", "Miss", "Dr"), weights=(45, 15, 30, 7, 3))[0]
        parent_last = surname if rng.random() < 0.85 else rng.choice(parent_background.surnames)
        domain = rng.choices([d for d, _ in _WEBMAIL], weights=[w for _, w in _WEBMAIL])[0]
        style = rng.random()
        if style < 0.35:
            local = f"{_local(parent_first)}.{_local(parent_last)}"
        elif style < 0.55:
            local = f"{_local(parent_first)[0]}.{_local(parent_last)}"
        elif style < 0.7:
            local = f"{_local(parent_last)}.family"
        elif style < 0.85:
            local = f"{_local(parent_first)}{_local(parent_last)}{rng.randint(1, 99)}"
        else:
            local = f"{_local(parent_first)}{rng.randint(1975, 1995)}"
        email = f"{local}@{domain}"
        while email in used_emails:
            email = f"{local}{rng.randint(1, 999)}@{domain}"
        used_emails.add(email)
        children: list[str] = []
        for _ in range(rng.choices((1, 2, 3), weights=(70, 25, 5))[0]):
            if len(roster) >= pupils:
                break
            year_group = rng.choice(_YEAR_GROUPS)
            entry = min(2026 - _YEAR_GROUPS.index(year_group), 2025)  # the September they started
            serials[entry] += 1
            upn = make_upn("317", "2016", entry, serials[entry])
            first_background = background if rng.random() < 0.92 else _pick_background(rng)
            girl = rng.random() < 0.5
            first = rng.choice(first_background.girls if girl else first_background.boys)
            if rng.random() < 0.03:  # a hyphenated or two-part first name
                first = f"{first}-{rng.choice(first_background.girls if girl else first_background.boys)}"
            preferred = PREFERRED.get(first, "") if rng.random() < 0.6 else ""
            contacts = [email]
            if rng.random() < 0.35:
                other_first = rng.choice(parent_background.adults)
                second = f"{_local(other_first)}.{_local(surname)}@{rng.choice(['gmail.com', 'outlook.com'])}"
                if second not in used_emails:
                    used_emails.add(second)
                    contacts.append(second)
            roster.append(
                Pupil(
                    upn=upn,
                    first_name=first,
                    last_name=surname,
                    preferred_name=preferred,
                    year_group=year_group,
                    school=SCHOOL,
                    contact_emails=tuple(contacts),
                )
            )
            children.append(upn)
        mobile = make_mobile(rng)[1]
        family = Family(title, parent_first, parent_last, email, mobile, tuple(children))
        for upn in children:
            families[upn] = family
    directory, jobs = _make_directory(rng)
    return Population(Roster(tuple(roster), source="generated"), directory, families, jobs)


def _staff_address(first: str, last: str, used: set[str]) -> str:
    base = f"{_local(first)[0]}.{_local(last).replace(chr(39), '')}"
    address = f"{base}@{DOMAIN}"
    n = 1
    while address in used:
        n += 1
        address = f"{base}{n}@{DOMAIN}"
    used.add(address)
    return address


_STAFF_ROLES = (
    ("headteacher", ("staff", "headteacher", "senior_leader", "line_manager")),
    ("deputy", ("staff", "senior_leader", "line_manager", "dpl")),
    ("assistant_head", ("staff", "senior_leader", "line_manager")),
    ("assistant_head", ("staff", "senior_leader", "line_manager")),
    ("senco", ("staff", "line_manager")),
    ("business_manager", ("staff", "coo", "line_manager")),
    ("it_support", ("staff", "it_support")),
    ("office", ("staff",)),
    ("office", ("staff",)),
    ("office", ("staff",)),
    ("attendance", ("staff",)),
    ("premises", ("staff",)),
)


def _make_directory(rng: random.Random) -> tuple[Directory, dict[str, str]]:
    """The directory, and each person's job (which decides what they write about)."""
    used: set[str] = set()
    staff: list[StaffMember] = []
    jobs: dict[str, str] = {}
    posts = [*_STAFF_ROLES, *(("teacher", ("staff",)),) * 32, *(("ta", ("staff",)),) * 34]
    head = ""
    for job, roles in posts:
        background = _pick_background(rng)
        first, last = rng.choice(background.adults), rng.choice(background.surnames)
        address = _staff_address(first, last, used)
        personal_email = ""
        if rng.random() < 0.2:
            webmail = rng.choice(["gmail.com", "hotmail.co.uk"])
            personal_email = f"{_local(first)}.{_local(last)}{rng.randint(70, 99)}@{webmail}"
        personal_mobile = make_mobile(rng)[0] if rng.random() < 0.15 else ""
        staff.append(
            StaffMember(
                email=address,
                first_name=first,
                last_name=last,
                roles=roles,
                school=SCHOOL,
                line_manager=head,
                start_date=dt.date(rng.randint(2005, 2025), 9, 1),
                personal_email=personal_email,
                personal_mobile=personal_mobile,
                account_kind="person",
            )
        )
        jobs[address] = job
        head = head or address
    for local, kind in (
        ("office", "group"),
        ("admin", "group"),
        ("senco", "group"),
        ("noreply", "generic_inbound"),
    ):
        staff.append(
            StaffMember(
                email=f"{local}@{DOMAIN}", first_name="", last_name="", school=SCHOOL, account_kind=kind
            )
        )
    return Directory(tuple(staff), source="generated"), jobs


# --- one message -----------------------------------------------------------------------------------

# How often a message about each topic names pupils in full (otherwise first names or initials).
_FULL_NAMES = {
    "trip": 0.15,
    "report": 0.45,
    "meeting": 0.12,
    "safeguarding": 0.6,
    "sen": 0.55,
    "invoice": 0.0,
    "hr": 0.0,
    "admissions": 0.6,
    "attendance": 0.45,
    "medical": 0.5,
    "parents": 0.04,
    "admin": 0.08,
}

# Topic -> kind -> probability that the body carries one (IDENTIFIER_SENTENCES, DECOY_SENTENCES).
_RATES: dict[str, dict[str, float]] = {
    "trip": {CARD: 0.08, MOBILE: 0.25, "order16": 0.02},
    "report": {UPN: 0.02},
    "meeting": {MOBILE: 0.05},
    "safeguarding": {NHS: 0.15, UPN: 0.1, MOBILE: 0.15, "ref10": 0.3},
    "sen": {NHS: 0.15, UPN: 0.25, "ref10": 0.08},
    "invoice": {CARD: 0.18, "order16": 0.45, "ref10": 0.15},
    "hr": {NINO: 0.5, MOBILE: 0.3},
    "admissions": {UPN: 0.5, "ref10": 0.05},
    "attendance": {CARD: 0.01, MOBILE: 0.1, "ref10": 0.05},
    "medical": {NHS: 0.35, MOBILE: 0.15},
    "parents": {CARD: 0.015, MOBILE: 0.03, "order16": 0.01},
    "admin": {MOBILE: 0.05, "order16": 0.03, "ref10": 0.05},
}

_SENDER_JOBS = {
    "trip": ("teacher", "teacher", "ta", "office"),
    "report": ("teacher", "teacher", "assistant_head", "deputy"),
    "meeting": ("headteacher", "deputy", "assistant_head", "teacher"),
    "safeguarding": ("deputy", "deputy", "headteacher"),
    "sen": ("senco",),
    "invoice": ("business_manager", "office"),
    "hr": ("business_manager", "headteacher"),
    "admissions": ("office",),
    "attendance": ("attendance", "office"),
    "medical": ("office", "senco"),
    "parents": ("headteacher", "office", "teacher"),
    "admin": ("deputy", "it_support", "premises", "assistant_head", "office"),
}

# Topic -> attachments it may carry: (file kind, content).
_ATTACHMENTS: dict[str, tuple[tuple[str, str], ...]] = {
    "trip": (("csv", "payments"), ("xlsx", "payments"), ("pdf", "letter"), ("docx", "risk")),
    "report": (("docx", "report"),),
    "meeting": (("docx", "agenda"), ("pdf", "minutes")),
    "safeguarding": (("docx", "chronology"),),
    "sen": (("docx", "review"), ("csv", "sen_register")),
    "invoice": (("pdf", "invoice"), ("xlsx", "order")),
    "hr": (("docx", "starter"), ("pdf", "contract")),
    "admissions": (("csv", "transfer"), ("pdf", "letter")),
    "attendance": (("xlsx", "attendance"), ("csv", "attendance")),
    "medical": (("xlsx", "medical"), ("docx", "ihp")),
    "parents": (("pdf", "newsletter"), ("pdf", "letter")),
    "admin": (("xlsx", "cover"), ("docx", "agenda")),
}

_PLACES = (
    "the Natural History Museum",
    "Kew Gardens",
    "Hainault Forest Country Park",
    "the Science Museum",
    "Colchester Zoo",
    "Mersea Island",
    "Kentwell Hall",
    "the British Museum",
    "the London Wetland Centre",
    "Epping Forest Field Centre",
    "Hampton Court Palace",
    "the Tower of London",
    "Valentines Mansion",
    "the Polka Theatre",
    "PGL Windmill Hill",
    "the Museum of London Docklands",
    "Woburn Safari Park",
)
_COMPANIES = ("Bright Coaches Ltd", "Atlas Coaches", "Redbridge Community Transport", "Essex Travel Coaches")
_SUPPLIERS = (
    ("Crown Stationers", "crownstationers.co.uk"),
    ("YPO", "ypo.co.uk"),
    ("Hope Education", "hope-education.co.uk"),
    ("Eduzone", "eduzone.co.uk"),
    ("Bright Coaches Ltd", "brightcoaches.co.uk"),
    ("Juniper Education", "junipereducation.org"),
    ("Wilco Cleaning Services", "wilcocleaning.co.uk"),
    ("TTS Group", "tts-group.co.uk"),
    ("Rainbow Catering", "rainbowcatering.co.uk"),
)
_ITEMS = (
    "A4 exercise books (pack of 50)",
    "Whiteboard pens, black (box of 100)",
    "Glue sticks 40g (pack of 30)",
    "Reading scheme books, band 7",
    "PE bibs, assorted (set of 20)",
    "Laminating pouches A4",
    "Coloured pencils (class pack)",
    "Maths manipulatives kit",
    "Printer toner HP 305A",
    "Hand towels (case)",
)
_ROOMS = (
    "Room 6",
    "the hall",
    "the ICT suite",
    "the library",
    "Room 12",
    "the studio",
    "the Year 3 corridor",
    "the staffroom",
)
_EVENTS = (
    "the summer fair",
    "Sports Day",
    "the Year 6 leavers' assembly",
    "the Christmas concert",
    "the Harvest festival",
    "Science Week",
)
_TOPIC_WORDS = (
    ("the Romans", "history"),
    ("the water cycle", "geography"),
    ("plants", "science"),
    ("the Great Fire of London", "history"),
    ("rivers", "geography"),
    ("electricity", "science"),
    ("the Ancient Egyptians", "history"),
    ("the rainforest", "geography"),
)
_OTHER_SCHOOLS = (
    "Oakwood Primary School",
    "Valentines High School",
    "Parkhill Junior School",
    "Gearies Primary School",
    "Cranbrook Primary School",
    "Newbury Park Primary School",
)
_LANGUAGES = (
    "English",
    "Urdu",
    "Polish",
    "Romanian",
    "Bengali",
    "Punjabi",
    "Yoruba",
    "Twi",
    "Somali",
    "Portuguese",
    "Tamil",
)
_GP = (
    "Valentines Medical Centre",
    "Cranbrook Surgery",
    "Ley Street Medical Practice",
    "Newbury Group Practice",
)
_MONTHS = (
    "September",
    "October",
    "November",
    "December",
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
)
_LONDON_SUMMER = (
    (dt.date(2025, 3, 30), dt.date(2025, 10, 26)),
    (dt.date(2026, 3, 29), dt.date(2026, 10, 25)),
)


def _london(when: dt.datetime) -> dt.datetime:
    """A naive London wall-clock time with its offset (BST in summer), without needing tzdata."""
    summer = any(start <= when.date() < end for start, end in _LONDON_SUMMER)
    return when.replace(tzinfo=dt.timezone(dt.timedelta(hours=1 if summer else 0)))


def _long_date(day: dt.date) -> str:
    return f"{day.strftime('%A')} {day.day} {day.strftime('%B')}"


class _Slots(dict[str, str]):
    """Template slots, filled on first use and then fixed for the rest of the message."""

    def __init__(self, writer: _Writer) -> None:
        super().__init__()
        self.writer = writer

    def __missing__(self, key: str) -> str:
        value = self.writer.slot(key)
        self[key] = value
        return value


@dataclass
class _Attachment:
    filename: str
    kind: str
    data: bytes
    text: str


class _Writer:
    """Writes message `index`: every choice comes from one random stream seeded with (seed, index)."""

    def __init__(
        self, index: int, seed: int, people: Population, staff_by_job: dict[str, list[StaffMember]]
    ) -> None:
        self.index = index
        self.rng = random.Random(f"aupguard-bench:{seed}:message:{index}")  # noqa: S311 (test data)
        self.people = people
        self.staff_by_job = staff_by_job
        self.persons = [s for s in people.directory if s.account_kind == "person"]
        self.planted: dict[tuple[str, str], Planted] = {}
        self.slots = _Slots(self)
        rng = self.rng
        self.topic = rng.choices(list(prose.TOPICS), weights=list(prose.TOPICS.values()))[0]
        self.full_names = rng.random() < _FULL_NAMES[self.topic]
        self.sender = rng.choice(staff_by_job[rng.choice(_SENDER_JOBS[self.topic])])
        self.child = rng.choice(people.roster.pupils)
        self.family = people.families[self.child.upn]
        start = dt.date(2025, 9, 3)
        day = start + dt.timedelta(days=rng.randint(0, 320))
        while day.weekday() >= 5:
            day += dt.timedelta(days=1)
        self.when = _london(
            dt.datetime.combine(day, dt.time(rng.randint(7, 18), rng.randint(0, 59), rng.randint(0, 59)))
        )

    # --- planting -------------------------------------------------------------------------------

    def plant(self, kind: str, value: str, written: str) -> str:
        self.planted.setdefault((kind, value), Planted(kind, value, written))
        return written

    def identifier(self, kind: str) -> str:
        maker = {CARD: make_card, NHS: make_nhs, NINO: make_nino, MOBILE: make_mobile}[kind]
        value, written = maker(self.rng)
        return self.plant(kind, value, written)

    def decoy(self, kind: str) -> str:
        value, written = (make_order16 if kind == DECOY_CARD else make_ref10)(self.rng)
        return self.plant(kind, value, written)

    def pupil_name(self, pupil: Pupil, *, surname_first: bool = False, full: bool = True) -> str:
        """A pupil as a message writes them; planted when written in full."""
        first = pupil.preferred_name if pupil.preferred_name and self.rng.random() < 0.5 else pupil.first_name
        if not full:
            if self.rng.random() < 0.65:
                return first
            return f"{ascii_fold(pupil.first_name)[:1]}.{ascii_fold(pupil.last_name)[:1]}."
        if surname_first:
            written = f"{pupil.last_name}, {first}"
        elif self.rng.random() < 0.04:
            written = f"{pupil.last_name.upper()} {first}"
        else:
            written = f"{first} {pupil.last_name}"
        return self.plant(PUPIL_NAME, pupil.upn, written)

    def other_pupil(self, year_group: str | None = None) -> Pupil:
        pool = self.people.roster.pupils
        while True:
            pupil = self.rng.choice(pool)
            if year_group is None or pupil.year_group == year_group:
                return pupil

    # --- slots ----------------------------------------------------------------------------------

    def later(self, days: int) -> dt.date:
        day = self.when.date() + dt.timedelta(days=self.rng.randint(1, days))
        while day.weekday() >= 5:
            day += dt.timedelta(days=1)
        return day

    def slot(self, key: str) -> str:
        rng, slots = self.rng, self.slots
        if key == "child":
            return self.pupil_name(self.child, full=self.full_names)
        if key == "child_first":
            return self.child.preferred_name or self.child.first_name
        if key == "parent":
            return f"{self.family.title} {self.family.last}"
        if key == "parent_first":
            return self.family.first
        if key in ("staff", "staff2"):
            member = rng.choice(self.persons)
            return f"{member.first_name} {member.last_name}"
        if key == "dsl":
            member = self.staff_by_job["deputy"][0]
            return f"{member.first_name} {member.last_name}"
        if key == "head_title":
            return "the Headteacher"
        if key == "year":
            return year_label(self.child.year_group)
        if key == "year2":
            return year_label(rng.choice(_YEAR_GROUPS[2:]))
        if key == "class":
            return class_of(self.child)
        if key in ("date", "date2"):
            return _long_date(self.later(21 if key == "date" else 10))
        if key in ("time", "time2"):
            hour, minute = rng.choice((8, 9, 10, 11, 13, 14, 15)), rng.choice((0, 15, 30, 45))
            return f"{hour if hour <= 12 else hour - 12}.{minute:02d}{'am' if hour < 12 else 'pm'}"
        if key in ("amount", "amount2", "amount3"):
            pounds = rng.choice((2, 3, 5, 8, 12, 15, 18, 25, 45, 60, 120, 240, 380))
            return f"£{pounds}.{rng.choice(('00', '50', '75', '99'))}"
        if key in ("qty", "qty2"):
            return str(rng.choice((1, 2, 3, 5, 10, 12, 20, 30)))
        if key == "place":
            return rng.choice(_PLACES)
        if key == "company":
            return rng.choice(_COMPANIES)
        if key == "supplier":
            return rng.choice(_SUPPLIERS)[0]
        if key == "invoice_no":
            return rng.choice(("INV-", "SI-", "")) + f"{rng.randint(1000, 99999):05d}"
        if key == "po_no":
            return f"PO{rng.randint(10000, 29999)}"
        if key in ("item_a", "item_b"):
            return rng.choice(_ITEMS)
        if key == "sort_code":
            return f"{rng.randint(10, 99)}-{rng.randint(10, 99)}-{rng.randint(10, 99)}"
        if key == "account_no":
            return _digits(rng, 8)
        if key == "budget_code":
            return f"E{rng.randint(1, 27):02d} / {rng.randint(4000, 4999)}"
        if key == "month":
            return self.when.strftime("%B")
        if key == "academic_year":
            return "2026/27"
        if key == "event":
            return rng.choice(_EVENTS)
        if key == "term":
            return rng.choice(("autumn term", "spring term", "summer term"))
        if key == "room":
            return rng.choice(_ROOMS)
        if key in ("topic_word", "subject_area"):
            topic_word, area = rng.choice(_TOPIC_WORDS)
            slots["topic_word"], slots["subject_area"] = topic_word, area
            return topic_word if key == "topic_word" else area
        if key == "other_school":
            return rng.choice(_OTHER_SCHOOLS)
        if key == "language":
            return rng.choice(_LANGUAGES)
        if key == "gp_practice":
            return rng.choice(_GP)
        if key == "dob":
            return self.dob(self.child)
        if key == "percent":
            return f"{rng.uniform(78, 92):.1f}"
        if key == "absences":
            return str(rng.randint(12, 40))
        if key == "unauth":
            return str(rng.randint(2, 11))
        if key == "landline":
            return f"020 85{rng.randint(10, 99)} {rng.randint(1000, 9999)}"
        if key == "card_expiry":
            return f"{rng.randint(1, 12):02d}/{rng.randint(26, 31)}"
        if key == "card":
            return self.identifier(CARD)
        if key == "nhs":
            return self.identifier(NHS)
        if key == "nino":
            return self.identifier(NINO)
        if key == "mobile":
            return self.identifier(MOBILE)
        if key == "upn":
            return self.plant(UPN, self.child.upn, self.child.upn)
        if key == "order16":
            return self.decoy(DECOY_CARD)
        if key == "ref10":
            return self.decoy(DECOY_NHS)
        if key == "to_first":
            return "all"
        raise KeyError(key)

    def dob(self, pupil: Pupil) -> str:
        # Reception in 2025/26 were born between September 2020 and August 2021.
        day = dt.date(2021 - _YEAR_GROUPS.index(pupil.year_group), 9, 1) + dt.timedelta(
            days=self.rng.randint(0, 364)
        )
        return day.strftime("%d/%m/%Y")

    def fill(self, template: str) -> str:
        return template.format_map(self.slots)

    # --- who it goes to ---------------------------------------------------------------------------

    def person_at(self, domain: str) -> tuple[str, str, str]:
        background = _pick_background(self.rng)
        first, last = self.rng.choice(background.adults), self.rng.choice(background.surnames)
        return f"{first} {last}", f"{_local(first)}.{_local(last)}@{domain}", first

    def colleague(self) -> tuple[str, str, str]:
        member = self.rng.choice(self.persons)
        while member.email == self.sender.email:
            member = self.rng.choice(self.persons)
        return f"{member.first_name} {member.last_name}", member.email, member.first_name

    def parent_of(self, pupil: Pupil) -> tuple[str, str, str]:
        family = self.people.families[pupil.upn]
        email = family.email
        if self.rng.random() < 0.01:  # the wrong family's address: what email.misdirected is for
            email = self.people.families[self.other_pupil().upn].email
        return f"{family.first} {family.last}", email, f"{family.title} {family.last}"

    def recipients(self) -> tuple[str, list[tuple[str, str, str]], list[tuple[str, str, str]]]:
        """(audience, To, Cc); each recipient is (display name, address, name for the greeting)."""
        rng, topic, r = self.rng, self.topic, self.rng.random()
        staff: tuple[str, list[tuple[str, str, str]], list[tuple[str, str, str]]] = (
            "staff",
            [self.colleague() for _ in range(rng.choice((1, 1, 2, 3)))],
            [self.colleague()] if rng.random() < 0.3 else [],
        )
        parent = ("parent", [self.parent_of(self.child)], [])
        la = LA_DOMAIN
        if topic in ("report", "admin"):
            return staff
        if topic == "trip":
            if r < 0.5:
                return parent
            if r < 0.8:
                return staff
            name, domain = rng.choice((_SUPPLIERS[4], ("Atlas Coaches", "atlascoaches.co.uk")))
            return "external", [(name, f"bookings@{domain}", "Bookings team")], []
        if topic == "meeting":
            if r < 0.55:
                return staff
            if r < 0.8:
                return parent
            governors = [
                self.person_at(rng.choice(("gmail.com", "btinternet.com", "outlook.com")))
                for _ in range(rng.randint(2, 6))
            ]
            return "external", governors, [self.colleague()]
        if topic == "safeguarding":
            to = [("MASH", f"mash@{la}", "MASH team")] if r < 0.6 else [self.person_at(la)]
            head = self.staff_by_job["headteacher"][0]
            return "external", to, [(f"{head.first_name} {head.last_name}", head.email, "")]
        if topic == "sen":
            if r < 0.4:
                return "external", [("SEN Team", f"sen.team@{la}", "SEN team")], []
            if r < 0.6:
                return "external", [self.person_at(la)], []
            if r < 0.8:
                return "external", [self.person_at("nelft.nhs.uk")], []
            return parent
        if topic == "invoice":
            name, domain = rng.choice(_SUPPLIERS)
            if r < 0.6:
                return "external", [(f"{name} Accounts", f"accounts@{domain}", "Accounts team")], []
            return staff
        if topic == "hr":
            if r < 0.5:
                return "external", [self.person_at("schoolspayroll.co.uk")], []
            if r < 0.8:
                return "external", [("HR Services", f"hr.services@{la}", "HR team")], []
            return staff
        if topic == "admissions":
            if r < 0.5:
                school = rng.choice(_OTHER_SCHOOLS)
                domain = re.sub(r"[^a-z]", "", school.lower().replace("school", "")) + ".redbridge.sch.uk"
                return "external", [(f"{school} Office", f"admin@{domain}", "colleagues")], []
            return "external", [("School Admissions", f"admissions@{la}", "Admissions team")], []
        if topic == "attendance":
            if r < 0.5:
                return parent
            if r < 0.8:
                return "external", [self.person_at(la)], []
            return staff
        if topic == "medical":
            if r < 0.4:
                return "external", [("School Nursing", "school.nursing@nhs.net", "School Nursing team")], []
            if r < 0.8:
                return parent
            return staff
        # Letters to parents: one family, the year group's list, or (a mistake) several families in view.
        if r < 0.7:
            return parent
        if r < 0.9:
            year = year_label(self.child.year_group).lower().replace(" ", "")
            return (
                "staff",
                [(f"{year_label(self.child.year_group)} Parents", f"{year}parents@{DOMAIN}", "")],
                [],
            )
        return "parent", [self.parent_of(self.other_pupil()) for _ in range(rng.randint(2, 6))], []

    # --- what it says -----------------------------------------------------------------------------

    _JOB_TITLES: ClassVar[dict[str, str]] = {
        "headteacher": "Headteacher",
        "deputy": "Deputy Headteacher | Designated Safeguarding Lead",
        "assistant_head": "Assistant Headteacher",
        "senco": "SENCo",
        "business_manager": "School Business Manager",
        "it_support": "IT Technician",
        "office": "School Office",
        "attendance": "Attendance Officer",
        "premises": "Site Manager",
        "teacher": "Class Teacher",
        "ta": "Teaching Assistant",
    }

    def signature(self, member: StaffMember) -> str:
        rng = self.rng
        job = self.people.jobs.get(member.email, "teacher")
        lines = [f"{member.first_name} {member.last_name}", self._JOB_TITLES[job]]
        if job == "teacher":
            lines[1] += f" – {class_of(self.child)}"
        lines += [SCHOOL, "Wells Road, Ilford IG1 3SG", f"Tel: 020 8554 {rng.randint(1000, 9999)}"]
        if rng.random() < 0.08:
            lines.append(f"Mobile: {self.identifier(MOBILE)}")
        if rng.random() < 0.5:
            lines.append(f"Email: {member.email}")
        if rng.random() < 0.4:
            lines.append("www.wellsprimary.org.uk | Follow us on X @WellsPrimary")
        if rng.random() < 0.15:
            lines.append("I work Monday to Wednesday; please allow time for a reply.")
        return "\n".join(lines)

    def planted_sentences(self) -> list[str]:
        out = []
        for kind, probability in _RATES[self.topic].items():
            if self.rng.random() < probability:
                pool = prose.DECOY_SENTENCES.get(kind) or prose.IDENTIFIER_SENTENCES[kind]
                out.append(self.fill(self.rng.choice(pool)))
        return out

    def paragraphs(self, target: int, *, with_planted: bool) -> list[str]:
        """Greeting, intro, middle paragraphs up to about `target` characters, closing."""
        rng, topic = self.rng, self.topic
        audience = self.audience
        greeting = self.fill(rng.choice(prose.GREETINGS[audience]))
        out = [greeting, self.fill(rng.choice(prose.INTROS[topic]))]
        size = sum(len(p) + 2 for p in out) + 400
        topic_pool = list(prose.BODY[topic])
        rng.shuffle(topic_pool)
        # A few of the sentences every school email has, one to three to a paragraph.
        generic = [self.fill(g) for g in rng.sample(prose.GENERIC, rng.randint(1, 5))]
        while size < target and (topic_pool or generic):
            if topic_pool and (rng.random() < 0.75 or not generic):
                out.append(self.fill(topic_pool.pop()))
            else:
                take = rng.randint(1, 3)
                out.append(" ".join(generic[:take]))
                del generic[:take]
            size += len(out[-1]) + 2
        if with_planted:
            for sentence in self.planted_sentences():
                out.insert(rng.randint(2, len(out)), sentence)
        out.append(self.fill(rng.choice(prose.CLOSINGS)))
        return out

    def quoted(self, subject: str, target: int) -> str:
        """An earlier message in the thread, quoted the way Outlook or Gmail quote it."""
        rng = self.rng
        name, address, _ = self.to[0] if self.to else self.colleague()
        when = self.when - dt.timedelta(hours=rng.randint(2, 120))
        earlier = "\n\n".join(self.paragraphs(target, with_planted=False)) + f"\n\n{name}"
        if rng.random() < 0.6:
            header = (
                f"From: {name} <{address}>\nSent: {when.strftime('%d %B %Y %H:%M')}\n"
                f"To: {self.sender.first_name} {self.sender.last_name} <{self.sender.email}>\n"
                f"Subject: {subject}"
            )
            return f"________________________________\n{header}\n\n{earlier}"
        lines = "\n".join(f"> {line}" if line else ">" for line in earlier.split("\n"))
        return f"On {when.strftime('%a, %d %b %Y at %H:%M')}, {name} <{address}> wrote:\n{lines}"

    def body_target(self) -> int:
        r = self.rng.random()
        if r < 0.12:
            return self.rng.randint(350, 1000)
        if r < 0.90:
            return int(min(6000, max(1000, self.rng.lognormvariate(math.log(2600), 0.45))))
        if r < 0.98:
            return self.rng.randint(6000, 12000)
        return self.rng.randint(12000, 30000)

    # --- attachments ------------------------------------------------------------------------------

    def year_pupils(self, low: int, high: int) -> list[Pupil]:
        group = [p for p in self.people.roster.pupils if p.year_group == self.child.year_group]
        chosen = self.rng.sample(group, min(len(group), self.rng.randint(low, high)))
        return sorted(chosen, key=lambda p: (ascii_fold(p.last_name), ascii_fold(p.first_name)))

    def attachment(self, kind: str, content: str) -> _Attachment:
        rng, author = self.rng, f"{self.sender.first_name} {self.sender.last_name}"
        year = year_label(self.child.year_group)
        header: list[str]
        rows: list[list[str]]
        title = ""
        paragraphs: list[str] = []
        table: tuple[list[str], list[list[str]]] | None = None
        if content == "payments":
            header = ["Surname", "Forename", "Class", "Consent", "Paid", "Amount", "Notes"]
            rows = []
            for p in self.year_pupils(18, 30):
                self.plant(PUPIL_NAME, p.upn, f"{p.last_name},{p.first_name}")
                paid = rng.random() < 0.8
                note = rng.choice(
                    ("", "", "", "inhaler", "packed lunch from school", "EpiPen", "needs a helper")
                )
                rows.append(
                    [
                        p.last_name,
                        p.first_name,
                        class_of(p),
                        "Y" if rng.random() < 0.9 else "N",
                        "Y" if paid else "N",
                        "12.50" if paid else "0.00",
                        note,
                    ]
                )
            name = f"{year} trip payments"
        elif content == "sen_register":
            header = ["UPN", "Surname", "Forename", "Year", "Primary need", "SEN status", "Review date"]
            rows = []
            for p in rng.sample(self.people.roster.pupils, rng.randint(8, 24)):
                self.plant(UPN, p.upn, p.upn)
                self.plant(PUPIL_NAME, p.upn, f"{p.last_name},{p.first_name}")
                rows.append(
                    [
                        p.upn,
                        p.last_name,
                        p.first_name,
                        p.year_group,
                        rng.choice(("SLCN", "SEMH", "ASD", "MLD", "SpLD", "PD", "HI")),
                        rng.choice(("K", "K", "K", "E")),
                        _long_date(self.later(60)),
                    ]
                )
            name = "SEN register spring 2026"
        elif content == "transfer":
            header = ["UPN", "Surname", "Forename", "DOB", "Year", "Leaving date", "Destination"]
            rows = []
            for p in [self.child] + [self.other_pupil() for _ in range(rng.randint(0, 5))]:
                self.plant(UPN, p.upn, p.upn)
                self.plant(PUPIL_NAME, p.upn, f"{p.last_name},{p.first_name}")
                rows.append(
                    [
                        p.upn,
                        p.last_name,
                        p.first_name,
                        self.dob(p),
                        p.year_group,
                        self.later(30).strftime("%d/%m/%Y"),
                        rng.choice(_OTHER_SCHOOLS),
                    ]
                )
            name = "Leavers and transfers"
        elif content == "attendance":
            header = ["Surname", "Forename", "Class", "Attendance %", "Sessions missed", "Unauthorised"]
            rows = []
            for p in self.year_pupils(8, 20):
                self.plant(PUPIL_NAME, p.upn, f"{p.last_name},{p.first_name}")
                rows.append(
                    [
                        p.last_name,
                        p.first_name,
                        class_of(p),
                        f"{rng.uniform(70, 91):.1f}",
                        str(rng.randint(10, 60)),
                        str(rng.randint(0, 20)),
                    ]
                )
            name = f"Attendance below 90% {year}"
        elif content == "medical":
            header = ["Surname", "Forename", "Class", "NHS number", "Condition", "Medication", "Kept in"]
            rows = []
            for p in self.year_pupils(6, 15):
                self.plant(PUPIL_NAME, p.upn, f"{p.last_name},{p.first_name}")
                nhs = self.identifier(NHS) if rng.random() < 0.6 else ""
                rows.append(
                    [
                        p.last_name,
                        p.first_name,
                        class_of(p),
                        nhs,
                        rng.choice(
                            ("Asthma", "Nut allergy", "Epilepsy", "Type 1 diabetes", "Eczema", "Egg allergy")
                        ),
                        rng.choice(
                            (
                                "Salbutamol inhaler",
                                "EpiPen x2",
                                "Buccal midazolam",
                                "Insulin pen",
                                "Cream",
                                "Piriton",
                            )
                        ),
                        rng.choice(("Class medical bag", "Office", "Staffroom fridge")),
                    ]
                )
            name = f"Medical register {class_of(self.child)}"
        elif content == "cover":
            header = ["Day", "Session", "Class", "Absent", "Cover", "Room"]
            rows = [
                [
                    rng.choice(("Mon", "Tue", "Wed", "Thu", "Fri")),
                    rng.choice(("AM", "PM")),
                    class_of(self.other_pupil()),
                    self.slot("staff"),
                    self.slot("staff"),
                    rng.choice(_ROOMS),
                ]
                for _ in range(rng.randint(4, 12))
            ]
            name = f"Cover {self.later(7).strftime('%d-%m-%Y')}"
        elif content == "order":
            header = ["Code", "Description", "Qty", "Unit price", "Line total"]
            rows = []
            for _ in range(rng.randint(3, 12)):
                qty, price = rng.randint(1, 20), rng.choice((1.99, 4.5, 7.25, 12.0, 18.99, 24.5, 42.0))
                rows.append(
                    [
                        f"{rng.choice('ABCDEFGH')}{rng.randint(1000, 9999)}",
                        rng.choice(_ITEMS),
                        str(qty),
                        f"{price:.2f}",
                        f"{qty * price:.2f}",
                    ]
                )
            name = f"Order {self.slot('po_no')}"
        else:
            header, rows = [], []
            title, paragraphs, table, name = self.document(content)

        if kind == "csv":
            data = files.csv_file(header, rows)
            text = data.decode("utf-8-sig")
            filename = f"{name}.csv"
        elif kind == "xlsx":
            data = files.xlsx_file(name, header, rows, author)
            text = "\n".join("\t".join(r) for r in [header, *rows])
            filename = f"{name}.xlsx"
        elif kind == "docx":
            title = title or name
            if header and table is None:
                table = (header, rows)
            data = files.docx_file(title, paragraphs, author, table)
            lines = [title, *paragraphs] + (["\t".join(r) for r in [table[0], *table[1]]] if table else [])
            text = "\n".join(lines)
            filename = f"{name}.docx"
        else:
            title = title or name
            body = [*paragraphs] + (["   ".join(r) for r in [header, *rows]] if header else [])
            data = files.pdf_file(title, body, compress=rng.random() < 0.5, author=author)
            text = "\n".join([title, *body])
            filename = f"{name}.pdf"
        return _Attachment(filename, kind, data, text)

    def document(self, content: str) -> tuple[str, list[str], tuple[list[str], list[list[str]]] | None, str]:
        """(title, paragraphs, table, file name) of a letter, report, form or invoice."""
        rng, child = self.rng, self.child
        full = self.pupil_name(child) if content in ("report", "review", "chronology", "ihp") else ""
        body = list(prose.BODY[self.topic])
        rng.shuffle(body)
        paragraphs = [self.fill(p) for p in body[: rng.randint(3, len(body))]]
        table: tuple[list[str], list[list[str]]] | None = None
        if content == "report":
            return (
                f"End of year report: {full}",
                [f"Class: {class_of(child)}", *paragraphs],
                None,
                f"Report - {child.first_name} {child.last_name}",
            )
        if content == "review":
            facts = [f"Name: {full}", f"Date of birth: {self.dob(child)}"]
            if rng.random() < 0.6:
                facts.append(f"UPN: {self.plant(UPN, child.upn, child.upn)}")
            if rng.random() < 0.3:
                facts.append(f"NHS number: {self.identifier(NHS)}")
            initials = f"{ascii_fold(child.first_name)[:1]}{ascii_fold(child.last_name)[:1]}"
            return "EHCP annual review", facts + paragraphs, None, f"EHCP review {initials}"
        if content == "chronology":
            rows = [
                [
                    self.later(90).strftime("%d/%m/%Y"),
                    rng.choice(
                        (
                            "Late collection",
                            "Disclosure to class teacher",
                            "Bruise noted",
                            "Absent, no contact",
                            "Hungry at breakfast club",
                            "Parent upset at gate",
                        )
                    ),
                    rng.choice(("Logged on CPOMS", "DSL informed", "Call to parent", "Referral to MASH")),
                    self.slot("staff"),
                ]
                for _ in range(rng.randint(4, 14))
            ]
            facts = [f"Child: {full}", f"DOB: {self.dob(child)}"]
            if rng.random() < 0.2:
                facts.append(f"NHS no: {self.identifier(NHS)}")
            return "Safeguarding chronology", facts, (["Date", "Concern", "Action", "By"], rows), "Chronology"
        if content == "ihp":
            facts = [f"Pupil: {full}", f"DOB: {self.dob(child)}", f"Class: {class_of(child)}"]
            if rng.random() < 0.7:
                facts.append(f"NHS number: {self.identifier(NHS)}")
            facts.append(f"Parent contact: {self.slot('parent')}, {self.identifier(MOBILE)}")
            return "Individual healthcare plan", facts + paragraphs, None, "Individual healthcare plan"
        if content == "starter":
            background = _pick_background(rng)
            name = f"{rng.choice(background.adults)} {rng.choice(background.surnames)}"
            fields = [
                ["Name", name],
                [
                    "Address",
                    f"{rng.randint(1, 180)} Cranbrook Road, Ilford "
                    f"IG1 4{rng.choice('ABDEFG')}{rng.choice('HJLNPQ')}",
                ],
                [
                    "Date of birth",
                    f"{rng.randint(1, 28):02d}/{rng.randint(1, 12):02d}/{rng.randint(1970, 2002)}",
                ],
                ["Mobile", self.identifier(MOBILE)],
                ["Start date", _long_date(self.later(30))],
                ["Sort code", self.slot("sort_code")],
                ["Account number", self.slot("account_no")],
            ]
            if rng.random() < 0.8:
                fields.insert(3, ["National Insurance number", self.identifier(NINO)])
            return "New starter form", paragraphs[:1], (["Field", "Value"], fields), "New starter form"
        if content == "contract":
            facts = [f"Employee: {self.slot('staff')}", f"Effective from: {self.slot('date')}"]
            if rng.random() < 0.3:
                facts.append(f"NI number: {self.identifier(NINO)}")
            return "Contract variation", facts + paragraphs, None, "Contract variation"
        if content == "invoice":
            supplier = rng.choice(_SUPPLIERS)[0]
            lines = [
                f"{supplier}",
                "Unit 4, Thames Gateway Park, Dagenham RM9 6SA",
                "VAT reg. GB 284 5521 63",
                f"Invoice number: {self.slot('invoice_no')}",
                f"Invoice date: {self.when.strftime('%d/%m/%Y')}",
                f"Your PO: {self.slot('po_no')}",
                f"Deliver to: {SCHOOL}, Wells Road, Ilford IG1 3SG",
            ]
            if rng.random() < 0.5:
                lines.append(f"Order number: {self.decoy(DECOY_CARD)}")
            total = 0.0
            for _ in range(rng.randint(2, 8)):
                qty, price = rng.randint(1, 12), rng.choice((3.5, 8.99, 12.0, 19.95, 35.0))
                total += qty * price
                lines.append(f"{rng.choice(_ITEMS)}    {qty} x {price:.2f}    {qty * price:.2f}")
            lines += [
                f"Subtotal: {total:.2f}",
                f"VAT @ 20%: {total * 0.2:.2f}",
                f"Total due: {total * 1.2:.2f}",
            ]
            if rng.random() < 0.1:
                lines.append(f"Paid by card: {self.identifier(CARD)}")
            elif rng.random() < 0.4:
                lines.append(f"Paid by card ending {_digits(rng, 4)}")
            return "Invoice", lines, None, f"Invoice {self.slot('invoice_no')}"
        if content in ("agenda", "minutes"):
            return (
                f"{'Agenda' if content == 'agenda' else 'Minutes'}: {self.slot('date')}",
                paragraphs,
                None,
                f"{content.title()} {self.when.strftime('%d.%m.%y')}",
            )
        if content == "risk":
            rows = [
                [hazard, rng.choice(("Low", "Medium")), control]
                for hazard, control in (
                    ("Road crossing at entrance", "Cross in groups at the lights with two adults"),
                    ("Child lost", "Groups of six with a named adult; meeting point agreed"),
                    (
                        "Allergies and medical needs",
                        "Medication carried by first aider; list with trip leader",
                    ),
                    ("Coach travel", "Seatbelts worn; head count on and off"),
                )
            ]
            table = (["Hazard", "Risk", "Control measures"], rows)
            return f"Risk assessment: {self.slot('place')}", paragraphs, table, "Risk assessment"
        if content == "newsletter":
            return (
                f"{SCHOOL} newsletter – {self.when.strftime('%B %Y')}",
                paragraphs,
                None,
                f"Newsletter {self.when.strftime('%B')}",
            )
        return f"Letter to parents – {self.slot('date')}", paragraphs, None, "Letter to parents"

    # --- the message ------------------------------------------------------------------------------

    def build(self) -> GeneratedMessage:
        rng = self.rng
        self.audience, self.to, cc = self.recipients()
        greet = self.to[0][2] or "all"
        self.slots["to_first"] = greet
        if self.audience == "parent":
            self.slots["parent"] = greet
        subject = self.fill(rng.choice(prose.SUBJECTS[self.topic]))
        reply = subject.startswith("RE:") or rng.random() < 0.2
        if reply and not subject.startswith("RE:"):
            subject = f"RE: {subject}"
        elif not reply and rng.random() < 0.03:
            subject = f"FW: {subject}"

        target = self.body_target()
        paragraphs = self.paragraphs(min(target, 4200), with_planted=True)
        paragraphs.append(self.signature(self.sender))
        if rng.random() < 0.6:
            paragraphs.append(prose.DISCLAIMER)
        size = sum(len(p) + 2 for p in paragraphs)
        quotes = []
        while reply or size < target:
            quotes.append(self.quoted(subject.removeprefix("RE: "), min(max(target - size, 600), 4000)))
            size += len(quotes[-1]) + 2
            reply = False
        plain_paragraphs = paragraphs + quotes

        attachments: list[_Attachment] = []
        if rng.random() < 0.15:
            for _ in range(1 if rng.random() < 0.8 else 2):
                kind, content = rng.choice(_ATTACHMENTS[self.topic])
                attachments.append(self.attachment(kind, content))

        body = self.render_plain(plain_paragraphs)
        msg = self.envelope(subject, cc, bool(attachments))
        style = rng.random()
        cte = "base64" if rng.random() < 0.05 else "quoted-printable" if rng.random() < 0.05 else None
        charset = "utf-8"
        if rng.random() < 0.03:
            try:
                body.encode("iso-8859-1")
                charset = "iso-8859-1"
            except UnicodeEncodeError:
                pass
        if style < 0.05:
            msg.set_content(self.render_html(plain_paragraphs), subtype="html", charset="utf-8", cte=cte)
        else:
            msg.set_content(body, charset=charset, cte=cte)
            if style < 0.50:
                msg.add_alternative(self.render_html(plain_paragraphs), subtype="html", charset="utf-8")
        for a in attachments:
            maintype, subtype = {
                "csv": ("text", "csv"),
                "pdf": ("application", "pdf"),
                "docx": ("application", "vnd.openxmlformats-officedocument.wordprocessingml.document"),
                "xlsx": ("application", "vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
            }[a.kind]
            if rng.random() < 0.1:
                maintype, subtype = "application", "octet-stream"
            msg.add_attachment(a.data, maintype=maintype, subtype=subtype, filename=a.filename)

        msg["Content-Language"] = "en-GB"  # after set_content, which drops Content-* headers
        # The email package draws MIME boundaries at random; fixed ones keep the bytes reproducible.
        for n, part in enumerate(p for p in msg.walk() if p.is_multipart()):
            part.set_boundary(f"=_wells_{self.index:05d}_{n}_=")
        parts = [Part("subject", subject), Part("body", body)]
        parts += [Part(f"attachment:{a.filename}", a.text) for a in attachments]
        for part in parts:
            for address in _EMAIL.findall(part.text):
                self.plant(EMAIL, address.lower(), address)
        return GeneratedMessage(
            index=self.index,
            raw=msg.as_bytes(),
            topic=self.topic,
            attachment_kinds=tuple(a.kind for a in attachments),
            parts=tuple(parts),
            planted=tuple(self.planted.values()),
        )

    def envelope(self, subject: str, cc: list[tuple[str, str, str]], attachments: bool) -> EmailMessage:
        rng = self.rng
        msg = EmailMessage(policy=SMTP)
        sender = self.sender
        if self.topic == "parents" and self.people.jobs.get(sender.email) == "office" and rng.random() < 0.4:
            msg["From"] = Address(f"{SCHOOL} Office", addr_spec=f"office@{DOMAIN}")
        else:
            msg["From"] = Address(f"{sender.first_name} {sender.last_name}", addr_spec=sender.email)
        msg["To"] = [Address(name, addr_spec=address) for name, address, _ in self.to]
        if cc:
            msg["Cc"] = [Address(name, addr_spec=address) for name, address, _ in cc]
        msg["Subject"] = subject
        msg["Date"] = format_datetime(self.when)
        msg["Message-ID"] = f"<{self.index:05d}.{hashlib.sha256(subject.encode()).hexdigest()[:12]}@{DOMAIN}>"
        if subject.startswith("RE:"):
            ref = f"<{hashlib.sha256(subject[4:].encode()).hexdigest()[:16]}@{DOMAIN}>"
            msg["In-Reply-To"] = ref
            msg["References"] = ref
        msg["X-Mailer"] = rng.choice(
            ("Microsoft Outlook 16.0", "Microsoft Outlook 16.0", "Apple Mail (2.3774)")
        )
        if attachments:
            msg["X-MS-Has-Attach"] = "yes"
        if self.topic == "safeguarding" and rng.random() < 0.5:
            msg["Importance"] = "High"
        return msg

    def render_plain(self, paragraphs: list[str]) -> str:
        if self.rng.random() < 0.5:  # Outlook: one long line per paragraph
            return "\n\n".join(paragraphs) + "\n"
        wrapped = []
        for paragraph in paragraphs:
            lines = []
            for line in paragraph.split("\n"):
                if line.startswith(">"):
                    lines.append(line)
                else:
                    # Never at a hyphen or inside a word: mail clients do not break addresses or numbers.
                    lines.extend(
                        textwrap.wrap(line, 76, break_on_hyphens=False, break_long_words=False) or [""]
                    )
            wrapped.append("\n".join(lines))
        return "\n\n".join(wrapped) + "\n"

    def render_html(self, paragraphs: list[str]) -> str:
        head = (
            '<html xmlns:o="urn:schemas-microsoft-com:office:office"><head>'
            '<meta http-equiv="Content-Type" content="text/html; charset=utf-8">'
            "<style><!-- p.MsoNormal, li.MsoNormal {margin:0cm; font-size:11.0pt; "
            'font-family:"Calibri",sans-serif;} '
            "a:link {color:#0563C1; text-decoration:underline;} "
            ".WordSection1 {page:WordSection1;} --></style>"
            '</head><body lang="EN-GB" link="#0563C1" vlink="#954F72"><div class="WordSection1">'
        )
        out = [head]
        for paragraph in paragraphs:
            escaped = html.escape(paragraph, quote=False).replace("\n", "<br>\n")
            out.append(
                f'<p class="MsoNormal">{escaped}<o:p></o:p></p>\n<p class="MsoNormal"><o:p>&nbsp;</o:p></p>\n'
            )
        out.append("</div></body></html>")
        return "".join(out)


_EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")


# --- the corpus ------------------------------------------------------------------------------------


def generate(count: int = 2000, seed: int = SEED, pupils: int = 2000) -> Corpus:
    """`count` messages; message i depends only on (seed, i), so smaller corpora are prefixes."""
    people = make_people(seed, pupils)
    staff_by_job: dict[str, list[StaffMember]] = {}
    for member in people.directory:
        if member.account_kind == "person":
            staff_by_job.setdefault(people.jobs[member.email], []).append(member)
    messages = tuple(_Writer(i, seed, people, staff_by_job).build() for i in range(count))
    return Corpus(seed, messages, people)


def summary(corpus: Corpus) -> dict[str, Any]:
    """Counts that describe the corpus: sizes, attachments, and what was planted."""
    sizes = sorted(len(m.raw) for m in corpus.messages)
    bodies = sorted(len(m.parts[1].text.encode("utf-8")) for m in corpus.messages)
    planted: Counter[str] = Counter()
    for m in corpus.messages:
        planted.update(p.kind for p in m.planted)
    attachments: Counter[str] = Counter(k for m in corpus.messages for k in m.attachment_kinds)
    n = len(sizes)
    return {
        "messages": n,
        "bytes": sum(sizes),
        "with_attachments": sum(1 for m in corpus.messages if m.has_attachments),
        "attachments": dict(sorted(attachments.items())),
        "body_bytes_median": bodies[n // 2] if n else 0,
        "bodies_1_to_6_kb": sum(1 for b in bodies if 1000 <= b <= 6144),
        "message_bytes_median": sizes[n // 2] if n else 0,
        "message_bytes_max": sizes[-1] if n else 0,
        "planted": dict(sorted(planted.items())),
        "topics": dict(sorted(Counter(m.topic for m in corpus.messages).items())),
        "pupils": len(corpus.roster),
        "staff": len(corpus.directory),
    }


def _cache_key(count: int, seed: int, pupils: int) -> str:
    """Changes whenever the generator's code, its parameters or the file libraries change."""
    from importlib.metadata import version  # noqa: PLC0415

    digest = hashlib.sha256()
    for module in ("corpus.py", "prose.py", "names.py", "files.py"):
        digest.update((Path(__file__).parent / module).read_bytes())
    digest.update(f"{count}:{seed}:{pupils}:{version('python-docx')}:{version('openpyxl')}".encode())
    return digest.hexdigest()[:16]


def cached(
    count: int = 2000, seed: int = SEED, pupils: int = 2000, *, use_cache: bool = True
) -> tuple[Corpus, str]:
    """The corpus from bench/.cache/ when an identical one was generated before, else generated
    (and saved there when `use_cache`). Returns the corpus and where it came from."""
    folder = CACHE_DIR / f"corpus-{seed}-{count}-{_cache_key(count, seed, pupils)}"
    index = folder / "messages.json"
    if use_cache and index.is_file():
        people = make_people(seed, pupils)
        entries = json.loads(index.read_text(encoding="utf-8"))
        messages = tuple(
            GeneratedMessage(
                index=e["index"],
                raw=(folder / e["file"]).read_bytes(),
                topic=e["topic"],
                attachment_kinds=tuple(e["attachments"]),
                parts=tuple(Part(w, t) for w, t in e["parts"]),
                planted=tuple(Planted(*p) for p in e["planted"]),
            )
            for e in entries
        )
        return Corpus(seed, messages, people), f"read from {folder}"
    corpus = generate(count, seed, pupils)
    if not use_cache:
        return corpus, "generated in memory"
    save(corpus, folder)
    # Copies made by earlier versions of the generator are stale: remove them.
    for stale in CACHE_DIR.glob(f"corpus-{seed}-{count}-*"):
        if stale != folder and stale.is_dir():
            shutil.rmtree(stale)
    return corpus, f"generated and saved to {folder}"


def save(corpus: Corpus, folder: Path) -> Path:
    """Write the corpus to `folder`: eml/*.eml, pupils.csv, staff.csv and messages.json (ground truth).

    Also what the command line can be tried on (`aupguard check email --policy wells --roster
    FOLDER/pupils.csv --directory FOLDER/staff.csv FOLDER/eml/*.eml`). bench/.cache/ is gitignored;
    never commit generated data.
    """
    import csv  # noqa: PLC0415

    (folder / "eml").mkdir(parents=True, exist_ok=True)
    for m in corpus.messages:
        (folder / "eml" / f"{m.index:05d}.eml").write_bytes(m.raw)
    with (folder / "pupils.csv").open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(ROSTER_COLUMNS)
        for p in corpus.roster:
            writer.writerow(
                [
                    p.upn,
                    p.first_name,
                    p.last_name,
                    p.preferred_name,
                    p.year_group,
                    p.school,
                    ";".join(p.contact_emails),
                ]
            )
    with (folder / "staff.csv").open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(DIRECTORY_COLUMNS)
        for s in corpus.directory:
            writer.writerow(
                [
                    s.email,
                    s.first_name,
                    s.last_name,
                    ";".join(s.roles),
                    s.school,
                    s.line_manager,
                    s.start_date.isoformat() if s.start_date else "",
                    "",
                    s.personal_email,
                    s.personal_mobile,
                    s.account_kind,
                ]
            )
    entries = [
        {
            "index": m.index,
            "file": f"eml/{m.index:05d}.eml",
            "topic": m.topic,
            "attachments": list(m.attachment_kinds),
            "parts": [[p.where, p.text] for p in m.parts],
            "planted": [[p.kind, p.value, p.written] for p in m.planted],
        }
        for m in corpus.messages
    ]
    # Written last: its presence means the folder is complete.
    (folder / "messages.json").write_text(json.dumps(entries, ensure_ascii=False), encoding="utf-8")
    return folder
