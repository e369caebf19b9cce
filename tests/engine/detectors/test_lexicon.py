"""Tables of terms found as written, near misses (the Scunthorpe problem), acronyms, folding, offsets.

Near misses are checked against the built-in offensive lexicon plus a pack's worth of short, risky
extra terms ("ass", "sex", "tit" ...), so that whole-word matching is what keeps "assistant" clean,
not the absence of the word from the list.
"""

from __future__ import annotations

import random
from importlib import resources

import pytest

from aupguard.engine.detectors.lexicon import (
    BUILTIN_LEXICONS,
    PACK,
    Lexicon,
    Term,
    TermMatch,
    builtin_lexicon,
    builtin_terms,
    compile_lexicon,
    find_terms,
    parse_lexicon,
)

SENSITIVE = builtin_lexicon("sensitive")
OFFENSIVE = builtin_lexicon("offensive")
CHAIN = builtin_lexicon("chain_letter")
CONFIDENTIAL = builtin_lexicon("confidential")

RISKY_EXTRA = (
    "ass",
    "sex",
    "tit",
    "cock",
    "dick",
    "anal",
    "rape",
    "rapist",
    "cum",
    "hell",
    "nig",
    "homo",
    "fag",
    "knob",
    "penis",
    "arse",
    "bum",
)
OFFENSIVE_PLUS = builtin_lexicon("offensive", RISKY_EXTRA)


def found(lexicon: Lexicon, text: str) -> list[tuple[str, str, str]]:
    """(category, term, the term as written in `text`) for every match."""
    return [(m.category, m.term, text[m.start : m.end]) for m in find_terms(lexicon, text)]


def _rng(seed: int) -> random.Random:
    return random.Random(seed)  # noqa: S311 - reproducible test data, not secrets


# --- matches: category, term and the span as written ---------------------------------------------

SENSITIVE_MATCHES = [
    ("Safeguarding concern about Jo", [("safeguarding", "safeguarding concern", "Safeguarding concern")]),
    ("SAFEGUARDING", [("safeguarding", "safeguarding", "SAFEGUARDING")]),
    ("on a child protection plan.", [("safeguarding", "child protection plan", "child protection plan")]),
    ("child\nprotection", [("safeguarding", "child protection", "child\nprotection")]),
    ("child \r\n\t  protection", [("safeguarding", "child protection", "child \r\n\t  protection")]),
    ("Re: child\n> protection", [("safeguarding", "child protection", "child\n> protection")]),
    ("a looked after child", [("safeguarding", "looked after child", "looked after child")]),
    ("a looked-after child", [("safeguarding", "looked after child", "looked-after child")]),
    ("Looked\nAfter\nChild", [("safeguarding", "looked after child", "Looked\nAfter\nChild")]),
    ("on free school meals", [("family", "free school meals", "free school meals")]),
    ("free school\n\n   meals", [("family", "free school meals", "free school\n\n   meals")]),
    ("free-school-meals", [("family", "free school meals", "free-school-meals")]),
    ("history of self-harm", [("medical", "self-harm", "self-harm")]),
    ("history of self harm", [("medical", "self-harm", "self harm")]),
    ("history of self \u2013 harm", [("medical", "self-harm", "self \u2013 harm")]),
    ("self\u2011harming", [("medical", "self-harming", "self\u2011harming")]),
    ("selfharm", [("medical", "selfharm", "selfharm")]),
    ("his EHCP review", [("send", "ehcp", "EHCP")]),
    ("draft ehcp attached", [("send", "ehcp", "ehcp")]),
    ("SEN/EHCP", [("send", "SEN", "SEN"), ("send", "ehcp", "EHCP")]),
    ("(SEN)", [("send", "SEN", "SEN")]),
    (
        "the education, health and care plan",
        [("send", "education, health and care plan", "education, health and care plan")],
    ),
    (
        "education health and care plan",
        [("send", "education health and care plan", "education health and care plan")],
    ),
    ("a permanent exclusion", [("behaviour", "permanent exclusion", "permanent exclusion")]),
    ("a fixed term exclusion", [("behaviour", "fixed-term exclusion", "fixed term exclusion")]),
    ("exclusion", [("behaviour", "exclusion", "exclusion")]),
    (
        "her Asperger’s diagnosis",
        [("send", "asperger's", "Asperger’s"), ("medical", "diagnosis", "diagnosis")],
    ),
    ("the pupil’s diagnosis’", [("medical", "diagnosis", "diagnosis")]),
    ("a section 47 enquiry", [("safeguarding", "section 47 enquiry", "section 47 enquiry")]),
    ("a CP Plan", [("safeguarding", "CP plan", "CP Plan")]),
    (
        "CP plan; LAC; PEP",
        [
            ("safeguarding", "CP plan", "CP plan"),
            ("safeguarding", "LAC", "LAC"),
            ("safeguarding", "PEP", "PEP"),
        ],
    ),
    ("a Prevent referral", [("safeguarding", "Prevent referral", "Prevent referral")]),
    ("DBS check", [("staff", "DBS check", "DBS check")]),
    ("occupational health", [("staff", "occupational health", "occupational health")]),
    ("sickness\nabsence", [("staff", "sickness absence", "sickness\nabsence")]),
    ("pupil premium and FSM", [("family", "pupil premium", "pupil premium"), ("family", "FSM", "FSM")]),
    ("a young carer's allowance", [("family", "young carer", "young carer")]),
    ("mental health, CAMHS", [("medical", "mental health", "mental health"), ("medical", "camhs", "CAMHS")]),
    ("managed move to the PRU", [("behaviour", "managed move", "managed move"), ("behaviour", "PRU", "PRU")]),
]


@pytest.mark.parametrize(("text", "expected"), SENSITIVE_MATCHES)
def test_sensitive_terms_are_found_as_written(text: str, expected: list[tuple[str, str, str]]) -> None:
    assert found(SENSITIVE, text) == expected


OFFENSIVE_MATCHES = [
    ("What the fuck", [("profanity", "fuck", "fuck")]),
    ("FUCKING IDIOT", [("profanity", "fucking", "FUCKING")]),
    ("fuck off", [("profanity", "fuck off", "fuck off")]),
    ("fuck\n  off", [("profanity", "fuck off", "fuck\n  off")]),
    ("f*ck this", [("profanity", "f*ck", "f*ck")]),
    ("he's a twat.", [("profanity", "twat", "twat")]),
    ("the twat's car", [("profanity", "twat", "twat")]),
    ("'shit'", [("profanity", "shit", "shit")]),
    ("“Shit”", [("profanity", "shit", "Shit")]),
    ("bull-shit", [("profanity", "shit", "shit")]),
    ("absolute bullshit", [("profanity", "bullshit", "bullshit")]),
    ("motherfucker", [("profanity", "motherfucker", "motherfucker")]),
    ("Fu\u200bck", [("profanity", "fuck", "Fu\u200bck")]),
    ("ＦＵＣＫ", [("profanity", "fuck", "ＦＵＣＫ")]),
    ("fuckin' idiot", [("profanity", "fuckin", "fuckin")]),
    ("you paki", [("slur", "paki", "paki")]),
    ("that’s so gay", [("slur", "that's so gay", "that’s so gay")]),
    ("half caste", [("slur", "half-caste", "half caste")]),
    ("go and kill yourself", [("harassment", "kill yourself", "kill yourself")]),
    ("I’ll kill you", [("harassment", "i'll kill you", "I’ll kill you")]),
    ("send nudes", [("sexual", "send nudes", "send nudes")]),
    ("The Ass", [("pack", "ass", "Ass")]),
]


@pytest.mark.parametrize(("text", "expected"), OFFENSIVE_MATCHES)
def test_offensive_terms_are_found_as_written(text: str, expected: list[tuple[str, str, str]]) -> None:
    assert found(OFFENSIVE_PLUS, text) == expected


def test_a_match_has_category_term_and_offsets_into_the_text() -> None:
    text = "Dear all,\nJo has an EHCP and is on the CP register."
    assert find_terms(SENSITIVE, text) == [
        TermMatch("send", "ehcp", 20, 24),
        TermMatch("safeguarding", "CP register", 39, 50),
    ]


# --- near misses -----------------------------------------------------------------------------------

SCUNTHORPE = [
    "Scunthorpe",
    "Scunthorpe United",
    "Essex",
    "Sussex",
    "Middlesex",
    "Wessex",
    "assessment",
    "assistant",
    "classic",
    "class",
    "bass",
    "passage",
    "embarrass",
    "Massachusetts",
    "cocktail",
    "cockpit",
    "peacock",
    "shuttlecock",
    "Hancock",
    "Cockermouth",
    "therapist",
    "analysis",
    "analyse",
    "shitake",
    "Shitterton",
    "Penistone",
    "Clitheroe",
    "Arsenal",
    "Dickens",
    "spicy",
    "hospice",
    "snigger",
    "Nigeria",
    "cumulative",
    "document",
    "cucumber",
    "Cumbria",
    "Pakistan",
    "raccoon",
    "cocoon",
    "tycoon",
    "Japan",
    "grape",
    "scrape",
    "title",
    "constitution",
    "sextant",
    "Sexton",
    "Pissarro",
    "pissaladière",
    "Wankel engine",
    "among",
    "Hmong",
    "Mongolia",
    "Yiddish",
    "homogeneous",
    "homework",
    "hello",
    "shell",
    "Michelle",
    "bumblebee",
    "knobbly",
    "circumstance",
    "retardant",
    "sauerkraut",
    "Lesbos",
    "Fagin",
    "ASDA",
    "HSBC",
    # words run together only when the separators are skipped: a key across two words
    "two games",
    "may identify",
    "crisp icing",
    "pen is mightier",
    "as shown",
    "his hit single",
    "John's hit single",
    "the shells",
]


@pytest.mark.parametrize("text", SCUNTHORPE)
def test_near_misses_are_not_offensive(text: str) -> None:
    assert found(OFFENSIVE_PLUS, text) == []
    assert found(OFFENSIVE_PLUS, text.upper()) == []


# The mild words (offensive.txt, "policy for mild words") and words with an innocent meaning.
INNOCENT = [
    "That was a bloody good result",
    "damn, crap, bugger, sod off, git, arse",
    "blue tits at the bird table",
    "Offa's Dyke path",
    "Moby-Dick",
    "the door knob",
    "oilseed rape",
    "magna cum laude",
    "the ox and the ass",
    "a chink of light",
    "the Mongol Empire",
    "spick and span",
    "Homo sapiens",
    "queer theory",
    "a slag heap",
    "Jack off sick today",
    "a white power lead",
    "never drink bleach",
    "Gypsy, Roma and Traveller pupils",
    "a CSP nonce",
    "honky-tonk piano",
]


@pytest.mark.parametrize("text", INNOCENT)
def test_mild_and_innocent_words_are_not_built_in_offensive_terms(text: str) -> None:
    assert found(OFFENSIVE, text) == []


def test_a_pack_word_is_still_a_whole_word() -> None:
    assert found(OFFENSIVE_PLUS, "magna cum laude") == [("pack", "cum", "cum")]
    assert found(OFFENSIVE, "magna cum laude") == []


@pytest.mark.parametrize(
    "text",
    [
        "Children in Need day: wear your pyjamas",
        "Jo has grown in confidence this term",
        "sent present absence chosen",
        "capability of the new software",
        "the Great Depression",
        "the disabled toilet",
        "the class timetable",
        "signed, Jane Smith, DSL",
        "Please send the forms",
        "mash potato",
        "the SEN2 return",
    ],
)
def test_everyday_school_words_are_not_sensitive(text: str) -> None:
    assert found(SENSITIVE, text) == []


@pytest.mark.parametrize(
    "text",
    [
        "Could you forward this to the Year 6 parents?",
        "Please forward this to everyone in your department",
        "Please send this to the office",
        "Make a wish with the charity",
        "FW: FW: Staff briefing",
        "Sign the form and send it back to me",
        "copy and paste this link into your browser",
        "chain mail in the history museum",
    ],
)
def test_everyday_requests_are_not_chain_letters(text: str) -> None:
    assert found(CHAIN, text) == []


@pytest.mark.parametrize(
    "text",
    [
        "This email and any attachments are confidential and intended solely for the addressee.",
        "Jo has grown in confidence",
        "Do not share your password with anyone",
        "Confidentiality notice",
    ],
)
def test_disclaimers_and_reports_are_not_confidential_markings(text: str) -> None:
    assert found(CONFIDENTIAL, text) == []


# --- acronyms: capitals only ---------------------------------------------------------------------

ACRONYMS = ["SEN", "SEND", "LAC", "CLA", "PEP", "FSM", "ASD", "CP", "PRU", "DBS", "MASH", "LADO", "CIN"]


@pytest.mark.parametrize("acronym", ACRONYMS)
def test_an_acronym_matches_in_capitals_only(acronym: str) -> None:
    assert [m[2] for m in found(SENSITIVE, f"re: {acronym}.")] == [acronym]
    for variant in (acronym.lower(), acronym.capitalize(), acronym.lower().capitalize()):
        if variant != acronym:
            assert found(SENSITIVE, f"re: {variant}.") == []


@pytest.mark.parametrize(
    "text",
    [
        "pep talk",
        "Pep Guardiola",
        "https://example.org/cp/login",
        "cpd and CPD",
        "Amartya Sen",
        "lac, Lac Léman",
        "send the register",
        "PRUNE",
        "asd",
        "al lado de la casa",
    ],
)
def test_acronym_look_alikes_are_not_sensitive(text: str) -> None:
    assert found(SENSITIVE, text) == []


def test_only_the_capitalised_words_of_a_phrase_need_capitals() -> None:
    assert [m[2] for m in found(SENSITIVE, "CP plan, CP PLAN, CP Plan")] == ["CP plan", "CP PLAN", "CP Plan"]
    assert found(SENSITIVE, "cp plan") == []


def test_a_pack_acronym_follows_the_same_rule() -> None:
    lexicon = builtin_lexicon("sensitive", ["TAF", "team around the family"])
    assert found(lexicon, "TAF meeting") == [("pack", "TAF", "TAF")]
    assert found(lexicon, "taffeta and taf") == []
    assert found(lexicon, "Team Around The Family") == [
        ("pack", "team around the family", "Team Around The Family")
    ]


# --- phrases: separators and punctuation ---------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "written"),
    [
        ("FW: FW: FW: joke", "FW: FW: FW"),
        ("Fwd:Fwd:Fwd: joke", "Fwd:Fwd:Fwd"),
        ("RE: FW: Fwd: FW: funny", "FW: Fwd: FW"),
        ("Send this to 10 people or bad luck will follow", "Send this to 10 people"),
        ("do not break\nthe chain", "do not break\nthe chain"),
    ],
)
def test_chain_letter_phrases(text: str, written: str) -> None:
    assert found(CHAIN, text)[0][2] == written


def test_punctuation_inside_a_phrase_must_be_written() -> None:
    assert found(CHAIN, "fw fw fw") == []
    assert found(CHAIN, "fw; fw; fw;") == []


@pytest.mark.parametrize(
    ("text", "term"),
    [
        ("PRIVATE AND CONFIDENTIAL", "private and confidential"),
        ("Strictly\nConfidential: pay review", "strictly confidential"),
        ("CONFIDENTIAL", "CONFIDENTIAL"),
        ("Not for circulation", "not for circulation"),
        ("told me in confidence", "told me in confidence"),
        ("OFFICIAL-SENSITIVE", "official-sensitive"),
        ("OFFICIAL SENSITIVE", "official-sensitive"),
    ],
)
def test_confidential_markings(text: str, term: str) -> None:
    assert [m[1] for m in found(CONFIDENTIAL, text)] == [term]


def test_lower_case_confidential_alone_is_not_a_marking() -> None:
    assert found(CONFIDENTIAL, "this is confidential") == []


def test_overlapping_terms_give_the_earliest_then_longest() -> None:
    assert found(SENSITIVE, "permanently excluded after a permanent exclusion") == [
        ("behaviour", "permanently excluded", "permanently excluded"),
        ("behaviour", "permanent exclusion", "permanent exclusion"),
    ]
    assert found(CHAIN, "FW: FW: FW: FW: FW:") == [
        ("chain_letter", "fw: fw: fw:", "FW: FW: FW"),
    ]


def test_apostrophes_glue_words_except_a_possessive_or_a_quote() -> None:
    lexicon = compile_lexicon([Term("neill", "x"), Term("smith", "x")])
    assert found(lexicon, "O'Neill") == []
    assert found(lexicon, "O’Neill") == []
    assert found(lexicon, "Smith's book, the Smiths' house, 'Smith'") == [
        ("x", "smith", "Smith"),
        ("x", "smith", "Smith"),
    ]


def test_digits_are_part_of_a_word() -> None:
    lexicon = compile_lexicon([Term("year 6", "x")])
    assert found(lexicon, "Year 6, year\n6") == [("x", "year 6", "Year 6"), ("x", "year 6", "year\n6")]
    assert found(lexicon, "Year 60, year 6b") == []


# --- folding and offsets -------------------------------------------------------------------------

CAFE = builtin_lexicon("sensitive", ["cafe", "naïve", "ﬁsh", "Straße"])


@pytest.mark.parametrize(
    ("text", "written"),
    [
        ("café", "café"),
        ("CAFÉ", "CAFÉ"),
        ("cafe\u0301", "cafe\u0301"),
        ("the cafe\u0301, then", "cafe\u0301"),
        ("Caf\u00e9s", None),
        ("naive", "naive"),
        ("NAÏVE", "NAÏVE"),
        ("fish", "fish"),
        ("ﬁsh", "ﬁsh"),
        ("strasse", "strasse"),
        ("STRASSE", "STRASSE"),
    ],
)
def test_accents_and_letter_variants_are_folded(text: str, written: str | None) -> None:
    assert [m[2] for m in found(CAFE, text)] == ([written] if written else [])


@pytest.mark.parametrize(
    ("text", "written"),
    [
        ("ﬁﬁ SEN", "SEN"),
        ("ﬃ ﬂ autism", "autism"),
        ("e\u0301e\u0301 child protection", "child protection"),
        ("Zoe\u0308 Ashworth: child\n  protection", "child\n  protection"),
        ("Straße – safeguarding", "safeguarding"),
        ("🙂🙂 autism", "autism"),
        ("½ ¼ ² autism", "autism"),
        ("\u00ad\u200bsoft hyphen: EHCP", "EHCP"),
        ("ǅ ǈ Ǌ dyslexia", "dyslexia"),
        ("Москва ADHD", "ADHD"),
        ("ﬁﬁ self\u0301-harm", "self\u0301-harm"),
    ],
)
def test_offsets_point_into_the_original_text_after_folding(text: str, written: str) -> None:
    matches = find_terms(SENSITIVE, text)
    assert [text[m.start : m.end] for m in matches] == [written]
    assert matches[0].start == text.index(written)


def test_a_ligature_inside_the_match_stays_in_the_span() -> None:
    text = "ﬁle: strictly conﬁdential"
    assert find_terms(CONFIDENTIAL, text) == [TermMatch("confidential", "strictly confidential", 5, 25)]
    assert text[5:25] == "strictly conﬁdential"


def test_an_acronym_must_be_written_in_ascii_capitals() -> None:
    assert found(SENSITIVE, "ＳＥＮ") == []
    assert found(SENSITIVE, "ﬁ SEN") == [("send", "SEN", "SEN")]


# --- generated texts: every planted term is found where it was planted ---------------------------

_DECOMPOSED_E = "e\u0301"
_FILLER = [
    "the",
    "on",
    "Monday",
    "lunch",
    "trip",
    "book",
    "42",
    "ﬁle",
    "Zoë",
    "naïve",
    "Straße",
    "🙂",
    _DECOMPOSED_E,
]
_GAPS = [" ", "  ", "\n", "\r\n", "\t", " \n  ", "-", " - ", "\u2011", "\n> "]
_PLANTABLE = [
    t
    for t in builtin_terms("sensitive")
    if " " in t.text or "-" in t.text or t.text.islower()
    if "," not in t.text and "'" not in t.text
]


def _filler(rng: random.Random, count: int) -> str:
    return " ".join(rng.choice(_FILLER) for _ in range(count))


def _write(term: Term, rng: random.Random) -> str:
    words = term.text.replace("-", " ").split()
    written = [w if w.isupper() else rng.choice([w, w.upper(), w.capitalize()]) for w in words]
    out = written[0]
    for word in written[1:]:
        out += rng.choice(_GAPS) + word
    return out


@pytest.mark.parametrize("seed", range(40))
def test_planted_terms_are_found_at_their_offsets(seed: int) -> None:
    rng = _rng(seed)
    text = ""
    planted: list[TermMatch] = []
    for _ in range(rng.randint(1, 4)):
        text += _filler(rng, rng.randint(1, 4)) + rng.choice([" ", "\n", ", "])
        term = rng.choice(_PLANTABLE)
        written = _write(term, rng)
        planted.append(TermMatch(term.category, term.text, len(text), len(text) + len(written)))
        text += written + rng.choice([" ", ". ", "\n", "’s "])
    text += _filler(rng, 3)
    assert find_terms(SENSITIVE, text) == planted, text


# --- the built-in lexicons and packs -------------------------------------------------------------


def test_the_built_in_lexicons_and_their_categories() -> None:
    assert BUILTIN_LEXICONS == ("sensitive", "offensive", "chain_letter", "confidential")
    assert SENSITIVE.categories == ("safeguarding", "send", "medical", "behaviour", "family", "staff")
    assert OFFENSIVE.categories == ("profanity", "sexual", "slur", "harassment")
    assert CHAIN.categories == ("chain_letter",)
    assert CONFIDENTIAL.categories == ("confidential",)
    assert 100 <= OFFENSIVE.size <= 300


def test_the_lexicon_files_are_package_data() -> None:
    folder = resources.files("aupguard.engine.detectors") / "lexicons"
    names = sorted(entry.name for entry in folder.iterdir() if entry.name.endswith(".txt"))
    assert names == sorted(f"{name}.txt" for name in BUILTIN_LEXICONS)


@pytest.mark.parametrize("name", BUILTIN_LEXICONS)
def test_every_built_in_term_finds_itself_and_none_is_listed_twice(name: str) -> None:
    lexicon = builtin_lexicon(name)
    terms = builtin_terms(name)
    assert lexicon.size == len(terms)
    for term in terms:
        assert [(m.category, m.term) for m in find_terms(lexicon, term.text)] == [(term.category, term.text)]


@pytest.mark.parametrize("word", ["bloody", "damn", "crap", "bugger", "hell", "git", "arse", "cow", "sod"])
def test_mild_words_are_not_built_in(word: str) -> None:
    assert found(OFFENSIVE, f"oh {word}!") == []


def test_pack_terms_are_added_with_the_pack_category() -> None:
    lexicon = builtin_lexicon("offensive", ["bloody", "numpty"])
    assert found(lexicon, "a bloody numpty, fuck") == [
        (PACK, "bloody", "bloody"),
        (PACK, "numpty", "numpty"),
        ("profanity", "fuck", "fuck"),
    ]
    assert found(builtin_lexicon("offensive"), "a bloody numpty") == []


def test_a_pack_term_already_built_in_keeps_its_built_in_category() -> None:
    lexicon = builtin_lexicon("sensitive", ["Safeguarding", "autism"])
    assert found(lexicon, "safeguarding, autism") == [
        ("safeguarding", "safeguarding", "safeguarding"),
        ("send", "autism", "autism"),
    ]
    assert lexicon.size == SENSITIVE.size


def test_compiled_lexicons_are_cached_per_pack_settings() -> None:
    assert builtin_lexicon("sensitive") is SENSITIVE
    assert builtin_lexicon("sensitive", ["TAF"]) is builtin_lexicon("sensitive", ("TAF",))
    assert builtin_lexicon("sensitive", ["TAF"]) is not SENSITIVE
    assert builtin_lexicon("sensitive", ["TAF"]).digest != SENSITIVE.digest


def test_bad_names_and_terms_are_refused() -> None:
    with pytest.raises(ValueError, match="no built-in lexicon 'swearing'"):
        builtin_lexicon("swearing")
    with pytest.raises(ValueError, match="two letters or digits"):
        builtin_lexicon("offensive", ["f***"])
    with pytest.raises(ValueError, match="two letters or digits"):
        compile_lexicon([Term("  -- ", "x")])
    with pytest.raises(TypeError, match="not one string"):
        builtin_lexicon("offensive", "numpty")


def test_an_empty_lexicon_or_text_finds_nothing() -> None:
    assert find_terms(compile_lexicon([]), "safeguarding") == []
    assert find_terms(SENSITIVE, "") == []


def test_parse_lexicon_reads_sections_and_comments() -> None:
    source = "# a comment\n[first]\nalpha  # inline\n\n[second]\nbeta gamma\n"
    assert parse_lexicon(source) == (Term("alpha", "first"), Term("beta gamma", "second"))


@pytest.mark.parametrize(
    ("source", "message"),
    [("alpha\n", "line 1: term 'alpha' comes before any"), ("[ ]\nalpha\n", "line 1: empty category")],
)
def test_parse_lexicon_names_the_line_of_an_error(source: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_lexicon(source, "x.txt")
