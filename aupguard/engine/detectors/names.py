"""People's full names in text: pupils from the roster and staff from the directory, in one pass.

DESIGN.md, "Definitions every check shares": pupil names come from the roster, first or preferred name
with last name, in either order, ignoring case, accents, extra spaces and a comma after the surname.
The checks `email.pupil_name_in_subject`, `email.full_names_in_body`, `email.misdirected` and
`ai.personal_data` use this detector; staff names are found the same way.

What counts as a name in the text, for a pupil John Smith (preferred name Jack):

- "John Smith", "Jack Smith", "Smith John", "Smith, John", "SMITH, John", "smith john" (any case);
- any run of whitespace between the names, line breaks included ("John\\n   Smith"), and, in the
  surname-first order only, a comma after the surname with or without spaces round it;
- accents and letter variants ignored on both sides: é = e (Unicode NFKD with the combining marks
  dropped, so precomposed and decomposed text are equal), ł = l, ø = o, æ = ae, ß = ss; curly and
  straight apostrophes are equal ("O’Neill" = "O'Neill"); inside a first name or a surname a hyphen and
  a space are equal ("Anne-Marie" = "Anne Marie"), so hyphenated and multi-word names ("van der Berg")
  work;
- whole words only: "Jo Smith" is not found in "Jo Smithson", "Mary-Jo Smith" or "Jo Smith-Jones", and
  "Ann Lee" is not found in "Joann Leeds"; a possessive is still the name ("Jo Smith's");
- a first name alone or a surname alone is never a match;
- a first name that is a common English word (`COMMON_WORD_NAMES`: Will, May, Grace ...) written after
  the surname must start with a capital: "Shaw, Will" and "SHAW WILL" are the pupil Will Shaw, "Ms
  Shaw will call" is not; first name first ("will shaw"), any case still counts.

Two pupils with the same name are both reported, at the same span. Staff are matched on their first
and last names; group and generic accounts have no person's name and are left out.

How a text is scanned, and why the roster's size does not matter:

1. The text becomes a *skeleton* in C-speed string operations only: the most common non-ASCII
   characters of school email (curly quotes, dashes, no-break spaces, é, ö ...) are replaced one for
   one; the text is encoded to ASCII, the rarer non-ASCII characters going through a cached codec
   error handler that folds them (ß becomes ss, a combining accent nothing, a letter of another
   script one placeholder); one byte table then lowers the letters and turns everything that is not
   a letter or an apostrophe (spaces, digits, punctuation, the commas and hyphens a name may be
   written with) into a space.
2. One pyahocorasick automaton holds every name in both orders as its skeleton without spaces
   ("johnsmith", "smithjohn"), and walks the skeleton once with ``ignore_white_space=True``: "John
   Smith", "SMITH,\n  John" and "john   smith" all reach a key with no pass that collapses spaces.
3. Only a hit (rare in ordinary prose) costs Python work: its span is mapped back to the original
   text, whose characters are then folded exactly and checked against the name's words, the
   separators allowed between them, and the word boundaries on both sides. The skeleton of a text is
   a function of its exact folding, so the automaton never misses a name the exact check would
   accept; it only finds candidates, and the exact check decides.

There is no per-pupil regular expression and no per-pupil work per message.

A `NameMatch` never carries the name: its evidence is the person's initials ("J. S."), and its key
(UPN or staff address) points into the roster or directory the caller already holds.

The email checks do not call `find_names` itself: `words.find_names_and_terms` walks one automaton
holding these keys and the lexicons' for both, and hands the names' hits to `names_from_hits`, the
same exact check.

Latency budget: this runs on every outbound message and every text sent to an AI tool, next to
`aupguard.engine.detectors.identifiers.find_identifiers`. Measured on the email benchmark's corpus
(bench/README.md; 4 KB texts naming about eight people each, staff signatures included): about
42 µs a text with a 2,000-pupil roster, of which the automaton's walk is about 14 (the compiled
automaton, `automaton.new_automaton`: 3.5 ns a character whatever the roster's size; pyahocorasick
took 63), the skeleton 5 and each name found about 2-3. The roster's own cost is checking the names
of its pupils a text holds; the walk costs the same with 4,119 keys as with the staff's 155. Keep
the hot path to the skeleton's string operations and that one walk, and each hit's work to the cheap
tests first.
"""

from __future__ import annotations

import codecs
import re
import threading
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, NamedTuple

from aupguard.engine.detectors.automaton import new_automaton
from aupguard.engine.detectors.folding import (
    APOSTROPHES,
    COMMON_NON_ASCII,
    DROPPED_CATEGORIES,
    HYPHENS,
    LETTER_VARIANTS,
    OffsetMap,
)
from aupguard.engine.people import Pupil, StaffMember

__all__ = [
    "COMMON_WORD_NAMES",
    "KINDS",
    "NameIndex",
    "NameMatch",
    "build_name_index",
    "find_names",
    "fold",
    "names_from_hits",
    "skeleton_char",
]

PUPIL = "pupil"
STAFF = "staff"

#: Every kind a `NameMatch` can have. These strings are stored keys: add kinds, never rename them.
KINDS: tuple[str, ...] = (PUPIL, STAFF)


class NameMatch(NamedTuple):
    """One person's full name in the text.

    `kind` is "pupil" or "staff"; `key` is the pupil's UPN or the staff member's email address.
    ``text[start:end]`` is the name as written. `evidence` is the person's initials ("J. S.").
    (A named tuple: made for every name found in every message, four times cheaper than a frozen
    dataclass.)
    """

    kind: str
    key: str
    start: int
    end: int
    evidence: str


# --- folding: the exact comparison -----------------------------------------------------------------

# Letters NFKD does not take apart, and marks that stand for an apostrophe or a hyphen (lower case).
_SPECIAL = {
    **LETTER_VARIANTS,
    **dict.fromkeys(APOSTROPHES, "'"),
    **dict.fromkeys(HYPHENS, "-"),
}
_JOINERS = ("'", "-")

_FOLDED: dict[str, str] = {}
_CACHE_LIMIT = 1 << 16


def _fold_char_uncached(c: str) -> str:
    if c.isspace():
        return " "
    special = _SPECIAL.get(c.lower())
    if special is not None:
        return special
    # Case-fold between two decompositions: casefold can bring back an accent (ǰ) or change a letter
    # whose accent NFKD had split off (final sigma ς = σ).
    parts = unicodedata.normalize("NFKD", unicodedata.normalize("NFKD", c).casefold())
    return "".join(
        " " if part.isspace() else _SPECIAL.get(part, part)
        for part in parts
        if unicodedata.category(part) not in DROPPED_CATEGORIES
    )


def _fold_char(c: str) -> str:
    folded = _FOLDED.get(c)
    if folded is None:
        folded = _fold_char_uncached(c)
        if len(_FOLDED) < _CACHE_LIMIT:
            _FOLDED[c] = folded
    return folded


_ASCII_FOLD = str.maketrans({**{chr(c): " " for c in range(0x1C, 0x20)}, "`": "'"})


def fold(text: str) -> str:
    """`text` as names are compared: lower case, accents dropped, apostrophes straight, spaces plain.

    Character by character (so the fold of a text is the folds of its characters, one after
    another); a character can fold to nothing (a combining accent) or to two (ß, æ).
    """
    if text.isascii():
        return text.lower().translate(_ASCII_FOLD)
    return "".join(map(_fold_char, text))


# --- the skeleton: what the automaton walks ------------------------------------------------------

# The skeleton keeps only what can tell one name from another: the ASCII letters (lower case), the
# apostrophe, and one placeholder for a letter or digit of another script. Everything else (spaces,
# digits, punctuation, the commas and hyphens a name may be written with) becomes a space, which
# the automaton skips: fewer characters to walk, and "Smith,\nJohn" reaches the key "smithjohn".
_OTHER_LETTER = "\x01"


def _skeleton_table() -> bytes:
    table = bytearray(b" " * 256)
    for b in range(ord("a"), ord("z") + 1):
        table[b] = table[b - 32] = b
    table[ord("'")] = table[ord("`")] = ord("'")
    table[ord(_OTHER_LETTER)] = ord(_OTHER_LETTER)
    return bytes(table)


_SKELETON_TABLE = _skeleton_table()
_SKIPPED = " "  # the one character the skeleton has that the automaton skips (ignore_white_space)

_SKELETON_CHARS: dict[str, str] = {}
_SKELETON_RUNS: dict[str, str] = {}
# While a text is being encoded, the runs of non-ASCII characters the error handler turned into
# skeleton, as (start, end, skeleton): what maps skeleton offsets back to the text. Per thread, since
# the codec error handler is shared by every thread.
_RECORDING = threading.local()


def _skeleton_char(c: str) -> str:
    """The ASCII that a non-ASCII character becomes in the skeleton (before the byte table)."""
    out = _SKELETON_CHARS.get(c)
    if out is None:
        out = "".join(ch if ch.isascii() else _OTHER_LETTER if ch.isalnum() else " " for ch in _fold_char(c))
        if len(_SKELETON_CHARS) < _CACHE_LIMIT:
            _SKELETON_CHARS[c] = out
    return out


def _skeleton_errors(exc: UnicodeError) -> tuple[str, int]:
    """Codec error handler: the skeleton of one run of characters that are not ASCII."""
    if not isinstance(exc, UnicodeEncodeError):
        raise exc
    run = exc.object[exc.start : exc.end]
    out = _SKELETON_RUNS.get(run)
    if out is None:
        out = "".join(map(_skeleton_char, run))
        if len(run) <= 8 and len(_SKELETON_RUNS) < _CACHE_LIMIT:
            _SKELETON_RUNS[run] = out
    runs = getattr(_RECORDING, "runs", None)
    if runs is not None:
        runs.append((exc.start, exc.end, out))
    return out, exc.end


_ERRORS = "aupguard.names.skeleton"
codecs.register_error(_ERRORS, _skeleton_errors)

_Run = tuple[int, int, str]


# The non-ASCII characters most common in school email (Outlook's curly quotes and dashes, the pound
# sign, no-break spaces, the accented letters of names), each with the single ASCII character it
# becomes in the skeleton. Replacing them first (str.replace is a fast C scan) keeps the codec error
# handler, a Python call per run of non-ASCII characters, for the rare ones; the replacements are one
# character for one, so offsets do not move.
_COMMON_NON_ASCII: tuple[tuple[str, str], ...] = tuple(
    (c, _skeleton_char(c)) for c in COMMON_NON_ASCII if len(_skeleton_char(c)) == 1
)


def skeleton_char(c: str) -> str:
    """What the character `c` becomes in the skeleton the name index is walked over."""
    out = _skeleton_char(c) if not c.isascii() else c
    return out.encode("ascii").translate(_SKELETON_TABLE).decode("ascii")


def _skeleton(text: str) -> tuple[str, list[_Run]]:
    """The skeleton of `text`, and the runs of non-ASCII characters in it (see `_offsets`)."""
    runs: list[_Run] = []
    if not text.isascii():
        for common, ascii_char in _COMMON_NON_ASCII:
            text = text.replace(common, ascii_char)
    if text.isascii():
        raw = text.encode("ascii")
    else:
        _RECORDING.runs = runs
        try:
            raw = text.encode("ascii", _ERRORS)
        finally:
            _RECORDING.runs = None
    return raw.translate(_SKELETON_TABLE).decode("ascii"), runs


def _offsets(text: str, runs: list[_Run]) -> OffsetMap:
    """Where the skeleton of `text` drifts from the text, from the non-ASCII runs `_skeleton` saw."""
    offsets = OffsetMap()
    for start, end, out in runs:
        if len(out) == end - start and all(len(_skeleton_char(c)) == 1 for c in text[start:end]):
            continue
        for i in range(start, end):
            width = len(_skeleton_char(text[i]))
            if width != 1:
                offsets.add(i, width)
    return offsets


# --- the index -----------------------------------------------------------------------------------

# What may separate two words of a name in the text: inside a first name or a surname, spaces or a
# hyphen; between first name and surname, spaces; between surname and first name, spaces or a comma.
_INNER = 0
_FIRST_LAST = 1
_LAST_FIRST = 2
_ALLOWED_CORES: dict[int, tuple[str, ...]] = {_INNER: ("", "-"), _FIRST_LAST: ("",), _LAST_FIRST: ("", ",")}

_SEPARATORS = re.compile(r"([\s,\-]+)")
_SPACES = re.compile(r"\s+")
_NAME_SEPARATORS = frozenset(",-")
_ASCII_JOINERS = frozenset("'`-")  # the ASCII characters that fold to a joiner

#: First names that are also common English words ("will", "may", "grace"), folded. Written after
#: the surname, such a name counts only when it starts with a capital: "Shaw will take them" is not
#: the pupil Will Shaw, while "Shaw, Will", "SHAW WILL" and "will shaw" (first name first, the
#: surname next to it) still are. A name is listed when it is a word people write in lower case in
#: ordinary school mail (a verb, an adverb, a month, a common noun or adjective), not merely when a
#: dictionary has it.
# fmt: off
COMMON_WORD_NAMES: frozenset[str] = frozenset({
    # verbs, adverbs and everyday words
    "will", "may", "mark", "bill", "grant", "frank", "pat", "rob", "sue", "drew", "chase", "dean",
    "miles", "guy", "ray", "art", "sonny", "sunny", "sandy", "rich", "reed", "wade", "ward", "gene",
    "glen", "cliff", "lance", "rod", "nick", "bob", "don", "jack", "max", "mason", "hunter", "carter",
    # virtues
    "hope", "grace", "joy", "faith", "charity", "mercy", "patience", "honour", "honor", "destiny",
    "justice", "liberty", "harmony",
    # months and seasons
    "dawn", "summer", "june", "april", "august", "autumn", "winter",
    # nature, jewels and titles
    "rose", "ruby", "amber", "jade", "pearl", "crystal", "ivy", "holly", "lily", "daisy", "poppy",
    "iris", "hazel", "heather", "violet", "olive", "willow", "fern", "robin", "wren", "sky", "river",
    "brook", "rain", "storm", "sage", "scout", "piper", "angel", "star", "king", "prince",
})
# fmt: on


@dataclass(frozen=True, slots=True)
class _Form:
    """One way a person's name can be written: its folded words and what may separate them.

    `plain` is the words with one space between them, the commonest way of all. `variants` are the
    ways of writing it with one separator between words ("smith, john", "mary-jo smith"), checked
    first, as whole strings: the separators `written_as` accepts, each written once (a test holds
    every variant to the full check). `capital_last` is set for the surname-first form of a first
    name that is a common English word (`COMMON_WORD_NAMES`): the first name, last in the text, must
    then start with a capital.
    """

    kind: str
    key: str
    evidence: str
    words: tuple[str, ...]
    gaps: tuple[int, ...]
    plain: str
    capital_last: bool
    variants: frozenset[str]

    def written_as(self, folded: str) -> bool:
        if folded in self.variants:
            return True
        parts = _SEPARATORS.split(folded)
        if parts[0::2] != list(self.words):
            return False
        return all(
            _SPACES.sub("", sep) in _ALLOWED_CORES[gap]
            for sep, gap in zip(parts[1::2], self.gaps, strict=True)
        )


@dataclass(frozen=True, slots=True, eq=False)
class NameIndex:
    """Every name of a roster and a directory, compiled once into one Aho-Corasick automaton.

    Immutable by convention: build it with `build_name_index`, share it between threads and
    messages, never change it. `pupils` and `staff` count the people indexed, `keys` the distinct
    skeletons the automaton holds.
    """

    automaton: Any  # `new_automaton()`: value per key is (key length, tuple of _Form)
    pupils: int
    staff: int
    keys: int
    plains: frozenset[str] = frozenset()  # every form's variants (words with one separator each)


def _skeleton_of_folded(word: str) -> str:
    """The skeleton of an already folded word, without the spaces the automaton skips."""
    ascii_word = "".join(ch if ch.isascii() else _OTHER_LETTER if ch.isalnum() else " " for ch in word)
    return ascii_word.encode("ascii").translate(_SKELETON_TABLE).decode("ascii").replace(_SKIPPED, "")


def _words(name: str) -> tuple[str, ...]:
    return tuple(word for word in _SEPARATORS.split(fold(name))[0::2] if word)


def _initial(name: str) -> str:
    for c in name:
        if c.isalnum():
            return c.upper()[0]
    return "?"


def _add_person(
    forms: dict[str, list[_Form]], seen: set[tuple[str, ...]], kind: str, key: str, first: str, last: str
) -> None:
    first_words, last_words = _words(first), _words(last)
    if not first_words or not last_words:
        return
    evidence = f"{_initial(first)}. {_initial(last)}."
    inner_first = (_INNER,) * (len(first_words) - 1)
    inner_last = (_INNER,) * (len(last_words) - 1)
    common_word = len(first_words) == 1 and first_words[0] in COMMON_WORD_NAMES
    for words, gaps, capital_last in (
        (first_words + last_words, (*inner_first, _FIRST_LAST, *inner_last), False),
        (last_words + first_words, (*inner_last, _LAST_FIRST, *inner_first), common_word),
    ):
        identity = (kind, key, *words, "|", *map(str, gaps))
        if identity in seen:
            continue
        seen.add(identity)
        skeleton = "".join(map(_skeleton_of_folded, words))
        if not skeleton:
            return
        forms.setdefault(skeleton, []).append(
            _Form(kind, key, evidence, words, gaps, " ".join(words), capital_last, _variants(words, gaps))
        )


# How each kind of gap is written with one separator (the cores `_ALLOWED_CORES` takes, spaced as
# people write them).
_WRITTEN_GAPS: dict[int, tuple[str, ...]] = {
    _INNER: (" ", "-"),
    _FIRST_LAST: (" ",),
    _LAST_FIRST: (" ", ", ", ","),
}


def _variants(words: tuple[str, ...], gaps: tuple[int, ...]) -> frozenset[str]:
    """The ways of writing `words` with one separator in each gap: the plain form first among them."""
    found = [words[0]]
    for word, gap in zip(words[1:], gaps, strict=True):
        found = [head + sep + word for head in found for sep in _WRITTEN_GAPS[gap]]
    return frozenset(found)


def build_name_index(pupils: Iterable[Pupil], staff: Iterable[StaffMember] = ()) -> NameIndex:
    """Compile the full names of `pupils` (first and preferred names) and `staff` into a NameIndex.

    Staff accounts that are not a person's (group, generic_inbound) or have no name are left out.
    """
    forms: dict[str, list[_Form]] = {}
    seen: set[tuple[str, ...]] = set()
    pupil_count = staff_count = 0
    for pupil in pupils:
        pupil_count += 1
        for first in (pupil.first_name, pupil.preferred_name):
            if first:
                _add_person(forms, seen, PUPIL, pupil.upn, first, pupil.last_name)
    for member in staff:
        if member.account_kind != "person" or not member.first_name or not member.last_name:
            continue
        staff_count += 1
        _add_person(forms, seen, STAFF, member.email, member.first_name, member.last_name)

    automaton = new_automaton()
    for skeleton, candidates in forms.items():
        automaton.add_word(skeleton, (len(skeleton), tuple(candidates)))
    if forms:
        automaton.make_automaton()
    plains = frozenset(
        variant for candidates in forms.values() for form in candidates for variant in form.variants
    )
    return NameIndex(automaton, pupil_count, staff_count, len(forms), plains)


# --- the scan ------------------------------------------------------------------------------------


def _starts_word(text: str, start: int) -> bool:
    """True when nothing glues a word onto the name starting at `start`.

    Looks at the folded text before it: no letter or digit, and no apostrophe or hyphen that follows
    one ("Mary-Jo Smith" is not Jo Smith).
    """
    if start == 0:
        return True
    c = text[start - 1]
    if c.isascii() and c not in _ASCII_JOINERS:  # the common case, without folding
        return not c.isalnum()
    before = ""
    i = start
    while i > 0 and len(before) < 2:
        i -= 1
        before = _fold_char(text[i]) + before
    if not before:
        return True
    if before[-1].isalnum():
        return False
    return not (before[-1] in _JOINERS and len(before) > 1 and before[-2].isalnum())


def _word_end(text: str, end: int) -> int | None:
    """Where the name ending at `end` ends (after any accents on its last letter), or None when a
    word goes on after it. A possessive is not a word going on: "Smith's" is still Smith, while
    "Smith-Jones" and "Smithson" are other names.
    """
    n = len(text)
    if end == n:
        return end
    c = text[end]
    if c.isascii() and c not in _ASCII_JOINERS:  # no ASCII character folds to nothing
        return None if c.isalnum() else end
    while end < n and not _fold_char(text[end]):
        end += 1
    after = ""
    i = end
    while i < n and len(after) < 3:
        after += _fold_char(text[i])
        i += 1
    if not after:
        return end
    if after[0].isalnum():
        return None
    if after[0] in _JOINERS and len(after) > 1 and after[1].isalnum():
        possessive = after[0] == "'" and after[1] == "s" and (len(after) == 2 or not after[2].isalnum())
        if not possessive:
            return None
    return end


def _starts_with_capital(text: str, start: int, end: int) -> bool:
    """True when the last word of ``text[start:end]`` (a name) starts with a capital letter."""
    i = end
    while i > start:
        folded = _fold_char(text[i - 1])
        if folded and (folded.isspace() or folded in _NAME_SEPARATORS):
            break
        i -= 1
    for c in text[i:end]:
        if c.isalpha():
            return c.isupper()
    return False


def _key_start(skeleton: str, last: int, length: int) -> int:
    """Where a key of `length` characters (spaces of the skeleton skipped) that ends at `last` starts.

    The spaces inside the span are counted with `str.count` until the count settles: from the span
    of `length` characters back, each count can only take in more of the text, never pass the key's
    first character (the last non-space character of the span it starts).
    """
    stop = last + 1
    spaces = 0
    while True:
        start = stop - length - spaces
        counted = skeleton.count(_SKIPPED, start, stop)
        if counted == spaces:
            return start
        spaces = counted


def find_names(index: NameIndex, text: str) -> list[NameMatch]:
    """Every full name of `index` in `text`, in order of position (then kind and key).

    One skeleton and one automaton walk per call; Python work only for the automaton's hits.
    """
    if not index.keys or not text:
        return []
    skeleton, runs = _skeleton(text)
    hits = [
        (last, length, forms)
        for last, (length, forms) in index.automaton.iter(skeleton, ignore_white_space=True)
    ]
    if not hits:
        return []
    return names_from_hits(index, text, skeleton, _offsets(text, runs) if runs else None, hits)


def names_from_hits(
    index: NameIndex,
    text: str,
    skeleton: str,
    offsets: OffsetMap | None,
    hits: Iterable[tuple[int, int, tuple[_Form, ...]]],
) -> list[NameMatch]:
    """The names that the automaton's `hits` (last index, key length, forms) in `skeleton` are.

    `skeleton` may be any skeleton in which a name the exact check accepts reaches its key (spaces
    skipped), and `offsets` maps it back to `text` (None when it is one character per character).
    """
    plains = index.plains
    found: dict[tuple[str, str, int, int], NameMatch] = {}
    spans: dict[tuple[int, int], tuple[int, str] | None] = {}
    for last, length, forms in hits:
        first = _key_start(skeleton, last, length)
        if offsets is None:
            start, end = first, last + 1
        else:
            start, end = offsets.original(first), offsets.original(last) + 1
        checked: tuple[int, str] | None
        if (start, end) in spans:
            checked = spans[start, end]
        else:
            word_end = _word_end(text, end) if _starts_word(text, start) else None
            if word_end is None:
                checked = None
            else:
                written = text[start:word_end]
                # Lower case is the whole fold of ASCII but for a few characters no name has.
                lowered = written.lower() if written.isascii() else None
                checked = (word_end, lowered if lowered in plains else fold(written))
            spans[start, end] = checked
        if checked is None:
            continue
        word_end, folded = checked
        for form in forms:
            if form.written_as(folded) and (
                not form.capital_last or _starts_with_capital(text, start, word_end)
            ):
                key = (form.kind, form.key, start, word_end)
                if key not in found:
                    found[key] = NameMatch(form.kind, form.key, start, word_end, form.evidence)
    if len(found) < 2:
        return list(found.values())
    return sorted(found.values(), key=lambda m: (m.start, m.end, m.kind, m.key))
