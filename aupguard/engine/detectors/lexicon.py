"""Lexicons: words and phrases found as whole words in a text, every term in one pass.

The checks that look for words rather than numbers use this detector (DESIGN.md, check catalogue):

- `email.personal_data_unencrypted`: the built-in lexicon "sensitive" (safeguarding, SEN/EHCP,
  medical, behaviour and exclusion, family circumstances, staff HR matters), for "a pupil or staff
  member named together with sensitive terms";
- `email.offensive_language`: "offensive" (profanity, slurs, sexual vulgarity, harassment);
- `email.chain_letter`: "chain_letter" (phrases of chain letters and joke forwards);
- `email.confidential_unmarked`: "confidential" (phrases that mark content as confidential).

A pack adds its own words with the settings `sensitive_terms` and `offensive_terms`
(docs/pack-format.md); `builtin_lexicon(name, extra)` gives them the category "pack".

The built-in terms are data, one file per lexicon in ``lexicons/`` beside this module, read with
`importlib.resources`: "[category]" starts a section, then one term per line, "#" starts a comment.
Each file says why it leaves out the words it leaves out; offensive.txt states the policy for mild
words (Ofcom's research: words it rates mild, such as "bloody", are not flagged).

What a term matches:

- whole words only: "ass" is not in "assistant", "class" or "Essex"; "cunt" is not in
  "Scunthorpe"; "shit" is not in "shitake"; "rapist" is not in "therapist". A word is a run of
  letters (of any script), digits and apostrophes; anything else (spaces, punctuation, a hyphen, a
  slash) ends it, so "SEN/EHCP" holds two terms and "bull-shit" holds "shit". An apostrophe glued to a
  letter keeps the word going ("O'Shit" is not "shit"), except a final possessive ("pupil's") or a
  closing quote;
- any case, accents and letter variants ignored: é = e (Unicode NFKD with combining marks dropped),
  ß = ss, æ = ae, ł = l, ﬁ = fi, full-width letters = ASCII; curly and straight apostrophes are
  equal; invisible characters (soft hyphen, zero-width space) are ignored, so "fu\\u200bck" is
  "fuck";
- except for capitals: a word of two letters or more written in the lexicon in CAPITALS (an
  acronym) must be written in capitals in the text. "SEN" matches "SEN", never "sen", "Sen" or
  "sent"; "LAC" is not "lac"; "PEP" is not "pep talk"; "CP" is not "cp" in a URL. A word written in
  lower or mixed case ("ehcp", "SENCo") matches in any case. The same rule holds for a pack's terms.
  Known limit: text written all in capitals matches the acronyms ("PLEASE SEND THIS" holds "SEND");
- between the words of a phrase the text may have any run of whitespace, line breaks included, and
  a hyphen where the phrase has a space or a hyphen: "self harm", "self-harm" and "self -\\n harm"
  are all the term "self-harm"; ">" quote marks after a line break are ignored too ("child\\n>
  protection" in a quoted reply). Other punctuation inside a phrase must be there as written ("fw:
  fw: fw:" needs its colons); punctuation at either end of a term is ignored;
- no stemming: inflections are listed as terms of their own ("exclusion", "excluded").

`find_terms` returns matches that do not overlap: where terms overlap, the one that starts first
wins, then the longer ("permanent exclusion" rather than "exclusion"); where one span matches two
terms, the one listed first (so a built-in term before a pack's). ``text[start:end]`` is the term
as written, in the original text, even when folding changed lengths before it (ligatures,
decomposed accents).

How a text is scanned:

1. The text becomes a *skeleton* with C-speed string operations: ASCII text goes through one byte
   translation table (letters lower case, digits and the apostrophe kept, everything else a space);
   the non-ASCII characters common in school email (curly quotes, dashes, accented Latin letters)
   are first replaced one for one; any other non-ASCII character is folded in Python, so only the
   rare text with a ligature, a decomposed accent or another script pays for it, and only those
   characters are recorded to map offsets back.
2. One pyahocorasick automaton holds every term as its words run together ("selfharm") and walks
   the skeleton once with ``ignore_white_space=True``, so any run of separators between words costs
   nothing.
3. Only a hit costs Python work, cheapest test first: the word boundary after it, the boundary
   before it, then, for a phrase or an acronym, the words, separators and capitals as written.

Several lexicons can share one walk: `compile_lexicon_set` merges compiled lexicons into one
automaton and `find_terms_of_each` returns, for each, exactly what `find_terms` would (a hit is placed
once, then checked against each lexicon's forms). A pack's four lexicons are compiled into one set
(`CompiledPack.lexicons`), and the email checks walk it together with the roster's names
(`words.find_names_and_terms`).

Latency budget: the sensitive and offensive lexicons run on every outbound message and every text
sent to an AI tool, next to `aupguard.engine.detectors.identifiers.find_identifiers` (10 MB/s or
more). `find_terms` must scan ordinary school-email prose at 20 MB/s or more per lexicon on one core.
Measured when written, on 2,000 generated school-email paragraphs (440 characters on average): about
80 MB/s for "sensitive", 110 MB/s for "offensive" and 120 MB/s for the phrase lexicons on plain
text; 65-85 MB/s with curly quotes and accented names; 40-50 MB/s when every paragraph also holds a
ligature or a decomposed accent (the Python fold); 100-170 MB/s on whole 3 KB emails. Keep the hot
path to one skeleton and one automaton walk; `compile_lexicon` is the named, slow step, done once
per pack (`builtin_lexicon` caches it).
"""

from __future__ import annotations

import functools
import hashlib
import itertools
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

from aupguard.engine.detectors.automaton import new_automaton
from aupguard.engine.detectors.folding import (
    APOSTROPHES,
    COMMON_NON_ASCII,
    DROPPED_CATEGORIES,
    HYPHENS,
    LETTER_VARIANTS,
    OffsetMap,
)

__all__ = [
    "BUILTIN_LEXICONS",
    "PACK",
    "Lexicon",
    "LexiconSet",
    "Term",
    "TermMatch",
    "ascii_skeleton",
    "builtin_lexicon",
    "builtin_terms",
    "compile_lexicon",
    "compile_lexicon_set",
    "find_terms",
    "find_terms_of_each",
    "parse_lexicon",
    "skeleton_char",
    "terms_from_hits",
]

#: The built-in lexicons, each a file ``lexicons/<name>.txt`` in this package.
BUILTIN_LEXICONS: tuple[str, ...] = ("sensitive", "offensive", "chain_letter", "confidential")

#: The category of the terms a pack adds (`builtin_lexicon`'s `extra`).
PACK = "pack"


@dataclass(frozen=True, slots=True)
class Term:
    """One lexicon entry: a word or phrase as written in the lexicon, and its category."""

    text: str
    category: str


@dataclass(frozen=True, slots=True)
class TermMatch:
    """One term found in a text. ``text[start:end]`` is the term as written there."""

    category: str
    term: str
    start: int
    end: int


# --- folding: the skeleton ------------------------------------------------------------------------

_SKIPPED = " "  # the one separator the skeleton has; the automaton skips it (ignore_white_space)
_BOUNDARY_AFTER = frozenset(" '")  # what may follow the end of a word in the skeleton (_ends_word)

_CHAR_SKELETONS: dict[str, str] = {}
_CACHE_LIMIT = 1 << 16


def _char_skeleton_uncached(c: str) -> str:
    if c in APOSTROPHES:
        return "'"
    out = []
    for part in unicodedata.normalize("NFKD", c):
        if unicodedata.category(part) in DROPPED_CATEGORIES:
            continue
        for low in part.lower():
            for ch in LETTER_VARIANTS.get(low, low):
                if ch in APOSTROPHES:
                    out.append("'")
                elif ch.isalnum() and unicodedata.category(ch) not in DROPPED_CATEGORIES:
                    out.append(ch)
                else:
                    out.append(_SKIPPED)
    return "".join(out)


def _char_skeleton(c: str) -> str:
    """What one character becomes in the skeleton: word characters, a space, or nothing."""
    out = _CHAR_SKELETONS.get(c)
    if out is None:
        out = _char_skeleton_uncached(c)
        if len(_CHAR_SKELETONS) < _CACHE_LIMIT:
            _CHAR_SKELETONS[c] = out
    return out


def _ascii_table() -> bytes:
    table = bytearray(_SKIPPED.encode("ascii") * 256)
    for b in range(ord("a"), ord("z") + 1):
        table[b] = table[b - 32] = b
    for b in range(ord("0"), ord("9") + 1):
        table[b] = b
    table[ord("'")] = table[ord("`")] = ord("'")
    return bytes(table)


_ASCII_TABLE = _ascii_table()

# The non-ASCII characters most common in school email whose skeleton is one ASCII character:
# replacing them first (str.replace is a C scan) keeps the Python fold for the rare ones, and
# offsets do not move.
_COMMON_NON_ASCII: tuple[tuple[str, str], ...] = tuple(
    (c, _char_skeleton(c))
    for c in COMMON_NON_ASCII
    if len(_char_skeleton(c)) == 1 and _char_skeleton(c).isascii()
)
_NON_ASCII_RUN = re.compile(r"[^\x00-\x7f]+")
_NON_ASCII_CHAR = re.compile(r"[^\x00-\x7f]")
_WORD = re.compile(r"\S+")


def _original_end(offsets: OffsetMap, k: int, text: str) -> int:
    """The text index where a span ending at skeleton index `k` (exclusive) ends.

    The span takes in the characters that fold to nothing right after it (a decomposed accent).
    """
    end = offsets.original(k - 1) + 1
    while end < len(text) and not _char_skeleton(text[end]):
        end += 1
    return end


def ascii_skeleton(text: str, rare: Callable[[str], str | None] | None = None) -> str | None:
    """The skeleton of `text` when it can be made one ASCII character for one (so that offsets into
    it are offsets into the text); None when it cannot.

    The common non-ASCII characters are replaced first; `rare`, if given, gives the ASCII character
    that each other non-ASCII character of the text becomes in the skeleton, or None for one that
    has no such character (the text then gets None).
    """
    if not text.isascii():
        for common, ascii_char in _COMMON_NON_ASCII:
            text = text.replace(common, ascii_char)
        if not text.isascii():
            if rare is None:
                return None
            for c in set(_NON_ASCII_CHAR.findall(text)):
                replacement = rare(c)
                if replacement is None:
                    return None
                text = text.replace(c, replacement)
    return text.encode("ascii").translate(_ASCII_TABLE).decode("ascii")


def skeleton_char(c: str) -> str:
    """What the character `c` becomes in a skeleton: word characters, a space, or nothing."""
    out = _char_skeleton(c)
    return out.encode("ascii").translate(_ASCII_TABLE).decode("ascii") if out.isascii() else out


def _skeleton(text: str) -> tuple[str, OffsetMap | None]:
    """The skeleton of `text`, and the offset map when its length differs from the text's."""
    if not text.isascii():
        for common, ascii_char in _COMMON_NON_ASCII:
            text = text.replace(common, ascii_char)
        if not text.isascii():
            return _skeleton_slow(text)
    return text.encode("ascii").translate(_ASCII_TABLE).decode("ascii"), None


def _skeleton_slow(text: str) -> tuple[str, OffsetMap | None]:
    pieces: list[str] = []
    offsets = OffsetMap()
    pos = 0
    for run in _NON_ASCII_RUN.finditer(text):
        start, end = run.span()
        if start > pos:
            pieces.append(text[pos:start].encode("ascii").translate(_ASCII_TABLE).decode("ascii"))
        for i in range(start, end):
            out = _char_skeleton(text[i])
            pieces.append(out)
            if len(out) != 1:
                offsets.add(i, len(out))
        pos = end
    pieces.append(text[pos:].encode("ascii").translate(_ASCII_TABLE).decode("ascii"))
    return "".join(pieces), (offsets or None)


# --- word boundaries and separators --------------------------------------------------------------


def _starts_word(skeleton: str, start: int) -> bool:
    """True when no word character is glued to the skeleton's `start` from the left."""
    if start == 0:
        return True
    before = skeleton[start - 1]
    if before == _SKIPPED:
        return True
    # An opening quote starts a word; an apostrophe inside one ("O'Shit") does not.
    return before == "'" and (start == 1 or skeleton[start - 2] == _SKIPPED)


def _ends_word(skeleton: str, end: int) -> bool:
    """True when the word ends at the skeleton's `end`: a separator, a closing quote, or "'s"."""
    if end == len(skeleton):
        return True
    after = skeleton[end]
    if after == _SKIPPED:
        return True
    if after != "'":
        return False
    if end + 1 == len(skeleton) or skeleton[end + 1] == _SKIPPED:
        return True
    return skeleton[end + 1] == "s" and (end + 2 == len(skeleton) or skeleton[end + 2] == _SKIPPED)


def _separator_core(separator: str) -> str:
    """What tells one separator from another: not whitespace, not invisible marks; hyphens equal.

    ">" quote marks after a line break (a quoted reply) are left out too.
    """
    if separator.isascii():  # no ASCII character is invisible, and "-" is the only ASCII hyphen
        core = "".join(separator.split())
    else:
        out = []
        for c in separator:
            if c.isspace() or unicodedata.category(c) in DROPPED_CATEGORIES:
                continue
            out.append("-" if c in HYPHENS else c)
        core = "".join(out)
    if ">" in core and ("\n" in separator or "\r" in separator):
        core = core.replace(">", "")
    return core


def _separators_agree(expected: str, written: str) -> bool:
    if expected in ("", "-"):
        return written in ("", "-")
    return written == expected


def _is_acronym(word: str) -> bool:
    """A word matched only as written: two letters or more, all its cased letters capitals."""
    return sum(c.isalpha() for c in word) >= 2 and word.upper() == word and word.lower() != word


# --- the compiled lexicon ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Form:
    """A term ready to be checked against a span: its words, separators and acronym words."""

    term: Term
    words: tuple[str, ...]  # as in the skeleton
    separators: tuple[str, ...]  # cores (`_separator_core`), one between each two words
    exact: tuple[str | None, ...]  # per word: the acronym as written, or None for any case

    @property
    def identity(self) -> tuple[object, ...]:
        return (self.words, tuple("" if s == "-" else s for s in self.separators), self.exact)


def _word_spans(skeleton: str, start: int, end: int) -> list[tuple[int, int]]:
    return [m.span() for m in _WORD.finditer(skeleton, start, end)]


def _form(term: Term) -> _Form:
    skeleton, offsets = _skeleton(term.text)
    spans = _word_spans(skeleton, 0, len(skeleton))
    if spans:
        # Punctuation at either end of a term is ignored: a leading or trailing apostrophe too.
        first_start, first_end = spans[0]
        while first_start < first_end and skeleton[first_start] == "'":
            first_start += 1
        spans[0] = (first_start, first_end)
        last_start, last_end = spans[-1]
        while last_end > last_start and skeleton[last_end - 1] == "'":
            last_end -= 1
        spans[-1] = (last_start, last_end)
        spans = [(s, e) for s, e in spans if s < e]
    words = tuple(skeleton[s:e] for s, e in spans)
    if sum(len(w.replace("'", "")) for w in words) < 2:
        raise ValueError(f"lexicon term {term.text!r} ({term.category}) needs two letters or digits at least")
    if offsets is None:
        original = spans
    else:
        original = [(offsets.original(s), _original_end(offsets, e, term.text)) for s, e in spans]
    separators = tuple(
        _separator_core(term.text[left_end:right_start])
        for (_, left_end), (right_start, _) in itertools.pairwise(original)
    )
    exact = tuple(
        term.text[s:e] if _is_acronym(term.text[s:e]) and term.text[s:e].isascii() else None
        for s, e in original
    )
    return _Form(term, words, separators, exact)


@dataclass(frozen=True, slots=True, eq=False)
class Lexicon:
    """Terms compiled once into one Aho-Corasick automaton (`compile_lexicon`).

    Immutable by convention: share it between threads and messages, never change it. `terms` are
    the distinct terms in the order given, `categories` theirs in order of first use, and `digest`
    the SHA-256 of the terms, to record exactly which word list produced a result.
    """

    automaton: Any = field(repr=False)  # `new_automaton()`: key -> (key length, forms, fast form)
    terms: tuple[Term, ...] = field(repr=False)
    categories: tuple[str, ...]
    size: int
    digest: str


def compile_lexicon(terms: Iterable[Term]) -> Lexicon:
    """Compile `terms` into a Lexicon. The slow, named step: do it once, not per message.

    A term written twice (the same words, separators and capitals) is kept once, with the category
    it had first. Raises ValueError for a term with fewer than two letters or digits.
    """
    by_key: dict[str, list[_Form]] = {}
    seen: set[tuple[object, ...]] = set()
    kept: list[Term] = []
    categories: dict[str, None] = {}
    for term in terms:
        form = _form(term)
        if form.identity in seen:
            continue
        seen.add(form.identity)
        kept.append(term)
        categories.setdefault(term.category, None)
        by_key.setdefault("".join(form.words), []).append(form)

    automaton = new_automaton()
    for key, forms in by_key.items():
        only = forms[0]
        fast = only if len(forms) == 1 and len(only.words) == 1 and only.exact == (None,) else None
        automaton.add_word(key, (len(key), tuple(forms), fast))
    if by_key:
        automaton.make_automaton()
    digest = hashlib.sha256("".join(f"{t.category}\t{t.text}\n" for t in kept).encode("utf-8")).hexdigest()
    return Lexicon(automaton, tuple(kept), tuple(categories), len(kept), digest)


# --- the scan ------------------------------------------------------------------------------------


def _walk_back(skeleton: str, last: int, length: int) -> int:
    """Where a key of `length` word characters that ends at `last` starts, skipping separators."""
    first = last
    remaining = length
    while True:
        if skeleton[first] != _SKIPPED:
            remaining -= 1
            if not remaining:
                return first
        first -= 1


def _written_as(form: _Form, text: str, spans: list[tuple[int, int]]) -> bool:
    """True when the words at `spans` (original text offsets) are `form` as written."""
    for (start, end), exact in zip(spans, form.exact, strict=True):
        if exact is not None and text[start:end] != exact:
            return False
    return all(
        _separators_agree(expected, _separator_core(text[left_end:right_start]))
        for expected, ((_, left_end), (right_start, _)) in zip(
            form.separators, itertools.pairwise(spans), strict=True
        )
    )


_Span = tuple[int, int, int, int, bool]  # skeleton start and end, text start and end, contiguous
_Hit = tuple[int, int, int, Term]  # text start and end, rank among the key's forms, the term


def _span(skeleton: str, offsets: OffsetMap | None, text: str, last: int, length: int) -> _Span | None:
    """Where an automaton hit is, in the skeleton and in the text, if it is whole words."""
    end = last + 1
    if not _ends_word(skeleton, end):
        return None
    start = end - length
    contiguous = start >= 0 and skeleton.find(_SKIPPED, start, end) < 0
    if not contiguous:
        start = _walk_back(skeleton, last, length)
    if not _starts_word(skeleton, start):
        return None
    if offsets is None:
        return start, end, start, end, contiguous
    return start, end, offsets.original(start), _original_end(offsets, end, text), contiguous


def _hit(
    span: _Span,
    forms: tuple[_Form, ...],
    fast: _Form | None,
    skeleton: str,
    offsets: OffsetMap | None,
    text: str,
) -> _Hit | None:
    """The term of `forms` written at `span`, cheapest test first; None when none is."""
    start, end, o_start, o_end, contiguous = span
    if contiguous:
        if fast is not None:
            return o_start, o_end, 0, fast.term
        # One word: a form of one word matches, in capitals as written when it is an acronym.
        word = skeleton[start:end]
        for rank, form in enumerate(forms):
            if len(form.words) == 1 and form.words[0] == word:
                exact = form.exact[0]
                if exact is None or text[o_start:o_end] == exact:
                    return o_start, o_end, rank, form.term
        return None
    # Words with separators between them: each form's words, capitals and separators as written.
    skeleton_spans = _word_spans(skeleton, start, end)
    written = tuple(skeleton[s:e] for s, e in skeleton_spans)
    if offsets is None:
        word_spans = skeleton_spans
    else:
        word_spans = [(offsets.original(s), _original_end(offsets, e, text)) for s, e in skeleton_spans]
    for rank, form in enumerate(forms):
        if form.words == written and _written_as(form, text, word_spans):
            return o_start, o_end, rank, form.term
    return None


def _candidates(lexicon: Lexicon, text: str) -> Iterator[_Hit]:
    """(start, end, rank, term) for every hit that passes its checks; rank orders ties."""
    skeleton, offsets = _skeleton(text)
    length_of_skeleton = len(skeleton)
    for last, (length, forms, fast) in lexicon.automaton.iter(skeleton, ignore_white_space=True):
        if last + 1 < length_of_skeleton and skeleton[last + 1] not in _BOUNDARY_AFTER:
            continue  # a word character goes on after the key: not a whole word (_ends_word)
        span = _span(skeleton, offsets, text, last, length)
        if span is not None:
            hit = _hit(span, forms, fast, skeleton, offsets, text)
            if hit is not None:
                yield hit


def _without_overlaps(hits: Iterable[_Hit]) -> list[TermMatch]:
    matches: list[TermMatch] = []
    covered = 0
    for start, end, _, term in sorted(hits, key=lambda h: (h[0], -h[1], h[2])):
        if start < covered:
            continue
        matches.append(TermMatch(term.category, term.text, start, end))
        covered = end
    return matches


def find_terms(lexicon: Lexicon, text: str) -> list[TermMatch]:
    """Every term of `lexicon` in `text`, without overlaps, in order of position.

    One skeleton and one automaton walk per call; Python work only for the automaton's hits.
    """
    if not lexicon.size or not text:
        return []
    return _without_overlaps(_candidates(lexicon, text))


# --- several lexicons in one walk ----------------------------------------------------------------


@dataclass(frozen=True, slots=True, eq=False)
class LexiconSet:
    """Several lexicons in one Aho-Corasick automaton (`compile_lexicon_set`): one walk of a text
    finds the terms of each (`find_terms_of_each`), where `find_terms` would walk it once per lexicon.

    Immutable by convention, like a `Lexicon`.
    """

    lexicons: tuple[Lexicon, ...]
    # key -> (key length, ((index of the lexicon, forms, fast form), ...))
    automaton: Any = field(repr=False)


def compile_lexicon_set(lexicons: Iterable[Lexicon]) -> LexiconSet:
    """Merge compiled `lexicons` into one automaton. Their order is the order of the results."""
    chosen = tuple(lexicons)
    by_key: dict[str, tuple[int, list[tuple[int, tuple[_Form, ...], _Form | None]]]] = {}
    for number, lexicon in enumerate(chosen):
        if not lexicon.size:
            continue
        for key, (length, forms, fast) in lexicon.automaton.items():
            by_key.setdefault(key, (length, []))[1].append((number, forms, fast))
    automaton = new_automaton()
    for key, (length, entries) in by_key.items():
        automaton.add_word(key, (length, tuple(entries)))
    if by_key:
        automaton.make_automaton()
    return LexiconSet(chosen, automaton)


def find_terms_of_each(lexicons: LexiconSet, text: str) -> tuple[list[TermMatch], ...]:
    """For each lexicon of the set, in order, exactly what `find_terms(lexicon, text)` returns.

    One skeleton and one walk for all of them: a hit is placed once (word boundaries, where it is in
    the text) and then checked against the forms each lexicon has for it.
    """
    if not text or not len(lexicons.automaton):
        return tuple([] for _ in lexicons.lexicons)
    skeleton, offsets = _skeleton(text)
    hits = [
        (last, length, entries)
        for last, (length, entries) in lexicons.automaton.iter(skeleton, ignore_white_space=True)
    ]
    return terms_from_hits(lexicons, text, skeleton, offsets, hits)


_Entries = tuple[tuple[int, tuple[_Form, ...], "_Form | None"], ...]


def terms_from_hits(
    lexicons: LexiconSet,
    text: str,
    skeleton: str,
    offsets: OffsetMap | None,
    hits: Iterable[tuple[int, int, _Entries]],
) -> tuple[list[TermMatch], ...]:
    """The terms of each lexicon that the automaton's `hits` (last index, key length, entries of
    `LexiconSet.automaton`) in `skeleton`, the skeleton of `text`, are."""
    found: list[list[_Hit]] = [[] for _ in lexicons.lexicons]
    length_of_skeleton = len(skeleton)
    for last, length, entries in hits:
        end = last + 1
        # The commonest miss, without a call: a word character goes on after the key ("ass" in "class").
        if end < length_of_skeleton and skeleton[end] not in _BOUNDARY_AFTER:
            continue
        span = _span(skeleton, offsets, text, last, length)
        if span is None:
            continue
        for number, forms, fast in entries:
            hit = _hit(span, forms, fast, skeleton, offsets, text)
            if hit is not None:
                found[number].append(hit)
    return tuple(_without_overlaps(hits) if hits else [] for hits in found)


# --- the built-in lexicons -----------------------------------------------------------------------


def parse_lexicon(source: str, name: str = "<lexicon>") -> tuple[Term, ...]:
    """The terms of a lexicon file: "[category]" lines, one term per line, "#" comments.

    Raises ValueError naming `name` and the line for a term before any category or an empty
    category name.
    """
    terms: list[Term] = []
    category: str | None = None
    for number, raw in enumerate(source.splitlines(), start=1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        if line.startswith("[") and line.endswith("]"):
            category = line[1:-1].strip()
            if not category:
                raise ValueError(f"{name}, line {number}: empty category name")
            continue
        if category is None:
            raise ValueError(f"{name}, line {number}: term {line!r} comes before any [category] line")
        terms.append(Term(line, category))
    return tuple(terms)


@functools.cache
def builtin_terms(name: str) -> tuple[Term, ...]:
    """The terms of the built-in lexicon `name` (one of BUILTIN_LEXICONS), read from its file."""
    if name not in BUILTIN_LEXICONS:
        raise ValueError(f"no built-in lexicon {name!r}; expected one of {', '.join(BUILTIN_LEXICONS)}")
    source = resources.files(__package__ or "aupguard.engine.detectors") / "lexicons" / f"{name}.txt"
    return parse_lexicon(source.read_text(encoding="utf-8"), f"lexicons/{name}.txt")


def builtin_lexicon(name: str, extra: Iterable[str] = ()) -> Lexicon:
    """The built-in lexicon `name`, compiled, with a pack's `extra` terms (category "pack").

    Cached: guards call this once per pack, and the same pack settings give the same object. Raises
    ValueError for an unknown name or an extra term with fewer than two letters or digits.
    """
    if isinstance(extra, str):
        raise TypeError("extra must be a list of terms, not one string")
    return _compiled(name, tuple(extra))


@functools.lru_cache(maxsize=64)
def _compiled(name: str, extra: tuple[str, ...]) -> Lexicon:
    return compile_lexicon((*builtin_terms(name), *(Term(text, PACK) for text in extra)))
