"""One walk for names and lexicon terms: exactly what the two detectors find apart, on every text."""

from __future__ import annotations

import random

import pytest

from aupguard.engine.detectors.lexicon import (
    builtin_lexicon,
    compile_lexicon_set,
    find_terms,
    find_terms_of_each,
)
from aupguard.engine.detectors.names import build_name_index, find_names
from aupguard.engine.detectors.words import find_names_and_terms, word_index
from aupguard.engine.people import Pupil, read_directory, read_roster
from tests.conftest import DATA

ROSTER = read_roster(DATA / "rosters" / "pupils.csv")
DIRECTORY = read_directory(DATA / "directories" / "staff.csv")
EXTRA_PUPILS = [
    Pupil("W937400120120", "Will", "Shaw"),
    Pupil("T937400120121", "Tomasz", "Wiśniewski-Łącki"),
    Pupil("A937400120122", "Ayşe", "Yılmaz"),
    Pupil("S937400120123", "Σοφία", "Παπαδοπούλου"),
    Pupil("D937400120124", "Dan", "Sen"),  # a surname that is also a lexicon acronym
]
NAMES = build_name_index([*ROSTER, *EXTRA_PUPILS], DIRECTORY)
LEXICONS = compile_lexicon_set(
    [
        builtin_lexicon("sensitive", ("Ayşe's plan", "care-plan review")),
        builtin_lexicon("offensive"),
        builtin_lexicon("chain_letter"),
        builtin_lexicon("confidential"),
    ]
)
INDEX = word_index(NAMES, LEXICONS)

PIECES = [
    "Olivia Bennett",
    "BENNETT, Olivia",
    "olivia\nbennett",
    "Zoë Ashworth",
    "Zoe\u0308 Ashworth",
    "Łukasz Wiśniewski",
    "Wisniewski Luke",
    "Shaw will",
    "Shaw, Will",
    "Ayşe Yılmaz",
    "YILMAZ Ayse",
    "Tomasz Wiśniewski-Łącki",
    "Σοφία Παπαδοπούλου",
    "Dan Sen",
    "SEN",
    "sen",
    "SEND",
    "send",
    "safeguarding",
    "Safe-\nguarding",
    "EHCP",
    "self harm",
    "self-\nharm",
    "child\n> protection",
    "strictly confidential",
    "fw: fw: fw:",
    "f*ck",
    "shit",
    "Scunthorpe",
    "class",
    "Ayşe's plan",
    "care plan review",
    "care-plan review",
    "O'Neill",
    "Anne-Marie",
    "2Olivia Bennett",
    "Olivia Bennett3",
    "Olivia 4 Bennett",
    "12 34",
    "07700 900123",
    "\u00a0",
    "’",
    "–",
    "é",
    "ł",
    "ß",
    "ﬁle",
    "Straße",
    "²",
    "\u200b",
    "\x01",
    "`",
    "'",
    "-",
    ",",
    ".",
    " ",
    "  ",
    "\n",
    "\t",
    "😀",
    "İ",
]
GLUE = ["", " ", "  ", "\n", ", ", "-", "'", "\u00a0", "’"]


def apart(text: str) -> tuple[object, object]:
    return find_names(NAMES, text), find_terms_of_each(LEXICONS, text)


def test_the_set_finds_what_each_lexicon_finds() -> None:
    text = "Safeguarding: the SENCo sent the EHCP. Strictly confidential. FW: FW: FW: you shit."
    for lexicon, found in zip(LEXICONS.lexicons, find_terms_of_each(LEXICONS, text), strict=True):
        assert found == find_terms(lexicon, text)
    assert [len(found) for found in find_terms_of_each(LEXICONS, text)] == [3, 1, 1, 1]


@pytest.mark.parametrize("seed", range(6))
def test_one_walk_finds_exactly_what_the_two_detectors_find(seed: int) -> None:
    rng = random.Random(seed)  # noqa: S311 - reproducible test data
    for _ in range(400):
        text = "".join(rng.choice(PIECES) + rng.choice(GLUE) for _ in range(rng.randint(0, 14)))
        assert find_names_and_terms(INDEX, text) == apart(text), text


def test_it_shares_the_walk_for_letters_of_names_and_not_for_other_scripts() -> None:
    from aupguard.engine.detectors.words import _shared_char

    assert [_shared_char(c) for c in "łışřé’–"] == ["l", "i", "s", "r", "e", "'", " "]
    assert [_shared_char(c) for c in "Σßﬁ²\u0301"] == [None, None, None, None, None]
    text = "Ayşe Yılmaz (Year 4): safeguarding referral"
    names, terms = find_names_and_terms(INDEX, text)
    assert [text[m.start : m.end] for m in names] == ["Ayşe Yılmaz"]
    assert [t.term for t in terms[0]] == ["safeguarding referral"]


def test_it_finds_nothing_in_an_empty_text() -> None:
    assert find_names_and_terms(INDEX, "") == ([], ([], [], [], []))
    empty = word_index(build_name_index([]), compile_lexicon_set([]))
    assert find_names_and_terms(empty, "Olivia Bennett safeguarding") == ([], ())
