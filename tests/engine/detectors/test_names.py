"""Tables of names written the ways people write them, near misses, and a 2,000-pupil roster.

The roster and directory are the fixtures under tests/data; a second, slow and obvious matcher
(fold the whole text, one regular expression per name) checks the fast one on generated texts.
"""

from __future__ import annotations

import random
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import replace

import pytest

from aupguard.engine.detectors.names import (
    COMMON_WORD_NAMES,
    KINDS,
    NameIndex,
    NameMatch,
    build_name_index,
    find_names,
    fold,
)
from aupguard.engine.people import Pupil, StaffMember, read_directory, read_roster
from tests.conftest import DATA

ROSTER = read_roster(DATA / "rosters" / "pupils.csv")
DIRECTORY = read_directory(DATA / "directories" / "staff.csv")
INDEX = build_name_index(ROSTER, DIRECTORY)

UPN = {f"{p.first_name} {p.last_name}": p.upn for p in ROSTER if p.last_name != "Smith"}
OLIVER_SMITHS = ("G937400122108", "B937400118109")
JO_SMITH = "K937400120110"


def _rng(seed: int) -> random.Random:
    return random.Random(seed)  # noqa: S311 - reproducible test data, not secrets


def found(text: str, index: NameIndex = INDEX) -> list[tuple[str, str]]:
    """(key, text as written) for every name found."""
    return [(m.key, text[m.start : m.end]) for m in find_names(index, text)]


# --- matches -------------------------------------------------------------------------------------

# (text, the name as written in it, the pupil's name in the roster)
MATCHES = [
    ("Olivia Bennett was absent today.", "Olivia Bennett", "Olivia Bennett"),
    ("Bennett Olivia, Year 9", "Bennett Olivia", "Olivia Bennett"),
    ("Re: Bennett, Olivia - report", "Bennett, Olivia", "Olivia Bennett"),
    ("BENNETT, Olivia (9B)", "BENNETT, Olivia", "Olivia Bennett"),
    ("olivia bennett", "olivia bennett", "Olivia Bennett"),
    ("OLIVIA BENNETT", "OLIVIA BENNETT", "Olivia Bennett"),
    ("Bennett,Olivia", "Bennett,Olivia", "Olivia Bennett"),
    ("Bennett ,  Olivia", "Bennett ,  Olivia", "Olivia Bennett"),
    ("Olivia   Bennett", "Olivia   Bennett", "Olivia Bennett"),
    ("Dear Olivia\nBennett", "Olivia\nBennett", "Olivia Bennett"),
    ("Olivia\r\n\tBennett", "Olivia\r\n\tBennett", "Olivia Bennett"),
    ("Olivia\u00a0Bennett", "Olivia\u00a0Bennett", "Olivia Bennett"),
    ("(Olivia Bennett)", "Olivia Bennett", "Olivia Bennett"),
    ("“Olivia Bennett”", "Olivia Bennett", "Olivia Bennett"),
    ("Olivia Bennett's reading age", "Olivia Bennett", "Olivia Bennett"),
    ("Olivia Bennett’s reading age", "Olivia Bennett", "Olivia Bennett"),
    ("Olivia Bennett.", "Olivia Bennett", "Olivia Bennett"),
    ("Olivia Bennett-", "Olivia Bennett", "Olivia Bennett"),
    ("Zoë Ashworth", "Zoë Ashworth", "Zoë Ashworth"),
    ("Zoe Ashworth", "Zoe Ashworth", "Zoë Ashworth"),
    ("ZOË ASHWORTH", "ZOË ASHWORTH", "Zoë Ashworth"),
    ("Zoe\u0308 Ashworth", "Zoe\u0308 Ashworth", "Zoë Ashworth"),
    ("Sian Pritchard", "Sian Pritchard", "Siân Pritchard"),
    ("Pritchard, Siân", "Pritchard, Siân", "Siân Pritchard"),
    ("Anne-Marie O'Neill", "Anne-Marie O'Neill", "Anne-Marie O'Neill"),
    ("Anne-Marie O’Neill", "Anne-Marie O’Neill", "Anne-Marie O'Neill"),
    ("anne marie o'neill", "anne marie o'neill", "Anne-Marie O'Neill"),
    ("O'Neill, Anne-Marie", "O'Neill, Anne-Marie", "Anne-Marie O'Neill"),
    ("Anne\u2011Marie O'Neill", "Anne\u2011Marie O'Neill", "Anne-Marie O'Neill"),
    ("Daniel van der Berg", "Daniel van der Berg", "Daniel van der Berg"),
    ("Dan Van Der Berg", "Dan Van Der Berg", "Daniel van der Berg"),
    ("van der Berg, Dan", "van der Berg, Dan", "Daniel van der Berg"),
    ("Łukasz Wiśniewski", "Łukasz Wiśniewski", "Łukasz Wiśniewski"),
    ("Lukasz Wisniewski", "Lukasz Wisniewski", "Łukasz Wiśniewski"),
    ("WISNIEWSKI Luke", "WISNIEWSKI Luke", "Łukasz Wiśniewski"),
    ("Grace O'Connor", "Grace O'Connor", "Grace O’Connor"),
    ("Aoife Ní Bhriain", "Aoife Ní Bhriain", "Aoife Ní Bhriain"),
    ("Ni Bhriain, Aoife", "Ni Bhriain, Aoife", "Aoife Ní Bhriain"),
    ("Chloe Dubois-Martin", "Chloe Dubois-Martin", "Chloé Dubois-Martin"),
    ("Mo Al-Hassan", "Mo Al-Hassan", "Mohammed Al-Hassan"),
    ("Hal Taylor-Wood", "Hal Taylor-Wood", "Harry Taylor-Wood"),
    ("Ruby Day", "Ruby Day", "Ruby Day"),
    ("Rúby Dáy", "Rúby Dáy", "Ruby Day"),
    ("Ffion ap Rhys", "Ffion ap Rhys", "Ffion ap Rhys"),
    ("Summer Hall", "Summer Hall", "Summer Hall"),
]


@pytest.mark.parametrize(("text", "written", "name"), MATCHES)
def test_it_finds_a_full_name(text: str, written: str, name: str) -> None:
    assert found(text) == [(UPN[name], written)]


def test_it_gives_initials_as_evidence() -> None:
    [match] = find_names(INDEX, "Olivia Bennett")
    assert match == NameMatch("pupil", UPN["Olivia Bennett"], 0, 14, "O. B.")
    assert [m.evidence for m in find_names(INDEX, "Wiśniewski, Luke")] == ["L. W."]
    assert all(m.kind in KINDS for m in find_names(INDEX, "Rachel Thompson and Ruby Day"))


def test_it_reports_two_pupils_with_the_same_name() -> None:
    text = "Oliver Smith and Ollie Smith"
    assert sorted(found(text)) == [
        (OLIVER_SMITHS[1], "Oliver Smith"),
        (OLIVER_SMITHS[0], "Oliver Smith"),
        (OLIVER_SMITHS[0], "Ollie Smith"),
    ]
    first, second, _ = find_names(INDEX, text)
    assert (first.start, first.end) == (second.start, second.end)


def test_it_finds_staff_by_email() -> None:
    text = "Please ask Thompson, Rachel or Małgorzata Kowalska (IT)."
    assert found(text) == [
        ("r.thompson@northfield.example.org", "Thompson, Rachel"),
        ("m.kowalska@northfield.example.org", "Małgorzata Kowalska"),
    ]
    assert find_names(INDEX, "Sean O'Reilly")[0].kind == "staff"


def test_it_leaves_out_group_and_generic_accounts() -> None:
    assert found("Year 8 Team") == []
    assert INDEX.staff == 6


def test_it_finds_every_name_in_order() -> None:
    text = "Jo Smith, Ann Lee and Ruby Day; then Day, Ruby again."
    assert found(text) == [
        (JO_SMITH, "Jo Smith"),
        (UPN["Ann Lee"], "Ann Lee"),
        (UPN["Ruby Day"], "Ruby Day"),
        (UPN["Ruby Day"], "Day, Ruby"),
    ]


# --- first names that are common words ------------------------------------------------------------

WILL_SHAW = build_name_index([Pupil("W937400120120", "Will", "Shaw"), Pupil("M937400120121", "Mark", "Lee")])


@pytest.mark.parametrize(
    "text",
    [
        "Will Shaw",
        "will shaw",  # the first name first, the surname next to it: any case
        "WILL SHAW",
        "Shaw, Will",
        "SHAW, Will",
        "Shaw Will",
        "SHAW WILL",
        "Shaw,\nWill",
        "Shaw\r\n  Will's coat",
        "Shaw, Wíll",
    ],
)
def test_it_finds_a_first_name_that_is_a_common_word_when_written_as_a_name(text: str) -> None:
    assert [m.key for m in find_names(WILL_SHAW, text)] == ["W937400120120"], text


@pytest.mark.parametrize(
    "text",
    [
        "Samantha Shaw will take the register.",
        "Ms Shaw will\nbe late",
        "Shaw, will you call me?",
        "Bruce Lee may mark the books; Lee mark them",
        "SHAW will",
    ],
)
def test_it_needs_a_capital_on_a_common_word_first_name_after_the_surname(text: str) -> None:
    assert find_names(WILL_SHAW, text) == [], text


def test_the_capital_rule_leaves_other_first_names_alone() -> None:
    assert found("Day, Ruby") == [(UPN["Ruby Day"], "Day, Ruby")]
    assert found("the day ruby") == []  # Ruby is a common word: after the surname, a capital
    assert found("bennett olivia") == [(UPN["Olivia Bennett"], "bennett olivia")]
    assert "will" in COMMON_WORD_NAMES
    assert all(name == fold(name) and " " not in name for name in COMMON_WORD_NAMES)


def test_it_finds_a_name_at_the_very_end_and_across_lines() -> None:
    assert found("Report for Bennett,\n\tOlivia") == [(UPN["Olivia Bennett"], "Bennett,\n\tOlivia")]
    assert found("Chloé\r\nDubois-Martin") == [(UPN["Chloé Dubois-Martin"], "Chloé\r\nDubois-Martin")]
    assert found("ZOE\u0308\nASHWORTH") == [(UPN["Zoë Ashworth"], "ZOE\u0308\nASHWORTH")]
    assert found("Olivia Bennett") == [(UPN["Olivia Bennett"], "Olivia Bennett")]
    assert found("Olivia Bennet") == []


# --- offsets -------------------------------------------------------------------------------------

# Characters that fold to nothing, or to more than one character, before the name: the offsets must
# still point into the original text.
PREFIXES = [
    "",
    "Re: ",
    "…… ",
    "Straße ",
    "ﬁnal note: ",
    "e\u0301e\u0301 ",
    "Ærø, ",
    "\u00ad\u200b ",
    "Σοφία και ",
    "😀 ",
    "™½ ",
    "İstanbul ",
]


@pytest.mark.parametrize("prefix", PREFIXES)
def test_it_keeps_offsets_into_the_original_text(prefix: str) -> None:
    text = f"{prefix}Zoe\u0308 Ashworth… and Straße, then Łukasz\nWiśniewski’s"
    assert found(text) == [
        (UPN["Zoë Ashworth"], "Zoe\u0308 Ashworth"),
        (UPN["Łukasz Wiśniewski"], "Łukasz\nWiśniewski"),
    ]


def test_it_includes_accents_after_the_last_letter() -> None:
    index = build_name_index([Pupil("R937400120114", "José", "Garcé")])
    text = "Jose\u0301 Garce\u0301."
    [match] = find_names(index, text)
    assert text[match.start : match.end] == "Jose\u0301 Garce\u0301"


# --- near misses ---------------------------------------------------------------------------------

NEAR_MISSES = [
    ("a first name alone", "Olivia was absent"),
    ("a surname alone", "Mrs Bennett called"),
    ("other words between", "Olivia and Bennett"),
    ("a comma after the first name", "Olivia, Bennett"),
    ("two commas", "Bennett,, Olivia"),
    ("a full stop between", "Olivia. Bennett"),
    ("a longer surname", "Jo Smithson"),
    ("a longer first name", "Joanne Smith"),
    ("a double-barrelled surname", "Jo Smith-Jones"),
    ("a double-barrelled first name", "Mary-Jo Smith"),
    ("inside other words", "Joann Leeds"),
    ("inside a word", "Shann Leeway"),
    ("glued together", "JoSmith"),
    ("split differently", "Jos Mith"),
    ("an address", "jo.smith@example.com"),
    ("a user name", "jo_smith"),
    ("digits after", "Jo Smith2"),
    ("digits before", "2Jo Smith"),
    ("an apostrophe inside", "Jo Smith'son"),
    ("an apostrophe before", "d'Jo Smith"),
    ("a missing apostrophe", "Grace OConnor"),
    ("a space for the apostrophe", "Grace O Connor"),
    ("a missing space in a surname", "Daniel vanderBerg"),
    ("part of a multi-word surname", "Daniel van der"),
    ("the wrong preferred name", "Danny van der Berg"),
    ("a letter of another script", "Ruby Dayα"),
    ("a different vowel", "Ruby Dey"),
]


@pytest.mark.parametrize(("what", "text"), NEAR_MISSES, ids=[c[0] for c in NEAR_MISSES])
def test_it_does_not_find_a_near_miss(what: str, text: str) -> None:
    assert found(text) == []


def test_it_finds_nothing_with_an_empty_index_or_text() -> None:
    empty = build_name_index([])
    assert (empty.pupils, empty.staff, empty.keys) == (0, 0, 0)
    assert find_names(empty, "Olivia Bennett") == []
    assert find_names(INDEX, "") == []


def test_it_skips_people_with_no_name_to_match() -> None:
    index = build_name_index(
        [Pupil("R937400120114", "Jo", ""), Pupil("H937400118115", "", "Lee")],
        [StaffMember("office@s.example", "Office", "", account_kind="person")],
    )
    assert index.keys == 0
    assert find_names(index, "Jo Lee Office") == []


def test_it_folds_names_as_documented() -> None:
    assert fold("ZOË O’Neill") == "zoe o'neill"
    assert fold("Straße Æsir Łódź") == "strasse aesir lodz"
    assert fold("Anne\u2011Marie\u00a0Ní") == "anne-marie ni"
    assert fold("e\u0301") == "e"


# --- a second, slow matcher to check the fast one ------------------------------------------------

_GAP = {"inner": r"(?:\s+|\s*-\s*)", "first_last": r"\s+", "last_first": r"(?:\s+|\s*,\s*)"}
_BEFORE = r"(?<![^\W_])(?<![^\W_]['-])"
_AFTER = r"(?![^\W_])(?!-[^\W_])(?!'(?!s(?![^\W_]))[^\W_])"


def _pattern(first: str, last: str, surname_first: bool) -> re.Pattern[str]:
    def part(name: str) -> str:
        return _GAP["inner"].join(map(re.escape, re.split(r"[\s,\-]+", fold(name).strip())))

    if surname_first:
        body = part(last) + _GAP["last_first"] + f"(?P<given>{part(first)})"
    else:
        body = f"(?P<given>{part(first)})" + _GAP["first_last"] + part(last)
    return re.compile(f"(?=({_BEFORE}{body}{_AFTER}))")


def slow_find(pupils: Iterable[Pupil], text: str) -> set[tuple[str, int, int]]:
    folds = [fold(c) for c in text]
    folded = "".join(folds)
    origin = [i for i, f in enumerate(folds) for _ in f]
    results = set()
    for pupil in pupils:
        for first in {pupil.first_name, pupil.preferred_name} - {""}:
            for surname_first in (False, True):
                for m in _pattern(first, pupil.last_name, surname_first).finditer(folded):
                    # A first name that is a common word, after the surname, needs its capital.
                    given = text[origin[m.start("given")]]
                    if surname_first and fold(first) in COMMON_WORD_NAMES and not given.isupper():
                        continue
                    end = origin[m.end(1) - 1] + 1
                    while end < len(text) and not folds[end]:
                        end += 1
                    results.add((pupil.upn, origin[m.start(1)], end))
    return results


FILLER = [
    "the", "report", "and", "Mrs", "Year", "9B", "–", "…", "Straße", "ﬁle", "e\u0301t\u00e9", "Σοφία",
    "😀", "O’Clock", "day", "hall", "Jo-", "-Smith", "smithson", "'s", "’s", "van", "der", "d'",
]  # fmt: skip
SEPARATORS = [" ", "  ", "\n", " \r\n ", "\t", "\u00a0", ", ", ",", " , ", "-", " - ", ". ", "'", ""]


def _variant(rng: random.Random, name: str) -> str:
    """`name` written another way: case, accents dropped or decomposed, apostrophes curled."""
    choice = rng.randrange(6)
    if choice == 0:
        name = name.upper()
    elif choice == 1:
        name = name.lower()
    elif choice == 2:
        name = fold(name)
    elif choice == 3:
        name = unicodedata.normalize("NFD", name)
    return name.replace("'", "’") if rng.random() < 0.3 else name


def test_it_agrees_with_a_slow_obvious_matcher() -> None:
    rng = _rng(2024)
    pupils = list(ROSTER)
    for _ in range(400):
        pieces = []
        for _ in range(rng.randrange(3, 12)):
            roll = rng.random()
            if roll < 0.45:
                pupil = rng.choice(pupils)
                first = rng.choice([pupil.first_name, pupil.preferred_name or pupil.first_name])
                a, b = (pupil.last_name, first) if rng.random() < 0.5 else (first, pupil.last_name)
                pieces.append(_variant(rng, a) + rng.choice(SEPARATORS) + _variant(rng, b))
            else:
                pieces.append(rng.choice(FILLER))
            pieces.append(rng.choice(SEPARATORS))
        text = "".join(pieces)
        fast = {(m.key, m.start, m.end) for m in find_names(INDEX, text) if m.kind == "pupil"}
        assert fast == slow_find(pupils, text), text


# --- a 2,000-pupil roster ------------------------------------------------------------------------

_FIRST_NAMES = """Oliver George Arthur Noah Muhammad Leo Oscar Harry Archie Jack Henry Charlie Freddie Theo
Thomas Finley Alfie Jacob William Isaac Tommy Joshua James Lucas Max Edward Alexander Ethan Teddy Adam
Reggie Arlo Benjamin Louie Jude Ezra Sebastian Elijah Rory Joseph Dylan Daniel Olivia Amelia Isla Ava
Ivy Freya Lily Florence Mia Willow Rosie Sophia Isabella Grace Daisy Sienna Poppy Elsie Emily Ella
Evelyn Phoebe Sofia Evie Charlotte Harper Millie Matilda Maya Sophie Alice Emilia Ruby Luna Maisie Aria
Zoë Chloé Siân Dáithí Łukasz Anne-Marie Aoife Niamh Seren Rhys Zainab Aisha Fatima Priya Arjun Kofi
Wiktoria Zuzanna Jakub Ioana Yusuf Hamza Ayesha Amara Tobias"""
_LAST_NAMES = """Smith Jones Williams Taylor Brown Davies Evans Wilson Thomas Johnson Roberts Robinson
Thompson Wright Walker White Edwards Hughes Green Hall Lewis Harris Clarke Patel Jackson Wood Turner
Martin Cooper Hill Ward Morris Moore Clark Lee King Baker Harrison Morgan Allen James Scott Phillips
Watson Davis Parker Price Bennett Young Griffiths Mitchell Kelly Cook Carter Richardson Bailey Collins
Bell Shaw Murphy Miller Cox Richards Khan Marshall Anderson Simpson Ellis Adams Singh Begum Wilkinson
Foster Chapman Powell Webb Rogers Gray Mason Ali Hunt Hussain Campbell Matthews Owen Palmer Holmes Mills
Barnes Knight Lloyd Butler Russell O'Brien O’Connor Smith-Jones Kowalski Nowak Wiśniewski Popescu
Okafor Mensah Adeyemi Nguyen Chen"""
FIRST_NAMES = _FIRST_NAMES.split()
LAST_NAMES = [*_LAST_NAMES.split(), "van der Berg", "de la Cruz", "ap Rhys", "Da Silva"]

PROSE = (
    "Thank you for your email about the residential trip. The coach will leave at 8:15 and the "
    "consent forms are due on Friday; the cost is £145, payable on ParentPay. Mobile phones will be "
    "collected each evening. If you have any questions, please call the office on 01632 960 000. "
)


def generated_roster(count: int) -> list[Pupil]:
    rng = _rng(7)
    pairs: set[tuple[str, str]] = set()
    while len(pairs) < count:
        pairs.add((rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)))
    return [
        Pupil(f"P{i:012d}", first, last, rng.choice(["", "", "", "Sam", "Alex"]))
        for i, (first, last) in enumerate(sorted(pairs))
    ]


def test_it_finds_the_right_pupils_among_2000() -> None:
    pupils = generated_roster(2000)
    index = build_name_index(pupils)
    assert index.pupils == 2000
    rng = _rng(11)
    chosen = rng.sample(pupils, 25)
    paragraphs = []
    expected: set[tuple[str, str]] = set()
    for n, pupil in enumerate(chosen):
        forms = [
            f"{pupil.first_name} {pupil.last_name}",
            f"{pupil.last_name}, {pupil.first_name}",
            f"{pupil.last_name.upper()} {pupil.first_name}",
            f"{fold(pupil.first_name).title()}\n{pupil.last_name}",
        ]
        written = forms[n % len(forms)]
        paragraphs.append(f"{PROSE * 4}{written} ")
        # Pupils who share the chosen pupil's name (first or preferred) are found too.
        expected.update(
            (other.upn, written)
            for other in pupils
            if fold(other.last_name) == fold(pupil.last_name)
            and fold(pupil.first_name) in {fold(other.first_name), fold(other.preferred_name)}
        )
    text = "".join(paragraphs) + PROSE * 30
    assert len(text) > 30_000
    assert set(found(text, index)) == expected
    assert {upn for upn, _ in expected} >= {p.upn for p in chosen}


def test_every_variant_checked_first_is_one_the_full_check_accepts() -> None:
    # `written_as` takes a form's variants as whole strings before splitting on separators: each of
    # them must be one the splitting check accepts too, or a fast path would find what it would not.
    pupils = [
        Pupil(upn=f"A{n:011d}X", first_name=first, last_name=last, preferred_name="")
        for n, (first, last) in enumerate(
            [
                ("Mary-Jo", "Smith"),
                ("Olivia", "Bennett-Hughes"),
                ("Jean Paul", "O'Brien"),
                ("Zoë", "Łukasiewicz"),
            ]
        )
    ]
    index = build_name_index(pupils)
    checked = 0
    for _key, (_length, forms) in index.automaton.items():
        for form in forms:
            assert form.plain in form.variants
            for variant in form.variants:
                slow = replace(form, variants=frozenset())
                assert slow.written_as(variant), (form.words, variant)
                assert variant in index.plains
                checked += 1
    assert checked > 20
